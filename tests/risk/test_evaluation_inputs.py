"""Tests of igemo_fin.risk.evaluation_inputs: an evaluation's inputs read back, and evaluating again."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.valuation.thresholds import Thresholds
from igemo_fin.risk.evaluation_inputs import discount_follows_credit, future_rates, reevaluate
from igemo_fin.risk.montecarlo import simulate

from risk_portfolios import A_FLOWS, V, make_portfolio, project, risk, tight, with_a


class TestVerdict:
    def test_prob_loss_takes_part_in_the_verdict(self):
        # 37 % chance of loss > max_kans_verlies_pct 30 -> BIJSTUREN, although npv_forward > 0.
        pf, ev = tight([risk("T", "eenmalig_eur", 37, 100_000)])
        assert ev.figures["verdict"].iloc[0] == "DOORGAAN"
        sim = simulate(pf, ev, iterations=5_000)
        ev2 = reevaluate(pf, ev, prob_loss=sim.prob_loss())
        assert ev2.figures["verdict"].iloc[0] == "BIJSTUREN"
        rule = ev2.rules.set_index("rule").loc["max_kans_verlies_pct"]
        assert bool(rule["evaluated"]) and bool(rule["fired"])


def test_reevaluate_without_changes_gives_the_same_figures():
    pf, ev = with_a(thresholds=Thresholds(disconteringsvoet_pct=4.0))
    again = reevaluate(pf, ev)
    pd.testing.assert_frame_equal(again.figures, ev.figures)


def test_discount_follows_credit_only_when_it_is_the_default():
    pf, ev = with_a()
    assert discount_follows_credit(pf, ev)
    pf4, ev4 = with_a(thresholds=Thresholds(disconteringsvoet_pct=4.0))
    assert not discount_follows_credit(pf4, ev4)


def test_future_rates_carry_the_stress_beyond_the_credit_table():
    # Credit table 2015-2027 at 3 %, the evaluation stressed +100 bp: 4 % in every year from V on,
    # also the years after 2027 (the table's last rate plus the stress).
    pf = make_portfolio([project("A")], A_FLOWS, last=2027)
    ev = evaluate(pf, valuation_year=V, rate_shift_bp=100)
    rates, tail = future_rates(pf, ev, 8)
    np.testing.assert_allclose(rates, 4.0)
    assert tail == pytest.approx(4.0)
