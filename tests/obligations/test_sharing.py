"""Tests of igemo_fin.obligations.sharing: the split of a loss between the municipality and IGEMO."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igemo_fin.obligations.sharing import loss_of, sharing_terms, split_loss, split_loss_cents


class TestLossOf:
    def test_loss_is_minus_the_result_when_negative(self):
        assert loss_of(np.array([-1_000.0, 0.0, 250.0])).tolist() == [1_000.0, 0.0, 0.0]


class TestSplitLoss:
    @pytest.mark.parametrize("loss, share, cap, municipality", [
        # DOMAIN.md: M = min(L * pct / 100, cap), I = L - M
        (1_000_000.0, 40.0, 300_000.0, 300_000.0),    # the cap binds: 40 % would be 400,000
        (1_000_000.0, 40.0, 500_000.0, 400_000.0),    # the cap does not bind
        (1_000_000.0, 40.0, None, 400_000.0),         # no cap
        (1_000_000.0, 40.0, math.nan, 400_000.0),     # an empty cell is no cap
        (1_000_000.0, math.nan, None, 0.0),           # an empty share is 0 %
        (1_000_000.0, 0.0, None, 0.0),                # IGEMO carries everything
        (1_000_000.0, 100.0, None, 1_000_000.0),      # the municipality carries everything
        (1_000_000.0, 100.0, 0.0, 0.0),               # a cap of 0: nothing
        (0.0, 50.0, 10.0, 0.0),                       # no loss, nothing to share
    ])
    def test_reference_values(self, loss, share, cap, municipality):
        m, i = split_loss(loss, share, cap)
        assert float(m) == pytest.approx(municipality)
        assert float(i) == pytest.approx(loss - municipality)

    def test_vectorised_over_iterations_and_projects(self):
        loss = np.array([[0.0, 100.0, 1_000.0], [500.0, 0.0, 2_000.0]])  # 2 iterations x 3 projects
        share = np.array([50.0, 20.0, 60.0])
        cap = np.array([np.inf, 10.0, 900.0])
        m, i = split_loss(loss, share[None, :], cap[None, :])
        assert m.tolist() == [[0.0, 10.0, 600.0], [250.0, 0.0, 900.0]]
        assert i.tolist() == [[0.0, 90.0, 400.0], [250.0, 0.0, 1_100.0]]

    def test_negative_loss_refused(self):
        with pytest.raises(ValueError):
            split_loss(-1.0, 50.0)

    @pytest.mark.parametrize("share, cap", [(-1.0, None), (100.5, None), (50.0, -1.0)])
    def test_invalid_terms_refused(self, share, cap):
        with pytest.raises(ValueError):
            split_loss(100.0, share, cap)

    @settings(max_examples=200, deadline=None)
    @given(loss=st.floats(0, 1e10, allow_nan=False), share=st.floats(0, 100),
           cap=st.one_of(st.none(), st.floats(0, 1e10)))
    def test_shares_add_up_and_the_cap_holds(self, loss, share, cap):
        m, i = split_loss(loss, share, cap)
        assert float(m) + float(i) == pytest.approx(loss, rel=1e-12, abs=1e-6)
        assert 0.0 <= float(m) <= loss * share / 100.0 + 1e-9
        assert float(i) >= -1e-9
        if cap is not None:
            assert float(m) <= cap


class TestSplitLossCents:
    def test_half_up_rounding(self):
        # 100.01 at 50 % = 50.005 -> 50.01 (half up); IGEMO 50.00
        m, i = split_loss_cents(10_001, 50.0)
        assert (int(m), int(i)) == (5_001, 5_000)

    def test_cap_in_euros(self):
        # 100,000.00 at 40 % = 40,000.00 -> capped at 300.50; 500.00 at 40 % = 200.00 (under the cap)
        m, i = split_loss_cents(np.array([100_000_00, 500_00]), 40.0, 300.5)
        assert m.tolist() == [300_50, 200_00]
        assert i.tolist() == [99_699_50, 300_00]

    @settings(max_examples=200, deadline=None)
    @given(loss=st.integers(0, 10 ** 12), share=st.floats(0, 100),
           cap=st.one_of(st.none(), st.floats(0, 1e10)))
    def test_exact_to_the_cent(self, loss, share, cap):
        m, i = split_loss_cents(loss, share, cap)
        assert int(m) + int(i) == loss
        assert int(m) >= 0 and int(i) >= 0


class TestSharingTerms:
    def test_defaults_for_empty_cells(self):
        projects = pd.DataFrame({"project_code": ["A", "B"], "risicodeling_gemeente_pct": [25.0, np.nan],
                                 "risicodeling_plafond": [np.nan, 1e6]})
        share, cap = sharing_terms(projects, ["B", "A"])
        assert share.tolist() == [0.0, 25.0]
        assert cap.tolist() == [1e6, math.inf]
