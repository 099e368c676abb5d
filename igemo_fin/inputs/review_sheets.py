"""The optional sheets of the yearly review of the running costs (``docs/werking.md``), read with
row-level refusals.

``kostengroepen`` (accounts to cost groups), ``budget_werking`` (budget per year and cost group),
``index`` (an index series per year) and ``werkingsbijdrage`` (the municipalities' operating
contribution per partner and year), and the setting ``werking_marge_pct`` of ``instellingen``. The
workbook reader keeps unknown sheets as rows (:attr:`Portfolio.extra_sheets`); :func:`review_inputs`
checks them all and refuses with every problem at once, naming sheet, Excel row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from igemo_fin.errors import WorkbookError
from igemo_fin.inputs.cost_groups import COST_GROUPS, GROUP_CHOICES
from igemo_fin.inputs.workbook_cells import (
    Collector,
    Row,
    Sheet,
    as_number,
    as_text,
    as_year,
    check_choice,
    check_year,
    is_empty,
    require_columns,
    show,
)
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["GROUP_SHEET", "BUDGET_SHEET", "INDEX_SHEET", "CONTRIBUTION_SHEET", "MARGIN_SETTING",
           "DEFAULT_MARGIN_PCT", "ReviewInputs", "review_inputs", "sheet_of"]

GROUP_SHEET = "kostengroepen"
BUDGET_SHEET = "budget_werking"
INDEX_SHEET = "index"
CONTRIBUTION_SHEET = "werkingsbijdrage"
MARGIN_SETTING = "werking_marge_pct"
"""Setting of ``instellingen``: how many percentage points a cost group may grow faster than the index
before it is flagged."""
DEFAULT_MARGIN_PCT = 2.0
"""Default of :data:`MARGIN_SETTING` [percentage points]."""


@dataclass(frozen=True)
class ReviewInputs:
    """What the workbook says for the yearly review; every frame may be empty."""

    group_mapping: pd.DataFrame | None = None
    """``rekening_prefix, kostengroep``; None without the sheet (the defaults apply)."""
    budget: pd.DataFrame = field(default_factory=lambda: _frame(("jaar", "kostengroep", "budget")))
    """``jaar, kostengroep, budget`` [EUR, positive]."""
    index: pd.Series = field(default_factory=lambda: pd.Series(dtype=float, name="waarde"))
    """Index value by year (sorted)."""
    contributions: pd.DataFrame = field(default_factory=lambda: _frame(
        ("gemeente", "jaar", "bijdrage", "laatst_geindexeerd")))
    """``gemeente, jaar, bijdrage`` [EUR], ``laatst_geindexeerd`` (year)."""
    margin_pct: float = DEFAULT_MARGIN_PCT
    """See :data:`MARGIN_SETTING` [percentage points]."""


def _frame(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def sheet_of(name: str, rows: list[dict] | None) -> Sheet | None:
    """An optional sheet kept by the workbook reader (rows with ``_row``) as a :class:`Sheet`; None when
    absent or without rows (the template's empty sheet says nothing)."""
    if not rows:
        return None
    headers = sorted({k for r in rows for k in r if k != "_row"})
    return Sheet(name, headers, [Row(int(r["_row"]), {k: v for k, v in r.items() if k != "_row"}) for r in rows])


def review_inputs(portfolio: Portfolio) -> ReviewInputs:
    """The review's sheets and setting of ``portfolio``, checked.

    Raises
    ------
    WorkbookError
        With every problem of the four sheets and the setting.
    """
    extra = portfolio.extra_sheets
    c = Collector()
    mapping = _groups(c, sheet_of(GROUP_SHEET, extra.get(GROUP_SHEET)))
    budget = _budget(c, sheet_of(BUDGET_SHEET, extra.get(BUDGET_SHEET)))
    index = _index(c, sheet_of(INDEX_SHEET, extra.get(INDEX_SHEET)))
    contributions = _contributions(c, sheet_of(CONTRIBUTION_SHEET, extra.get(CONTRIBUTION_SHEET)))
    margin = _margin(c, portfolio.settings.extra.get(MARGIN_SETTING))
    if c.problems:
        raise WorkbookError(c.problems, file=portfolio.source_name)
    return ReviewInputs(mapping, budget, index, contributions, margin)


def _duplicate(c: Collector, sheet: Sheet, seen: dict, key, row: int, column: str, what: str) -> bool:
    if key in seen:
        c.add(sheet.name, row, column, f"{what} komt dubbel voor (ook op rij {seen[key]})")
        return True
    seen[key] = row
    return False


def _groups(c: Collector, sheet: Sheet | None) -> pd.DataFrame | None:
    if sheet is None:
        return None
    records: list[tuple] = []
    if require_columns(c, sheet, ("rekening_prefix", "kostengroep")):
        seen: dict = {}
        for row in sheet.rows:
            r = row.excel_row
            prefix = c.cell(sheet.name, row, "rekening_prefix", as_text, "tekst", required=True)
            if prefix is not None and not prefix.isdigit():
                c.add(sheet.name, r, "rekening_prefix", f"'{show(prefix)}' is geen reeks cijfers")
                prefix = None
            if prefix is not None and _duplicate(c, sheet, seen, prefix, r, "rekening_prefix", f"prefix '{prefix}'"):
                prefix = None
            group = check_choice(c, sheet.name, row, "kostengroep", GROUP_CHOICES, "kostengroep")
            if prefix is not None and group is not None:
                records.append((prefix, group))
    return pd.DataFrame.from_records(records, columns=["rekening_prefix", "kostengroep"])


def _budget(c: Collector, sheet: Sheet | None) -> pd.DataFrame:
    records: list[tuple] = []
    if sheet is not None and require_columns(c, sheet, ("jaar", "kostengroep", "budget")):
        seen: dict = {}
        for row in sheet.rows:
            r = row.excel_row
            year = check_year(c, sheet.name, r, "jaar", c.cell(sheet.name, row, "jaar", as_year, "geldig jaartal", True))
            group = check_choice(c, sheet.name, row, "kostengroep", COST_GROUPS, "kostengroep")
            amount = c.cell(sheet.name, row, "budget", as_number, "geldig bedrag", required=True)
            if amount is not None and amount < 0:
                c.add(sheet.name, r, "budget", f"budget {amount:g} mag niet negatief zijn")
                amount = None
            if None in (year, group, amount):
                continue
            if not _duplicate(c, sheet, seen, (year, group), r, "kostengroep", f"kostengroep '{group}' in {year}"):
                records.append((year, group, float(amount)))
    frame = pd.DataFrame.from_records(records, columns=["jaar", "kostengroep", "budget"])
    return frame.astype({"jaar": "int64", "budget": float})


def _index(c: Collector, sheet: Sheet | None) -> pd.Series:
    values: dict[int, float] = {}
    if sheet is not None and require_columns(c, sheet, ("jaar", "waarde")):
        seen: dict = {}
        for row in sheet.rows:
            r = row.excel_row
            year = check_year(c, sheet.name, r, "jaar", c.cell(sheet.name, row, "jaar", as_year, "geldig jaartal", True))
            value = c.cell(sheet.name, row, "waarde", as_number, "getal", required=True)
            if value is not None and value <= 0:
                c.add(sheet.name, r, "waarde", f"indexwaarde {value:g} moet groter dan nul zijn")
                value = None
            if year is not None and value is not None and not _duplicate(c, sheet, seen, year, r, "jaar",
                                                                         f"jaar {year}"):
                values[year] = float(value)
    return pd.Series(values, dtype=float, name="waarde").sort_index()


def _contributions(c: Collector, sheet: Sheet | None) -> pd.DataFrame:
    columns = ("gemeente", "jaar", "bijdrage", "laatst_geindexeerd")
    records: list[tuple] = []
    if sheet is not None and require_columns(c, sheet, columns):
        seen: dict = {}
        for row in sheet.rows:
            r = row.excel_row
            partner = c.cell(sheet.name, row, "gemeente", as_text, "tekst", required=True)
            year = check_year(c, sheet.name, r, "jaar", c.cell(sheet.name, row, "jaar", as_year, "geldig jaartal", True))
            amount = c.cell(sheet.name, row, "bijdrage", as_number, "geldig bedrag", required=True)
            if amount is not None and amount < 0:
                c.add(sheet.name, r, "bijdrage", f"bijdrage {amount:g} mag niet negatief zijn")
                amount = None
            indexed = check_year(c, sheet.name, r, "laatst_geindexeerd", c.cell(
                sheet.name, row, "laatst_geindexeerd", as_year, "geldig jaartal", True))
            if year is not None and indexed is not None and indexed > year:
                c.add(sheet.name, r, "laatst_geindexeerd",
                      f"laatst geïndexeerd in {indexed}, na het jaar {year} van de bijdrage")
                indexed = None
            if None in (partner, year, amount, indexed):
                continue
            if not _duplicate(c, sheet, seen, (partner, year), r, "gemeente", f"gemeente '{show(partner)}' in {year}"):
                records.append((partner, year, float(amount), indexed))
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    return frame.astype({"jaar": "int64", "bijdrage": float, "laatst_geindexeerd": "int64"})


def _margin(c: Collector, raw) -> float:
    if is_empty(raw):
        return DEFAULT_MARGIN_PCT
    try:
        value = as_number(raw)
    except (ValueError, TypeError):
        c.add("instellingen", None, MARGIN_SETTING, f"'{show(raw)}' is geen getal")
        return DEFAULT_MARGIN_PCT
    if not 0 <= value <= 100:
        c.add("instellingen", None, MARGIN_SETTING, f"marge {value:g} ligt niet tussen 0 en 100 procentpunt")
        return DEFAULT_MARGIN_PCT
    return float(value)
