"""The fast read of a one-sheet .xlsx gives exactly the cells, and so the lines, of the ordinary read."""

from __future__ import annotations

import datetime as dt
import io
import logging

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from igemo_fin.errors import LedgerError
from igemo_fin.inputs.filesafety import LEDGER_FORMATS, check_upload
from igemo_fin.inputs.ledger import ledger_from_tables, read_ledger
from igemo_fin.inputs.ledger_columns import SheetColumns
from igemo_fin.inputs.ledger_tables import Table, read_tables
from igemo_fin.inputs.sheet_fast import HEAD_ROWS, MIN_BODY_ROWS, TAIL_ROWS, SheetEnds, read_sheet_fast

HEADER = ["Boekdatum", "Rekening", "Omschrijving", "Projectcode", "Dagboek", "Stuknummer", "Debet", "Credit"]
SMALL = {"head_rows": 7, "tail_rows": 3, "overlap_rows": 2, "min_body_rows": 1}


def ledger_rows(n: int = 40, *, title: bool = True) -> list[list]:
    """Title rows, the header, ``n`` lines (dates, blank project codes and document numbers, debit or
    credit) and a totals row."""
    lines = []
    for i in range(n):
        credit = i % 4 == 3
        amount = round(12.5 * (i + 1) + i / 100, 2)
        lines.append([dt.date(2023, 1 + i % 12, 1 + i % 28), 700000 if credit else 604000 + (i % 3) * 1000,
                      f"Werken  fase {i % 5} ", f"P{i % 6}" if i % 7 else None, "VERK" if credit else "AANK",
                      f"2024/{i:04d}" if i % 5 else None, None if credit else amount, amount if credit else None])
    debit = round(sum(r[6] or 0 for r in lines), 2)
    credit = round(sum(r[7] or 0 for r in lines), 2)
    top = [["Grootboekkaart IGEMO"], ["Periode 2023"], []] if title else []
    return [*top, HEADER, *lines, ["Totaal", None, None, None, None, None, debit, credit]]


def xlsxwriter_book(rows: list[list], *, inline: bool = False, first_col: int = 0, sheets: int = 1) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": inline})
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for k in range(sheets):
        sheet = book.add_worksheet("Grootboek" if k == 0 else f"Blad{k}")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, (dt.date, dt.datetime)):
                    sheet.write_datetime(r, first_col + c, value, dates)
                elif value is not None:
                    sheet.write(r, first_col + c, value)
    book.close()
    return buffer.getvalue()


def openpyxl_book(rows: list[list], *, iso_dates: bool = False) -> bytes:
    book = openpyxl.Workbook(iso_dates=iso_dates)
    sheet = book.active
    sheet.title = "Grootboek"
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_col=1, max_col=1):
        for cell in cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ordinary(data: bytes) -> SheetColumns:
    """The sheet as the ordinary reader holds it (python-calamine's rows in column form)."""
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Grootboek")
    return SheetColumns.from_rows(sheet.iter_rows(), shape=(sheet.end[0] + 1, sheet.end[1] + 1))


def fast(data: bytes, **limits) -> SheetColumns | None:
    ends = SheetEnds()
    check_upload(data, "g.xlsx", formats=LEDGER_FORMATS, observe=ends)
    read = read_sheet_fast(data, ends, **(limits or SMALL))
    if read is None:
        return None
    assert read[0] == "Grootboek"
    return read[1]


def assert_same_cells(got: SheetColumns, want: SheetColumns) -> None:
    assert (len(got), got.width) == (len(want), want.width)
    for i in range(len(want)):
        assert got[i] == want[i] and [type(v) for v in got[i]] == [type(v) for v in want[i]], i
    for j in range(want.width):
        for start in (0, 4):
            column, expected = list(got.column(j, start)), list(want.column(j, start))
            assert column == expected and [type(v) for v in column] == [type(v) for v in expected]
            texts, expected_texts = got.texts(j, start), want.texts(j, start)
            assert (texts is None) == (expected_texts is None)
            assert texts is None or texts.equals(expected_texts)


def assert_same_ledger(got: SheetColumns, want: SheetColumns) -> None:
    slow = ledger_from_tables([Table("Grootboek", want)], "g.xlsx")
    quick = ledger_from_tables([Table("Grootboek", got)], "g.xlsx")
    assert quick.lines.dtypes.equals(slow.lines.dtypes)
    assert quick.lines.equals(slow.lines) and quick.skipped.equals(slow.skipped)
    assert (quick.actual_mask == slow.actual_mask).all()
    assert (quick.rows_read, quick.file_total_cents, quick.header_row, quick.header_signature, quick.columns) == \
        (slow.rows_read, slow.file_total_cents, slow.header_row, slow.header_signature, slow.columns)


