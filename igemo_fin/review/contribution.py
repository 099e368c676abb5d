"""The municipalities' operating contribution (werkingsbijdrage) in real terms, and re-indexation.

Per partner ``p`` for the review year ``Y``, with ``B`` its contribution of ``Y`` and ``L`` the year it
was last indexed (sheet ``werkingsbijdrage``):

- ``contribution_real = B * I[L] / I[Y]``: what the contribution is worth in prices of the year it was
  last indexed (below ``B`` when prices rose since);
- ``reindexed = B * I[Y] / I[K]`` with ``K`` the index year of the what-if (default ``L``): the
  contribution had it followed the index since ``K``; ``reindexation_gap = reindexed - B``.

Against the general running: ``running_costs`` (the forecast of all cost groups of ``Y``) minus the
contributions is the part the contributions do not cover (``gap``), also after re-indexation.
"""

from __future__ import annotations

import math

import pandas as pd

from igemo_fin.review.index import in_prices_of, index_ratio

__all__ = ["CONTRIBUTION_COLUMNS", "HISTORY_COLUMNS", "contributions_in_real_terms", "contribution_history",
           "coverage"]

CONTRIBUTION_COLUMNS = ("partner", "contribution_nominal", "last_indexed", "index_year", "contribution_real",
                        "reindexed", "reindexation_gap")
"""Columns of :func:`contributions_in_real_terms` (amounts [EUR])."""

HISTORY_COLUMNS = ("year", "contributions_nominal", "contributions_real", "running_costs", "coverage_pct")
"""Columns of :func:`contribution_history`."""


def contributions_in_real_terms(contributions: pd.DataFrame, index: pd.Series, year: int,
                                index_year: int | None = None) -> pd.DataFrame:
    """Per partner with a contribution in ``year``: :data:`CONTRIBUTION_COLUMNS`, by partner name.

    ``index_year`` is ``K`` of the what-if; None takes each partner's ``laatst_geindexeerd``.

    Examples
    --------
    >>> c = pd.DataFrame({"gemeente": ["A"], "jaar": [2026], "bijdrage": [100_000.0], "laatst_geindexeerd": [2020]})
    >>> row = contributions_in_real_terms(c, pd.Series({2020: 100.0, 2026: 125.0}), 2026).iloc[0]
    >>> float(row["contribution_real"]), float(row["reindexed"]), float(row["reindexation_gap"])
    (80000.0, 125000.0, 25000.0)
    """
    rows = []
    for rec in contributions[contributions["jaar"] == year].sort_values("gemeente").to_dict("records"):
        nominal = float(rec["bijdrage"])
        last = int(rec["laatst_geindexeerd"])
        k = last if index_year is None else int(index_year)
        reindexed = nominal * index_ratio(index, k, year)
        rows.append({
            "partner": rec["gemeente"], "contribution_nominal": nominal, "last_indexed": last, "index_year": k,
            "contribution_real": _cents(in_prices_of(nominal, year, last, index)),
            "reindexed": _cents(reindexed), "reindexation_gap": _cents(reindexed - nominal),
        })
    return pd.DataFrame(rows, columns=list(CONTRIBUTION_COLUMNS))


def _cents(value: float) -> float:
    return value if math.isnan(value) else round(value, 2)


def contribution_history(contributions: pd.DataFrame, running: pd.Series, index: pd.Series,
                         year: int) -> pd.DataFrame:
    """Per year up to ``year``: all contributions together, nominal and in prices of ``year``, the running
    costs of that year (``running``: total per year [EUR]) and the share they cover [%]."""
    totals = contributions[contributions["jaar"] <= year].groupby("jaar")["bijdrage"].sum()
    years = sorted(set(int(y) for y in totals.index) | set(int(y) for y in running.index if y <= year))
    rows = []
    for t in years:
        nominal = float(totals.get(t, 0.0))
        costs = float(running.get(t, math.nan))
        rows.append((t, nominal, _cents(in_prices_of(nominal, t, year, index)), costs,
                     nominal / costs * 100.0 if costs > 0 else math.nan))
    return pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))


def coverage(partners: pd.DataFrame, running_costs: float) -> dict:
    """The contributions of the review year against its running costs [EUR, %].

    Keys ``running_costs``, ``contributions``, ``gap`` (running costs - contributions),
    ``coverage_pct``, ``contributions_reindexed`` and ``gap_reindexed`` (NaN when an index value is
    missing).
    """
    total = float(partners["contribution_nominal"].sum())
    reindexed = float(partners["reindexed"].sum(min_count=1)) if partners["reindexed"].notna().all() else math.nan
    if partners.empty:
        reindexed = 0.0
    return {
        "running_costs": running_costs, "contributions": total, "gap": round(running_costs - total, 2),
        "coverage_pct": total / running_costs * 100.0 if running_costs > 0 else math.nan,
        "contributions_reindexed": reindexed,
        "gap_reindexed": round(running_costs - reindexed, 2) if not math.isnan(reindexed) else math.nan,
    }
