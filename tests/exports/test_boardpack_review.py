"""The board pack's section on the running: the sheet Werking with live formulas, and the PDF's tables."""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pytest

from igemo_fin.exports.boardpack_pdf import board_pack_pdf
from igemo_fin.exports.boardpack_review import REVIEW_SHEET, review_pdf_parts
from igemo_fin.exports.boardpack_xlsx import board_pack_xlsx
from igemo_fin.inputs.example_running_costs import example_full_ledger
from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.review.yearly import yearly_review

PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(scope="module")
def pack(pack_demo):
    portfolio, ev = pack_demo
    return portfolio, ev, yearly_review(portfolio, read_ledger(example_full_ledger()).lines, 2026)


def test_sheet_werking(pack):
    portfolio, ev, review = pack
    book = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(portfolio, ev, review=review)))
    sheet = book[REVIEW_SHEET]
    assert sheet["A5"].value == "Personeel"
    assert sheet["B5"].value == 1_380_000 and sheet["F5"].value == 1_346_700
    assert sheet["G5"].value == "=F5-B5"
    assert [sheet.cell(r, 10).value for r in range(5, 11)].count("ja") == 1
    assert REVIEW_SHEET not in openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(portfolio, ev))).sheetnames


def test_pdf_parts(pack):
    parts = review_pdf_parts(pack[2])
    assert parts[0][1][2][0] == "ICT en software" and parts[0][1][2][-1] == "ja"
    assert [row[0] for row in parts[1][1]][-1] == "Totaal" and len(parts[1][1]) == 15


@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler-utils is not installed (pdftotext)")
def test_pdf_section(pack, tmp_path):
    portfolio, ev, review = pack
    path = tmp_path / "pack.pdf"
    path.write_bytes(board_pack_pdf(portfolio, ev, review=review))
    text = subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, text=True, timeout=60, check=True).stdout
    assert "Werking en budget 2026" in text and "Mechelen" in text
