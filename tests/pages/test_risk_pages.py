"""AppTest tests of the pages Risico, Nacalculatie and Nieuw project toetsen.

Each page renders on the demo and on another workbook without an exception or an error box; the
numbers it shows equal the engine's for the same seed (2026); choosing another project, the
reference class or another proposal changes exactly what the engine predicts. The simulations run
with 2,000 iterations where the page lets us choose, so the suite stays fast.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.fmt import eur, pct
from igemo_fin.postcalc.calculation import post_calculation
from igemo_fin.postcalc.assessment import assess_proposal
from igemo_fin.postcalc.proposal_input import proposal_from_form
from igemo_fin.valuation.basis import DEFAULT_SEED as SEED, SimulationSettings
from igemo_fin.risk.montecarlo import simulate
from igemo_fin.risk.scenarios import run_scenarios
from igemo_fin.risk.tornado import tornado
from igemo_fin.inputs.workbook import read_workbook
from ui.risk_state import EXAMPLE_PROPOSAL, chance_in_words, example_flows, ratio_text
from ui.style import verdict_label

from conftest import DEMO_WORKBOOK, ROOT, build_sheets, flat_credit, flows, project
from apptest_support import assert_clean, find_metric, open_page

PAGES = ["pages/risico.py", "pages/nacalculatie.py", "pages/nieuw_project.py"]
OTHER_WORKBOOK = ROOT / "tests" / "data" / "other_portfolio.xlsx"
N = 2_000


@pytest.fixture(autouse=True)
def no_store(monkeypatch, tmp_path):
    """A database path that does not exist: demo mode (no sign-in), no stored thresholds or actuals."""
    monkeypatch.setenv("IGEMO_DB", str(tmp_path / "igemo.db"))


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("IGEMO_WORKBOOK", str(DEMO_WORKBOOK))
    pf = read_workbook(DEMO_WORKBOOK)
    return pf, evaluate(pf)





def table(at: AppTest, column: str) -> pd.DataFrame:
    frames = [d.value.data if hasattr(d.value, "data") else d.value for d in at.dataframe]
    found = [f for f in frames if column in f.columns]
    assert found, f"no table with column {column!r}"
    return found[0]


def chart(at: AppTest, title_part: str) -> dict:
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        if title_part in spec["layout"]["title"]["text"]:
            return spec
    raise AssertionError(f"no chart titled ...{title_part}...")


def values(data) -> np.ndarray:
    """A Plotly array from the chart's JSON: a list, or a typed array ``{"dtype", "bdata"}``."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
    return np.asarray(data)


def markdown_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def risico(iterations: int = N) -> AppTest:
    at = open_page("pages/risico.py")
    assert_clean(at)
    at.selectbox(key="risico_simulaties").set_value(iterations).run()
    assert_clean(at)
    return at


# --------------------------------------------------------------------------- every page renders

@pytest.mark.parametrize("workbook", [DEMO_WORKBOOK, OTHER_WORKBOOK], ids=["demo", "ander werkboek"])
@pytest.mark.parametrize("page", PAGES)
def test_every_risk_page_renders(monkeypatch, workbook, page):
    monkeypatch.setenv("IGEMO_WORKBOOK", str(workbook))
    at = open_page(page)
    assert_clean(at)
    assert at.title, "every page has a title"


# --------------------------------------------------------------------------- Risico

def test_risico_shows_the_engines_numbers(demo):
    pf, ev = demo
    at = risico()
    sim = simulate(pf, ev, iterations=N, seed=SEED)
    first = ev.figures.query("status == 'actief'")["project_code"].iloc[0]
    row = sim.projects.set_index("project_code").loc[first]
    assert at.selectbox(key="risico_project").value == first
    assert find_metric(at, "Kans op verlies").value == pct(100 * row["prob_loss"], 1)
    assert find_metric(at, "Slecht geval (P10)").value == eur(row["npv_p10"])
    assert find_metric(at, "Middelste uitkomst (P50)").value == eur(row["npv_p50"])
    # The portfolio: IGEMO's P90 loss, and the risk-capacity ratio with its grade.
    p = sim.portfolio
    assert find_metric(at, "Verlies voor IGEMO in een slecht geval (P90)").value == eur(p["loss_p90"])
    capacity = find_metric(at, f"Weerstandsvermogen op 1/1/{ev.valuation_year}")
    assert capacity.value == ratio_text(p["risk_capacity_ratio"])
    assert capacity.delta == f"klasse {p['risk_capacity_grade']}: {p['risk_capacity_label']}"
    scale = table(at, "Betekenis")
    assert scale.loc[scale["Klasse"].str.startswith("▶"), "Klasse"].tolist() == [f"▶ {p['risk_capacity_grade']}"]


