"""Read and validate a general-ledger export (WORKBOOK.md, "Ledger export").

:func:`read_ledger` takes an ``.xlsx`` (read with python-calamine) or ``.csv`` export (``;``, ``,``,
tab or ``|``; UTF-8 or Windows-1252), after :func:`~igemo_fin.inputs.filesafety.check_upload` has vetted the
bytes. It finds the header row after any title rows, recognises the columns by their usual Dutch,
English or French names (case and accents ignored), and reads every line:

* amounts as numbers or Belgian text, exact to the cent (half up); one signed column is debit minus
  credit, as accounting packages export it, or two columns debit and credit;
* dates as real dates, Excel serials, ``dd/mm/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy`` or ``yyyy-mm-dd``;
* account, project and document codes as text (``604000.0`` becomes ``"604000"``).

Any invalid line (unreadable or missing date, amount or account) refuses the whole file with a
:class:`~igemo_fin.errors.LedgerError` that lists *every* problem with its Excel row and column.
Lines without a project code, with an unknown code, or on an account that maps to ``negeren`` or to
no category are valid but left out of project actuals: they are listed in ``skipped`` with their row,
a Dutch reason and their amount, never silently dropped. A final totals row is recognised and checked
against the lines.

Engine convention: inflow positive, outflow negative, so ``amount_cents = credit - debit``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from igemo_fin.inputs.accounts import IGNORE, categorize_accounts
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
    parse_dates,
)
from igemo_fin.columns import ACTUALS_COLUMNS, require_columns
from igemo_fin.errors import LedgerError, Problem
from igemo_fin.inputs.filesafety import check_size, check_upload, decode_csv
from igemo_fin.fmt import eur

__all__ = [
    "LedgerRead",
    "LINE_COLUMNS",
    "SKIPPED_COLUMNS",
    "HEADER_NAMES",
    "read_ledger",
    "actuals_by_year",
    "match_project_codes",
]

LINE_COLUMNS = (
    "row", "date", "year", "account", "project_code", "category", "amount_cents",
    "description", "journal", "document", "fingerprint", "occurrence",
)
"""Columns of :attr:`LedgerRead.lines` and :attr:`LedgerRead.actual_lines`."""

SKIPPED_COLUMNS = ("row", "reason", "amount_cents", "code", "account", "project_code")
"""Columns of :attr:`LedgerRead.skipped`."""

HEADER_NAMES: Mapping[str, tuple[str, ...]] = {
    # field: recognised headers (normalised: lower case, no accents, punctuation as spaces), in
    # order of preference when a file has more than one of them
    "date": ("boekdatum", "boekingsdatum", "posting date", "booking date", "datum", "date",
             "date comptable", "documentdatum", "document date", "date document", "factuurdatum"),
    "account": ("grootboekrekening", "rekening", "algemene rekening", "rekeningnummer", "rekening nr",
                "grootboekrekeningnummer", "grootboek", "account", "gl account", "account number",
                "account code", "general ledger account", "compte", "compte general",
                "numero de compte"),
    "amount": ("bedrag", "amount", "montant", "saldo", "solde", "balance"),
    "debit": ("debet", "debit", "debetbedrag", "bedrag debet", "debet bedrag", "debit amount"),
    "credit": ("credit", "creditbedrag", "bedrag credit", "credit bedrag", "credit amount"),
    "project": ("projectcode", "project", "project code", "project nr", "projectnummer",
                "analytische code", "analytisch", "analytische rekening", "analytic", "analytic code",
                "analytic account", "kostenplaats", "kostenplaatscode", "cost center", "cost centre",
                "projet", "code analytique", "analytique"),
    "description": ("omschrijving", "description", "tekst", "text", "libelle", "boekingsomschrijving",
                    "commentaar", "memo"),
    "journal": ("dagboek", "journal", "dagboekcode", "journal code", "code journal"),
    "document": ("document", "stuknummer", "boekstuk", "boekstuknummer", "documentnummer",
                 "factuurnummer", "document number", "invoice number", "piece", "numero de piece",
                 "n piece"),
}
"""Headers recognised per field (WORKBOOK.md's examples and the usual variants)."""

_FIELD_NL = {
    "date": "datum", "account": "rekening", "amount": "bedrag", "debit": "debet",
    "credit": "credit", "project": "project", "description": "omschrijving",
    "journal": "dagboek", "document": "document",
}
_UNIT_WORDS = {"eur", "euro", "in"}
_HEADER_SEARCH_ROWS = 50
_TOTAL_WORD = re.compile(r"(?:^|[^a-z])[a-z]*tota(?:al|alen|l|ls|ux)(?:$|[^a-z])")
_DELIMITERS = (";", ",", "\t", "|")
_FINGERPRINT_SEP = "\x1f"


@dataclass(frozen=True)
class LedgerRead:
    """A ledger export read and validated by :func:`read_ledger`."""

    lines: pd.DataFrame
    """Every valid booking line, in file order: ``row`` (Excel row, int), ``date``
    (datetime64), ``year`` (int), ``account`` (text), ``project_code`` (text, NaN when empty;
    spelled as in ``known_projects`` when given), ``category`` (a category, ``negeren``, or NaN
    when no prefix covers the account), ``amount_cents`` (int64, signed: inflow +, outflow -),
    ``description``, ``journal``, ``document`` (text or NaN), ``fingerprint`` (sha256 hex of date,
    account, project, amount, description and document), ``occurrence`` (1, 2, ... among lines with
    the same fingerprint in this file)."""
    actual_lines: pd.DataFrame
    """The lines that count as project actuals (known project, category not ``negeren`` nor
    missing); same columns as :attr:`lines`."""
    skipped: pd.DataFrame
    """Rows left out of the actuals: ``row``, ``reason`` (Dutch), ``amount_cents`` (signed; 0 for
    rows that are no booking), ``code`` (``negeren``, ``geen_categorie``, ``geen_project``,
    ``onbekend_project``, ``tussentotaal``, ``geen_boeking``), ``account``, ``project_code``."""
    rows_read: int
    """Data rows read below the header, blank rows and the final totals row excepted;
    ``rows_read == len(actual_lines) + len(skipped)``."""
    file_total_cents: int | None
    """Net total of the final totals row (credit - debit, so inflow +) when the file has one."""
    columns: Mapping[str, str] = field(default_factory=dict)
    """Field -> header as found in the file (``{"date": "Boekdatum", ...}``), for a preview."""
    sheet: str | None = None
    """The sheet read (``.xlsx``) or ``None`` (``.csv``)."""
    header_row: int | None = None
    """Excel row of the header."""


@dataclass
class _Table:
    sheet: str | None
    rows: list[list]


@dataclass
class _Header:
    index: int
    columns: dict[str, int]
    labels: dict[str, str]


def _normalise(value: object) -> str:
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii").lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(w for w in words if w not in _UNIT_WORDS)


_LOOKUP = {name: (fld, rank) for fld, names in HEADER_NAMES.items() for rank, name in enumerate(names)}


def _match_header(row: list) -> tuple[dict[str, int], dict[str, str]]:
    best: dict[str, tuple[int, int]] = {}
    labels: dict[str, str] = {}
    for j, cell in enumerate(row):
        if not isinstance(cell, str) or not cell.strip():
            continue
        hit = _LOOKUP.get(_normalise(cell))
        if hit is None:
            continue
        fld, rank = hit
        if fld not in best or rank < best[fld][1]:
            best[fld] = (j, rank)
            labels[fld] = cell.strip()
    return {f: j for f, (j, _) in best.items()}, labels


def _is_header(columns: Mapping[str, int]) -> bool:
    has_amount = "amount" in columns or "debit" in columns or "credit" in columns
    return "date" in columns and "account" in columns and has_amount


def _find_header(rows: list[list]) -> tuple[_Header | None, dict[str, int]]:
    """The first row among the first ones that names date, account and an amount column."""
    best: dict[str, int] = {}
    for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        columns, labels = _match_header(row)
        if _is_header(columns):
            return _Header(i, columns, labels), columns
        if len(columns) > len(best):
            best = columns
    return None, best


def _column_letter(index: int) -> str:
    """Excel's column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    return get_column_letter(index + 1)


# --- reading the raw rows ----------------------------------------------------------------------


def _load(source: bytes | str | os.PathLike, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if filename is None:
            filename = "grootboek.xlsx" if data.startswith(b"PK\x03\x04") else "grootboek.csv"
        return data, PurePath(filename).name
    path = os.fspath(source)
    name = PurePath(filename or path).name
    check_size(os.path.getsize(path), name)  # a huge file is refused before it is read
    with open(path, "rb") as handle:
        return handle.read(), name


def _xlsx_tables(data: bytes, name: str) -> list[_Table]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = list(book.sheets_metadata)
        # visible sheets first, in workbook order
        order = sorted(range(len(metas)), key=lambda i: metas[i].visible != SheetVisibleEnum.Visible)
        tables = []
        for i in order:
            if metas[i].typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(metas[i].name)
            tables.append(_Table(metas[i].name, sheet.to_python(skip_empty_area=False)))
        return tables
    except Exception as exc:  # python-calamine raises its own error types for damaged files
        raise LedgerError([Problem(None, None, None, f"onleesbaar .xlsx-bestand: {exc}")], file=name) from None


def _csv_table(data: bytes, name: str) -> _Table:
    text, _encoding = decode_csv(data, name)
    lines = text.splitlines()
    forced = None
    if lines and re.fullmatch(r'"?sep=(.)"?', lines[0].strip(), flags=re.IGNORECASE):
        forced = re.fullmatch(r'"?sep=(.)"?', lines[0].strip(), flags=re.IGNORECASE).group(1)
    candidates = (forced,) if forced else _DELIMITERS
    sample = "\n".join(lines[:_HEADER_SEARCH_ROWS])
    best, best_score = candidates[0], -1
    for delimiter in candidates:
        rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        header, seen = _find_header(rows)
        score = 100 + len(header.columns) if header else len(seen)
        if score > best_score:
            best, best_score = delimiter, score
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=best))
    except csv.Error as exc:
        raise LedgerError([Problem(None, None, None, f"onleesbaar CSV-bestand: {exc}")], file=name) from None
    if forced:
        rows = rows[1:]  # Excel hides the "sep=" line: its row 1 is the next line
    return _Table(None, rows)


# --- the lines ---------------------------------------------------------------------------------


def _column(rows: list[list], start: int, index: int | None) -> np.ndarray:
    n = len(rows) - start
    out = np.empty(n, dtype=object)
    if index is None:
        out[:] = ""
        return out
    out[:] = [r[index] if index < len(r) else "" for r in rows[start:]]
    return out


def _has_total_word(values: np.ndarray) -> np.ndarray:
    """Per cell: is it a text holding a word like totaal, eindtotaal, total or totaux?"""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    flags = [isinstance(v, str) and bool(_TOTAL_WORD.search(_normalise(v))) for v in uniques]
    return np.array(flags + [False], dtype=bool)[codes]


def _row_has_total_word(row: list) -> bool:
    return any(isinstance(c, str) and _TOTAL_WORD.search(_normalise(c)) for c in row)


def _row_is_blank(row: list) -> bool:
    return bool(blank_mask(row).all()) if row else True


class _Problems:
    def __init__(self, sheet: str | None, header: _Header):
        self.sheet = sheet
        self.header = header
        self.items: list[tuple[int, int, Problem]] = []

    def add(self, row: int, fld: str, reason: str) -> None:
        j = self.header.columns[fld]
        label = f"{self.header.labels[fld]} ({_column_letter(j)})"
        self.items.append((row, j, Problem(self.sheet, row, label, reason)))

    def sorted(self) -> list[Problem]:
        return [p for _, _, p in sorted(self.items, key=lambda t: (t[0], t[1]))]


def _shown(value: object) -> str:
    text = str(value).strip()
    return text if len(text) <= 40 else text[:37] + "..."


def _report_amounts(problems: _Problems, fld: str, rows: np.ndarray, values: np.ndarray,
                    status: np.ndarray, where: np.ndarray) -> None:
    for i in np.flatnonzero(where & (status == INVALID)):
        problems.add(int(rows[i]), fld, f"'{_shown(values[i])}' is geen leesbaar bedrag")
    for i in np.flatnonzero(where & (status == OUT_OF_RANGE)):
        problems.add(int(rows[i]), fld, f"bedrag '{_shown(values[i])}' is onwaarschijnlijk groot")


def read_ledger(source: bytes | str | os.PathLike, *, filename: str | None = None,
                rekeningen: pd.DataFrame | None = None,
                known_projects: Iterable[str] | None = None) -> LedgerRead:
    """Read a ledger export, validate every line and map accounts to categories.

    Parameters
    ----------
    source : bytes or path
        The file's bytes (an upload) or its path.
    filename : str, optional
        The name as uploaded; its extension must match the bytes. Default: the path's name, or for
        bytes ``grootboek.xlsx``/``grootboek.csv`` after the content.
    rekeningen : pandas.DataFrame, optional
        The workbook's ``rekeningen`` sheet (``rekening_prefix``, ``categorie``); default DOMAIN.md's
        table (see :func:`~igemo_fin.inputs.accounts.categorize_accounts`).
    known_projects : iterable of str, optional
        Project codes of the portfolio. When given, a line with another code is skipped as unknown;
        codes match ignoring case and surrounding blanks, and take the portfolio's spelling.

    Returns
    -------
    LedgerRead

    Raises
    ------
    FileRefused
        The bytes fail :func:`~igemo_fin.inputs.filesafety.check_upload` (size, type, hostile content).
    LedgerError
        No header row, a required column missing, any invalid line, or a totals row that does not
        match the lines; every problem is listed with its sheet, Excel row and column.
    WorkbookError
        ``rekeningen`` itself is invalid.

    Notes
    -----
    Sign: ``amount_cents = credit - debit`` [cents]; a single amount column holds debit - credit, so
    its value is negated. A line is left out of the actuals (and listed in ``skipped``), in this
    order of reasons: its account maps to ``negeren``; its account maps to no category; it has no
    project code; its project code is unknown.
    """
    data, name = _load(source, filename)
    kind = check_upload(data, name)
    tables = _xlsx_tables(data, name) if kind == "xlsx" else [_csv_table(data, name)]
    header = None
    best_seen: dict[str, int] = {}
    table = tables[0] if tables else _Table(None, [])
    for candidate in tables:
        header, seen = _find_header(candidate.rows)
        if header is not None:
            table = candidate
            break
        if len(seen) > len(best_seen):
            best_seen = seen
    if header is None:
        raise LedgerError([_no_header_problem(table.sheet if len(tables) == 1 else None, best_seen)], file=name)
    return _read_lines(table, header, name, rekeningen, known_projects)


def _no_header_problem(sheet: str | None, seen: Mapping[str, int]) -> Problem:
    wanted = ["date", "account"]
    if not any(f in seen for f in ("amount", "debit", "credit")):
        wanted.append("amount")
    missing = [f for f in wanted if f not in seen]
    names = "; ".join(f"{_FIELD_NL[f]} ({', '.join(HEADER_NAMES[f][:4])})" for f in missing)
    return Problem(
        sheet, None, None,
        f"geen kopregel gevonden in de eerste {_HEADER_SEARCH_ROWS} rijen: kolommen voor {names} ontbreken",
    )


def _read_lines(table: _Table, header: _Header, name: str, rekeningen: pd.DataFrame | None,
                known_projects: Iterable[str] | None) -> LedgerRead:
    cols = header.columns
    problems = _Problems(table.sheet, header)
    missing = []
    if "project" not in cols:
        missing.append("project")
    signed = "amount" in cols and not ("debit" in cols and "credit" in cols)
    if not signed:
        missing += [f for f in ("debit", "credit") if f not in cols]
    if missing:
        names = ", ".join(f"{_FIELD_NL[f]} ({', '.join(HEADER_NAMES[f][:4])})" for f in missing)
        raise LedgerError([Problem(table.sheet, header.index + 1, None,
                                   f"kopregel gevonden, maar kolom(men) ontbreken: {names}")], file=name)

    start = header.index + 1
    rows = table.rows
    excel_rows = np.arange(start + 1, len(rows) + 1, dtype=np.int64)
    raw = {f: _column(rows, start, cols.get(f)) for f in HEADER_NAMES}

    dates, date_status = parse_dates(raw["date"])
    account = cell_text(raw["account"])
    project = cell_text(raw["project"])
    amount_fields = ("amount",) if signed else ("debit", "credit")
    texts = [v for f in amount_fields for v in pd.unique(raw[f]) if isinstance(v, str)]
    separator = decimal_separator(texts)
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
    kind = np.zeros(len(excel_rows), dtype=np.int8)  # 0 booking, 1 blank, 2 text, 3 total
    for i in np.flatnonzero((~has_date | date_total) & (~has_account | account_total)):
        row = rows[start + i]
        if _row_has_total_word(row):
            kind[i] = 3
        elif not has_amount[i]:
            kind[i] = 1 if _row_is_blank(row) else 2
    booking = kind == 0
    last_booking = int(np.flatnonzero(booking).max()) if booking.any() else -1
    final_totals = np.flatnonzero((kind == 3) & (np.arange(len(kind)) > last_booking))
    subtotals = np.flatnonzero((kind == 3) & (np.arange(len(kind)) < last_booking))

    for i in np.flatnonzero(booking & (date_status == BLANK)):
        problems.add(int(excel_rows[i]), "date", "datum ontbreekt")
    for i in np.flatnonzero(booking & (date_status == INVALID)):
        problems.add(int(excel_rows[i]), "date",
                     f"'{_shown(raw['date'][i])}' is geen geldige datum "
                     "(verwacht dd/mm/jjjj, dd-mm-jjjj, jjjj-mm-dd of een Excel-datum)")
    for i in np.flatnonzero(booking & (date_status == OUT_OF_RANGE)):
        problems.add(int(excel_rows[i]), "date",
                     f"datum '{_shown(raw['date'][i])}' ligt buiten {YEAR_MIN}-{YEAR_MAX}")
    for i in np.flatnonzero(booking & ~has_account):
        problems.add(int(excel_rows[i]), "account", "rekening ontbreekt")
    for f in amount_fields:
        _report_amounts(problems, f, excel_rows, raw[f], amounts[f][1], booking | (kind == 3))
    no_amount = booking & ~has_amount
    for i in np.flatnonzero(no_amount):
        if signed:
            problems.add(int(excel_rows[i]), "amount", "bedrag ontbreekt")
        else:
            problems.add(int(excel_rows[i]), "debit", "bedrag ontbreekt: debet en credit zijn allebei leeg")

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
        file_total = _check_totals(problems, final_totals, excel_rows, amounts, signed, booking, net)
    if problems.items:
        raise LedgerError(problems.sorted(), file=name)

    lines, known = _lines_frame(booking, excel_rows, dates, account, project, net, raw, rekeningen,
                                known_projects)
    skipped, actual_mask = _skipped(lines, known if known_projects is not None else None)
    extra = [
        {"row": int(excel_rows[i]), "reason": f"tussentotaal ({eur(_row_net(i, amounts, signed) / 100, 2)}): "
                                              "geen boeking, niet meegeteld",
         "amount_cents": 0, "code": "tussentotaal", "account": None, "project_code": None}
        for i in subtotals
    ] + [
        {"row": int(excel_rows[i]), "reason": "regel zonder datum, rekening of bedrag: geen boeking",
         "amount_cents": 0, "code": "geen_boeking", "account": None, "project_code": None}
        for i in np.flatnonzero(kind == 2)
    ]
    if extra:
        skipped = pd.concat([skipped, pd.DataFrame(extra, columns=list(SKIPPED_COLUMNS))],
                            ignore_index=True)
        skipped = skipped.sort_values("row", kind="stable").reset_index(drop=True)
    skipped["amount_cents"] = skipped["amount_cents"].astype(np.int64)
    skipped["row"] = skipped["row"].astype(np.int64)
    actual = lines[actual_mask].reset_index(drop=True)
    labels = {f: header.labels[f] for f in cols}
    return LedgerRead(
        lines=lines,
        actual_lines=actual,
        skipped=skipped,
        rows_read=len(lines) + len(extra),
        file_total_cents=file_total,
        columns=labels,
        sheet=table.sheet,
        header_row=header.index + 1,
    )


def _row_net(i: int, amounts: dict, signed: bool) -> int:
    if signed:
        return -int(amounts["amount"][0][i])
    return int(amounts["credit"][0][i]) - int(amounts["debit"][0][i])


def _check_totals(problems: _Problems, totals: np.ndarray, excel_rows: np.ndarray, amounts: dict,
                  signed: bool, booking: np.ndarray, net: np.ndarray) -> int | None:
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
                    f"{eur((int(cents[i]) - expected) / 100, 2)})",
                )
            checked = True
        if checked:
            file_total = int(net[booking].sum())
    return file_total


def match_project_codes(project: pd.Series, known: Iterable[str] | None) -> tuple[pd.Series, np.ndarray]:
    """Project codes in the portfolio's spelling, and which of them are known.

    Codes match exactly, or else ignoring case and runs of blanks; an unknown code is kept as it is.

    Parameters
    ----------
    project : pandas.Series
        Codes as text (NaN when missing).
    known : iterable of str or None
        The portfolio's codes; ``None`` means every non-missing code counts as known.

    Returns
    -------
    codes : pandas.Series
        Text dtype, same index.
    known_mask : numpy.ndarray of bool

    Examples
    --------
    >>> codes, known = match_project_codes(pd.Series(["bt-01", "BT-02", None]), ["BT-01"])
    >>> codes.tolist(), known.tolist()
    (['BT-01', 'BT-02', nan], [True, False, False])
    """
    if known is None:
        return project, project.notna().to_numpy()
    known = [str(k) for k in known]
    exact = {k: k for k in known}
    loose: dict[str, str] = {}
    for k in known:
        loose.setdefault(" ".join(k.split()).casefold(), k)
    uniques = pd.unique(project.dropna())
    mapping = {u: exact.get(u) or loose.get(" ".join(u.split()).casefold()) for u in uniques}
    canonical = project.map(lambda u: mapping.get(u) or u if isinstance(u, str) else u)
    found = project.map(lambda u: isinstance(u, str) and mapping.get(u) is not None)
    return canonical.astype("str"), found.to_numpy(dtype=bool)


def _lines_frame(booking: np.ndarray, excel_rows: np.ndarray, dates: np.ndarray, account: pd.Series,
                 project: pd.Series, net: np.ndarray, raw: dict, rekeningen: pd.DataFrame | None,
                 known_projects: Iterable[str] | None) -> tuple[pd.DataFrame, np.ndarray]:
    """The valid booking lines (:data:`LINE_COLUMNS`) and, per line, whether its project is known."""
    idx = np.flatnonzero(booking)
    day = dates[idx]
    account = account.iloc[idx].reset_index(drop=True)
    project, known = match_project_codes(project.iloc[idx].reset_index(drop=True), known_projects)
    frame = pd.DataFrame({
        "row": excel_rows[idx],
        "date": pd.to_datetime(day).astype("datetime64[ns]"),
        "year": day.astype("datetime64[Y]").astype(np.int64) + 1970,
        "account": account,
        "project_code": project,
        "category": categorize_accounts(account, rekeningen),
        "amount_cents": net[idx].astype(np.int64),
        "description": cell_text(raw["description"][idx]),
        "journal": cell_text(raw["journal"][idx]),
        "document": cell_text(raw["document"][idx]),
    })
    frame["fingerprint"] = _fingerprints(frame, day)
    frame["occurrence"] = frame.groupby("fingerprint", sort=False).cumcount().astype(np.int64) + 1
    return frame, known


def _fingerprints(frame: pd.DataFrame, day: np.ndarray) -> list[str]:
    parts = [
        pd.Series(np.datetime_as_string(day, unit="D"), dtype="str"),
        frame["account"].fillna(""),
        frame["project_code"].fillna(""),
        frame["amount_cents"].astype("str"),
        frame["description"].fillna(""),
        frame["document"].fillna(""),
    ]
    joined = parts[0].str.cat(parts[1:], sep=_FINGERPRINT_SEP)
    return [hashlib.sha256(s.encode("utf-8")).hexdigest() for s in joined]


def _skipped(lines: pd.DataFrame, known: np.ndarray | None) -> tuple[pd.DataFrame, np.ndarray]:
    """Split the lines' skip reasons off; return the skipped rows and the mask of actual lines."""
    category = lines["category"]
    ignored = (category == IGNORE).to_numpy(dtype=bool)
    unmapped = category.isna().to_numpy()
    no_project = lines["project_code"].isna().to_numpy()
    unknown = ~known & ~no_project if known is not None else np.zeros(len(lines), dtype=bool)
    reasons: list[tuple[str, np.ndarray, str]] = [
        ("negeren", ignored, "rekening {account} valt onder 'negeren': geen projectkost of -opbrengst"),
        ("geen_categorie", unmapped & ~ignored,
         "rekening {account} hoort bij geen categorie: voeg een prefix toe op het blad 'rekeningen'"),
        ("geen_project", no_project & ~ignored & ~unmapped, "geen projectcode"),
        ("onbekend_project", unknown & ~ignored & ~unmapped, "onbekende projectcode '{project}'"),
    ]
    pieces = []
    taken = np.zeros(len(lines), dtype=bool)
    for code, mask, template in reasons:
        mask = mask & ~taken
        taken |= mask
        if not mask.any():
            continue
        part = lines.loc[mask, ["row", "amount_cents", "account", "project_code"]].copy()
        part["code"] = code
        part["reason"] = [template.format(account=a, project=p)
                          for a, p in zip(part["account"], part["project_code"])]
        pieces.append(part)
    if pieces:
        skipped = pd.concat(pieces).sort_values("row", kind="stable")[list(SKIPPED_COLUMNS)]
    else:
        skipped = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("row", "amount_cents") else "str")
                                for c in SKIPPED_COLUMNS})
    return skipped.reset_index(drop=True), ~taken


