"""The compact column form of a sheet gives back exactly the cells calamine's row lists hold."""

from __future__ import annotations

import datetime as dt
import io

import pyarrow as pa
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from igemo_fin.inputs.cells import cell_text
from igemo_fin.inputs.ledger import ledger_from_tables
from igemo_fin.inputs.ledger_columns import SheetColumns
from igemo_fin.inputs.ledger_tables import Table


def _workbook(rows: list[list], *, first_row: int = 0, first_col: int = 0) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Grootboek")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, (dt.date, dt.datetime)):
                sheet.write_datetime(first_row + r, first_col + c, value, dates)
            elif value is not None:
                sheet.write(first_row + r, first_col + c, value)
    book.close()
    return buffer.getvalue()


def _both(data: bytes, chunk: int) -> tuple[list[list], SheetColumns]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Grootboek")
    shape = None if sheet.end is None else (sheet.end[0] + 1, sheet.end[1] + 1)
    return sheet.to_python(skip_empty_area=False), SheetColumns.from_rows(sheet.iter_rows(), shape=shape, chunk=chunk)


MIXED = [
    ["Grootboek", None, None, None, None, None],
    ["Boekdatum", "Rekening", "Omschrijving", "Bedrag", "Stuk", "Saldo"],
    [dt.date(2024, 1, 31), 604000, "Werken  fase 1 ", 12.5, "A-1", 0.0],
    [dt.datetime(2024, 2, 1, 10, 30), "604000 Aankopen", "Werken", -0.0, 17, -0.0],
    ["31/03/2024", 700000.5, None, "1.234,56", True, None],
    [None, None, "Totaal", 12.5, None, 0.0],
    [dt.date(2024, 4, 1), 604000, "Werken", 12.5, "A-1", -0.0],
]


@pytest.mark.parametrize("chunk", [1, 2, 3, 1000])
@pytest.mark.parametrize("offset", [(0, 0), (2, 1)])
def test_rows_and_columns_equal_calamines_rows(chunk, offset):
    rows, columns = _both(_workbook(MIXED, first_row=offset[0], first_col=offset[1]), chunk)
    assert len(columns) == len(rows) and columns.width == len(rows[0])
    for i, row in enumerate(rows):
        assert columns[i] == row and [type(v) for v in columns[i]] == [type(v) for v in row]
    for j in range(columns.width):
        for start in (0, 3):
            got = list(columns.column(j, start))
            want = [row[j] for row in rows[start:]]
            assert got == want and [type(v) for v in got] == [type(v) for v in want]
    zeros = [str(v) for v in columns.column(offset[1] + 5, offset[0] + 2)]
    assert zeros == ["0.0", "-0.0", "", "0.0", "-0.0"]  # -0.0 is not folded into 0.0


def test_text_columns_come_as_arrow_only_when_every_cell_is_text():
    rows, columns = _both(_workbook(MIXED), 2)
    assert columns.texts(2, 1).to_pylist() == [row[2] for row in rows[1:]]
    assert columns.texts(4, 1) is None  # numbers and a boolean among the document numbers
    assert columns.texts(0) is None


def test_an_empty_sheet_has_no_rows():
    rows, columns = _both(_workbook([]), 3)
    assert rows == [] and len(columns) == 0 and columns[:] == []


def test_cell_text_of_arrow_texts_equals_the_object_path():
    texts = ["a  b", " x", "", "ok", "é\u00a0 e", "AB-1", "Totaal "]
    assert cell_text(pa.array(texts)).equals(cell_text(texts))


def test_ledger_from_column_form_equals_ledger_from_row_lists():
    header = ["Boekdatum", "Rekening", "Omschrijving", "Projectcode", "Dagboek", "Stuknummer", "Debet", "Credit"]
    lines = [[dt.date(2024, 1, 1 + i % 28), 604000 + (i % 3) * 1000, f"Werken  {i % 5}", f"P{i % 4}" if i % 7 else None,
              "AANK", f"2024/{i:04d}" if i % 5 else i, 100.25 * (i + 1), None] for i in range(40)]
    lines[5][7], lines[5][6] = 12.34, None
    debit = round(sum(r[6] or 0 for r in lines), 2)
    data = _workbook([["Grootboekkaart"], [], header, *lines, ["Totaal", None, None, None, None, None, debit, 12.34]])
    rows, columns = _both(data, 7)
    slow = ledger_from_tables([Table("Grootboek", rows)], "g.xlsx")
    fast = ledger_from_tables([Table("Grootboek", columns)], "g.xlsx")
    assert fast.lines.equals(slow.lines) and fast.skipped.equals(slow.skipped)
    assert (fast.rows_read, fast.file_total_cents, fast.header_row) == (slow.rows_read, slow.file_total_cents,
                                                                        slow.header_row)
    assert fast.header_signature == slow.header_signature


def test_released_tables_give_the_same_ledger_and_hold_no_cells():
    header = ["Boekdatum", "Rekening", "Omschrijving", "Projectcode", "Debet", "Credit"]
    lines = [[dt.date(2024, 3, 1 + i), 604000, f"werk {i}", "P1", 10.5 * (i + 1), None] for i in range(12)]
    rows, columns = _both(_workbook([header, *lines]), 5)
    kept = ledger_from_tables([Table("Grootboek", columns)], "g.xlsx")
    tables = [Table("Grootboek", columns)]
    released = ledger_from_tables(tables, "g.xlsx", release=True)
    assert released.lines.equals(kept.lines) and released.header_signature == kept.header_signature
    assert tables[0].rows == []
