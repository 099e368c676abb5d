"""Return and exposure figures: NPV, IRR, forward NPV, result, margin, peak exposure.

``npv`` and ``irr`` follow numpy-financial's conventions (first value at ``t = 0``); the
portfolio-level functions are vectorised over projects.
"""

from __future__ import annotations

import numpy as np

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
    """Full-life IRR per project: of the yearly flows from ``first`` to ``last`` (t = 0 at ``first``)."""
    out = np.full(net.shape[0], np.nan)
    for i in range(net.shape[0]):
        if first[i] >= 0:
            out[i] = irr(net[i, first[i]: last[i] + 1])
    return out
