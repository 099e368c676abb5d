"""Tests of igemo_fin.postcalc.calculation: the post-calculation of finished projects and the reference class."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igemo_fin.cli.main import main
from igemo_fin.columns import COST_CATEGORIES, PROJECT_COLUMNS, REVENUE_CATEGORIES
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.money import to_cents as _to_cents
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.postcalc.calculation import (
    CATEGORY_COLUMNS, POSTCALC_COLUMNS, REFERENCE_COLUMNS, post_calculation, reference_class,
)
from igemo_fin.valuation.thresholds import Settings, Thresholds
from igemo_fin.exports.workbook_writer import write_workbook

V = 2025


def to_cents(x) -> int:
    return _to_cents(float(x))  # money.to_cents reads floats through repr(): give it a Python float


def project(code, *, status="afgerond", type_="bedrijventerrein", start=2020, end=2022):
    row = {c: np.nan for c in PROJECT_COLUMNS}
    row.update(project_code=code, naam=f"Project {code}", gemeente="Gemeente", type=type_, status=status,
               startjaar=start, eindjaar=end, bestemming_zeker=True)
    return row


def make_portfolio(projects, flows, *, rate=3.6, first=2010, last=2040, actual_interest=None):
    """``flows``: (code, versie, jaar, categorie, positive amount)."""
    cashflows = pd.DataFrame(
        [(c, v, y, cat, -a if cat in COST_CATEGORIES else a) for c, v, y, cat, a in flows],
        columns=["project_code", "versie", "jaar", "categorie", "bedrag"])
    cashflows["jaar"] = cashflows["jaar"].astype("int64")
    credit = pd.DataFrame({"jaar": np.arange(first, last + 1, dtype=np.int64), "rentevoet_pct": rate,
                           "kredietlimiet": 1e8, "rente_werkelijk": np.nan})
    if actual_interest:
        for year, amount in actual_interest.items():
            credit.loc[credit["jaar"] == year, "rente_werkelijk"] = amount
    return Portfolio(projects=pd.DataFrame(projects, columns=list(PROJECT_COLUMNS)), cashflows=cashflows,
                     credit=credit, thresholds=Thresholds(), settings=Settings(waarderingsjaar=V))


# The tiny finished project F, worked out by hand (rate 3.6 % every year, ACT/360):
#   factor 2020 (leap year) = 0.036 * 366 / 360 = 0.0366; 2021 and 2022: 0.036 * 365 / 360 = 0.0365.
#
# Budget: 2020 verwerving 1,000,000; 2021 verkoop 1,200,000.
#   2020: avg = 0 + 1,000,000 / 2 = 500,000;          I = 0.0366 * 500,000   = 18,300.00
#         BV 2021 = 1,000,000 + 18,300 = 1,018,300
#   2021: avg = 1,018,300 - 1,200,000 / 2 = 418,300;  I = 0.0365 * 418,300   = 15,267.95
#   interest_budget = 33,567.95; result_budget = 1,200,000 - 1,000,000 - 33,567.95 = 166,432.05
#
# Actual (prognose of the finished project): 2020 verwerving 1,100,000; 2022 verkoop 1,150,000.
#   2020: avg = 550,000;                              I = 0.0366 * 550,000   = 20,130.00
#         BV 2021 = 1,120,130
#   2021: no flow, still in the span: avg = 1,120,130; I = 0.0365 * 1,120,130 = 40,884.745
#         BV 2022 = 1,161,014.745
#   2022: avg = 1,161,014.745 - 575,000 = 586,014.745; I = 0.0365 * 586,014.745 = 21,389.5381925
#   interest_actual = 82,404.2831925 -> 82,404.28; result_actual = 1,150,000 - 1,100,000 - 82,404.28 = -32,404.28
#
# Budget amounts at the actual timing (verwerving 1,000,000 in 2020, verkoop 1,200,000 in 2022):
#   2020: I = 18,300.00, BV 2021 = 1,018,300
#   2021: avg = 1,018,300;                            I = 0.0365 * 1,018,300 = 37,167.95
#         BV 2022 = 1,055,467.95
#   2022: avg = 1,055,467.95 - 600,000 = 455,467.95;  I = 0.0365 * 455,467.95 = 16,624.580175
#   interest_shifted = 72,092.530175 -> 72,092.53
#
# Variance = -32,404.28 - 166,432.05 = -198,836.33, split:
#   costs    = -(1,100,000 - 1,000,000)  = -100,000.00
#   revenues = 1,150,000 - 1,200,000     =  -50,000.00
#   timing   = -(72,092.53 - 33,567.95)  =  -38,524.58
#   interest = -(82,404.28 - 72,092.53)  =  -10,311.75
#   total                                = -198,836.33
# IRR planned: -1,000,000 + 1,200,000 / (1 + r) = 0 -> r = 20 %;
# IRR actual: -1,100,000 + 1,150,000 / (1 + r)^2 = 0 -> r = sqrt(1,150,000 / 1,100,000) - 1 = 2.2475 %.
F_FLOWS = [
    ("F", "begroting", 2020, "verwerving", 1_000_000), ("F", "begroting", 2021, "verkoop", 1_200_000),
    ("F", "prognose", 2020, "verwerving", 1_100_000), ("F", "prognose", 2022, "verkoop", 1_150_000),
]


@pytest.fixture
def tiny():
    return post_calculation(make_portfolio([project("F")], F_FLOWS), valuation_year=V)


class TestHandWorkedProject:
    def test_columns(self, tiny):
        assert list(tiny.projects.columns) == list(POSTCALC_COLUMNS)
        assert list(tiny.categories.columns) == list(CATEGORY_COLUMNS)
        assert list(tiny.reference.columns) == list(REFERENCE_COLUMNS)

    def test_result_and_interest(self, tiny):
        f = tiny.projects.iloc[0]
        assert f["costs_budget"] == 1_000_000.00 and f["revenues_budget"] == 1_200_000.00
        assert f["interest_budget"] == 33_567.95
        assert f["result_budget"] == 166_432.05
        assert f["costs_actual"] == 1_100_000.00 and f["revenues_actual"] == 1_150_000.00
        assert f["interest_actual"] == 82_404.28
        assert f["result_actual"] == -32_404.28
        assert f["interest_shifted"] == 72_092.53

    def test_variance_parts(self, tiny):
        f = tiny.projects.iloc[0]
        assert f["result_variance"] == -198_836.33
        assert f["variance_costs"] == -100_000.00
        assert f["variance_revenues"] == -50_000.00
        assert f["variance_timing"] == -38_524.58
        assert f["variance_interest"] == -10_311.75

    def test_spans_and_delay(self, tiny):
        f = tiny.projects.iloc[0]
        assert (f["planned_first_year"], f["planned_last_year"], f["planned_span_years"]) == (2020, 2021, 2)
        assert (f["actual_first_year"], f["actual_last_year"], f["actual_span_years"]) == (2020, 2022, 3)
        assert f["span_change_years"] == 1
        assert (f["planned_revenue_year"], f["actual_revenue_year"], f["delay_years"]) == (2021, 2022, 1)

    def test_irr(self, tiny):
        f = tiny.projects.iloc[0]
        assert f["irr_planned"] == pytest.approx(0.20, abs=1e-10)
        assert f["irr_actual"] == pytest.approx(math.sqrt(1_150_000 / 1_100_000) - 1, abs=1e-10)

    def test_categories(self, tiny):
        c = tiny.categories.set_index("categorie")
        assert c.loc["verwerving", ["budget", "actual", "variance", "effect_on_result"]].tolist() == [
            1_000_000.0, 1_100_000.0, 100_000.0, -100_000.0]
        assert c.loc["verwerving", "variance_pct"] == pytest.approx(10.0)
        assert c.loc["verkoop", ["budget", "actual", "variance", "effect_on_result"]].tolist() == [
            1_200_000.0, 1_150_000.0, -50_000.0, -50_000.0]
        assert c.loc["verkoop", "variance_pct"] == pytest.approx(-100 * 50 / 1200)
        assert c.loc["verwerving", "soort"] == "kost" and c.loc["verkoop", "soort"] == "opbrengst"

    def test_ratios(self, tiny):
        f = tiny.projects.iloc[0]
        assert f["cost_ratio"] == pytest.approx(1.1)
        assert f["revenue_ratio"] == pytest.approx(1_150 / 1_200)

    def test_actual_matches_the_evaluation(self):
        pf = make_portfolio([project("F")], F_FLOWS)
        ev = evaluate(pf, valuation_year=V)
        post = post_calculation(pf, evaluation=ev)
        assert post.projects["result_actual"].iloc[0] == pytest.approx(ev.figures["result_nominal"].iloc[0], abs=0.01)


class TestActualsAndInterest:
    def test_ledger_actuals_replace_the_forecast(self):
        # The ledger says 2022 sold 1,140,000 (not 1,150,000): revenues -10,000 more.
        pf = make_portfolio([project("F")], F_FLOWS)
        ledger = pd.DataFrame({"project_code": ["F"], "jaar": [2022], "categorie": ["verkoop"],
                               "bedrag": [1_140_000.0]})
        post = post_calculation(pf, valuation_year=V, actuals=ledger)
        f = post.projects.iloc[0]
        assert f["revenues_actual"] == 1_140_000.0
        assert f["variance_revenues"] == -60_000.0
        assert to_cents(f["variance_costs"]) + to_cents(f["variance_revenues"]) + to_cents(
            f["variance_interest"]) + to_cents(f["variance_timing"]) == to_cents(f["result_variance"])

    def test_allocated_actual_interest_counts_on_the_actual_side_only(self):
        # rente_werkelijk 2021 = 50,000 instead of the computed 40,884.745: the actual interest
        # rises by 9,115.255 plus its effect on 2022; the budget's interest does not move.
        pf = make_portfolio([project("F")], F_FLOWS, actual_interest={2021: 50_000.0})
        f = post_calculation(pf, valuation_year=V).projects.iloc[0]
        assert f["interest_budget"] == 33_567.95
        assert f["interest_shifted"] == 72_092.53
        # 2022: BV = 1,120,130 + 50,000 = 1,170,130; avg = 595,130; I = 0.0365 * 595,130 = 21,722.245
        assert f["interest_actual"] == pytest.approx(20_130 + 50_000 + 21_722.245, abs=0.006)
        assert f["variance_timing"] == -38_524.58

    def test_no_budget(self):
        pf = make_portfolio([project("N")], [("N", "prognose", 2020, "verwerving", 10.0),
                                             ("N", "prognose", 2021, "verkoop", 20.0)])
        post = post_calculation(pf, valuation_year=V)
        f = post.projects.iloc[0]
        assert not f["has_budget"] and math.isnan(f["result_variance"]) and math.isnan(f["cost_ratio"])
        assert any("geen begroting" in w for w in post.warnings)

    def test_only_finished_projects(self):
        pf = make_portfolio([project("F"), project("A", status="actief", end=2030)],
                            F_FLOWS + [("A", "begroting", 2024, "studies", 5.0),
                                       ("A", "prognose", 2026, "studies", 5.0)])
        assert post_calculation(pf, valuation_year=V).projects["project_code"].tolist() == ["F"]


year = st.integers(2012, 2024)
amount = st.integers(1, 5_000_000_00).map(lambda c: c / 100)  # whole cents
line = st.tuples(year, st.sampled_from(COST_CATEGORIES + REVENUE_CATEGORIES), amount)


class TestVarianceAddsUp:
    @settings(max_examples=60, deadline=None)
    @given(budget=st.lists(line, min_size=1, max_size=8), actual=st.lists(line, min_size=1, max_size=8),
           rate=st.floats(0.0, 9.0))
    def test_parts_add_up_to_the_cent(self, budget, actual, rate):
        flows = [("P", "begroting", y, c, a) for y, c, a in budget] + [("P", "prognose", y, c, a) for y, c, a in actual]
        pf = make_portfolio([project("P")], flows, rate=rate)
        f = post_calculation(pf, valuation_year=V).projects.iloc[0]
        parts = [f["variance_costs"], f["variance_revenues"], f["variance_interest"], f["variance_timing"]]
        assert sum(to_cents(p) for p in parts) == to_cents(f["result_variance"])
        assert to_cents(f["result_actual"]) - to_cents(f["result_budget"]) == to_cents(f["result_variance"])
        # and each result is its own parts
        assert to_cents(f["revenues_budget"]) - to_cents(f["costs_budget"]) - to_cents(
            f["interest_budget"]) == to_cents(f["result_budget"])

    def test_same_amounts_same_timing_no_variance(self):
        flows = [("P", v, y, c, a) for v in ("begroting", "prognose")
                 for y, c, a in ((2015, "verwerving", 7.0e5), (2017, "verkoop", 9.0e5))]
        f = post_calculation(make_portfolio([project("P")], flows), valuation_year=V).projects.iloc[0]
        assert [f[k] for k in ("result_variance", "variance_costs", "variance_revenues", "variance_interest",
                               "variance_timing")] == [0.0] * 5

    def test_same_amounts_later_is_pure_timing(self):
        flows = [("P", "begroting", 2015, "verwerving", 7.0e5), ("P", "begroting", 2016, "verkoop", 9.0e5),
                 ("P", "prognose", 2015, "verwerving", 7.0e5), ("P", "prognose", 2018, "verkoop", 9.0e5)]
        f = post_calculation(make_portfolio([project("P")], flows), valuation_year=V).projects.iloc[0]
        assert f["variance_costs"] == 0 and f["variance_revenues"] == 0 and f["variance_interest"] == 0
        assert f["variance_timing"] == f["result_variance"] < 0


class TestReferenceClass:
    def members(self):
        return pd.DataFrame({
            "project_code": ["A", "B", "C", "D"],
            "type": ["wonen", "wonen", "wonen", "reconversie"],
            "cost_ratio": [1.0, 1.1, 1.3, 2.0],
            "revenue_ratio": [0.9, 1.0, 1.05, 0.5],
            "delay_years": [0.0, 1.0, 2.0, 4.0],
        })

    def test_own_type_with_three(self):
        ref = reference_class(self.members()).set_index("type")
        w = ref.loc["wonen"]
        assert not w["fallback"] and w["basis"] == "type" and w["finished_count"] == 3
        # numpy linear percentiles over [1.0, 1.1, 1.3]: P50 = 1.1; P80 at rank 1.6 = 1.1 + 0.6 * 0.2 = 1.22
        assert w["cost_ratio_p50"] == pytest.approx(1.1) and w["cost_ratio_p80"] == pytest.approx(1.22)
        # revenue: the unfavourable P80 is the 20th percentile of [0.9, 1.0, 1.05]: rank 0.4 -> 0.94
        assert w["revenue_ratio_p50"] == pytest.approx(1.0) and w["revenue_ratio_p80"] == pytest.approx(0.94)
        # delay [0, 1, 2]: P50 = 1, P80 = 1.6
        assert w["delay_p50"] == pytest.approx(1.0) and w["delay_p80"] == pytest.approx(1.6)
        assert (w["cost_ratio_n"], w["revenue_ratio_n"], w["delay_n"]) == (3, 3, 3)

    def test_fallback_to_all_types(self):
        ref = reference_class(self.members()).set_index("type")
        r = ref.loc["reconversie"]
        assert r["fallback"] and r["basis"] == "alle types" and r["finished_count"] == 1
        assert r["cost_ratio_n"] == 4
        assert r["cost_ratio_p50"] == pytest.approx(np.percentile([1.0, 1.1, 1.3, 2.0], 50))
        assert "alle 4" in r["note"]
        assert ref.loc["gemengd", "finished_count"] == 0 and ref.loc["gemengd", "fallback"]

    def test_empty(self):
        ref = reference_class(self.members().iloc[:0])
        assert ref["cost_ratio_n"].tolist() == [0, 0, 0, 0]
        assert ref["cost_ratio_p50"].isna().all()

    def test_from_the_post_calculation(self):
        flows = []
        for code, overrun in (("W1", 1.0), ("W2", 1.2), ("W3", 1.4)):
            flows += [(code, "begroting", 2015, "verwerving", 1e6), (code, "begroting", 2017, "verkoop", 1.5e6),
                      (code, "prognose", 2015, "verwerving", 1e6 * overrun), (code, "prognose", 2018, "verkoop", 1.5e6)]
        pf = make_portfolio([project(c, type_="wonen") for c in ("W1", "W2", "W3")], flows)
        ref = post_calculation(pf, valuation_year=V).reference.set_index("type")
        assert ref.loc["wonen", "cost_ratio_p50"] == pytest.approx(1.2)
        assert ref.loc["wonen", "delay_p50"] == pytest.approx(1.0)
        assert not ref.loc["wonen", "fallback"]


class TestCli:
    def test_postcalc_json(self, tmp_path, capsys):
        pf = make_portfolio([project("F")], F_FLOWS)
        projects = pf.projects.copy()
        projects["bestemming_zeker"] = "ja"
        flows = pf.cashflows.copy()
        flows["bedrag"] = flows["bedrag"].abs()
        path = tmp_path / "p.xlsx"
        write_workbook({"projecten": projects, "kasstromen": flows, "kaskrediet": pf.credit,
                        "drempels": pd.DataFrame({"parameter": [], "waarde": []}),
                        "instellingen": pd.DataFrame({"parameter": ["waarderingsjaar"], "waarde": [V]})}, path)
        assert main(["postcalc", str(path), "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        p = out["projects"][0]
        assert p["variance"] == {"total": -198_836.33, "costs": -100_000.0, "revenues": -50_000.0,
                                 "interest": -10_311.75, "timing": -38_524.58}
        assert p["result_budget"] == 166_432.05 and p["result_actual"] == -32_404.28
        assert {c["categorie"] for c in p["categories"]} == {"verwerving", "verkoop"}
        assert [r["type"] for r in out["reference_class"]] == ["bedrijventerrein", "wonen", "reconversie", "gemengd"]
        assert out["reference_class"][0]["fallback"] is True

        assert main(["postcalc", str(path)]) == 0
        assert "Nacalculatie" in capsys.readouterr().out

    def test_invalid_workbook_exits_2(self, tmp_path, capsys):
        path = tmp_path / "bad.xlsx"
        write_workbook({"projecten": pd.DataFrame({"x": [1]})}, path)
        assert main(["postcalc", str(path), "--json"]) == 2
        assert capsys.readouterr().out == ""
