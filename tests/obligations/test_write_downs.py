"""igemo_fin.obligations.write_downs: IGEMO's share of each loss on the land stock and its movement,
worked out by hand (the portfolio of conftest.sharing_sheets, valued in 2025)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.obligations.write_downs import WRITE_DOWN_COLUMNS, write_down_movement_totals, write_downs
from igemo_fin.valuation.evaluate import evaluate

from conftest import build_sheets, flat_credit, flows, project, row_of


class TestWriteDowns:
    def test_hand_worked(self, sharing_book):
        frame = write_downs(*sharing_book)
        assert tuple(frame.columns) == WRITE_DOWN_COLUMNS
        l_row = row_of(frame, "L")
        assert (l_row["write_down"], l_row["book_value"], l_row["write_down_on_stock"],
                l_row["write_down_as_provision"]) == (350_000.0, 1_000_000.0, 350_000.0, 0.0)
        assert row_of(frame, "H")["write_down"] == 5.0
        assert row_of(frame, "W")["write_down"] == 0.0
        assert frame["write_down"].sum() == pytest.approx(350_005.0)
        # at 0 % nothing changed since V - 1: the movement is zero and known
        assert l_row["previous_valuation_year"] == 2024
        assert (l_row["write_down_previous"], l_row["movement"], l_row["addition"]) == (350_000.0, 0.0, 0.0)

    def test_the_previous_year_runs_no_simulation(self, sharing_book, monkeypatch):
        import igemo_fin.risk.montecarlo as montecarlo

        portfolio, ev = sharing_book
        expected = write_downs(portfolio, ev)
        monkeypatch.setattr(montecarlo, "simulate", lambda *a, **k: pytest.fail("a simulation nobody reads"))
        pd.testing.assert_frame_equal(write_downs(portfolio, ev), expected, check_exact=True)

    def test_movement_against_a_stored_valuation(self, sharing_book):
        stored = pd.DataFrame({"project_code": ["L", "H"], "write_down": [300_000.0, 10.0], "valuation_year": 2024})
        frame = write_downs(*sharing_book, previous=stored)
        l_row, h_row, w_row = row_of(frame, "L"), row_of(frame, "H"), row_of(frame, "W")
        assert (l_row["movement"], l_row["addition"], l_row["release"]) == (50_000.0, 50_000.0, 0.0)
        assert (h_row["movement"], h_row["addition"], h_row["release"]) == (-5.0, 0.0, 5.0)
        assert np.isnan(w_row["movement"])  # not in the stored valuation

    def test_no_comparison(self, sharing_book):
        frame = write_downs(*sharing_book, previous=None)
        assert frame["write_down_previous"].isna().all() and frame["movement"].isna().all()

    def test_write_down_above_the_stock(self, write_book):
        # X: 2025 verwerving 100,000 | 2026 infrastructuur 400,000 | 2027 verkoop 200,000
        # result -300,000, no sharing -> write-down 300,000; at 1/1/2025 the stock is 0:
        # nothing on the stock, all 300,000 as a provision for risks and charges.
        sheets = build_sheets([project("X")], flows(
            ("X", "prognose", 2025, "verwerving", 100_000), ("X", "prognose", 2026, "infrastructuur", 400_000),
            ("X", "prognose", 2027, "verkoop", 200_000)), flat_credit(rate=0.0))
        portfolio = read_workbook(write_book(sheets))
        frame = write_downs(portfolio, evaluate(portfolio, valuation_year=2025))
        x = row_of(frame, "X")
        assert (x["write_down"], x["write_down_on_stock"], x["write_down_as_provision"]) == (300_000.0, 0.0, 300_000.0)


class TestMovementTotals:
    def test_against_a_stored_valuation(self, sharing_book):
        # L 300,000 -> 350,000 (+50,000); H 10.00 -> 5.00 (-5.00); the others are not in the stored valuation
        stored = pd.DataFrame({"project_code": ["L", "H"], "write_down": [300_000.0, 10.0]})
        assert write_down_movement_totals(write_downs(*sharing_book, previous=stored)) == (300_010.0, 49_995.0)

    def test_unknown_without_a_previous_valuation(self, sharing_book):
        assert write_down_movement_totals(write_downs(*sharing_book, previous=None)) == (None, None)
