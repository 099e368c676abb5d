"""Bands of the outlook: the same draws as the evaluation's simulation, and the base path without risk."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.outlook.bands import BAND_COLUMNS, outlook_bands
from igemo_fin.outlook.path import outlook_path
from igemo_fin.valuation.basis import Basis, SimulationSettings
from igemo_fin.valuation.evaluate import evaluate, simulation_of

from conftest import DEMO_WORKBOOK
from outlook_cases import old_sheets


@pytest.fixture(scope="module")
def demo():
    portfolio = read_workbook(DEMO_WORKBOOK)
    ev = evaluate(Basis.of(portfolio, simulation=SimulationSettings(iterations=2_000, seed=7)))
    path = outlook_path(ev)
    sim = simulation_of(ev, path_years=len(path))
    return ev, path, sim


def test_without_risks_every_band_is_the_base_path(write_book):
    ev = evaluate(read_workbook(write_book(old_sheets())), simulation=SimulationSettings(iterations=50))
    path = outlook_path(ev)
    bands = outlook_bands(ev, path, simulation_of(ev, path_years=len(path)))
    assert list(bands.columns) == list(BAND_COLUMNS)
    for p in ("p10", "p50", "p90"):
        assert bands[f"credit_{p}"].to_numpy() == pytest.approx(path["credit_drawn"].to_numpy(), abs=1e-6)
        assert bands[f"equity_{p}"].to_numpy() == pytest.approx(path["equity"].to_numpy(), abs=0.01)
    # Default thresholds: the limit is 100 % of 1,000,000 and the floor 0; neither is crossed.
    assert bands["prob_limit_exceeded"].tolist() == [0.0, 0.0, 0.0]
    assert bands["prob_equity_below_floor"].tolist() == [0.0, 0.0, 0.0]


def test_the_bands_use_the_evaluations_own_draws(demo):
    ev, path, sim = demo
    # Common random numbers: the run that keeps the paths reproduces every figure of the evaluation's run.
    assert np.array_equal(sim.result_nominal, ev.simulation.result_nominal)
    assert np.array_equal(sim.npv_forward, ev.simulation.npv_forward)
    # The evaluation's own run keeps the credit of every year of the outlook: the same paths.
    assert sim.credit_drawn.shape == (2_000, len(path))
    assert np.array_equal(ev.simulation.credit_drawn, sim.credit_drawn)


def test_bands_are_ordered_and_the_chances_follow_the_thresholds(demo):
    ev, path, sim = demo
    bands = outlook_bands(ev, path, sim)
    assert (bands["credit_p10"] <= bands["credit_p50"]).all() and (bands["credit_p50"] <= bands["credit_p90"]).all()
    assert (bands["equity_p10"] <= bands["equity_p50"]).all() and (bands["equity_p50"] <= bands["equity_p90"]).all()
    strict = replace(ev, thresholds=replace(ev.thresholds, max_kredietgebruik_pct=60.0, min_eigen_vermogen=14e6))
    tight = outlook_bands(strict, path, sim)
    assert (tight["prob_limit_exceeded"] >= bands["prob_limit_exceeded"]).all()
    assert tight["prob_limit_exceeded"].max() > 0
    assert (tight["prob_equity_below_floor"] >= bands["prob_equity_below_floor"]).all()
    # The chance is the share of iterations above 60 % of the limit, year by year.
    usable = path["credit_limit"].to_numpy() * 0.6
    assert tight["prob_limit_exceeded"].to_numpy() == pytest.approx((sim.credit_drawn > usable).mean(axis=0))
