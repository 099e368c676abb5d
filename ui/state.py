"""Where the dashboard's data comes from, and the one cached evaluation every page shares.

Pages call :func:`require_portfolio`, :func:`current_basis` and :func:`evaluation`. The basis is built
by the engine (:func:`igemo_fin.records.stored_basis.stored_basis`), exactly as the command line builds
it: the workbook shown, the ledger actuals of a stored version, the official thresholds in force and
the workbook's simulation settings. The evaluation is cached on what the basis is made of (the
workbook's bytes, the year, the thresholds and their provenance, the rate stress, the simulation
settings, the actuals), never on widget objects, so a rerun with the same inputs is a cache hit and
every page that asks for the same basis gets the same verdicts. That key is one short string
(:func:`basis_key`): Streamlit then hashes a string instead of the workbook's bytes, the actuals frame
and four dataclasses on every call (see :mod:`ui.shared`).
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from igemo_fin.errors import InputError
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.records.threshold_versions import ThresholdVersion, in_force, latest_thresholds
from igemo_fin.valuation.basis import Basis, DataVersion, SimulationSettings, ThresholdSource
from igemo_fin.valuation.evaluate import Evaluation, evaluate
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.thresholds import Thresholds
from ui.auth import require_entry_script
from ui.database import app_store
from ui.plain import as_text
from ui.visibility import filter_for_user
from ui.shared import content_key, shared

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
    version: int | None = None  #: the stored workbook version id, when it is one
    latest: bool = True  #: False for an older stored version chosen on the Gegevens page


def file_source(path: Path, label: str, is_demo: bool) -> Source:
    """The file as a source, read again only when it changed (every page run asks for the source several
    times): its size, modification time (ns) and inode are the key, as for ``make``."""
    stat = path.stat()
    return _read_source(str(path), label, is_demo, (stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns))


@functools.lru_cache(maxsize=8)
def _read_source(path: str, label: str, is_demo: bool, _state: tuple) -> Source:
    content = Path(path).read_bytes()
    return Source(content, Path(path).name, label, hashlib.sha256(content).hexdigest(), is_demo)


def _store_source() -> Source | None:
    """The chosen or latest workbook version in the embedded store, when there is one."""
    from ui.store_source import latest_store_source  # it builds on this module's Source

    return latest_store_source()


def current_source() -> Source | None:
    """``IGEMO_WORKBOOK`` when set, else the store's selected/latest version, else the demo workbook."""
    require_entry_script()
    env = os.environ.get("IGEMO_WORKBOOK")
    if env:
        path = Path(env)
        return file_source(path, f"Werkboek {path.name}", False) if path.is_file() else None
    stored = _store_source()
    if stored is not None:
        return stored
    if DEMO_WORKBOOK.is_file():
        return file_source(DEMO_WORKBOOK, "Demo-portefeuille (fictieve gegevens)", True)
    return None


def load_portfolio(content: bytes, name: str, sha256: str | None = None) -> Portfolio:
    """The parsed workbook, read once per process (``sha256``: the content's, when the caller has it)."""
    return _portfolio(sha256 or hashlib.sha256(content).hexdigest(), name, content)


@shared(max_entries=8)
def _portfolio(sha256: str, name: str, _content: bytes) -> Portfolio:
    return read_workbook(_content, filename=name)


def thresholds_key(thresholds: Thresholds) -> tuple:
    """A hashable stand-in for ``thresholds`` (cache keys)."""
    return tuple(sorted(thresholds.as_dict().items()))


def actuals_key(actuals: pd.DataFrame | None) -> str | None:
    """The ledger actuals in a cache key: :func:`ui.shared.content_key` of the frame (None without)."""
    return None if actuals is None else content_key(actuals)


def basis_key(source: Source, basis: Basis) -> str:
    """What an evaluation of ``basis`` on ``source``'s workbook depends on, as one short string.

    The workbook (SHA-256 and name), the valuation year, the thresholds (name/value pairs), their
    provenance, the rate stress, the simulation settings, the data version and the actuals (their
    :func:`ui.shared.content_key`): any change of these gives another key. The small parts are written
    with ``repr`` (every field of those dataclasses is in it, floats exactly), so equal bases give one key.
    """
    parts = (source.sha256, source.name, int(basis.valuation_year), thresholds_key(basis.thresholds),
             basis.threshold_source, float(basis.rate_shift_bp), basis.simulation, basis.data,
             actuals_key(basis.actuals))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def shared_basis(source: Source, basis: Basis) -> Basis:
    """``basis`` on the shared portfolio of ``source`` (what :func:`evaluate_shared` evaluates)."""
    return replace(basis, portfolio=load_portfolio(source.content, source.name, source.sha256),
                   thresholds=Thresholds(**dict(thresholds_key(basis.thresholds))))


@shared(max_entries=64)
def evaluate_shared(key: str, _source: Source, _basis: Basis) -> Evaluation:
    """The evaluation of ``_basis`` on ``_source``'s workbook (``key``: :func:`basis_key`), computed once
    per process for every session."""
    return evaluate(shared_basis(_source, _basis))


