"""The embedded database: imported ledger lines and portfolio-workbook versions.

SQLite by default: one file whose path comes from the ``IGEMO_DB`` environment variable (default
``data/igemo.db``), in WAL mode with ``synchronous=FULL`` and a busy timeout, its schema brought up to
date by numbered migrations (table ``schema_version``). Every import is one transaction: it is stored
completely or not at all, even when the process is killed half-way.

The SQL is kept portable (``INSERT ... ON CONFLICT DO NOTHING``, ``RETURNING``, ISO-8601 text dates,
integer cents) and all of it goes through :class:`Store`'s public plumbing (:meth:`Store.connect`,
:meth:`Store.transaction`, :meth:`Store.query_frame`, the ``?`` placeholders), so a PostgreSQL backend for a multi-user deployment is a
second implementation of :class:`LedgerStore` with its own connection and migration list, not a
rewrite of the callers. :func:`open_store` is where that choice would be made; today it accepts
SQLite paths and ``sqlite:///`` URLs and says so for anything else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from igemo_fin.fmt import local_time
from igemo_fin.inputs.accounts import CATEGORIES, categorize_accounts
from igemo_fin.inputs.ledger import LedgerRead, actuals_by_year, match_project_codes

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

DEFAULT_DB = "data/igemo.db"
"""Database path when ``IGEMO_DB`` is not set (relative to the working directory)."""
BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another one [ms] before giving up."""

MIGRATIONS: list[str] = [
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
]
"""Schema migrations, in order: migration ``n`` (1-based) takes the schema from version n-1 to n."""

_LINE_FIELDS = ("row", "date", "year", "account", "project_code", "category", "amount_cents",
                "description", "journal", "document", "fingerprint", "occurrence")


def default_db_path() -> Path:
    """The database path: ``$IGEMO_DB`` or :data:`DEFAULT_DB`."""
    return Path(os.environ.get("IGEMO_DB") or DEFAULT_DB)


def file_sha256(data: bytes) -> str:
    """SHA-256 of a file's bytes, hex.

    >>> file_sha256(b"")[:16]
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    import_id: int
    """Id of the import in ``ledger_imports`` (the earlier one when already imported)."""
    file_sha256: str
    already_imported: bool
    """The same file (same SHA-256) was imported before; nothing was added."""
    imported_at: str
    """When the file was (first) imported: ISO 8601, UTC."""
    rows_read: int
    rows_imported: int
    """Lines new to the database (0 when already imported)."""
    rows_already_present: int
    """Lines of this file that an earlier, overlapping export had already stored."""
    total_cents: int
    """Net of all the file's lines [cents], inflow +."""

    @property
    def message(self) -> str:
        """One Dutch sentence for finance."""
        if self.already_imported:
            return f"al geïmporteerd op {local_time(self.imported_at, joiner=' om ')}: niets toegevoegd"
        text = f"{self.rows_imported} regel(s) toegevoegd"
        if self.rows_already_present:
            text += f", {self.rows_already_present} al aanwezig uit een eerdere export"
        return text


class LedgerStore(Protocol):
    """What the dashboard and the CLI need from a store; SQLite implements it (:class:`Store`)."""

    def import_ledger(self, read: LedgerRead, *, file_sha256: str, filename: str,
                      uploader: str | None) -> ImportResult: ...
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


