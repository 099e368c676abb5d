"""The trend over several years in real terms, by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from igemo_fin.inputs.cost_groups import COST_GROUPS
from igemo_fin.review.lines import classify_lines
from igemo_fin.review.trend import cost_trend, real_by_year
from review_ledger import inputs, ledger_lines, portfolio


def test_trend_in_prices_of_the_review_year():
    classified = classify_lines(ledger_lines(), portfolio())
    forecast = pd.Series({"personeel": 215_000.0, "ict_software": 34_000.0, "huisvesting": 1_000.0})
    trend = cost_trend(classified, forecast, 2026, inputs().index).set_index(["year", "group"])
    assert trend.loc[(2025, "totaal"), "nominal"] == 240_000
    assert trend.loc[(2025, "totaal"), "real"] == pytest.approx(249_600)
    assert trend.loc[(2026, "totaal"), "nominal"] == 250_000
    assert trend.loc[(2026, "totaal"), "nominal_growth_pct"] == pytest.approx((250 / 240 - 1) * 100)
    assert trend.loc[(2026, "totaal"), "real_growth_pct"] == pytest.approx((250_000 / 249_600 - 1) * 100)
    assert trend.loc[(2026, "ict_software"), "is_forecast"]
    assert math.isnan(trend.loc[(2025, "ict_software"), "nominal_growth_pct"])


def test_real_amounts_side_by_side():
    classified = classify_lines(ledger_lines(), portfolio())
    forecast = pd.Series({"personeel": 215_000.0, "ict_software": 34_000.0, "huisvesting": 1_000.0})
    wide = real_by_year(cost_trend(classified, forecast, 2026, inputs().index)).set_index("group")
    # every cost group in its order, then the total; one column per year
    assert wide.index.tolist() == [*COST_GROUPS, "totaal"]
    assert wide.columns.tolist() == ["label", 2025, 2026]
    assert wide.loc["ict_software", "label"] == "ICT en software" and wide.loc["totaal", "label"] == "Totaal"
    assert wide.loc["totaal", 2025] == pytest.approx(249_600)  # 240,000 in prices of 2026 (index 104 %)
    assert wide.loc["totaal", 2026] == 250_000
    assert wide.loc["totaal", 2026] == pytest.approx(wide.loc[list(COST_GROUPS), 2026].sum())
