"""The Gegevens page's uploads: what the import workflow (:mod:`igemo_fin.ingest`) makes of a file, cached.

Nothing here writes: :func:`ledger_upload` and :func:`workbook_upload` run the workflow's steps up to
(not including) storing, cached on the file's SHA-256, the database's state (earlier imports, profiles,
versions) and the choices that change the outcome (the workbook giving project codes and ``rekeningen``,
the columns picked, the sheet). The page stores with :func:`igemo_fin.ingest.store_ledger` /
:func:`~igemo_fin.ingest.store_workbook` once the user confirms.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from igemo_fin.errors import InputError, Problem
from igemo_fin.ingest import LedgerUpload, MappingNeeded, WorkbookUpload, prepare_ledger, prepare_workbook
from igemo_fin.inputs.ledger_mapping import ColumnMapping, LedgerPreview
from igemo_fin.records.store import Store
from igemo_fin.valuation.portfolio import Portfolio
from ui.store_source import db_key, db_path

__all__ = ["LedgerOutcome", "WorkbookOutcome", "ledger_upload", "workbook_upload"]


@dataclass(frozen=True)
class LedgerOutcome:
    """An uploaded ledger export: ready to store, refused, or waiting for the user to pick its columns."""

    filename: str
    sha256: str
    upload: LedgerUpload | None = None
    """Read and validated (or imported before): what storing it will report."""
    problems: tuple[Problem, ...] = ()
    """Why the file is refused (then ``upload`` is None)."""
    preview: LedgerPreview | None = None
    """The header is not recognised and no profile applies: the mapping step shows this."""


def _existing_store() -> Store | None:
    return Store(db_path()) if db_key() is not None else None


@st.cache_data(show_spinner=False, max_entries=8)
def _ledger_upload(sha256: str, filename: str, context: str | None, mapping: str | None, sheet: str | None,
                   key: tuple | None, _data: bytes, _portfolio: Portfolio | None) -> LedgerOutcome:
    # key (the database's state) covers earlier imports and saved profiles; context the workbook
    try:
        upload = prepare_ledger(_data, filename, store=_existing_store(), portfolio=_portfolio, sheet=sheet,
                                mapping=None if mapping is None else ColumnMapping.from_json(mapping))
    except MappingNeeded as needed:
        return LedgerOutcome(filename, sha256, preview=needed.preview, problems=tuple(needed.problems))
    except InputError as error:
        return LedgerOutcome(filename, sha256, problems=tuple(error.problems))
    return LedgerOutcome(filename, sha256, upload)


def ledger_upload(data: bytes, filename: str, portfolio: Portfolio | None, context: str | None, *,
                  mapping: ColumnMapping | None = None, sheet: str | None = None) -> LedgerOutcome:
    """What importing an uploaded ledger export against ``portfolio`` would do.

    ``context`` is the SHA-256 of the workbook that gives the project codes and ``rekeningen``;
    ``mapping`` the columns the user picked (None: recognised, or a saved profile).
    """
    return _ledger_upload(hashlib.sha256(data).hexdigest(), filename, context,
                          None if mapping is None else mapping.as_json(), sheet, db_key(), data, portfolio)


@dataclass(frozen=True)
class WorkbookOutcome:
    """An uploaded portfolio workbook: ready to store (or the latest version already), or refused."""

    filename: str
    upload: WorkbookUpload | None
    problems: tuple[Problem, ...] = ()


@st.cache_data(show_spinner=False, max_entries=4)
def _workbook_upload(sha256: str, filename: str, key: tuple | None, _data: bytes) -> WorkbookOutcome:
    try:
        return WorkbookOutcome(filename, prepare_workbook(_data, filename, store=_existing_store()))
    except InputError as error:
        return WorkbookOutcome(filename, None, tuple(error.problems))


def workbook_upload(data: bytes, filename: str) -> WorkbookOutcome:
    """Read an uploaded workbook and compare it with the latest stored version (cached)."""
    return _workbook_upload(hashlib.sha256(data).hexdigest(), filename, db_key(), data)
