"""The board pack's Meerjarenperspectief: live equity formulas in Excel, the path and waterfall in the PDF."""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pytest

from igemo_fin.exports.boardpack_mpg import OUTLOOK_FIRST_ROW, OUTLOOK_SHEET, waterfall_png
from igemo_fin.exports.boardpack_pdf import board_pack_pdf
from igemo_fin.exports.boardpack_xlsx import board_pack_xlsx
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.outlook.path import outlook_path
from igemo_fin.outlook.waterfall import waterfall
from igemo_fin.valuation.basis import Basis, SimulationSettings
from igemo_fin.valuation.evaluate import evaluate

from outlook_cases import new_sheets, old_sheets


@pytest.fixture
def case(write_book):
    ev = evaluate(read_workbook(write_book(old_sheets())), simulation=SimulationSettings(iterations=0))
    return ev, outlook_path(ev)


def test_the_equity_is_a_live_formula_over_the_inputs(case):
    ev, path = case
    sheet = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(ev.basis.portfolio, ev)))[OUTLOOK_SHEET]
    first = OUTLOOK_FIRST_ROW
    assert sheet["B4"].value == 1_000_000
    assert sheet[f"J{first}"].value == f"=$B$4+F{first}-G{first}-H{first}+I{first}"
    assert sheet[f"J{first + 1}"].value == f"=J{first}+F{first + 1}-G{first + 1}-H{first + 1}+I{first + 1}"
    assert sheet[f"K{first}"].value == f'=IF(B{first}>0,J{first}/B{first},"")'
    # Recalculate the chain as Excel would: it lands on the engine's equity, year by year.
    equity = sheet["B4"].value
    for i, expected in enumerate(path["equity"]):
        row = first + i
        value = lambda col: sheet[f"{col}{row}"].value or 0.0  # noqa: E731
        equity = equity + value("F") - value("G") - value("H") + value("I")
        assert sheet[f"A{row}"].value == path["jaar"].iloc[i]
        assert equity == pytest.approx(expected, abs=0.005)


def test_the_risk_capacity_says_when_it_is_measured(case):
    # At 1/1/2025: 1,000,000 over IGEMO's 30,000 of B's forecast loss (every open project); per year at 31/12.
    ev, _ = case
    sheet = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(ev.basis.portfolio, ev)))[OUTLOOK_SHEET]
    assert sheet["A5"].value == "Weerstandsvermogen op 1/1/2025"
    assert (sheet["B5"].value, sheet["D5"].value) == ('=IF(D5>0,B4/D5,"")', pytest.approx(30_000))
    assert sheet[f"M{OUTLOOK_FIRST_ROW - 1}"].value == "Weerstandsvermogen 31/12"


def test_without_equity_there_is_no_opening_ratio(write_book):
    """No ``eigen_vermogen``: the Risico page shows no ratio, so neither does B5 (a formula over B4's 0 would)."""
    sheets = old_sheets()
    sheets["instellingen"] = sheets["instellingen"][sheets["instellingen"]["parameter"] != "eigen_vermogen"]
    ev = evaluate(read_workbook(write_book(sheets)), simulation=SimulationSettings(iterations=0))
    sheet = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(ev.basis.portfolio, ev)))[OUTLOOK_SHEET]
    assert ev.simulation is None or ev.simulation.summary["eigen_vermogen"] is None
    assert (sheet["B4"].value, sheet["B5"].value, sheet["D5"].value) == (0, "–", pytest.approx(30_000))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed (pdftotext)")
def test_the_pdf_has_the_path_and_the_waterfall(case, tmp_path):
    ev, _ = case
    target = tmp_path / "pack.pdf"
    target.write_bytes(board_pack_pdf(ev.basis.portfolio, ev))
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    text = text.replace("\u00a0", " ")
    assert "Meerjarenperspectief" in text and "€ 1.012.500" in text
    assert "Verschillenanalyse tegenover de waardering van 2024" in text
    assert "Weerstandsvermogen op 1/1/2025: 33,33 (klasse A: uitstekend)" in " ".join(text.split())


def test_waterfall_chart_is_a_png(write_book):
    off = SimulationSettings(iterations=0)
    w = waterfall(Basis.of(read_workbook(write_book(old_sheets())), simulation=off),
                  Basis.of(read_workbook(write_book(new_sheets())), simulation=off))
    assert waterfall_png(w).startswith(b"\x89PNG")


def test_a_municipalitys_pack_has_no_outlook(case):
    from dataclasses import replace

    ev, _ = case
    own = ev.basis.portfolio
    pack = replace(own, settings=replace(own.settings, eigen_vermogen=None, extra={}), source_name=None)
    book = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(pack, ev)))
    assert OUTLOOK_SHEET not in book.sheetnames
    assert OUTLOOK_SHEET in openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(own, ev))).sheetnames
