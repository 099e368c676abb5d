"""The reference-class uplift: each active project with the P50 and the P80 of its reference class.

The lessons of the post-calculation (:func:`~igemo_fin.postcalc.calculation.reference_class`)
applied to the forecast through the Monte Carlo's kernel, one level at a time.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from igemo_fin.risk.kernel import build_model, run_batch
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["UPLIFT_COLUMNS", "reference_uplift"]

#: Columns of :func:`reference_uplift`: one row per active project and level (``p50``, ``p80``).
UPLIFT_COLUMNS = (
    "project_code", "type", "level",
    "basis",                  # "type" or "alle types" (fewer than 3 finished projects of the type)
    "class_size",             # finished projects behind the figures
    "cost_ratio", "revenue_ratio", "delay_years",  # the level's figures of the reference class
    "npv_forward_base", "npv_forward",             # [EUR] without / with the uplift
    "result_base", "result_nominal",               # [EUR] projected full-life result without / with
)


def reference_uplift(portfolio: Portfolio, ev, reference: pd.DataFrame) -> pd.DataFrame:
    """Each active project's figures with the P50 and the P80 of its reference class applied.

    Parameters
    ----------
    portfolio, ev
        The workbook and its evaluation.
    reference : DataFrame
        :data:`~igemo_fin.postcalc.calculation.REFERENCE_COLUMNS` (``post_calculation(...).reference``).

    Returns
    -------
    DataFrame
        :data:`UPLIFT_COLUMNS`. The level's ``cost_ratio`` multiplies the future costs, its
        ``revenue_ratio`` the future revenues, and the future revenues move ``delay_years`` later
        (below 0 counts as 0), through the Monte Carlo's kernel. ``p80`` is the unfavourable level
        (:data:`~igemo_fin.postcalc.calculation.P80_PERCENTILE`). A type without a reference class (no
        finished project with a budget) gets NaN figures.
    """
    model = build_model(portfolio, ev)
    ref = reference.set_index("type")
    info = portfolio.projects.set_index("project_code")
    base = ev.figures.set_index("project_code")
    rows = []
    for p, code in enumerate(model.codes):
        if info.loc[code, "status"] != "actief":
            continue
        kind = info.loc[code, "type"]
        r = ref.loc[kind] if kind in ref.index else None
        for level in ("p50", "p80"):
            row = {"project_code": code, "type": kind, "level": level,
                   "basis": None if r is None else r["basis"],
                   "class_size": 0 if r is None else int(r["cost_ratio_n"]),
                   "npv_forward_base": float(base.loc[code, "npv_forward"]),
                   "result_base": float(base.loc[code, "result_nominal"])}
            figures = (math.nan,) * 3 if r is None else (
                r[f"cost_ratio_{level}"], r[f"revenue_ratio_{level}"], r[f"delay_{level}"])
            cost, revenue, delay = (float(x) for x in figures)
            row |= {"cost_ratio": cost, "revenue_ratio": revenue, "delay_years": delay}
            if any(math.isnan(x) for x in (cost, revenue, delay)):
                row |= {"npv_forward": math.nan, "result_nominal": math.nan}
            else:
                zero = np.zeros((1, 1))
                npv, result = run_batch(model.subset([p]), zero, zero, np.full((1, 1), max(delay, 0.0)), zero,
                                        cost_ratio=np.full((1, 1), cost), revenue_ratio=np.full((1, 1), revenue))
                row |= {"npv_forward": float(npv[0, 0]), "result_nominal": float(result[0, 0])}
            rows.append(row)
    return pd.DataFrame(rows, columns=list(UPLIFT_COLUMNS))
