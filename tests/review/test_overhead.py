"""Overhead that escapes the projects: the lines listed exactly, the monthly share by hand."""

from __future__ import annotations

import math

import pytest

from igemo_fin.review.lines import classify_lines
from igemo_fin.review.overhead import LIST_COLUMNS, misdirected_lines, uncoded_lines, uncoded_share
from review_ledger import ledger_lines, portfolio


@pytest.fixture(scope="module")
def classified():
    return classify_lines(ledger_lines(), portfolio())


def test_uncoded_lines_exactly(classified):
    listed = uncoded_lines(classified, 2026)
    assert list(listed.columns) == list(LIST_COLUMNS)
    assert listed["row"].tolist() == [9]
    assert listed["cost"].tolist() == [7_500.0]
    assert listed["document"].tolist() == ["D9"]
    assert uncoded_lines(classified, 2025).empty


def test_misdirected_lines_exactly(classified):
    listed = misdirected_lines(classified, portfolio(), 2026)
    assert listed["row"].tolist() == [10, 11]
    assert listed["reason"].tolist() == ["projectcode 'P-XX' bestaat niet in de portefeuille",
                                         "project P-OLD is afgerond (eindjaar 2024)"]
    assert listed["cost"].tolist() == [1_200.0, 800.0]


def test_a_finished_project_before_its_end_is_fine(classified):
    # line 5 is coded to the active project; nothing is coded to P-OLD in 2025 (eindjaar 2024 < 2025 would count)
    assert misdirected_lines(classified, portfolio(), 2025).empty


def test_monthly_share(classified):
    months = uncoded_share(classified, 2026, 6).set_index("month")
    assert months["costs"].tolist() == [2_000, 14_000, 105_000, 7_500, 1_200, 1_700]
    assert months["costs_uncoded"].tolist() == [2_000, 14_000, 105_000, 7_500, 1_200, 0]
    assert months.loc[6, "share_uncoded_pct"] == 0
    assert months.loc[1, "share_uncoded_pct"] == 100
    assert months["project_costs"].tolist() == [0, 0, 0, 7_500, 1_200, 0]
    assert months["project_costs_uncoded"].tolist() == [0, 0, 0, 7_500, 1_200, 0]
    assert math.isnan(months.loc[1, "project_share_uncoded_pct"])
    assert months.loc[4, "project_share_uncoded_pct"] == 100
