"""igemo_fin.obligations.recognition: the percentage of completion, now and at each year end."""

from __future__ import annotations

from decimal import Decimal

from igemo_fin.obligations.recognition import percentage_of_completion, year_end_poc

from conftest import row_of


class TestPercentageOfCompletion:
    def test_poc_hand_worked(self):
        # 300,000 / 1,000,000 * 500,000 / 1,000,000 = 0.15; nothing sold -> 0; totals 0 -> 0
        assert percentage_of_completion(300_000, 1_000_000, 500_000, 1_000_000).tolist() == [0.15]
        assert percentage_of_completion(300_000, 1_000_000, 0, 1_000_000).tolist() == [0.0]
        assert percentage_of_completion(0, 0, 0, 0).tolist() == [0.0]

    def test_poc_is_clipped_to_one(self):
        # realised above the total (future credit notes) counts as complete, not beyond
        assert percentage_of_completion(1_200_000, 1_000_000, 1_000_000, 1_000_000).tolist() == [1.0]


class TestYearEndPoc:
    def test_hand_worked(self, sharing_book):
        # W: 2022 0.4 * 0 | 2023 1 * 0 | 2024 1 * 250/1250 | 2025 1 * 750/1250 | 2026 1 (conftest.sharing_sheets)
        _, ev = sharing_book
        poc = year_end_poc(ev)
        w = poc[poc["project_code"] == "W"]
        assert w["jaar"].tolist() == [2022, 2023, 2024, 2025, 2026]
        assert w["poc_dec"].tolist() == [Decimal(0), Decimal(0), Decimal("0.2"), Decimal("0.6"), Decimal(1)]
        assert row_of(poc[poc["jaar"] == 2024], "Q")["poc_dec"] == Decimal("0.15")
