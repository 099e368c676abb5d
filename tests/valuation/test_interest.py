"""The cash-credit model: interest, allocation of actual interest to the cent, money rounding."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igemo_fin.valuation.cashflow import FlowMatrix
from igemo_fin.valuation.interest import days_in_year, project_interest
from igemo_fin.money import allocate_cents, round_half_up, to_cents


class TestMoney:
    @pytest.mark.parametrize("amount, cents", [(24.785, 2479), (-24.785, -2479), (0.005, 1), (1.005, 101),
                                               (2.675, 268), (0.0049, 0), ("1234.565", 123457)])
    def test_half_up(self, amount, cents):
        # DOMAIN.md: round half up, 24.785 -> 24.79 (and 1.005 -> 1.01 despite its binary value)
        assert to_cents(amount) == cents

    def test_round_half_up(self):
        assert round_half_up(24.785) == 24.79
        assert round_half_up(1.005) == 1.01 and round(1.005, 2) == 1.0  # Python rounds the binary value down

    def test_largest_remainder(self):
        # 10 cents over weights 1:1:1 -> 3.33 each; the one left goes to the first of the tie.
        assert allocate_cents(10, np.array([1.0, 1.0, 1.0])).tolist() == [4, 3, 3]
        # 100 cents over 0.5:0.3:0.2 divide exactly
        assert allocate_cents(100, np.array([0.5, 0.3, 0.2])).tolist() == [50, 30, 20]
        assert allocate_cents(7, np.array([0.0, 2.0, 1.0])).tolist() == [0, 5, 2]  # 4.67 + 2.33 -> 5 and 2

    @settings(max_examples=300, deadline=None)
    @given(st.integers(0, 10**11), st.lists(st.floats(0, 1e9), min_size=1, max_size=40))
    def test_allocation_adds_up_to_the_cent(self, cents, weights):
        weights = np.array(weights)
        if weights.sum() <= 0:
            return
        shares = allocate_cents(cents, weights)
        assert shares.sum() == cents
        assert (shares >= 0).all()
        # no share is more than one cent away from its exact part
        exact = cents * weights / weights.sum()
        assert np.all(np.abs(shares - exact) < 1 + 1e-6 * max(1, cents))


def _matrix(net, years, first=None, last=None):
    net = np.asarray(net, dtype=float)
    n_p = net.shape[0]
    first = np.zeros(n_p, dtype=int) if first is None else np.asarray(first)
    last = np.full(n_p, net.shape[1] - 1) if last is None else np.asarray(last)
    return FlowMatrix([f"P{i}" for i in range(n_p)], np.asarray(years), net, np.clip(-net, 0, None),
                      np.clip(net, 0, None), first, last)


class TestInterest:
    def test_leap_year_counts_366_days(self):
        assert days_in_year(2024) == 366 and days_in_year(2025) == 365 and days_in_year(2100) == 365

    def test_paid_back_capital_draws_no_interest(self):
        # 2024: -100,000 -> avg 50,000 -> I = 0.05 * 366/360 * 50,000 = 2,541.67
        # 2025: +300,000 -> avg = 102,541.67 - 150,000 < 0 -> no interest; closing -197,458.33
        fm = _matrix([[-100_000, 300_000]], [2024, 2025])
        res = project_interest(fm, np.array([5.0, 5.0]))
        assert np.round(res.interest, 2).tolist() == [[2541.67, 0.0]]
        assert round(res.book_value[0, -1], 2) == -197458.33

    def test_interest_runs_over_gap_years_and_stops_after_the_span(self):
        # 2020: -1,000,000 (avg 500,000): I = 0.02 * 366/360 * 500,000 = 10,166.67; BV 1,010,166.67
        # 2021: no flow, avg = BV: I = 0.02 * 365/360 * 1,010,166.67 = 20,483.94
        # 2022: outside the span (last = 2021): no interest, BV stays
        fm = _matrix([[-1_000_000, 0, 0]], [2020, 2021, 2022], first=[0], last=[1])
        res = project_interest(fm, np.array([2.0, 2.0, 2.0]))
        assert np.round(res.interest, 2).tolist() == [[10166.67, 20483.94, 0.0]]
        assert res.book_value[0, 3] == res.book_value[0, 2]

    def test_actual_interest_only_before_the_valuation_year(self):
        fm = _matrix([[-100.0, -100.0], [-300.0, -300.0]], [2024, 2025])
        actual = np.array([10.0, 99.0])
        res = project_interest(fm, np.array([5.0, 5.0]), actual_interest=actual, valuation_year=2025)
        # 2024 weights 50 : 150 -> 2.50 and 7.50; 2025 computed, not the 99.00
        assert res.interest[:, 0].tolist() == [2.5, 7.5]
        assert res.from_actual.tolist() == [True, False]
        assert res.interest[:, 1].sum() != pytest.approx(99.0)

    def test_actual_interest_when_nobody_draws_is_kept(self):
        # Both projects are in surplus: the bank's interest is shared equally, not lost.
        fm = _matrix([[100.0], [100.0]], [2024])
        res = project_interest(fm, np.array([5.0]), actual_interest=np.array([0.03]), valuation_year=2025)
        assert res.interest[:, 0].tolist() == [0.02, 0.01]

    @settings(max_examples=100, deadline=None)
    @given(st.lists(st.lists(st.floats(-5e6, 5e6), min_size=6, max_size=6), min_size=1, max_size=12),
           st.lists(st.one_of(st.none(), st.floats(0, 5e6)), min_size=6, max_size=6))
    def test_allocated_interest_adds_up_to_rente_werkelijk(self, net, actual):
        fm = _matrix(net, np.arange(2019, 2025))
        actual_arr = np.array([np.nan if a is None else a for a in actual])
        res = project_interest(fm, np.full(6, 3.0), actual_interest=actual_arr, valuation_year=2030)
        for j, amount in enumerate(actual):
            if amount is None:
                continue
            got = int(round(res.interest[:, j].sum() * 100))
            assert got == to_cents(amount)
            assert np.all(np.round(res.interest[:, j] * 100, 6) == np.round(res.interest[:, j] * 100))
