"""The embedded database: its schema (numbered migrations) and the :class:`Store` that serves it.

SQLite by default: one file whose path comes from the ``IGEMO_DB`` environment variable (default
``data/igemo.db``), in WAL mode with ``synchronous=FULL`` and a busy timeout
(:mod:`igemo_fin.records.database`), its schema brought up to date by :data:`MIGRATIONS` (table
``schema_version``). Every import is one transaction: it is stored completely or not at all, even when
the process is killed half-way.

:class:`Store` is the plumbing plus one part per concept: ledger imports
(:mod:`igemo_fin.records.ledger_imports`) and workbook versions (:mod:`igemo_fin.records.workbook_store`).
The decision log, users, the account log and mapping profiles are modules of functions over a store.
The SQL is kept portable (``INSERT ... ON CONFLICT DO NOTHING``, ``RETURNING``, ISO-8601 text dates,
integer cents), so the same table modules serve PostgreSQL for a multi-user deployment: :func:`open_store`
(and :class:`Store`) take a ``postgresql://`` URL as well as a SQLite path; the migrations are
written for SQLite and run on PostgreSQL through :func:`igemo_fin.records.postgres.migration_sql`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from typing import Protocol

import pandas as pd

from igemo_fin.inputs.ledger import LedgerRead
from igemo_fin.records.database import DEFAULT_DB, Migration, db_path_from, default_db_path, file_sha256
from igemo_fin.records.ledger_imports import ImportResult, LedgerImports
from igemo_fin.records.workbook_store import WorkbookVersions

__all__ = [
    "DEFAULT_DB",
    "MIGRATIONS",
    "ImportResult",
    "LedgerStore",
    "Store",
    "default_db_path",
    "db_path_from",
    "open_store",
    "file_sha256",
]

MIGRATIONS: list[Migration] = [
    # 1: ledger imports and lines, workbook versions
    """
    CREATE TABLE ledger_imports (
        id             INTEGER PRIMARY KEY,
        file_sha256    TEXT    NOT NULL UNIQUE,
        filename       TEXT    NOT NULL,
        imported_at    TEXT    NOT NULL,             -- ISO 8601, UTC
        uploader       TEXT,
        rows_read      INTEGER NOT NULL,
        rows_imported  INTEGER NOT NULL,             -- lines new to the database
        rows_skipped   INTEGER NOT NULL,             -- rows listed in LedgerRead.skipped
        total_cents    INTEGER NOT NULL,             -- net of all the file's lines (inflow +)
        file_total_cents INTEGER,                    -- the file's own totals row, when present
        imported_cents INTEGER NOT NULL              -- net of the lines this import added
    );
    CREATE TABLE ledger_lines (
        import_id    INTEGER NOT NULL REFERENCES ledger_imports(id),
        row          INTEGER NOT NULL,
        date         TEXT    NOT NULL,               -- yyyy-mm-dd
        year         INTEGER NOT NULL,
        account      TEXT    NOT NULL,
        project_code TEXT,
        category     TEXT,
        amount_cents INTEGER NOT NULL,               -- inflow +, outflow -
        description  TEXT,
        journal      TEXT,
        document     TEXT,
        fingerprint  TEXT    NOT NULL,
        occurrence   INTEGER NOT NULL,
        UNIQUE (fingerprint, occurrence)
    );
    CREATE INDEX ledger_lines_project_year ON ledger_lines (project_code, year);
    CREATE INDEX ledger_lines_import ON ledger_lines (import_id);
    CREATE TABLE workbook_versions (
        id          INTEGER PRIMARY KEY,
        uploaded_at TEXT NOT NULL,
        uploader    TEXT,
        sha256      TEXT NOT NULL,
        filename    TEXT NOT NULL,
        content     BLOB NOT NULL,
        summary     TEXT NOT NULL                    -- JSON
    );
    """,
    # 2: the board's decision log and the official threshold versions (igemo_fin.records.decisions, igemo_fin.records.threshold_versions). Append-only:
    # the triggers refuse every UPDATE and DELETE; each row carries a SHA-256 chained to the previous row.
    """
    CREATE TABLE threshold_versions (
        id          INTEGER PRIMARY KEY,
        created_at  TEXT NOT NULL,                   -- ISO 8601, UTC
        created_by  TEXT NOT NULL,
        reason      TEXT NOT NULL,
        old_values  TEXT NOT NULL,                   -- JSON {threshold: value}
        new_values  TEXT NOT NULL,                   -- JSON {threshold: value}
        prev_hash   TEXT NOT NULL,
        entry_hash  TEXT NOT NULL UNIQUE
    );
    CREATE TABLE decisions (
        id                 INTEGER PRIMARY KEY,
        project_code       TEXT    NOT NULL,
        decided_at         TEXT    NOT NULL,         -- ISO 8601, UTC
        meeting_date       TEXT    NOT NULL,         -- yyyy-mm-dd
        valuation_year     INTEGER NOT NULL,
        verdict_engine     TEXT,                     -- the model's verdict shown to the board
        verdict_adopted    TEXT    NOT NULL,
        overridden         INTEGER NOT NULL CHECK (overridden IN (0, 1)),
        motivation         TEXT    NOT NULL,
        decided_by         TEXT    NOT NULL,
        data_version       TEXT    NOT NULL,         -- workbook SHA-256 (+ ledger import)
        thresholds_version INTEGER REFERENCES threshold_versions(id),  -- NULL: the workbook's thresholds
        prev_hash          TEXT    NOT NULL,
        entry_hash         TEXT    NOT NULL UNIQUE
    );
    CREATE INDEX decisions_project ON decisions (project_code);
    CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
    BEGIN SELECT RAISE(ABORT, 'het besluitenlogboek kan niet gewijzigd worden (alleen toevoegen)'); END;
    CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
    BEGIN SELECT RAISE(ABORT, 'uit het besluitenlogboek kan niets verwijderd worden (alleen toevoegen)'); END;
    CREATE TRIGGER threshold_versions_no_update BEFORE UPDATE ON threshold_versions
    BEGIN SELECT RAISE(ABORT, 'een drempelversie kan niet gewijzigd worden (alleen toevoegen)'); END;
    CREATE TRIGGER threshold_versions_no_delete BEFORE DELETE ON threshold_versions
    BEGIN SELECT RAISE(ABORT, 'een drempelversie kan niet verwijderd worden (alleen toevoegen)'); END;
    """,
    # 3: local user accounts (igemo_fin.records.users); for OIDC sign-in the username is the e-mail address.
    """
    CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        username      TEXT    NOT NULL UNIQUE,       -- lower case
        password_hash TEXT,                          -- NULL: sign-in through the identity provider only
        role          TEXT    NOT NULL CHECK (role IN ('bestuur', 'financien', 'beheer', 'gemeente')),
        gemeente      TEXT,                          -- the municipality, for role gemeente only
        created_at    TEXT    NOT NULL,              -- ISO 8601, UTC
        active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        CHECK ((role = 'gemeente') = (gemeente IS NOT NULL))
    );
    """,
    # 4: the history of the local accounts (igemo_fin.records.account_log): who changed which account, when, how
    # and why; never a password or its hash. Append-only and hash-chained like the decision log.
    """
    CREATE TABLE account_changes (
        id          INTEGER PRIMARY KEY,
        changed_at  TEXT NOT NULL,                   -- ISO 8601, UTC
        changed_by  TEXT NOT NULL,                   -- signed-in user, --door, or the OS user of the CLI
        via         TEXT NOT NULL CHECK (via IN ('app', 'cli', 'code')),
        os_user     TEXT,                            -- the operating-system user that ran the CLI
        username    TEXT NOT NULL,                   -- the account changed
        action      TEXT NOT NULL CHECK (action IN ('add', 'role', 'disable', 'enable', 'password')),
        old_values  TEXT NOT NULL,                   -- JSON: the account's fields before (no password)
        new_values  TEXT NOT NULL,                   -- JSON: after
        reason      TEXT NOT NULL,                   -- '' when none was given
        prev_hash   TEXT NOT NULL,
        entry_hash  TEXT NOT NULL UNIQUE
    );
    CREATE INDEX account_changes_username ON account_changes (username);
    CREATE TRIGGER account_changes_no_update BEFORE UPDATE ON account_changes
    BEGIN SELECT RAISE(ABORT, 'de accountgeschiedenis kan niet gewijzigd worden (alleen toevoegen)'); END;
    CREATE TRIGGER account_changes_no_delete BEFORE DELETE ON account_changes
    BEGIN SELECT RAISE(ABORT, 'uit de accountgeschiedenis kan niets verwijderd worden (alleen toevoegen)'); END;
    """,
    # 5: failed sign-ins (igemo_fin.records.throttle): shared by every process on the database, kept across restarts.
    """
    CREATE TABLE sign_in_failures (
        id          INTEGER PRIMARY KEY,
        failed_at   REAL NOT NULL,                   -- Unix time [s]
        username    TEXT NOT NULL,                   -- as typed, lower case; '' once that user signed in
        client      TEXT NOT NULL                    -- the browser's address, '' when unknown
    );
    CREATE INDEX sign_in_failures_username ON sign_in_failures (username, failed_at);
    CREATE INDEX sign_in_failures_client ON sign_in_failures (client, failed_at);
    CREATE INDEX sign_in_failures_failed_at ON sign_in_failures (failed_at);
    """,
    # 6: a ledger import counts the lines that feed project actuals (rows_imported) apart from the lines
    # it added to the database (rows_stored), and keeps its report so the same file is answered from it
    """
    ALTER TABLE ledger_imports RENAME COLUMN rows_imported TO rows_stored;
    ALTER TABLE ledger_imports ADD COLUMN rows_imported INTEGER;  -- lines that feed project actuals
    UPDATE ledger_imports SET rows_imported = rows_read - rows_skipped;
    ALTER TABLE ledger_imports ADD COLUMN report TEXT;            -- JSON, igemo_fin.ingest's report
    """,
    # 7: named column mappings of ledger exports (igemo_fin.records.profiles), applied automatically to
    # the next file with the same header
    """
    CREATE TABLE mapping_profiles (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        signature   TEXT NOT NULL UNIQUE,            -- header_signature() of the header it applies to
        mapping     TEXT NOT NULL,                   -- ColumnMapping.as_json()
        saved_by    TEXT NOT NULL,
        saved_at    TEXT NOT NULL                    -- ISO 8601, UTC
    );
    """,
    # 8: no index on (project_code, year): the actuals are one GROUP BY over every line, which reads the
    # table in order faster than through that index (0.13 s instead of 0.29 s for 200,000 lines), and
    # each imported line no longer updates it
    """
    DROP INDEX IF EXISTS ledger_lines_project_year;
    """,
    # 9: the store's generation (igemo_fin.records.database.Database.generation): one row that every write
    # transaction moves, so that the dashboard's caches see each committed write, however fast
    """
    CREATE TABLE store_generation (
        n      INTEGER NOT NULL,                     -- write transactions committed
        token  TEXT    NOT NULL                      -- random, new with every write
    );
    INSERT INTO store_generation (n, token) VALUES (0, '');
    """,
]
"""Schema migrations, in order: migration ``n`` (1-based) takes the schema from version n-1 to n.

