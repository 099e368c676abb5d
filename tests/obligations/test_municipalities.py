"""igemo_fin.obligations.municipalities: what each municipality carries and is owed, summed in one place
(the portfolio of conftest.sharing_sheets, valued in 2025)."""

from __future__ import annotations

import numpy as np
import pytest

from igemo_fin.obligations.municipalities import MUNICIPALITY_COLUMNS, municipality_summary, municipality_totals
from ui.visibility import visible_projects


class TestMunicipalitySummary:
    def test_municipality_summary(self, sharing_book):
        frame = municipality_summary(*sharing_book).set_index("gemeente")
        assert tuple(frame.reset_index().columns) == MUNICIPALITY_COLUMNS
        assert frame.index.tolist() == ["Mechelen", "Bonheiden", "Putte"]
        bonheiden = frame.loc["Bonheiden"]
        # L + H: loss 500,010.01; municipality 150,000 + 5.01; IGEMO 350,000 + 5.00
        assert bonheiden["project_count"] == 2 and bonheiden["loss_project_count"] == 2
        assert bonheiden["loss"] == 500_010.01
        assert bonheiden["loss_share_municipality"] == 150_005.01
        assert bonheiden["loss_share_igemo"] == 350_005.0
        assert bonheiden["write_down"] == 350_005.0
        assert np.isnan(bonheiden["loss_p90"])
        mechelen = frame.loc["Mechelen"]
        # W 80,000 + Q 10,000.30 owed; provisions 16,000 + 1,500.05
        assert mechelen["profit_share_owed"] == 90_000.30
        assert mechelen["profit_share_provision"] == 17_500.05
        assert mechelen["loss"] == 0.0
        assert frame.loc["Putte", "profit_share_owed"] == 50_000.01

    @pytest.mark.parametrize("gemeente", ["Mechelen", "Bonheiden", "Putte"])
    def test_totals_of_one_municipality_are_its_row(self, sharing_book, gemeente):
        """What a municipality's user sees (the evaluation cut to its projects) is its row of the summary."""
        portfolio, ev = sharing_book
        row = municipality_summary(portfolio, ev).set_index("gemeente").loc[gemeente]
        totals = municipality_totals(portfolio, visible_projects("gemeente", gemeente, ev))
        assert set(totals) == set(MUNICIPALITY_COLUMNS) - {"gemeente"}
        for key, value in totals.items():
            assert (np.isnan(value) and np.isnan(row[key])) or value == row[key], key

    def test_totals_of_the_portfolio(self, sharing_book):
        totals = municipality_totals(*sharing_book)
        # Bonheiden's losses (L + H); Mechelen's and Putte's profit shares (W + Q + P)
        assert (totals["project_count"], totals["loss_project_count"]) == (5, 2)
        assert (totals["loss"], totals["loss_share_municipality"], totals["loss_share_igemo"]) == (
            500_010.01, 150_005.01, 350_005.0)
        assert totals["profit_share_owed"] == 140_000.31