def test_risico_verdicts_take_the_chance_of_loss_into_account(demo):
    pf, ev = demo
    at = risico()
    sim = simulate(pf, ev, iterations=N, seed=SEED)
    with_chance = evaluate(pf, simulation=SimulationSettings(N, SEED)).figures
    active = with_chance[with_chance["status"] == "actief"]
    shown = table(at, "Kans op verlies")
    assert shown["Oordeel"].tolist() == [verdict_label(v) for v in active["verdict"]]
    expected = sim.projects.set_index("project_code").loc[active["project_code"], "prob_loss"]
    np.testing.assert_allclose(shown["Kans op verlies"].to_numpy(dtype=float), 100 * expected.to_numpy())
    changed = (active["verdict"].to_numpy() != ev.figures.loc[active.index, "verdict"].to_numpy()).sum()
    assert (shown["Op het Overzicht"] != "zelfde").sum() == changed


def test_risico_scenarios_equal_the_engine(demo):
    pf, ev = demo
    at = risico()
    expected = run_scenarios(pf, ev, iterations=N).summary
    shown = table(at, "Scenario")
    assert shown["Scenario"].tolist() == expected["label"].tolist()
    np.testing.assert_allclose(shown["Waarde van wat nog komt"], expected["npv_forward_active"])
    assert shown["Oordelen anders"].tolist() == expected["verdicts_changed"].tolist()


def test_choosing_another_project_changes_the_histogram_and_the_metrics(demo):
    pf, ev = demo
    at = risico()
    sim = simulate(pf, ev, iterations=N, seed=SEED)
    rows = sim.projects.set_index("project_code")
    names = ev.figures.set_index("project_code")["naam"]
    for code in ("RC-03", "BT-07"):
        at.selectbox(key="risico_project").set_value(code).run()
        assert_clean(at)
        row = rows.loc[code]
        assert find_metric(at, "Kans op verlies").value == pct(100 * row["prob_loss"], 1)
        assert chance_in_words(row["prob_loss"], N) in markdown_text(at)
        spec = chart(at, "contante waarde van wat nog komt, over")
        assert names[code] in spec["layout"]["title"]["text"]
        bars = [t for t in spec["data"] if t["type"] == "bar"]
        assert sum(values(t["y"]).sum() for t in bars) == N
        lines = {t["name"].split(":")[0]: values(t["x"])[0] for t in spec["data"] if t["type"] == "scatter"}
        assert lines["P10"] == pytest.approx(row["npv_p10"])
        assert lines["P50"] == pytest.approx(row["npv_p50"])
        assert lines["P90"] == pytest.approx(row["npv_p90"])
        # The loss bars (hatched) hold exactly the simulations with a negative forward NPV.
        losses = [t for t in bars if t["name"].startswith("Wat nog komt kost geld")]
        assert sum(values(t["y"]).sum() for t in losses) == int(round(row["prob_loss"] * N))
        # The tornado is this project's, and the register table holds its risks.
        drivers = tornado(pf, ev, code)
        shown = chart(at, "het meest beweegt")
        assert names[code] in shown["layout"]["title"]["text"]
        moving = drivers.loc[drivers["swing"].abs() > 0.5, "label"].tolist()
        assert list(reversed(values(shown["data"][0]["y"]).tolist())) == moving
        register = table(at, "Wat het doet")
        assert register["Risico"].tolist() == pf.risks.query("project_code == @code")["risico"].tolist()
    assert chance_in_words(1.0, N) == "In alle 2.000 gesimuleerde toekomsten kost wat nog komt geld."


