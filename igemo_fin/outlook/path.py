"""The base path of the multi-year outlook: per year from ``V`` to the last forecast year.

Notes
-----
Per year ``Y`` (``V <= Y <= last year with a forecast flow``), for the whole portfolio:

- ``credit_drawn``: the cash credit drawn at the end of ``Y``, as the evaluation counts it (the
  positive book values of the projects running in ``Y``); ``credit_limit`` the ``kredietlimiet`` of
  ``Y``; ``credit_use_pct = 100 * credit_drawn / credit_limit``.
- ``credit_peak``: the most drawn within ``Y`` when the year's costs and interest are paid before its
  revenues come in: ``sum over running projects of max(0, BV[Y] + costs[Y] + I[Y])``. The workbook
  has yearly flows, so this is the prudent bound; it is never below the drawn amount at either end
  of the year.
- ``interest``: the interest the portfolio pays on the credit in ``Y``.
- ``recognised_result``: the result recognised in ``Y`` by the spread of the return
  (:func:`~igemo_fin.obligations.spread.return_spread`) of the profitable projects (before profit share).
- ``write_downs``: IGEMO's share of the loss of the loss-making projects, in the year the spread takes
  it (the year the loss is foreseen; a loss foreseen before ``V`` is already in the opening equity).
- ``provision_movement``: additions minus releases of the profit-share provision in ``Y``
  (:func:`~igemo_fin.obligations.profit_sharing.provision_movements`).
- ``operating_result``: the sheet ``exploitatie`` (:mod:`igemo_fin.inputs.operating`); 0 when absent.
- ``equity``: ``eigen_vermogen`` (the equity at 1 January ``V``, after everything booked before
  ``V``) plus, cumulated up to ``Y``, ``recognised_result - write_downs - provision_movement +
  operating_result``. The project part of each year equals IGEMO's recognised part of the spread
  (``recognised_igemo_in_year``), exact to the cent.
- ``equity_to_credit = equity / credit_drawn`` (None without credit drawn).
- ``risk_capacity_ratio``: the risk capacity at the **end** of ``Y``: ``equity`` (31 December ``Y``)
  / ``loss_p90`` with ``loss_p90`` the 90th percentile of IGEMO's share of the loss
  (:func:`~igemo_fin.risk.capacity.shared_losses`) of the open projects still running in ``Y`` (their
  result is not yet final), over the Monte Carlo's iterations, or, with the simulation off, of the
  forecast itself; graded A-F as :func:`~igemo_fin.risk.capacity.risk_capacity_grade`.

The opening position, the risk capacity at 1 January ``V`` (:func:`opening_capacity`), is not a row:
it is the Monte Carlo summary's own figure (``eigen_vermogen`` at 1 January over every open project,
:func:`~igemo_fin.risk.capacity.capacity_summary`), read from the evaluation's simulation, so the
outlook and the Risico page show one figure for "now".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from igemo_fin.inputs.operating import operating_results
from igemo_fin.obligations.exact import cents_of
from igemo_fin.obligations.profit_sharing import provision_movements
from igemo_fin.obligations.spread import return_spread
from igemo_fin.risk.capacity import CAPACITY_KEYS, OPEN_STATUSES, capacity_summary, shared_losses
from igemo_fin.valuation.evaluate import Evaluation

__all__ = ["PATH_COLUMNS", "path_years", "outlook_path", "igemo_losses", "opening_capacity"]

#: Columns of :func:`outlook_path`, one row per year [EUR unless stated].
PATH_COLUMNS = (
    "jaar", "credit_limit", "credit_drawn", "credit_peak", "credit_use_pct", "interest",
    "recognised_result", "write_downs", "provision_movement", "operating_result", "equity",
    "equity_to_credit", "loss_p90", "risk_capacity_ratio", "risk_capacity_grade", "risk_capacity_label",
)


def path_years(ev: Evaluation) -> np.ndarray:
    """``V .. the last year with a forecast flow`` (:meth:`~igemo_fin.valuation.evaluate.Evaluation.forecast_years`)."""
    return ev.forecast_years()


def _by_year(frame: pd.DataFrame, column: str, years: np.ndarray, mask=None) -> np.ndarray:
    """Cents of ``column`` summed per year of ``years`` (rows where ``mask``)."""
    rows = frame if mask is None else frame[mask]
    cents = pd.Series([cents_of(x) for x in rows[column]], index=rows.index, dtype="int64")
    return cents.groupby(rows["jaar"].to_numpy()).sum().reindex(years, fill_value=0).to_numpy(np.int64)


def igemo_losses(ev: Evaluation, result: np.ndarray | None = None, *,
                 statuses: tuple[str, ...] = OPEN_STATUSES) -> np.ndarray:
    """IGEMO's share of each project's loss (iterations x projects) [EUR]: of the simulated results
    ``result`` (iterations x projects, the evaluation's project order), else of the forecast (1 row);
    0 for the projects whose status is not in ``statuses`` (default: the open ones, as the risk
    capacity counts them)."""
    codes = ev.figures["project_code"].tolist()
    if result is None:
        result = ev.figures["result_nominal"].to_numpy(float)[None, :]
    return shared_losses(ev.basis.portfolio, codes, np.asarray(result, dtype=float), statuses)[2]


def opening_capacity(ev: Evaluation) -> dict:
    """The risk capacity at 1 January of the valuation year (:data:`~igemo_fin.risk.capacity.CAPACITY_KEYS`).

    The evaluation's Monte Carlo summary, read as it is (the Risico page shows the same figure); with
    the simulation off, :func:`~igemo_fin.risk.capacity.capacity_summary` of the forecast's own loss,
    as the year ends of :func:`outlook_path` are then.
    """
    if ev.simulation is not None:
        return {k: ev.simulation.portfolio[k] for k in CAPACITY_KEYS}
    return capacity_summary(ev.basis.portfolio.settings.eigen_vermogen, igemo_losses(ev).sum(axis=1))


def outlook_path(ev: Evaluation, *, result: np.ndarray | None = None) -> pd.DataFrame:
    """The base path (:data:`PATH_COLUMNS`; the module notes define every column).

    Parameters
    ----------
    ev : Evaluation
        The evaluation of the basis; its ``eigen_vermogen`` (None counts as 0) is the opening equity.
    result : ndarray (iterations x projects), optional
        The simulated full-life results for the risk capacity (default: ``ev.simulation``'s, else the
        forecast's own).
    """
    portfolio, V = ev.basis.portfolio, ev.valuation_year
    years = path_years(ev)
    credit = ev.credit.set_index("jaar").reindex(years)
    y = ev.yearly[ev.yearly["jaar"] >= V]
    peak = np.maximum(y["book_value_start"] + y["costs"] + y["interest"], 0.0)
    peak_by_year = peak.groupby(y["jaar"].to_numpy()).sum().reindex(years, fill_value=0.0).to_numpy(float)

    spread = return_spread(portfolio, ev)
    spread = spread[spread["jaar"] >= V]
    results = ev.figures.set_index("project_code")["result_nominal"]
    profitable = spread["project_code"].map(lambda c: cents_of(results[c]) >= 0).to_numpy(bool)
    recognised_c = _by_year(spread, "recognised_in_year", years, profitable)
    write_downs_c = -_by_year(spread, "recognised_igemo_in_year", years, ~profitable)
    moves = provision_movements(portfolio, ev)
    moves = moves[moves["jaar"] >= V]
    provision_c = _by_year(moves, "addition", years) - _by_year(moves, "release", years)
    operating = operating_results(portfolio).reindex(years, fill_value=0.0)
    operating_c = np.array([cents_of(x) for x in operating], dtype=np.int64)
    opening = portfolio.settings.eigen_vermogen
    equity_c = cents_of(opening or 0.0) + np.cumsum(recognised_c - write_downs_c - provision_c + operating_c)

    drawn = credit["drawn_end"].fillna(0.0).to_numpy(float)
    limit = credit["kredietlimiet"].to_numpy(float)
    equity = equity_c / 100.0
    if result is None and ev.simulation is not None:
        result = ev.simulation.result_nominal
    losses = igemo_losses(ev, result)
    last = ev.figures["last_year"].to_numpy()
    # the same measure as the opening's, at each year end: that year's equity, the projects still running
    ends = [capacity_summary(float(eq), losses[:, last >= year].sum(axis=1)) for year, eq in zip(years, equity)]
    with np.errstate(divide="ignore", invalid="ignore"):
        use = np.where(limit > 0, 100.0 * drawn / limit, np.nan)
        to_credit = np.where(drawn > 0, equity / drawn, np.nan)
    frame = pd.DataFrame({
        "jaar": years, "credit_limit": limit, "credit_drawn": drawn, "credit_peak": peak_by_year,
        "credit_use_pct": use, "interest": credit["interest"].fillna(0.0).to_numpy(float),
        "recognised_result": recognised_c / 100.0, "write_downs": write_downs_c / 100.0,
        "provision_movement": provision_c / 100.0, "operating_result": operating_c / 100.0,
        "equity": equity, "equity_to_credit": to_credit,
        **{key: [end[key] for end in ends] for key in CAPACITY_KEYS if key != "eigen_vermogen"},
    })
    return frame[list(PATH_COLUMNS)]
