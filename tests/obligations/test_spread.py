"""igemo_fin.obligations.spread: the result recognised per year against the cash, worked out by hand
(the portfolio of conftest.sharing_sheets, valued in 2025)."""

from __future__ import annotations

import pytest

from igemo_fin.obligations.spread import (RETURN_SPREAD_COLUMNS, RETURN_SPREAD_PORTFOLIO_COLUMNS, return_spread,
                                          return_spread_portfolio)


class TestReturnSpread:
    def test_hand_worked_profit(self, sharing_book):
        spread = return_spread(*sharing_book)
        assert tuple(spread.columns) == RETURN_SPREAD_COLUMNS
        w = spread[spread["project_code"] == "W"].set_index("jaar")
        # recognised = 250,000 * POC: 0, 0, 50,000, 150,000, 250,000
        assert w["recognised_cumulative"].tolist() == [0.0, 0.0, 50_000.0, 150_000.0, 250_000.0]
        assert w["recognised_in_year"].tolist() == [0.0, 0.0, 50_000.0, 100_000.0, 100_000.0]
        # IGEMO's part: minus the provision standing (0, 0, 16,000, 48,000, 80,000)
        assert w["recognised_igemo_cumulative"].tolist() == [0.0, 0.0, 34_000.0, 102_000.0, 170_000.0]
        # cash: -400,000, -600,000, +250,000, +500,000, +500,000 (no interest at 0 %)
        assert w["cash_result"].tolist() == [-400_000.0, -600_000.0, 250_000.0, 500_000.0, 500_000.0]
        assert w["cash_result_cumulative"].iloc[-1] == w["recognised_cumulative"].iloc[-1] == 250_000.0

    def test_loss_recognised_at_once(self, sharing_book):
        spread = return_spread(*sharing_book)
        l_rows = spread[spread["project_code"] == "L"].set_index("jaar")
        # foreseen at this valuation: the accounts of V - 1 = 2024 take the whole loss
        assert l_rows["recognised_in_year"].tolist() == [0.0, -500_000.0, 0.0, 0.0]
        assert l_rows["recognised_igemo_in_year"].tolist() == [0.0, -350_000.0, 0.0, 0.0]

    def test_portfolio_adds_up(self, sharing_book):
        portfolio, ev = sharing_book
        total = return_spread_portfolio(portfolio, ev)
        assert tuple(total.columns) == RETURN_SPREAD_PORTFOLIO_COLUMNS
        assert total["jaar"].tolist() == [2022, 2023, 2024, 2025, 2026]
        results = 250_000 + 100_003 - 500_000 - 10.01 + 100_000.01
        assert total["recognised_cumulative"].iloc[-1] == pytest.approx(results, abs=1e-6)
        assert total["cash_result_cumulative"].iloc[-1] == pytest.approx(results, abs=1e-6)
        # 2024: W 250,000 * 0.2 = 50,000; Q 100,003 * 0.15 = 15,000.45; L -500,000 (foreseen loss);
        #       H -10.01 (its first year: the span starts in 2024); P 0 (nothing sold)
        spread = return_spread(portfolio, ev)
        by_project = spread[spread["jaar"] == 2024].set_index("project_code")["recognised_in_year"]
        assert by_project.to_dict() == {"W": 50_000.0, "Q": 15_000.45, "L": -500_000.0, "H": -10.01, "P": 0.0}
        assert total.set_index("jaar").loc[2024, "recognised_in_year"] == pytest.approx(
            50_000 + 15_000.45 - 500_000 - 10.01, abs=1e-6)
