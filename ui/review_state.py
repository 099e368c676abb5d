"""Cached data of the page Werking en budget: the ledger lines and the yearly review.

The lines are every line in the store (:meth:`igemo_fin.records.store.Store.ledger_lines`: the review
looks at the running too, not only at project lines); for the demo workbook without a stored ledger, the
demo's example ledger with running costs (:func:`igemo_fin.inputs.example_running_costs.example_full_ledger`).
The review is cached on the workbook's SHA-256, the database's state, the year and the what-if index year;
the portfolio and the lines are handed over unhashed. None reads a widget.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from igemo_fin.exports.review_xlsx import lines_xlsx
from igemo_fin.inputs.example_running_costs import example_full_ledger
from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.records.store import Store
from igemo_fin.review.yearly import YearlyReview, default_review_year, empty_lines, yearly_review
from igemo_fin.valuation.portfolio import Portfolio

from .auth import current_user
from .roles import READ_ROLES
from .state import Source
from .store_source import db_key, db_path

__all__ = ["review_lines", "review", "list_download", "board_review"]


@st.cache_data(show_spinner=False, max_entries=8)
def _stored_lines(path: str, key: tuple) -> pd.DataFrame:
    return Store(path).ledger_lines()


@st.cache_data(show_spinner=False, max_entries=4)
def _demo_lines(year: int) -> pd.DataFrame:
    return read_ledger(example_full_ledger("xlsx", year=year), filename="voorbeeld_grootboek.xlsx").lines


def review_lines(source: Source, portfolio: Portfolio) -> tuple[pd.DataFrame, str, tuple]:
    """The lines the review reads, a Dutch phrase saying where they come from, and their cache key."""
    key = db_key()
    if key is not None:
        lines = _stored_lines(str(db_path()), key)
        if not lines.empty:
            return lines, f"alle {len(lines)} grootboeklijnen in de databank", key
    if source.is_demo:
        year = portfolio.settings.valuation_year()
        return _demo_lines(year), "het voorbeeldgrootboek van de demo (fictieve bedragen)", ("demo", year)
    return empty_lines(), "geen grootboeklijnen: laad een grootboekexport op via de pagina Gegevens", ("leeg",)


@st.cache_data(show_spinner=False, max_entries=16)
def review(sha256: str, lines_key: tuple, year: int, index_year: int | None, _portfolio: Portfolio,
           _lines: pd.DataFrame) -> YearlyReview:
    """:func:`igemo_fin.review.yearly.yearly_review` of the shown workbook and lines."""
    return yearly_review(_portfolio, _lines, year, index_year=index_year)


@st.cache_data(show_spinner=False, max_entries=16)
def list_download(sha256: str, lines_key: tuple, year: int, which: str, title: str, _frame: pd.DataFrame) -> bytes:
    """One of the review's lists as Excel (:func:`igemo_fin.exports.review_xlsx.lines_xlsx`)."""
    return lines_xlsx(_frame, title=title)


def board_review(source: Source, portfolio: Portfolio) -> YearlyReview | None:
    """The review for the board pack of the page Overzicht: the year of the last booking, for bestuur and
    financien only (a municipality's pack holds nothing of IGEMO's own running); None without ledger lines
    or when the review's sheets are refused (the page Werking en budget shows why)."""
    from igemo_fin.errors import WorkbookError

    user = current_user()
    if user is None or not user.roles & set(READ_ROLES):
        return None
    lines, _, key = review_lines(source, portfolio)
    if lines.empty:
        return None
    try:
        return review(source.sha256, key, default_review_year(lines, portfolio.settings.valuation_year()), None,
                      portfolio, lines)
    except WorkbookError:
        return None
