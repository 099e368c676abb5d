"""Ledger accounts to cash-flow categories (DOMAIN.md, "Ledger accounts"; WORKBOOK.md, sheet ``rekeningen``).

An account number is mapped by the longest prefix it starts with. The defaults follow the Belgian
minimum chart of accounts (DOMAIN.md). A ``rekeningen`` sheet overrides them: an account that
starts with one of its prefixes takes the longest such row of the sheet, whatever the defaults say;
an account that starts with none of them falls back to the defaults.

Accounts that no prefix covers (e.g. class 0, 8 or 9, or a code that does not start with a digit the
table knows) map to missing (``NaN``): the ledger reader lists them as skipped, the data-quality panel
shows them as unmapped.

The category constants are those of :mod:`igemo_fin.columns`, re-exported here.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

import pandas as pd

from igemo_fin.columns import ACCOUNT_COLUMNS, CATEGORIES, COST_CATEGORIES, REVENUE_CATEGORIES
from igemo_fin.inputs.cells import cell_text
from igemo_fin.errors import Problem, WorkbookError

__all__ = [
    "COST_CATEGORIES",
    "REVENUE_CATEGORIES",
    "CATEGORIES",
    "IGNORE",
    "DEFAULT_ACCOUNT_PREFIXES",
    "REKENINGEN_COLUMNS",
    "validate_rekeningen",
    "categorize_accounts",
    "longest_prefix",
]

IGNORE = "negeren"
"""Pseudo-category of accounts whose lines are left out of project actuals."""

REKENINGEN_COLUMNS = ACCOUNT_COLUMNS
"""Required columns of the ``rekeningen`` sheet."""

DEFAULT_ACCOUNT_PREFIXES: Mapping[str, str] = MappingProxyType(
    {
        # class 1, 2, 4, 5: balance-sheet accounts
        "1": IGNORE,
        "2": IGNORE,
        "4": IGNORE,
        "5": IGNORE,
        # class 3 and 609, 71: stock movements mirror bookings already counted on 6/7
        "3": IGNORE,
        "609": IGNORE,
        "71": IGNORE,
        # class 6: costs
        "6": "overige_kosten",
        "600": "overige_kosten",
        "601": "overige_kosten",
        "602": "studies",
        "603": "infrastructuur",
        "604": "overige_kosten",
        "605": "verwerving",
        "608": "overige_kosten",
        "61": "studies",
        "65": IGNORE,  # financial charges: interest comes from the cash-credit model
        # class 7: revenues
        "7": "overige_opbrengsten",
        "70": "verkoop",
        "74": "subsidies",
    }
)
"""DOMAIN.md's default table: account prefix -> category (longest prefix wins)."""


def _row_numbers(frame: pd.DataFrame) -> list[int]:
    """Excel rows of a sheet frame: its ``row`` column when present, else header on row 1."""
    if "row" in frame.columns:
        return [int(r) for r in frame["row"]]
    return list(range(2, len(frame) + 2))


def validate_rekeningen(rekeningen: pd.DataFrame) -> list[Problem]:
    """Every problem of a ``rekeningen`` sheet (WORKBOOK.md), in Dutch.

    Parameters
    ----------
    rekeningen : pandas.DataFrame
        Columns ``rekening_prefix`` (text or number) and ``categorie``; an optional ``row`` column
        gives the Excel row of each line (default: the header is row 1, lines follow).

    Returns
    -------
    list of Problem
        Empty when the sheet is valid.
    """
    missing = [c for c in REKENINGEN_COLUMNS if c not in rekeningen.columns]
    if missing:
        return [
            Problem("rekeningen", 1, c, f"verplichte kolom '{c}' ontbreekt") for c in missing
        ]
    problems: list[Problem] = []
    allowed = CATEGORIES + (IGNORE,)
    seen: dict[str, tuple[str, int]] = {}
    prefixes = cell_text(rekeningen["rekening_prefix"])
    for row, prefix, cat in zip(_row_numbers(rekeningen), prefixes, rekeningen["categorie"]):
        cat_text = "" if _is_blank(cat) else str(cat).strip().lower()
        if pd.isna(prefix):
            problems.append(Problem("rekeningen", row, "rekening_prefix", "rekeningprefix ontbreekt"))
        elif not prefix.isdigit():
            problems.append(
                Problem("rekeningen", row, "rekening_prefix", f"rekeningprefix '{prefix}' is geen reeks cijfers")
            )
        if cat_text not in allowed:
            shown = "leeg" if not cat_text else f"'{cat}'"
            problems.append(
                Problem(
                    "rekeningen",
                    row,
                    "categorie",
                    f"categorie {shown} is onbekend; toegelaten: {', '.join(allowed)}",
                )
            )
        elif not pd.isna(prefix) and prefix.isdigit():
            earlier = seen.get(prefix)
            if earlier is not None and earlier[0] != cat_text:
                problems.append(
                    Problem(
                        "rekeningen",
                        row,
                        "rekening_prefix",
                        f"rekeningprefix '{prefix}' staat al op rij {earlier[1]} met categorie "
                        f"'{earlier[0]}'",
                    )
                )
            else:
                seen.setdefault(prefix, (cat_text, row))
    return problems


