"""The base path of the multi-year outlook, worked out by hand (tests/outlook_cases.py)."""

from __future__ import annotations

import numpy as np
import pytest

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.obligations.spread import return_spread
from igemo_fin.outlook.path import PATH_COLUMNS, outlook_path
from igemo_fin.valuation.evaluate import evaluate

from outlook_cases import old_sheets


@pytest.fixture
def path(write_book):
    return outlook_path(evaluate(read_workbook(write_book(old_sheets()))))


def test_years_run_from_v_to_the_last_forecast_year(path):
    assert list(path.columns) == list(PATH_COLUMNS)
    assert path["jaar"].tolist() == [2025, 2026, 2027]


def test_credit_drawn_peak_and_interest(path):
    # Book values at 0 %: A 400,000 -> 600,000 (end 2025) -> 100,000 (2026) -> -200,000 (2027);
    # B runs 2026-2027: 300,000 (end 2026) -> 50,000 (end 2027).
    assert path["credit_drawn"].tolist() == [600_000, 400_000, 50_000]
    # Peak = costs and interest before revenues: 2025 A 400,000 + 200,000; 2026 A 600,000 + B 300,000;
    # 2027 A 100,000 + B 300,000.
    assert path["credit_peak"].tolist() == [600_000, 900_000, 400_000]
    assert path["credit_use_pct"].tolist() == pytest.approx([60.0, 40.0, 5.0])
    assert path["interest"].tolist() == [0, 0, 0]


def test_recognised_results_write_downs_and_provisions(path):
    # A: POC end 2025 = (600/600) x (0/800) = 0; end 2026 = 1 x 500/800 = 0.625 -> 125,000 of 200,000;
    # end 2027 = 1 -> the other 75,000. Profit share owed 50 % x 200,000 = 100,000, provided
    # 62,500 in 2026 and 37,500 in 2027. B's loss is foreseen in its first year, 2026:
    # IGEMO's 60 % of 50,000 = 30,000.
    assert path["recognised_result"].tolist() == [0, 125_000, 75_000]
    assert path["write_downs"].tolist() == [0, 30_000, 0]
    assert path["provision_movement"].tolist() == [0, 62_500, 37_500]
    assert path["operating_result"].tolist() == [-10_000, -10_000, 0]


def test_equity_and_ratios(path):
    # 2025: 1,000,000 - 10,000 = 990,000; 2026: + 125,000 - 30,000 - 62,500 - 10,000 = 1,012,500;
    # 2027: + 75,000 - 37,500 = 1,050,000.
    assert path["equity"].tolist() == [990_000, 1_012_500, 1_050_000]
    # 990,000 / 600,000; 1,012,500 / 400,000; 1,050,000 / 50,000.
    assert path["equity_to_credit"].tolist() == pytest.approx([1.65, 2.53125, 21.0])
    # No risk register: the loss to cover is IGEMO's 30,000 of B, which runs to 2027.
    assert path["loss_p90"].tolist() == pytest.approx([30_000, 30_000, 30_000])
    assert path["risk_capacity_ratio"].tolist() == pytest.approx([33.0, 33.75, 35.0])
    assert path["risk_capacity_grade"].tolist() == ["A", "A", "A"]


def test_the_project_part_of_equity_is_igemos_recognised_part_of_the_spread(write_book):
    ev = evaluate(read_workbook(write_book(old_sheets())))
    path = outlook_path(ev)
    spread = return_spread(ev.basis.portfolio, ev)
    igemo = spread[spread["jaar"] >= 2025].groupby("jaar")["recognised_igemo_in_year"].sum()
    project_part = path["recognised_result"] - path["write_downs"] - path["provision_movement"]
    assert np.allclose(project_part.to_numpy(), igemo.reindex(path["jaar"], fill_value=0).to_numpy(), atol=0.005)


def test_without_exploitatie_and_equity_the_path_starts_at_zero(write_book):
    sheets = old_sheets()
    del sheets["exploitatie"]
    sheets["instellingen"] = sheets["instellingen"].iloc[1:]
    path = outlook_path(evaluate(read_workbook(write_book(sheets))))
    assert path["operating_result"].tolist() == [0, 0, 0]
    assert path["equity"].tolist() == [0, 32_500, 70_000]
    assert path["risk_capacity_grade"].tolist() == ["F", "C", "A"]  # 0; 32,500 / 30,000 = 1.08; 70,000 / 30,000


def test_the_opening_risk_capacity_is_the_monte_carlos_to_the_last_digit(write_book):
    """The outlook's 1 January figure is the Monte Carlo summary's, read, not computed again."""
    from igemo_fin.outlook.report import outlook
    from igemo_fin.risk.capacity import CAPACITY_KEYS
    from igemo_fin.risk.montecarlo import simulate
    from igemo_fin.valuation.basis import SimulationSettings

    import dataclasses

    import pandas as pd

    from igemo_fin.columns import RISK_COLUMNS
    from risk_portfolios import risk

    portfolio = read_workbook(write_book(old_sheets()))
    register = pd.DataFrame([risk("B", "kosten_pct", 50, 5, 20, 40), risk("A", "eenmalig_eur", 30, 50_000, 150_000, 400_000)],
                            columns=list(RISK_COLUMNS))
    portfolio = dataclasses.replace(portfolio, risks=register)
    ev = evaluate(portfolio, simulation=SimulationSettings(iterations=500, seed=7))
    alone = simulate(portfolio, evaluate(portfolio, simulation=SimulationSettings(iterations=0)),
                     iterations=500, seed=7)
    opening = outlook(ev).opening
    assert opening["loss_p90"] > 30_000  # the register adds to B's forecast loss
    assert opening == {k: alone.portfolio[k] for k in CAPACITY_KEYS}
    assert opening == {k: ev.simulation.portfolio[k] for k in CAPACITY_KEYS}


def test_the_opening_without_simulation_is_the_forecasts(write_book):
    # 1,000,000 at 1 January 2025 over IGEMO's 30,000 of B's forecast loss: 33.33, not the year end's 33.0.
    from igemo_fin.outlook.path import opening_capacity
    from igemo_fin.valuation.basis import SimulationSettings

    ev = evaluate(read_workbook(write_book(old_sheets())), simulation=SimulationSettings(iterations=0))
    opening = opening_capacity(ev)
    assert (opening["eigen_vermogen"], opening["loss_p90"]) == (1_000_000, pytest.approx(30_000))
    assert opening["risk_capacity_ratio"] == pytest.approx(1_000_000 / 30_000)
    assert (opening["risk_capacity_grade"], opening["risk_capacity_label"]) == ("A", "uitstekend")
