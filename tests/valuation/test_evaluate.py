"""A small portfolio built in code whose figures were worked out by hand (DOMAIN.md conventions).

Project A (valuation year V = 2025, rates 4 % in 2023-2024 and 3 % from 2025, ACT/360):

    year  CF          BV start       avg = BV - CF/2   I = rate * days/360 * avg
    2023  -1,000,000  0              500,000           0.04 * 365/360 * 500,000   = 20,277.78
    2024    -400,000  1,020,277.78   1,220,277.78      0.04 * 366/360 * 1,220,277.78 = 49,624.63
    2025    +900,000  1,469,902.41   1,019,902.41      0.03 * 365/360 * 1,019,902.41 = 31,022.03
    2026    +900,000    600,924.44     150,924.44      0.03 * 365/360 *   150,924.44 =  4,590.62
    closing BV = 600,924.44 - 900,000 + 4,590.62 = -294,484.94 (a profit)

    result_nominal = 400,000 - 105,515.06 = 294,484.94
    margin_pct     = 100 * 294,484.94 / (1,400,000 + 105,515.06) = 19.5604
    npv_forward    = 900,000 / 1.03^0.5 + 900,000 / 1.03^1.5 = 1,747,763.68 (discount rate = rate of 2025)
    irr_full_life  = irr([-1,000,000, -400,000, 900,000, 900,000]) = 0.1203489 (numpy-financial)
    book_value     = BV[2025] = 1,469,902.41 = peak_book_value
    interest_future = 31,022.03 + 4,590.62 = 35,612.65; future net inflow 1,800,000 -> 1.98 % of it
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.inputs.workbook import read_workbook

from conftest import build_sheets, flat_credit, flows, project, thresholds

RATES = {2023: 4.0, 2024: 4.0}  # 3 % otherwise


def _project_a():
    return flows(("A", "prognose", 2023, "verwerving", 1_000_000), ("A", "prognose", 2024, "infrastructuur", 400_000),
                 ("A", "prognose", 2025, "verkoop", 900_000), ("A", "prognose", 2026, "verkoop", 900_000))


@pytest.fixture
def single(write_book):
    path = write_book(build_sheets([project("A")], _project_a(), flat_credit(rate=3.0, rates=RATES)))
    return evaluate(read_workbook(path), valuation_year=2025)


class TestHandWorkedProject:
    def test_interest_per_year(self, single):
        y = single.yearly.set_index("jaar")
        assert y["interest"].round(2).to_dict() == {2023: 20277.78, 2024: 49624.63, 2025: 31022.03, 2026: 4590.62}
        assert y["book_value_start"].round(2).to_dict() == {2023: 0.0, 2024: 1020277.78, 2025: 1469902.41,
                                                             2026: 600924.44}

    def test_figures(self, single):
        f = single.figures.iloc[0]
        assert f["result_nominal"] == pytest.approx(294484.94, abs=0.01)
        assert f["closing_book_value"] == pytest.approx(-294484.94, abs=0.01)
        assert f["margin_pct"] == pytest.approx(19.5604, abs=1e-4)
        assert f["npv_forward"] == pytest.approx(1747763.68, abs=0.01)
        assert f["irr_full_life"] == pytest.approx(0.12034889, abs=1e-8)
        assert f["book_value"] == pytest.approx(1469902.41, abs=0.01)
        assert f["peak_book_value"] == pytest.approx(1469902.41, abs=0.01)
        assert f["interest_future"] == pytest.approx(35612.65, abs=0.01)
        assert f["future_net_inflow"] == pytest.approx(1_800_000)
        assert single.discount_rate_pct == 3.0

    def test_goes_on(self, single):
        assert single.figures.iloc[0]["verdict"] == "DOORGAAN"
        rules = single.rules.set_index("rule")
        assert not rules["fired"].any()
        assert rules.loc["max_rente_op_marge_pct", "value"] == pytest.approx(100 * 35612.65 / 1_800_000, abs=1e-4)
        # No risk register: every simulated future is the forecast, so the chance of a loss is 0.
        assert rules.loc["max_kans_verlies_pct", "evaluated"] and rules.loc["max_kans_verlies_pct", "value"] == 0
        assert single.figures.iloc[0]["prob_below_stop"] == 0

    def test_book_value_before_and_after_the_span(self, write_book):
        path = write_book(build_sheets([project("A")], _project_a(), flat_credit(rate=3.0, rates=RATES)))
        portfolio = read_workbook(path)
        before = evaluate(portfolio, valuation_year=2020).figures.iloc[0]
        after = evaluate(portfolio, valuation_year=2030).figures.iloc[0]
        assert before["book_value"] == 0.0  # starts after V
        assert after["book_value"] == pytest.approx(-294484.94, abs=0.01)  # closing value: profit realised
        assert after["npv_forward"] == 0.0 and after["interest_future"] == 0.0


class TestActualInterestAllocation:
    """Project B: 2024 verwerving 500,000, 2026 verkoop 700,000. rente_werkelijk 2024 = 60,000.00.

    2024 weights: A avg 1,220,277.78, B avg 0 + 250,000 = 250,000; sum 1,470,277.78.
    exact cents: A 6,000,000 * 1,220,277.78 / 1,470,277.78 = 4,979,784.62 -> floor 4,979,784
                 B 6,000,000 *   250,000.00 / 1,470,277.78 = 1,020,215.38 -> floor 1,020,215
    one cent left -> largest remainder (A, .62): A 49,797.85, B 10,202.15; together 60,000.00.
    A's BV 2025 = 1,020,277.78 + 400,000 + 49,797.85 = 1,470,075.63.
    """

    @pytest.fixture
    def ev(self, write_book):
        cf = flows(*_project_a().itertuples(index=False), ("B", "prognose", 2024, "verwerving", 500_000),
                   ("B", "prognose", 2026, "verkoop", 700_000))
        credit = flat_credit(rate=3.0, rates=RATES, actual={2024: 60_000.0, 2026: 1.0})
        path = write_book(build_sheets([project("A"), project("B", startjaar=2024)], cf, credit))
        return evaluate(read_workbook(path), valuation_year=2025)

    def test_shares_to_the_cent(self, ev):
        y = ev.yearly.set_index(["project_code", "jaar"])
        assert y.loc[("A", 2024), "interest"] == 49797.85
        assert y.loc[("B", 2024), "interest"] == 10202.15
        assert y.loc[("A", 2024), "interest_actual"]
        assert y.loc[("A", 2025), "book_value_start"] == pytest.approx(1470075.63, abs=0.01)

    def test_adds_up_and_future_actuals_are_ignored(self, ev):
        y = ev.yearly
        assert round(y.loc[y["jaar"] == 2024, "interest"].sum() * 100) == 6_000_000
        # 2026 >= V: the 1.00 given as rente_werkelijk is not used; the model computes it.
        assert not y.loc[y["jaar"] == 2026, "interest_actual"].any()
        assert y.loc[y["jaar"] == 2026, "interest"].sum() > 1.0


class TestVerdicts:
    """Each rule on a project built to fire it (V = 2025, rate 4 %)."""

    def _evaluate(self, write_book, cf, proj, **limits):
        path = write_book(build_sheets([proj], cf, flat_credit(), thresholds(**limits)))
        return evaluate(read_workbook(path), valuation_year=2025)

    def test_negative_forward_value_stops(self, write_book):
        # future: 2025 infrastructure 800,000 and sales of 200,000 in 2026:
        # npv_forward = -800,000/1.04^0.5 + 200,000/1.04^1.5 = -784,464.54 + 188,573.21 = -595,891.33
        cf = flows(("S", "prognose", 2023, "verwerving", 100_000), ("S", "prognose", 2025, "infrastructuur", 800_000),
                   ("S", "prognose", 2026, "verkoop", 200_000))
        ev = self._evaluate(write_book, cf, project("S"))
        assert ev.figures.iloc[0]["npv_forward"] == pytest.approx(-595891.33, abs=0.01)
        fired = set(ev.rules.loc[ev.rules["fired"], "rule"])
        # Without a risk register the chances are 0 or 1 and the chance rules agree with the value rules.
        assert fired == {"bijsturen_npv_onder", "stop_npv_onder", "min_irr_pct", "max_rente_op_marge_pct",
                         "max_kans_verlies_pct", "stop_kans_verlies_pct"}
        assert ev.figures.iloc[0]["verdict"] == "STOPZETTEN"
        sentence = ev.rules.set_index("rule").loc["stop_npv_onder", "sentence"]
        assert sentence == ("De contante waarde van wat nog komt, € -595.891, ligt onder de stopdrempel van "
                            "€ -500.000: stopzetten.")

    def test_market_value_outranks_stop(self, write_book):
        cf = flows(("S", "prognose", 2023, "verwerving", 100_000), ("S", "prognose", 2025, "infrastructuur", 800_000),
                   ("S", "prognose", 2026, "verkoop", 200_000))
        # 50,000 - (-595,891.33) = 645,891.33 > 100,000 -> AFSTOTEN, more severe than STOPZETTEN
        ev = self._evaluate(write_book, cf, project("S", marktwaarde_huidige_staat=50_000))
        rule = ev.rules.set_index("rule").loc["afstoten_voordeel_min"]
        assert rule["fired"] and rule["value"] == pytest.approx(645891.33, abs=0.01)
        assert ev.figures.iloc[0]["verdict"] == "AFSTOTEN"

    @pytest.mark.parametrize("start, expected", [(2020, "DOORGAAN"), (2019, "BIJSTUREN"), (2015, "BIJSTUREN"),
                                                 (2014, "STOPZETTEN")])
    def test_years_without_zoning(self, write_book, start, expected):
        # V - startjaar must exceed 5 (bijsturen) or 10 (stop): 2025 - 2019 = 6 > 5; 2025 - 2014 = 11 > 10.
        cf = _project_a()
        ev = self._evaluate(write_book, cf, project("A", startjaar=start, bestemming_zeker="nee"))
        assert ev.figures.iloc[0]["verdict"] == expected

    def test_secured_zoning_never_fires(self, write_book):
        ev = self._evaluate(write_book, _project_a(), project("A", startjaar=2000, bestemming_zeker="ja"))
        assert ev.figures.iloc[0]["verdict"] == "DOORGAAN"

    def test_interest_eating_the_margin(self, write_book):
        # Raising the limit on interest/margin to 1 % makes A's 1.98 % fire.
        ev = self._evaluate(write_book, _project_a(), project("A"), max_rente_op_marge_pct=1)
        assert ev.figures.iloc[0]["verdict"] == "BIJSTUREN"
        assert set(ev.rules.loc[ev.rules["fired"], "rule"]) == {"max_rente_op_marge_pct"}

    def test_no_irr_fires_min_irr(self, write_book):
        cf = flows(("N", "prognose", 2025, "verwerving", 100_000))  # never changes sign
        ev = self._evaluate(write_book, cf, project("N"))
        rule = ev.rules.set_index("rule").loc["min_irr_pct"]
        assert rule["fired"]
        assert rule["value"] is None or np.isnan(rule["value"])

    def test_finished_projects_get_no_verdict(self, write_book):
        ev = self._evaluate(write_book, _project_a(), project("A", status="afgerond"))
        assert ev.figures.iloc[0]["verdict"] is None
        assert ev.rules.empty


def test_actual_interest_of_future_years_is_reported_as_ignored(write_book):
    credit = flat_credit(rate=3.0, rates=RATES, actual={2025: 10_000.0})
    path = write_book(build_sheets([project("A")], _project_a(), credit))
    ev = evaluate(read_workbook(path), valuation_year=2025)
    assert any("rente_werkelijk" in w and "2025" in w for w in ev.warnings)
    assert not ev.yearly["interest_actual"].any()


def _generated(n_projects: int = 40, seed: int = 5):
    """A portfolio built in code: random spans and amounts, a credit table with a year missing within
    the flows' years (no rate: no interest), years before and after them and actual interest in one
    past year."""
    import pandas as pd

    from igemo_fin.valuation.portfolio import Portfolio
    from igemo_fin.valuation.thresholds import Settings, Thresholds

    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_projects):
        start, length = int(rng.integers(2010, 2020)), int(rng.integers(2, 12))
        rows.append((f"G{i:02d}", "prognose", start, "verwerving", -rng.uniform(1e5, 3e6)))
        for k in range(1, length):
            category = "verkoop" if k >= length // 2 else "infrastructuur"
            amount = rng.uniform(1e4, 2e6)
            rows.append((f"G{i:02d}", "prognose", start + k, category, amount if category == "verkoop" else -amount))
    cashflows = pd.DataFrame(rows, columns=["project_code", "versie", "jaar", "categorie", "bedrag"])
    codes = [f"G{i:02d}" for i in range(n_projects)]
    projects = pd.DataFrame({
        "project_code": codes, "naam": codes, "gemeente": "Mechelen", "type": "bedrijventerrein",
        "status": np.where(rng.random(n_projects) < 0.8, "actief", "afgerond"), "startjaar": 2010, "eindjaar": 2035,
        "oppervlakte_m2": np.nan, "bestemming_zeker": rng.random(n_projects) < 0.5,
        "marktwaarde_huidige_staat": np.where(rng.random(n_projects) < 0.5, rng.uniform(1e5, 5e6, n_projects), np.nan),
        "risicodeling_gemeente_pct": np.nan, "risicodeling_plafond": np.nan, "winstdeling_gemeente_pct": np.nan,
        "winstdeling_drempel": np.nan})
    years = np.array([y for y in range(2005, 2040) if y != 2011])
    credit = pd.DataFrame({"jaar": years, "rentevoet_pct": rng.uniform(0.5, 5, years.size),
                           "kredietlimiet": 1e9, "rente_werkelijk": np.where(years == 2012, 250_000.0, np.nan)})
    return Portfolio(projects=projects, cashflows=cashflows, credit=credit, thresholds=Thresholds(),
                     settings=Settings(waarderingsjaar=2016))


def test_the_vectorised_engine_equals_a_loop_per_project():
    # The slow path: each project on its own, year by year, as a spreadsheet would (without the
    # actual interest of 2012, which is shared over the projects and so checked on the totals).
    from igemo_fin.valuation.basis import SimulationSettings
    from igemo_fin.valuation.interest import days_in_year
    from igemo_fin.valuation.metrics import irr

    portfolio = _generated()
    ev = evaluate(portfolio, simulation=SimulationSettings(iterations=0))
    rates = dict(zip(portfolio.credit["jaar"], portfolio.credit["rentevoet_pct"]))
    V, r = ev.valuation_year, ev.discount_rate_pct / 100
    figures = ev.figures.set_index("project_code")
    for code, group in portfolio.cashflows.groupby("project_code"):
        by_year = group.groupby("jaar")["bedrag"].sum().to_dict()
        first, last = min(by_year), max(by_year)
        bv, npv_forward, interest, net = 0.0, 0.0, 0.0, []
        for y in range(first, last + 1):
            cf = by_year.get(y, 0.0)
            net.append(cf)
            npv_forward += cf / (1 + r) ** (y - V + 0.5) if y >= V else 0.0
            if y == 2012:
                i = ev.yearly.set_index(["project_code", "jaar"]).at[(code, y), "interest"]
            else:
                i = rates.get(y, 0.0) / 100 * days_in_year(y) / 360 * max(bv - cf / 2, 0.0)
            interest += i
            bv = bv - cf + i
        assert figures.at[code, "npv_forward"] == pytest.approx(npv_forward, abs=0.005)
        assert figures.at[code, "interest_total"] == pytest.approx(interest, abs=0.005)
        assert figures.at[code, "closing_book_value"] == pytest.approx(bv, abs=0.005)
        want = irr(net)
        assert np.isnan(want) == np.isnan(figures.at[code, "irr_full_life"])
        if not np.isnan(want):
            assert figures.at[code, "irr_full_life"] == pytest.approx(want, abs=1e-9)
    assert ev.yearly.loc[ev.yearly["jaar"] == 2012, "interest"].sum() == pytest.approx(250_000.0, abs=0.005)


def test_the_credit_frame_equals_pandas_reindexing_on_the_union_of_years():
    import pandas as pd

    from igemo_fin.valuation.basis import SimulationSettings

    portfolio = _generated()
    ev = evaluate(portfolio, simulation=SimulationSettings(iterations=0))
    table = portfolio.credit.set_index("jaar")
    years = np.union1d(table.index, ev.matrix.years)
    grid = pd.DataFrame({"used": ev.rates_pct, "drawn": ev.credit.set_index("jaar")["drawn_end"].reindex(ev.matrix.years),
                         "interest": ev.interest.interest.sum(axis=0)}, index=ev.matrix.years).reindex(years)
    want = pd.DataFrame({
        "jaar": years,
        "rentevoet_pct": grid["used"].where(grid["used"].notna(), table["rentevoet_pct"].reindex(years)).to_numpy(),
        "kredietlimiet": table["kredietlimiet"].reindex(years).to_numpy(),
        "interest": grid["interest"].fillna(0.0).to_numpy(),
        "rente_werkelijk": table["rente_werkelijk"].reindex(years).to_numpy(),
        "is_past": years < ev.valuation_year,
    })
    got = ev.credit[list(want.columns)]
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    only_the_grid = ev.credit[ev.credit["jaar"] == 2011].iloc[0]
    assert np.isnan(only_the_grid["rentevoet_pct"]) and only_the_grid["interest"] == 0.0
    assert only_the_grid["drawn_end"] > 0


def test_each_project_year_names_the_source_of_its_first_flow_line():
    import pandas as pd

    from igemo_fin.valuation.basis import SimulationSettings

    portfolio = _generated(12)
    lines = portfolio.cashflows
    gap = lines.groupby("project_code").nth(1).index  # the second line of each project: a year without flows
    portfolio = replace(portfolio, cashflows=lines.drop(index=gap))
    first = portfolio.cashflows.groupby("project_code").first()
    actuals = pd.DataFrame({"project_code": first.index, "jaar": first["jaar"], "categorie": "verwerving",
                            "bedrag": -1000.0}).reset_index(drop=True)
    ev = evaluate(portfolio, actuals=actuals, simulation=SimulationSettings(iterations=0))
    first_bron = ev.flows.groupby(["project_code", "jaar"])["bron"].first()
    want = [first_bron.get((c, y), "geen kasstroom") for c, y in zip(ev.yearly["project_code"], ev.yearly["jaar"])]
    assert ev.yearly["source"].tolist() == want
    assert {"werkelijk", "prognose", "geen kasstroom"} <= set(want)
