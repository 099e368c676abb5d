"""An index series (sheet ``index``: the health index, the wage index, ...) and amounts in real terms.

An amount of year ``t`` in prices of year ``b`` is ``amount * I[b] / I[t]``; the growth of the index
from ``s`` to ``t`` is ``I[t] / I[s] - 1``. Without a value for a year the answer is NaN: the review
never invents an index.
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["index_ratio", "in_prices_of", "growth_pct"]


def index_ratio(index: pd.Series, from_year: int, to_year: int) -> float:
    """``I[to_year] / I[from_year]``, NaN when either is missing.

    >>> index_ratio(pd.Series({2024: 125.0, 2025: 130.0}), 2024, 2025)
    1.04
    """
    try:
        low, high = float(index.loc[from_year]), float(index.loc[to_year])
    except KeyError:
        return math.nan
    return high / low


def in_prices_of(amount: float, year: int, base_year: int, index: pd.Series) -> float:
    """``amount`` of ``year`` in prices of ``base_year`` [EUR]; NaN without both index values.

    >>> round(in_prices_of(1040.0, 2025, 2024, pd.Series({2024: 125.0, 2025: 130.0})), 2)
    1000.0
    """
    return amount / index_ratio(index, base_year, year)


def growth_pct(new: float, old: float) -> float:
    """``(new / old - 1) * 100`` [%]; NaN when ``old`` is not positive.

    >>> growth_pct(110.0, 100.0), growth_pct(5.0, 0.0)
    (10.000000000000009, nan)
    """
    if not old > 0 or math.isnan(new):
        return math.nan
    return (new / old - 1.0) * 100.0
