"""Cached engine calls of the pages Verplichtingen and Financiering.

The evaluation is the one every page uses: :func:`ui.state.evaluation`, so with the **official
thresholds** finance stored on the page Drempels (:func:`ui.state.official_thresholds`, else the
workbook's ``drempels``) and passed through the server-side filter of :func:`ui.visibility.filter_for_user`.
The obligations and the funding need do not depend on the thresholds today (those set the verdicts
and the discount rate, which these pages do not show), but a board decision must rest on one set of
figures, so these pages never evaluate with thresholds of their own.

Caching: :func:`ui.state.evaluation` is itself cached; the functions here are keyed on what that
evaluation depends on (:class:`_Basis`): the workbook's SHA-256 and name, the ledger actuals (a digest), the
valuation year, the thresholds the evaluation applied and who looks (roles and municipality), plus
the page's choices as plain arguments. The evaluation and the portfolio are handed over unhashed
(``_ev``, ``_portfolio``: Streamlit skips arguments whose name starts with ``_``). None reads a widget.
The obligations are kept once per process (:func:`ui.shared.shared`): a page run reads a view of them
instead of unpickling a dozen frames from ``st.cache_data``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from igemo_fin.exports.journal_xlsx import provision_journal_xlsx
from igemo_fin.exports.statements import municipality_statement_xlsx
from igemo_fin.financing.comparison import FinancingComparison, compare_financing
from igemo_fin.financing.parameters import FinancingParams, financing_params, params_sheet
from igemo_fin.obligations.journal import provision_journal
from igemo_fin.obligations.loss_sharing import loss_p90_from_results, loss_sharing
from igemo_fin.obligations.municipalities import municipality_summary, municipality_totals
from igemo_fin.obligations.overview import obligation_totals
from igemo_fin.obligations.profit_sharing import profit_sharing, provision_movements
from igemo_fin.obligations.spread import return_spread, return_spread_portfolio
from igemo_fin.obligations.write_downs import write_down_movement_totals, write_downs
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.exports.workbook_writer import workbook_bytes

from . import state
from .shared import shared
from .auth import current_user

#: The Monte Carlo behind the optional P90 split on the Verplichtingen page.


@dataclass(frozen=True)
class Obligations:
    """The engine's obligation frames for one workbook and valuation year (see igemo_fin.obligations)."""

    valuation_year: int
    profit_sharing: pd.DataFrame     #: PROFIT_SHARING_COLUMNS
    movements: pd.DataFrame          #: PROVISION_MOVEMENT_COLUMNS
    spread: pd.DataFrame             #: RETURN_SPREAD_COLUMNS
    spread_portfolio: pd.DataFrame   #: RETURN_SPREAD_PORTFOLIO_COLUMNS
    write_downs: pd.DataFrame        #: WRITE_DOWN_COLUMNS (movement against V - 1)
    totals: dict                     #: obligation_totals
    write_down_previous_total: float | None  #: sum of the previous write-downs [EUR]; None when unknown
    write_down_movement_total: float | None  #: sum of the movements [EUR]; None when unknown


@dataclass(frozen=True)
class _Basis:
    """The current evaluation and the cache key that stands for it."""

    portfolio: Portfolio
    ev: Evaluation  #: :func:`ui.state.evaluation`: official thresholds, filtered for the signed-in user
    actuals: str | None  #: :func:`ui.state.actuals_key` of the ledger actuals (Streamlit would hash the frame)
    key: tuple  #: (workbook SHA-256, workbook name, valuation year, thresholds applied, viewer)


def evaluation_key(ev: Evaluation, sha256: str, name: str) -> tuple:
    """What an evaluation of one workbook depends on besides the actuals: the cache key of this module.

    ``(sha256, name, valuation year, thresholds applied (sorted name/value pairs, discount rate
    resolved), viewer)``; the viewer is the signed-in user's sorted roles and municipality (None
    without a user), since :func:`ui.visibility.filter_for_user` cuts the evaluation to what they may see.
    """
    user = current_user()
    viewer = None if user is None else (tuple(sorted(user.roles)), user.gemeente)
    return (sha256, name, int(ev.valuation_year), tuple(sorted(ev.thresholds.as_dict().items())), viewer)


def _basis() -> _Basis:
    source, portfolio = state.require_portfolio()
    ev = state.evaluation(year=state.valuation_year(portfolio))
    return _Basis(portfolio, ev, state.actuals_key(state.actuals_for(source)),
                  evaluation_key(ev, source.sha256, source.name))


# --------------------------------------------------------------------------- Verplichtingen

@shared(max_entries=16)
def _obligations(key: tuple, actuals: str | None, _portfolio: Portfolio, _ev: Evaluation) -> Obligations:
    portfolio, ev = _portfolio, _ev
    spread = return_spread(portfolio, ev)
    downs = write_downs(portfolio, ev)
    previous_total, movement_total = write_down_movement_totals(downs)
    return Obligations(
        valuation_year=ev.valuation_year,
        profit_sharing=profit_sharing(portfolio, ev),
        movements=provision_movements(portfolio, ev),
        spread=spread,
        spread_portfolio=return_spread_portfolio(portfolio, ev, spread),
        write_downs=downs,
        totals=obligation_totals(portfolio, ev),
        write_down_previous_total=previous_total,
        write_down_movement_total=movement_total,
    )


def _p90_key(loss_p90: pd.Series | None) -> tuple | None:
    return None if loss_p90 is None else tuple(loss_p90.items())


