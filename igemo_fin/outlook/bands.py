"""Bands of the multi-year outlook from the Monte Carlo: P10/P50/P90 per year of the credit drawn and
of the equity, and the chances that the credit limit or the equity floor is crossed.

Notes
-----
The bands use the draws of the evaluation's own simulation (same basis, same seed: common random
numbers), so they belong to the same futures as the chances of loss; the kernel records, per
iteration, the credit drawn at the end of every year (:func:`~igemo_fin.risk.montecarlo.simulate`
with ``path_years``).

**Equity per iteration.** Each iteration gives every project a full-life result ``r``. IGEMO's part
of it is ``g(r) = r - owed(r)`` for a profit (``owed`` the profit share of
:func:`~igemo_fin.obligations.profit_sharing.profit_share_owed`'s formula) and ``-IGEMO's share of
the loss`` for a loss. As the spread of the return recognises it, IGEMO's cumulative recognised part
at the end of ``Y`` is ``g(r) * POC(Y)`` for a profit and ``g(r)`` from the year the loss is foreseen
for a loss (the base path's year-end POC and foresight year: the risks change the amounts, not the
recognition schedule). The equity of year ``Y`` is the opening equity plus, per project, that
cumulative part minus what the base had recognised before ``V`` (already in the opening equity),
plus the operating results up to ``Y``. Without any risk it is the base path's equity.

**Chances.** ``prob_limit_exceeded[Y]``: share of iterations whose credit drawn exceeds
``kredietlimiet[Y] * max_kredietgebruik_pct / 100`` (NaN without a limit that year);
``prob_equity_below_floor[Y]``: share whose equity is below ``min_eigen_vermogen``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from igemo_fin.columns import PROJECT_STATUSES
from igemo_fin.obligations.profit_sharing import profit_share_owed_estimate
from igemo_fin.obligations.recognition import year_end_poc
from igemo_fin.obligations.spread import return_spread
from igemo_fin.outlook.path import igemo_losses
from igemo_fin.valuation.evaluate import Evaluation

__all__ = ["BAND_COLUMNS", "outlook_bands", "equity_paths"]

#: Columns of :func:`outlook_bands`, one row per year of the path.
BAND_COLUMNS = ("jaar", "credit_p10", "credit_p50", "credit_p90", "equity_p10", "equity_p50", "equity_p90",
                "prob_limit_exceeded", "prob_equity_below_floor")


def _poc_matrix(ev: Evaluation, years: np.ndarray) -> np.ndarray:
    """(projects x years): the base POC at the end of each year; before the span 0, after it the last."""
    codes = ev.figures["project_code"].tolist()
    poc = year_end_poc(ev)
    out = np.zeros((len(codes), years.size))
    if poc.empty:
        return out
    position = {c: i for i, c in enumerate(codes)}
    for code, g in poc.groupby("project_code", sort=False):
        values = pd.Series([float(p) for p in g["poc_dec"]], index=g["jaar"].to_numpy())
        full = values.reindex(np.arange(min(values.index.min(), years[0]), max(values.index.max(), years[-1]) + 1))
        out[position[code]] = full.ffill().fillna(0.0).reindex(years).to_numpy(float)
    return out


def _igemo_part(ev: Evaluation, result: np.ndarray) -> np.ndarray:
    """``g(r)`` (iterations x projects): IGEMO's part of each full-life result [EUR]."""
    terms = ev.basis.portfolio.projects.set_index("project_code").reindex(ev.figures["project_code"])
    pct = pd.to_numeric(terms["winstdeling_gemeente_pct"], errors="coerce").fillna(0.0).to_numpy(float)
    threshold = pd.to_numeric(terms["winstdeling_drempel"], errors="coerce").fillna(0.0).to_numpy(float)
    owed = profit_share_owed_estimate(result, pct[None, :], threshold[None, :])
    return np.where(result >= 0, result - owed, -igemo_losses(ev, result, statuses=PROJECT_STATUSES))


def equity_paths(ev: Evaluation, result: np.ndarray, years: np.ndarray, opening: float,
                 operating: np.ndarray) -> np.ndarray:
    """The equity at the end of each year in each iteration (iterations x years) [EUR] (module notes)."""
    V = ev.valuation_year
    figures = ev.figures
    first, last = figures["first_year"].to_numpy(), figures["last_year"].to_numpy()
    foreseen = np.minimum(np.maximum(V - 1, first), last)
    poc = _poc_matrix(ev, years)  # (P, Y)
    g = _igemo_part(ev, result)  # (N, P)
    taken = (years[None, :] >= foreseen[:, None]).astype(float)  # (P, Y)
    spread = return_spread(ev.basis.portfolio, ev)
    before = spread[spread["jaar"] < V].groupby("project_code")["recognised_igemo_cumulative"].last()
    already = before.reindex(figures["project_code"]).fillna(0.0).to_numpy(float)  # (P,)
    profit_part = np.einsum("np,py->ny", np.where(g >= 0, g, 0.0) * (result >= 0), poc)
    loss_part = np.einsum("np,py->ny", np.where(result < 0, g, 0.0), taken)
    return opening + profit_part + loss_part - already.sum() + np.cumsum(operating)[None, :]


def outlook_bands(ev: Evaluation, path: pd.DataFrame, simulation) -> pd.DataFrame:
    """P10/P50/P90 and the two chances per year (:data:`BAND_COLUMNS`).

    ``simulation`` is the evaluation's Monte Carlo (``ev.simulation``, which keeps the credit of ``path_years``)
    (:func:`~igemo_fin.valuation.evaluate.simulation_of`); ``path`` the base path
    (:func:`~igemo_fin.outlook.path.outlook_path`), for its years, limits and operating results.
    """
    years = path["jaar"].to_numpy(np.int64)
    thresholds = ev.thresholds
    drawn = simulation.credit_drawn[:, :years.size]
    opening = float(ev.basis.portfolio.settings.eigen_vermogen or 0.0)
    equity = equity_paths(ev, simulation.result_nominal, years, opening, path["operating_result"].to_numpy(float))
    usable = path["credit_limit"].to_numpy(float) * thresholds.max_kredietgebruik_pct / 100.0
    with np.errstate(invalid="ignore"):
        exceeded = np.where(np.isnan(usable), np.nan, (drawn > usable[None, :]).mean(axis=0))
    c10, c50, c90 = np.percentile(drawn, [10, 50, 90], axis=0)
    e10, e50, e90 = np.percentile(equity, [10, 50, 90], axis=0)
    return pd.DataFrame({
        "jaar": years, "credit_p10": c10, "credit_p50": c50, "credit_p90": c90,
        "equity_p10": e10, "equity_p50": e50, "equity_p90": e90,
        "prob_limit_exceeded": exceeded,
        "prob_equity_below_floor": (equity < thresholds.min_eigen_vermogen).mean(axis=0),
    })[list(BAND_COLUMNS)]