BOOKS = {
    "xlsxwriter, shared strings": lambda rows: xlsxwriter_book(rows),
    "xlsxwriter, inline strings": lambda rows: xlsxwriter_book(rows, inline=True),
    "openpyxl": openpyxl_book,
}


@pytest.mark.parametrize("writer", BOOKS)
@pytest.mark.parametrize("title", [True, False])
def test_fast_read_equals_the_ordinary_read(writer, title):
    data = BOOKS[writer](ledger_rows(title=title))
    got, want = fast(data), ordinary(data)
    assert got is not None
    assert_same_cells(got, want)
    assert_same_ledger(got, want)
    read = ledger_from_tables([Table("Grootboek", got)], "g.xlsx")
    assert read.file_total_cents == read.net_total_cents and read.lines["project_code"].isna().any()


def test_a_sheet_long_enough_is_read_fast_by_read_tables():
    rows = ledger_rows(MIN_BODY_ROWS + HEAD_ROWS + TAIL_ROWS)
    data = xlsxwriter_book(rows, inline=True)
    assert fast(data, head_rows=HEAD_ROWS, tail_rows=TAIL_ROWS, min_body_rows=MIN_BODY_ROWS) is not None
    (table,), (slow,) = read_tables(data, "g.xlsx"), read_tables(data, "g.xlsx", fast=False)
    assert table.sheet == slow.sheet == "Grootboek"
    assert_same_cells(table.rows, slow.rows)
    assert_same_ledger(table.rows, slow.rows)


def test_blank_rows_and_a_text_column_in_the_body():
    rows = ledger_rows()
    rows[12] = [None] * 8
    rows[15][1] = None
    for row in rows[4:-1]:
        row[6] = None if row[6] is None else f"{row[6]:.2f}".replace(".", ",")  # text amounts
    data = xlsxwriter_book(rows)
    got, want = fast(data), ordinary(data)
    assert got is not None
    assert_same_cells(got, want)


@pytest.mark.parametrize("case", ["text in a number column", "time of day", "column A empty", "two sheets",
                                  "iso dates", "too few rows"])
def test_the_ordinary_read_decides_when_the_sheet_is_not_plain(case):
    rows = ledger_rows()
    if case == "text in a number column":
        rows[20][1] = "zeshonderdduizend"
    elif case == "time of day":
        rows[20][0] = dt.datetime(2023, 5, 1, 10, 30)
    data = {
        "column A empty": lambda: xlsxwriter_book(rows, first_col=1),
        "two sheets": lambda: xlsxwriter_book(rows, sheets=2),
        "iso dates": lambda: openpyxl_book(rows, iso_dates=True),
    }.get(case, lambda: xlsxwriter_book(rows))()
    limits = {**SMALL, "min_body_rows": 100} if case == "too few rows" else SMALL
    assert fast(data, **limits) is None


def test_a_long_file_with_an_invalid_line_is_refused_as_before():
    rows = ledger_rows(MIN_BODY_ROWS + HEAD_ROWS + TAIL_ROWS)
    rows[600][0] = "31/02/2023"
    with pytest.raises(LedgerError) as info:
        read_ledger(xlsx_writer := xlsxwriter_book(rows), filename="g.xlsx")
    assert fast(xlsx_writer, head_rows=HEAD_ROWS, tail_rows=TAIL_ROWS, min_body_rows=MIN_BODY_ROWS) is None
    assert [(p.sheet, p.row, p.column) for p in info.value.problems] == [("Grootboek", 601, "Boekdatum (A)")]


def test_the_rows_both_readers_read_must_agree(monkeypatch):
    import igemo_fin.inputs.sheet_fast as sheet_fast

    data = xlsxwriter_book(ledger_rows())
    assert fast(data) is not None
    calamine_rows = sheet_fast._calamine_rows

    def disagreeing(*args):  # as if python-calamine read an overlapping row's account otherwise
        name, start, rows = calamine_rows(*args)
        if len(rows) > 6 and isinstance(rows[6][1], float):
            rows[6][1] = int(rows[6][1])
        return name, start, rows

    monkeypatch.setattr(sheet_fast, "_calamine_rows", disagreeing)
    assert fast(data) is None


def test_an_empty_column_is_read_without_a_warning(caplog):
    """fastexcel warns for each column without a cell; a ledger's unused credit column is ordinary."""
    import fastexcel

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    for i in range(5):
        sheet.write(i, 0, i)
        sheet.write(i, 2, "x")
    book.close()
    with caplog.at_level(logging.DEBUG):
        body = fastexcel.read_excel(out.getvalue()).load_sheet(0, header_row=None, dtype_coercion="strict",
                                                               eager=True)
        logging.getLogger("fastexcel.types.dtype").warning("another warning")
    assert body.num_columns == 3
    assert [r.getMessage() for r in caplog.records] == ["another warning"]
