"""The raw tables of a ledger export, one per sheet, whatever its file format.

Workbooks (``.xlsx``, ``.xlsm``, ``.xls``, ``.ods``) are read with python-calamine, visible sheets
first; text exports (``.csv``, ``.txt``) are decoded (UTF-8 with or without BOM, Windows-1252,
UTF-16 with BOM as Excel's "Unicode text" writes it) and split on the separator that makes the
header recognisable (``;``, ``,``, tab or ``|``; an Excel ``sep=`` line decides by itself). Every
file passes :func:`~igemo_fin.inputs.filesafety.check_upload` before a parser sees it.
"""

from __future__ import annotations

import csv
from collections import Counter
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from igemo_fin.errors import LedgerError, Problem
from igemo_fin.inputs.filesafety import LEDGER_FORMATS, check_size, check_upload, decode_csv
from igemo_fin.inputs.ledger_columns import SheetColumns
from igemo_fin.inputs.ledger_header import HEADER_SEARCH_ROWS, find_header
from igemo_fin.inputs.sheet_fast import SheetEnds, read_sheet_fast

__all__ = ["TEXT_SHEET", "Table", "load_source", "read_tables", "select_tables"]

TEXT_SHEET = "tekst"
"""The name :attr:`LedgerPreview.sheet_names` gives the one table of a text file."""

_DELIMITERS = (";", ",", "\t", "|")
_SEP_LINE = re.compile(r'"?sep=(.)"?', flags=re.IGNORECASE)
_MAGIC_KIND = ((b"PK\x03\x04", "xlsx"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"))


@dataclass
class Table:
    """The cells of one sheet (``sheet`` is ``None`` for a text file), row by row from Excel row 1."""

    sheet: str | None
    rows: Sequence[list]
    """A list of row lists (a text file) or a :class:`~igemo_fin.inputs.ledger_columns.SheetColumns`
    (a workbook)."""


def load_source(source: bytes | str | os.PathLike, filename: str | None) -> tuple[bytes, str]:
    """The file's bytes and the name to use in messages; a path over the size limit is not read."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if filename is None:
            kind = next((k for magic, k in _MAGIC_KIND if data.startswith(magic)), "csv")
            filename = f"grootboek.{kind}"
        return data, PurePath(filename).name
    path = os.fspath(source)
    name = PurePath(filename or path).name
    check_size(os.path.getsize(path), name)  # a huge file is refused before it is read
    with open(path, "rb") as handle:
        return handle.read(), name


def read_tables(data: bytes, name: str, *, fast: bool = True) -> list[Table]:
    """Check the bytes, then read every sheet (text: one table). ``fast``: a plain one-sheet
    ``.xlsx`` is read by :func:`~igemo_fin.inputs.sheet_fast.read_sheet_fast` (the same cells);
    False reads every workbook with python-calamine alone."""
    ends = SheetEnds()
    kind = check_upload(data, name, formats=LEDGER_FORMATS, observe=ends)
    if kind == "csv":
        return [_text_table(data, name)]
    fast = read_sheet_fast(data, ends) if fast and kind in ("xlsx", "xlsm") else None
    if fast is not None:  # the same cells as the ordinary reader's, in less time
        return [Table(*fast)]
    return _workbook_tables(data, name)


def select_tables(tables: list[Table], sheet: str | None, name: str) -> list[Table]:
    """Only the sheet asked for (refused when the file has no such sheet), or all of them."""
    if sheet is None:
        return tables
    if len(tables) == 1 and tables[0].sheet is None:
        return tables  # a text file has one table, whatever it is called
    for table in tables:
        if table.sheet == sheet:
            return [table]
    names = ", ".join(f"'{t.sheet}'" for t in tables)
    raise LedgerError([Problem(sheet, None, None,
                               f"het blad '{sheet}' bestaat niet in dit bestand; kies een van: {names}")],
                      file=name)


def _workbook_tables(data: bytes, name: str) -> list[Table]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    ext = PurePath(name).suffix.lower() or ".xlsx"
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = list(book.sheets_metadata)
        order = sorted(range(len(metas)), key=lambda i: metas[i].visible != SheetVisibleEnum.Visible)
        tables = []
        for i in order:
            if metas[i].typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(metas[i].name)
            shape = None if sheet.end is None else (sheet.end[0] + 1, sheet.end[1] + 1)
            tables.append(Table(metas[i].name, SheetColumns.from_rows(sheet.iter_rows(), shape=shape)))
            del sheet  # calamine's own copy of the cells goes before the next sheet is parsed
        return tables
    except Exception as exc:  # python-calamine raises its own error types for damaged files
        raise LedgerError([Problem(None, None, None,
                                   f"onleesbaar {ext}-bestand ({exc}); open het in Excel en bewaar het "
                                   "opnieuw als .xlsx of .csv")], file=name) from None


def _text_table(data: bytes, name: str) -> Table:
    text, _encoding = decode_csv(data, name)
    lines = text.splitlines()
    forced = _SEP_LINE.fullmatch(lines[0].strip()) if lines else None
    candidates = (forced.group(1),) if forced else _DELIMITERS
    sample = "\n".join(lines[:HEADER_SEARCH_ROWS])
    best, best_score = candidates[0], (-1, 0)
    for delimiter in candidates:
        rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        header, seen = find_header(rows)
        # a recognised header decides; else the most recognised fields; else the widest common row
        # (a header no recognition knows, for a hand-made mapping)
        widths = Counter(len(r) for r in rows if len(r) > 1)
        score = (100 + len(header.columns) if header else len(seen.columns),
                 max(widths, key=lambda w: (widths[w], w)) if widths else 0)
        if score > best_score:
            best, best_score = delimiter, score
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=best))
    except csv.Error as exc:
        raise LedgerError([Problem(None, None, None,
                                   f"onleesbaar tekstbestand ({exc}); bewaar het opnieuw als CSV "
                                   "(puntkomma-gescheiden)")], file=name) from None
    if forced:
        rows = rows[1:]  # Excel hides the "sep=" line: its row 1 is the next line
    return Table(None, rows)
