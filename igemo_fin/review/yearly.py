"""The yearly review in one call: :func:`yearly_review` composes the review's parts and keeps the
inputs beside the results (:class:`YearlyReview`)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from igemo_fin.inputs.review_sheets import ReviewInputs, review_inputs
from igemo_fin.review.budget import budget_total, budget_vs_actual
from igemo_fin.review.contribution import contribution_history, contributions_in_real_terms, coverage
from igemo_fin.review.lines import Period, classify_lines, review_period
from igemo_fin.review.overhead import misdirected_lines, uncoded_lines, uncoded_share
from igemo_fin.review.trend import cost_trend
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["YearlyReview", "yearly_review", "empty_lines", "default_review_year", "review_years"]


@dataclass(frozen=True)
class YearlyReview:
    """Finance's yearly review of year :attr:`period.year <Period.year>` and what it was computed from."""

    period: Period
    inputs: ReviewInputs
    index_year: int | None
    """``K`` of the re-indexation what-if; None: each partner's last indexation year."""
    budget: pd.DataFrame
    """:data:`~igemo_fin.review.budget.BUDGET_COLUMNS`, one row per cost group."""
    total: dict
    """The same for all groups together."""
    trend: pd.DataFrame
    """:data:`~igemo_fin.review.trend.TREND_COLUMNS`."""
    uncoded: pd.DataFrame
    """Lines on project accounts without a code (:data:`~igemo_fin.review.overhead.LIST_COLUMNS`)."""
    misdirected: pd.DataFrame
    """Cost lines coded to an unknown or finished project."""
    monthly: pd.DataFrame
    """:data:`~igemo_fin.review.overhead.MONTH_COLUMNS`."""
    contributions: pd.DataFrame
    """:data:`~igemo_fin.review.contribution.CONTRIBUTION_COLUMNS`."""
    contribution_years: pd.DataFrame
    """:data:`~igemo_fin.review.contribution.HISTORY_COLUMNS`."""
    coverage: dict
    lines_used: int
    """Ledger lines the review read."""

    @property
    def year(self) -> int:
        return self.period.year

    @property
    def groups_above_index(self) -> int:
        """Cost groups whose real growth exceeds the margin (``flag`` True; unknown ones do not count)."""
        return sum(1 for flag in self.budget["flag"] if flag is True)

    @property
    def lines_outside_projects(self) -> int:
        """Lines of the two lists together: :attr:`uncoded` and :attr:`misdirected`."""
        return len(self.uncoded) + len(self.misdirected)

    @property
    def uncoded_cost(self) -> float:
        """The cost of :attr:`uncoded` [EUR, debit - credit]."""
        return float(self.uncoded["cost"].sum())

    @property
    def misdirected_cost(self) -> float:
        """The cost of :attr:`misdirected` [EUR, debit - credit]."""
        return float(self.misdirected["cost"].sum())

    def as_json(self) -> dict:
        """What ``review --json`` prints: amounts in euros, NaN as null."""
        budget = [_clean({"cost_group": r["group"], **{k: r[k] for k in (
            "budget", "actual", "same_period_last_year", "last_year", "forecast", "forecast_method", "difference",
            "difference_pct", "nominal_growth_pct", "index_growth_pct", "real_growth_pct", "flag")}})
            for r in self.budget.to_dict("records")]
        partners = [_clean({"partner": r["partner"], **{k: r[k] for k in (
            "contribution_nominal", "contribution_real", "reindexation_gap", "reindexed", "last_indexed",
            "index_year")}}) for r in self.contributions.to_dict("records")]
        return {
            "year": self.year,
            "through": self.period.through.isoformat(),
            "year_complete": self.period.complete,
            "margin_pct": self.inputs.margin_pct,
            "index_year": self.index_year,
            "lines_read": self.lines_used,
            "cost_groups": budget,
            "total": _clean({k: v for k, v in self.total.items() if k != "label"}),
            "uncoded_lines": _records(self.uncoded),
            "misdirected_lines": _records(self.misdirected),
            "uncoded_share_by_month": _records(self.monthly),
            "partners": partners,
            "coverage": _clean(dict(self.coverage)),
        }