def _statements(script: str) -> list[str]:
    """Split a SQL script into complete statements (semicolons inside strings are respected)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError(f"onvolledige SQL-opdracht in migratie: {current.strip()[:60]}")
    return statements


class Store:
    """The SQLite store.

    Parameters
    ----------
    path : str or os.PathLike, optional
        Database file; default :func:`default_db_path`. Its folder is created when missing.
    clock : callable, optional
        Returns the current time (aware datetime); for tests. Default: UTC now.

    Notes
    -----
    A connection is opened per operation (cheap for SQLite), so one ``Store`` can serve several
    threads (Streamlit sessions) and survives a fork. Writers take the database lock at the start of
    their transaction (``BEGIN IMMEDIATE``); readers never block in WAL mode.
    """

    def __init__(self, path: str | os.PathLike | None = None, *,
                 clock: Callable[[], dt.datetime] | None = None):
        self.path = Path(path) if path is not None else default_db_path()
        self._clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._migrate()

    # --- plumbing -------------------------------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for reads (and for writes that manage their own transaction)."""
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        with self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def now(self) -> str:
        return self._clock().astimezone(dt.timezone.utc).isoformat(timespec="seconds")

    def _migrate(self) -> None:
        with self.transaction() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version "
                         "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            current = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
            if current > len(MIGRATIONS):
                raise RuntimeError(
                    f"de database {self.path} heeft schemaversie {current}, nieuwer dan deze versie van "
                    f"de toepassing ({len(MIGRATIONS)})"
                )
            for version in range(current + 1, len(MIGRATIONS) + 1):
                for statement in _statements(MIGRATIONS[version - 1]):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                             (version, self.now()))

    def schema_version(self) -> int:
        """The schema version of the database file."""
        with self.connect() as conn:
            return conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: ``"ok"`` for a sound database file."""
        with self.connect() as conn:
            return "\n".join(r[0] for r in conn.execute("PRAGMA integrity_check"))

    def query_frame(self, sql: str, params: tuple = ()) -> pd.DataFrame:
        with self.connect() as conn:
            cursor = conn.execute(sql, params)
            columns = [d[0] for d in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=columns)

    # --- ledger ---------------------------------------------------------------------------------

    def find_import(self, file_sha256: str) -> dict | None:
        """The earlier import of a file with this SHA-256, as a dict of ``ledger_imports``, or None."""
        frame = self.query_frame("SELECT * FROM ledger_imports WHERE file_sha256 = ?", (file_sha256,))
        return None if frame.empty else frame.iloc[0].to_dict()

    def import_ledger(self, read: LedgerRead, *, file_sha256: str, filename: str,
                      uploader: str | None) -> ImportResult:
        """Store a validated ledger export in one transaction.

        Parameters
        ----------
        read : LedgerRead
            From :func:`~igemo_fin.inputs.ledger.read_ledger`; all its valid lines are stored (the actuals
            filter is applied when reading them back, so a project added later counts).
        file_sha256 : str
            SHA-256 of the file's bytes (:func:`file_sha256`).
        filename, uploader : str
            For the import history.

        Returns
        -------
        ImportResult
            ``already_imported`` with the first import's date when the same file was imported
            before (nothing added); else the number of lines new to the database: lines whose
            ``(fingerprint, occurrence)`` an earlier overlapping export stored are not added again.
        """
        lines = read.lines
        records = list(zip(*(_column_values(lines, f) for f in _LINE_FIELDS))) if len(lines) else []
        total = int(sum(r[6] for r in records))
        with self.transaction() as conn:
            earlier = conn.execute("SELECT id, imported_at FROM ledger_imports WHERE file_sha256 = ?",
                                   (file_sha256,)).fetchone()
            if earlier is not None:
                return ImportResult(earlier[0], file_sha256, True, earlier[1], read.rows_read, 0, 0, total)
            imported_at = self.now()
            import_id = conn.execute(
                "INSERT INTO ledger_imports (file_sha256, filename, imported_at, uploader, rows_read, "
                "rows_imported, rows_skipped, total_cents, file_total_cents, imported_cents) "
                "VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, 0) RETURNING id",
                (file_sha256, filename, imported_at, uploader, read.rows_read, len(read.skipped), total,
                 read.file_total_cents),
            ).fetchone()[0]
            conn.executemany(
                "INSERT INTO ledger_lines (import_id, row, date, year, account, project_code, category, "
                "amount_cents, description, journal, document, fingerprint, occurrence) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (fingerprint, occurrence) DO NOTHING",
                ((import_id, *r) for r in records),
            )
            added, added_cents = conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM ledger_lines WHERE import_id = ?",
                (import_id,),
            ).fetchone()
            conn.execute("UPDATE ledger_imports SET rows_imported = ?, imported_cents = ? WHERE id = ?",
                         (added, added_cents, import_id))
        return ImportResult(import_id, file_sha256, False, imported_at, read.rows_read, added,
                            len(records) - added, total)

    def ledger_lines(self) -> pd.DataFrame:
        """Every stored line: ``import_id`` and the columns of :data:`~igemo_fin.inputs.ledger.LINE_COLUMNS`
        (``date`` as datetime64), in import and row order."""
        frame = self.query_frame("SELECT import_id, " + ", ".join(_LINE_FIELDS) +
                            " FROM ledger_lines ORDER BY import_id, row")
        frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d").astype("datetime64[ns]")
        for column in ("import_id", "row", "year", "amount_cents", "occurrence"):
            frame[column] = frame[column].astype("int64")
        for column in ("account", "project_code", "category", "description", "journal", "document",
                       "fingerprint"):
            frame[column] = frame[column].astype("str")
        return frame

    def ledger_actuals(self, known_projects: Iterable[str] | None = None,
                       rekeningen: pd.DataFrame | None = None) -> pd.DataFrame:
        """Actuals over all stored lines, like :func:`~igemo_fin.inputs.ledger.actuals_by_year`.

        The category is derived from each line's account *now*, with the portfolio's current
        ``rekeningen`` (or DOMAIN.md's defaults), not the one stored at import: a mapping changed
        after an import, or a ledger imported before any workbook, must still value correctly.

        Parameters
        ----------
        known_projects : iterable of str, optional
            When given, only these projects (matched as :func:`~igemo_fin.inputs.ledger.read_ledger` does).
        rekeningen : DataFrame, optional
            The workbook's ``rekeningen`` sheet (``rekening_prefix, categorie``).

        Returns
        -------
        pandas.DataFrame
            ``project_code, jaar, categorie, bedrag`` [EUR], signed (inflow +).
        """
        sums = self.query_frame(
            "SELECT project_code, year, account, SUM(amount_cents) AS amount_cents FROM ledger_lines "
            "WHERE project_code IS NOT NULL GROUP BY project_code, year, account")
        sums["project_code"] = sums["project_code"].astype("str")
        sums["category"] = categorize_accounts(sums["account"].astype("str"), rekeningen).to_numpy()
        sums = sums[sums["category"].isin(CATEGORIES)].drop(columns="account")
        codes, known = match_project_codes(sums["project_code"], known_projects)
        sums = sums.assign(project_code=codes)[known]
        return actuals_by_year(sums)

    def import_history(self) -> pd.DataFrame:
        """``ledger_imports``, newest first; ``imported_at`` as an aware datetime (UTC)."""
        frame = self.query_frame("SELECT * FROM ledger_imports ORDER BY id DESC")
        frame["imported_at"] = pd.to_datetime(frame["imported_at"], utc=True)
        return frame

    # --- workbook versions ----------------------------------------------------------------------

    def add_workbook_version(self, content: bytes, filename: str, uploader: str | None,
                             summary: dict) -> int:
        """Store an uploaded portfolio workbook as a new version; return its id.

        ``summary`` (what changed against the previous version) is stored as JSON.
        """
        text = json.dumps(summary, ensure_ascii=False, default=str, sort_keys=True)
        with self.transaction() as conn:
            return conn.execute(
                "INSERT INTO workbook_versions (uploaded_at, uploader, sha256, filename, content, summary) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (self.now(), uploader, file_sha256(content), filename, bytes(content), text),
            ).fetchone()[0]

    def latest_workbook(self) -> tuple[int, bytes] | None:
        """The newest workbook version as ``(id, content)``, or None when none is stored."""
        with self.connect() as conn:
            row = conn.execute("SELECT id, content FROM workbook_versions ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else (row[0], bytes(row[1]))

    def workbook_versions(self) -> pd.DataFrame:
        """Every version without its content, newest first: ``id, uploaded_at`` (UTC), ``uploader,
        sha256, filename, size`` [bytes] and ``summary`` (a dict)."""
        frame = self.query_frame("SELECT id, uploaded_at, uploader, sha256, filename, LENGTH(content) AS size, "
                            "summary FROM workbook_versions ORDER BY id DESC")
        frame["uploaded_at"] = pd.to_datetime(frame["uploaded_at"], utc=True)
        frame["summary"] = [json.loads(s) for s in frame["summary"]]
        return frame

    def workbook_content(self, version_id: int) -> bytes:
        """The bytes of one workbook version.

        Raises
        ------
        KeyError
            No version with that id.
        """
        with self.connect() as conn:
            row = conn.execute("SELECT content FROM workbook_versions WHERE id = ?", (int(version_id),)).fetchone()
        if row is None:
            raise KeyError(f"geen portefeuilleversie met nummer {version_id}")
        return bytes(row[0])


def _column_values(frame: pd.DataFrame, field: str) -> list:
    """A line column as plain Python values for the database (None for missing)."""
    column = frame[field]
    if field == "date":
        return np.datetime_as_string(column.to_numpy().astype("datetime64[D]"), unit="D").tolist()
    if field in ("row", "year", "amount_cents", "occurrence"):
        return [int(v) for v in column.to_numpy()]
    return [None if pd.isna(v) else str(v) for v in column.tolist()]


def db_path_from(target: str | os.PathLike | None = None) -> Path:
    """The SQLite file named by a path or URL (default: :func:`default_db_path`).

    ``sqlite:///relative.db``, ``sqlite:////absolute.db`` and plain paths name SQLite files. Other
    URLs (``postgresql://``) raise ``ValueError`` with a Dutch message: that backend is not part of
    this version.
    """
    if target is None:
        return default_db_path()
    text = os.fspath(target)
    if text.startswith("sqlite:///"):
        return Path(text[len("sqlite:///"):])
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise ValueError(f"databank '{scheme}://' wordt in deze versie niet ondersteund; gebruik een SQLite-bestand")
    return Path(text)


def open_store(target: str | os.PathLike | None = None) -> Store:
    """Open the store named by a path or URL (see :func:`db_path_from`)."""
    return Store(db_path_from(target))
