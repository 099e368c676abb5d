"""The board pack's agreements section: in both files with the engine's figures, absent without agreements."""

import io

import openpyxl

from agreement_books import agreement_sheets
from igemo_fin.exports.boardpack_agreements import AGREEMENTS_SHEET, agreement_tables
from igemo_fin.exports.boardpack_pdf import board_pack_pdf
from igemo_fin.exports.boardpack_xlsx import board_pack_xlsx
from igemo_fin.fmt import eur
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.valuation.evaluate import evaluate


def test_tables_hold_the_hand_worked_figures(write_book):
    portfolio = read_workbook(write_book(agreement_sheets()))
    tables = dict((title, rows) for title, _, rows in agreement_tables(portfolio, evaluate(portfolio)))
    # Fund F closes at 490: IGEMO 196, the partner 294 (tests/agreements/test_land_funds.py).
    assert tables["Grondfondsen: verwachte afrekening"] == [["Fonds F", "Mechelen", "2028", eur(490), eur(196), eur(294)]]
    assert tables["Cofinanciering van subsidies door de gemeenten"][0][-1] == eur(250, 2)


def test_sheet_in_the_excel_pack(write_book):
    portfolio = read_workbook(write_book(agreement_sheets()))
    book = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(portfolio, evaluate(portfolio))))
    assert AGREEMENTS_SHEET in book.sheetnames
    assert book[AGREEMENTS_SHEET]["A1"].value == "Grondfondsen: verwachte afrekening"
    assert board_pack_pdf(portfolio, evaluate(portfolio)).startswith(b"%PDF")


def test_no_section_without_agreements(book):
    portfolio = book()
    assert agreement_tables(portfolio, evaluate(portfolio)) == []
    sheets = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(portfolio, evaluate(portfolio)))).sheetnames
    assert AGREEMENTS_SHEET not in sheets
