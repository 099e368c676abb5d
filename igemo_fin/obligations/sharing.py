"""Risk sharing (risicodeling): which part of a project's loss the municipality carries.

DOMAIN.md, "Risk sharing": a loss ``L = max(0, -result)`` is split; the municipality carries
``min(L * risicodeling_gemeente_pct / 100, risicodeling_plafond)`` (no cap when the cap is empty)
and IGEMO the rest. The functions are pure and vectorised (any broadcastable shapes), so the Monte
Carlo splits 10,000 iterations x 200 projects in one call and the provisions split one project.

Examples
--------
A loss of 1,000,000 with a 40 % share capped at 300,000: the municipality carries 300,000 (40 % would
be 400,000), IGEMO 700,000.

>>> m, i = split_loss(1_000_000.0, 40.0, 300_000.0)
>>> float(m), float(i)
(300000.0, 700000.0)
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from igemo_fin.money import to_cents

__all__ = ["loss_of", "split_loss", "split_loss_cents", "sharing_terms"]


def loss_of(result) -> np.ndarray:
    """The loss of a result: ``L = max(0, -result)`` [EUR], elementwise.

    >>> loss_of(np.array([-250.0, 0.0, 100.0])).tolist()
    [250.0, 0.0, 0.0]
    """
    return np.maximum(-np.asarray(result, dtype=float), 0.0)


def _terms(share_pct, cap) -> tuple[np.ndarray, np.ndarray]:
    share = np.nan_to_num(np.asarray(share_pct, dtype=float), nan=0.0)
    if np.any((share < 0) | (share > 100)):
        raise ValueError("risicodeling_gemeente_pct moet tussen 0 en 100 liggen")
    cap = np.asarray(np.inf if cap is None else cap, dtype=float)
    cap = np.where(np.isnan(cap), np.inf, cap)
    if np.any(cap < 0):
        raise ValueError("risicodeling_plafond mag niet negatief zijn")
    return share, cap


def split_loss(loss, share_pct, cap=None) -> tuple[np.ndarray, np.ndarray]:
    """Split a loss between the municipality and IGEMO.

    Parameters
    ----------
    loss : array_like
        ``L >= 0`` [EUR] (use :func:`loss_of` on a result). Any shape.
    share_pct : array_like
        ``risicodeling_gemeente_pct`` [%], broadcastable to ``loss``; NaN means 0.
    cap : array_like or None
        ``risicodeling_plafond`` [EUR], broadcastable; NaN or None means no cap.

    Returns
    -------
    municipality, igemo : ndarray
        ``municipality = min(L * share_pct / 100, cap)`` and ``igemo = L - municipality`` [EUR],
        with the broadcast shape; both >= 0 and ``municipality + igemo == L`` (up to the last
        float bit; use :func:`split_loss_cents` where cents must add up exactly).

    Raises
    ------
    ValueError
        A negative loss (a profit is not a loss: pass ``loss_of(result)``), a share outside
        0-100 or a negative cap.

    Notes
    -----
    ``M = min(L * s / 100, cap)``, ``I = L - M``; with ``s = 0`` IGEMO carries all, with
    ``s = 100`` and no cap the municipality carries all.

    Examples
    --------
    >>> m, i = split_loss(np.array([0.0, 500.0, 2_000.0]), 50.0, 600.0)
    >>> m.tolist(), i.tolist()
    ([0.0, 250.0, 600.0], [0.0, 250.0, 1400.0])
    """
    loss = np.asarray(loss, dtype=float)
    if np.any(loss < 0):
        raise ValueError("een verlies kan niet negatief zijn (gebruik loss_of(resultaat))")
    share, cap = _terms(share_pct, cap)
    municipality = np.minimum(loss * share / 100.0, cap)
    return municipality, loss - municipality


def split_loss_cents(loss_cents, share_pct, cap=None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`split_loss` in whole cents that add up exactly (for provisions and write-downs).

    Parameters
    ----------
    loss_cents : array_like of int
        ``L >= 0`` [cent].
    share_pct, cap
        As in :func:`split_loss`; ``cap`` in euros (it is converted to cents half up).

    Returns
    -------
    municipality, igemo : ndarray of int64
        The municipality's share rounded half up to the cent (then capped), IGEMO the rest
        [cent]; ``municipality + igemo == loss_cents`` exactly.

    Examples
    --------
    A loss of 100.01 at 50 %: 50.005 rounds half up to 50.01; IGEMO carries 50.00.

    >>> m, i = split_loss_cents(10001, 50.0)
    >>> int(m), int(i)
    (5001, 5000)
    """
    loss = np.asarray(loss_cents)
    if not np.issubdtype(loss.dtype, np.integer):
        if np.any(loss != np.round(loss)):
            raise ValueError("loss_cents moet uit hele centen bestaan")
        loss = loss.astype(np.int64)
    if np.any(loss < 0):
        raise ValueError("een verlies kan niet negatief zijn")
    share, cap = _terms(share_pct, cap)
    loss, share, cap = np.broadcast_arrays(loss.astype(np.int64), share, cap)
    municipality = np.empty(loss.shape, dtype=np.int64)
    flat_m = municipality.reshape(-1)
    # A loop, not vectorised: exact decimal arithmetic for the half-up rounding of L * pct / 100.
    for i, (l_c, s, c) in enumerate(zip(loss.reshape(-1), share.reshape(-1), cap.reshape(-1))):
        part = to_cents(_decimal_share(int(l_c), float(s)))
        if np.isfinite(c):
            part = min(part, to_cents(float(c)))
        flat_m[i] = part
    return municipality, loss - municipality


def _decimal_share(loss_cents: int, share_pct: float) -> Decimal:
    """``L * share / 100`` in euros, exact (``to_cents`` then rounds it half up)."""
    return Decimal(loss_cents) / Decimal(100) * Decimal(repr(share_pct)) / Decimal(100)


def sharing_terms(projects: pd.DataFrame, codes: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(share_pct, cap)`` per project from the sheet ``projecten``, in the order of ``codes``.

    Empty cells take the defaults of WORKBOOK.md: a 0 % share and no cap (``inf``).
    """
    frame = projects.set_index("project_code") if codes is not None else projects
    if codes is not None:
        frame = frame.reindex(codes)
    share = pd.to_numeric(frame["risicodeling_gemeente_pct"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    cap = pd.to_numeric(frame["risicodeling_plafond"], errors="coerce").to_numpy(dtype=float)
    return share, np.where(np.isnan(cap), np.inf, cap)
