"""The inputs of an evaluation, recovered from the evaluation itself, and evaluating again with them.

The Monte Carlo, the scenarios, the tornado and the reference-class uplift start from an
:class:`~igemo_fin.valuation.evaluate.Evaluation` and need what it was computed with: the rate of
every future year (with the stress it applied), whether its discount rate was the default, its
thresholds and the ledger actuals it used. This module is the one place that reads them back.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from igemo_fin.valuation.evaluate import evaluate, resolve_discount_rate
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["future_rates", "discount_follows_credit", "reevaluate"]


def future_rates(portfolio: Portfolio, ev, n_years: int) -> tuple[np.ndarray, float]:
    """The rate of each future year as the evaluation used it; beyond the grid the credit table
    (its last year repeated), plus the stress the evaluation applied.

    Returns
    -------
    rates : ndarray (n_years,)
        [%] of the years ``V, V + 1, ...``.
    tail : float
        [%] the rate of every year beyond the credit table.
    """
    V = ev.valuation_year
    table = portfolio.rate_by_year().sort_index()
    grid = pd.Series(ev.rates_pct, index=ev.matrix.years)
    years = np.arange(V, V + n_years)
    shift = 0.0
    common = [y for y in grid.index if y >= V and y in table.index and np.isfinite(grid[y])]
    if common:
        shift = float(grid[common[0]] - table[common[0]])
    last_rate = float(table.iloc[-1]) if not table.empty else 0.0
    rates = []
    for y in years:
        if y in grid.index and np.isfinite(grid[y]):
            rates.append(float(grid[y]))
        elif y in table.index:
            rates.append(float(table[y]) + shift)
        elif not table.empty and y < table.index[0]:
            rates.append(float(table.iloc[0]) + shift)
        else:
            rates.append(last_rate + shift)
    return np.array(rates, dtype=float), last_rate + shift


def _base_thresholds(portfolio: Portfolio, ev):
    """The evaluation's thresholds with the discount rate left to its default when it was the default."""
    t = ev.thresholds
    if portfolio.thresholds.disconteringsvoet_pct is not None:
        return t
    default, _ = resolve_discount_rate(portfolio, ev.valuation_year, t.with_values(disconteringsvoet_pct=None))
    if t.disconteringsvoet_pct is not None and math.isclose(t.disconteringsvoet_pct, default, abs_tol=1e-12):
        return t.with_values(disconteringsvoet_pct=None)
    return t


def discount_follows_credit(portfolio: Portfolio, ev) -> bool:
    """True when the evaluation's discount rate is the default (the credit rate of V)."""
    return portfolio.thresholds.disconteringsvoet_pct is None and _base_thresholds(
        portfolio, ev).disconteringsvoet_pct is None


def _actuals_of(ev) -> pd.DataFrame | None:
    """The ledger actuals the evaluation used (its flows marked ``werkelijk``)."""
    used = ev.flows[ev.flows["bron"] == "werkelijk"]
    return None if used.empty else used[["project_code", "jaar", "categorie", "bedrag"]].reset_index(drop=True)


def reevaluate(portfolio: Portfolio, ev, *, prob_loss: pd.Series | None = None, rate_shift_bp: float = 0.0,
               portfolio_override: Portfolio | None = None):
    """Evaluate again with the same valuation year, thresholds and actuals as ``ev``.

    Used to let the Monte Carlo's ``prob_loss`` take part in the verdict, and by the stress
    scenarios (``portfolio_override``: the stressed workbook; ``rate_shift_bp``).
    """
    return evaluate(portfolio_override if portfolio_override is not None else portfolio,
                    valuation_year=ev.valuation_year, thresholds=_base_thresholds(portfolio, ev),
                    actuals=_actuals_of(ev), rate_shift_bp=rate_shift_bp, prob_loss=prob_loss)
