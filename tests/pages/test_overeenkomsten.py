"""AppTest tests of the page Overeenkomsten: it renders the engine's figures and its what-ifs react."""

from __future__ import annotations

import pytest

from apptest_support import assert_clean, find_metric, open_page
from conftest import DEMO_WORKBOOK
from igemo_fin.agreements.invoicing import prefinancing, signing_proposal
from igemo_fin.agreements.summary import agreements_view
from igemo_fin.fmt import eur
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.valuation.evaluate import evaluate

PAGE = "pages/overeenkomsten.py"


@pytest.fixture
def demo(monkeypatch, tmp_path):
    monkeypatch.setenv("IGEMO_WORKBOOK", str(DEMO_WORKBOOK))
    monkeypatch.setenv("IGEMO_DEMO", "1")
    monkeypatch.setenv("IGEMO_DB", str(tmp_path / "geen" / "igemo.db"))
    return evaluate(read_workbook(DEMO_WORKBOOK))


def test_page_shows_the_engines_figures(demo):
    at = open_page(PAGE)
    assert_clean(at)
    view = agreements_view(demo)
    assert find_metric(at, "Aandeel IGEMO in de grondfondsen").value == eur(view.totals()["igemo_share"])
    assert find_metric(at, "Cofinanciering nog te factureren").value == eur(view.totals()["cofinancing_to_invoice"], 2)
    funds = [d.value for d in at.dataframe if "Blootstelling IGEMO" in d.value.columns and "Fonds" in d.value.columns]
    assert sorted(funds[0]["Fonds"]) == sorted(view.settlements["fonds"])


def test_signing_what_if_follows_the_engine(demo):
    at = open_page(PAGE)
    at.slider(key="overeenk_pct").set_value(50).run()
    assert_clean(at)
    code = at.selectbox(key="overeenk_project").value
    basis = demo.basis
    terms = signing_proposal(basis.portfolio.agreements.terms, code, 50, demo.valuation_year, 30)
    table, _ = prefinancing(basis, terms)
    expected = table.set_index("project_code").loc[code, "interest_saved"]
    assert find_metric(at, "Rente bespaard").value == eur(expected)


def test_fund_revision_changes_the_igemo_share(demo):
    at = open_page(PAGE)
    at.slider(key="overeenk_aandeel").set_value(0).run()
    assert_clean(at)
    what_if = [d.value for d in at.dataframe if "Versie" in d.value.columns][0]
    assert list(what_if["Versie"]) == ["huidig", "herzien"]
    assert what_if["IGEMO"].iloc[0] != what_if["IGEMO"].iloc[1]
