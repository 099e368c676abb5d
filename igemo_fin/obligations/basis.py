"""Per-project inputs of every obligation, in exact cents: the one place they are derived.

Risk sharing, profit sharing, the spread of the return, the write-downs and the totals all start
from :func:`project_basis`, so a loss share or a provision is computed once and the frames agree
to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from igemo_fin.obligations.exact import cents_of, owed_cents, poc_decimal, times_poc
from igemo_fin.obligations.recognition import realised_and_total_cents
from igemo_fin.obligations.sharing import split_loss_cents
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["ProjectBasis", "project_basis"]


@dataclass(frozen=True)
class ProjectBasis:
    """Per-project inputs in exact cents, in the order of ``ev.figures``."""

    frame: pd.DataFrame        #: project_code, naam, gemeente, status and the sharing terms
    result_c: np.ndarray       #: int64 [cents] result_nominal rounded
    loss_c: np.ndarray         #: max(0, -result)
    municipality_c: np.ndarray  #: the municipality's share of the loss
    igemo_c: np.ndarray        #: IGEMO's share of the loss (= the write-down)
    owed_c: np.ndarray         #: profit share owed over the full life
    costs_past_c: np.ndarray
    total_costs_c: np.ndarray
    revenues_past_c: np.ndarray
    total_revenues_c: np.ndarray
    poc: list                  #: Decimal per project
    provision_c: np.ndarray    #: owed * poc
    book_value: np.ndarray     #: float [EUR]
    first_year: np.ndarray
    last_year: np.ndarray


def project_basis(portfolio: Portfolio, ev: Evaluation) -> ProjectBasis:
    """The sharing terms of ``portfolio`` and the figures of ``ev`` per project, in cents."""
    f = ev.figures
    codes = f["project_code"].tolist()
    terms = portfolio.projects.set_index("project_code").reindex(codes)
    share = pd.to_numeric(terms["risicodeling_gemeente_pct"], errors="coerce").fillna(0.0).to_numpy(float)
    cap = pd.to_numeric(terms["risicodeling_plafond"], errors="coerce").to_numpy(float)
    ws_pct = pd.to_numeric(terms["winstdeling_gemeente_pct"], errors="coerce").fillna(0.0).to_numpy(float)
    ws_threshold = pd.to_numeric(terms["winstdeling_drempel"], errors="coerce").fillna(0.0).to_numpy(float)

    result_c = np.array([cents_of(x) for x in f["result_nominal"]], dtype=np.int64)
    loss_c = np.maximum(-result_c, 0)
    if len(codes):
        municipality_c, igemo_c = split_loss_cents(loss_c, share, cap)
    else:
        municipality_c = igemo_c = np.zeros(0, dtype=np.int64)
    threshold_c = np.array([cents_of(x) for x in ws_threshold], dtype=np.int64)
    owed_c = np.array([owed_cents(r, p, t) for r, p, t in zip(result_c, ws_pct, threshold_c)], dtype=np.int64)

    realised, total = realised_and_total_cents(ev, codes)
    costs_past_c = realised["costs_c"].to_numpy(np.int64)
    revenues_past_c = realised["revenues_c"].to_numpy(np.int64)
    total_costs_c = total["costs_c"].to_numpy(np.int64)
    total_revenues_c = total["revenues_c"].to_numpy(np.int64)
    poc = [poc_decimal(a, b, c, d) for a, b, c, d in
           zip(costs_past_c, total_costs_c, revenues_past_c, total_revenues_c)]
    provision_c = np.array([times_poc(o, p) for o, p in zip(owed_c, poc)], dtype=np.int64)

    frame = pd.DataFrame({
        "project_code": codes,
        "naam": f["naam"].to_numpy(),
        "gemeente": f["gemeente"].to_numpy(),
        "status": f["status"].to_numpy(),
        "risicodeling_gemeente_pct": share,
        "risicodeling_plafond": cap,
        "winstdeling_gemeente_pct": ws_pct,
        "winstdeling_drempel": threshold_c / 100.0,
    })
    return ProjectBasis(frame, result_c, loss_c, np.asarray(municipality_c, np.int64),
                        np.asarray(igemo_c, np.int64), owed_c, costs_past_c, total_costs_c, revenues_past_c,
                        total_revenues_c, poc, provision_c, f["book_value"].to_numpy(float),
                        f["first_year"].to_numpy(), f["last_year"].to_numpy())
