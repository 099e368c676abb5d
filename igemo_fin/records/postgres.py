"""How the store talks to PostgreSQL: the second backend of :class:`igemo_fin.records.database.Database`.

The table modules write their SQL once, with SQLite's ``?`` placeholders and SQLite's schema text;
this module makes that SQL run on a PostgreSQL server (psycopg 3):

- :class:`Connection` wraps a psycopg connection so that ``conn.execute(sql, params)`` and
  ``conn.executemany`` take ``?`` placeholders (:func:`placeholders`), and sums come back as Python
  ints (PostgreSQL sums a BIGINT column to NUMERIC, which psycopg would return as ``Decimal``);
- :func:`migration_sql` turns a migration written for SQLite into PostgreSQL: the column types
  (``INTEGER`` is 64-bit in SQLite, so ``BIGINT``; ``REAL`` is a double, so ``DOUBLE PRECISION``;
  ``BLOB`` is ``BYTEA``; ``INTEGER PRIMARY KEY`` is an identity column) and the append-only
  triggers (a PL/pgSQL function that raises, on ``UPDATE`` and on ``DELETE``, and on ``TRUNCATE``
  too, which SQLite does not have). A migration whose SQL cannot be written once gives both texts
  (``{"sqlite": ..., "postgresql": ...}``, see :data:`igemo_fin.records.store.MIGRATIONS`).

Writers are serialised with one transaction-level advisory lock (:data:`WRITE_LOCK`), as SQLite's
``BEGIN IMMEDIATE`` serialises them: an append to a hash chain reads the head and inserts the next
entry without another writer in between, and two processes importing the same file at once store it
once (the second one waits, then finds the first one's import).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

import psycopg
from psycopg.adapt import Loader

from igemo_fin.records.location import SCHEMES, is_url

__all__ = ["CONNECTION_LOST", "MISSING_TABLE", "SCHEMES", "WRITE_LOCK", "Connection", "connect", "is_url",
           "migration_sql", "open_reader", "placeholders",
           "public_url", "schema_objects"]

WRITE_LOCK = 0x1E6E_0F17
"""Key of the advisory lock every write transaction takes first (one writer at a time)."""
MISSING_TABLE = psycopg.errors.UndefinedTable
"""What a query of a table the migrations have not made yet raises."""
CONNECTION_LOST = psycopg.OperationalError
"""What a query over a connection the server has closed raises (a restart, an idle timeout)."""


def public_url(url: str) -> str:
    """The URL without its password, for messages.

    >>> public_url("postgresql://app:geheim@db.local:5432/igemo")
    'postgresql://app:***@db.local:5432/igemo'
    """
    return re.sub(r"^(\w+://[^:/@]+):[^@]*@", r"\1:***@", url)


def placeholders(sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled; ``?`` inside quotes kept).

    >>> placeholders("SELECT '?', x FROM t WHERE a = ? AND b LIKE '10%'")
    "SELECT '?', x FROM t WHERE a = %s AND b LIKE '10%%'"
    """
    out, quoted = [], False
    for char in sql:
        if char == "'":
            quoted = not quoted
        if char == "%":
            out.append("%%")
        elif char == "?" and not quoted:
            out.append("%s")
        else:
            out.append(char)
    return "".join(out)


class _WholeNumericLoader(Loader):
    """NUMERIC as ``int`` when whole (sums of integer cents), else ``float``."""

    def load(self, data) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


class Connection:
    """A psycopg connection that takes the store's ``?`` SQL; everything else is psycopg's own."""

    def __init__(self, raw: psycopg.Connection):
        self.raw = raw

    def execute(self, sql: str, params: Sequence | None = None) -> psycopg.Cursor:
        if params:
            return self.raw.execute(placeholders(sql), tuple(params))
        return self.raw.execute(sql)

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(placeholders(sql), rows)

    def close(self) -> None:
        self.raw.close()


def _open(url: str, read_only: bool) -> psycopg.Connection:
    options = "-c default_transaction_read_only=on" if read_only else None
    raw = psycopg.connect(url, autocommit=True, options=options) if options else psycopg.connect(url, autocommit=True)
    raw.adapters.register_loader("numeric", _WholeNumericLoader)
    return raw


@contextmanager
def connect(url: str, *, read_only: bool = False) -> Iterator[Connection]:
    """An autocommit connection (transactions are explicit ``BEGIN``/``COMMIT``, as with SQLite)."""
    raw = _open(url, read_only)
    try:
        yield Connection(raw)
    finally:
        raw.close()


def open_reader(url: str) -> Connection:
    """A read-only autocommit connection the caller keeps open, and closes (:meth:`Connection.close`)."""
    return Connection(_open(url, True))


def schema_objects(conn: Connection) -> set[str]:
    """The names of the tables and (user) triggers of the connection's schema."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "UNION SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
    ).fetchall()
    return {r[0] for r in rows}


_TRIGGER = re.compile(r"CREATE TRIGGER (\w+) BEFORE (UPDATE|DELETE) ON (\w+)\s+BEGIN\s+SELECT RAISE\(ABORT,\s*"
                      r"'((?:[^']|'')*)'\);\s*END;", re.S)
_TYPES = [(re.compile(r"\bINTEGER PRIMARY KEY\b"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
          (re.compile(r"\bINTEGER\b"), "BIGINT"),
          (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
          (re.compile(r"\bBLOB\b"), "BYTEA")]


def _trigger(match: re.Match) -> str:
    name, event, table, message = match.groups()
    text = (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN RAISE EXCEPTION "
            f"'{message}'; END $fn$;\n"
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();")
    if event == "DELETE":
        text += f"\nCREATE TRIGGER {name}_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {name}();"
    return text


def migration_sql(sqlite_sql: str) -> str:
    """A migration written for SQLite, as PostgreSQL runs it (one script).

    >>> print(migration_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, x REAL, b BLOB);"))
    CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, x DOUBLE PRECISION, b BYTEA);

    Raises
    ------
    ValueError
        The migration holds a trigger of another form than the append-only one: give that migration
        its PostgreSQL text.
    """
    if "CREATE TRIGGER" in _TRIGGER.sub("", sqlite_sql).upper():
        raise ValueError("deze migratie heeft een trigger die niet automatisch naar PostgreSQL vertaald kan "
                         "worden: geef de migratie een aparte 'postgresql'-tekst")
    text = sqlite_sql
    for pattern, replacement in _TYPES:  # upper case only: the Dutch trigger messages stay as they are
        text = pattern.sub(replacement, text)
    return _TRIGGER.sub(_trigger, text).strip()
