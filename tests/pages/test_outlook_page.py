"""AppTest of the page Meerjarenperspectief: it renders on the demo, shows the engine's path and
waterfall, and the Overzicht shows the outlook's alert when a portfolio threshold is crossed."""

from __future__ import annotations

import pytest

from igemo_fin.fmt import eur
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.outlook.path import outlook_path
from igemo_fin.outlook.waterfall import STEPS, waterfall
from igemo_fin.risk.capacity import ratio_text
from igemo_fin.valuation.evaluate import evaluate
from ui.roles import PAGE_ROLES

from apptest_support import assert_clean, find_metric, open_page
from conftest import DEMO_WORKBOOK, thresholds
from outlook_cases import old_sheets

PAGE = "pages/meerjarenperspectief.py"


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("IGEMO_WORKBOOK", str(DEMO_WORKBOOK))
    return evaluate(read_workbook(DEMO_WORKBOOK))


def test_the_page_shows_the_engines_path(demo):
    at = open_page(PAGE)
    assert_clean(at)
    assert at.title[0].value == "Meerjarenperspectief"
    path = outlook_path(demo)
    last = path.iloc[-1]
    assert find_metric(at, f"Eigen vermogen eind {int(last['jaar'])}").value == eur(last["equity"])
    pad = next(d.value for d in at.dataframe if "Eigen vermogen" in d.value.columns)
    assert pad["Eigen vermogen"].round(2).tolist() == path["equity"].round(2).tolist()


def test_both_pages_show_one_risk_capacity_for_1_january_and_say_so(demo):
    """The Risico page and the Meerjarenperspectief show the same ratio and grade at 1 January, labelled with
    that moment; the outlook's table says its ratios are at each year's end."""
    V = demo.valuation_year
    label = f"Weerstandsvermogen op 1/1/{V}"
    outlook = open_page(PAGE)
    assert_clean(outlook)
    risk = open_page("pages/risico.py")
    assert_clean(risk)
    ours, theirs = find_metric(outlook, label), find_metric(risk, label)
    assert (ours.value, ours.delta) == (theirs.value, theirs.delta)
    summary = demo.simulation.portfolio
    assert ours.value == ratio_text(summary["risk_capacity_ratio"])
    assert ours.delta == f"klasse {summary['risk_capacity_grade']}: {summary['risk_capacity_label']}"
    pad = next(d.value for d in outlook.dataframe if "Eigen vermogen" in d.value.columns)
    assert "Weerstandsvermogen eind jaar" in pad.columns and "Weerstandsvermogen" not in pad.columns


def test_the_waterfall_adds_up_on_the_page(demo):
    at = open_page(PAGE)
    steps = next(d.value for d in at.dataframe if "Stap" in d.value.columns)
    assert len(steps) == len(STEPS)
    basis = demo.basis
    w = waterfall(basis.with_(valuation_year=basis.valuation_year - 1), basis)
    assert steps["Resultaat"].tolist() == w.portfolio_steps()["result_nominal"].tolist()
    assert round(steps["Contante waarde"].sum(), 2) == round(w.totals(7)["npv_forward"] - w.totals(0)["npv_forward"], 2)
    assert at.selectbox(key="mpg_vergelijk").value.startswith(f"Waardering {demo.valuation_year - 1}")


def test_only_bestuur_and_financien_see_the_page():
    assert set(PAGE_ROLES["meerjarenperspectief"]) == {"bestuur", "financien"}


def test_overzicht_says_when_the_floor_is_crossed(monkeypatch, write_book):
    sheets = old_sheets()
    sheets["drempels"] = thresholds(min_eigen_vermogen=1_000_000)
    monkeypatch.setenv("IGEMO_WORKBOOK", str(write_book(sheets)))
    at = open_page()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert ("In het meerjarenperspectief zakt het eigen vermogen in 2025 onder de ondergrens van € 1.000.000 "
            "(in het basispad).") in warnings


def test_overzicht_says_nothing_on_the_demo(demo):
    at = open_page()
    assert not [w.value for w in at.warning if "meerjarenperspectief" in w.value]
