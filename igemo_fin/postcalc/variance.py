"""Budget against actual, line by line, for one finished project: the variance in euro and in percent.

Notes
-----
**Variance in percent** (:func:`variance_pct`): ``100 * (actual - budget) / |budget|``, NaN when
the budget is 0 (or unknown). Dividing by the magnitude keeps the sign of the variance: for a cost
or the interest (positive magnitudes) above zero is an overrun; for the result above zero is better
than budgeted, also when the budget was a loss.

**The lines** (:func:`budget_against_actual`): the categories of the post-calculation
(:attr:`~igemo_fin.postcalc.calculation.PostCalculation.categories`), then the interest on the cash
credit (a cost: ``effect_on_result = -(actual - budget)``) and the result after interest
(``effect_on_result = actual - budget``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from igemo_fin.valuation.cashflow import yearly_flows

if TYPE_CHECKING:  # calculation imports variance_pct from here
    from igemo_fin.postcalc.calculation import PostCalculation
    from igemo_fin.valuation.evaluate import Evaluation

__all__ = ["VARIANCE_COLUMNS", "BUDGET_FORECAST_COLUMNS", "variance_pct", "budget_against_actual",
           "budget_against_forecast"]

#: Columns of :func:`budget_against_actual`: one row per line.
VARIANCE_COLUMNS = (
    "post",                  # a workbook category, "rente" (interest) or "resultaat" (result after interest)
    "soort",                 # "kost", "opbrengst" or "resultaat"
    "budget", "actual",      # [EUR] costs and interest as positive magnitudes
    "variance",              # [EUR] actual - budget
    "variance_pct",          # [%] :func:`variance_pct`
    "effect_on_result",      # [EUR] what the variance did to the result (an overrun of a cost < 0)
)

#: Columns of :func:`budget_against_forecast`: one row per year of the budget or the forecast.
BUDGET_FORECAST_COLUMNS = (
    "jaar",
    "budget", "forecast",                        # [EUR] net flow of the year (interest excluded)
    "budget_cumulative", "forecast_cumulative",  # [EUR] the same, summed up to and including the year
)


def variance_pct(actual: float, budget: float) -> float:
    """The variance against the budget in percent of the budget's magnitude [%].

    Parameters
    ----------
    actual, budget : float
        In the same unit (EUR or cents).

    Returns
    -------
    float
        ``100 * (actual - budget) / |budget|``; NaN when ``budget`` is 0 or NaN.

    Examples
    --------
    A cost of 1,200 against 1,000 budgeted; a result of -50 against -200 budgeted (better).

    >>> variance_pct(1_200.0, 1_000.0), variance_pct(-50.0, -200.0), variance_pct(5.0, 0.0)
    (20.0, 75.0, nan)
    """
    if budget == 0 or math.isnan(budget):
        return math.nan
    return 100.0 * (actual - budget) / abs(budget)


def budget_against_actual(pc: PostCalculation, code: str) -> pd.DataFrame:
    """The lines of one finished project: its categories, the interest and the result after interest.

    Parameters
    ----------
    pc : PostCalculation
        The post-calculation (:func:`~igemo_fin.postcalc.calculation.post_calculation`).
    code : str
        A finished project of ``pc.projects``.

    Returns
    -------
    DataFrame
        :data:`VARIANCE_COLUMNS`.
    """
    categories = pc.categories[pc.categories["project_code"] == code]
    project = pc.projects.set_index("project_code").loc[code]
    lines = [{"post": c.categorie, "soort": c.soort, "budget": c.budget, "actual": c.actual,
              "variance": c.variance, "variance_pct": c.variance_pct, "effect_on_result": c.effect_on_result}
             for c in categories.itertuples()]
    ib, ia = project["interest_budget"], project["interest_actual"]
    lines.append({"post": "rente", "soort": "kost", "budget": ib, "actual": ia, "variance": ia - ib,
                  "variance_pct": variance_pct(ia, ib), "effect_on_result": -(ia - ib)})
    rb, ra = project["result_budget"], project["result_actual"]
    lines.append({"post": "resultaat", "soort": "resultaat", "budget": rb, "actual": ra, "variance": ra - rb,
                  "variance_pct": variance_pct(ra, rb), "effect_on_result": ra - rb})
    return pd.DataFrame(lines, columns=list(VARIANCE_COLUMNS))


def budget_against_forecast(ev: Evaluation, code: str) -> pd.DataFrame:
    """One project's approved budget (``begroting``) against what the evaluation now expects (the
    ledger's actuals for the past where there are any, the forecast for the rest), net per year and
    cumulated, interest excluded: :data:`BUDGET_FORECAST_COLUMNS`, empty when it has no budget.
    """
    budget = yearly_flows(ev.basis.portfolio.cashflows, ev.valuation_year, version="begroting")
    budget = budget[budget["project_code"] == code].groupby("jaar")["bedrag"].sum()
    if budget.empty:
        return pd.DataFrame(columns=list(BUDGET_FORECAST_COLUMNS))
    forecast = ev.flows[ev.flows["project_code"] == code].groupby("jaar")["bedrag"].sum()
    years = sorted(set(budget.index) | set(forecast.index))
    budget, forecast = budget.reindex(years, fill_value=0.0), forecast.reindex(years, fill_value=0.0)
    return pd.DataFrame({"jaar": years, "budget": budget.to_numpy(float), "forecast": forecast.to_numpy(float),
                         "budget_cumulative": budget.cumsum().to_numpy(float),
                         "forecast_cumulative": forecast.cumsum().to_numpy(float)},
                        columns=list(BUDGET_FORECAST_COLUMNS))
