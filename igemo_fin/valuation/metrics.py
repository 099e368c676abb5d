"""Return and exposure figures: NPV, IRR, forward NPV, result, margin, peak exposure.

``npv`` and ``irr`` follow numpy-financial's conventions (first value at ``t = 0``); the
portfolio-level functions are vectorised over projects.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["npv", "irr", "discount_factors", "npv_forward", "irr_rows"]


def npv(rate: float, values, *, mid_year: bool = False) -> float:
    """Net present value of ``values`` at ``rate``, the first value at ``t = 0``.

    Notes
    -----
    ``NPV = sum_t values[t] / (1 + rate) ** (t + s)`` with ``s = 0.5`` when ``mid_year`` (DOMAIN.md's
    mid-year convention), else 0 (numpy-financial's ``npv``).

    Examples
    --------
    >>> round(npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]), 2)   # numpy-financial docs
    3065.22
    """
    values = np.asarray(values, dtype=float)
    t = np.arange(values.size) + (0.5 if mid_year else 0.0)
    return float(np.sum(values / (1.0 + rate) ** t))


def irr(values, *, raise_exceptions: bool = False) -> float:
    """Internal rate of return: the rate making ``npv(rate, values) == 0``; NaN when there is none.

    Flows that never change sign have no IRR. With several roots (flows that change sign more
    than once) the one closest to zero is returned, as numpy-financial does.

    Notes
    -----
    With ``x = 1 / (1 + r)`` the NPV is the polynomial ``sum_t v_t x^t``; its positive real roots
    give the candidate rates ``r = 1/x - 1``, polished by Newton steps.

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 5)    # numpy-financial docs: 0.28095
    0.28095
    >>> import math; math.isnan(irr([100, 50]))
    True
    """
    v = np.asarray(values, dtype=float)
    if not (np.any(v > 0) and np.any(v < 0)):
        if raise_exceptions:
            raise ValueError("the flows do not change sign: no IRR")
        return float("nan")
    v = v / np.max(np.abs(v))
    # Leading zeros only shift t and trailing ones change nothing; values below 1e-12 of the
    # largest are zeros for this purpose (they would only make the polynomial ill-conditioned).
    nz = np.flatnonzero(np.abs(v) > 1e-12)
    v = v[nz[0]: nz[-1] + 1]
    if v.size < 2 or not (np.any(v > 0) and np.any(v < 0)):
        if raise_exceptions:
            raise ValueError("the flows do not change sign: no IRR")
        return float("nan")
    with np.errstate(all="ignore"):
        roots = np.roots(v[::-1])
    real = roots[np.abs(roots.imag) <= 1e-6 * np.maximum(1.0, np.abs(roots.real))].real
    real = real[real > 0]
    if real.size == 0:
        if raise_exceptions:
            raise ValueError("no real IRR")
        return float("nan")
    rates = 1.0 / real - 1.0
    rates = np.array([_polish(v, r) for r in rates])
    rates = rates[np.isfinite(rates)]
    if rates.size == 0:
        return float("nan")
    return float(rates[np.argmin(np.abs(rates))])


def _polish(v: np.ndarray, rate: float) -> float:
    t = np.arange(v.size)
    for _ in range(50):
        base = 1.0 + rate
        if not np.isfinite(rate):
            return rate
        if base <= 0:
            return rate
        with np.errstate(all="ignore"):
            f = np.sum(v * base ** -t)
            df = np.sum(-t * v * base ** (-t - 1.0))
        if df == 0 or not np.isfinite(df):
            break
        step = f / df
        rate -= step
        if abs(step) < 1e-14:
            break
    return rate


def discount_factors(years: np.ndarray, valuation_year: int, rate_pct: float) -> np.ndarray:
    """Mid-year discount factors: ``(1 + r) ** -(y - V + 0.5)`` for ``y >= V``, 0 for the past."""
    years = np.asarray(years)
    r = rate_pct / 100.0
    exponent = years - valuation_year + 0.5
    return np.where(years >= valuation_year, (1.0 + r) ** -exponent, 0.0)


def npv_forward(net: np.ndarray, years: np.ndarray, valuation_year: int, rate_pct: float) -> np.ndarray:
    """``npv_forward`` per row of ``net`` (projects x years): future flows only, mid-year [EUR]."""
    return net @ discount_factors(years, valuation_year, rate_pct)


def irr_rows(net: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Full-life IRR per project: of the yearly flows from ``first`` to ``last`` (t = 0 at ``first``).

    Rows whose flows change sign exactly once have exactly one IRR (Descartes' rule of signs); those
    are solved together on ``x = 1 / (1 + r)`` (Newton steps inside a bisection bracket), vectorised over
    projects, for rates in
    (-99 %, +10,000 %). Every other row goes through :func:`irr`.
    """
    n_p, n_y = net.shape
    out = np.full(n_p, np.nan)
    if n_p == 0 or n_y == 0:
        return out
    # shift each row so its span starts at column 0, keeping the longest span's columns only
    width = max(int((last - first).max()) + 1, 1)
    idx = np.arange(min(width, n_y))
    shift = np.where(first >= 0, first, 0)
    inside = (idx[None, :] <= (last - first)[:, None]) & (first[:, None] >= 0)
    # each row's window of idx.size years from its first, on zeros past the grid's end: one block
    # per row copied instead of a gather per cell
    padded = np.zeros((n_p, n_y + idx.size))
    padded[:, :n_y] = net
    windows = sliding_window_view(padded, idx.size, axis=1)[np.arange(n_p), shift]
    values = np.where(inside, windows, 0.0)
    scale = np.max(np.abs(values), axis=1)
    scale[scale == 0] = 1.0
    v = values / scale[:, None]
    v[np.abs(v) <= 1e-12] = 0.0
    simple = _one_sign_change(v)
    if simple.any():
        rows = np.flatnonzero(simple)
        log_x, bracketed = _single_root(v[simple])
        out[rows[bracketed]] = np.exp(-log_x[bracketed]) - 1.0
        for i in rows[~bracketed]:
            out[i] = irr(net[i, first[i]: last[i] + 1])
    for i in np.flatnonzero(~simple & (first >= 0)):
        out[i] = irr(net[i, first[i]: last[i] + 1])
    return out


