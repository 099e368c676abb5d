"""AppTest tests of every board page: they render, show no error, and show the engine's numbers."""

from __future__ import annotations

import pytest

from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.fmt import eur
from igemo_fin.inputs.workbook import read_workbook

from conftest import DEMO_WORKBOOK, build_sheets, flat_credit, flows, project
from apptest_support import assert_clean, find_metric, open_page

PAGES = ["pages/overzicht.py", "pages/project.py", "pages/kader.py", "pages/kaskrediet.py"]


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("IGEMO_WORKBOOK", str(DEMO_WORKBOOK))
    return evaluate(read_workbook(DEMO_WORKBOOK))




def metric(at, label: str) -> str:
    return find_metric(at, label).value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo(demo, page):
    at = open_page(page)
    assert_clean(at)
    assert at.title, "every page has a title"


def test_overzicht_shows_the_engines_numbers(demo):
    at = open_page()
    totals = demo.portfolio_totals()
    assert metric(at, "Waarde van wat nog komt") == eur(totals["npv_forward_active"])
    assert metric(at, "Kapitaal vast in projecten") == eur(totals["book_value_active"])
    assert metric(at, f"Rente {demo.valuation_year}") == eur(totals["interest_this_year"])
    assert metric(at, "✔ Doorgaan") == f"{totals['verdict_counts']['DOORGAAN']} projecten"
    assert metric(at, "◆ Afstoten") == f"{totals['verdict_counts']['AFSTOTEN']} projecten"
    table = at.dataframe[0].value
    active = demo.figures[demo.figures["status"] == "actief"]
    assert table["Code"].tolist() == active["project_code"].tolist()
    assert table["Contante waarde vanaf nu"].round(2).tolist() == active["npv_forward"].round(2).tolist()


def test_overzicht_search_filters_the_table(demo):
    at = open_page()
    at.text_input(key="overzicht_zoek").input("reconversie").run()
    assert_clean(at)
    names = at.dataframe[0].value["Project"].tolist()
    assert names and all("reconversie" in n.lower() for n in names)


def test_project_page_explains_every_rule(demo):
    at = open_page("pages/project.py")
    stopped = demo.figures.query("verdict == 'STOPZETTEN'").iloc[0]
    at.selectbox(key="project_code").set_value(stopped["project_code"]).run()
    assert_clean(at)
    shown = " ".join(m.value for m in at.markdown)
    for sentence in demo.rules.query("project_code == @stopped.project_code")["sentence"]:
        assert sentence in shown
    assert metric(at, "Contante waarde van wat nog komt") == eur(stopped["npv_forward"])
    assert "Stopzetten" in shown


def test_what_if_changes_exactly_the_predicted_verdicts(demo):
    at = open_page("pages/kader.py")
    assert_clean(at)
    # Make the stop threshold on forward NPV much milder: -5,000,000.
    at.number_input(key="kader_stop_npv_onder").set_value(-5_000_000.0).run()
    assert_clean(at)
    expected = evaluate(read_workbook(DEMO_WORKBOOK), thresholds=demo.thresholds.with_values(stop_npv_onder=-5e6))
    before = demo.figures.set_index("project_code")["verdict"]
    after = expected.figures.set_index("project_code")["verdict"]
    predicted = sorted(c for c in before.index if before[c] != after[c])
    assert predicted, "the demo has a project stopped on forward NPV"
    table = at.dataframe[-1].value
    assert sorted(table["Code"]) == predicted
    assert any("Simulatie" in w.value for w in at.warning)


def test_what_if_with_official_thresholds_changes_nothing(demo):
    at = open_page("pages/kader.py")
    assert any("officiële drempels" in i.value for i in at.info)


def test_rate_stress_shows_the_extra_interest(demo):
    at = open_page("pages/kaskrediet.py")
    at.radio(key="kaskrediet_stress").set_value(200).run()
    assert_clean(at)
    stressed = evaluate(read_workbook(DEMO_WORKBOOK), rate_shift_bp=200)
    extra = stressed.portfolio_totals()["interest_future"] - demo.portfolio_totals()["interest_future"]
    assert metric(at, "Extra rente over de resterende looptijd") == eur(extra)


def test_another_workbook_is_shown(monkeypatch, write_book):
    cf = flows(("X1", "prognose", 2024, "verwerving", 2_000_000), ("X1", "prognose", 2027, "verkoop", 500_000))
    path = write_book(build_sheets([project("X1", naam="Ander project", gemeente="Lier")], cf, flat_credit()))
    monkeypatch.setenv("IGEMO_WORKBOOK", str(path))
    at = open_page()
    assert_clean(at)
    assert at.dataframe[0].value["Project"].tolist() == ["Ander project"]


def test_invalid_workbook_is_explained_not_crashed(monkeypatch, write_book):
    cf = flows(("X1", "prognose", 2024, "verwerving", "veel"))
    path = write_book(build_sheets([project("X1")], cf, flat_credit()), "kapot.xlsx")
    monkeypatch.setenv("IGEMO_WORKBOOK", str(path))
    at = open_page()
    assert not at.exception
    assert at.error and "kapot.xlsx" in at.error[0].value
    problems = at.dataframe[0].value
    assert problems.iloc[0]["Kolom"] == "bedrag" and problems.iloc[0]["Rij"] == 2


def test_no_workbook_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("IGEMO_WORKBOOK", str(tmp_path / "bestaat_niet.xlsx"))
    at = open_page()
    assert not at.exception
    assert at.warning and "Gegevens" in at.warning[0].value
