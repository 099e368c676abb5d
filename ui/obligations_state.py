"""Cached engine calls of the pages Verplichtingen and Financiering.

Like :mod:`ui.state`, every cached function is keyed on the workbook's bytes, its name, the valuation
year and the ledger actuals (plus the page's choices, passed in as plain arguments); none reads a
widget. The evaluation comes from :func:`ui.state._evaluate` with the workbook's thresholds: the
obligations and the funding need do not depend on the thresholds (they only set the verdicts), and
these pages are for the roles that see every project, so no per-user filter applies. The public
helpers (without underscore) read the current source and the sidebar's valuation year, as
:func:`ui.state.evaluation` does, and call the cached ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from igemo_fin import provisions
from igemo_fin.alternatives import (FinancingComparison, FinancingParams, compare_financing, financing_params,
                                   params_sheet)
from igemo_fin.evaluate import Evaluation
from igemo_fin.money import to_cents
from igemo_fin.portfolio import Portfolio
from igemo_fin.risk import simulate
from igemo_fin.workbook_writer import workbook_bytes

from . import state

#: The Monte Carlo behind the optional P90 split on the Verplichtingen page.
P90_ITERATIONS = 2_000
P90_SEED = 1


@dataclass(frozen=True)
class Obligations:
    """The engine's obligation frames for one workbook and valuation year (see igemo_fin.provisions)."""

    valuation_year: int
    profit_sharing: pd.DataFrame     #: PROFIT_SHARING_COLUMNS
    movements: pd.DataFrame          #: PROVISION_MOVEMENT_COLUMNS
    spread: pd.DataFrame             #: RETURN_SPREAD_COLUMNS
    spread_portfolio: pd.DataFrame   #: RETURN_SPREAD_PORTFOLIO_COLUMNS
    write_downs: pd.DataFrame        #: WRITE_DOWN_COLUMNS (movement against V - 1)
    totals: dict                     #: obligation_totals
    write_down_previous_total: float | None  #: sum of the previous write-downs [EUR]; None when unknown
    write_down_movement_total: float | None  #: sum of the movements [EUR]; None when unknown


def _inputs(year: int | None = None) -> tuple[state.Source, Portfolio, int, pd.DataFrame | None]:
    source, portfolio = state.require_portfolio()
    year = state.valuation_year(portfolio) if year is None else int(year)
    return source, portfolio, year, state.actuals_for(source)


def _portfolio_and_evaluation(content: bytes, name: str, year: int,
                              actuals: pd.DataFrame | None) -> tuple[Portfolio, Evaluation]:
    return state.load_portfolio(content, name), state._evaluate(content, name, year, None, 0.0, actuals)


def _column_total(column: pd.Series) -> float | None:
    """Exact sum of a cent column [EUR] (the engine's write-down total is the column's sum); None when unknown."""
    if column.isna().all() and len(column):
        return None
    return sum(to_cents(float(v)) for v in column.dropna()) / 100.0


# --------------------------------------------------------------------------- Verplichtingen

