"""How the store talks to its database: where it is, connections, transactions, the migration runner.

SQLite by default (a file); PostgreSQL when the target is a ``postgresql://`` URL (the server side of
that is :mod:`igemo_fin.records.postgres`).

Every table module of :mod:`igemo_fin.records` (ledger imports, workbook versions, the decision log,
users, mapping profiles) goes through this public plumbing (:meth:`Database.connect`,
:meth:`Database.transaction`, :meth:`Database.query_frame`, :meth:`Database.now`, the ``?``
placeholders), so the PostgreSQL backend is a second implementation of it, not a rewrite of the
callers. The schema itself (the numbered migrations) is in :mod:`igemo_fin.records.store`.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from igemo_fin.records.generation import GENERATION_TABLE, count_write, file_generation, url_generation
from igemo_fin.records.location import DEFAULT_DB, db_exists, db_path_from, default_db_path, file_sha256

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DEFAULT_DB",
    "DATABASE_ERRORS",  # noqa: F822 (made by the module's __getattr__)
    "INTEGRITY_ERRORS",  # noqa: F822 (made by the module's __getattr__)
    "Database",
    "Migration",
    "db_exists",
    "db_path_from",
    "default_db_path",
    "file_sha256",
    "sql_statements",
]

BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another one [ms] before giving up."""
# psycopg (and the PostgreSQL half of the store) is loaded only when a PostgreSQL URL is used or one of
# the two error tuples below is asked for: it costs a SQLite-only command about 0.1 s to load.
_ERROR_TUPLES = {
    "INTEGRITY_ERRORS": ("IntegrityError", "IntegrityError"),
    # What a broken constraint raises (a name taken twice), on either backend.
    "DATABASE_ERRORS": ("DatabaseError", "Error"),
    # Any refusal by the database (an append-only trigger, a missing grant, a damaged file).
}


def __getattr__(name: str) -> tuple[type[Exception], type[Exception]]:
    """``INTEGRITY_ERRORS`` and ``DATABASE_ERRORS``: SQLite's and psycopg's exception class, for
    ``except``; made on first use so that importing this module does not load psycopg."""
    if name not in _ERROR_TUPLES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import psycopg

    sqlite_name, psycopg_name = _ERROR_TUPLES[name]
    value = (getattr(sqlite3, sqlite_name), getattr(psycopg, psycopg_name))
    globals()[name] = value
    return value


def _postgres():
    """:mod:`igemo_fin.records.postgres` (and psycopg), loaded on the first PostgreSQL URL."""
    from igemo_fin.records import postgres

    return postgres

