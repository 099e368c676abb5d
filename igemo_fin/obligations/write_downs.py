"""Write-downs on the land stock: IGEMO's share of each expected loss, and its movement.

DOMAIN.md, "Risk, sharing and provisions": IGEMO writes its share of the loss after risk sharing
off at once. Choices where DOMAIN.md is silent (documented for finance): stock cannot be written
below zero, so the part above the book value is shown apart (``write_down_as_provision``: under
Belgian GAAP a provision for risks and charges). The movement compares with the previous
valuation year: a stored figure when the caller passes one, else the engine re-run on the same
workbook with valuation year ``V - 1``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from igemo_fin.obligations.basis import project_basis
from igemo_fin.obligations.exact import cents_of, sum_cents
from igemo_fin.valuation.basis import SimulationSettings
from igemo_fin.valuation.evaluate import Evaluation, evaluate
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["WRITE_DOWN_COLUMNS", "write_downs", "write_down_movement_totals"]

#: :func:`write_downs`: one row per project.
WRITE_DOWN_COLUMNS = (
    "project_code", "naam", "gemeente", "status",
    "result_nominal",            # [EUR]
    "loss",                      # [EUR]
    "loss_share_municipality",   # [EUR]
    "write_down",                # [EUR] IGEMO's share of the loss (0 without loss)
    "book_value",                # [EUR] stock value at 1 January V (capital tied up)
    "write_down_on_stock",       # [EUR] min(write_down, max(book_value, 0))
    "write_down_as_provision",   # [EUR] the part above the stock value
    "previous_valuation_year",   # V - 1 (or the stored valuation's year); NaN when unknown
    "write_down_previous",       # [EUR] NaN when unknown
    "movement",                  # [EUR] write_down - write_down_previous; NaN when unknown
    "addition",                  # [EUR] max(movement, 0)
    "release",                   # [EUR] max(-movement, 0)
)


def _previous_actuals(ev: Evaluation) -> pd.DataFrame | None:
    """The ledger actuals an evaluation used, rebuilt from its valued flows (``bron == werkelijk``)."""
    flows = ev.flows
    if "bron" not in flows.columns:
        return None
    actual = flows.loc[flows["bron"] == "werkelijk", ["project_code", "jaar", "categorie", "bedrag"]]
    return None if actual.empty else actual.reset_index(drop=True)


def _previous_write_downs(portfolio: Portfolio, ev: Evaluation, previous) -> tuple[pd.Series, float]:
    """Previous write-down per code [EUR] and its valuation year (NaN when unknown)."""
    codes = ev.figures["project_code"].tolist()
    unknown = pd.Series(np.nan, index=pd.Index(codes, dtype=object)), np.nan
    if previous is None:
        return unknown
    if isinstance(previous, str):
        if previous != "auto":
            raise ValueError("previous moet een Evaluation, een DataFrame, None of 'auto' zijn")
        try:
            # The write-downs read no chance of loss: the previous year needs no Monte Carlo of its own.
            previous = evaluate(portfolio, valuation_year=ev.valuation_year - 1, thresholds=ev.thresholds,
                                actuals=_previous_actuals(ev), simulation=SimulationSettings(iterations=0))
        except (ValueError, KeyError, IndexError):
            return unknown
    if isinstance(previous, Evaluation):
        prev = project_basis(portfolio, previous)
        series = pd.Series(prev.igemo_c / 100.0, index=pd.Index(prev.frame["project_code"], dtype=object))
        return series.reindex(codes), float(previous.valuation_year)
    if isinstance(previous, pd.DataFrame):
        if not {"project_code", "write_down"} <= set(previous.columns):
            raise ValueError("een vorige waardering heeft de kolommen project_code en write_down nodig")
        series = previous.set_index("project_code")["write_down"].astype(float)
        year = float(previous["valuation_year"].iloc[0]) if "valuation_year" in previous.columns and len(previous) \
            else float(ev.valuation_year - 1)
        return series.reindex(codes), year
    raise TypeError("previous moet een Evaluation, een DataFrame, None of 'auto' zijn")


def write_downs(portfolio: Portfolio, ev: Evaluation, *,
                previous: Evaluation | pd.DataFrame | None | Literal["auto"] = "auto") -> pd.DataFrame:
    """Write-downs on the land stock: IGEMO's share of each expected loss, and its movement.

    Parameters
    ----------
    portfolio, ev
        The workbook and its evaluation.
    previous : Evaluation, DataFrame, None or "auto"
        The previous valuation to compare with: an :class:`Evaluation`, a stored frame with
        ``project_code, write_down`` (and optionally ``valuation_year``), ``None`` for no
        comparison, or ``"auto"`` (default): the engine re-run on this workbook with valuation year
        ``V - 1`` (the ledger actuals of ``ev`` are reused); when that fails the movement is NaN.

    Returns
    -------
    DataFrame
        :data:`WRITE_DOWN_COLUMNS`, one row per project. The total is the column's sum.

    Notes
    -----
    ``write_down = loss - min(loss * pct / 100, plafond)`` when ``result_nominal < 0``, else 0.
    ``write_down_on_stock = min(write_down, max(book_value, 0))``; the rest would turn the stock
    negative and is a provision for risks and charges.
    """
    b = project_basis(portfolio, ev)
    prev, prev_year = _previous_write_downs(portfolio, ev, previous)
    out = b.frame[["project_code", "naam", "gemeente", "status"]].copy()
    out["result_nominal"] = b.result_c / 100.0
    out["loss"] = b.loss_c / 100.0
    out["loss_share_municipality"] = b.municipality_c / 100.0
    out["write_down"] = b.igemo_c / 100.0
    book_c = np.array([cents_of(x) for x in b.book_value], dtype=np.int64)
    out["book_value"] = book_c / 100.0
    on_stock = np.minimum(b.igemo_c, np.maximum(book_c, 0))
    out["write_down_on_stock"] = on_stock / 100.0
    out["write_down_as_provision"] = (b.igemo_c - on_stock) / 100.0
    prev_values = prev.to_numpy(float)
    known = ~np.isnan(prev_values)
    prev_c = np.array([cents_of(x) if k else 0 for x, k in zip(prev_values, known)], dtype=np.int64)
    movement = b.igemo_c - prev_c
    out["previous_valuation_year"] = np.where(known, prev_year, np.nan)
    out["write_down_previous"] = np.where(known, prev_c / 100.0, np.nan)
    out["movement"] = np.where(known, movement / 100.0, np.nan)
    out["addition"] = np.where(known, np.maximum(movement, 0) / 100.0, np.nan)
    out["release"] = np.where(known, np.maximum(-movement, 0) / 100.0, np.nan)
    return out[list(WRITE_DOWN_COLUMNS)].reset_index(drop=True)


def _known_total(column: pd.Series) -> float | None:
    if column.isna().all() and len(column):
        return None
    return sum_cents(column.dropna())


def write_down_movement_totals(frame: pd.DataFrame) -> tuple[float | None, float | None]:
    """``(previous total, movement total)`` [EUR] of a :func:`write_downs` frame, exact sums of cents.

    A total is None when no project has a previous write-down to compare with; projects without
    one are left out of both sums.

    Examples
    --------
    >>> frame = pd.DataFrame({"write_down_previous": [10.0, np.nan], "movement": [2.5, np.nan]})
    >>> write_down_movement_totals(frame)
    (10.0, 2.5)
    >>> write_down_movement_totals(frame.iloc[1:])
    (None, None)
    """
    return _known_total(frame["write_down_previous"]), _known_total(frame["movement"])