def test_reference_class_and_rate_spread_take_part(demo):
    pf, ev = demo
    at = risico()
    at.checkbox(key="risico_referentieklasse").check().run()
    at.slider(key="risico_rentespreiding").set_value(50).run()
    assert_clean(at)
    at.selectbox(key="risico_project").set_value("BT-07").run()
    members = post_calculation(pf, evaluation=ev).projects
    sim = simulate(pf, ev, iterations=N, seed=SEED, reference=members, rate_spread_bp=50)
    row = sim.projects.set_index("project_code").loc["BT-07"]
    assert find_metric(at, "Kans op verlies").value == pct(100 * row["prob_loss"], 1)
    assert find_metric(at, f"Weerstandsvermogen op 1/1/{ev.valuation_year}").value == ratio_text(
        sim.portfolio["risk_capacity_ratio"])
    assert "met de lessen uit de nacalculatie" in " ".join(c.value for c in at.caption)


# --------------------------------------------------------------------------- Nacalculatie

def test_nacalculatie_shows_the_engines_numbers(demo):
    pf, ev = demo
    pc = post_calculation(pf, evaluation=ev)
    at = open_page("pages/nacalculatie.py")
    assert_clean(at)
    summary = table(at, "Vertraging")
    assert summary["Project"].tolist() == pc.projects["naam"].tolist()
    np.testing.assert_allclose(summary["Verschil"], pc.projects["result_variance"])
    np.testing.assert_allclose(summary["Vertraging"], pc.projects["delay_years"])
    lessons = table(at, "Kosten P50")
    np.testing.assert_allclose(lessons["Kosten P50"], 100 * pc.reference["cost_ratio_p50"])
    np.testing.assert_allclose(lessons["Opbrengsten P80"], 100 * pc.reference["revenue_ratio_p80"])
    np.testing.assert_allclose(lessons["Vertraging P80"], pc.reference["delay_p80"])
    # Types with fewer than 3 finished projects say that all types are used together.
    fallback = pc.reference[pc.reference["fallback"]]
    assert len(fallback) == 3
    notes = " ".join(i.value for i in at.info)
    assert notes.count("minder dan 3") == len(fallback) and "alle 6 afgeronde projecten samen" in notes
    assert lessons["Lessen uit"].str.startswith("alle types").sum() == len(fallback)


def test_nacalculatie_per_project_and_its_waterfall(demo):
    pf, ev = demo
    pc = post_calculation(pf, evaluation=ev)
    at = open_page("pages/nacalculatie.py")
    for code in ("RC-01", "BT-02"):
        at.selectbox(key="nacalculatie_project").set_value(code).run()
        assert_clean(at)
        row = pc.projects.set_index("project_code").loc[code]
        assert find_metric(at, "Resultaat begroot").value == eur(row["result_budget"])
        assert find_metric(at, "Resultaat werkelijk").value == eur(row["result_actual"])
        spec = chart(at, "Van begroot naar werkelijk resultaat")
        y = values(spec["data"][0]["y"])
        assert y[0] == pytest.approx(row["result_budget"]) and y[-1] == pytest.approx(row["result_actual"])
        # The four parts add up to the difference to the cent.
        assert round(sum(y[1:-1]) * 100) == round((row["result_actual"] - row["result_budget"]) * 100)
        posts = table(at, "Effect op het resultaat")
        cats = pc.categories[pc.categories["project_code"] == code]
        np.testing.assert_allclose(posts["Werkelijk"].iloc[: len(cats)], cats["actual"])
        assert posts["Begroot"].iloc[-1] == pytest.approx(row["result_budget"])


def test_nacalculatie_without_finished_projects_says_so(monkeypatch, write_book):
    cf = flows(("X1", "prognose", 2024, "verwerving", 2_000_000), ("X1", "prognose", 2027, "verkoop", 2_500_000))
    path = write_book(build_sheets([project("X1")], cf, flat_credit()))
    monkeypatch.setenv("IGEMO_WORKBOOK", str(path))
    at = open_page("pages/nacalculatie.py")
    assert_clean(at)
    assert any("nog geen afgeronde projecten" in i.value for i in at.info)
    at = open_page("pages/risico.py")
    assert_clean(at)
    assert any("geen risico's in het risicoregister" in i.value for i in at.info)


# --------------------------------------------------------------------------- Nieuw project toetsen

def example(**changes):
    args = {**EXAMPLE_PROPOSAL, "startjaar": 2026, "flows": example_flows(2026)} | changes
    return proposal_from_form(**args)


def nieuw() -> AppTest:
    at = open_page("pages/nieuw_project.py")
    assert_clean(at)
    at.selectbox(key="nieuw_simulaties").set_value(N).run()
    assert_clean(at)
    return at