def _is_blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())


def longest_prefix(codes: pd.Series, table: Mapping[str, str]) -> pd.Series:
    """The value of each code by the longest prefix of ``table`` it starts with (NA when none).

    ``codes`` are account codes as text; ``table`` maps prefixes to any value (a category, a cost group).
    """
    result = pd.Series(None, index=codes.index, dtype="object")
    if not table or codes.empty:
        return result
    for length in sorted({len(p) for p in table}, reverse=True):
        todo = result.isna() & codes.notna()
        if not todo.any():
            break
        heads = codes[todo].str.slice(0, length)
        found = heads.map(lambda h: table.get(h) if len(h) == length else None)
        result.loc[found.index] = found
    return result


def categorize_accounts(accounts: pd.Series, rekeningen: pd.DataFrame | None = None) -> pd.Series:
    """Map account codes to categories, longest prefix first.

    Parameters
    ----------
    accounts : pandas.Series
        Account codes as text (numbers are converted by :func:`account_text`).
    rekeningen : pandas.DataFrame, optional
        The workbook's ``rekeningen`` sheet: columns ``rekening_prefix`` (text) and ``categorie`` (a
        category of :data:`CATEGORIES` or ``negeren``). Its rows take precedence over the defaults:
        an account starting with one of its prefixes takes the longest of those; any other account
        takes :data:`DEFAULT_ACCOUNT_PREFIXES`.

    Returns
    -------
    pandas.Series
        Category per account (text dtype, same index); missing (``NaN``) when no prefix covers the
        account or the account is missing.

    Raises
    ------
    WorkbookError
        When ``rekeningen`` breaks WORKBOOK.md (unknown category, empty or duplicate prefix).

    Notes
    -----
    Work is done once per distinct account, so a ledger of 200,000 lines with a few hundred
    accounts costs a few hundred look-ups.

    Examples
    --------
    >>> categorize_accounts(pd.Series(["605100", "604000", "650000", "700000", "900000"])).tolist()
    ['verwerving', 'overige_kosten', 'negeren', 'verkoop', nan]
    >>> own = pd.DataFrame({"rekening_prefix": ["6040"], "categorie": ["infrastructuur"]})
    >>> categorize_accounts(pd.Series(["604010", "604500"]), own).tolist()
    ['infrastructuur', 'overige_kosten']
    """
    codes = cell_text(accounts)
    uniques = pd.Series(pd.unique(codes.dropna()), dtype="str")
    categories = longest_prefix(uniques, DEFAULT_ACCOUNT_PREFIXES)
    if rekeningen is not None and len(rekeningen):
        problems = validate_rekeningen(rekeningen)
        if problems:
            raise WorkbookError(problems)
        own_prefixes = cell_text(rekeningen["rekening_prefix"])
        own = dict(zip(own_prefixes, (str(c).strip().lower() for c in rekeningen["categorie"])))
        overridden = longest_prefix(uniques, own)
        categories = overridden.where(overridden.notna(), categories)
    lookup = pd.Series(categories.to_numpy(dtype=object), index=uniques.to_numpy(dtype=object))
    return codes.map(lookup).astype("str")
