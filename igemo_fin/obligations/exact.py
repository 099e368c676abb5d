"""Exact amounts of the obligations: integer cents and :class:`~decimal.Decimal`, rounded half up.

Every amount the obligations report is exact to the cent and rounded half up (EU rule). The
engine's valuation figures are floats; they enter the obligations rounded to the cent once (the
result, costs and revenues *as reported*), and everything after that is integer cents or Decimal:

- ``result`` = ``result_nominal`` rounded to the cent; ``loss = max(0, -result)``;
- the municipality's share of a loss is rounded half up and capped, IGEMO carries the rest
  (:func:`~igemo_fin.obligations.sharing.split_loss_cents`), so the two shares add up to the loss exactly;
- ``profit_share_owed = pct / 100 * max(0, result - drempel)`` rounded half up;
- ``POC = (costs realised / total costs) * (revenues realised / total revenues)`` computed exactly
  from cent amounts (each factor clipped to 0..1; 0 when a total is 0 or less), and
  ``provision = owed * POC`` rounded half up: it never exceeds what is owed.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from igemo_fin.money import to_cents

__all__ = ["cents_of", "euros", "ratio", "poc_decimal", "owed_cents", "times_poc", "num_or_zero", "sum_cents"]

_CENT = Decimal(1)


def cents_of(value) -> int:
    """A float/Decimal amount [EUR] -> int cents, half up; NaN/None -> 0.

    >>> cents_of(1.005), cents_of(float("nan")), cents_of(None)
    (101, 0, 0)
    """
    if value is None:
        return 0
    if isinstance(value, float) and np.isnan(value):
        return 0
    if isinstance(value, (np.floating, np.integer)):
        value = float(value)
        if np.isnan(value):
            return 0
    return to_cents(value)


def euros(cents) -> float:
    """Int cents -> [EUR]."""
    return int(cents) / 100.0


def sum_cents(values: Iterable) -> float:
    """The exact sum [EUR] of amounts [EUR], each rounded to the cent first; NaN counts as 0.

    >>> sum_cents([0.1, 0.2, float("nan")])
    0.3
    """
    return int(sum(cents_of(x) for x in values)) / 100.0


def ratio(part: int, total: int) -> Decimal:
    """``part / total`` clipped to 0..1; 0 when ``total <= 0``."""
    if total <= 0:
        return Decimal(0)
    value = Decimal(int(part)) / Decimal(int(total))
    return min(max(value, Decimal(0)), Decimal(1))


def poc_decimal(costs_realised: int, total_costs: int, revenues_realised: int, total_revenues: int) -> Decimal:
    """The percentage of completion from cent amounts, exact (see :func:`ratio`)."""
    return ratio(costs_realised, total_costs) * ratio(revenues_realised, total_revenues)


def owed_cents(result_c: int, pct: float, threshold_c: int) -> int:
    """Profit share owed [cents]: ``pct / 100 * max(0, result - threshold)``, half up."""
    above = max(0, int(result_c) - int(threshold_c))
    if above == 0 or not pct:
        return 0
    return int((Decimal(above) * Decimal(repr(float(pct))) / Decimal(100)).quantize(_CENT, ROUND_HALF_UP))


def times_poc(amount_c: int, poc: Decimal) -> int:
    """``amount * poc`` [cents], half up."""
    return int((Decimal(int(amount_c)) * poc).quantize(_CENT, ROUND_HALF_UP))


def num_or_zero(value) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)
