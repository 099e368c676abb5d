"""What a municipality's board pack holds: its own projects, nothing of IGEMO's own (equity, description, file)."""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pytest

from igemo_fin.exports.boardpack_pdf import board_pack_pdf
from igemo_fin.exports.boardpack_xlsx import board_pack_xlsx
from igemo_fin.fmt import eur
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.valuation.evaluate import evaluate
from ui import visibility
from ui.roles import AppUser

from conftest import DEMO_WORKBOOK

LIER = AppUser("lier", frozenset({"gemeente"}), "Lier")


@pytest.fixture(scope="module")
def demo():
    portfolio = read_workbook(DEMO_WORKBOOK)
    return portfolio, evaluate(portfolio)


@pytest.fixture
def as_lier(monkeypatch, demo):
    monkeypatch.setattr(visibility, "current_user", lambda: LIER)
    portfolio, ev = demo
    seen = visibility.visible_projects(LIER.roles, LIER.gemeente, ev)
    return visibility.portfolio_for_user(portfolio, seen), seen


def workbook_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


def others(demo) -> list[str]:
    portfolio, _ = demo
    return [c for c, g in zip(portfolio.projects["project_code"], portfolio.projects["gemeente"]) if g != "Lier"]


def test_the_portfolio_is_cut(as_lier, demo):
    pack, seen = as_lier
    portfolio, _ = demo
    assert portfolio.settings.eigen_vermogen and portfolio.settings.extra.get("omschrijving")  # the demo has them
    assert pack.settings.eigen_vermogen is None and pack.settings.extra == {} and pack.source_name is None
    assert set(pack.projects["project_code"]) == set(pack.cashflows["project_code"]) == {"WO-03", "GM-01"}
    assert seen.figures["project_code"].tolist() == ["WO-03", "GM-01"]


def test_readers_get_everything(monkeypatch, demo):
    monkeypatch.setattr(visibility, "current_user", lambda: AppUser("bert", frozenset({"bestuur"})))
    portfolio, ev = demo
    assert visibility.portfolio_for_user(portfolio, ev) is portfolio


def test_the_excel_pack(as_lier, demo):
    pack, seen = as_lier
    portfolio, _ = demo
    text = workbook_text(board_pack_xlsx(pack, seen))
    assert "WO-03" in text and "GM-01" in text
    assert not [c for c in others(demo) if c in text]
    equity = portfolio.settings.eigen_vermogen
    assert "Eigen vermogen niet opgegeven" in text  # the row stays, without IGEMO's figure
    assert str(equity) not in text and str(int(equity)) not in text and eur(equity) not in text
    assert portfolio.settings.extra["omschrijving"] not in text
    assert DEMO_WORKBOOK.name not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed (pdftotext)")
def test_the_pdf_pack(as_lier, demo, tmp_path):
    pack, seen = as_lier
    portfolio, _ = demo
    pdf = tmp_path / "pakket.pdf"
    pdf.write_bytes(board_pack_pdf(pack, seen))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "WO-03" in text and "GM-01" in text
    assert not [c for c in others(demo) if c in text]
    assert "Eigen vermogen" not in text and eur(portfolio.settings.eigen_vermogen) not in text
    assert portfolio.settings.extra["omschrijving"][:40] not in " ".join(text.split())
    assert DEMO_WORKBOOK.name not in text


def test_the_overview_page_builds_the_pack_from_what_lier_sees(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from igemo_fin.records.store import Store
    from igemo_fin.records.users import add_user

    from apptest_support import sign_in, through_entry_script
    from conftest import ROOT

    through_entry_script(monkeypatch)
    monkeypatch.setenv("IGEMO_WORKBOOK", str(DEMO_WORKBOOK))
    monkeypatch.setenv("IGEMO_DB", str(tmp_path / "app.db"))
    add_user(Store(tmp_path / "app.db"), "lier", role="gemeente", gemeente="Lier", password="correct-horse-battery")
    handed = []
    real = visibility.portfolio_for_user
    monkeypatch.setattr(visibility, "portfolio_for_user", lambda p, ev: handed.append(real(p, ev)) or handed[-1])
    sign_in(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60), "lier").run()
    assert len(handed) == 1
    assert handed[0].source_name is None and handed[0].settings.eigen_vermogen is None
    assert set(handed[0].projects["project_code"]) == {"WO-03", "GM-01"}
