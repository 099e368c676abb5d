"""igemo_fin.financing.loans: a fixed-rate term loan's schedule, worked out by hand."""

from __future__ import annotations

import pytest

from igemo_fin.financing.loans import LOAN_COLUMNS, loan_schedule


class TestLoanSchedule:
    def test_linear_by_hand(self):
        # 1,000,000 at 3 % over 4 years, 250,000 repaid each 31 December:
        # balances 1,000,000 / 750,000 / 500,000 / 250,000; coupons 3 % of them
        s = loan_schedule(1_000_000, 3.0, 4, "lineair", start_year=2026)
        assert tuple(s.columns) == LOAN_COLUMNS
        assert s["jaar"].tolist() == [2026, 2027, 2028, 2029]
        assert s["outstanding_start"].tolist() == [1_000_000, 750_000, 500_000, 250_000]
        assert s["interest"].tolist() == [30_000, 22_500, 15_000, 7_500]
        assert s["repayment"].tolist() == [250_000] * 4
        assert s["outstanding_end"].tolist() == [750_000, 500_000, 250_000, 0]
        assert s["interest"].sum() == 75_000

    def test_bullet_by_hand(self):
        # 1,000,000 at 3.5 % over 3 years: 35,000 a year, everything repaid at the end
        s = loan_schedule(1_000_000, 3.5, 3, "bullet", start_year=2026)
        assert s["interest"].tolist() == [35_000, 35_000, 35_000]
        assert s["repayment"].tolist() == [0, 0, 1_000_000]
        assert s["outstanding_end"].tolist() == [1_000_000, 1_000_000, 0]

    def test_linear_remainder_goes_to_the_last_year(self):
        # 1,000,000 / 3 = 333,333.33 twice and 333,333.34 last;
        # coupons 3 % of 1,000,000 / 666,666.67 / 333,333.34 = 30,000.00 / 20,000.0001 / 10,000.0002
        s = loan_schedule(1_000_000, 3.0, 3, "lineair", start_year=2026)
        assert s["repayment"].tolist() == [333_333.33, 333_333.33, 333_333.34]
        assert s["interest"].tolist() == [30_000.0, 20_000.0, 10_000.0]

    def test_coupon_half_up(self):
        # 301 * 2.5 % = 7.525 -> 7.53 (half up; round(301 * 0.025, 2) gives 7.52)
        assert loan_schedule(301, 2.5, 1, "bullet", start_year=2026)["interest"].tolist() == [7.53]

    def test_bad_repayment(self):
        with pytest.raises(ValueError, match="lineair"):
            loan_schedule(1_000, 3.0, 2, "annuitair", start_year=2026)
