"""AppTest tests of the page Werking en budget: it renders the demo's review, reacts to the what-if index
year exactly as the engine predicts, refuses a broken sheet with its rows, and only bestuur and financien see it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from igemo_fin.exports.workbook_writer import workbook_bytes
from igemo_fin.fmt import eur, number
from igemo_fin.inputs.example_running_costs import example_full_ledger
from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.review.yearly import yearly_review
from ui.roles import pages_for_role

from conftest import DEMO_WORKBOOK
from apptest_support import assert_clean, find_metric, open_page

PAGE = "pages/werking.py"


@pytest.fixture
def demo(monkeypatch, tmp_path):
    """The demo workbook as a first user sees it: demo mode, no database."""
    monkeypatch.delenv("IGEMO_WORKBOOK", raising=False)
    monkeypatch.setenv("IGEMO_DEMO", "1")
    monkeypatch.setenv("IGEMO_DB", str(tmp_path / "geen" / "igemo.db"))
    portfolio = read_workbook(DEMO_WORKBOOK)
    lines = read_ledger(example_full_ledger()).lines
    return portfolio, lines


def test_demo_review(demo):
    portfolio, lines = demo
    expected = yearly_review(portfolio, lines, 2026)
    at = open_page(PAGE)
    assert_clean(at)
    assert find_metric(at, "Prognose werking 2026").value == eur(expected.total["forecast"])
    assert find_metric(at, "Kostengroepen boven de index").value == "1"
    assert find_metric(at, "Lijnen buiten de projecten").value == number(4)
    assert find_metric(at, "Kloof met de werkingskosten").value == eur(expected.coverage["gap"])
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Projectrekeningen zonder projectcode downloaden (Excel)",
                      "Kosten op een onbekend of afgesloten project downloaden (Excel)"]


def test_index_year_what_if(demo):
    portfolio, lines = demo
    expected = yearly_review(portfolio, lines, 2026, index_year=2022)
    at = open_page(PAGE)
    at.selectbox(key="werking_indexjaar").set_value(2022).run()
    assert_clean(at)
    assert find_metric(at, "Kloof na herindexering").value == eur(expected.coverage["gap_reindexed"])


def test_previous_year_is_complete(demo):
    portfolio, lines = demo
    expected = yearly_review(portfolio, lines, 2025)
    at = open_page(PAGE)
    at.selectbox(key="werking_jaar").set_value(2025).run()
    assert_clean(at)
    assert find_metric(at, "Prognose werking 2025").value == eur(expected.total["forecast"])


def test_broken_sheet_is_refused_with_its_row(monkeypatch, tmp_path):
    import pandas as pd

    from conftest import load_script

    sheets = load_script("make_demo_data").demo_sheets()
    sheets["index"] = pd.DataFrame({"jaar": [2025, 2026], "waarde": [135.0, -1.0]})
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(workbook_bytes(sheets))
    monkeypatch.setenv("IGEMO_WORKBOOK", str(path))
    monkeypatch.setenv("IGEMO_DEMO", "1")
    monkeypatch.setenv("IGEMO_DB", str(tmp_path / "geen" / "igemo.db"))
    at = open_page(PAGE)
    assert not at.exception
    assert at.error and "werking" in at.error[0].value
    assert any("indexwaarde -1" in str(v) for t in at.dataframe for v in t.value.to_numpy().ravel())


@pytest.mark.parametrize("role, sees", [("bestuur", True), ("financien", True), ("gemeente", False),
                                        ("beheer", False)])
def test_who_sees_the_page(role, sees):
    page = SimpleNamespace(_url_path="werking", url_path="werking", title="Werking en budget")
    assert bool(pages_for_role(role, {"x": [page]})) is sees