def show_refusal(error: InputError) -> None:
    st.error(f"Het werkboek '{error.file or ''}' kan niet gebruikt worden: {len(error.problems)} probleem/problemen. "
             "Verbeter het bestand en laad het opnieuw op via de pagina Gegevens.")
    from ui.tables import show_refusal_table

    show_refusal_table(error.problems)


def require_portfolio() -> tuple[Source, Portfolio]:
    """The current source and its portfolio; stops the page with a clear message when there is none."""
    source = current_source()
    if source is None:
        st.warning("Er is nog geen portefeuillewerkboek. Laad er een op via de pagina Gegevens, of zet de "
                   "demogegevens terug (`python scripts/make_demo_data.py`).")
        st.stop()
    try:
        portfolio = load_portfolio(source.content, source.name, source.sha256)
    except InputError as error:
        show_refusal(error)
        st.stop()
    return source, portfolio


def actuals_for(source: Source) -> pd.DataFrame | None:
    """Ledger actuals from the store when ``source`` is a stored version (see the Gegevens page)."""
    from ui.store_source import stored_actuals  # it builds on this module's Source

    return stored_actuals(source)


def valuation_year(portfolio: Portfolio) -> int:
    """The valuation year chosen in the sidebar (shared by every page)."""
    return int(st.session_state.get("waarderingsjaar") or portfolio.settings.valuation_year())


def ledger_imports() -> tuple[str, ...]:
    """The SHA-256 of every stored ledger import, oldest first (the ledger's data version)."""
    from ui.store_source import db_key, db_path, stored_history

    key = db_key()
    history = None if key is None else stored_history(str(db_path()), key)
    return () if history is None or history.empty else tuple(history.sort_values("id")["file_sha256"].astype(str))


def official_thresholds(portfolio: Portfolio) -> tuple[Thresholds, ThresholdSource]:
    """The thresholds in force and where they come from: the newest version finance set on the page
    Drempels, else the workbook's sheet ``drempels`` (:func:`igemo_fin.records.threshold_versions.in_force`).
    The store is read once per state of the database, not on every call of a page run."""
    from ui.store_source import db_key, db_path

    key = db_key()
    return in_force(None if key is None else _latest_thresholds(str(db_path()), key), portfolio.thresholds)


@st.cache_data(show_spinner=False, max_entries=16)
def _latest_thresholds(path: str, key: tuple) -> ThresholdVersion | None:
    # key is the database file's state (ui.store_source.db_key): a new threshold version changes it.
    store = app_store()
    return None if store is None else latest_thresholds(store)


def current_basis(*, year: int | None = None, thresholds: Thresholds | None = None, rate_shift_bp: float = 0.0,
                  simulation: SimulationSettings | None = None) -> Basis:
    """The basis every page computes on; ``thresholds``, ``rate_shift_bp`` and ``simulation`` are the
    what-ifs of a page (the Beslissingskader, the Kaskrediet stress, the Risico options)."""
    source, portfolio = require_portfolio()
    official, official_source = official_thresholds(portfolio)
    actuals = actuals_for(source)
    imports = ledger_imports() if actuals is not None else ()
    data = DataVersion(source.sha256, source.name, source.version, imports)
    same = thresholds is None or thresholds == official
    return Basis.of(portfolio, valuation_year=valuation_year(portfolio) if year is None else int(year),
                    thresholds=official if same else thresholds,
                    threshold_source=official_source if same else ThresholdSource("wat-als", official_source.version),
                    rate_shift_bp=rate_shift_bp, simulation=simulation, actuals=actuals, data=data)


def evaluation(*, year: int | None = None, thresholds: Thresholds | None = None, rate_shift_bp: float = 0.0,
               simulation: SimulationSettings | None = None) -> Evaluation:
    """The evaluation of :func:`current_basis` (with the page's what-ifs), as the signed-in user may see
    it: a municipality gets only its own projects (:func:`ui.visibility.filter_for_user`)."""
    return filter_for_user(whole_evaluation(current_basis(year=year, thresholds=thresholds,
                                                          rate_shift_bp=rate_shift_bp, simulation=simulation)))


def whole_evaluation(basis: Basis) -> Evaluation:
    """The evaluation of ``basis`` for the whole portfolio (the risk pages need every project)."""
    source = current_source() or require_portfolio()[0]  # the latter stops the page
    return evaluate_shared(basis_key(source, basis), source, basis)


def show_basis(ev: Evaluation) -> None:
    """The one line under a page's title that says what its figures were computed from, and a warning
    when that is an older stored version of the workbook (chosen on the Gegevens page)."""
    st.caption(as_text(ev.basis.describe()))
    source = current_source()
    if source is not None and not source.latest:
        st.warning(f"U bekijkt {as_text(source.label)}: kies de nieuwste versie op de pagina Gegevens.",
                   icon=":material/history:")
