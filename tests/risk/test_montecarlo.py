"""Tests of igemo_fin.risk.montecarlo: the chance of loss, its statistics, reproducibility and the
optional uncertainties (reference class, rate spread).

The portfolios are built in code (``risk_portfolios``); reference values are worked out in the comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.valuation.thresholds import Thresholds
from igemo_fin.risk.montecarlo import SIM_PROJECT_COLUMNS, simulate

from conftest import ROOT, load_module
from risk_portfolios import (A_FLOWS, A_PV_COSTS, A_PV_OTHER, A_PV_SALES, MIXED_RISKS, R, T_FLOWS, T_NPV, V, df,
                             make_portfolio, project, risk, tight, with_a)


class TestBase:
    def test_no_risk_reproduces_the_evaluation(self):
        pf = make_portfolio([project("A"), project("T"), project("F", status="afgerond", start=2016, end=2019)],
                            A_FLOWS + T_FLOWS + [("F", "prognose", 2016, "verwerving", 500_000),
                                                 ("F", "prognose", 2019, "verkoop", 400_000)])
        ev = evaluate(pf, valuation_year=V)
        sim = simulate(pf, ev, iterations=5)
        for i in range(5):
            np.testing.assert_allclose(sim.npv_forward[i], ev.figures["npv_forward"], rtol=1e-12, atol=1e-6)
            np.testing.assert_allclose(sim.result_nominal[i], ev.figures["result_nominal"], rtol=1e-12, atol=1e-6)
        assert sim.projects["prob_loss"].tolist() == [0.0, 0.0, 0.0]
        assert list(sim.projects.columns) == list(SIM_PROJECT_COLUMNS)

    def test_tight_project_reference_value(self):
        pf, ev = tight()
        assert ev.figures["npv_forward"].iloc[0] == pytest.approx(T_NPV)
        assert T_NPV == pytest.approx(66_964.13, abs=0.01)


class TestProbLoss:
    @pytest.mark.parametrize("kind, impact", [
        ("eenmalig_eur", 100_000),    # npv 66,964 - 100,000 * 1.03^-0.5 < 0
        ("kosten_pct", 10),           # costs +98,533 in PV (10 % of 985,329)
        ("prijs_pct", 10),            # sales -105,229 in PV (10 % of 1,052,293)
        ("vertraging_jaren", 3),      # 1,052,293 * 1.03^-3 = 962,998 < 985,329
    ])
    def test_equals_kans_pct_for_a_fixed_impact(self, kind, impact):
        # Issue 5 point 8: within 1.5 points at 20,000 iterations (binomial sd at 37 %: 0.34 points).
        pf, ev = tight([risk("T", kind, 37, impact)])
        sim = simulate(pf, ev, iterations=20_000, seed=11)
        assert abs(100 * sim.projects["prob_loss"].iloc[0] - 37) < 1.5

    def test_two_independent_risks(self):
        # Each alone turns the npv negative: P(loss) = 1 - (1 - 0.2)(1 - 0.3) = 0.44.
        pf, ev = tight([risk("T", "eenmalig_eur", 20, 100_000), risk("T", "prijs_pct", 30, 10)])
        sim = simulate(pf, ev, iterations=20_000, seed=12)
        assert abs(100 * sim.projects["prob_loss"].iloc[0] - 44) < 1.5

    def test_harmless_risk_gives_no_loss(self):
        pf, ev = tight([risk("T", "eenmalig_eur", 90, 10_000)])
        assert simulate(pf, ev, iterations=2_000).projects["prob_loss"].iloc[0] == 0.0

    def test_triangular_impact_mean_through_the_engine(self):
        # npv is linear in k: npv = base - k/100 * PV(costs); a certain kosten_pct (0, 5, 25) has
        # mean k = 10, so the mean npv is base - 0.10 * PV(costs).
        pf, ev = with_a([risk("A", "kosten_pct", 100, 0, 5, 25)])
        sim = simulate(pf, ev, iterations=50_000, seed=5)
        mean_k = 100 * (ev.figures["npv_forward"].iloc[0] - sim.npv_forward[:, 0].mean()) / A_PV_COSTS
        assert mean_k == pytest.approx(10.0, abs=0.1)

    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_never_falls_when_a_risk_becomes_more_likely(self, seed):
        # Common random numbers: the same seed, only kans_pct of the first risk rises.
        chances = range(0, 101, 10)
        losses, npvs = [], []
        for chance in chances:
            pf, ev = tight([risk("T", "prijs_pct", chance, 0, 5, 15), risk("T", "kosten_pct", 25, 0, 2, 8),
                            risk("T", "vertraging_jaren", 15, 0, 1, 3)])
            sim = simulate(pf, ev, iterations=4_000, seed=seed)
            losses.append(sim.projects["prob_loss"].iloc[0])
            npvs.append(sim.npv_forward[:, 0])
        assert all(b >= a for a, b in zip(losses, losses[1:])), losses
        assert losses[-1] > losses[0]
        # Stronger, and the reason why: iteration by iteration the forward NPV never rises, so the
        # iterations in loss at a lower chance stay in loss at a higher one.
        assert all(np.all(b <= a + 1e-6) for a, b in zip(npvs, npvs[1:]))

    @settings(max_examples=25, deadline=None)
    @given(p1=st.floats(0, 100), p2=st.floats(0, 100), seed=st.integers(0, 2 ** 32 - 1),
           kind=st.sampled_from(["kosten_pct", "prijs_pct", "vertraging_jaren", "eenmalig_eur"]))
    def test_monotone_property(self, p1, p2, seed, kind):
        low, high = sorted((p1, p2))
        impact = {"kosten_pct": (0, 6, 20), "prijs_pct": (0, 6, 20), "vertraging_jaren": (0, 1, 4),
                  "eenmalig_eur": (0, 50_000, 200_000)}[kind]
        result, npvs = [], []
        for chance in (low, high):
            pf, ev = tight([risk("T", kind, chance, *impact), risk("T", "kosten_pct", 30, 0, 3, 9)])
            sim = simulate(pf, ev, iterations=1_000, seed=seed)
            result.append(sim.projects["prob_loss"].iloc[0])
            npvs.append(sim.npv_forward[:, 0])
        assert result[1] >= result[0]
        assert np.all(npvs[1] <= npvs[0] + 1e-6)


class TestReproducibility:
    def test_same_seed_same_figures(self):
        pf, ev = with_a(MIXED_RISKS)
        a = simulate(pf, ev, iterations=3_000, seed=42)
        b = simulate(pf, ev, iterations=3_000, seed=42)
        assert np.array_equal(a.npv_forward, b.npv_forward)
        assert np.array_equal(a.result_nominal, b.result_nominal)
        pd.testing.assert_frame_equal(a.projects, b.projects)
        assert a.portfolio == b.portfolio

    def test_other_seed_other_figures(self):
        pf, ev = with_a(MIXED_RISKS)
        assert not np.array_equal(simulate(pf, ev, iterations=500, seed=1).npv_forward,
                                  simulate(pf, ev, iterations=500, seed=2).npv_forward)

    def test_chunks_and_threads_do_not_change_the_figures(self):
        pf, ev = with_a(MIXED_RISKS)
        a = simulate(pf, ev, iterations=1_000, seed=3, threads=1)
        b = simulate(pf, ev, iterations=1_000, seed=3, chunk_size=37, threads=2)
        assert np.array_equal(a.npv_forward, b.npv_forward)
        assert np.array_equal(a.result_nominal, b.result_nominal)

    def test_a_longer_run_extends_a_shorter_one(self):
        pf, ev = with_a(MIXED_RISKS)
        short = simulate(pf, ev, iterations=100, seed=9)
        long = simulate(pf, ev, iterations=1_000, seed=9)
        assert np.array_equal(short.npv_forward, long.npv_forward[:100])

    def test_no_seed_reports_its_entropy(self):
        pf, ev = with_a(MIXED_RISKS)
        a = simulate(pf, ev, iterations=200, seed=None)
        b = simulate(pf, ev, iterations=200, seed=a.seed)
        assert np.array_equal(a.npv_forward, b.npv_forward)

    def test_float32_close_to_float64(self):
        pf, ev = with_a(MIXED_RISKS)
        a = simulate(pf, ev, iterations=500, seed=4)
        b = simulate(pf, ev, iterations=500, seed=4, dtype=np.float32)
        np.testing.assert_allclose(a.npv_forward, b.npv_forward, rtol=1e-5, atol=1.0)


class TestStatistics:
    def test_percentiles_and_expected_shortfall(self):
        # A one-off of 200,000 with 20 % chance: 20 % of iterations at npv_1 = base - 200,000 * 1.03^-0.5,
        # the rest at base. The worst 10 % all sit at npv_1: expected_shortfall = npv_1; P10 = npv_1;
        # P50 = P90 = base.
        pf, ev = tight([risk("T", "eenmalig_eur", 20, 200_000)])
        sim = simulate(pf, ev, iterations=10_000, seed=8)
        row = sim.projects.iloc[0]
        hit = T_NPV - 200_000 * df(V)
        assert row["expected_shortfall"] == pytest.approx(hit)
        assert row["npv_p10"] == pytest.approx(hit)
        assert row["npv_p50"] == pytest.approx(T_NPV)
        assert row["npv_p90"] == pytest.approx(T_NPV)
        assert row["npv_forward_base"] == pytest.approx(T_NPV)


class TestOptionalUncertainty:
    def test_reference_class_bootstrap(self):
        # Every member overran its costs by 20 % and sold 10 % less, one year late: a certain
        # draw. npv = -1.2 PV(costs) + 0.9 (PV(sales) + PV(other)) v.
        members = pd.DataFrame({"project_code": ["X", "Y", "Z"], "type": "bedrijventerrein",
                                "cost_ratio": 1.2, "revenue_ratio": 0.9, "delay_years": 1.0})
        pf, ev = with_a()
        sim = simulate(pf, ev, iterations=20, reference=members)
        expected = -1.2 * A_PV_COSTS + 0.9 * (A_PV_SALES + A_PV_OTHER) / (1 + R)
        np.testing.assert_allclose(sim.npv_forward[:, 0], expected, rtol=1e-12)
        assert sim.portfolio["reference_class"] is True

    def test_reference_class_draws_from_the_members(self):
        members = pd.DataFrame({"project_code": ["X", "Y", "Z"], "type": "bedrijventerrein",
                                "cost_ratio": [1.0, 1.1, 1.5], "revenue_ratio": 1.0, "delay_years": 0.0})
        pf, ev = with_a()
        sim = simulate(pf, ev, iterations=3_000, reference=members, seed=1)
        ratios = np.round(1 + (ev.figures["npv_forward"].iloc[0] - sim.npv_forward[:, 0]) / A_PV_COSTS, 9)
        assert set(ratios.tolist()) == {1.0, 1.1, 1.5}
        assert abs((ratios == 1.5).mean() - 1 / 3) < 0.04

    def test_rate_spread(self):
        pf, ev = with_a()
        sim = simulate(pf, ev, iterations=2_000, rate_spread_bp=100, seed=3)
        assert sim.npv_forward[:, 0].std() > 0 and sim.result_nominal[:, 0].std() > 0
        # the default discount rate moves with the credit rate: the mean stays near the base
        assert sim.npv_forward[:, 0].mean() == pytest.approx(ev.figures["npv_forward"].iloc[0], rel=0.01)

    def test_rate_spread_with_an_explicit_discount_rate_moves_only_the_interest(self):
        pf, ev = with_a(thresholds=Thresholds(disconteringsvoet_pct=4.0))
        sim = simulate(pf, ev, iterations=500, rate_spread_bp=100, seed=3)
        np.testing.assert_allclose(sim.npv_forward[:, 0], ev.figures["npv_forward"].iloc[0], rtol=1e-12)
        assert sim.result_nominal[:, 0].std() > 0


class TestFastPathAgainstTheSlowPath:
    """The chunked, threaded run against one chunk in one thread and against a plain Python loop over
    iterations, projects and years (the benchmark's): to the cent, the statistics included."""

    @pytest.fixture(scope="class")
    def case(self):
        bench = load_module(ROOT / "benchmarks" / "bench_risk.py")
        pf = bench.generate(12, 12, seed=3)
        ev = evaluate(pf, valuation_year=bench.V)
        return bench, pf, ev

    def test_chunks_equal_one_chunk_to_the_cent(self, case):
        _, pf, ev = case
        whole = simulate(pf, ev, iterations=600, seed=5, chunk_size=600, threads=1, rate_spread_bp=40)
        chunked = simulate(pf, ev, iterations=600, seed=5, chunk_size=7, threads=2, rate_spread_bp=40)
        np.testing.assert_allclose(chunked.npv_forward, whole.npv_forward, rtol=0, atol=0.005)
        np.testing.assert_allclose(chunked.result_nominal, whole.result_nominal, rtol=0, atol=0.005)
        numbers = [c for c in SIM_PROJECT_COLUMNS if c not in ("project_code", "status", "type")]
        np.testing.assert_allclose(chunked.projects[numbers].to_numpy(float), whole.projects[numbers].to_numpy(float),
                                   rtol=0, atol=0.005)
        assert chunked.projects["prob_loss"].tolist() == whole.projects["prob_loss"].tolist()
        for key in ("loss_mean", "loss_p50", "loss_p90", "loss_p99", "loss_total_p90", "loss_municipality_p90"):
            assert chunked.portfolio[key] == pytest.approx(whole.portfolio[key], abs=0.005)
        assert chunked.portfolio["prob_portfolio_loss"] == whole.portfolio["prob_portfolio_loss"]

    def test_the_engine_equals_the_python_loop_to_the_cent(self, case):
        bench, pf, ev = case
        sim = simulate(pf, ev, iterations=40, seed=6)
        npvs, results = bench.python_loop(pf, ev, 40, 6)
        np.testing.assert_allclose(sim.npv_forward, np.array(npvs), rtol=0, atol=0.005)
        np.testing.assert_allclose(sim.result_nominal, np.array(results), rtol=0, atol=0.005)
