"""Validate every line below a recognised header: dates, accounts, amounts, totals rows.

Rows with neither date nor account are totals (a word like ``Totaal`` in the row), subtotals
(totals before the last booking), text or blank rows; every other row is a booking and must have a
readable date, an account and an amount. Every problem is collected with its Excel row and column
before the file is refused, so finance can fix everything in one go.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from igemo_fin.errors import LedgerError, Problem
from igemo_fin.fmt import eur
from igemo_fin.inputs.dates import parse_dates
from igemo_fin.inputs.cells import (
    BLANK,
    INVALID,
    OK,
    OUT_OF_RANGE,
    YEAR_MAX,
    YEAR_MIN,
    amounts_to_cents,
    blank_mask,
    cell_text,
    decimal_separator,
)
from igemo_fin.inputs.ledger_columns import SheetColumns
from igemo_fin.inputs.ledger_header import FIELDS, Header, column_letter, normalise_text

__all__ = ["BOOKING", "BLANK_ROW", "TEXT_FIELDS", "TEXT_ROW", "TOTAL_ROW", "ValidLines", "account_codes", "column_label",
           "validate_lines"]

BOOKING, BLANK_ROW, TEXT_ROW, TOTAL_ROW = 0, 1, 2, 3
"""Kinds of rows below the header."""

TEXT_FIELDS = ("description", "journal", "document")
"""Fields read only as text (:func:`~igemo_fin.inputs.cells.cell_text`), never checked cell by cell."""

_CODE_AND_NAME = re.compile(r"^(\d[\d.]*)\s+-?\s*[^\d\s]")
_TOTAL_WORD = re.compile(r"(?:^|[^a-z])[a-z]*tota(?:al|alen|l|ls|ux)(?:$|[^a-z])")
_FIX = "; verbeter dit in het boekhoudpakket en exporteer opnieuw"


@dataclass(frozen=True)
class ValidLines:
    """The rows below the header, read and checked (arrays are per row, in file order)."""

    excel_rows: np.ndarray
    kind: np.ndarray
    dates: np.ndarray
    account: pd.Series
    project: pd.Series
    net: np.ndarray
    """credit - debit [cents] (inflow +)."""
    raw: dict[str, np.ndarray | pa.StringArray]
    """Per field, its cells; :data:`TEXT_FIELDS` of a workbook column holding only texts as Arrow
    texts (no Python object per cell)."""
    subtotal_net: dict[int, int]
    """Per subtotal row (index): its net amount [cents], credit - debit."""
    file_total: int | None


def column_label(header: Header, fld: str) -> str:
    """``"Bedrag (E)"``: the header text and the column letter, as a problem names a column."""
    return f"{header.labels[fld]} ({column_letter(header.columns[fld])})"


class _Problems:
    def __init__(self, sheet: str | None, header: Header):
        self.sheet = sheet
        self.header = header
        self.items: list[tuple[int, int, Problem]] = []

    def add(self, row: int, fld: str, reason: str) -> None:
        self.items.append((row, self.header.columns[fld],
                           Problem(self.sheet, row, column_label(self.header, fld), reason)))

    def sorted(self) -> list[Problem]:
        return [p for _, _, p in sorted(self.items, key=lambda t: (t[0], t[1]))]


def account_codes(account: pd.Series) -> pd.Series:
    """Account cells that hold the code and the name (``604000 Aankopen``) reduced to the code.

    >>> account_codes(pd.Series(["604000 Aankopen", "700000", "6040 - Werken", None])).tolist()
    ['604000', '700000', '6040', nan]
    """
    codes, uniques = pd.factorize(account, use_na_sentinel=True)
    found = [_CODE_AND_NAME.match(u) for u in uniques]
    if not any(found):
        return account
    short = np.array([m.group(1) if m else u for m, u in zip(found, uniques)] + [np.nan], dtype=object)
    return pd.Series(short[codes], index=account.index, dtype=account.dtype)


def _columns(rows: Sequence[list], start: int, columns: dict[str, int]) -> dict[str, np.ndarray]:
    """Per field, its cells below the header (``""`` where a row is too short or the field absent)."""
    if isinstance(rows, SheetColumns):  # a workbook: its columns as they are, no rows rebuilt
        out = {}
        for fld in FIELDS:
            j = columns.get(fld, rows.width)
            texts = rows.texts(j, start) if fld in TEXT_FIELDS and j < rows.width else None
            out[fld] = (texts if texts is not None else rows.column(j, start) if j < rows.width
                        else np.full(len(rows) - start, "", dtype=object))
        return out
    body = rows[start:]
    out: dict[str, np.ndarray] = {}
    if body and min(map(len, body)) == max(map(len, body)) > max(columns.values(), default=-1):
        # a workbook's rows are all as wide: numpy copies the cells out in C, column by column
        grid = np.empty((len(body), len(body[0])), dtype=object)
        grid[:] = body
        out = {fld: grid[:, columns[fld]] for fld in FIELDS if fld in columns}
    for fld in FIELDS:
        if fld not in out:
            column = np.empty(len(body), dtype=object)
            column[:] = "" if fld not in columns else [r[columns[fld]] if columns[fld] < len(r) else "" for r in body]
            out[fld] = column
    return out


def _has_total_word(values: np.ndarray) -> np.ndarray:
    """Per cell: is it a text holding a word like totaal, eindtotaal, total or totaux?"""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    flags = [isinstance(v, str) and bool(_TOTAL_WORD.search(normalise_text(v))) for v in uniques]
    return np.array(flags + [False], dtype=bool)[codes]


def _row_has_total_word(row: list) -> bool:
    return any(isinstance(c, str) and _TOTAL_WORD.search(normalise_text(c)) for c in row)


def _row_is_blank(row: list) -> bool:
    return bool(blank_mask(row).all()) if row else True


def _shown(value: object) -> str:
    text = str(value).strip()
    return text if len(text) <= 40 else text[:37] + "..."


def validate_lines(rows: Sequence[list], sheet: str | None, header: Header, name: str, *,
                   decimal_mark: str | None = None) -> ValidLines:
    """Read every row below ``header``; refuse the file listing every invalid line.

    ``decimal_mark`` (``","`` or ``"."``) reads text amounts so; ``None`` lets the amounts decide
    (see :func:`~igemo_fin.inputs.cells.decimal_separator`).
    """
    cols = header.columns
    problems = _Problems(sheet, header)
    signed = "amount" in cols and not ("debit" in cols and "credit" in cols)
    start = header.index + 1
    excel_rows = np.arange(start + 1, len(rows) + 1, dtype=np.int64)
    raw = _columns(rows, start, cols)

    dates, date_status = parse_dates(raw["date"])
    account = account_codes(cell_text(raw["account"]))
    project = cell_text(raw["project"])
    amount_fields = ("amount",) if signed else ("debit", "credit")
    separator = decimal_mark
    if separator is None:
        separator = decimal_separator([v for f in amount_fields for v in pd.unique(raw[f]) if isinstance(v, str)])
    amounts = {f: amounts_to_cents(raw[f], separator=separator) for f in amount_fields}

    has_date = date_status != BLANK
    has_account = account.notna().to_numpy()
    has_amount = np.zeros(len(excel_rows), dtype=bool)
    for _, status in amounts.values():
        has_amount |= status != BLANK

    # rows with neither date nor account (a word like "Totaal" may stand in their place):
    # totals, subtotals, text or blank rows
    date_total = (date_status == INVALID) & _has_total_word(raw["date"])
    account_total = has_account & _has_total_word(account.to_numpy(dtype=object))
    kind = np.zeros(len(excel_rows), dtype=np.int8)
    for i in np.flatnonzero((~has_date | date_total) & (~has_account | account_total)):
        row = rows[start + i]
        if _row_has_total_word(row):
            kind[i] = TOTAL_ROW
        elif not has_amount[i]:
            kind[i] = BLANK_ROW if _row_is_blank(row) else TEXT_ROW
    booking = kind == BOOKING
    last_booking = int(np.flatnonzero(booking).max()) if booking.any() else -1
    position = np.arange(len(kind))
    # after the last booking, only the last totals row is the file's total: a grouped export
    # (a ledger card per account) ends with the last account's subtotal before it
    trailing = np.flatnonzero((kind == TOTAL_ROW) & (position > last_booking))
    final_totals = trailing[-1:]
    subtotals = np.concatenate([np.flatnonzero((kind == TOTAL_ROW) & (position < last_booking)), trailing[:-1]])

    for i in np.flatnonzero(booking & (date_status == BLANK)):
        problems.add(int(excel_rows[i]), "date", "datum ontbreekt" + _FIX)
    for i in np.flatnonzero(booking & (date_status == INVALID)):
        problems.add(int(excel_rows[i]), "date",
                     f"'{_shown(raw['date'][i])}' is geen geldige datum "
                     "(verwacht dd/mm/jjjj, dd-mm-jjjj, jjjj-mm-dd of een Excel-datum)")
    for i in np.flatnonzero(booking & (date_status == OUT_OF_RANGE)):
        problems.add(int(excel_rows[i]), "date",
                     f"datum '{_shown(raw['date'][i])}' ligt buiten {YEAR_MIN}-{YEAR_MAX}" + _FIX)
    for i in np.flatnonzero(booking & ~has_account):
        problems.add(int(excel_rows[i]), "account", "rekening ontbreekt" + _FIX)
    where = booking | (kind == TOTAL_ROW)
    for f in amount_fields:
        status = amounts[f][1]
        for i in np.flatnonzero(where & (status == INVALID)):
            problems.add(int(excel_rows[i]), f, f"'{_shown(raw[f][i])}' is geen leesbaar bedrag "
                                                 f"(verwacht bv. 1.234,56 of -1.234,56)")
        for i in np.flatnonzero(where & (status == OUT_OF_RANGE)):
            problems.add(int(excel_rows[i]), f, f"bedrag '{_shown(raw[f][i])}' is onwaarschijnlijk groot" + _FIX)
    for i in np.flatnonzero(booking & ~has_amount):
        if signed:
            problems.add(int(excel_rows[i]), "amount", "bedrag ontbreekt" + _FIX)
        else:
            problems.add(int(excel_rows[i]), "debit", "bedrag ontbreekt: debet en credit zijn allebei leeg" + _FIX)

    # signed file convention: debit - credit (positive = debit)
    if signed:
        file_cents = amounts["amount"][0]
        debit_cents = np.where(file_cents > 0, file_cents, 0)
        credit_cents = np.where(file_cents < 0, -file_cents, 0)
    else:
        debit_cents, credit_cents = amounts["debit"][0], amounts["credit"][0]
    net = credit_cents - debit_cents  # engine convention: inflow +

    file_total = None
    if not problems.items:
        file_total = _check_totals(problems, final_totals, excel_rows, amounts, booking, net)
    if problems.items:
        raise LedgerError(problems.sorted(), file=name)
    return ValidLines(excel_rows=excel_rows, kind=kind, dates=dates, account=account, project=project,
                      net=net, raw=raw, subtotal_net={int(i): int(net[i]) for i in subtotals},
                      file_total=file_total)


def _check_totals(problems: _Problems, totals: np.ndarray, excel_rows: np.ndarray, amounts: dict,
                  booking: np.ndarray, net: np.ndarray) -> int | None:
    """Compare each final totals row with the sum of the lines; return the net file total."""
    file_total = None
    for i in totals:
        row = int(excel_rows[i])
        checked = False
        for f, (cents, status) in amounts.items():
            if status[i] != OK:
                continue
            expected = int(cents[booking].sum())
            if int(cents[i]) != expected:
                side = {"amount": "het saldo", "debit": "het debet", "credit": "het credit"}[f]
                problems.add(
                    row, f,
                    f"de totaalregel geeft {eur(int(cents[i]) / 100, 2)}, maar {side} van de regels "
                    f"telt op tot {eur(expected / 100, 2)} (verschil "
                    f"{eur((int(cents[i]) - expected) / 100, 2)}); exporteer opnieuw zonder filter of "
                    "verwijder de totaalregel",
                )
            checked = True
        if checked:
            file_total = int(net[booking].sum())
    return file_total
