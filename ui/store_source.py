"""The embedded store as the dashboard's data source, and the support functions of the Gegevens page.

:mod:`ui.state` asks this module for two things:

* :func:`latest_store_source`: the workbook version to show. The version picked on the Gegevens page
  (``st.session_state["gegevens_versie"]``, a version id) when it exists, else the latest version;
  ``None`` when the database file does not exist (it is never created just by reading) or holds no
  version. ``IGEMO_WORKBOOK`` still takes priority: :func:`ui.state.current_source` only asks the
  store when that variable is not set.
* :func:`stored_actuals`: the ledger actuals of the shown workbook's projects when that workbook is a
  stored version, else ``None``: a file named by ``IGEMO_WORKBOOK`` and the demo workbook (fictive
  data) are shown as they are, so the store's ledger never changes them behind the user's back.

Both are cached on the database's generation (:func:`db_key`), which every
committed write moves: a rerun reads one row, and a new import or version is seen at once.
The rest of the module is what the Gegevens page shows: pure functions that turn the engine's frames
into Dutch tables (numbers stay numeric; the page formats them the Belgian way). The cached previews
of an uploaded file are in :mod:`ui.uploads`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from igemo_fin.columns import CATEGORIES, CATEGORY_LABELS
from igemo_fin.errors import InputError
from igemo_fin.fmt import local_time
from igemo_fin.ingest import COUNT_LABELS
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.records.database import Database
from igemo_fin.records.store import Store, default_db_path
from ui.state import Source

__all__ = [
    "STATE_KEY",
    "db_path",
    "db_key",
    "latest_store_source",
    "stored_actuals",
    "version_label",
    "totals_table",
    "skipped_tables",
    "lines_table",
    "history_table",
    "versions_table",
    "changes_tables",
    "realised_table",
    "past_table",
    "stored_versions",
    "stored_history",
    "stored_profiles",
    "stored_quality",
    "stored_portfolio_actuals",
]

STATE_KEY = "gegevens_versie"
"""Session-state key of the workbook version chosen on the Gegevens page (an int id; None = latest)."""

CATEGORY_NL = {**CATEGORY_LABELS, "negeren": "Negeren", "geen categorie": "Geen categorie"}



# --------------------------------------------------------------------------- where the store is

def db_path() -> Path | str:
    """The database file (``IGEMO_DB`` or ``data/igemo.db``), or its ``postgresql://`` URL."""
    return default_db_path()


def db_key(path: Path | str | None = None) -> tuple | None:
    """What identifies the database's state for the caches, or None when the file does not exist.

    The target and its generation (:mod:`igemo_fin.records.generation`): every committed write
    transaction moves it, whichever process made it, and a read leaves it as it is. Before the schema
    has the generation it is None (the first store opened on the database migrates it, which moves
    the key).
    """
    path = db_path() if path is None else path
    if isinstance(path, str):
        return (path, Database(path).generation())
    try:
        return (str(path.resolve()), Database(path).generation())
    except FileNotFoundError:
        return None


def version_label(version_id: int, uploaded_at, filename: str, *, latest: bool = True) -> str:
    """``'Versie 3 van 27/11/2026 (portefeuille.xlsx)'`` (plus ``', niet de nieuwste'`` for an older one)."""
    day = local_time(uploaded_at).split(" ")[0]
    label = f"Versie {int(version_id)} van {day} ({filename})"
    return label if latest else label + ", niet de nieuwste"


# --------------------------------------------------------------------------- cached store reads

@st.cache_data(show_spinner=False, max_entries=16)
def stored_versions(path: str, key: tuple) -> pd.DataFrame:
    """Workbook versions without content, newest first (:meth:`Store.workbook_versions`)."""
    return Store(path).workbook_versions()


@st.cache_data(show_spinner=False, max_entries=16)
def stored_history(path: str, key: tuple) -> pd.DataFrame:
    """The ledger import history, newest first (:meth:`Store.import_history`)."""
    return Store(path).import_history()


@st.cache_data(show_spinner=False, max_entries=16)
def stored_profiles(path: str, key: tuple) -> list:
    """The saved column mappings of ledger exports (:func:`igemo_fin.records.profiles.list_profiles`)."""
    from igemo_fin.records.profiles import list_profiles

    return list_profiles(Store(path))


# cache_resource: a Source is immutable (frozen, bytes), and st.cache_data would unpickle the whole
# workbook's bytes on each of the several reads of a page run.
@st.cache_resource(show_spinner=False, max_entries=8)
def _version_source(path: str, key: tuple, version_id: int, latest: bool) -> Source:
    versions = stored_versions(path, key)
    row = versions[versions["id"] == version_id].iloc[0]
    content = Store(path).workbook_content(version_id)
    return Source(content, str(row["filename"]), version_label(version_id, row["uploaded_at"], row["filename"],
                                                               latest=latest),
                  hashlib.sha256(content).hexdigest(), False, version=version_id, latest=latest)


