"""igemo_fin.valuation.realised: the ledger against the portfolio (realised this year, past years, data quality)."""

from __future__ import annotations

import pandas as pd
import pytest

from igemo_fin.valuation.realised import actuals_against_forecast, as_actuals, ledger_quality, realised_this_year





def _lines(*rows):
    """Stored ledger lines: (project, year, category, cents, account)."""
    frame = pd.DataFrame(rows, columns=["project_code", "year", "category", "amount_cents", "account"])
    frame["date"] = pd.to_datetime(frame["year"].astype(str) + "-06-30")
    return frame


class TestRealisedThisYear:
    def test_forecast_against_realised(self, book):
        portfolio = book()
        lines = _lines(
            ("A", 2025, "verkoop", 35_000_000, "700000"),      # 350,000.00 of 1,400,000 = 25 %
            ("A", 2025, "studies", -1_000_000, "613000"),      # 10,000.00 of no forecast cost
            ("A", 2024, "studies", -5_000_025, "613000"),      # a past year: not realised this year
            ("B", 2025, "infrastructuur", -7_500_000, "603000"),  # B forecasts nothing in 2025
            ("A", 2025, "negeren", -99_999, "650000"),          # ignored account
            ("X", 2025, "verkoop", 100, "700000"),              # unknown project
        )
        table = realised_this_year(lines, portfolio, 2025).set_index("project_code")
        assert table.loc["A", "forecast_revenues"] == 1_400_000 and table.loc["A", "realised_revenues"] == 350_000
        assert table.loc["A", "revenues_pct"] == pytest.approx(25.0)
        assert table.loc["A", "realised_costs"] == 10_000 and pd.isna(table.loc["A", "costs_pct"])
        assert table.loc["B", "realised_costs"] == 75_000 and table.loc["B", "forecast_costs"] == 0
        assert "X" not in table.index
        # the same from the store's actuals as from its lines
        assert realised_this_year(as_actuals(lines), portfolio, 2025).equals(realised_this_year(lines, portfolio, 2025))

    def test_past_years_against_the_forecast(self, book):
        portfolio = book()
        lines = _lines(("A", 2024, "studies", -6_000_000, "613000"), ("A", 2025, "verkoop", 1, "700000"))
        past = actuals_against_forecast(lines, portfolio, 2025)
        assert past[["project_code", "jaar"]].values.tolist() == [["A", 2024]]
        row = past.iloc[0]
        # forecast 2024: -50,000.25; ledger: -60,000.00; 9,999.75 more cost
        assert row["forecast_net"] == -50_000.25 and row["actual_net"] == -60_000.0
        assert row["difference"] == pytest.approx(-9_999.75)


class TestLedgerQuality:
    def test_what_does_not_reach_a_project(self, book):
        portfolio = book()
        lines = _lines(
            ("A", 2024, "studies", -100, "613000"),
            ("X-1", 2024, "verkoop", 500, "700000"), ("X-1", 2025, "verkoop", 700, "700000"),
            (None, 2024, "studies", -4580, "612000"),
            ("A", 2024, "negeren", -999, "650000"),
            ("A", 2024, None, -1, "900000"),
        )
        q = ledger_quality(lines, portfolio)
        assert q.unknown_projects[["project_code", "lines", "amount"]].values.tolist() == [["X-1", 2, 12.0]]
        assert q.accounts[["account", "category", "lines"]].values.tolist() == [["650000", "negeren", 1],
                                                                                ["900000", "geen categorie", 1]]
        assert q.no_project[["account", "lines", "amount"]].values.tolist() == [["612000", 1, -45.8]]
        assert q.lines_total == 6 and q.lines_used == 1
        assert q.lines_without_project == 1  # 612000: a real category, no code; 650000/900000 do not count
        assert q.recategorised.empty

    def test_accounts_stored_under_another_category(self, book):
        portfolio = book(rekeningen=pd.DataFrame({"rekening_prefix": ["6040"], "categorie": ["infrastructuur"]}))
        lines = _lines(("A", 2024, "overige_kosten", -100, "604010"))  # imported with the default mapping
        q = ledger_quality(lines, portfolio)
        assert q.recategorised[["account", "category", "current"]].values.tolist() == [
            ["604010", "overige_kosten", "infrastructuur"]]