def actuals_by_year(actual_lines: pd.DataFrame) -> pd.DataFrame:
    """Ledger actuals per project, year and category, as the engine takes them.

    Parameters
    ----------
    actual_lines : pandas.DataFrame
        :attr:`LedgerRead.actual_lines` (columns ``project_code``, ``year``, ``category``,
        ``amount_cents``).

    Returns
    -------
    pandas.DataFrame
        ``project_code``, ``jaar`` (int), ``categorie``, ``bedrag`` [EUR] (float, signed: inflow +,
        outflow -), one row per project, year and category, sorted.

    Notes
    -----
    Sums are taken in integer cents and divided by 100 once, so each ``bedrag`` is the exact
    cent total (as a float).

    Examples
    --------
    >>> lines = pd.DataFrame({"project_code": ["P1", "P1", "P1"], "year": [2023, 2023, 2024],
    ...                       "category": ["verkoop", "verkoop", "studies"],
    ...                       "amount_cents": [10001, 20002, -5000]})
    >>> actuals_by_year(lines).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'project_code': 'P1', 'jaar': 2023, 'categorie': 'verkoop', 'bedrag': 300.03},
     {'project_code': 'P1', 'jaar': 2024, 'categorie': 'studies', 'bedrag': -50.0}]
    """
    require_columns(actual_lines, ("project_code", "year", "category", "amount_cents"), name="actual_lines")
    grouped = (
        actual_lines.groupby(["project_code", "year", "category"], sort=True)["amount_cents"]
        .sum()
        .reset_index()
    )
    return pd.DataFrame({
        "project_code": grouped["project_code"].astype("str"),
        "jaar": grouped["year"].astype(np.int64),
        "categorie": grouped["category"].astype("str"),
        "bedrag": grouped["amount_cents"].astype(np.int64) / 100.0,
    }, columns=list(ACTUALS_COLUMNS))
