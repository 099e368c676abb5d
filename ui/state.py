"""Where the dashboard's data comes from, and the cached engine calls every page shares.

Pages call :func:`require_portfolio` and :func:`evaluation`; both are keyed on the workbook's bytes
(and the what-if arguments), never on widget objects, so a rerun with the same inputs is a cache hit.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from igemo_fin.errors import InputError
from igemo_fin.valuation.evaluate import Evaluation, evaluate
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.thresholds import Thresholds
from igemo_fin.inputs.workbook import read_workbook
from ui.auth import require_entry_script
from ui.database import app_store
from ui.visibility import filter_for_user
from ui.shared import shared

ROOT = Path(__file__).resolve().parents[1]
DEMO_WORKBOOK = ROOT / "data" / "demo_portefeuille.xlsx"


@dataclass(frozen=True)
class Source:
    """The workbook the dashboard shows."""

    content: bytes
    name: str
    label: str  #: Dutch description for the sidebar
    sha256: str
    is_demo: bool = False


def _file_source(path: Path, label: str, is_demo: bool) -> Source:
    content = path.read_bytes()
    return Source(content, path.name, label, hashlib.sha256(content).hexdigest(), is_demo)


def _store_source() -> Source | None:
    """The latest workbook version in the embedded store, when the store module and a version exist."""
    try:
        from ui.store_source import latest_store_source
    except ModuleNotFoundError:
        return None
    return latest_store_source()


def current_source() -> Source | None:
    """``IGEMO_WORKBOOK`` when set, else the store's selected/latest version, else the demo workbook."""
    require_entry_script()
    env = os.environ.get("IGEMO_WORKBOOK")
    if env:
        path = Path(env)
        return _file_source(path, f"Werkboek {path.name}", False) if path.is_file() else None
    stored = _store_source()
    if stored is not None:
        return stored
    if DEMO_WORKBOOK.is_file():
        return _file_source(DEMO_WORKBOOK, "Demo-portefeuille (fictieve gegevens)", True)
    return None


@shared(max_entries=8)
def load_portfolio(content: bytes, name: str) -> Portfolio:
    return read_workbook(content, filename=name)


def _thresholds_key(thresholds: Thresholds | None) -> tuple | None:
    return None if thresholds is None else tuple(sorted(thresholds.as_dict().items()))


@shared(max_entries=64)
def _evaluate(content: bytes, name: str, year: int, thresholds_key: tuple | None, rate_shift_bp: float,
              actuals: pd.DataFrame | None) -> Evaluation:
    portfolio = load_portfolio(content, name)
    thresholds = None if thresholds_key is None else Thresholds(**dict(thresholds_key))
    return evaluate(portfolio, valuation_year=year, thresholds=thresholds, actuals=actuals,
                    rate_shift_bp=rate_shift_bp)


def show_refusal(error: InputError) -> None:
    st.error(f"Het werkboek '{error.file or ''}' kan niet gebruikt worden: {len(error.problems)} probleem/problemen. "
             "Verbeter het bestand en laad het opnieuw op via de pagina Gegevens.")
    st.dataframe(pd.DataFrame([{"Blad": p.sheet or "", "Rij": p.row, "Kolom": p.column or "", "Reden": p.reason}
                               for p in error.problems]), hide_index=True, width="stretch")


def require_portfolio() -> tuple[Source, Portfolio]:
    """The current source and its portfolio; stops the page with a clear message when there is none."""
    source = current_source()
    if source is None:
        st.warning("Er is nog geen portefeuillewerkboek. Laad er een op via de pagina Gegevens, of zet de "
                   "demogegevens terug (`python scripts/make_demo_data.py`).")
        st.stop()
    try:
        portfolio = load_portfolio(source.content, source.name)
    except InputError as error:
        show_refusal(error)
        st.stop()
    return source, portfolio


def actuals_for(source: Source) -> pd.DataFrame | None:
    """Ledger actuals from the store when the store module is present (see the Gegevens page)."""
    try:
        from ui.store_source import stored_actuals
    except ModuleNotFoundError:
        return None
    return stored_actuals(source)


def valuation_year(portfolio: Portfolio) -> int:
    """The valuation year chosen in the sidebar (shared by every page)."""
    return int(st.session_state.get("waarderingsjaar") or portfolio.settings.valuation_year())


def official_thresholds() -> Thresholds | None:
    """The official thresholds finance set on the page Drempels (newest version in the store), or None:
    then the workbook's sheet ``drempels`` applies (see :func:`igemo_fin.records.audit.official_thresholds`)."""
    from igemo_fin.records.audit import stored_thresholds

    store = app_store()
    return None if store is None else stored_thresholds(store)


def evaluation(*, year: int | None = None, thresholds: Thresholds | None = None,
               rate_shift_bp: float = 0.0) -> Evaluation:
    """The evaluation with the official thresholds (or the what-if ``thresholds``), as the signed-in
    user may see it: a municipality gets only its own projects (:func:`ui.auth.filter_for_user`)."""
    source, portfolio = require_portfolio()
    year = valuation_year(portfolio) if year is None else year
    if thresholds is None:
        thresholds = official_thresholds()
    ev = _evaluate(source.content, source.name, int(year), _thresholds_key(thresholds), float(rate_shift_bp),
                   actuals_for(source))
    return filter_for_user(ev)
