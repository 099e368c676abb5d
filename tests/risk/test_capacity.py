"""Tests of igemo_fin.risk.capacity: the shared portfolio loss and the A-F reading of the risk capacity."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from igemo_fin.columns import PROJECT_COLUMNS
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.risk.capacity import (GRADES, OPEN_STATUSES, risk_capacity_grade, risk_capacity_ratio,
                                     shared_losses)
from igemo_fin.risk.montecarlo import simulate

from risk_portfolios import V, make_portfolio, project, risk, tight


class TestRiskCapacityGrade:
    @pytest.mark.parametrize("ratio, grade, word", [
        (math.inf, "A", "uitstekend"), (2.0, "A", "uitstekend"), (1.999, "B", "ruim voldoende"),
        (1.4, "B", "ruim voldoende"), (1.39, "C", "voldoende"), (1.0, "C", "voldoende"),
        (0.99, "D", "matig"), (0.8, "D", "matig"), (0.79, "E", "onvoldoende"), (0.6, "E", "onvoldoende"),
        (0.59, "F", "ruim onvoldoende"), (0.0, "F", "ruim onvoldoende"), (math.nan, None, None),
    ])
    def test_scale(self, ratio, grade, word):
        assert risk_capacity_grade(ratio) == (grade, word)

    def test_six_grades(self):
        assert [g for g, _, _ in GRADES] == list("ABCDEF")


class TestPortfolioLoss:
    def test_certain_loss_shared_and_compared_with_equity(self):
        # Project T with a certain one-off of 1,000,000: its result becomes clearly negative.
        # Loss L = -result; the municipality carries min(40 % L, 150,000), IGEMO the rest.
        pf, ev = tight([risk("T", "eenmalig_eur", 100, 1_000_000)], equity=1_500_000.0)
        pf = replace(pf, projects=pd.DataFrame([project("T", share=40, cap=150_000)], columns=list(PROJECT_COLUMNS)))
        sim = simulate(pf, ev, iterations=100)
        loss = -sim.result_nominal[0, 0]
        assert loss > 0
        igemo = loss - min(0.4 * loss, 150_000)
        assert sim.portfolio["loss_p90"] == pytest.approx(igemo)
        assert sim.portfolio["loss_municipality_p90"] == pytest.approx(150_000)
        ratio = 1_500_000 / igemo
        assert sim.portfolio["risk_capacity_ratio"] == pytest.approx(ratio)
        assert sim.portfolio["risk_capacity_grade"] == risk_capacity_grade(ratio)[0]

    def test_finished_projects_do_not_count(self):
        flows = [("F", "prognose", 2016, "verwerving", 500_000), ("F", "prognose", 2019, "verkoop", 400_000)]
        pf = make_portfolio([project("F", status="afgerond", start=2016, end=2019)], flows, equity=1e6)
        sim = simulate(pf, evaluate(pf, valuation_year=V), iterations=50)
        assert sim.result_nominal[0, 0] < 0          # it did lose money ...
        assert sim.portfolio["loss_p90"] == 0.0      # ... but that is settled, not a risk ahead
        assert sim.portfolio["risk_capacity_ratio"] == math.inf
        assert sim.portfolio["risk_capacity_grade"] == "A"

    def test_no_equity_no_ratio(self):
        pf, ev = tight([risk("T", "eenmalig_eur", 100, 1_000_000)])
        sim = simulate(pf, ev, iterations=50)
        assert math.isnan(sim.portfolio["risk_capacity_ratio"])
        assert sim.portfolio["risk_capacity_grade"] is None
        assert any("eigen vermogen" in w for w in sim.warnings)


def test_shared_losses_by_hand():
    # Project S: 40 % for the municipality, capped at 100. Losses 100 and 300: the municipality
    # carries 40 and min(120, 100) = 100, IGEMO 60 and 200. Project F is finished: no loss counts.
    pf = make_portfolio([project("S", share=40, cap=100), project("F", status="afgerond")], [])
    result = np.array([[-100.0, -50.0], [-300.0, -10.0], [20.0, 0.0]])
    loss, municipality, igemo = shared_losses(pf, ["S", "F"], result)
    assert loss.tolist() == [[100, 0], [300, 0], [0, 0]]
    assert municipality.tolist() == [[40, 0], [100, 0], [0, 0]]
    assert igemo.tolist() == [[60, 0], [200, 0], [0, 0]]
    assert OPEN_STATUSES == ("actief", "stopgezet")
    _, _, all_statuses = shared_losses(pf, ["S", "F"], result, loss_statuses=("actief", "afgerond"))
    assert all_statuses[:, 1].tolist() == [50, 10, 0]


@pytest.mark.parametrize("equity, loss_p90, ratio", [
    (1_500_000.0, 1_000_000.0, 1.5), (1e6, 0.0, math.inf), (0.0, 0.0, math.nan), (None, 5.0, math.nan),
])
def test_risk_capacity_ratio(equity, loss_p90, ratio):
    got = risk_capacity_ratio(equity, loss_p90)
    assert (math.isnan(got) and math.isnan(ratio)) or got == ratio
