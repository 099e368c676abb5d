"""How the store talks to SQLite: where the file is, connections, transactions, the migration runner.

Every table module of :mod:`igemo_fin.records` (ledger imports, workbook versions, the decision log,
users, mapping profiles) goes through this public plumbing (:meth:`Database.connect`,
:meth:`Database.transaction`, :meth:`Database.query_frame`, :meth:`Database.now`, the ``?``
placeholders), so a PostgreSQL backend would be a second implementation of it, not a rewrite of the
callers. The schema itself (the numbered migrations) is in :mod:`igemo_fin.records.store`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DEFAULT_DB",
    "Database",
    "db_path_from",
    "default_db_path",
    "file_sha256",
    "sql_statements",
]

DEFAULT_DB = "data/igemo.db"
"""Database path when ``IGEMO_DB`` is not set (relative to the working directory)."""
BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another one [ms] before giving up."""


def default_db_path() -> Path:
    """The database path: ``$IGEMO_DB`` or :data:`DEFAULT_DB`."""
    return Path(os.environ.get("IGEMO_DB") or DEFAULT_DB)


def db_path_from(target: str | os.PathLike | None = None) -> Path:
    """The SQLite file named by a path or URL (default: :func:`default_db_path`).

    ``sqlite:///relative.db``, ``sqlite:////absolute.db`` and plain paths name SQLite files. Other
    URLs (``postgresql://``) raise ``ValueError`` with a Dutch message: that backend is not part of
    this version.

    >>> db_path_from("sqlite:///data/x.db").as_posix()
    'data/x.db'
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


def file_sha256(data: bytes) -> str:
    """SHA-256 of a file's bytes, hex.

    >>> file_sha256(b"")[:16]
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()


def sql_statements(script: str) -> list[str]:
    """Split a SQL script into complete statements (semicolons inside strings are respected).

    >>> sql_statements("CREATE TABLE t (x TEXT DEFAULT 'a;b');\\nINSERT INTO t VALUES ('c');")
    ["CREATE TABLE t (x TEXT DEFAULT 'a;b');", "INSERT INTO t VALUES ('c');"]
    """
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


class Database:
    """One SQLite file in WAL mode with ``synchronous=FULL`` and a busy timeout.

    Parameters
    ----------
    path : str or os.PathLike, optional
        Database file; default :func:`default_db_path`. Its folder is created when missing.
    clock : callable, optional
        Returns the current time (aware datetime); for tests. Default: UTC now.

    Notes
    -----
    A connection is opened per operation (cheap for SQLite), so one object can serve several
    threads (Streamlit sessions) and survives a fork. Writers take the database lock at the start of
    their transaction (``BEGIN IMMEDIATE``); readers never block in WAL mode.
    """

    def __init__(self, path: str | os.PathLike | None = None, *,
                 clock: Callable[[], dt.datetime] | None = None):
        self.path = Path(path) if path is not None else default_db_path()
        self._clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        self.path.parent.mkdir(parents=True, exist_ok=True)

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
        """The current time as ISO 8601 text in UTC, to the second (how every table stores moments)."""
        return self._clock().astimezone(dt.timezone.utc).isoformat(timespec="seconds")

    def migrate(self, migrations: Sequence[str]) -> None:
        """Bring the schema up to date: apply the migrations after the file's ``schema_version``.

        Raises
        ------
        RuntimeError
            The file has a newer schema than ``migrations`` know.
        """
        with self.transaction() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version "
                         "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            current = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
            if current > len(migrations):
                raise RuntimeError(
                    f"de database {self.path} heeft schemaversie {current}, nieuwer dan deze versie van "
                    f"de toepassing ({len(migrations)})"
                )
            for version in range(current + 1, len(migrations) + 1):
                for statement in sql_statements(migrations[version - 1]):
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
        """The rows of one query as a DataFrame (columns named as the query names them)."""
        with self.connect() as conn:
            cursor = conn.execute(sql, params)
            columns = [d[0] for d in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=columns)
