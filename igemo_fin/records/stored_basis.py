"""The basis of what is stored: a workbook (a stored version or a file), the ledger actuals of its
projects and the official thresholds in force, with where each came from.

The command line (``evaluate --db``, ``boardpack --db``) and the dashboard both build their basis
here, so for the same database they apply the same thresholds to the same data and give the same
verdicts.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from igemo_fin.records.audit import latest_thresholds
from igemo_fin.records.store import Store
from igemo_fin.valuation.basis import OFFICIAL, WORKBOOK, Basis, DataVersion, SimulationSettings, ThresholdSource
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.thresholds import Thresholds

__all__ = ["thresholds_in_force", "stored_ledger", "stored_basis"]


def thresholds_in_force(store: Store | None, portfolio: Portfolio) -> tuple[Thresholds, ThresholdSource]:
    """The official thresholds (the newest version finance stored) and their provenance, else the
    workbook's ``drempels``: a stored version outranks the sheet of every workbook uploaded after it."""
    latest = None if store is None else latest_thresholds(store)
    if latest is None:
        return portfolio.thresholds, ThresholdSource(WORKBOOK)
    return latest.thresholds(), ThresholdSource(OFFICIAL, int(latest.id), latest.created_by, latest.created_at)


def stored_ledger(store: Store, portfolio: Portfolio) -> tuple[pd.DataFrame | None, tuple[str, ...]]:
    """The ledger actuals of the portfolio's projects (``project_code, jaar, categorie, bedrag``, signed
    [EUR]; None when there are none) and the SHA-256 of every stored ledger import, oldest first."""
    actuals = store.ledger_actuals(known_projects=portfolio.project_codes, rekeningen=portfolio.accounts)
    history = store.import_history()
    imports = tuple(history.sort_values("id")["file_sha256"].astype(str)) if not history.empty else ()
    return (None if actuals.empty else actuals), imports


def stored_basis(store: Store | None, portfolio: Portfolio, content: bytes | None = None, *,
                 workbook_version: int | None = None, with_ledger: bool = True,
                 valuation_year: int | None = None, rate_shift_bp: float = 0.0,
                 simulation: SimulationSettings | None = None) -> Basis:
    """The basis of ``portfolio`` with what ``store`` holds.

    Parameters
    ----------
    store : Store or None
        The database; None: the workbook alone, with its own thresholds.
    portfolio : Portfolio
        The workbook to evaluate (a stored version, or a file).
    content : bytes, optional
        The workbook's bytes, for its SHA-256 in the data version.
    workbook_version : int, optional
        The stored version id, when the workbook is one.
    with_ledger : bool
        Take the stored ledger actuals (the dashboard shows a file or the demo data as they are).
    """
    thresholds, source = thresholds_in_force(store, portfolio)
    actuals, imports = (None, ())
    if store is not None and with_ledger:
        actuals, imports = stored_ledger(store, portfolio)
    data = DataVersion(workbook_sha256=None if content is None else hashlib.sha256(content).hexdigest(),
                       workbook_name=portfolio.source_name, workbook_version=workbook_version,
                       ledger_imports=imports if actuals is not None else ())
    return Basis.of(portfolio, valuation_year=valuation_year, thresholds=thresholds, threshold_source=source,
                    rate_shift_bp=rate_shift_bp, simulation=simulation, actuals=actuals, data=data)
