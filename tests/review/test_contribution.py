"""The werkingsbijdrage in real terms and the re-indexation what-if, by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from igemo_fin.review.contribution import contribution_history, contributions_in_real_terms, coverage
from review_ledger import inputs


@pytest.fixture(scope="module")
def given():
    return inputs()


def test_real_value_and_reindexation(given):
    rows = contributions_in_real_terms(given.contributions, given.index, 2026).set_index("partner")
    assert rows.loc["A", "contribution_nominal"] == 100_000
    assert rows.loc["A", "contribution_real"] == round(100_000 * 100 / 104, 2)
    assert (rows.loc["A", "reindexed"], rows.loc["A", "reindexation_gap"]) == (104_000, 4_000)
    # B was indexed this year: nothing to catch up
    assert (rows.loc["B", "contribution_real"], rows.loc["B", "reindexation_gap"]) == (50_000, 0)


def test_what_if_index_year(given):
    rows = contributions_in_real_terms(given.contributions, given.index, 2026, index_year=2025).set_index("partner")
    assert rows.loc["B", "reindexed"] == 52_000
    assert rows["index_year"].tolist() == [2025, 2025]


def test_missing_index_is_nan(given):
    rows = contributions_in_real_terms(given.contributions, pd.Series({2026: 104.0}), 2026)
    assert math.isnan(rows.set_index("partner").loc["A", "contribution_real"])


def test_coverage(given):
    rows = contributions_in_real_terms(given.contributions, given.index, 2026)
    result = coverage(rows, 254_000.0)
    assert (result["contributions"], result["gap"]) == (150_000, 104_000)
    assert result["coverage_pct"] == pytest.approx(150 / 254 * 100)
    assert (result["contributions_reindexed"], result["gap_reindexed"]) == (154_000, 100_000)


def test_history(given):
    history = contribution_history(given.contributions, pd.Series({2025: 240_000.0, 2026: 254_000.0}),
                                   given.index, 2026).set_index("year")
    assert history.loc[2025, "contributions_real"] == 104_000
    assert history.loc[2025, "coverage_pct"] == pytest.approx(100_000 / 240_000 * 100)
    assert history.loc[2026, "contributions_nominal"] == 150_000
