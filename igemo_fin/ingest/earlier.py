"""Step 1 of a ledger import: was this file (the same bytes) imported before?

Light on purpose (no reader, no store, no pandas): the command line asks it before it loads
anything else, so that a file offered again is answered in a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from igemo_fin.ingest.report import LedgerReport
from igemo_fin.inputs.filesafety import check_size
from igemo_fin.records.location import file_sha256

__all__ = ["earlier_report"]


def earlier_report(data: bytes, filename: str,
                   find_import: Callable[[str], dict | None] | None) -> tuple[str, LedgerReport | None]:
    """The file's SHA-256, and the report of its earlier import when there is one.

    Parameters
    ----------
    data, filename : bytes, str
        The export and its name as uploaded; a file over the size limit is refused before it is hashed.
    find_import : callable or None
        ``find_import(sha256)`` gives the earlier import's ``ledger_imports`` row as a dict, or None
        (:meth:`~igemo_fin.records.ledger_imports.LedgerImports.find_import`,
        :func:`~igemo_fin.records.import_lookup.find_import_in_file`); None: no database yet.

    Returns
    -------
    sha256 : str
    report : LedgerReport or None
        None when the file is new, or its earlier import kept no report (it is then read again).
    """
    check_size(len(data), PurePath(filename).name)
    sha = file_sha256(data)
    found = None if find_import is None else find_import(sha)
    return sha, None if found is None else LedgerReport.of_earlier_import(found)
