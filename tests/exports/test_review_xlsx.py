"""The lists for correction as Excel: every line, its text never a formula, amounts as numbers."""

from __future__ import annotations

import io

import openpyxl

from igemo_fin.exports.review_xlsx import lines_xlsx
from igemo_fin.review.lines import classify_lines
from igemo_fin.review.overhead import misdirected_lines
from review_ledger import ledger_lines, portfolio


def test_list_round_trip_and_formula_text():
    lines = ledger_lines()
    lines.loc[lines["row"] == 10, "description"] = '=HYPERLINK("http://example.invalid","klik")'
    listed = misdirected_lines(classify_lines(lines, portfolio()), portfolio(), 2026)
    book = openpyxl.load_workbook(io.BytesIO(lines_xlsx(listed, title="Lijnen op een onbekend project")))
    sheet = book.active
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["Datum", "Dagboek", "Stuknummer", "Rekening"] and header[-1] == "Correcte projectcode"
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [r[header.index("Stuknummer")] for r in body] == ["D10", "D11"]
    assert [r[header.index("Bedrag (kost)")] for r in body] == [1200, 800]
    cell = sheet.cell(4, header.index("Omschrijving") + 1)
    assert cell.data_type == "s" and cell.quotePrefix
