"""Fixed-rate term loans: the yearly coupon and repayment of a loan in exact cents.

A loan is drawn on 1 January of its first year; its coupon is ``rate * balance on 1 January`` (a
year counts as a year), the repayment falls on 31 December. Linear repayment is ``amount / term`` per
year in cents, the last year taking the rounding remainder; bullet repays everything at the end.
Every amount is rounded half up to the cent (:func:`interest_cents`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from igemo_fin.money import to_cents

__all__ = ["LOAN_COLUMNS", "REPAYMENTS", "interest_cents", "loan_rows", "loan_schedule"]

#: :func:`loan_schedule`: one row per year.
LOAN_COLUMNS = (
    "jaar",
    "outstanding_start",  # [EUR] balance on 1 January
    "interest",           # [EUR] rate * outstanding_start, half up
    "repayment",          # [EUR] paid on 31 December
    "outstanding_end",    # [EUR] balance on 31 December
)


#: The repayment schemes of a term loan.
REPAYMENTS = ("bullet", "lineair")
_CENT = Decimal(1)


def interest_cents(balance_c: int, rate_pct: float, factor: Decimal = Decimal(1)) -> int:
    """``balance * rate / 100 * factor`` in cents, half up (exact decimal arithmetic)."""
    if balance_c == 0 or rate_pct == 0:
        return 0
    value = Decimal(int(balance_c)) * Decimal(repr(float(rate_pct))) / Decimal(100) * factor
    return int(value.quantize(_CENT, ROUND_HALF_UP))


def loan_rows(amount_c: int, rate_pct: float, term: int, repayment: str) -> list[tuple[int, int, int, int]]:
    """(outstanding_start, interest, repayment, outstanding_end) in cents for each year of the term."""
    if repayment not in REPAYMENTS:
        raise ValueError(f"aflossing moet 'lineair' of 'bullet' zijn, niet '{repayment}'")
    if term < 1:
        raise ValueError("de looptijd moet minstens 1 jaar zijn")
    rows = []
    outstanding = amount_c
    part = amount_c // term
    for k in range(term):
        last = k == term - 1
        if repayment == "bullet":
            pay = outstanding if last else 0
        else:
            pay = outstanding if last else part
        interest = interest_cents(outstanding, rate_pct)
        rows.append((outstanding, interest, pay, outstanding - pay))
        outstanding -= pay
    return rows


def loan_schedule(amount: float, rate_pct: float, term_years: int, repayment: str = "lineair", *,
                  start_year: int) -> pd.DataFrame:
    """The amortisation schedule of a fixed-rate term loan drawn on 1 January of ``start_year``.

    Parameters
    ----------
    amount : float
        Principal [EUR].
    rate_pct : float
        Fixed rate [% per year].
    term_years : int
        Term [years].
    repayment : {"lineair", "bullet"}
        Linear: ``amount / term`` each 31 December (in cents; the last year takes the remainder);
        bullet: everything on the last 31 December.
    start_year : int
        Year of the first coupon.

    Returns
    -------
    DataFrame
        :data:`LOAN_COLUMNS`, one row per year of the term.

    Examples
    --------
    1,000,000 at 3 % over 4 years, linear: coupons 30,000 / 22,500 / 15,000 / 7,500.

    >>> loan_schedule(1_000_000, 3.0, 4, "lineair", start_year=2026)["interest"].tolist()
    [30000.0, 22500.0, 15000.0, 7500.0]
    """
    rows = loan_rows(to_cents(float(amount)), float(rate_pct), int(term_years), repayment)
    return pd.DataFrame({
        "jaar": np.arange(start_year, start_year + len(rows), dtype=np.int64),
        "outstanding_start": [r[0] / 100.0 for r in rows],
        "interest": [r[1] / 100.0 for r in rows],
        "repayment": [r[2] / 100.0 for r in rows],
        "outstanding_end": [r[3] / 100.0 for r in rows],
    }, columns=list(LOAN_COLUMNS))