def latest_store_source() -> Source | None:
    """The chosen (``gegevens_versie``) or latest workbook version in the store; None without one."""
    key = db_key()
    if key is None:
        return None
    path = str(db_path())
    versions = stored_versions(path, key)
    if versions.empty:
        return None
    ids = [int(v) for v in versions["id"]]
    chosen = st.session_state.get(STATE_KEY)
    version_id = int(chosen) if chosen is not None and int(chosen) in ids else ids[0]
    return _version_source(path, key, version_id, version_id == ids[0])


@st.cache_data(show_spinner=False, max_entries=16)
def _actuals(path: str, key: tuple, sha256: str, _codes: tuple[str, ...],
             _rekeningen: pd.DataFrame | None) -> pd.DataFrame | None:
    # sha256 identifies the workbook, hence its project codes and account mapping (not hashed again).
    frame = Store(path).ledger_actuals(known_projects=list(_codes), rekeningen=_rekeningen)
    return None if frame.empty else frame


def _portfolio_of(source: Source) -> Portfolio | None:
    from ui.state import load_portfolio

    try:
        return load_portfolio(source.content, source.name, source.sha256)
    except InputError:
        return None


def stored_actuals(source: Source) -> pd.DataFrame | None:
    """The store's ledger actuals of ``source``'s projects (``project_code, jaar, categorie, bedrag``).

    Only for a workbook that is a stored version (its SHA-256 is in the store): the store's versions
    come with the store's ledger. A file named by ``IGEMO_WORKBOOK`` (unless identical to a stored
    version) and the demo workbook (fictive data) are shown as they are. None as well without a
    database, for a refused workbook, or when the ledger has no line on any of its projects. Cached on
    the database's state and the workbook's SHA-256.
    """
    if source.is_demo:
        return None
    key = db_key()
    if key is None:
        return None
    path = str(db_path())
    if source.sha256 not in set(stored_versions(path, key)["sha256"]):
        return None
    portfolio = _portfolio_of(source)
    if portfolio is None:
        return None
    return _actuals(path, key, source.sha256, tuple(portfolio.project_codes), portfolio.accounts)


def stored_portfolio_actuals(source: Source | None, portfolio: Portfolio | None) -> pd.DataFrame | None:
    """The actuals the Gegevens page compares with ``portfolio``: as :func:`stored_actuals`, the demo included."""
    key = db_key()
    if key is None or source is None or portfolio is None:
        return None
    return _actuals(str(db_path()), key, source.sha256, tuple(portfolio.project_codes), portfolio.accounts)


@st.cache_data(show_spinner=False, max_entries=8)
def stored_quality(path: str, key: tuple, sha256: str | None, _portfolio: Portfolio | None):
    """:func:`igemo_fin.valuation.realised.ledger_quality` of every stored line against the shown portfolio."""
    from igemo_fin.valuation.realised import ledger_quality

    return ledger_quality(Store(path).ledger_lines(), _portfolio)


# --------------------------------------------------------------------------- tables (pure)

def totals_table(lines: pd.DataFrame) -> pd.DataFrame:
    """Signed totals [EUR] per project (rows) and category (columns, Dutch), with a ``Totaal`` column.

    ``lines``: ``project_code, category, amount_cents`` (e.g. :attr:`LedgerRead.actual_lines`).
    """
    columns = [CATEGORY_NL[c] for c in CATEGORIES]
    if lines.empty:
        return pd.DataFrame(columns=["Project", *columns, "Totaal"])
    cents = lines.pivot_table(index="project_code", columns="category", values="amount_cents", aggfunc="sum",
                              fill_value=0)
    cents = cents.reindex(columns=[c for c in CATEGORIES if c in cents.columns])
    table = (cents / 100.0).rename(columns=CATEGORY_NL)
    table["Totaal"] = cents.sum(axis=1) / 100.0
    table = table.reset_index().rename(columns={"project_code": "Project"})
    table.columns.name = None
    return table