def _p90_series(key: tuple | None) -> pd.Series | None:
    return None if key is None else pd.Series(dict(key), dtype=float)


@st.cache_data(show_spinner=False, max_entries=16)
def _sharing(key: tuple, actuals: str | None, p90: tuple | None, _portfolio: Portfolio,
             _ev: Evaluation) -> tuple[pd.DataFrame, pd.DataFrame]:
    loss_p90 = _p90_series(p90)
    return (loss_sharing(_portfolio, _ev, loss_p90=loss_p90),
            municipality_summary(_portfolio, _ev, loss_p90=loss_p90))


@st.cache_data(show_spinner=False, max_entries=16)
def _own_municipality(key: tuple, actuals: str | None, _portfolio: Portfolio,
                      _ev: Evaluation) -> tuple[pd.DataFrame, dict]:
    return loss_sharing(_portfolio, _ev), municipality_totals(_portfolio, _ev)


@st.cache_data(show_spinner=False, max_entries=32)
def _statement(key: tuple, actuals: str | None, gemeente: str, p90: tuple | None, _portfolio: Portfolio,
               _ev: Evaluation) -> bytes:
    return municipality_statement_xlsx(_portfolio, _ev, gemeente, loss_p90=_p90_series(p90))


@st.cache_data(show_spinner=False, max_entries=16)
def _journal(key: tuple, actuals: str | None, years: tuple[int, ...] | None, _portfolio: Portfolio,
             _ev: Evaluation) -> tuple[pd.DataFrame, bytes]:
    downs = _obligations(key, actuals, _portfolio, _ev).write_downs
    chosen = None if years is None else list(years)
    journal = provision_journal(_portfolio, _ev, years=chosen, write_down_frame=downs)
    return journal, provision_journal_xlsx(_portfolio, _ev, years=chosen, write_down_frame=downs)


def obligations() -> Obligations:
    """Profit sharing, provision movements, spread of the return and write-downs of the current workbook."""
    b = _basis()
    return _obligations(b.key, b.actuals, b.portfolio, b.ev)


def p90_losses() -> pd.Series | None:
    """P90 loss per project from the evaluation's own Monte Carlo (the basis's simulation settings, the
    same simulation every page and the board pack use); None when the simulation is off."""
    sim = _basis().ev.simulation
    return None if sim is None else loss_p90_from_results(sim.projects.set_index("project_code")["result_p10"])


def sharing(loss_p90: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(loss_sharing, municipality_summary)``, with the P90 split when ``loss_p90`` is given."""
    b = _basis()
    return _sharing(b.key, b.actuals, _p90_key(loss_p90), b.portfolio, b.ev)


def own_municipality() -> tuple[pd.DataFrame, dict]:
    """``(loss_sharing, municipality_totals)`` of every project the signed-in user sees.

    For a municipality's user the evaluation holds only its projects, so the totals are its own.
    """
    b = _basis()
    return _own_municipality(b.key, b.actuals, b.portfolio, b.ev)


def municipality_statement(gemeente: str, loss_p90: pd.Series | None = None) -> bytes:
    """The one-page Excel statement for one municipality."""
    b = _basis()
    return _statement(b.key, b.actuals, gemeente, _p90_key(loss_p90), b.portfolio, b.ev)


def journal(years: list[int] | None = None) -> tuple[pd.DataFrame, bytes]:
    """The proposed journal (profit-share provisions and write-downs) as a frame and as Excel bytes."""
    b = _basis()
    return _journal(b.key, b.actuals, None if years is None else tuple(years), b.portfolio, b.ev)


# --------------------------------------------------------------------------- Financiering

@st.cache_data(show_spinner=False, max_entries=8)
def _workbook_params(sha256: str, name: str, _content: bytes) -> FinancingParams:
    return financing_params(state.load_portfolio(_content, name, sha256))


def _params_key(params: FinancingParams) -> tuple:
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in params.as_dict().items())


def _params_of(key: tuple) -> FinancingParams:
    return FinancingParams(**dict(key))


@st.cache_data(show_spinner=False, max_entries=64)
def _comparison(key: tuple, actuals: str | None, params: tuple, _portfolio: Portfolio,
                _ev: Evaluation) -> FinancingComparison:
    return compare_financing(_portfolio, _ev, _params_of(params))


@st.cache_data(show_spinner=False, max_entries=16)
def _params_xlsx(params: tuple) -> bytes:
    return workbook_bytes({"financiering": params_sheet(_params_of(params))})


def workbook_params() -> FinancingParams:
    """The parameters of the workbook's sheet ``financiering`` (or the defaults).

    Raises :class:`~igemo_fin.errors.WorkbookError` when the sheet is invalid.
    """
    source, _ = state.require_portfolio()
    return _workbook_params(source.sha256, source.name, source.content)


def has_financing_sheet(portfolio: Portfolio) -> bool:
    return bool(portfolio.extra_sheets.get("financiering"))


def comparison(params: FinancingParams) -> FinancingComparison:
    """The four alternatives under the three rate scenarios for ``params``."""
    b = _basis()
    return _comparison(b.key, b.actuals, _params_key(params), b.portfolio, b.ev)


def params_xlsx(params: FinancingParams) -> bytes:
    """A workbook with only the sheet ``financiering`` holding ``params`` (to paste into the portfolio workbook)."""
    return _params_xlsx(_params_key(params))
