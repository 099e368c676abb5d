"""Budget against actual per cost group, worked by hand on the held-out ledger (tests/review_ledger.py)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from igemo_fin.review.budget import budget_total, budget_vs_actual
from igemo_fin.review.lines import Period, classify_lines, review_period
from review_ledger import inputs, ledger_lines, portfolio


@pytest.fixture(scope="module")
def table():
    lines = ledger_lines()
    classified = classify_lines(lines, portfolio())
    given = inputs()
    return budget_vs_actual(classified, given.budget, given.index, review_period(lines, 2026), 2.0).set_index("group")


class TestBudgetVsActual:
    def test_period_is_the_last_booking(self):
        period = review_period(ledger_lines(), 2026)
        assert period.through == dt.date(2026, 6, 30)
        assert period.through_last_year == dt.date(2025, 6, 30)
        assert period.elapsed_days == 181 and not period.complete

    def test_personnel(self, table):
        row = table.loc["personeel"]
        # 106,000 - 1,000 credit note; last year through 30/06: 100,000; whole last year 210,000
        assert (row["actual"], row["same_period_last_year"], row["last_year"]) == (105_000, 100_000, 210_000)
        assert row["forecast"] == 105_000 + (210_000 - 100_000)
        assert row["forecast_method"] == "vorig_jaar"
        assert row["difference"] == 215_000 - 230_000
        assert row["difference_pct"] == pytest.approx(-15_000 / 230_000 * 100)
        assert row["nominal_growth_pct"] == pytest.approx((215 / 210 - 1) * 100)
        assert row["index_growth_pct"] == pytest.approx(4.0)
        assert row["real_growth_pct"] == pytest.approx((215 / 210 / 1.04 - 1) * 100)
        assert row["flag"] is False  # 2.38 % - 4 % is below the 2-point margin

    def test_ict_grows_faster_than_the_index(self, table):
        row = table.loc["ict_software"]
        assert (row["actual"], row["same_period_last_year"], row["last_year"]) == (14_000, 10_000, 30_000)
        assert row["forecast"] == 34_000
        assert (row["difference"], row["difference_pct"]) == (9_000, pytest.approx(36.0))
        assert row["real_growth_pct"] == pytest.approx((34 / 30 / 1.04 - 1) * 100)
        assert row["flag"] is True  # 13.33 % - 4 % > 2

    def test_without_last_year_or_budget_pro_rata(self, table):
        row = table.loc["huisvesting"]
        assert row["forecast_method"] == "pro_rata"
        assert row["forecast"] == round(2_000 * 365 / 181, 2)
        assert math.isnan(row["difference"]) and math.isnan(row["nominal_growth_pct"]) and row["flag"] is None

    def test_without_last_year_the_budget_is_spent(self, table):
        row = table.loc["overige"]
        assert (row["forecast_method"], row["forecast"], row["difference"], row["difference_pct"]) == (
            "budget", 1_000, 0, 0)

    def test_project_coded_fees_are_not_running_costs(self, table):
        # lines 5, 11 and 12 are fees coded to projects of the portfolio (also the finished one)
        assert table.loc["erelonen", ["actual", "last_year", "forecast"]].tolist() == [0, 0, 0]

    def test_margin_decides_the_flag(self):
        lines = ledger_lines()
        given = inputs()
        wide = budget_vs_actual(classify_lines(lines, portfolio()), given.budget, given.index,
                                review_period(lines, 2026), 9.5).set_index("group")
        assert wide.loc["ict_software", "flag"] is False  # 9.33 points is within 9.5

    def test_without_index_no_flag(self, table):
        lines = ledger_lines()
        given = inputs()
        bare = budget_vs_actual(classify_lines(lines, portfolio()), given.budget, pd.Series(dtype=float),
                                review_period(lines, 2026), 2.0).set_index("group")
        assert bare.loc["ict_software", "flag"] is None
        assert math.isnan(bare.loc["ict_software", "real_growth_pct"])

    def test_complete_year_forecast_is_the_actual(self):
        lines = ledger_lines()
        period = review_period(lines, 2025)
        assert period.complete
        given = inputs()
        table = budget_vs_actual(classify_lines(lines, portfolio()), given.budget, given.index, period, 2.0)
        row = table.set_index("group").loc["personeel"]
        assert (row["forecast"], row["forecast_method"], row["difference"]) == (210_000, "volledig_jaar",
                                                                                 210_000 - 999_999)

    def test_total(self, table):
        total = budget_total(table.reset_index(), 2.0)
        assert total["budget"] == 256_000
        assert total["forecast"] == pytest.approx(215_000 + 34_000 + round(2_000 * 365 / 181, 2) + 1_000)
        assert total["last_year"] == 240_000
        assert total["forecast_method"] == "mix"

    def test_leap_day_compares_with_28_february(self):
        assert Period(2028, dt.date(2028, 2, 29)).through_last_year == dt.date(2027, 2, 28)