def test_the_prefilled_example_gets_the_engines_verdict(demo):
    pf, ev = demo
    at = nieuw()
    expected = assess_proposal(pf, example(), iterations=N, seed=SEED)
    # The example is a go as entered; with the business parks' P50 the interest eats the margin.
    assert expected.verdict == "DOORGAAN"
    assert expected.uplift.set_index("level").loc["p50", "verdict"] == "BIJSTUREN"
    text = markdown_text(at)
    assert f"Oordeel: {verdict_label(expected.verdict)}" in text
    for sentence in expected.rules["sentence"]:
        assert sentence in text
    f = expected.figures
    assert find_metric(at, "Contante waarde").value == eur(f["npv_forward"])
    assert find_metric(at, "Resultaat na rente").value == eur(f["result_nominal"])
    assert find_metric(at, "Kans op verlies").value == pct(100 * expected.prob_loss, 1)
    assert find_metric(at, "Hoogste opname met voorstel").value == eur(expected.credit_after["drawn"])
    assert find_metric(at, "Hoogste opname zonder voorstel").value == eur(expected.credit_before["drawn"])
    assert find_metric(at, f"Weerstandsvermogen op 1/1/{ev.valuation_year} met voorstel").value == ratio_text(
        expected.capacity_after["risk_capacity_ratio"])
    lessons = table(at, "Berekening")
    assert lessons["Oordeel"].tolist() == [verdict_label(v) for v in expected.uplift["verdict"]]
    np.testing.assert_allclose(lessons["Contante waarde"], expected.uplift["npv_forward"])


def test_another_type_changes_the_lessons_and_the_verdict(demo):
    pf, ev = demo
    at = nieuw()
    at.selectbox(key="nieuw_type").set_value("reconversie")
    at.number_input(key="nieuw_marktwaarde").set_value(2_000_000.0)
    next(b for b in at.button if b.label == "Voorstel toetsen").click().run()
    assert_clean(at)
    expected = assess_proposal(pf, example(type="reconversie", marktwaarde_huidige_staat=2_000_000.0),
                               iterations=N, seed=SEED)
    # Only 1 finished reconversion: the lessons of all 6 finished projects; selling the land as it is
    # (2,000,000) beats developing it (931,572): divest.
    assert expected.verdict == "AFSTOTEN"
    assert f"Oordeel: {verdict_label(expected.verdict)}" in markdown_text(at)
    assert "alle 6 afgeronde projecten samen" in markdown_text(at)
    assert find_metric(at, "Kans op verlies").value == pct(100 * expected.prob_loss, 1)


def test_an_invalid_proposal_is_explained(demo):
    at = nieuw()
    at.text_input(key="nieuw_naam").set_value("  ")
    next(b for b in at.button if b.label == "Voorstel toetsen").click().run()
    assert not at.exception
    assert at.error and "kan niet getoetst worden" in at.error[0].value
    problems = table(at, "Reden")
    assert problems["Kolom"].tolist() == ["naam"]
    assert not [m for m in at.metric if m.label == "Contante waarde"]


def test_the_upload_mode_waits_for_a_workbook(demo):
    at = nieuw()
    at.radio(key="nieuw_bron").set_value("werkboek").run()
    assert_clean(at)
    assert any("Nog geen werkboek" in i.value for i in at.info)


# --------------------------------------------------------------------------- the page helpers

def test_the_helpers_doctests():
    import doctest

    import ui.risk_state

    result = doctest.testmod(ui.risk_state)  # ratio_text's is in igemo_fin.risk.capacity (pytest igemo_fin)
    assert result.attempted >= 3 and result.failed == 0


def test_grade_table_reads_the_engines_scale():
    from ui.risk_state import grade_table

    t = grade_table("B")
    assert t["Klasse"].tolist() == ["A", "▶ B", "C", "D", "E", "F"]
    assert t["Verhouding"].tolist() == ["2,0 of meer", "1,4 tot 2,0", "1,0 tot 1,4", "0,8 tot 1,0", "0,6 tot 0,8",
                                        "minder dan 0,6"]
    assert t["Betekenis"].tolist() == ["uitstekend", "ruim voldoende", "voldoende", "matig", "onvoldoende",
                                       "ruim onvoldoende"]
