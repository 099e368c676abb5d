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
"""

from __future__ import annotations

import math

import numpy as np

from igemo_fin.obligations.sharing import loss_of, sharing_terms, split_loss
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["OPEN_STATUSES", "GRADES", "shared_losses", "risk_capacity_ratio", "risk_capacity_grade"]

#: Projects whose loss counts in the portfolio's loss distribution.
OPEN_STATUSES = ("actief", "stopgezet")

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