def _one_sign_change(v: np.ndarray) -> np.ndarray:
    """Per row: the nonzero entries change sign exactly once (all negatives before all positives, or
    the other way round; zeros are skipped).

    >>> _one_sign_change(np.array([[-1.0, 0.0, 2.0, 3.0], [-1.0, 2.0, -3.0, 0.0], [0.0, 1.0, 1.0, 0.0]])).tolist()
    [True, False, False]
    """
    n_y = v.shape[1]

    def first_and_last(hit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        some = hit.any(axis=1)
        return (np.where(some, hit.argmax(axis=1), n_y),
                np.where(some, n_y - 1 - hit[:, ::-1].argmax(axis=1), -1))

    first_pos, last_pos = first_and_last(v > 0)
    first_neg, last_neg = first_and_last(v < 0)
    both = (last_pos >= 0) & (last_neg >= 0)
    return both & ((last_neg < first_pos) | (last_pos < first_neg))


def _single_root(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The root ``log x`` of ``sum_t v[:, t] x^t`` per row, for ``x`` in (1/101, 100).

    Newton steps kept inside a shrinking bracket (a bisection step where Newton would leave it),
    vectorised over rows; rows whose bracket holds no sign change are flagged False. Returns
    ``(log_x, bracketed)``.
    """
    t = np.arange(v.shape[1], dtype=float)

    def value_and_slope(rows: np.ndarray, log_x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        terms = (v if rows.size == v.shape[0] else v[rows]) * np.exp(np.outer(log_x, t))  # rows are sorted
        return terms.sum(axis=1), terms @ t  # d/d(log x) of sum v x^t is sum t v x^t

    lo, hi = np.full(v.shape[0], np.log(1 / 101.0)), np.full(v.shape[0], np.log(100.0))
    # the same x in every row: its powers once (the same numbers the row-wise powers would be)
    f_lo = (v * np.exp(lo[0] * t)).sum(axis=1)
    f_hi = (v * np.exp(hi[0] * t)).sum(axis=1)
    bracketed = np.sign(f_lo) * np.sign(f_hi) < 0
    # Start where the flows, pooled into one outlay and one return at their weighted mean times,
    # would break even: exact for two flows, close for the usual outlay-then-sales project.
    positive, negative = np.clip(v, 0, None), np.clip(-v, 0, None)
    inflow, outflow = positive.sum(axis=1), negative.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.log(outflow / inflow) / ((positive @ t) / inflow - (negative @ t) / outflow)
    y = np.where(np.isfinite(y) & (y > lo) & (y < hi), y, (lo + hi) / 2)
    active = np.flatnonzero(bracketed)
    for _ in range(200):
        if active.size == 0:
            break
        ya = y[active]
        f, slope = value_and_slope(active, ya)
        left = np.sign(f) == np.sign(f_lo[active])
        lo[active] = np.where(left, ya, lo[active])
        f_lo[active] = np.where(left, f, f_lo[active])
        hi[active] = np.where(left, hi[active], ya)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = ya - f / slope
        inside = np.isfinite(newton) & (newton > lo[active]) & (newton < hi[active])
        step = np.where(inside, newton, (lo[active] + hi[active]) / 2)
        tolerance = 4 * np.finfo(float).eps * np.maximum(np.abs(ya), 1e-300)
        # At the root f is rounding noise and Newton's correction is below the tolerance, though it
        # may point just outside the bracket: ya is the answer then, not a bisection of what is left.
        exact = (f == 0) | (np.abs(newton - ya) <= tolerance)
        step = np.where(exact, ya, step)
        y[active] = step
        done = exact | (np.abs(step - ya) <= tolerance) | \
            (hi[active] - lo[active] <= 4 * np.finfo(float).eps * np.abs(ya))
        active = active[~done]
    return y, bracketed
