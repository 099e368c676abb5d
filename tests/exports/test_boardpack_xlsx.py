"""igemo_fin.exports.boardpack_xlsx and boardpack_project_sheet: the Excel pack recalculated by LibreOffice
finds the engine's figures.

LibreOffice is driven headless with its own throw-away profile set to "always recalculate on load",
and the pack's cached formula results are stripped first: every number compared below was computed
by LibreOffice from the formulas, not copied from the engine.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace

import openpyxl

from igemo_fin.exports.boardpack_agreements import AGREEMENTS_SHEET
import pandas as pd
import pytest

from conftest import HOSTILE_NAME
from igemo_fin.exports.boardpack_mpg import OUTLOOK_SHEET
from igemo_fin.exports.boardpack_xlsx import (KEY_FIGURE_CELLS, SUMMARY_SHEET, VERDICT_SHEET, board_pack_xlsx,
                                              project_sheet_names)
from igemo_fin.valuation.rules import VERDICTS
from igemo_fin.valuation.evaluate import evaluate

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)")

MONEY_FIGURES = [k for k in KEY_FIGURE_CELLS if k not in ("irr_full_life", "margin_pct")]


@pytest.fixture(scope="module", params=["demo", "allocated"])
def case(request, pack_demo, pack_allocated):
    return {"demo": pack_demo, "allocated": pack_allocated}[request.param]


# --------------------------------------------------------------------------- LibreOffice

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def strip_cached_results(xlsx: bytes) -> bytes:
    """The same workbook without the cached result of any formula (``<f>..</f><v>..</v>`` -> ``<f>..</f>``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                text = re.sub(r'(<c [^>]*?)(?: t="(?:str|n|b|e)")?>(<f>[^<]*</f>)(?:<v>[^<]*</v>|<v\s*/>)',
                              r"\1>\2", text)
                assert not re.search(r"</f><v>[^<]", text), "a cached formula result is left"
                data = text.encode("utf-8")
            dst.writestr(item, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def recalc(tmp_path_factory):
    """``recalc(xlsx_bytes) -> openpyxl workbook`` with every value computed by LibreOffice."""
    root = tmp_path_factory.mktemp("libreoffice")
    profile = root / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    counter = {"n": 0}

    def run(xlsx: bytes):
        counter["n"] += 1
        source = root / f"pack{counter['n']}.xlsx"
        source.write_bytes(strip_cached_results(xlsx))
        out = root / f"out{counter['n']}"
        done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                               "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                              capture_output=True, text=True, timeout=180)
        result = out / source.name
        assert result.exists(), f"LibreOffice wrote nothing: {done.stdout} {done.stderr}"
        return openpyxl.load_workbook(result, data_only=True)

    return run


@pytest.fixture(scope="module")
def recalculated(case, recalc):
    portfolio, ev = case
    return portfolio, ev, recalc(board_pack_xlsx(portfolio, ev))


def close(actual, expected, *, money: bool) -> bool:
    """Within EUR 1 or 1e-6 relative (money), within 1e-4 absolute (rates)."""
    if money:
        return abs(actual - expected) <= max(1.0, 1e-6 * abs(expected))
    return abs(actual - expected) <= 1e-4


# --------------------------------------------------------------------------- Excel: structure

class TestWorkbookLayout:
    def test_sheets(self, case):
        portfolio, ev = case
        book = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(portfolio, ev)))
        names = project_sheet_names(ev.figures["project_code"].tolist())
        # A workbook with agreements (the demo) adds their sheet last (tests/exports/test_boardpack_agreements.py).
        last = [AGREEMENTS_SHEET] if not portfolio.agreements.empty else []
        assert book.sheetnames == [SUMMARY_SHEET, VERDICT_SHEET, *names.values(), OUTLOOK_SHEET, *last]

    def test_key_figures_are_formulas_over_the_sheet(self, case):
        portfolio, ev = case
        book = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(portfolio, ev)))
        names = project_sheet_names(ev.figures["project_code"].tolist())
        for code, name in names.items():
            sheet = book[name]
            for key, cell in KEY_FIGURE_CELLS.items():
                assert sheet[cell].data_type == "f", (code, key)
                assert "!" not in sheet[cell].value, "a key figure refers to another sheet"
            assert sheet[KEY_FIGURE_CELLS["npv_forward"]].value.startswith("=SUMPRODUCT(")
            assert "IRR(" in sheet[KEY_FIGURE_CELLS["irr_full_life"]].value

    def test_cached_results_are_the_engine_figures(self, case):
        """A viewer that does not recalculate (a phone, a mail preview) shows the engine's numbers."""
        portfolio, ev = case
        book = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(portfolio, ev)), data_only=True)
        names = project_sheet_names(ev.figures["project_code"].tolist())
        for f in ev.figures.to_dict("records"):
            sheet = book[names[f["project_code"]]]
            assert sheet[KEY_FIGURE_CELLS["npv_forward"]].value == pytest.approx(f["npv_forward"], abs=1e-6)
            irr = sheet[KEY_FIGURE_CELLS["irr_full_life"]].value
            assert irr == "geen" if math.isnan(f["irr_full_life"]) else irr == pytest.approx(f["irr_full_life"])

    def test_allocated_interest_is_a_value_with_a_note(self, pack_allocated):
        portfolio, ev = pack_allocated
        book = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(portfolio, ev)))
        sheet = book["A"]
        rows = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)
                if isinstance(sheet.cell(r, 1).value, int)}
        for year in (2020, 2021, 2022, 2023):
            cell = sheet.cell(rows[year], 10)
            assert cell.data_type == "n" and cell.comment is not None
            assert "Werkelijk betaalde rente van" in cell.comment.text and "verdeeld" in cell.comment.text
        for year in (2019, 2024, 2025):
            assert sheet.cell(rows[year], 10).data_type == "f"
            assert sheet.cell(rows[year], 10).comment is None

    def test_hostile_texts_are_text(self, pack_allocated):
        portfolio, ev = pack_allocated
        book = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(portfolio, ev)))
        found = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and ("HYPERLINK" in cell.value or "@Mechelen" in cell.value):
                        assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                        if cell.value.startswith(("=", "@")):
                            assert cell.quotePrefix, (sheet.title, cell.coordinate)
                        found.append(cell.value)
        assert HOSTILE_NAME in found and "@Mechelen" in found

    def test_sheet_names(self):
        names = project_sheet_names(["x" * 40, "x" * 39 + "y", "Oordelen", "a:b", "'q'"])
        assert list(names.values()) == ["x" * 31, "x" * 27 + " (2)", "Oordelen (2)", "a_b", "q"]


