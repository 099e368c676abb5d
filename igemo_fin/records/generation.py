"""The store's generation: where the database stands, moved by every committed write transaction
(except those to tables nothing cached reads: the sign-in throttle's, see ``Database.transaction``).

One row (``store_generation``: a count and a random token) that :meth:`Database.transaction
<igemo_fin.records.database.Database.transaction>` updates in the same transaction as the write it
commits, whichever process makes it. The dashboard's caches key on it (:func:`ui.store_source.db_key`),
so they read it on every rerun of every page, several times: a SQLite file is therefore read over one
read-only connection per file and process that stays open (about 6 µs a read instead of 250 µs for a
new connection), and a PostgreSQL database likewise (0.1 ms instead of 3 ms on the same machine). A file's modification time and size cannot do this job: two commits within one tick
of the kernel's clock, once a checkpoint has emptied the WAL, can leave both as they were.

The token is new with every write: a database restored from a backup, or another file put in this
one's place, can reach the same count again, never the same token.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

__all__ = ["GENERATION_TABLE", "count_write", "file_generation", "url_generation"]

GENERATION_TABLE = "store_generation"
"""The one-row table; made by a migration of :data:`igemo_fin.records.store.MIGRATIONS`."""
_SELECT = f"SELECT n, token FROM {GENERATION_TABLE}"
_OPEN_FILES = 16
"""Read connections kept open per process (the least recently read one is closed first)."""

_readers: OrderedDict[tuple, sqlite3.Connection] = OrderedDict()
_pg_readers: OrderedDict[str, object] = OrderedDict()  # PostgreSQL URL -> its kept read connection
_lock = threading.Lock()


def _forget_in_child() -> None:
    # A forked server process must not use (or close) its parent's connections: it opens its own.
    global _lock
    _readers.clear()
    _pg_readers.clear()
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_in_child)


def count_write(conn) -> None:
    """Move the generation, inside the write transaction of ``conn`` (either backend)."""
    conn.execute(f"UPDATE {GENERATION_TABLE} SET n = n + 1, token = ?", (secrets.token_hex(8),))


def _row(row) -> tuple[int, str] | None:
    return None if row is None else (int(row[0]), str(row[1]))


def file_generation(path: Path) -> tuple[int, str] | None:
    """The generation of a SQLite file; None before the schema has the table.

    The connection is kept per process (a forked server process opens its own) and per file as it is
    on disk (device and inode): a file put in the place of another one gets a connection of its own.
    It reads in autocommit mode and runs each read to its end, so it never holds a snapshot between
    two reads (it would keep a checkpoint from emptying the WAL).

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    """
    info = path.stat()
    key = (str(path.resolve()), info.st_dev, info.st_ino)
    with _lock:
        conn = _readers.get(key)
        if conn is None:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10,
                                   isolation_level=None, check_same_thread=False)
            _readers[key] = conn
            while len(_readers) > _OPEN_FILES:
                _, oldest = _readers.popitem(last=False)
                oldest.close()
        _readers.move_to_end(key)
        try:
            rows = conn.execute(_SELECT).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            return None
    return _row(rows[0] if rows else None)


def url_generation(url: str) -> tuple[int, str] | None:
    """The generation of a PostgreSQL database; None before the schema has the table.

    Like a SQLite file's, it is read over one connection per database and process that stays open
    (a new connection costs about 3 ms on the same machine, more over TLS, and the caches read the
    generation several times a rerun). The connection is read-only and in autocommit mode, so it holds
    no snapshot between reads. One the server has closed (a restart, an idle timeout) is replaced once.
    """
    from igemo_fin.records import postgres

    def read() -> tuple[int, str] | None:
        conn = _pg_readers.get(url)
        if conn is None:
            conn = _pg_readers[url] = postgres.open_reader(url)
            while len(_pg_readers) > _OPEN_FILES:
                _pg_readers.popitem(last=False)[1].close()
        _pg_readers.move_to_end(url)
        try:
            return _row(conn.execute(_SELECT).fetchone())
        except postgres.MISSING_TABLE:
            return None

    with _lock:
        try:
            return read()
        except postgres.CONNECTION_LOST:
            _pg_readers.pop(url).close()
            return read()  # over a new connection: a second failure is the server's to report
