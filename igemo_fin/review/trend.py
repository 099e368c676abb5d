"""The running costs over several years side by side, nominal and in real terms.

Per year ``t`` from the first year with running costs to the review year ``Y`` and per cost group: the
costs of the whole year (for ``Y`` the forecast of :mod:`igemo_fin.review.budget`), the same in prices
of ``Y`` (``amount * I[Y] / I[t]``, NaN without both index values) and the growth on the year before,
nominal and real.
"""

from __future__ import annotations

import math

import pandas as pd

from igemo_fin.inputs.cost_groups import COST_GROUP_LABELS, COST_GROUPS
from igemo_fin.review.index import growth_pct, in_prices_of
from igemo_fin.review.lines import group_costs, years_with_lines

__all__ = ["TREND_COLUMNS", "cost_trend", "real_by_year"]

TREND_COLUMNS = ("year", "group", "nominal", "real", "nominal_growth_pct", "real_growth_pct", "is_forecast")
"""Columns of :func:`cost_trend`; ``group`` is a cost group or ``totaal``."""


def cost_trend(classified: pd.DataFrame, forecast: pd.Series, year: int, index: pd.Series) -> pd.DataFrame:
    """The trend table (:data:`TREND_COLUMNS`), one row per year and group and a ``totaal`` per year.

    Parameters
    ----------
    classified : pandas.DataFrame
        :func:`~igemo_fin.review.lines.classify_lines`.
    forecast : pandas.Series
        The review year's forecast per cost group [EUR].
    year : int
        The review year ``Y``: the prices the real amounts are in.
    index : pandas.Series
        Index value by year.
    """
    years = [int(y) for y in years_with_lines(classified) if y < year] + [year]
    rows = []
    previous: dict[str, tuple[float, float]] = {}
    for t in years:
        amounts = forecast.reindex(list(COST_GROUPS)).fillna(0.0) if t == year else group_costs(classified, t)
        values = {g: float(amounts[g]) for g in COST_GROUPS}
        values["totaal"] = round(sum(values.values()), 2)
        for g, nominal in values.items():
            real = in_prices_of(nominal, t, year, index)
            before = previous.get(g)
            rows.append({
                "year": t, "group": g, "nominal": nominal, "real": real,
                "nominal_growth_pct": growth_pct(nominal, before[0]) if before else math.nan,
                "real_growth_pct": growth_pct(real, before[1]) if before else math.nan,
                "is_forecast": t == year,
            })
            previous[g] = (nominal, real)
    return pd.DataFrame(rows, columns=list(TREND_COLUMNS))


def real_by_year(trend: pd.DataFrame) -> pd.DataFrame:
    """:func:`cost_trend`'s real amounts side by side: one row per cost group in the order of
    :data:`~igemo_fin.inputs.cost_groups.COST_GROUPS` and then ``totaal``, with its Dutch ``label``
    (``Totaal``), and one column per year (its number) [EUR in prices of the review year]."""
    order = [*COST_GROUPS, "totaal"]
    wide = trend.pivot(index="group", columns="year", values="real").reindex(order)
    wide.columns = [int(c) for c in wide.columns]
    wide.insert(0, "label", [COST_GROUP_LABELS.get(g, "Totaal") for g in order])
    return wide.rename_axis("group").reset_index()
