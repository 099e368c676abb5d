"""The import workflow of finance's data, called by the command line and the Gegevens page alike.

* :mod:`igemo_fin.ingest.ledger`: a ledger export (already imported? which columns? read, validate,
  store in one transaction, report);
* :mod:`igemo_fin.ingest.report`: the ledger import's report, whose counts add up;
* :mod:`igemo_fin.ingest.workbook`: a portfolio workbook as a new version;
* :mod:`igemo_fin.ingest.stored`: the database named by ``--db``, and what is stored read back.

The names below load their module on first use: ``ledger import`` answers a file imported before
from :mod:`igemo_fin.ingest.report` alone, without loading the reader, the store or pandas.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "igemo_fin.ingest.ledger": ("LedgerUpload", "MappingNeeded", "import_ledger", "prepare_ledger", "store_ledger"),
    "igemo_fin.ingest.report": ("COUNT_LABELS", "LEDGER_JSON_KEYS", "LedgerReport", "totals_by_project"),
    "igemo_fin.ingest.stored": ("basis_from_db", "db_file", "existing_store", "latest_portfolio", "read_file"),
    "igemo_fin.ingest.workbook": ("WorkbookImport", "WorkbookUpload", "prepare_workbook", "store_workbook"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
