"""The ledger lines as the yearly review reads them: cost group, cost, project match, and the period.

Every stored line (:meth:`igemo_fin.records.store.Store.ledger_lines`, also those without a project)
gets its cost group (:func:`igemo_fin.inputs.cost_groups.cost_groups`), its cost in euros (debit +,
a credit note -) and whether its project code is one of the portfolio's projects. A line is a
**running cost** when its account is in one of the six cost groups and it is not coded to a project of
the portfolio: fees coded to a project are that project's costs, already in its actuals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from igemo_fin.columns import require_columns
from igemo_fin.inputs.cost_groups import COST_GROUPS, PROJECT_GROUP, cost_groups
from igemo_fin.inputs.ledger import match_project_codes
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["LINE_INPUT_COLUMNS", "Period", "classify_lines", "review_period", "group_costs", "years_with_lines"]

LINE_INPUT_COLUMNS = ("date", "account", "project_code", "amount_cents")
"""Columns the review needs of the stored lines (``description``, ``journal``, ``document``,
``import_id`` and ``row`` are carried to the lists when present)."""


def classify_lines(lines: pd.DataFrame, portfolio: Portfolio | None,
                   mapping: pd.DataFrame | None = None) -> pd.DataFrame:
    """The lines with ``group``, ``cost`` [EUR], ``coded``, ``known``, ``project`` and ``running``.

    Parameters
    ----------
    lines : pandas.DataFrame
        Stored ledger lines: at least :data:`LINE_INPUT_COLUMNS`; ``amount_cents`` is credit - debit.
    portfolio : Portfolio or None
        Its project codes decide which codes are known (None: every code is).
    mapping : pandas.DataFrame, optional
        The sheet ``kostengroepen``.

    Returns
    -------
    pandas.DataFrame
        A copy with ``year`` and ``month`` (ints), ``group`` (cost group, ``project``, ``negeren`` or
        missing), ``cost`` (debit - credit [EUR]), ``coded`` (has a project code), ``project`` (the
        code in the portfolio's spelling), ``known`` (a project of the portfolio) and ``running``.
    """
    require_columns(lines, LINE_INPUT_COLUMNS, name="ledger_lines")
    out = lines.copy()
    out["date"] = pd.to_datetime(out["date"])
    out["year"] = out["date"].dt.year.astype("int64")
    out["month"] = out["date"].dt.month.astype("int64")
    out["group"] = cost_groups(out["account"], mapping).to_numpy()
    out["cost"] = -out["amount_cents"].astype("int64") / 100.0
    codes = out["project_code"].astype("str")
    project, known = match_project_codes(codes, None if portfolio is None else portfolio.project_codes)
    out["project"] = project.to_numpy()
    out["coded"] = codes.notna().to_numpy()
    out["known"] = known & out["coded"].to_numpy()
    out["running"] = out["group"].isin(COST_GROUPS).to_numpy() & ~out["known"].to_numpy()
    out["cost_line"] = out["group"].isin(COST_GROUPS + (PROJECT_GROUP,)).to_numpy()
    return out


@dataclass(frozen=True)
class Period:
    """The part of the review year the ledger covers."""

    year: int
    through: dt.date
    """The last day with actuals: the ledger's last booking date, at most 31 December; 31 December of
    the year before when the ledger has nothing in the year yet."""

    @property
    def complete(self) -> bool:
        """The whole year is booked (the ledger runs to 31 December or beyond)."""
        return self.through == dt.date(self.year, 12, 31)

    @property
    def elapsed_days(self) -> int:
        return max(0, (self.through - dt.date(self.year, 1, 1)).days + 1)

    @property
    def days(self) -> int:
        return (dt.date(self.year + 1, 1, 1) - dt.date(self.year, 1, 1)).days

    @property
    def through_last_year(self) -> dt.date:
        """The same day a year earlier (28 February for 29 February)."""
        if self.through.year < self.year:
            return dt.date(self.year - 2, 12, 31)
        day = min(self.through.day, 28) if self.through.month == 2 and self.through.day == 29 else self.through.day
        return dt.date(self.year - 1, self.through.month, day)


def review_period(lines: pd.DataFrame, year: int) -> Period:
    """The :class:`Period` of ``year`` that ``lines`` (with ``date``) cover.

    >>> lines = pd.DataFrame({"date": pd.to_datetime(["2025-06-30", "2026-03-31"])})
    >>> review_period(lines, 2026).through, review_period(lines, 2025).complete
    (datetime.date(2026, 3, 31), True)
    """
    end = dt.date(year, 12, 31)
    if lines.empty:
        return Period(year, dt.date(year - 1, 12, 31))
    last = pd.Timestamp(pd.to_datetime(lines["date"]).max()).date()
    return Period(year, min(max(last, dt.date(year - 1, 12, 31)), end))


def group_costs(classified: pd.DataFrame, year: int, through: dt.date | None = None) -> pd.Series:
    """Running costs of ``year`` per cost group [EUR], from 1 January to ``through`` (default: the whole
    year); every group of :data:`COST_GROUPS` is present (0 when nothing is booked)."""
    mask = classified["running"].to_numpy() & (classified["year"].to_numpy() == year)
    if through is not None:
        mask &= (classified["date"].dt.date <= through).to_numpy()
    sums = classified.loc[mask].groupby("group")["cost"].sum()
    return pd.Series([round(float(sums.get(g, 0.0)), 2) for g in COST_GROUPS], index=list(COST_GROUPS),
                     dtype=float)


def years_with_lines(classified: pd.DataFrame) -> np.ndarray:
    """The years in which running costs are booked, ascending."""
    return np.sort(classified.loc[classified["running"], "year"].unique())
