"""Tests of igemo_fin.risk.kernel: delayed flows, and the kernel against the deterministic engine
(``evaluate``) on workbooks that carry the same effect as a fixed, certain risk."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igemo_fin.columns import COST_CATEGORIES
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.risk.kernel import build_model, delay_flows, future_rates, run_batch
from igemo_fin.valuation.basis import Basis, SimulationSettings
from igemo_fin.risk.montecarlo import simulate
from igemo_fin.risk.scenarios import stress_portfolio

from risk_portfolios import (A_FLOWS, A_PV_COSTS, A_PV_OTHER, A_PV_SALES, R, V, df, make_portfolio, project, risk,
                             tight, with_a)


class TestDelayFlows:
    def test_fractional_split(self):
        # 1,000 in year 0 delayed 1.25: 750 to year 1, 250 to year 2.
        assert delay_flows(np.array([1000.0, 0.0]), 1.25).tolist() == [0.0, 750.0, 250.0, 0.0]

    def test_whole_years(self):
        assert delay_flows(np.array([[1.0, 2.0, 3.0]]), np.array([2.0])).tolist() == [[0, 0, 1, 2, 3]]

    def test_zero_delay_is_identity(self):
        flows = np.array([[5.0, -3.0, 7.0]])
        assert delay_flows(flows, 0.0).tolist() == flows.tolist()

    @settings(max_examples=200, deadline=None)
    @given(flows=st.lists(st.floats(-1e7, 1e7), min_size=1, max_size=12),
           delays=st.lists(st.floats(0, 6), min_size=1, max_size=5))
    def test_conserves_the_total(self, flows, delays):
        rows = np.tile(np.array(flows), (len(delays), 1))
        out = delay_flows(rows, np.array(delays))
        np.testing.assert_allclose(out.sum(axis=1), rows.sum(axis=1), rtol=1e-12, atol=1e-6)
        # and nothing moves earlier: the cumulative delayed flow never runs ahead for positive flows
        positive = np.abs(rows)
        moved = delay_flows(positive, np.array(delays))[:, :positive.shape[1]]
        assert np.all(np.cumsum(moved, axis=1) <= np.cumsum(positive, axis=1) + 1e-6)

    def test_negative_delay_refused(self):
        with pytest.raises(ValueError):
            delay_flows(np.ones(3), -1.0)


class TestAgainstTheDeterministicEngine:
    """A certain risk with a fixed impact must give exactly what evaluate gives on a workbook that
    carries the same change: npv_forward and the full-life result with its recomputed interest."""

    def _check(self, risks, changed_portfolio):
        pf, ev = with_a(risks)
        sim = simulate(pf, ev, iterations=3)
        ev2 = evaluate(changed_portfolio, valuation_year=V)
        assert sim.npv_forward[0, 0] == pytest.approx(ev2.figures["npv_forward"].iloc[0], rel=1e-12)
        assert sim.result_nominal[0, 0] == pytest.approx(ev2.figures["result_nominal"].iloc[0], rel=1e-12)

    def test_cost_increase(self):
        flows = [f if f[2] < V or f[3] not in COST_CATEGORIES else f[:4] + (f[4] * 1.1,) for f in A_FLOWS]
        self._check([risk("A", "kosten_pct", 100, 10)], make_portfolio([project("A")], flows))

    def test_price_fall_only_on_sales(self):
        flows = [f if f[3] != "verkoop" else f[:4] + (f[4] * 0.8,) for f in A_FLOWS]
        self._check([risk("A", "prijs_pct", 100, 20)], make_portfolio([project("A")], flows))

    @pytest.mark.parametrize("delay", [1.0, 2.0, 1.5, 0.25])
    def test_delay_of_every_revenue(self, delay):
        base = make_portfolio([project("A")], A_FLOWS)
        self._check([risk("A", "vertraging_jaren", 100, delay)], stress_portfolio(base, V, delay_years=delay))

    def test_one_off_cost(self):
        self._check([risk("A", "eenmalig_eur", 100, 250_000)],
                    make_portfolio([project("A")], A_FLOWS + [("A", "prognose", V, "overige_kosten", 250_000)]))

    def test_one_off_before_a_late_start_opens_the_span_in_v(self):
        flows = [("L", "prognose", 2027, "verwerving", 300_000), ("L", "prognose", 2029, "verkoop", 400_000)]
        pf = make_portfolio([project("L")], flows, [risk("L", "eenmalig_eur", 100, 50_000)])
        sim = simulate(pf, evaluate(pf, valuation_year=V), iterations=2)
        ev2 = evaluate(make_portfolio([project("L")], flows + [("L", "prognose", V, "studies", 50_000)]),
                       valuation_year=V)
        assert sim.result_nominal[0, 0] == pytest.approx(ev2.figures["result_nominal"].iloc[0], rel=1e-12)

    def test_risks_of_one_kind_add_up(self):
        # 4 % + 6 % happening together = 10 %
        flows = [f if f[2] < V or f[3] not in COST_CATEGORIES else f[:4] + (f[4] * 1.1,) for f in A_FLOWS]
        self._check([risk("A", "kosten_pct", 100, 4), risk("A", "kosten_pct", 100, 6)],
                    make_portfolio([project("A")], flows))

    def test_closed_form_of_a_combined_draw(self):
        # npv = -(1 + k) PV(costs) + (1 - q) PV(sales) v^n ((1 - f) + f v) + PV(other) v^n ((1 - f) + f v)
        #       - e * 1.03^-0.5,  with v = 1/1.03 and the delay d = n + f
        pf, ev = with_a([risk("A", "kosten_pct", 100, 7), risk("A", "prijs_pct", 100, 12),
                         risk("A", "vertraging_jaren", 100, 1.4), risk("A", "eenmalig_eur", 100, 30_000)])
        sim = simulate(pf, ev, iterations=2)
        v = 1 / (1 + R)
        g = v ** 1 * (0.6 + 0.4 * v)
        expected = -1.07 * A_PV_COSTS + 0.88 * A_PV_SALES * g + A_PV_OTHER * g - 30_000 * df(V)
        assert sim.npv_forward[0, 0] == pytest.approx(expected, rel=1e-12)


class TestRunBatch:
    def test_no_effect_gives_the_evaluation(self):
        pf, ev = with_a()
        zero = np.zeros((1, 1))
        npv, result = run_batch(build_model(pf, ev), zero, zero, zero, zero)
        assert npv[0, 0] == pytest.approx(ev.figures["npv_forward"].iloc[0], rel=1e-12)
        assert result[0, 0] == pytest.approx(ev.figures["result_nominal"].iloc[0], rel=1e-12)

    def test_each_row_of_a_batch_stands_alone(self):
        pf, ev = with_a()
        m = build_model(pf, ev)
        k, q, d, e = (np.array([[a], [b]]) for a, b in ((10, 0), (0, 5), (1.5, 0), (0, 20_000)))
        npv, result = run_batch(m, k, q, d, e)
        for row in range(2):
            one = run_batch(m, k[[row]], q[[row]], d[[row]], e[[row]])
            assert npv[row, 0] == pytest.approx(one[0][0, 0], rel=1e-12)
            assert result[row, 0] == pytest.approx(one[1][0, 0], rel=1e-12)


def test_future_rates_carry_the_stress_beyond_the_credit_table():
    # Credit table 2015-2027 at 3 %, the basis stressed +100 bp: 4 % in every year from V on,
    # also the years after 2027 (the table's last rate plus the stress).
    pf = make_portfolio([project("A")], A_FLOWS, last=2027)
    rates, tail = future_rates(Basis.of(pf, valuation_year=V, rate_shift_bp=100), 8)
    np.testing.assert_allclose(rates, 4.0)
    assert tail == pytest.approx(4.0)


def test_the_chance_of_loss_takes_part_in_the_verdict():
    # 37 % chance of a one-off 100,000 that turns npv_forward negative > max_kans_verlies_pct 30 -> BIJSTUREN,
    # although the forecast itself (npv_forward > 0) goes on.
    pf, ev = tight([risk("T", "eenmalig_eur", 37, 100_000)])
    assert ev.figures["verdict"].iloc[0] == "DOORGAAN"
    judged = evaluate(pf, valuation_year=V, simulation=SimulationSettings(iterations=5_000))
    assert judged.figures["verdict"].iloc[0] == "BIJSTUREN"
    rule = judged.rules.set_index("rule").loc["max_kans_verlies_pct"]
    assert bool(rule["evaluated"]) and bool(rule["fired"])
    assert judged.figures["prob_loss"].iloc[0] == pytest.approx(0.37, abs=0.02)
