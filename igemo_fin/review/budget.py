"""Budget against actual per cost group for one year: the forecast of the full year, the difference,
and the growth against the index with the flag.

Per cost group ``g`` of year ``Y`` with the ledger booked through day ``D`` (:class:`~igemo_fin.review.
lines.Period`):

- ``actual``: running costs from 1 January to ``D``; ``same_period_last_year``: from 1 January of
  ``Y - 1`` to the same day; ``last_year``: the whole of ``Y - 1``.
- ``forecast`` of the full year, by the first method that applies (``forecast_method``):
  ``volledig_jaar`` (the ledger covers the whole year): the actual;
  ``vorig_jaar`` (the group has costs in ``Y - 1``): actual + (last_year - same_period_last_year), the
  rest of the year costs what it cost last year (last year's seasonal pattern);
  ``budget``: max(actual, budget), the rest of the budget is spent;
  ``pro_rata``: actual * days of the year / days elapsed.
- ``difference = forecast - budget`` [EUR] and ``difference_pct = difference / budget * 100``
  (positive: over budget); NaN without a budget.
- ``nominal_growth_pct = (forecast / last_year - 1) * 100``, ``index_growth_pct = (I[Y] / I[Y-1] - 1) *
  100``, ``real_growth_pct = (forecast / last_year / (I[Y] / I[Y-1]) - 1) * 100``.
- ``flag``: the group grows faster than the index by more than the margin:
  ``nominal_growth_pct - index_growth_pct > margin`` (percentage points, setting
  ``werking_marge_pct``); None when either growth is unknown.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from igemo_fin.inputs.cost_groups import COST_GROUP_LABELS, COST_GROUPS
from igemo_fin.review.index import growth_pct, index_ratio
from igemo_fin.review.lines import Period, group_costs

__all__ = ["BUDGET_COLUMNS", "FORECAST_METHODS", "budget_vs_actual", "budget_total", "flag_word"]

BUDGET_COLUMNS = ("group", "label", "budget", "actual", "same_period_last_year", "last_year", "forecast",
                  "forecast_method", "difference", "difference_pct", "nominal_growth_pct", "index_growth_pct",
                  "real_growth_pct", "flag")
"""Columns of :func:`budget_vs_actual`."""

FORECAST_METHODS = {
    "volledig_jaar": "het hele jaar is geboekt: de werkelijke kosten",
    "vorig_jaar": "werkelijk tot nu + de rest van het jaar zoals vorig jaar",
    "budget": "werkelijk tot nu + het nog niet gebruikte budget",
    "pro_rata": "werkelijk tot nu, doorgetrokken naar het hele jaar",
}
"""Each forecast method in Dutch."""


def flag_word(flag) -> str:
    """A cost group's ``flag`` (it grows faster than the index) in Dutch; without an index it is unknown.

    >>> flag_word(True), flag_word(False), flag_word(None)
    ('ja', 'nee', 'onbekend')
    """
    return "ja" if flag is True else "nee" if flag is False else "onbekend"


def _forecast(actual: float, same_period: float, last_year: float, has_last_year: bool, budget: float,
              period: Period) -> tuple[float, str]:
    if period.complete:
        return actual, "volledig_jaar"
    if has_last_year:
        return actual + (last_year - same_period), "vorig_jaar"
    if not math.isnan(budget):
        return max(actual, budget), "budget"
    if period.elapsed_days == 0:
        return actual, "pro_rata"
    return actual * period.days / period.elapsed_days, "pro_rata"


def _flag(nominal: float, index_growth: float, margin: float) -> bool | None:
    if math.isnan(nominal) or math.isnan(index_growth):
        return None
    return bool(nominal - index_growth > margin + 1e-9)


def budget_vs_actual(classified: pd.DataFrame, budget: pd.DataFrame, index: pd.Series, period: Period,
                     margin_pct: float) -> pd.DataFrame:
    """One row per cost group (:data:`COST_GROUPS`, in order), columns :data:`BUDGET_COLUMNS`.

    Parameters
    ----------
    classified : pandas.DataFrame
        :func:`~igemo_fin.review.lines.classify_lines`.
    budget : pandas.DataFrame
        ``jaar, kostengroep, budget`` (sheet ``budget_werking``).
    index : pandas.Series
        Index value by year.
    period : Period
        The review year and the day the ledger is booked through.
    margin_pct : float
        [percentage points] see the module's notes.
    """
    year = period.year
    actual = group_costs(classified, year, period.through)
    same = group_costs(classified, year - 1, period.through_last_year)
    last = group_costs(classified, year - 1)
    ly = classified[classified["running"] & (classified["year"] == year - 1)]
    has_last = set(ly["group"])
    this_budget = budget[budget["jaar"] == year].set_index("kostengroep")["budget"]
    index_growth = (index_ratio(index, year - 1, year) - 1.0) * 100.0
    rows = []
    for g in COST_GROUPS:
        b = float(this_budget.get(g, np.nan))
        forecast, method = _forecast(actual[g], same[g], last[g], g in has_last, b, period)
        forecast = round(forecast, 2)
        rows.append(_row(g, b, actual[g], same[g], last[g], forecast, method, index_growth, margin_pct))
    table = pd.DataFrame(rows, columns=list(BUDGET_COLUMNS))
    table["flag"] = pd.Series([r["flag"] for r in rows], dtype=object)  # True, False or None (unknown)
    return table


def _row(group: str, b: float, actual: float, same: float, last: float, forecast: float, method: str,
         index_growth: float, margin: float) -> dict:
    difference = forecast - b
    nominal = growth_pct(forecast, last)
    real = (forecast / last / (1.0 + index_growth / 100.0) - 1.0) * 100.0 if last > 0 else math.nan
    return {
        "group": group, "label": COST_GROUP_LABELS.get(group, "Totaal"), "budget": b, "actual": actual,
        "same_period_last_year": same, "last_year": last, "forecast": forecast, "forecast_method": method,
        "difference": round(difference, 2) if not math.isnan(difference) else math.nan,
        "difference_pct": difference / b * 100.0 if b > 0 else math.nan,
        "nominal_growth_pct": nominal, "index_growth_pct": index_growth, "real_growth_pct": real,
        "flag": _flag(nominal, index_growth, margin),
    }


def budget_total(table: pd.DataFrame, margin_pct: float) -> dict:
    """The row of all cost groups together: sums, and the differences and growth of the sums (the
    forecast method is ``mix`` when the groups differ)."""
    budgets = table["budget"]
    b = float(budgets.sum()) if budgets.notna().any() else math.nan
    methods = set(table["forecast_method"])
    row = _row("totaal", b, round(float(table["actual"].sum()), 2),
               round(float(table["same_period_last_year"].sum()), 2), round(float(table["last_year"].sum()), 2),
               round(float(table["forecast"].sum()), 2), methods.pop() if len(methods) == 1 else "mix",
               float(table["index_growth_pct"].iloc[0]), margin_pct)
    return row
