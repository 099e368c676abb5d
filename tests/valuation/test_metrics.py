"""NPV and IRR against numpy-financial, Excel's documented examples, and identities."""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from igemo_fin.valuation.metrics import discount_factors, irr, irr_rows, npv, npv_forward


class TestNpv:
    @pytest.mark.parametrize("rate, values", [
        (0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]),  # numpy-financial npv docstring
        (0.281, [-100, 39, 59, 55, 20]),
        (0.0, [1, 2, 3]),
    ])
    def test_matches_numpy_financial(self, rate, values):
        assert npv(rate, values) == pytest.approx(npf.npv(rate, values), rel=1e-12)

    def test_excel_npv_example(self):
        # Excel NPV help, example 1: NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44. Excel discounts the
        # first value one period, so it equals our t = 0 convention divided by 1.1.
        assert npv(0.10, [-10_000, 3_000, 4_200, 6_800]) / 1.10 == pytest.approx(1188.44, abs=0.005)

    def test_mid_year_is_half_a_period_later(self):
        values = [-100.0, 60.0, 70.0]
        assert npv(0.05, values, mid_year=True) == pytest.approx(npv(0.05, values) / 1.05 ** 0.5)

    def test_forward_uses_only_future_years_mid_year(self):
        years = np.array([2023, 2024, 2025, 2026])
        net = np.array([[-1e6, -4e5, 9e5, 9e5]])
        assert discount_factors(years, 2025, 3.0)[:2].tolist() == [0.0, 0.0]
        expected = 9e5 / 1.03 ** 0.5 + 9e5 / 1.03 ** 1.5  # 1,747,763.68
        assert npv_forward(net, years, 2025, 3.0)[0] == pytest.approx(expected)
        assert round(expected, 2) == 1747763.68


class TestIrr:
    @pytest.mark.parametrize("values, expected", [
        ([-100, 39, 59, 55, 20], 0.28095),  # numpy-financial irr docstring
        ([-100, 0, 0, 74], -0.0955),  # numpy-financial irr docstring
        ([-100, 100, 0, -7], -0.0833),  # numpy-financial irr docstring
        ([-100, 100, 0, 7], 0.06206),  # numpy-financial irr docstring
        ([-5, 10.5, 1, -8, 1], 0.0886),  # numpy-financial irr docstring
        ([-70_000, 12_000, 15_000, 18_000, 21_000, 26_000], 0.086631),  # Excel IRR help: 8.7 %
        ([-70_000, 12_000, 15_000, 18_000, 21_000], -0.021245),  # Excel IRR help: -2.1 %
    ])
    def test_documented_examples(self, values, expected):
        assert irr(values) == pytest.approx(expected, abs=5e-5)

    def test_no_sign_change_has_no_irr(self):
        assert math.isnan(irr([100, 50, 10]))
        assert math.isnan(irr([-100, -50, 0]))
        with pytest.raises(ValueError):
            irr([1, 2], raise_exceptions=True)

    def test_leading_and_trailing_zeros(self):
        assert irr([0, 0, -100, 110, 0]) == pytest.approx(0.10)

    @pytest.mark.parametrize("values", [
        [-1000, 3188510.0, 1.773667241556201e-302],  # hypothesis: crashed np.roots (overflow)
        [-1000, 0, 2.0, 2.225073858507203e-309],  # hypothesis: crashes numpy-financial itself
        [-1000, 0, 1.0, 1.0, 2.0, 2.0392324236926704e-31],  # numpy-financial answers 11584
    ])
    def test_regression_denormal_tail(self, values):
        rate = irr(values)
        assert np.isfinite(rate)
        assert npv(rate, values) == pytest.approx(0.0, abs=1e-6)

    def test_rows_use_each_span(self):
        net = np.array([[0.0, -100.0, 110.0, 0.0], [-100.0, 0.0, 121.0, 0.0]])
        out = irr_rows(net, np.array([1, 0]), np.array([2, 2]))
        assert out == pytest.approx([0.10, 0.10])

    @settings(max_examples=150, deadline=None)
    @given(st.floats(1e3, 1e7), st.lists(st.integers(0, 5_000_000), min_size=1, max_size=25),
           st.integers(0, 5))
    def test_npv_at_irr_is_zero(self, outlay, inflows, delay):
        # A conventional project: one outlay, then inflows (after some empty years).
        values = [-outlay] + [0.0] * delay + inflows
        assume(sum(inflows) > 1e-3 * outlay)
        rate = irr(values)
        assume(np.isfinite(rate) and rate > -0.99)
        assert npv(rate, values) == pytest.approx(0.0, abs=1e-6 * outlay)
        try:
            with np.errstate(all="ignore"):
                reference = npf.irr(values)
        except np.linalg.LinAlgError:  # numpy-financial itself fails on denormal inflows
            reference = np.nan
        if np.isfinite(reference):
            # Same root as numpy-financial; where they differ, ours is at least as close to NPV = 0
            # (numpy-financial skips the polishing step; hypothesis found such ill-conditioned cases).
            assert rate == pytest.approx(reference, rel=1e-3, abs=1e-4)
            assert abs(npv(rate, values)) <= abs(npv(reference, values)) + 1e-9 * outlay


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-3_000_000, 3_000_000), min_size=8, max_size=8), min_size=1, max_size=20),
       st.data())
def test_vectorised_irr_rows_equal_the_scalar_irr(rows, data):
    # irr_rows solves single-sign-change rows by vectorised bisection: it must agree with irr().
    net = np.array(rows, dtype=float)
    n_p = net.shape[0]
    first = np.array([data.draw(st.integers(0, 4)) for _ in range(n_p)])
    last = np.array([data.draw(st.integers(int(f), 7)) for f in first])
    got = irr_rows(net, first, last)
    for i in range(n_p):
        expected = irr(net[i, first[i]: last[i] + 1])
        if np.isnan(expected):
            assert np.isnan(got[i])
        else:
            assert got[i] == pytest.approx(expected, abs=1e-8)
