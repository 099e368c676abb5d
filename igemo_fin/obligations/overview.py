"""Per project and in total, the obligation figures ``evaluate --json`` reports and the pages' tiles show."""

from __future__ import annotations

import pandas as pd

from igemo_fin.obligations.basis import project_basis
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["OBLIGATION_COLUMNS", "obligations", "obligation_totals"]

#: :func:`obligations`: the per-project figures the CLI adds to ``evaluate --json``.
OBLIGATION_COLUMNS = (
    "project_code", "naam", "gemeente", "status", "result_nominal", "loss",
    "loss_share_municipality", "loss_share_igemo",
    "profit_share_owed", "poc", "profit_share_provision", "write_down",
)


def obligations(portfolio: Portfolio, ev: Evaluation) -> pd.DataFrame:
    """Per project, the obligation figures of ``evaluate --json`` (:data:`OBLIGATION_COLUMNS`)."""
    b = project_basis(portfolio, ev)
    out = b.frame[["project_code", "naam", "gemeente", "status"]].copy()
    out["result_nominal"] = b.result_c / 100.0
    out["loss"] = b.loss_c / 100.0
    out["loss_share_municipality"] = b.municipality_c / 100.0
    out["loss_share_igemo"] = b.igemo_c / 100.0
    out["profit_share_owed"] = b.owed_c / 100.0
    out["poc"] = [float(p) for p in b.poc]
    out["profit_share_provision"] = b.provision_c / 100.0
    out["write_down"] = b.igemo_c / 100.0
    return out[list(OBLIGATION_COLUMNS)].reset_index(drop=True)


def obligation_totals(portfolio: Portfolio, ev: Evaluation) -> dict[str, float]:
    """Portfolio totals of :func:`obligations` [EUR], exact sums of cents."""
    b = project_basis(portfolio, ev)
    return {
        "loss_total": int(b.loss_c.sum()) / 100.0,
        "loss_share_municipality_total": int(b.municipality_c.sum()) / 100.0,
        "loss_share_igemo_total": int(b.igemo_c.sum()) / 100.0,
        "profit_share_owed_total": int(b.owed_c.sum()) / 100.0,
        "profit_share_provision_total": int(b.provision_c.sum()) / 100.0,
        "write_down_total": int(b.igemo_c.sum()) / 100.0,
    }
