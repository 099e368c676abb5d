"""Recognition by percentage of completion (DOMAIN.md, "Profit sharing").

The percentage of completion (POC) of a project is the share of its costs realised times the share
of its revenues realised (category flows, interest excluded). It sets the profit-share provision
(:mod:`igemo_fin.obligations.profit_sharing`) and the result recognised per year
(:mod:`igemo_fin.obligations.spread`). Both take it from here, in exact cents, so the POC now and
the POC at each year end agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from igemo_fin.obligations.exact import cents_of, poc_decimal
from igemo_fin.valuation.evaluate import Evaluation

__all__ = ["percentage_of_completion", "yearly_cents", "realised_and_total_cents", "year_end_poc"]


def percentage_of_completion(costs_realised, total_costs, revenues_realised, total_revenues) -> np.ndarray:
    """Percentage of completion (DOMAIN.md, "Profit sharing") [fraction 0..1], elementwise.

    Parameters
    ----------
    costs_realised, total_costs, revenues_realised, total_revenues : array_like
        Category costs and revenues (interest excluded) of the years ``< V`` and of the whole life
        [EUR], positive magnitudes. They are rounded to the cent first.

    Notes
    -----
    ``POC = clip(costs_realised / total_costs, 0, 1) * clip(revenues_realised / total_revenues, 0, 1)``,
    a factor being 0 when its total is 0 or less (so zero while nothing is sold).

    Examples
    --------
    >>> percentage_of_completion(300_000, 1_000_000, 500_000, 1_000_000).tolist()
    [0.15]
    """
    arrays = np.broadcast_arrays(*(np.atleast_1d(np.asarray(a, dtype=float)) for a in
                                   (costs_realised, total_costs, revenues_realised, total_revenues)))
    out = [float(poc_decimal(cents_of(a), cents_of(b), cents_of(c), cents_of(d)))
           for a, b, c, d in zip(*(x.reshape(-1) for x in arrays))]
    return np.asarray(out, dtype=float).reshape(arrays[0].shape)


def yearly_cents(ev: Evaluation) -> pd.DataFrame:
    """``project_code, jaar, costs_c, revenues_c``: the category flows per project and year in int cents."""
    y = ev.yearly
    return pd.DataFrame({
        "project_code": y["project_code"].to_numpy(),
        "jaar": y["jaar"].to_numpy(np.int64),
        "costs_c": np.array([cents_of(x) for x in y["costs"]], dtype=np.int64),
        "revenues_c": np.array([cents_of(x) for x in y["revenues"]], dtype=np.int64),
    })


def realised_and_total_cents(ev: Evaluation, codes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(realised, total)``: costs and revenues [cents] of the years ``< V`` and of the whole life.

    Two frames indexed by ``codes`` (in that order), columns ``costs_c, revenues_c``; 0 for a
    project without flows.
    """
    yearly = yearly_cents(ev)
    past = yearly[yearly["jaar"] < ev.valuation_year]
    total = yearly.groupby("project_code")[["costs_c", "revenues_c"]].sum()
    realised = past.groupby("project_code")[["costs_c", "revenues_c"]].sum()
    return realised.reindex(codes, fill_value=0), total.reindex(codes, fill_value=0)


def year_end_poc(ev: Evaluation) -> pd.DataFrame:
    """Per project and year of its span: the POC at the end of that year (``poc_dec``, exact Decimal)."""
    y = yearly_cents(ev).sort_values(["project_code", "jaar"], kind="stable")
    parts = []
    for code, g in y.groupby("project_code", sort=False):
        cum_c = np.cumsum(g["costs_c"].to_numpy())
        cum_r = np.cumsum(g["revenues_c"].to_numpy())
        tc, tr = int(cum_c[-1]), int(cum_r[-1])
        parts.append(pd.DataFrame({
            "project_code": code,
            "jaar": g["jaar"].to_numpy(),
            "poc_dec": [poc_decimal(int(a), tc, int(b), tr) for a, b in zip(cum_c, cum_r)],
        }))
    if not parts:
        return pd.DataFrame({"project_code": pd.Series(dtype=object), "jaar": pd.Series(dtype="int64"),
                             "poc_dec": pd.Series(dtype=object)})
    return pd.concat(parts, ignore_index=True)