def skipped_tables(skipped: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The skipped rows (``Rij, Reden, Bedrag``) and their sums per kind (``Soort, Regels, Bedrag``) [EUR]."""
    words = {"negeren": "Rekening genegeerd", "geen_categorie": "Rekening zonder categorie",
             "geen_project": "Geen projectcode", "onbekend_project": "Onbekende projectcode",
             "tussentotaal": "Tussentotaal", "geen_boeking": "Geen boeking"}
    detail = pd.DataFrame({"Rij": skipped["row"].astype("int64"), "Reden": skipped["reason"],
                           "Bedrag": skipped["amount_cents"].astype("int64") / 100.0})
    if skipped.empty:
        return detail, pd.DataFrame(columns=["Soort", "Regels", "Bedrag"])
    sums = skipped.groupby("code", sort=False).agg(Regels=("row", "size"), cents=("amount_cents", "sum")).reset_index()
    by_kind = pd.DataFrame({"Soort": sums["code"].map(words).fillna(sums["code"]), "Regels": sums["Regels"],
                            "Bedrag": sums["cents"].astype("int64") / 100.0})
    return detail, by_kind


def lines_table(lines: pd.DataFrame, limit: int = 500) -> pd.DataFrame:
    """The first ``limit`` lines of a read ledger as finance reads them."""
    head = lines.head(limit)
    return pd.DataFrame({
        "Rij": head["row"].astype("int64"),
        "Datum": head["date"].dt.strftime("%d/%m/%Y"),
        "Rekening": head["account"],
        "Project": head["project_code"],
        "Categorie": head["category"].map(CATEGORY_NL).fillna("Geen categorie"),
        "Bedrag": head["amount_cents"].astype("int64") / 100.0,
        "Omschrijving": head["description"],
    })


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The import history (:meth:`Store.import_history`) as a Dutch table, newest first; the counts carry
    the words of the import report (:data:`igemo_fin.ingest.COUNT_LABELS`)."""
    return pd.DataFrame({
        "Geïmporteerd op": [local_time(v) for v in history["imported_at"]],
        "Bestand": history["filename"],
        "Door": history["uploader"].fillna("–"),
        **{COUNT_LABELS[c]: history[c].astype("int64")
           for c in ("rows_read", "rows_imported", "rows_skipped", "rows_stored")},
        "Saldo bestand": history["total_cents"].astype("int64") / 100.0,
        "Saldo toegevoegd": history["imported_cents"].astype("int64") / 100.0,
    })


def versions_table(versions: pd.DataFrame, shown: int | None = None) -> pd.DataFrame:
    """The workbook versions (:meth:`Store.workbook_versions`) with their summary of changes in words."""
    from igemo_fin.records.versions import describe_changes

    return pd.DataFrame({
        "Versie": versions["id"].astype("int64"),
        "Opgeladen op": [local_time(v) for v in versions["uploaded_at"]],
        "Bestand": versions["filename"],
        "Door": versions["uploader"].fillna("–"),
        "Getoond": ["●" if shown is not None and int(v) == int(shown) else "" for v in versions["id"]],
        "Wijzigingen": [describe_changes(s) for s in versions["summary"]],
    })


def changes_tables(summary: dict) -> dict[str, pd.DataFrame]:
    """The parts of a summary (:func:`igemo_fin.records.versions.workbook_changes`) as tables, only those not empty."""
    out: dict[str, pd.DataFrame] = {}
    totals = summary.get("totals_changed") or []
    if totals:
        out["Totalen gewijzigd"] = pd.DataFrame({
            "Project": [t["project_code"] for t in totals],
            "Versie": [t["versie"] for t in totals],
            "Kosten voor": [t["costs_before"] for t in totals],
            "Kosten na": [t["costs_after"] for t in totals],
            "Opbrengsten voor": [t["revenues_before"] for t in totals],
            "Opbrengsten na": [t["revenues_after"] for t in totals],
            "Netto verschil": [t["net_change"] for t in totals],
        })
    fields = summary.get("project_fields_changed") or []
    if fields:
        out["Projectgegevens gewijzigd"] = pd.DataFrame({
            "Project": [f["project_code"] for f in fields],
            "Gegeven": [f["field"] for f in fields],
            "Voor": ["–" if f["before"] is None else str(f["before"]) for f in fields],
            "Na": ["–" if f["after"] is None else str(f["after"]) for f in fields],
        })
    return out


def realised_table(realised: pd.DataFrame) -> pd.DataFrame:
    """:func:`igemo_fin.valuation.realised.realised_this_year` in Dutch: amounts [EUR] as numbers, the shares as
    text (``'16,7 %'``, ``'–'`` without a forecast: Streamlit would show an empty number as "None")."""
    from igemo_fin.fmt import pct

    return pd.DataFrame({
        "Code": realised["project_code"],
        "Kosten prognose": realised["forecast_costs"],
        "Kosten gerealiseerd": realised["realised_costs"],
        "Kosten %": realised["costs_pct"].map(lambda v: pct(v, 1)),
        "Opbrengsten prognose": realised["forecast_revenues"],
        "Opbrengsten gerealiseerd": realised["realised_revenues"],
        "Opbrengsten %": realised["revenues_pct"].map(lambda v: pct(v, 1)),
    })


def past_table(past: pd.DataFrame) -> pd.DataFrame:
    """:func:`igemo_fin.valuation.realised.actuals_against_forecast` in Dutch: costs and revenues [EUR], forecast
    against ledger, and the difference of the net flow (ledger - forecast)."""
    return pd.DataFrame({
        "Code": past["project_code"],
        "Jaar": past["jaar"].astype("int64").astype(str),
        "Kosten prognose": past["forecast_costs"],
        "Kosten werkelijk": past["actual_costs"],
        "Opbrengsten prognose": past["forecast_revenues"],
        "Opbrengsten werkelijk": past["actual_revenues"],
        "Verschil netto": past["difference"],
    })
