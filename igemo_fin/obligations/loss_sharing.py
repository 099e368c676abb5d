"""Risk sharing per project: who carries the expected loss, and the P90 loss (DOMAIN.md, "Risk sharing").

The split itself is :func:`~igemo_fin.obligations.sharing.split_loss_cents`; this module applies it
to a portfolio's expected losses and, when a Monte Carlo ran, to the P90 losses.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from igemo_fin.money import to_cents
from igemo_fin.obligations.basis import project_basis
from igemo_fin.obligations.exact import cents_of
from igemo_fin.obligations.sharing import split_loss_cents
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["LOSS_SHARING_COLUMNS", "loss_shares", "loss_sharing", "loss_p90_from_results"]

#: :func:`loss_sharing`: one row per project (workbook order). Amounts [EUR], exact to the cent.
LOSS_SHARING_COLUMNS = (
    "project_code", "naam", "gemeente", "status",
    "result_nominal",            # [EUR] full-life result, rounded to the cent
    "loss",                      # [EUR] max(0, -result_nominal)
    "risicodeling_gemeente_pct",  # [%] 0 when empty
    "risicodeling_plafond",      # [EUR] NaN: no cap
    "loss_share_municipality",   # [EUR] min(loss * pct / 100, cap), half up
    "loss_share_igemo",          # [EUR] loss - municipality
    "cap_reached",               # bool: the cap limited the municipality's share
    "loss_p90",                  # [EUR] P90 loss from the Monte Carlo; NaN when not given
    "loss_p90_municipality",     # [EUR] its split; NaN when not given
    "loss_p90_igemo",            # [EUR]
)


def loss_p90_from_results(result_p10: pd.Series) -> pd.Series:
    """The P90 loss per project [EUR, >= 0] from the 10th percentile of its full-life result.

    The loss ``max(0, -result)`` falls as the result rises, so its 90th percentile is
    ``max(0, -result_p10)``. The Verplichtingen page and ``evaluate --json`` both take the P90
    loss they split from here.

    Examples
    --------
    >>> loss_p90_from_results(pd.Series({"A": -250.0, "B": 1_000.0})).to_dict()
    {'A': 250.0, 'B': 0.0}
    """
    return (-pd.to_numeric(pd.Series(result_p10), errors="coerce")).clip(lower=0.0)


def loss_shares(loss, share_pct, cap=None) -> tuple[np.ndarray, np.ndarray]:
    """Split losses [EUR] to the cent: ``(municipality, igemo)``, adding up to the loss exactly.

    The loss is rounded to the cent, the municipality's ``min(L * pct / 100, cap)`` half up, and
    IGEMO carries the rest (:func:`~igemo_fin.obligations.sharing.split_loss_cents`).

    Examples
    --------
    >>> m, i = loss_shares(100.01, 50.0)
    >>> m.tolist(), i.tolist()
    ([50.01], [50.0])
    """
    loss = np.atleast_1d(np.asarray(loss, dtype=float))
    cents = np.array([cents_of(x) for x in loss.reshape(-1)], dtype=np.int64).reshape(loss.shape)
    municipality, igemo = split_loss_cents(cents, share_pct, cap)
    return municipality / 100.0, igemo / 100.0


def _p90_cents(loss_p90: pd.Series | None, codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """P90 losses in cents and a mask of the projects that have one."""
    if loss_p90 is None:
        return np.zeros(len(codes), dtype=np.int64), np.zeros(len(codes), dtype=bool)
    values = pd.to_numeric(pd.Series(loss_p90), errors="coerce").reindex(codes).to_numpy(float)
    known = ~np.isnan(values)
    cents = np.array([cents_of(max(x, 0.0)) if k else 0 for x, k in zip(values, known)], dtype=np.int64)
    return cents, known


def loss_sharing(portfolio: Portfolio, ev: Evaluation, *, loss_p90: pd.Series | None = None) -> pd.DataFrame:
    """Split each project's expected loss (and P90 loss) between the municipality and IGEMO.

    Parameters
    ----------
    portfolio, ev
        The workbook and its evaluation.
    loss_p90 : Series, optional
        P90 loss per project code [EUR, positive = loss] from the Monte Carlo
        (:func:`loss_p90_from_results`); negative values count as no loss, missing codes get NaN.

    Returns
    -------
    DataFrame
        :data:`LOSS_SHARING_COLUMNS`, one row per project; the two shares add up to the loss to
        the cent and the municipality's never exceeds the cap.

    Notes
    -----
    ``L = max(0, -result_nominal)``; municipality ``min(L * pct / 100, plafond)`` half up to the cent
    (no cap when ``plafond`` is empty), IGEMO ``L - municipality``.
    """
    b = project_basis(portfolio, ev)
    codes = b.frame["project_code"].tolist()
    p90_c, known = _p90_cents(loss_p90, codes)
    if len(codes):
        p90_m, p90_i = split_loss_cents(p90_c, b.frame["risicodeling_gemeente_pct"].to_numpy(),
                                        b.frame["risicodeling_plafond"].to_numpy())
    else:
        p90_m = p90_i = np.zeros(0, dtype=np.int64)
    cap = b.frame["risicodeling_plafond"].to_numpy(float)
    uncapped = np.array([to_cents(Decimal(int(l_c)) / 100 * Decimal(repr(float(s))) / 100)
                         for l_c, s in zip(b.loss_c, b.frame["risicodeling_gemeente_pct"])], dtype=np.int64)
    out = b.frame[["project_code", "naam", "gemeente", "status"]].copy()
    out["result_nominal"] = b.result_c / 100.0
    out["loss"] = b.loss_c / 100.0
    out["risicodeling_gemeente_pct"] = b.frame["risicodeling_gemeente_pct"].to_numpy()
    out["risicodeling_plafond"] = cap
    out["loss_share_municipality"] = b.municipality_c / 100.0
    out["loss_share_igemo"] = b.igemo_c / 100.0
    out["cap_reached"] = (~np.isnan(cap)) & (b.loss_c > 0) & (uncapped > b.municipality_c)
    out["loss_p90"] = np.where(known, p90_c / 100.0, np.nan)
    out["loss_p90_municipality"] = np.where(known, np.asarray(p90_m) / 100.0, np.nan)
    out["loss_p90_igemo"] = np.where(known, np.asarray(p90_i) / 100.0, np.nan)
    return out[list(LOSS_SHARING_COLUMNS)].reset_index(drop=True)