def _clean(record: dict) -> dict:
    out = {}
    for key, value in record.items():
        if isinstance(value, float) and math.isnan(value):
            value = None
        elif isinstance(value, (pd.Timestamp, dt.date)):
            value = value.date().isoformat() if isinstance(value, pd.Timestamp) else value.isoformat()
        elif hasattr(value, "item"):
            value = value.item()
        out[key] = value
    return out


def _records(frame: pd.DataFrame) -> list[dict]:
    return [_clean(r) for r in frame.to_dict("records")]


def empty_lines() -> pd.DataFrame:
    """A ledger without lines, in the stored lines' columns (a review of a workbook alone)."""
    return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "account": pd.Series(dtype="str"),
                         "project_code": pd.Series(dtype="str"), "amount_cents": pd.Series(dtype="int64")})


def default_review_year(lines: pd.DataFrame, fallback: int) -> int:
    """The year of the ledger's last booking (the year being reviewed), ``fallback`` without lines."""
    if lines.empty:
        return int(fallback)
    return int(pd.to_datetime(lines["date"]).max().year)


def review_years(lines: pd.DataFrame, fallback: int) -> list[int]:
    """The years a review can be made for, ascending: every year with a booking, and
    :func:`default_review_year` (``fallback`` without lines).

    >>> lines = pd.DataFrame({"date": pd.to_datetime(["2024-03-01", "2025-12-31", "2024-07-01"])})
    >>> review_years(lines, 2026), review_years(lines.iloc[:0], 2026)
    ([2024, 2025], [2026])
    """
    booked = {int(y) for y in pd.to_datetime(lines["date"]).dt.year.unique()} if len(lines) else set()
    return sorted(booked | {default_review_year(lines, fallback)})


def yearly_review(portfolio: Portfolio, lines: pd.DataFrame, year: int, *, index_year: int | None = None,
                  inputs: ReviewInputs | None = None) -> YearlyReview:
    """Finance's yearly review of ``year``.

    Parameters
    ----------
    portfolio : Portfolio
        Its projects (codes, status, ``eindjaar``) and the review's sheets.
    lines : pandas.DataFrame
        Every stored ledger line (:meth:`~igemo_fin.records.store.Store.ledger_lines`).
    year : int
        The review year.
    index_year : int, optional
        ``K`` of the re-indexation what-if (:mod:`igemo_fin.review.contribution`).
    inputs : ReviewInputs, optional
        Default: :func:`~igemo_fin.inputs.review_sheets.review_inputs` of ``portfolio``.

    Raises
    ------
    WorkbookError
        When one of the review's sheets breaks its contract (``docs/werking.md``).
    """
    inputs = review_inputs(portfolio) if inputs is None else inputs
    classified = classify_lines(lines, portfolio, inputs.group_mapping)
    period = review_period(lines, year)
    table = budget_vs_actual(classified, inputs.budget, inputs.index, period, inputs.margin_pct)
    total = budget_total(table, inputs.margin_pct)
    trend = cost_trend(classified, table.set_index("group")["forecast"], year, inputs.index)
    running = trend[trend["group"] == "totaal"].set_index("year")["nominal"]
    partners = contributions_in_real_terms(inputs.contributions, inputs.index, year, index_year)
    through_month = period.through.month if period.through.year == year else 0
    return YearlyReview(
        period=period, inputs=inputs, index_year=index_year, budget=table, total=total, trend=trend,
        uncoded=uncoded_lines(classified, year), misdirected=misdirected_lines(classified, portfolio, year),
        monthly=uncoded_share(classified, year, through_month),
        contributions=partners,
        contribution_years=contribution_history(inputs.contributions, running, inputs.index, year),
        coverage=coverage(partners, float(total["forecast"])),
        lines_used=len(lines),
    )