@st.cache_data(show_spinner=False, max_entries=16)
def _obligations(content: bytes, name: str, year: int, actuals: pd.DataFrame | None) -> Obligations:
    portfolio, ev = _portfolio_and_evaluation(content, name, year, actuals)
    spread = provisions.return_spread(portfolio, ev)
    downs = provisions.write_downs(portfolio, ev)
    return Obligations(
        valuation_year=ev.valuation_year,
        profit_sharing=provisions.profit_sharing(portfolio, ev),
        movements=provisions.provision_movements(portfolio, ev),
        spread=spread,
        spread_portfolio=provisions.return_spread_portfolio(portfolio, ev, spread),
        write_downs=downs,
        totals=provisions.obligation_totals(portfolio, ev),
        write_down_previous_total=_column_total(downs["write_down_previous"]),
        write_down_movement_total=_column_total(downs["movement"]),
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _p90_losses(content: bytes, name: str, year: int, actuals: pd.DataFrame | None, iterations: int,
                seed: int) -> pd.Series:
    """P90 loss per project code [EUR]: ``max(0, -result_p10)`` of the Monte Carlo (as the CLI takes it)."""
    portfolio, ev = _portfolio_and_evaluation(content, name, year, actuals)
    sim = simulate(portfolio, ev, iterations=iterations, seed=seed)
    return (-sim.projects.set_index("project_code")["result_p10"]).clip(lower=0.0)


def _p90_key(loss_p90: pd.Series | None) -> tuple | None:
    return None if loss_p90 is None else tuple(loss_p90.items())


def _p90_series(key: tuple | None) -> pd.Series | None:
    return None if key is None else pd.Series(dict(key), dtype=float)


@st.cache_data(show_spinner=False, max_entries=16)
def _sharing(content: bytes, name: str, year: int, actuals: pd.DataFrame | None,
             p90: tuple | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    portfolio, ev = _portfolio_and_evaluation(content, name, year, actuals)
    loss_p90 = _p90_series(p90)
    return (provisions.loss_sharing(portfolio, ev, loss_p90=loss_p90),
            provisions.municipality_summary(portfolio, ev, loss_p90=loss_p90))


@st.cache_data(show_spinner=False, max_entries=32)
def _statement(content: bytes, name: str, year: int, actuals: pd.DataFrame | None, gemeente: str,
               p90: tuple | None) -> bytes:
    portfolio, ev = _portfolio_and_evaluation(content, name, year, actuals)
    return provisions.municipality_statement_xlsx(portfolio, ev, gemeente, loss_p90=_p90_series(p90))


@st.cache_data(show_spinner=False, max_entries=16)
def _journal(content: bytes, name: str, year: int, actuals: pd.DataFrame | None,
             years: tuple[int, ...] | None) -> tuple[pd.DataFrame, bytes]:
    portfolio, ev = _portfolio_and_evaluation(content, name, year, actuals)
    downs = _obligations(content, name, year, actuals).write_downs
    chosen = None if years is None else list(years)
    journal = provisions.provision_journal(portfolio, ev, years=chosen, write_down_frame=downs)
    return journal, provisions.provision_journal_xlsx(portfolio, ev, years=chosen, write_down_frame=downs)


def obligations() -> Obligations:
    """Profit sharing, provision movements, spread of the return and write-downs of the current workbook."""
    source, _, year, actuals = _inputs()
    return _obligations(source.content, source.name, year, actuals)


def p90_losses() -> pd.Series:
    """P90 loss per project from a Monte Carlo of :data:`P90_ITERATIONS` iterations, seed :data:`P90_SEED`."""
    source, _, year, actuals = _inputs()
    return _p90_losses(source.content, source.name, year, actuals, P90_ITERATIONS, P90_SEED)


def sharing(loss_p90: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(loss_sharing, municipality_summary)``, with the P90 split when ``loss_p90`` is given."""
    source, _, year, actuals = _inputs()
    return _sharing(source.content, source.name, year, actuals, _p90_key(loss_p90))


def municipality_statement(gemeente: str, loss_p90: pd.Series | None = None) -> bytes:
    """The one-page Excel statement for one municipality."""
    source, _, year, actuals = _inputs()
    return _statement(source.content, source.name, year, actuals, gemeente, _p90_key(loss_p90))


def journal(years: list[int] | None = None) -> tuple[pd.DataFrame, bytes]:
    """The proposed journal (profit-share provisions and write-downs) as a frame and as Excel bytes."""
    source, _, year, actuals = _inputs()
    return _journal(source.content, source.name, year, actuals, None if years is None else tuple(years))


# --------------------------------------------------------------------------- Financiering

@st.cache_data(show_spinner=False, max_entries=8)
def _workbook_params(content: bytes, name: str) -> FinancingParams:
    return financing_params(state.load_portfolio(content, name))


def _params_key(params: FinancingParams) -> tuple:
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in params.as_dict().items())


def _params_of(key: tuple) -> FinancingParams:
    return FinancingParams(**dict(key))


@st.cache_data(show_spinner=False, max_entries=64)
def _comparison(content: bytes, name: str, year: int, actuals: pd.DataFrame | None,
                params: tuple) -> FinancingComparison:
    portfolio, ev = _portfolio_and_evaluation(content, name, year, actuals)
    return compare_financing(portfolio, ev, _params_of(params))


@st.cache_data(show_spinner=False, max_entries=16)
def _params_xlsx(params: tuple) -> bytes:
    return workbook_bytes({"financiering": params_sheet(_params_of(params))})


def workbook_params() -> FinancingParams:
    """The parameters of the workbook's sheet ``financiering`` (or the defaults).

    Raises :class:`~igemo_fin.errors.WorkbookError` when the sheet is invalid.
    """
    source, _ = state.require_portfolio()
    return _workbook_params(source.content, source.name)


def has_financing_sheet(portfolio: Portfolio) -> bool:
    return bool(portfolio.extra_sheets.get("financiering"))


def comparison(params: FinancingParams) -> FinancingComparison:
    """The four alternatives under the three rate scenarios for ``params``."""
    source, _, year, actuals = _inputs()
    return _comparison(source.content, source.name, year, actuals, _params_key(params))


def params_xlsx(params: FinancingParams) -> bytes:
    """A workbook with only the sheet ``financiering`` holding ``params`` (to paste into the portfolio workbook)."""
    return _params_xlsx(_params_key(params))
