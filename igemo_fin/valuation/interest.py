"""The cash credit: interest per project and year, and the allocation of actual interest.

Notes
-----
DOMAIN.md, "Interest (projected)": with ``rate[y]`` the all-in rate of year ``y`` (ACT/360)::

    avg[y] = BV[y] - CF[y] / 2
    I[y]   = rate[y] * days_in_year(y) / 360 * max(avg[y], 0)
    BV[y+1] = BV[y] - CF[y] + I[y]

over each project's own span. "Interest (actual)": where ``rente_werkelijk`` is given for a year
``y < V`` it is allocated over the projects whose span holds ``y`` in proportion to
``max(avg[p, y], 0)``, in cents that add up exactly. Because the allocation of a year changes the
book values of the next, the loop runs over years and is vectorised over projects.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import numpy as np

from igemo_fin.valuation.cashflow import FlowMatrix
from igemo_fin.money import allocate_cents, to_cents

__all__ = ["InterestResult", "project_interest", "days_in_year"]


def days_in_year(year: int) -> int:
    """366 in a leap year, else 365 (the ACT in ACT/360)."""
    return 366 if calendar.isleap(int(year)) else 365


@dataclass(frozen=True)
class InterestResult:
    """Interest and book values on a :class:`~igemo_fin.valuation.cashflow.FlowMatrix` grid.

    Attributes
    ----------
    book_value : ndarray (projects x years+1)
        ``BV`` at the start of each grid year [EUR]; the last column is the value after the last
        grid year (the closing value of every project).
    interest : ndarray (projects x years)
        Interest carried by each project in each year [EUR].
    average_balance : ndarray (projects x years)
        ``avg[y]`` within the span, 0 outside [EUR].
    from_actual : ndarray (years,) of bool
        True where the year's interest is the allocated ``rente_werkelijk``.
    unallocated : ndarray (years,)
        Actual interest that no project could carry (no project ran that year) [EUR].
    """

    book_value: np.ndarray
    interest: np.ndarray
    average_balance: np.ndarray
    from_actual: np.ndarray
    unallocated: np.ndarray


def project_interest(flows: FlowMatrix, rates_pct: np.ndarray, *, actual_interest: np.ndarray | None = None,
                     valuation_year: int | None = None) -> InterestResult:
    """Run the cash-credit model over every project's span.

    Parameters
    ----------
    flows : FlowMatrix
        Net flows per project and year (interest excluded).
    rates_pct : ndarray (years,)
        All-in rate of each grid year [%]; may be NaN only in years no project runs.
    actual_interest : ndarray (years,), optional
        Interest actually paid per grid year [EUR], NaN where not given. Used for years
        ``< valuation_year`` only.
    valuation_year : int, optional
        ``V``; required when ``actual_interest`` is given.

    Examples
    --------
    One project that spends 1,000,000 in 2024 and sells for 1,100,000 in 2025 at 4 %:
    2024: avg = 0 + 500,000, I = 0.04 * 366/360 * 500,000 = 20,333.33;
    2025: BV = 1,020,333.33, avg = 1,020,333.33 - (1,100,000 / 2) = 470,333.33,
    I = 0.04 * 365/360 * 470,333.33 = 19,074.63.

    >>> from igemo_fin.valuation.cashflow import FlowMatrix
    >>> fm = FlowMatrix(["A"], np.array([2024, 2025]), np.array([[-1e6, 1.1e6]]), np.array([[1e6, 0]]),
    ...                 np.array([[0, 1.1e6]]), np.array([0]), np.array([1]))
    >>> res = project_interest(fm, np.array([4.0, 4.0]))
    >>> np.round(res.interest, 2).tolist()
    [[20333.33, 19074.63]]
    """
    n_p, n_y = flows.net.shape
    years = flows.years
    in_span = flows.in_span()
    factors = np.array([days_in_year(y) / 360.0 for y in years]) * np.nan_to_num(rates_pct, nan=0.0) / 100.0
    use_actual = np.zeros(n_y, dtype=bool)
    if actual_interest is not None:
        if valuation_year is None:
            raise ValueError("valuation_year is required with actual_interest")
        use_actual = ~np.isnan(actual_interest) & (years < valuation_year)

    book_value = np.zeros((n_p, n_y + 1))
    interest = np.zeros((n_p, n_y))
    average = np.zeros((n_p, n_y))
    unallocated = np.zeros(n_y)
    balance = np.zeros(n_p)
    for j in range(n_y):
        book_value[:, j] = balance
        span = in_span[:, j]
        cf = flows.net[:, j]
        avg = np.where(span, balance - cf / 2.0, 0.0)
        average[:, j] = avg
        weight = np.maximum(avg, 0.0)
        if use_actual[j]:
            cents = to_cents(float(actual_interest[j]))
            if weight.sum() > 0:
                year_interest = allocate_cents(cents, weight) / 100.0
            elif span.any() and cents:
                # Nobody drew on the credit but the bank charged interest: share it equally over
                # the running projects rather than lose it.
                year_interest = allocate_cents(cents, span.astype(float)) / 100.0
            else:
                year_interest = np.zeros(n_p)
                unallocated[j] = cents / 100.0
        else:
            year_interest = factors[j] * weight
        interest[:, j] = year_interest
        balance = np.where(span, balance - cf + year_interest, balance)
    book_value[:, n_y] = balance
    return InterestResult(book_value, interest, average, use_actual, unallocated)
