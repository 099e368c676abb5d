"""AppTest tests of the pages Verplichtingen and Financiering: they render, show the engine's numbers,
and react to their widgets exactly as the engine predicts."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from igemo_fin.financing.comparison import compare_financing
from igemo_fin.financing.parameters import financing_params
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.fmt import eur
from igemo_fin.obligations.loss_sharing import loss_sharing
from igemo_fin.obligations.municipalities import municipality_summary
from igemo_fin.obligations.overview import obligation_totals
from igemo_fin.obligations.profit_sharing import profit_sharing
from igemo_fin.obligations.write_downs import write_downs
from igemo_fin.risk.montecarlo import simulate
from igemo_fin.inputs.workbook import read_workbook

from conftest import DEMO_WORKBOOK, ROOT
from apptest_support import assert_clean, find_metric, open_page

OTHER_WORKBOOK = ROOT / "tests" / "data" / "other_portfolio.xlsx"
PAGES = ["pages/verplichtingen.py", "pages/financiering.py"]
WORKBOOKS = {"demo": DEMO_WORKBOOK, "ander": OTHER_WORKBOOK}


def use_workbook(monkeypatch, tmp_path, path) -> None:
    """Show ``path``; demo mode (no sign-in, this computer) and an empty store, as a first user sees it."""
    monkeypatch.setenv("IGEMO_WORKBOOK", str(path))
    monkeypatch.setenv("IGEMO_DEMO", "1")
    monkeypatch.setenv("IGEMO_DB", str(tmp_path / "geen" / "igemo.db"))


@pytest.fixture
def demo(monkeypatch, tmp_path):
    use_workbook(monkeypatch, tmp_path, DEMO_WORKBOOK)
    portfolio = read_workbook(DEMO_WORKBOOK)
    return portfolio, evaluate(portfolio)


@pytest.fixture
def downloads(monkeypatch):
    """The bytes of every file the app hands to a download button, by media file id."""
    stored: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            stored[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    return stored





#: A column that only this table has, by the table's key on the page (AppTest does not report a table's key).
TABLES = {
    "verpl_tabel_risicodeling": "Plafond bereikt",
    "verpl_tabel_gemeenten": "Met verlies",
    "verpl_tabel_winstdeling": "Verschuldigd aan de gemeente",
    "verpl_tabel_journaal": "Rekeningnaam",
    "fin_tabel_totaal": "Laagste",
}


def table(at: AppTest, key: str):
    found = [d.value for d in at.dataframe if TABLES[key] in d.value.columns]
    assert len(found) == 1, f"no (single) table {key!r}"
    return found[0]


def download(at: AppTest, stored: dict[str, bytes], key: str) -> bytes:
    buttons = [b for b in at.get("download_button") if b.proto.id.endswith(key)]
    assert buttons, f"no download button {key!r}"
    file_id = re.search(r"/([0-9a-f]+)\.\w+$", buttons[0].proto.url).group(1)
    return stored[file_id]


def sheet_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
                    if c.value is not None)


# --------------------------------------------------------------------------- both pages, both workbooks

@pytest.mark.parametrize("workbook", list(WORKBOOKS))
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_error(monkeypatch, tmp_path, page, workbook):
    use_workbook(monkeypatch, tmp_path, WORKBOOKS[workbook])
    at = open_page(page)
    assert_clean(at)
    assert at.title, "every page has a title"
    shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "Traceback" not in shown and "nan" not in shown.lower().split()


@pytest.mark.parametrize("workbook", list(WORKBOOKS))
def test_verplichtingen_shows_the_engines_totals(monkeypatch, tmp_path, workbook):
    use_workbook(monkeypatch, tmp_path, WORKBOOKS[workbook])
    portfolio = read_workbook(WORKBOOKS[workbook])
    ev = evaluate(portfolio)
    totals = obligation_totals(portfolio, ev)
    at = open_page("pages/verplichtingen.py")
    assert find_metric(at, "Verwacht verlies (alle projecten)").value == eur(totals["loss_total"])
    assert find_metric(at, "Gedragen door de gemeenten").value == eur(totals["loss_share_municipality_total"])
    assert find_metric(at, "Gedragen door IGEMO").value == eur(totals["loss_share_igemo_total"])
    assert find_metric(at, "Winstdeling verschuldigd (hele looptijd)").value == eur(totals["profit_share_owed_total"])
    assert find_metric(at, "Voorziening winstdeling").value == eur(totals["profit_share_provision_total"])
    assert find_metric(at, "Waardevermindering totaal").value == eur(totals["write_down_total"])
    previous = write_downs(portfolio, ev)
    movement = round(previous["movement"].sum(), 2)
    assert find_metric(at, f"Beweging tegenover {ev.valuation_year - 1}").value == eur(movement)


def test_verplichtingen_tables_hold_the_engines_figures(demo, tmp_path):
    portfolio, ev = demo
    at = open_page("pages/verplichtingen.py")
    shares = loss_sharing(portfolio, ev)
    losing = shares[shares["loss"] > 0]
    shown = table(at, "verpl_tabel_risicodeling")
    assert shown["Code"].tolist() == losing["project_code"].tolist()
    assert shown["Gemeente draagt"].tolist() == losing["loss_share_municipality"].tolist()
    assert shown["IGEMO draagt"].tolist() == losing["loss_share_igemo"].tolist()
    # The cap holds and the shares add up to the loss, as shown.
    assert (shown["Gemeente draagt"] + shown["IGEMO draagt"]).round(2).tolist() == shown["Verwacht verlies"].tolist()

    summary = municipality_summary(portfolio, ev)
    per_gemeente = table(at, "verpl_tabel_gemeenten")
    assert per_gemeente["Gemeente"].tolist() == summary["gemeente"].tolist()
    assert per_gemeente["Voorziening winstdeling"].tolist() == summary["profit_share_provision"].tolist()

    profit = profit_sharing(portfolio, ev).set_index("project_code")
    shown = table(at, "verpl_tabel_winstdeling").set_index("Code")
    assert shown["Voorziening"].tolist() == profit.loc[shown.index, "profit_share_provision"].tolist()
    assert (shown["Voorziening"] <= shown["Verschuldigd aan de gemeente"]).all()


def test_risk_simulation_adds_the_p90_split(demo, tmp_path):
    portfolio, ev = demo
    at = open_page("pages/verplichtingen.py")
    assert "Verlies P90" not in table(at, "verpl_tabel_risicodeling").columns
    at.checkbox(key="verpl_p90").check().run()
    assert_clean(at)
    # The page takes the P90 from the evaluation's own simulation (the basis's settings: 10,000 futures,
    # seed 0), the simulation the Overzicht and the board pack use; an independent run gives the same.
    sim = simulate(portfolio, ev, iterations=10_000, seed=0)
    p90 = (-sim.projects.set_index("project_code")["result_p10"]).clip(lower=0.0)
    expected = loss_sharing(portfolio, ev, loss_p90=p90).set_index("project_code")
    shown = table(at, "verpl_tabel_risicodeling").set_index("Code")
    assert shown["Verlies P90"].tolist() == expected.loc[shown.index, "loss_p90"].tolist()
    assert shown["Gemeente draagt (P90)"].tolist() == expected.loc[shown.index, "loss_p90_municipality"].tolist()
    assert any(c.key == "verpl_grafiek_p90" for c in at.get("plotly_chart"))


@pytest.mark.parametrize("gemeente", ["Zemst", "Mechelen"])
def test_statement_download_is_the_chosen_municipalitys(demo, downloads, gemeente):
    at = open_page("pages/verplichtingen.py")
    at.selectbox(key="verpl_gemeente").set_value(gemeente).run()
    assert_clean(at)
    data = download(at, downloads, "verpl_download_gemeente")
    text = sheet_text(data)
    assert gemeente in text
    assert "Verlies gedragen door de gemeente" in text
    others = {"Zemst", "Mechelen"} - {gemeente}
    assert not any(f"gemeente {o}" in text for o in others)


def test_journal_download_opens_and_balances(demo, downloads):
    at = open_page("pages/verplichtingen.py")
    at.radio(key="verpl_journaal_jaren").set_value("alles").run()
    assert_clean(at)
    shown = table(at, "verpl_tabel_journaal")
    assert round(shown["Debet"].sum(), 2) == round(shown["Credit"].sum(), 2) > 0
    book = openpyxl.load_workbook(io.BytesIO(download(at, downloads, "verpl_download_journaal")))
    assert book.sheetnames == ["Journaal"]


def test_spread_per_project_and_portfolio(demo):
    portfolio, ev = demo
    at = open_page("pages/verplichtingen.py")
    code = ev.figures["project_code"].iloc[-1]
    at.selectbox(key="verpl_spreiding").set_value(code).run()
    assert_clean(at)
    assert any(ev.figures["naam"].iloc[-1] in c.proto.spec for c in at.get("plotly_chart"))


# --------------------------------------------------------------------------- Financiering

def test_financiering_shows_the_engines_totals(demo):
    portfolio, ev = demo
    comparison = compare_financing(portfolio, ev, financing_params(portfolio))
    at = open_page("pages/financiering.py")
    assert_clean(at)
    for row in comparison.range.itertuples():
        assert any(m.value == eur(row.cost_flat) for m in at.metric), row.alternative
    assert find_metric(at, f"Behoefte {ev.valuation_year}").value == eur(comparison.need["need_average"].iloc[0])
    assert any("standaardwaarden" in i.value for i in at.info)


def test_changing_a_parameter_changes_the_total_as_the_engine_predicts(demo):
    portfolio, ev = demo
    at = open_page("pages/financiering.py")
    at.number_input(key="fin_lening_rente_pct").set_value(4.25).run()
    assert_clean(at)
    expected = compare_financing(portfolio, ev, financing_params(portfolio).with_values(lening_rente_pct=4.25))
    loan = expected.range.set_index("alternative").loc["vaste_lening"]
    assert find_metric(at, "Lening met vaste rente").value == eur(loan["cost_flat"])
    assert find_metric(at, "Lening met vaste rente").value != eur(
        compare_financing(portfolio, ev).range.set_index("alternative").loc["vaste_lening", "cost_flat"])
    assert any("Simulatie" in w.value for w in at.warning)
    totals = table(at, "fin_tabel_totaal").set_index("Alternatief")
    assert totals.loc["Lening met vaste rente", "Vlakke rente"] == loan["cost_flat"]
    assert totals.loc["Lening met vaste rente", "Hoogste"] == loan["cost_max"]


def test_reset_returns_to_the_workbook(demo):
    at = open_page("pages/financiering.py")
    before = find_metric(at, "Mix").value
    at.number_input(key="fin_gemeente_prefinanciering_pct").set_value(60.0).run()
    assert find_metric(at, "Mix").value != before
    at.button(key="fin_reset").click().run()
    assert_clean(at)
    assert find_metric(at, "Mix").value == before
    assert at.number_input(key="fin_gemeente_prefinanciering_pct").value == 25.0
    assert not any("Simulatie" in w.value for w in at.warning)


def test_invalid_rate_path_is_explained_and_the_rest_still_counts(demo):
    portfolio, ev = demo
    at = open_page("pages/financiering.py")
    at.number_input(key="fin_lening_rente_pct").set_value(4.0)
    at.text_input(key="fin_scenario_pad_bp").input("0;veel").run()
    assert_clean(at)
    assert any("rentepad is ongeldig" in w.value for w in at.warning)
    expected = compare_financing(portfolio, ev, financing_params(portfolio).with_values(lening_rente_pct=4.0))
    assert find_metric(at, "Lening met vaste rente").value == eur(
        expected.range.set_index("alternative").loc["vaste_lening", "cost_flat"])


def test_parameter_sheet_download_reads_back(demo, downloads):
    portfolio, ev = demo
    at = open_page("pages/financiering.py")
    at.number_input(key="fin_lening_looptijd_jaren").set_value(15).run()
    at.selectbox(key="fin_lening_aflossing").set_value("bullet").run()
    assert_clean(at)
    data = download(at, downloads, "fin_download")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["financiering"]
    rows = {r[0]: r[1] for r in book["financiering"].iter_rows(min_row=2, values_only=True)}
    assert rows["lening_looptijd_jaren"] == 15 and rows["lening_aflossing"] == "bullet"
    # The downloaded sheet, pasted into the workbook, gives the parameters the page simulated.
    from igemo_fin.financing.parameters import params_from_rows

    parsed = params_from_rows([{"parameter": k, "waarde": v, "_row": i + 2} for i, (k, v) in enumerate(rows.items())])
    assert parsed == financing_params(portfolio).with_values(lening_looptijd_jaren=15, lening_aflossing="bullet")


def test_financing_sheet_in_the_workbook_is_used(monkeypatch, tmp_path):
    """A workbook with a sheet financiering: the page starts from its parameters, not the defaults."""
    import pandas as pd

    from igemo_fin.exports.workbook_writer import write_workbook

    sheets = pd.read_excel(DEMO_WORKBOOK, sheet_name=None, engine="openpyxl")
    sheets["financiering"] = pd.DataFrame({"parameter": ["lening_rente_pct", "horizon_jaren"], "waarde": [3.5, 8]})
    path = tmp_path / "met_financiering.xlsx"
    write_workbook(sheets, path)
    use_workbook(monkeypatch, tmp_path, path)
    at = open_page("pages/financiering.py")
    assert_clean(at)
    assert at.number_input(key="fin_lening_rente_pct").value == 3.5
    assert at.number_input(key="fin_horizon_jaren").value == 8
    assert any("blad 'financiering' van het werkboek" in i.value for i in at.info)
    portfolio = read_workbook(path)
    expected = compare_financing(portfolio, evaluate(portfolio))
    assert find_metric(at, "Lening met vaste rente").value == eur(
        expected.range.set_index("alternative").loc["vaste_lening", "cost_flat"])


def test_invalid_financing_sheet_is_explained_and_defaults_are_used(monkeypatch, tmp_path):
    import pandas as pd

    from igemo_fin.financing.parameters import FinancingParams
    from igemo_fin.exports.workbook_writer import write_workbook

    sheets = pd.read_excel(DEMO_WORKBOOK, sheet_name=None, engine="openpyxl")
    sheets["financiering"] = pd.DataFrame({"parameter": ["lening_rente_pct", "looptijd"], "waarde": ["veel", 8]})
    path = tmp_path / "kapot_blad.xlsx"
    write_workbook(sheets, path)
    use_workbook(monkeypatch, tmp_path, path)
    at = open_page("pages/financiering.py")
    assert not at.exception, [e.value for e in at.exception]
    assert at.error and "financiering" in at.error[0].value and "kapot_blad.xlsx" in at.error[0].value
    problems = at.dataframe[0].value
    assert problems["Rij"].tolist() == [2, 3]
    portfolio = read_workbook(path)
    expected = compare_financing(portfolio, evaluate(portfolio), FinancingParams())
    assert find_metric(at, "Kaskrediet (zoals nu)").value == eur(
        expected.range.set_index("alternative").loc["kaskrediet", "cost_flat"])


def test_another_valuation_year_gives_that_years_obligations(demo):
    portfolio, ev = demo
    at = open_page("pages/verplichtingen.py")
    year = ev.valuation_year + 1
    at.session_state["waarderingsjaar"] = year  # the sidebar's year, shared by every page
    at.run()
    assert_clean(at)
    later = evaluate(portfolio, valuation_year=year)
    totals = obligation_totals(portfolio, later)
    assert find_metric(at, "Voorziening winstdeling").value == eur(totals["profit_share_provision_total"])
    assert find_metric(at, "Waardevermindering totaal").value == eur(totals["write_down_total"])
    assert any(f"Beweging tegenover {year - 1}" == m.label for m in at.metric)


# --------------------------------------------------------------------------- governance

def test_obligation_views_use_the_official_thresholds(monkeypatch, tmp_path):
    """Finance stored official thresholds (page Drempels) that differ from the workbook's: both pages
    compute from the evaluation every other page shows (ui.state.evaluation, official thresholds, the
    user filter), not from one with the workbook's thresholds. The obligations themselves do not depend
    on the thresholds, so this pins the evaluation the engine received: its thresholds and verdicts."""
    from igemo_fin.records.threshold_versions import record_thresholds
    from igemo_fin.records.store import Store
    from ui import obligations_state

    use_workbook(monkeypatch, tmp_path, DEMO_WORKBOOK)
    portfolio = read_workbook(DEMO_WORKBOOK)
    official = portfolio.thresholds.with_values(stop_npv_onder=-5_000_000.0, disconteringsvoet_pct=6.5)
    record_thresholds(Store(tmp_path / "geen" / "igemo.db"), official, created_by="fien", reason="raad 02/03/2026")
    expected = evaluate(portfolio, thresholds=official)
    workbook_verdicts = evaluate(portfolio).figures["verdict"].tolist()
    assert expected.figures["verdict"].tolist() != workbook_verdicts  # the stored thresholds do matter

    seen: list = []

    def spy(real):
        def wrapper(portfolio, ev, *args, **kwargs):
            seen.append((real.__name__, ev))
            return real(portfolio, ev, *args, **kwargs)
        return wrapper

    for name in ("obligation_totals", "loss_sharing", "compare_financing"):
        monkeypatch.setattr(obligations_state, name, spy(getattr(obligations_state, name)))
    for cached in (obligations_state._obligations, obligations_state._sharing, obligations_state._comparison):
        cached.clear()

    at = open_page("pages/verplichtingen.py")
    assert_clean(at)
    at.switch_page("pages/financiering.py").run()
    assert_clean(at)
    assert {name for name, _ in seen} == {"obligation_totals", "loss_sharing", "compare_financing"}
    for name, ev in seen:
        assert ev.thresholds == expected.thresholds, name
        assert ev.discount_rate_pct == 6.5, name
        assert ev.figures["verdict"].tolist() == expected.figures["verdict"].tolist(), name


def test_the_cache_key_names_the_thresholds_and_the_viewer(demo):
    """Two evaluations with other thresholds never share a cached obligation (the key holds them)."""
    from ui import obligations_state

    portfolio, ev = demo
    stricter = evaluate(portfolio, thresholds=portfolio.thresholds.with_values(min_irr_pct=9.0))
    key = obligations_state.evaluation_key(ev, "sha", "demo.xlsx")
    assert key[:3] == ("sha", "demo.xlsx", ev.valuation_year)
    assert dict(key[3])["min_irr_pct"] == ev.thresholds.min_irr_pct
    assert obligations_state.evaluation_key(stricter, "sha", "demo.xlsx") != key
    assert key[4] == (("beheer", "bestuur", "financien"), None)  # who looks (here the demo user) is part of it
