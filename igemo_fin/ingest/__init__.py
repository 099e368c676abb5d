"""The import workflow of finance's data, called by the command line and the Gegevens page alike.

* :mod:`igemo_fin.ingest.ledger`: a ledger export (already imported? which columns? read, validate,
  store in one transaction, report);
* :mod:`igemo_fin.ingest.report`: the ledger import's report, whose counts add up;
* :mod:`igemo_fin.ingest.workbook`: a portfolio workbook as a new version;
* :mod:`igemo_fin.ingest.stored`: the database named by ``--db``, and what is stored read back.
"""

from igemo_fin.ingest.ledger import LedgerUpload, MappingNeeded, import_ledger, prepare_ledger, store_ledger
from igemo_fin.ingest.report import COUNT_LABELS, LEDGER_JSON_KEYS, LedgerReport, totals_by_project
from igemo_fin.ingest.stored import basis_from_db, db_file, existing_store, latest_portfolio, read_file
from igemo_fin.ingest.workbook import WorkbookImport, WorkbookUpload, prepare_workbook, store_workbook

__all__ = [
    "COUNT_LABELS",
    "LEDGER_JSON_KEYS",
    "LedgerReport",
    "LedgerUpload",
    "MappingNeeded",
    "WorkbookImport",
    "WorkbookUpload",
    "db_file",
    "existing_store",
    "import_ledger",
    "latest_portfolio",
    "basis_from_db",
    "read_file",
    "prepare_ledger",
    "prepare_workbook",
    "store_ledger",
    "store_workbook",
    "totals_by_project",
]
