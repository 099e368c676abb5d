"""igemo_fin.obligations.journal: the proposed journal of the provisions, worked out by hand
(the portfolio of conftest.sharing_sheets, valued in 2025)."""

from __future__ import annotations

import pandas as pd

from igemo_fin.obligations.journal import JOURNAL_COLUMNS, provision_journal
from igemo_fin.obligations.write_downs import write_downs

from conftest import SHARING_YEAR as V


class TestJournal:
    def test_profit_share_entries(self, sharing_book):
        journal = provision_journal(*sharing_book)
        assert tuple(journal.columns) == JOURNAL_COLUMNS
        # past years: W adds 16,000 in 2024, Q adds 1,500.05 in 2024; nothing else
        lines = journal[["boeking", "boekjaar", "project_code", "rekening", "debet", "credit"]].values.tolist()
        assert lines == [[1, 2024, "W", "6380", 16_000.0, 0.0], [1, 2024, "W", "164", 0.0, 16_000.0],
                         [2, 2024, "Q", "6380", 1_500.05, 0.0], [2, 2024, "Q", "164", 0.0, 1_500.05]]

    def test_every_entry_balances_and_write_downs(self, sharing_book):
        portfolio, ev = sharing_book
        stored = pd.DataFrame({"project_code": ["L", "H"], "write_down": [300_000.0, 10.0]})
        journal = provision_journal(portfolio, ev, write_down_frame=write_downs(portfolio, ev, previous=stored))
        sums = journal.groupby("boeking")[["debet", "credit"]].sum()
        assert (sums["debet"].round(2) == sums["credit"].round(2)).all()
        wd = journal[journal["soort"] == "waardevermindering"]
        # L: +50,000 -> debit 6310 / credit 359; H: -5.00 -> debit 359 / credit 6311; booked in V - 1
        assert wd[["project_code", "rekening", "debet", "credit"]].values.tolist() == [
            ["L", "6310", 50_000.0, 0.0], ["L", "359", 0.0, 50_000.0],
            ["H", "359", 5.0, 0.0], ["H", "6311", 0.0, 5.0]]
        assert set(wd["boekjaar"]) == {V - 1}

    def test_years_filter(self, sharing_book):
        assert provision_journal(*sharing_book, years=[2023]).empty