Migration = str | dict
"""One schema migration: SQLite SQL that :func:`igemo_fin.records.postgres.migration_sql` also runs on
PostgreSQL, or ``{"sqlite": ..., "postgresql": ...}`` where the dialects differ too much for that."""


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
    """One database: a SQLite file (WAL, ``synchronous=FULL``, busy timeout) or a PostgreSQL database.

    Parameters
    ----------
    path : str or os.PathLike, optional
        Database file or URL (:func:`db_path_from`); default :func:`default_db_path`. A SQLite file's
        folder is created when missing.
    clock : callable, optional
        Returns the current time (aware datetime); for tests. Default: UTC now.

    Notes
    -----
    A connection is opened per operation, so one object can serve several threads (Streamlit
    sessions) and survives a fork. Writers take the database's write lock at the start of their
    transaction (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: :data:`igemo_fin.records.postgres.WRITE_LOCK`);
    readers never block.
    """

    def __init__(self, path: str | os.PathLike | None = None, *,
                 clock: Callable[[], dt.datetime] | None = None):
        target = db_path_from(path)
        self.url: str | None = target if isinstance(target, str) else None
        self.path: Path | None = None if self.url else Path(target)
        self._clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return "sqlite" if self.url is None else "postgresql"

    @property
    def target(self) -> str:
        """What ``--db`` and ``IGEMO_DB`` take for this database: the file's path or the URL."""
        return str(self.path) if self.url is None else self.url

    @property
    def name(self) -> str:
        """The file, or the URL without its password: for messages."""
        return str(self.path) if self.url is None else _postgres().public_url(self.url)

    @contextmanager
    def connect(self) -> Iterator:
        """A connection for reads (and for writes that manage their own transaction)."""
        if self.url is not None:
            with _postgres().connect(self.url) as conn:
                yield conn
            return
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
    def read_only(self) -> Iterator:
        """A connection that cannot write (checking the logs never changes the database)."""
        if self.url is not None:
            with _postgres().connect(self.url, read_only=True) as conn:
                yield conn
            return
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
        try:
            yield conn
        finally:
            conn.close()

    def schema_objects(self, conn) -> set[str]:
        """The names of the tables and triggers the database has."""
        if self.url is not None:
            return _postgres().schema_objects(conn)
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}

    @contextmanager
    def transaction(self, *, counted: bool = True) -> Iterator:
        """One write transaction: committed when the block ends, rolled back on any error.

        It moves the database's generation (:meth:`generation`) in the same transaction, so whoever
        keys on the generation sees every committed write. Needs the schema (:meth:`migrate`).

        ``counted=False`` leaves the generation as it is: only for tables that nothing cached on the
        generation reads (the sign-in throttle's failures), so that such a write does not make every
        process read the whole store again.
        """
        with self._transaction(counted=counted) as conn:
            yield conn

    @contextmanager
    def _transaction(self, *, counted: bool) -> Iterator:
        with self.connect() as conn:
            if self.url is not None:
                conn.execute("BEGIN")
                conn.execute(f"SELECT pg_advisory_xact_lock({_postgres().WRITE_LOCK})")
            else:
                conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                if counted:
                    count_write(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def now(self) -> str:
        """The current time as ISO 8601 text in UTC, to the second (how every table stores moments)."""
        return self._clock().astimezone(dt.timezone.utc).isoformat(timespec="seconds")

    def migration_script(self, migration: Migration) -> list[str]:
        """The statements of one migration for this database's backend."""
        if isinstance(migration, dict):
            text = migration[self.backend]
        else:
            text = migration if self.url is None else _postgres().migration_sql(migration)
        # PostgreSQL takes a whole script in one call (its function bodies hold semicolons)
        return sql_statements(text) if self.url is None else [text]

    def migrate(self, migrations: Sequence[Migration]) -> None:
        """Bring the schema up to date: apply the migrations after the database's ``schema_version``.

        A database that is up to date is only read, so the application may run as a role that cannot
        change the schema (see ``deploy/postgresql.sql``).

        Raises
        ------
        RuntimeError
            The database has a newer schema than ``migrations`` know.
        """
        # Counted only when a migration ran: opening a store that is up to date writes nothing.
        with self._transaction(counted=False) as conn:
            if "schema_version" not in self.schema_objects(conn):
                conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            current = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
            if current > len(migrations):
                raise RuntimeError(
                    f"de database {self.name} heeft schemaversie {current}, nieuwer dan deze versie van "
                    f"de toepassing ({len(migrations)})"
                )
            for version in range(current + 1, len(migrations) + 1):
                for statement in self.migration_script(migrations[version - 1]):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                             (version, self.now()))
            if current < len(migrations) and GENERATION_TABLE in self.schema_objects(conn):
                count_write(conn)

    def generation(self) -> tuple[int, str] | None:
        """Where the database stands: ``(n, token)``, which every committed write transaction moves
        (:mod:`igemo_fin.records.generation`); None before the schema has the table."""
        return file_generation(self.path) if self.url is None else url_generation(self.url)

    def schema_version(self) -> int:
        """The schema version of the database."""
        with self.connect() as conn:
            return conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: ``"ok"`` for a sound SQLite file.

        A PostgreSQL server keeps its own files sound (checksums, WAL); this reads every table instead,
        which fails on a damaged one.
        """
        with self.connect() as conn:
            if self.url is not None:
                for table in sorted(_postgres().schema_objects(conn)):
                    if conn.execute("SELECT to_regclass(?) IS NOT NULL", (table,)).fetchone()[0]:
                        conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
                return "ok"
            return "\n".join(r[0] for r in conn.execute("PRAGMA integrity_check"))

    def query_frame(self, sql: str, params: tuple = ()) -> pd.DataFrame:
        """The rows of one query as a DataFrame (columns named as the query names them)."""
        with self.connect() as conn:
            cursor = conn.execute(sql, params)
            columns = [d[0] for d in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=columns)
