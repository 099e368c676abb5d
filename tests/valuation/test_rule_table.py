"""The vectorised rules give, row for row, what the one-project rules give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from igemo_fin.valuation.rule_table import decide
from igemo_fin.valuation.rules import RULE_COLUMNS, RULES
from igemo_fin.valuation.thresholds import Thresholds

NAN = float("nan")


def one_at_a_time(figures: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    """The slow path: every rule called per active project."""
    rows = []
    for p in figures.to_dict("records"):
        if p["status"] == "actief":
            rows += [{"project_code": p["project_code"], **rule(p, thresholds).as_dict()} for rule in RULES.values()]
    return pd.DataFrame(rows, columns=list(RULE_COLUMNS))


def every_branch() -> pd.DataFrame:
    """Projects that between them take every branch of every rule."""
    base = {"status": "actief", "npv_forward": 1e6, "irr_full_life": 0.05, "interest_future": 1e5,
            "future_net_inflow": 2e6, "bestemming_zeker": True, "startjaar": 2018, "valuation_year": 2025,
            "marktwaarde_huidige_staat": NAN, "prob_loss": NAN, "prob_below_stop": NAN}
    cases = [
        {},
        {"npv_forward": -0.4, "irr_full_life": NAN, "future_net_inflow": 0.0},
        {"npv_forward": -7e5, "irr_full_life": 0.0214999, "future_net_inflow": -5.0, "interest_future": 0.0},
        {"interest_future": 1.5e6, "bestemming_zeker": False, "startjaar": 2012},
        {"bestemming_zeker": False, "startjaar": 2022, "marktwaarde_huidige_staat": 3e6},
        {"marktwaarde_huidige_staat": 9e5, "prob_loss": 0.31, "prob_below_stop": 0.0},
        {"marktwaarde_huidige_staat": 1.05e6, "prob_loss": 0.0001, "prob_below_stop": 0.75},
        {"npv_forward": -1234567.891, "marktwaarde_huidige_staat": 0.0, "prob_loss": 1.0, "prob_below_stop": 0.7},
        {"status": "afgerond", "npv_forward": -9e9},
        {"irr_full_life": -0.999, "future_net_inflow": NAN},
    ]
    return pd.DataFrame([{"project_code": f"P{i}", **base, **case} for i, case in enumerate(cases)])


@pytest.mark.parametrize("thresholds", [Thresholds(disconteringsvoet_pct=3.0),
                                        Thresholds(disconteringsvoet_pct=3.0, min_irr_pct=2.15,
                                                   max_jaren_zonder_bestemming=2.5, stop_npv_onder=-0.4)])
def test_decide_equals_the_rules_one_project_at_a_time(thresholds):
    figures = every_branch()
    fast, slow = decide(figures, thresholds), one_at_a_time(figures, thresholds)
    pd.testing.assert_frame_equal(fast, slow, check_dtype=False, check_exact=True)
    assert fast["sentence"].tolist() == slow["sentence"].tolist()


def test_decide_on_a_random_portfolio_equals_the_slow_path():
    rng = np.random.default_rng(7)
    n = 300
    figures = pd.DataFrame({
        "project_code": [f"R{i:03d}" for i in range(n)], "status": np.where(rng.random(n) < 0.9, "actief", "afgerond"),
        "npv_forward": rng.normal(0, 2e6, n), "irr_full_life": np.where(rng.random(n) < 0.1, NAN, rng.normal(0.04, 0.05, n)),
        "interest_future": rng.uniform(0, 1e6, n) * (rng.random(n) < 0.8), "future_net_inflow": rng.normal(5e5, 2e6, n),
        "bestemming_zeker": rng.random(n) < 0.5, "startjaar": rng.integers(2000, 2025, n), "valuation_year": 2025,
        "marktwaarde_huidige_staat": np.where(rng.random(n) < 0.5, NAN, rng.uniform(0, 5e6, n)),
        "prob_loss": rng.random(n), "prob_below_stop": rng.random(n) / 2})
    thresholds = Thresholds(disconteringsvoet_pct=3.0)
    pd.testing.assert_frame_equal(decide(figures, thresholds), one_at_a_time(figures, thresholds),
                                  check_dtype=False, check_exact=True)


def test_no_active_project_gives_an_empty_frame():
    figures = every_branch().assign(status="afgerond")
    assert decide(figures, Thresholds()).empty
    assert list(decide(figures, Thresholds()).columns) == list(RULE_COLUMNS)
