"""igemo_fin.obligations.loss_sharing: who carries the expected and the P90 loss, worked out by hand
(the portfolio of conftest.sharing_sheets)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from igemo_fin.obligations.loss_sharing import LOSS_SHARING_COLUMNS, loss_p90_from_results, loss_shares, loss_sharing

from conftest import row_of


class TestLossShares:
    def test_half_cent_and_cap(self):
        # 10.01 * 50 % = 5.005 -> 5.01 and IGEMO 5.00; 500,000 * 40 % = 200,000 capped at 150,000
        m, i = loss_shares([10.01, 500_000], [50, 40], [np.nan, 150_000])
        assert m.tolist() == [5.01, 150_000.0]
        assert i.tolist() == [5.0, 350_000.0]

    @settings(max_examples=300, deadline=None)
    @given(loss=st.integers(0, 10**12), pct=st.floats(0, 100, allow_nan=False),
           cap=st.one_of(st.none(), st.integers(0, 10**12)))
    def test_shares_add_up_and_cap_holds(self, loss, pct, cap):
        euros = loss / 100
        m, i = loss_shares(euros, pct, np.nan if cap is None else cap / 100)
        m_c, i_c = round(m[0] * 100), round(i[0] * 100)
        assert m_c + i_c == loss
        assert 0 <= m_c and 0 <= i_c
        if cap is not None:
            assert m_c <= cap
        exact = Decimal(loss) * Decimal(repr(pct)) / 100
        uncapped = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        assert m_c == (uncapped if cap is None else min(uncapped, cap))


class TestLossSharing:
    def test_columns(self, sharing_book):
        frame = loss_sharing(*sharing_book)
        assert tuple(frame.columns) == LOSS_SHARING_COLUMNS
        assert frame["project_code"].tolist() == ["W", "Q", "L", "H", "P"]

    def test_hand_worked(self, sharing_book):
        frame = loss_sharing(*sharing_book)
        l_row, h_row, w_row = row_of(frame, "L"), row_of(frame, "H"), row_of(frame, "W")
        # L: 500,000 at 40 % = 200,000, capped at 150,000; IGEMO 350,000
        assert (l_row["loss"], l_row["loss_share_municipality"], l_row["loss_share_igemo"]) == (
            500_000.0, 150_000.0, 350_000.0)
        assert bool(l_row["cap_reached"])
        # H: 10.01 at 50 % = 5.005 -> 5.01; IGEMO 5.00
        assert (h_row["loss"], h_row["loss_share_municipality"], h_row["loss_share_igemo"]) == (10.01, 5.01, 5.0)
        assert not bool(h_row["cap_reached"])
        # W makes a profit: no loss to share
        assert (w_row["loss"], w_row["loss_share_municipality"], w_row["loss_share_igemo"]) == (0.0, 0.0, 0.0)

    def test_shares_add_up_to_the_loss(self, sharing_book):
        frame = loss_sharing(*sharing_book)
        total = (frame["loss_share_municipality"] * 100).round() + (frame["loss_share_igemo"] * 100).round()
        assert total.tolist() == (frame["loss"] * 100).round().tolist()

    def test_p90_loss(self, sharing_book):
        # L: P90 loss 700,000 at 40 % = 280,000 -> capped at 150,000; IGEMO 550,000.
        # W: a negative P90 loss is no loss; projects without a P90 get NaN.
        frame = loss_sharing(*sharing_book, loss_p90=pd.Series({"L": 700_000.0, "W": -5.0}))
        l_row, w_row, h_row = row_of(frame, "L"), row_of(frame, "W"), row_of(frame, "H")
        assert (l_row["loss_p90"], l_row["loss_p90_municipality"], l_row["loss_p90_igemo"]) == (
            700_000.0, 150_000.0, 550_000.0)
        assert (w_row["loss_p90"], w_row["loss_p90_municipality"], w_row["loss_p90_igemo"]) == (0.0, 0.0, 0.0)
        assert np.isnan(h_row["loss_p90"]) and np.isnan(h_row["loss_p90_igemo"])


class TestLossP90FromResults:
    def test_hand_worked(self):
        # the loss max(0, -result) falls as the result rises: its P90 is max(0, -result_p10)
        frame = loss_p90_from_results(pd.Series({"A": -700_000.0, "B": 12.0, "C": np.nan}))
        assert frame.index.tolist() == ["A", "B", "C"]
        assert frame[["A", "B"]].tolist() == [700_000.0, 0.0]
        assert np.isnan(frame["C"])

    def test_the_p90_loss_is_the_simulated_p10_result_as_a_loss(self, sharing_book):
        from igemo_fin.risk.montecarlo import simulate

        portfolio, ev = sharing_book
        sim = simulate(portfolio, ev, iterations=200, seed=3)
        result_p10 = sim.projects.set_index("project_code")["result_p10"]
        page = loss_p90_from_results(result_p10)
        assert (page >= 0).all() and page.to_dict() == {c: max(0.0, -v) for c, v in result_p10.items()}
