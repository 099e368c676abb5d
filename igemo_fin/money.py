"""Exact money: cents, half-up rounding (EU rule), and largest-remainder allocation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np

__all__ = ["to_cents", "round_half_up", "allocate_cents"]


def to_cents(amount: float | Decimal | str) -> int:
    """Euros to integer cents, rounding half up (away from zero): ``24.785 -> 2479``.

    Floats are read through their shortest repr, so ``24.785`` means 24.785 and not its binary
    neighbour 24.78499999...

    Examples
    --------
    >>> to_cents(24.785), to_cents(-24.785), to_cents("0.005"), to_cents(np.float64(1.005))
    (2479, -2479, 1, 101)
    """
    if isinstance(amount, Decimal):
        value = amount
    elif isinstance(amount, (float, np.floating)):
        value = Decimal(repr(float(amount)))  # repr(np.float64) is "np.float64(...)": go through float
    else:
        value = Decimal(str(amount))
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_half_up(amount: float | Decimal, digits: int = 2) -> float:
    """Round to ``digits`` decimals, half away from zero: ``round_half_up(24.785) == 24.79``."""
    value = amount if isinstance(amount, Decimal) else Decimal(repr(float(amount)))
    return float(value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def allocate_cents(total_cents: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total_cents`` over ``weights`` in whole cents that add up exactly.

    Each share first gets the floor of its exact part; the cents left over go one each to the
    largest remainders (ties: the earlier position). Weights must be >= 0 with a positive sum.

    Examples
    --------
    >>> allocate_cents(100, np.array([1.0, 1.0, 1.0])).tolist()
    [34, 33, 33]
    """
    weights = np.asarray(weights, dtype=float)
    total_weight = weights.sum()
    if total_weight <= 0:
        raise ValueError("allocate_cents needs a positive total weight")
    sign = -1 if total_cents < 0 else 1
    magnitude = abs(int(total_cents))
    exact = magnitude * weights / total_weight
    shares = np.floor(exact).astype(np.int64)
    left = magnitude - int(shares.sum())
    if left > 0:
        order = np.argsort(-(exact - shares), kind="stable")
        shares[order[:left]] += 1
    return sign * shares
