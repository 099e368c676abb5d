"""Where the database is, and what is stored in it read back: the latest portfolio and its actuals.

``--db`` values (paths or ``sqlite:///`` URLs) become :class:`~igemo_fin.errors.InputError` when they
name another kind of database; reading never creates a database file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from igemo_fin.errors import InputError, Problem
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.records.database import db_path_from
from igemo_fin.records.store import Store
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["db_file", "existing_store", "latest_portfolio", "load_from_db"]


def db_file(target: str | os.PathLike | None) -> Path:
    """The SQLite file a ``--db`` value names: a path or a ``sqlite:///`` URL; default ``$IGEMO_DB``.

    Raises
    ------
    InputError
        Another kind of URL (``postgresql://``): not supported by this version.
    """
    try:
        return db_path_from(target)
    except ValueError as refused:
        raise InputError([Problem(None, None, None, str(refused))], file=os.fspath(target)) from None


def existing_store(target: str | os.PathLike | None) -> Store | None:
    """The store when its file exists, else None (reading never creates a database)."""
    path = db_file(target)
    return Store(path) if path.is_file() else None


def latest_portfolio(store: Store | None) -> tuple[int, Portfolio] | None:
    """The latest stored workbook version, read: ``(version id, portfolio)``, or None."""
    if store is None:
        return None
    versions = store.workbook_versions()
    if versions.empty:
        return None
    row = versions.iloc[0]
    return int(row["id"]), read_workbook(store.workbook_content(int(row["id"])), filename=str(row["filename"]))


def load_from_db(db_path: str | os.PathLike | None, *, workbook: str | os.PathLike | None = None,
                 version: int | None = None) -> tuple[Portfolio, pd.DataFrame | None]:
    """What ``evaluate --db`` evaluates: a portfolio and the stored ledger actuals of its projects.

    Parameters
    ----------
    db_path : path or ``sqlite:///`` URL, optional
        The database (default ``$IGEMO_DB``). It is never created by this call.
    workbook : path, optional
        Evaluate this workbook instead of a stored version (with the stored actuals).
    version : int, optional
        A stored version id instead of the latest.

    Returns
    -------
    portfolio : Portfolio
    actuals : pandas.DataFrame or None
        ``project_code, jaar, categorie, bedrag`` (signed [EUR]) of the portfolio's projects, all
        years (``evaluate`` uses the years before ``V``); None when the ledger has none.

    Raises
    ------
    InputError
        No database file, no workbook version in it, or the workbook is refused.
    """
    path = db_file(db_path)
    store = existing_store(db_path)
    if store is None:
        raise InputError([Problem(None, None, None, f"de databank '{path}' bestaat niet")], file=str(path))
    if workbook is not None:
        portfolio = read_workbook(workbook)
    elif version is not None:
        versions = store.workbook_versions()
        match = versions[versions["id"] == int(version)]
        if match.empty:
            raise InputError([Problem(None, None, None, f"geen portefeuilleversie {version} in de databank")],
                             file=str(path))
        portfolio = read_workbook(store.workbook_content(int(version)), filename=str(match.iloc[0]["filename"]))
    else:
        latest = latest_portfolio(store)
        if latest is None:
            raise InputError([Problem(None, None, None, "de databank bevat nog geen portefeuillewerkboek: "
                                      "laad er een op met 'python -m igemo_fin workbook import'")], file=str(path))
        portfolio = latest[1]
    actuals = store.ledger_actuals(known_projects=portfolio.project_codes, rekeningen=portfolio.accounts)
    return portfolio, (None if actuals.empty else actuals)
