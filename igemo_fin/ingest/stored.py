"""Where the database is, and what is stored in it read back: the latest portfolio, and the basis of
what is stored (workbook version, ledger actuals, thresholds in force).

``--db`` values (paths, ``sqlite:///`` or ``postgresql://`` URLs) become :class:`~igemo_fin.errors.InputError`
when they name another kind of database; reading never creates a database file.
"""

from __future__ import annotations

import os
from pathlib import Path

from igemo_fin.errors import InputError, Problem
from typing import TYPE_CHECKING

from igemo_fin.records.location import db_exists, db_path_from

if TYPE_CHECKING:
    from igemo_fin.records.store import Store
    from igemo_fin.valuation.basis import Basis
    from igemo_fin.valuation.portfolio import Portfolio

# The reader, the store and the engine are imported where they are used: ``db_file`` serves the
# command line's quick answer to a file imported before, which must not wait for them to load.

__all__ = ["db_file", "existing_store", "latest_portfolio", "basis_from_db", "read_file"]


def db_file(target: str | os.PathLike | None) -> Path | str:
    """The database a ``--db`` value names: a SQLite path (also as ``sqlite:///`` URL) or a
    ``postgresql://`` URL (returned as it is); default ``$IGEMO_DB``.

    Raises
    ------
    InputError
        Another kind of URL (``mysql://``): not supported.
    """
    try:
        return db_path_from(target)
    except ValueError as refused:
        raise InputError([Problem(None, None, None, str(refused))], file=os.fspath(target)) from None


def existing_store(target: str | os.PathLike | None) -> Store | None:
    """The store when its file exists (a PostgreSQL database always does), else None (reading never
    creates a database)."""
    from igemo_fin.records.store import Store

    path = db_file(target)
    return Store(path) if db_exists(path) else None


def latest_portfolio(store: Store | None) -> tuple[int, Portfolio] | None:
    """The latest stored workbook version, read: ``(version id, portfolio)``, or None."""
    if store is None:
        return None
    versions = store.workbook_versions()
    if versions.empty:
        return None
    from igemo_fin.inputs.workbook import read_workbook  # loaded only when there is a workbook to read

    row = versions.iloc[0]
    return int(row["id"]), read_workbook(store.workbook_content(int(row["id"])), filename=str(row["filename"]))


def basis_from_db(db_path: str | os.PathLike | None, *, workbook: str | os.PathLike | None = None,
                  version: int | None = None, **options) -> Basis:
    """What ``evaluate --db`` and ``boardpack --db`` compute on: the latest (or a chosen) stored workbook
    version, or ``workbook``, with the stored ledger actuals of its projects and the thresholds in force
    (:func:`~igemo_fin.records.stored_basis.stored_basis`, as the dashboard builds it).

    Parameters
    ----------
    db_path : path, ``sqlite:///`` or ``postgresql://`` URL, optional
        The database (default ``$IGEMO_DB``). It is never created by this call.
    workbook : path, optional
        Evaluate this workbook instead of a stored version (with the stored actuals).
    version : int, optional
        A stored version id instead of the latest.
    **options
        ``valuation_year``, ``rate_shift_bp``, ``simulation`` of the basis.

    Raises
    ------
    InputError
        No database file, no workbook version in it, or the workbook is refused.
    """
    from igemo_fin.inputs.workbook import read_workbook
    from igemo_fin.records.stored_basis import stored_basis

    path = db_file(db_path)
    store = existing_store(db_path)
    if store is None:
        raise InputError([Problem(None, None, None, f"de databank '{path}' bestaat niet")], file=str(path))
    if workbook is not None:
        content, name, version = read_file(workbook), Path(workbook).name, None
    else:
        versions = store.workbook_versions()
        if versions.empty:
            raise InputError([Problem(None, None, None, "de databank bevat nog geen portefeuillewerkboek: "
                                      "laad er een op met 'python -m igemo_fin workbook import'")], file=str(path))
        version = int(versions.iloc[0]["id"]) if version is None else int(version)
        match = versions[versions["id"] == version]
        if match.empty:
            raise InputError([Problem(None, None, None, f"geen portefeuilleversie {version} in de databank")],
                             file=str(path))
        content, name = store.workbook_content(version), str(match.iloc[0]["filename"])
    portfolio = read_workbook(content, filename=name)
    return stored_basis(store, portfolio, content, workbook_version=version, **options)


def read_file(path: str | os.PathLike) -> bytes:
    """A file's bytes; a missing or unreadable file is an :class:`~igemo_fin.errors.InputError`."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(None, None, None, "het bestand is niet gevonden")], file=os.fspath(path)) from None
    except OSError as exc:
        raise InputError([Problem(None, None, None, "het bestand kan niet gelezen worden "
                                                    f"({exc.strerror or exc})")], file=os.fspath(path)) from None