Each is SQLite SQL that also runs on PostgreSQL after :func:`igemo_fin.records.postgres.migration_sql`
(column types, append-only triggers), or a ``{"sqlite": ..., "postgresql": ...}`` dict where the two
need different text. Append new migrations at the end; never edit one that a database may have had."""


class LedgerStore(Protocol):
    """What the dashboard and the CLI need from a store; SQLite implements it (:class:`Store`)."""

    def import_ledger(self, read: LedgerRead, *, file_sha256: str, filename: str,
                      uploader: str | None, report: dict | None = None) -> ImportResult: ...
    def find_import(self, file_sha256: str) -> dict | None: ...
    def ledger_lines(self) -> pd.DataFrame: ...
    def ledger_actuals(self, known_projects: Iterable[str] | None = None,
                       rekeningen: pd.DataFrame | None = None) -> pd.DataFrame: ...
    def import_history(self) -> pd.DataFrame: ...
    def add_workbook_version(self, content: bytes, filename: str, uploader: str | None,
                             summary: dict) -> int: ...
    def latest_workbook(self) -> tuple[int, bytes] | None: ...
    def workbook_versions(self) -> pd.DataFrame: ...
    def workbook_content(self, version_id: int) -> bytes: ...


class Store(LedgerImports, WorkbookVersions):
    """The store (SQLite file or PostgreSQL database), its schema brought up to date when it is opened.

    Takes the parameters of :class:`igemo_fin.records.database.Database` (the file, and a clock for
    tests), which also gives the plumbing (:meth:`connect`, :meth:`transaction`, :meth:`query_frame`,
    :meth:`now`); see there for connections and locking.
    """

    def __init__(self, path: str | os.PathLike | None = None, *,
                 clock: Callable[[], dt.datetime] | None = None):
        super().__init__(path, clock=clock)
        self.migrate(MIGRATIONS)


def open_store(target: str | os.PathLike | None = None) -> Store:
    """Open the store named by a path, ``sqlite:///`` or ``postgresql://`` URL (see :func:`db_path_from`)."""
    return Store(db_path_from(target))
