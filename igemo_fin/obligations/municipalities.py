"""What each municipality carries across its projects, and what is owed to it: the one place these
totals are summed (the Verplichtingen page per municipality, the Mijn gemeente page for its own)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from igemo_fin.obligations.exact import sum_cents
from igemo_fin.obligations.loss_sharing import loss_sharing
from igemo_fin.obligations.overview import obligations
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["MUNICIPALITY_COLUMNS", "municipality_summary", "municipality_totals"]

#: :func:`municipality_summary`: one row per municipality (first appearance order).
MUNICIPALITY_COLUMNS = (
    "gemeente",
    "project_count",             # projects of this municipality
    "loss_project_count",        # of which with an expected loss
    "loss",                      # [EUR] sum of expected losses
    "loss_share_municipality",   # [EUR] what the municipality carries
    "loss_share_igemo",          # [EUR] what IGEMO carries
    "loss_p90",                  # [EUR] NaN when no P90 was given
    "loss_p90_municipality",
    "loss_p90_igemo",
    "profit_share_owed",         # [EUR] owed to the municipality over the full life
    "profit_share_provision",    # [EUR] provision that should stand now
    "write_down",                # [EUR] IGEMO's write-downs on its projects
)


def _per_project(portfolio: Portfolio, ev: Evaluation, loss_p90: pd.Series | None) -> pd.DataFrame:
    shares = loss_sharing(portfolio, ev, loss_p90=loss_p90)
    figures = obligations(portfolio, ev)[["project_code", "profit_share_owed", "profit_share_provision", "write_down"]]
    return shares.merge(figures, on="project_code", how="left")


def _totals(projects: pd.DataFrame) -> dict:
    """The totals of :data:`MUNICIPALITY_COLUMNS` (but ``gemeente``) over some projects: exact sums of cents."""
    has_p90 = projects["loss_p90"].notna().any()

    def total(column: str) -> float:
        return sum_cents(projects[column].fillna(0.0))

    return {
        "project_count": int(len(projects)),
        "loss_project_count": int((projects["loss"] > 0).sum()),
        "loss": total("loss"),
        "loss_share_municipality": total("loss_share_municipality"),
        "loss_share_igemo": total("loss_share_igemo"),
        "loss_p90": total("loss_p90") if has_p90 else np.nan,
        "loss_p90_municipality": total("loss_p90_municipality") if has_p90 else np.nan,
        "loss_p90_igemo": total("loss_p90_igemo") if has_p90 else np.nan,
        "profit_share_owed": total("profit_share_owed"),
        "profit_share_provision": total("profit_share_provision"),
        "write_down": total("write_down"),
    }


def municipality_summary(portfolio: Portfolio, ev: Evaluation, *,
                         loss_p90: pd.Series | None = None) -> pd.DataFrame:
    """What each municipality carries across its projects, and what is owed to it.

    Returns
    -------
    DataFrame
        :data:`MUNICIPALITY_COLUMNS`, one row per municipality in order of first appearance. Sums of
        cent amounts, so exact. The P90 columns are NaN when no P90 was given for any of its projects.
    """
    merged = _per_project(portfolio, ev, loss_p90)
    rows = [{"gemeente": gemeente, **_totals(g)} for gemeente, g in merged.groupby("gemeente", sort=False)]
    return pd.DataFrame(rows, columns=list(MUNICIPALITY_COLUMNS))


def municipality_totals(portfolio: Portfolio, ev: Evaluation, *, loss_p90: pd.Series | None = None) -> dict:
    """The totals of :func:`municipality_summary` over every project of ``ev`` together.

    For an evaluation cut to one municipality's projects (what a municipality's user sees), this is
    that municipality's row. Keys: :data:`MUNICIPALITY_COLUMNS` but ``gemeente``.
    """
    return _totals(_per_project(portfolio, ev, loss_p90))
