"""Where the store is: the database a ``--db`` value or ``$IGEMO_DB`` names, and a file's SHA-256.

Kept apart from :mod:`igemo_fin.records.database` (which loads pandas and psycopg) so that the
command line can find an earlier import of a file before it loads anything heavy.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["DEFAULT_DB", "SCHEMES", "db_exists", "db_path_from", "default_db_path", "file_sha256", "is_url"]

DEFAULT_DB = "data/igemo.db"
"""Database path when ``IGEMO_DB`` is not set (relative to the working directory)."""
SCHEMES = ("postgresql://", "postgres://")
"""URL prefixes that name a PostgreSQL database (libpq's connection URIs)."""


def is_url(target: object) -> bool:
    """Whether a ``--db`` value names a PostgreSQL database.

    >>> is_url("postgresql://igemo@localhost/igemo"), is_url("data/igemo.db")
    (True, False)
    """
    return isinstance(target, str) and target.startswith(SCHEMES)


def default_db_path() -> Path | str:
    """The database: ``$IGEMO_DB`` (a path, or a ``postgresql://`` URL) or :data:`DEFAULT_DB`."""
    return db_path_from(os.environ.get("IGEMO_DB") or DEFAULT_DB)


def db_path_from(target: str | os.PathLike | None = None) -> Path | str:
    """The database named by a path or URL (default: :func:`default_db_path`).

    ``sqlite:///relative.db``, ``sqlite:////absolute.db`` and plain paths name SQLite files (a
    ``Path``); ``postgresql://`` and ``postgres://`` URLs name a PostgreSQL database (the URL itself,
    a ``str``). Other URLs raise ``ValueError`` with a Dutch message.

    >>> db_path_from("sqlite:///data/x.db").as_posix()
    'data/x.db'
    >>> db_path_from("postgresql://igemo@localhost/igemo")
    'postgresql://igemo@localhost/igemo'
    """
    if target is None:
        return default_db_path()
    text = os.fspath(target)
    if is_url(text):
        return text
    if text.startswith("sqlite:///"):
        return Path(text[len("sqlite:///"):])
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise ValueError(f"databank '{scheme}://' wordt niet ondersteund; gebruik een SQLite-bestand of "
                         "een postgresql://-adres")
    return Path(text)


def db_exists(target: Path | str) -> bool:
    """Whether the database is there to be read: the SQLite file exists; a PostgreSQL database always
    is (the server's administrator creates it; an unreachable server raises when it is opened)."""
    return is_url(target) or Path(target).is_file()


def file_sha256(data: bytes) -> str:
    """SHA-256 of a file's bytes, hex.

    >>> file_sha256(b"")[:16]
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()
