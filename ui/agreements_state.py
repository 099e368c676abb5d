"""The page Overeenkomsten's and Mijn gemeente's data: the agreements' figures, cached per evaluation.

Every function calls the engine once (:mod:`igemo_fin.agreements`); widget values come in as arguments.
The agreements' view is kept once per process (:func:`ui.shared.shared`): a page run reads a view of it
instead of unpickling its frames and the evaluation it carries from ``st.cache_data``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from igemo_fin.agreements.invoicing import prefinancing, signing_proposal
from igemo_fin.agreements.land_funds import fund_what_if
from igemo_fin.agreements.summary import AgreementsView, agreements_view
from igemo_fin.valuation.evaluate import Evaluation
from ui import state
from ui.obligations_state import evaluation_key
from ui.shared import shared

__all__ = ["view", "fund_revision", "terms_what_if", "own_agreements"]


def _key_and_ev(ev: Evaluation | None = None) -> tuple[tuple, Evaluation, str | None]:
    source, portfolio = state.require_portfolio()
    ev = state.evaluation(year=state.valuation_year(portfolio)) if ev is None else ev
    return evaluation_key(ev, source.sha256, source.name), ev, state.actuals_key(state.actuals_for(source))


@shared(max_entries=16)
def _view(key: tuple, actuals: str | None, _ev: Evaluation) -> AgreementsView:
    return agreements_view(_ev)


def view() -> AgreementsView:
    """All agreements of the current evaluation (bestuur and financien)."""
    key, ev, actuals = _key_and_ev()
    return _view(key, actuals, ev)


@st.cache_data(show_spinner=False, max_entries=32)
def _fund_revision(key: tuple, actuals: str | None, fonds: str, changes: tuple, _ev: Evaluation) -> pd.DataFrame:
    return fund_what_if(_ev.basis.portfolio.agreements, _ev, fonds, **dict(changes))


def fund_revision(fonds: str, **changes) -> pd.DataFrame:
    """The fund's current terms beside the revised ``changes`` (:func:`~igemo_fin.agreements.land_funds.fund_what_if`)."""
    key, ev, actuals = _key_and_ev()
    return _fund_revision(key, actuals, fonds, tuple(sorted(changes.items())), ev)


@st.cache_data(show_spinner=False, max_entries=32)
def _terms_what_if(key: tuple, actuals: str | None, code: str, pct: float, year: int, days: int, _ev: Evaluation) -> pd.DataFrame:
    basis = _ev.basis
    terms = signing_proposal(basis.portfolio.agreements.terms, code, pct, year, days)
    table, _ = prefinancing(basis, terms)
    return table[table["project_code"] == code].reset_index(drop=True)


def terms_what_if(code: str, pct: float, year: int, days: int) -> pd.DataFrame:
    """The prefinancing of ``code`` with ``pct`` invoiced at signing in ``year`` and ``days`` to pay."""
    key, ev, actuals = _key_and_ev()
    return _terms_what_if(key, actuals, code, float(pct), int(year), int(days), ev)


def own_agreements(gemeente: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A partner municipality's funds (settlement, balances) and co-financing, computed on the whole
    portfolio on the server (a fund's balance needs every linked project) and cut to its own rows."""
    source, portfolio = state.require_portfolio()
    basis = state.current_basis(year=state.valuation_year(portfolio)).with_simulation(iterations=0)
    whole = state.whole_evaluation(basis)
    key = (source.sha256, source.name, basis.valuation_year, "gemeente")
    return _view(key, state.actuals_key(state.actuals_for(source)), whole).for_municipality(gemeente)
