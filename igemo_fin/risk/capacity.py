"""The portfolio's loss per iteration and the risk capacity (weerstandsvermogen) it leaves.

Notes
-----
**Portfolio loss** (what the risk-capacity ratio compares with equity): per iteration and project
the loss ``L = max(0, -result_nominal)`` of the projected *full-life nominal result* (DOMAIN.md,
"Risk sharing": the agreements share the loss of the project's result, and a loss on the result is
what is written down against equity; ``npv_forward`` ignores sunk costs and would miss losses
already built into the book value). ``L`` is split with :func:`~igemo_fin.obligations.sharing.split_loss`
(``risicodeling_*``); IGEMO's shares are summed over the open projects (status ``actief`` and
``stopgezet``; finished projects are settled). ``loss_p90`` is the 90th percentile of that sum
over the iterations; ``risk_capacity_ratio = eigen_vermogen / loss_p90`` (infinite when
``loss_p90 = 0``), read with :data:`GRADES`. The loss is the whole loss of the result, including a
loss the forecast already expects (which the provisions may already have written down).

**When** the ratio is measured is part of what it says: :func:`capacity_summary` is the risk capacity
at 1 January of the valuation year (the equity then, every open project), the one the Risico page, the
Monte Carlo summary, the outlook's opening and the board pack show; the multi-year outlook adds one
per year at its end (:mod:`igemo_fin.outlook.path`). Every place that shows a ratio names its moment
with :func:`capacity_moment`.
"""

from __future__ import annotations

import math

import numpy as np

from igemo_fin.fmt import number
from igemo_fin.obligations.sharing import loss_of, sharing_terms, split_loss
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["OPEN_STATUSES", "GRADES", "CAPACITY_KEYS", "shared_losses", "risk_capacity_ratio", "risk_capacity_grade",
           "capacity_summary", "capacity_moment", "ratio_text"]

#: Projects whose loss counts in the portfolio's loss distribution.
OPEN_STATUSES = ("actief", "stopgezet")

#: The keys of :func:`capacity_summary` (part of the Monte Carlo's portfolio summary).
CAPACITY_KEYS = ("eigen_vermogen", "loss_p90", "risk_capacity_ratio", "risk_capacity_grade", "risk_capacity_label")

#: The reading of the risk-capacity ratio (weerstandsvermogen): (grade, lower bound, Dutch word).
#: A ratio takes the first row whose lower bound it reaches.
GRADES = (
    ("A", 2.0, "uitstekend"),
    ("B", 1.4, "ruim voldoende"),
    ("C", 1.0, "voldoende"),
    ("D", 0.8, "matig"),
    ("E", 0.6, "onvoldoende"),
    ("F", -math.inf, "ruim onvoldoende"),
)


def shared_losses(portfolio: Portfolio, codes: list[str], result: np.ndarray,
                  loss_statuses: tuple[str, ...] = OPEN_STATUSES) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The loss of each iteration and project and its split between the municipality and IGEMO.

    Parameters
    ----------
    portfolio : Portfolio
        For each project's status and its risk-sharing terms (``risicodeling_*``).
    codes : list of str
        The projects of the columns of ``result``.
    result : ndarray (iterations x projects)
        The projected full-life ``result_nominal`` [EUR].
    loss_statuses : tuple of str
        Statuses whose losses count (default :data:`OPEN_STATUSES`); the others' loss is 0.

    Returns
    -------
    loss, municipality, igemo : ndarray (iterations x projects)
        ``max(0, -result)`` [EUR] and the two parts it is split into (they add up to ``loss``).
    """
    status = portfolio.projects.set_index("project_code").reindex(codes)["status"].to_numpy()
    share, cap = sharing_terms(portfolio.projects, codes)
    loss = loss_of(result)
    loss[:, ~np.isin(status, loss_statuses)] = 0.0
    municipality, igemo = split_loss(loss, share[None, :], cap[None, :])
    return loss, municipality, igemo


def risk_capacity_ratio(equity: float | None, loss_p90: float) -> float:
    """``eigen_vermogen / loss_p90``: infinite without a loss to cover, NaN without (positive) equity.

    >>> risk_capacity_ratio(1_500_000.0, 1_000_000.0), risk_capacity_ratio(1e6, 0.0), risk_capacity_ratio(None, 5.0)
    (1.5, inf, nan)
    """
    if equity is None:
        return math.nan
    if loss_p90 > 0:
        return float(equity) / loss_p90
    return math.inf if equity > 0 else math.nan


def risk_capacity_grade(ratio: float | None) -> tuple[str | None, str | None]:
    """The grade and Dutch reading of a risk-capacity ratio (:data:`GRADES`).

    >>> risk_capacity_grade(1.4), risk_capacity_grade(0.59), risk_capacity_grade(math.inf)
    (('B', 'ruim voldoende'), ('F', 'ruim onvoldoende'), ('A', 'uitstekend'))
    """
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return None, None
    for grade, lower, word in GRADES:
        if ratio >= lower:
            return grade, word
    return GRADES[-1][0], GRADES[-1][2]


def capacity_summary(equity: float | None, loss_igemo: np.ndarray) -> dict:
    """The risk capacity at 1 January of the valuation year (:data:`CAPACITY_KEYS`): ``equity`` (the
    ``eigen_vermogen`` then) against the 90th percentile of IGEMO's portfolio loss per iteration.

    >>> s = capacity_summary(1_000_000.0, np.array([0.0, 100_000.0, 500_000.0, 800_000.0]))
    >>> round(s["loss_p90"]), round(s["risk_capacity_ratio"], 4), s["risk_capacity_grade"]
    (710000, 1.4085, 'B')
    """
    loss_p90 = float(np.percentile(loss_igemo, 90))
    ratio = risk_capacity_ratio(equity, loss_p90)
    grade, label = risk_capacity_grade(ratio)
    return {"eigen_vermogen": None if equity is None else float(equity), "loss_p90": loss_p90,
            "risk_capacity_ratio": ratio, "risk_capacity_grade": grade, "risk_capacity_label": label}


def capacity_moment(year: int, *, year_end: bool = False) -> str:
    """When a risk-capacity ratio is measured, in Dutch: ``'op 1/1/2026'`` (the opening position, as
    :func:`capacity_summary`) or ``'eind 2026'`` (the outlook's year ends).

    >>> capacity_moment(2026), capacity_moment(2027, year_end=True)
    ('op 1/1/2026', 'eind 2027')
    """
    return f"eind {int(year)}" if year_end else f"op 1/1/{int(year)}"


def ratio_text(ratio: float | None) -> str:
    """A risk-capacity ratio in Dutch: ``0.928 -> '0,93'``; no loss to cover -> ``'geen verlies te dekken'``.

    >>> ratio_text(0.9282), ratio_text(float("inf")), ratio_text(None)
    ('0,93', 'geen verlies te dekken', '–')
    """
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return "–"
    if math.isinf(ratio):
        return "geen verlies te dekken"
    return number(ratio, 2)
