"""Tests of igemo_fin.postcalc.variance: budget against actual per line, in euro and in percent.

The post-calculation is built by hand (one finished project P); every figure is worked out in the
comments.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from igemo_fin.postcalc.calculation import CATEGORY_COLUMNS, PostCalculation
from igemo_fin.postcalc.variance import VARIANCE_COLUMNS, budget_against_actual, variance_pct


class TestVariancePct:
    @pytest.mark.parametrize("actual, budget, expected", [
        (1_200_000.0, 1_000_000.0, 20.0),     # a cost 200,000 over a budget of 1,000,000
        (1_350_000.0, 1_500_000.0, -10.0),    # sales 150,000 short of 1,500,000
        (100_000.0, 460_000.0, -360_000 / 460_000 * 100),  # -78.26 %
        (-50.0, -200.0, 75.0),                # a loss of 50 where 200 was budgeted: 150 better, 75 % of 200
        (-300.0, -200.0, -50.0),              # a loss of 300 where 200 was budgeted: worse
        (0.0, 250.0, -100.0),
    ])
    def test_by_hand(self, actual, budget, expected):
        assert variance_pct(actual, budget) == pytest.approx(expected, rel=1e-15)

    @pytest.mark.parametrize("budget", [0.0, 0, math.nan])
    def test_no_budget_no_percentage(self, budget):
        assert math.isnan(variance_pct(10.0, budget))


def hand_made() -> PostCalculation:
    # Land budgeted at 1,000,000, bought for 1,200,000; sales budgeted at 1,500,000, sold for 1,350,000;
    # interest 40,000 budgeted, 50,000 paid. Result budget 1,500,000 - 1,000,000 - 40,000 = 460,000;
    # actual 1,350,000 - 1,200,000 - 50,000 = 100,000.
    categories = pd.DataFrame([
        ("P", "verwerving", "kost", 1_000_000.0, 1_200_000.0, 200_000.0, 20.0, 1.2, -200_000.0),
        ("P", "verkoop", "opbrengst", 1_500_000.0, 1_350_000.0, -150_000.0, -10.0, 0.9, -150_000.0),
        ("Q", "studies", "kost", 10.0, 20.0, 10.0, 100.0, 2.0, -10.0),
    ], columns=list(CATEGORY_COLUMNS))
    projects = pd.DataFrame({"project_code": ["P", "Q"], "interest_budget": [40_000.0, 0.0],
                             "interest_actual": [50_000.0, 5.0], "result_budget": [460_000.0, -10.0],
                             "result_actual": [100_000.0, -25.0]})
    return PostCalculation(2026, projects, categories, pd.DataFrame())


class TestBudgetAgainstActual:
    def test_lines_by_hand(self):
        lines = budget_against_actual(hand_made(), "P")
        assert list(lines.columns) == list(VARIANCE_COLUMNS)
        assert lines["post"].tolist() == ["verwerving", "verkoop", "rente", "resultaat"]
        assert lines["soort"].tolist() == ["kost", "opbrengst", "kost", "resultaat"]
        interest = lines.set_index("post").loc["rente"]
        # 50,000 - 40,000 = 10,000 more interest: 25 % of the budget, 10,000 off the result.
        assert (interest["variance"], interest["effect_on_result"]) == (10_000.0, -10_000.0)
        assert interest["variance_pct"] == pytest.approx(25.0)
        result = lines.set_index("post").loc["resultaat"]
        # 100,000 - 460,000 = -360,000: -78.26 % of the budgeted result.
        assert (result["variance"], result["effect_on_result"]) == (-360_000.0, -360_000.0)
        assert result["variance_pct"] == pytest.approx(-78.260869565, rel=1e-9)
        # the categories' own lines are the post-calculation's, unchanged
        assert lines["variance_pct"].iloc[:2].tolist() == [20.0, -10.0]

    def test_the_category_effects_and_the_interest_add_up_to_the_result(self):
        lines = budget_against_actual(hand_made(), "P").set_index("post")
        parts = lines.drop(index="resultaat")["effect_on_result"].sum()
        assert parts == pytest.approx(lines.loc["resultaat", "variance"])

    def test_no_interest_budgeted_and_a_budgeted_loss(self):
        lines = budget_against_actual(hand_made(), "Q").set_index("post")
        assert math.isnan(lines.loc["rente", "variance_pct"])
        # a loss of 25 where 10 was budgeted: 15 worse, -150 % of the budget's magnitude
        assert lines.loc["resultaat", "variance_pct"] == pytest.approx(-150.0)


def test_budget_against_forecast_per_year_and_cumulated(write_book):
    from conftest import build_sheets, flat_credit, flows, project
    from igemo_fin.inputs.workbook import read_workbook
    from igemo_fin.postcalc.variance import BUDGET_FORECAST_COLUMNS, budget_against_forecast
    from igemo_fin.valuation.basis import SimulationSettings
    from igemo_fin.valuation.evaluate import evaluate

    lines = flows(("A", "begroting", 2025, "verwerving", 100), ("A", "begroting", 2026, "verkoop", 150),
                  ("A", "prognose", 2025, "verwerving", 120), ("A", "prognose", 2027, "verkoop", 170),
                  ("A", "prognose", 2027, "studies", 5), ("B", "prognose", 2025, "verwerving", 40))
    sheets = build_sheets([project("A", startjaar=2025, eindjaar=2027), project("B", startjaar=2025, eindjaar=2027)],
                          lines, credit=flat_credit(2020, 2035, rate=3.0),
                          instellingen=pd.DataFrame({"parameter": ["waarderingsjaar"], "waarde": [2026]}))
    ev = evaluate(read_workbook(write_book(sheets)), simulation=SimulationSettings(iterations=0))
    a = budget_against_forecast(ev, "A")
    assert tuple(a.columns) == BUDGET_FORECAST_COLUMNS
    # Budget: -100 (2025), +150 (2026); forecast: -120 (2025), 0 (2026), 170 - 5 (2027). Interest excluded.
    assert a["jaar"].tolist() == [2025, 2026, 2027]
    assert a["budget"].tolist() == [-100.0, 150.0, 0.0]
    assert a["forecast"].tolist() == [-120.0, 0.0, 165.0]
    assert a["budget_cumulative"].tolist() == [-100.0, 50.0, 50.0]
    assert a["forecast_cumulative"].tolist() == [-120.0, -120.0, 45.0]
    assert budget_against_forecast(ev, "B").empty  # no budget
