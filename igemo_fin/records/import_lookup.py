"""The earlier import of a ledger file, found by the SHA-256 of its bytes.

:meth:`~igemo_fin.records.ledger_imports.LedgerImports.find_import` asks the store (either backend);
:func:`find_import_in_file` asks a SQLite file directly, read-only, with nothing but :mod:`sqlite3`:
the command line answers a file imported before without loading the store, pandas or the reader.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

__all__ = ["FIND_IMPORT_SQL", "find_import_in_file", "import_row"]

FIND_IMPORT_SQL = "SELECT * FROM ledger_imports WHERE file_sha256 = ?"
"""The one query that finds an earlier import (``?``: the file's SHA-256, hex)."""


def import_row(row: dict) -> dict:
    """A ``ledger_imports`` row as :meth:`find_import` gives it: ``report`` decoded from its JSON.

    >>> import_row({"id": 1, "report": '{"rows_read": 3}'})["report"]
    {'rows_read': 3}
    """
    report = row.get("report")
    return {**row, "report": None if report is None else json.loads(report)}


def find_import_in_file(path: str | os.PathLike, file_sha256: str) -> dict | None:
    """The earlier import of that file in the SQLite database at ``path``, or None.

    None also when the database cannot answer without the store (no such file, a schema from before
    the imports kept their reports, a locked or damaged file): the caller then asks the store,
    which migrates, waits or refuses as it always does.
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            cursor = conn.execute(FIND_IMPORT_SQL, (file_sha256,))
            row = cursor.fetchone()
            names = [d[0] for d in cursor.description]
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    found = dict(zip(names, row))
    return import_row(found) if "report" in found else None
