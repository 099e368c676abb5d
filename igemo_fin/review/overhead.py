"""Overhead that escapes the projects: the lines finance should code again at the source.

For the review year ``Y`` (booking dates in ``Y``):

- :func:`uncoded_lines`: lines on a project account (cost group ``project``: purchases of land,
  studies and works) without a project code;
- :func:`misdirected_lines`: cost lines (a cost group or ``project``) whose code is no project of the
  portfolio, or a project that is finished or stopped (``afgerond``, ``stopgezet``) and booked after
  its ``eindjaar``;
- :func:`uncoded_share`: per month, the costs on cost accounts (a cost group or ``project``), those
  without a valid project code (missing or unknown) and their share; and the same for the project
  accounts alone: running costs (wages, rent) rightly carry no code, a purchase on a project account
  should always carry one, so the second share is the one coding at the source brings to zero.

Every list has the columns of :data:`LIST_COLUMNS`, in the ledger's order, so that finance can find
each line in the accounting package (document, journal, date) and correct it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from igemo_fin.inputs.cost_groups import PROJECT_GROUP
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["LIST_COLUMNS", "MONTH_COLUMNS", "uncoded_lines", "misdirected_lines", "uncoded_share"]

LIST_COLUMNS = ("import_id", "row", "date", "journal", "document", "account", "description", "project_code",
                "group", "cost", "reason")
"""Columns of the lists; ``cost`` is debit - credit [EUR]."""

MONTH_COLUMNS = ("month", "costs", "costs_uncoded", "share_uncoded_pct", "project_costs", "project_costs_uncoded",
                 "project_share_uncoded_pct")
"""Columns of :func:`uncoded_share` (amounts [EUR], share [%])."""

_CLOSED = ("afgerond", "stopgezet")


def _listed(lines: pd.DataFrame, reasons: pd.Series | list[str]) -> pd.DataFrame:
    out = pd.DataFrame({c: lines[c] if c in lines.columns else pd.Series(np.nan, index=lines.index)
                        for c in LIST_COLUMNS if c != "reason"})
    out["reason"] = list(reasons)
    out["date"] = pd.to_datetime(out["date"])
    return out.reset_index(drop=True)


def uncoded_lines(classified: pd.DataFrame, year: int) -> pd.DataFrame:
    """Lines of ``year`` on project accounts without a project code (:data:`LIST_COLUMNS`)."""
    mask = ((classified["year"] == year) & (classified["group"] == PROJECT_GROUP) & ~classified["coded"])
    chosen = classified[mask]
    return _listed(chosen, [f"rekening {a} is een projectrekening, maar de lijn heeft geen projectcode"
                            for a in chosen["account"]])


def misdirected_lines(classified: pd.DataFrame, portfolio: Portfolio | None, year: int) -> pd.DataFrame:
    """Cost lines of ``year`` coded to an unknown project, or to a finished or stopped project after its
    ``eindjaar`` (:data:`LIST_COLUMNS`)."""
    base = classified[(classified["year"] == year) & classified["cost_line"] & classified["coded"]]
    unknown = ~base["known"]
    closed = pd.Series(False, index=base.index)
    reasons = pd.Series("", index=base.index, dtype="object")
    reasons[unknown] = [f"projectcode '{c}' bestaat niet in de portefeuille" for c in base.loc[unknown, "project"]]
    if portfolio is not None and not portfolio.projects.empty:
        projects = portfolio.projects.set_index("project_code")
        status = base["project"].map(projects["status"])
        end = base["project"].map(projects["eindjaar"])
        closed = base["known"] & status.isin(_CLOSED) & (base["year"] > end)
        reasons[closed] = [f"project {c} is {s} (eindjaar {int(e)})"
                           for c, s, e in zip(base.loc[closed, "project"], status[closed], end[closed])]
    mask = unknown | closed
    return _listed(base[mask], reasons[mask])


def uncoded_share(classified: pd.DataFrame, year: int, through_month: int = 12) -> pd.DataFrame:
    """Per month of ``year`` up to ``through_month``: the share of costs without a valid project code
    (:data:`MONTH_COLUMNS`); the share is NaN for a month without costs."""
    lines = classified[(classified["year"] == year) & classified["cost_line"]]
    no_code = ~lines["known"]
    on_project = lines["group"] == PROJECT_GROUP
    rows = []
    for month in range(1, through_month + 1):
        in_month = lines["month"] == month
        row = [month]
        for scope in (in_month, in_month & on_project):
            costs = round(float(lines.loc[scope, "cost"].sum()), 2)
            uncoded = round(float(lines.loc[scope & no_code, "cost"].sum()), 2)
            row += [costs, uncoded, uncoded / costs * 100.0 if costs > 0 else np.nan]
        rows.append(tuple(row))
    return pd.DataFrame(rows, columns=list(MONTH_COLUMNS))
