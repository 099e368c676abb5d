"""Profit sharing: what IGEMO owes each municipality, and the provision it builds up for it.

DOMAIN.md, "Profit sharing". Amounts exact to the cent (:mod:`igemo_fin.obligations.exact`).

Provision history (a choice where DOMAIN.md is silent, documented for finance): the provision that
should stand at the end of year ``Y`` is today's owed amount times the POC at the end of ``Y``
(costs and revenues of the years ``<= Y``). It is a restatement with today's best estimate, not a
replay of old forecasts (which the workbook does not keep); it shows how the provision builds up
with progress, and its closing at the end of ``V - 1`` equals the provision that stands now.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from igemo_fin.obligations.basis import project_basis
from igemo_fin.obligations.exact import cents_of, euros, num_or_zero, owed_cents, poc_decimal, ratio, times_poc
from igemo_fin.obligations.recognition import year_end_poc
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["PROFIT_SHARING_COLUMNS", "PROVISION_MOVEMENT_COLUMNS", "profit_share_owed", "profit_share_owed_estimate",
           "profit_share_provision",
           "profit_sharing", "provision_movements"]

#: :func:`profit_sharing`: one row per project.
PROFIT_SHARING_COLUMNS = (
    "project_code", "naam", "gemeente", "status",
    "result_nominal",            # [EUR] rounded to the cent
    "winstdeling_gemeente_pct",  # [%] 0 when empty
    "winstdeling_drempel",       # [EUR] 0 when empty
    "profit_above_threshold",    # [EUR] max(0, result - drempel)
    "profit_share_owed",         # [EUR] pct / 100 * profit_above_threshold, half up
    "costs_realised", "total_costs",        # [EUR] category costs of years < V / of the life
    "revenues_realised", "total_revenues",  # [EUR] category revenues, idem
    "poc_costs",                 # [fraction] costs_realised / total_costs, 0..1
    "poc_revenues",              # [fraction] revenues_realised / total_revenues, 0..1
    "poc",                       # [fraction] poc_costs * poc_revenues
    "profit_share_provision",    # [EUR] owed * poc, half up; <= owed
)

#: :func:`provision_movements`: one row per project and year of its span.
PROVISION_MOVEMENT_COLUMNS = (
    "project_code", "gemeente", "jaar",
    "is_past",                   # year < V (booked or to be booked); else projected
    "poc_cumulative",            # [fraction] POC at the end of the year
    "profit_share_owed",         # [EUR] today's owed amount
    "opening",                   # [EUR] provision at 1 January
    "addition",                  # [EUR] toevoeging (>= 0)
    "release",                   # [EUR] terugneming (>= 0)
    "closing",                   # [EUR] provision at 31 December = owed * poc_cumulative
)


def profit_share_owed(result_nominal, share_pct, threshold=0.0) -> np.ndarray:
    """Profit share owed to the municipality [EUR], exact to the cent, half up; elementwise.

    ``owed = share_pct / 100 * max(0, result_nominal - threshold)``, with ``result_nominal`` and
    ``threshold`` rounded to the cent first; NaN share or threshold means 0.

    Examples
    --------
    50 % of a profit of 100,000.01 is 50,000.005, which rounds half up to 50,000.01:

    >>> profit_share_owed(100_000.01, 50.0).tolist()
    [50000.01]
    """
    r, p, t = np.broadcast_arrays(*(np.atleast_1d(np.asarray(a, dtype=float)) for a in
                                    (result_nominal, share_pct, threshold)))
    out = [euros(owed_cents(cents_of(a), num_or_zero(b), cents_of(c)))
           for a, b, c in zip(r.reshape(-1), p.reshape(-1), t.reshape(-1))]
    return np.asarray(out, dtype=float).reshape(r.shape)


def profit_share_owed_estimate(result_nominal, share_pct, threshold=0.0) -> np.ndarray:
    """The same profit share in floats, vectorised, for the Monte Carlo's many outcomes [EUR].

    Not rounded to the cent: what is booked uses :func:`profit_share_owed`; a simulation's
    percentiles need speed over thousands of iterations. NaN share or threshold means 0.

    >>> profit_share_owed_estimate(np.array([[100_000.0, -5.0]]), np.array([[50.0, 50.0]])).tolist()
    [[50000.0, 0.0]]
    """
    share = np.nan_to_num(np.asarray(share_pct, dtype=float), nan=0.0)
    threshold = np.nan_to_num(np.asarray(threshold, dtype=float), nan=0.0)
    return share / 100.0 * np.maximum(np.asarray(result_nominal, dtype=float) - threshold, 0.0)


def profit_share_provision(owed, costs_realised, total_costs, revenues_realised, total_revenues) -> np.ndarray:
    """The provision that should stand: ``owed * POC`` [EUR], half up to the cent; elementwise.

    The POC is computed exactly from the cent amounts (not from a rounded float), so
    ``0 <= provision <= owed`` always.

    Examples
    --------
    Owed 10,000.10 at POC 0.3 * 0.5 = 0.15: 1,500.015, half up 1,500.02.

    >>> profit_share_provision(10_000.10, 300_000, 1_000_000, 500_000, 1_000_000).tolist()
    [1500.02]
    """
    arrays = np.broadcast_arrays(*(np.atleast_1d(np.asarray(a, dtype=float)) for a in
                                   (owed, costs_realised, total_costs, revenues_realised, total_revenues)))
    out = []
    for o, a, b, c, d in zip(*(x.reshape(-1) for x in arrays)):
        owed_c = max(cents_of(o), 0)
        out.append(euros(times_poc(owed_c, poc_decimal(cents_of(a), cents_of(b), cents_of(c), cents_of(d)))))
    return np.asarray(out, dtype=float).reshape(arrays[0].shape)


def profit_sharing(portfolio: Portfolio, ev: Evaluation) -> pd.DataFrame:
    """Profit share owed to each municipality, the percentage of completion and the provision.

    Returns
    -------
    DataFrame
        :data:`PROFIT_SHARING_COLUMNS`, one row per project.

    Notes
    -----
    ``owed = winstdeling_gemeente_pct / 100 * max(0, result_nominal - winstdeling_drempel)``;
    ``POC = (costs < V / total costs) * (revenues < V / total revenues)`` on the category flows
    (interest excluded); ``provision = owed * POC``. All half up to the cent.
    """
    b = project_basis(portfolio, ev)
    out = b.frame[["project_code", "naam", "gemeente", "status"]].copy()
    out["result_nominal"] = b.result_c / 100.0
    out["winstdeling_gemeente_pct"] = b.frame["winstdeling_gemeente_pct"].to_numpy()
    out["winstdeling_drempel"] = b.frame["winstdeling_drempel"].to_numpy()
    threshold_c = np.array([cents_of(x) for x in out["winstdeling_drempel"]], dtype=np.int64)
    out["profit_above_threshold"] = np.maximum(b.result_c - threshold_c, 0) / 100.0
    out["profit_share_owed"] = b.owed_c / 100.0
    out["costs_realised"] = b.costs_past_c / 100.0
    out["total_costs"] = b.total_costs_c / 100.0
    out["revenues_realised"] = b.revenues_past_c / 100.0
    out["total_revenues"] = b.total_revenues_c / 100.0
    out["poc_costs"] = [float(ratio(a, t)) for a, t in zip(b.costs_past_c, b.total_costs_c)]
    out["poc_revenues"] = [float(ratio(a, t)) for a, t in zip(b.revenues_past_c, b.total_revenues_c)]
    out["poc"] = [float(p) for p in b.poc]
    out["profit_share_provision"] = b.provision_c / 100.0
    return out[list(PROFIT_SHARING_COLUMNS)].reset_index(drop=True)


def provision_movements(portfolio: Portfolio, ev: Evaluation) -> pd.DataFrame:
    """How the profit-share provision builds up: opening, addition, release, closing per year.

    Returns
    -------
    DataFrame
        :data:`PROVISION_MOVEMENT_COLUMNS`, one row per project and year of its span (past and
        projected; ``is_past`` marks the years before ``V``). The closing of the year ``V - 1`` is
        the provision of :func:`profit_sharing`; after the last year it equals what is owed.

    Notes
    -----
    ``closing[Y] = owed * POC(end of Y)``, with today's ``owed`` (the module docstring explains this
    choice); ``opening[Y] = closing[Y - 1]`` (0 before the first year); the difference is an
    addition when positive, a release when negative. All in cents.
    """
    b = project_basis(portfolio, ev)
    owed = dict(zip(b.frame["project_code"], b.owed_c))
    gemeente = dict(zip(b.frame["project_code"], b.frame["gemeente"]))
    poc = year_end_poc(ev)
    V = ev.valuation_year
    rows = []
    for code, g in poc.groupby("project_code", sort=False):
        opening = 0
        o = int(owed.get(code, 0))
        for year, p in zip(g["jaar"], g["poc_dec"]):
            closing = times_poc(o, p)
            diff = closing - opening
            rows.append((code, gemeente.get(code), int(year), int(year) < V, float(p), o / 100.0,
                         opening / 100.0, max(diff, 0) / 100.0, max(-diff, 0) / 100.0, closing / 100.0))
            opening = closing
    frame = pd.DataFrame(rows, columns=list(PROVISION_MOVEMENT_COLUMNS))
    order = {c: i for i, c in enumerate(b.frame["project_code"])}
    frame = frame.sort_values(["project_code", "jaar"], key=lambda s: s.map(order) if s.name == "project_code" else s,
                              kind="stable")
    return frame.reset_index(drop=True)
