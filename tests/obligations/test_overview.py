"""igemo_fin.obligations.overview: the per-project figures and totals of evaluate --json
(the portfolio of conftest.sharing_sheets, valued in 2025)."""

from __future__ import annotations

from igemo_fin.obligations.overview import OBLIGATION_COLUMNS, obligation_totals, obligations

from conftest import row_of


class TestObligations:
    def test_per_project_and_totals(self, sharing_book):
        frame = obligations(*sharing_book)
        assert tuple(frame.columns) == OBLIGATION_COLUMNS
        l_row = row_of(frame, "L")
        assert (l_row["write_down"], l_row["loss_share_igemo"], l_row["loss_share_municipality"]) == (
            350_000.0, 350_000.0, 150_000.0)
        totals = obligation_totals(*sharing_book)
        assert totals == {
            "loss_total": 500_010.01, "loss_share_municipality_total": 150_005.01,
            "loss_share_igemo_total": 350_005.0, "profit_share_owed_total": 140_000.31,
            "profit_share_provision_total": 17_500.05, "write_down_total": 350_005.0}