# --------------------------------------------------------------------------- Excel: LibreOffice

@needs_soffice
class TestLibreOfficeRecalculation:
    def test_key_figures(self, recalculated):
        portfolio, ev, book = recalculated
        names = project_sheet_names(ev.figures["project_code"].tolist())
        problems = []
        for f in ev.figures.to_dict("records"):
            sheet = book[names[f["project_code"]]]
            for key in MONEY_FIGURES:
                got = sheet[KEY_FIGURE_CELLS[key]].value
                if not isinstance(got, (int, float)) or not close(got, f[key], money=True):
                    problems.append((f["project_code"], key, got, f[key]))
            got = sheet[KEY_FIGURE_CELLS["irr_full_life"]].value
            if math.isnan(f["irr_full_life"]):
                if got != "geen":
                    problems.append((f["project_code"], "irr", got, "geen"))
            elif not isinstance(got, float) or not close(got, f["irr_full_life"], money=False):
                problems.append((f["project_code"], "irr", got, f["irr_full_life"]))
            got = sheet[KEY_FIGURE_CELLS["margin_pct"]].value
            if not math.isnan(f["margin_pct"]) and not close(got, f["margin_pct"] / 100, money=False):
                problems.append((f["project_code"], "margin", got, f["margin_pct"] / 100))
        assert problems == []

    def test_every_year(self, recalculated):
        """Book value, average balance, interest and closing value per year, as LibreOffice computes them."""
        portfolio, ev, book = recalculated
        names = project_sheet_names(ev.figures["project_code"].tolist())
        average = ev.interest.average_balance
        years = list(ev.matrix.years)
        for i, code in enumerate(ev.matrix.codes):
            sheet = book[names[code]]
            yearly = ev.yearly[ev.yearly["project_code"] == code].sort_values("jaar")
            rows = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)
                    if isinstance(sheet.cell(r, 1).value, int) and sheet.cell(r, 2).value is not None}
            assert sorted(rows) == yearly["jaar"].tolist()
            for y in yearly.itertuples(index=False):
                r = rows[y.jaar]
                got = {c: sheet.cell(r, c).value for c in (5, 7, 8, 9, 10, 11)}
                assert got[5] == pytest.approx(y.net_flow, abs=1e-6)
                assert got[7] == (366 if y.jaar % 4 == 0 else 365)
                assert got[8] == pytest.approx(y.book_value_start, abs=0.01)
                assert got[9] == pytest.approx(average[i, years.index(y.jaar)], abs=0.01)
                assert got[10] == pytest.approx(y.interest, abs=0.01)
                assert got[11] == pytest.approx(y.book_value_end, abs=0.01)

    def test_summary_and_verdicts(self, recalculated):
        portfolio, ev, book = recalculated
        totals = ev.portfolio_totals()
        sheet = book[SUMMARY_SHEET]
        values = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(1, 30)}
        from igemo_fin.exports.boardpack_content import VERDICT_MEANING, VERDICT_WORDS
        for verdict in VERDICTS:
            assert values[f"{VERDICT_WORDS[verdict]}: {VERDICT_MEANING[verdict]}"] == totals["verdict_counts"][verdict]
        V = ev.valuation_year
        for label, key in [("Aantal projecten", "project_count"), ("Actieve projecten", "active_count"),
                           ("Contante waarde van wat nog komt (actieve projecten)", "npv_forward_active"),
                           ("Boekwaarde op 1 januari (alle projecten)", "book_value_total"),
                           ("Boekwaarde op 1 januari (actieve projecten)", "book_value_active"),
                           ("Kaskrediet opgenomen op 1 januari (positieve boekwaarden van actieve projecten)",
                            "credit_drawn"),
                           ("Resultaat over de hele looptijd (alle projecten)", "result_nominal_total"),
                           ("Resultaat over de hele looptijd (actieve projecten)", "result_nominal_active"),
                           ("Rente totaal", "interest_total"), (f"Rente vanaf {V}", "interest_future")]:
            assert close(values[label], totals[key], money=True), (label, values[label], totals[key])
        verdicts = book[VERDICT_SHEET]
        listed = {verdicts.cell(r, 1).value: verdicts.cell(r, 4).value for r in range(5, verdicts.max_row + 1)}
        active = ev.figures[ev.figures["status"] == "actief"]
        assert listed == dict(zip(active["project_code"], active["verdict"]))

    def test_changing_a_cash_flow_moves_the_figures(self, pack_allocated, recalc):
        """The audit use: change a future sale on the sheet and the NPV, result and summary follow."""
        portfolio, ev = pack_allocated
        V, r = ev.valuation_year, ev.discount_rate_pct / 100
        book = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(portfolio, ev)))
        sheet = book["A"]
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == 2026)
        sheet.cell(row, 4).value = sheet.cell(row, 4).value + 1_000_000  # opbrengsten 2026
        buffer = io.BytesIO()
        book.save(buffer)
        after = recalc(buffer.getvalue())
        a = ev.figures.set_index("project_code").loc["A"]
        npv = after["A"][KEY_FIGURE_CELLS["npv_forward"]].value
        assert npv == pytest.approx(a["npv_forward"] + 1_000_000 / (1 + r) ** (2026 - V + 0.5), abs=0.01)
        assert after["A"][KEY_FIGURE_CELLS["result_nominal"]].value > a["result_nominal"] + 1_000_000 - 1
        summary = {after[SUMMARY_SHEET].cell(i, 1).value: after[SUMMARY_SHEET].cell(i, 2).value for i in range(1, 30)}
        assert summary["Contante waarde van wat nog komt (actieve projecten)"] == pytest.approx(
            ev.portfolio_totals()["npv_forward_active"] + npv - a["npv_forward"], abs=0.01)


def test_project_without_flows(pack_allocated):
    """An active project without any forecast still gets a sheet: values, no formulas."""
    portfolio, _ = pack_allocated
    extra = portfolio.projects.iloc[[0]].assign(project_code="LEEG", naam="Leeg project", status="actief")
    bare = replace(portfolio, projects=pd.concat([portfolio.projects, extra], ignore_index=True))
    ev = evaluate(bare)
    book = openpyxl.load_workbook(io.BytesIO(board_pack_xlsx(bare, ev)))
    assert book["LEEG"][KEY_FIGURE_CELLS["npv_forward"]].value == 0
    assert book["LEEG"][KEY_FIGURE_CELLS["npv_forward"]].data_type == "n"
