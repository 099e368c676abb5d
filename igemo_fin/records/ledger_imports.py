"""Ledger imports in the store: the lines of every export, once, and what each import did.

Tables ``ledger_imports`` and ``ledger_lines`` (migrations 1 and 5 of
:data:`igemo_fin.records.store.MIGRATIONS`). Every line of a file is stored, whatever its project or
account: the actuals filter is applied when the lines are read back (:meth:`LedgerImports.ledger_actuals`),
so a project added to a later workbook version, or an account mapped differently, re-classifies them.
A line an earlier, overlapping export already stored (same fingerprint and occurrence) is not added
again.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from igemo_fin.fmt import local_time
from igemo_fin.inputs.accounts import CATEGORIES, categorize_accounts
from igemo_fin.inputs.ledger import LedgerRead, actuals_by_year, match_project_codes
from igemo_fin.records.database import Database
from igemo_fin.records.import_lookup import FIND_IMPORT_SQL, import_row

__all__ = ["ImportResult", "LedgerImports"]

_LINE_FIELDS = ("row", "date", "year", "account", "project_code", "category", "amount_cents",
                "description", "journal", "document", "fingerprint", "occurrence")
_IMPORT_CACHE_KIB = 4 * 1024
"""SQLite's page cache for one import's connection [KiB] (the default is 2 MiB)."""


@dataclass(frozen=True)
class ImportResult:
    """What storing one ledger export did."""

    import_id: int
    """Id of the import in ``ledger_imports`` (the earlier one when already imported)."""
    file_sha256: str
    already_imported: bool
    """The same file (same SHA-256) was imported before; nothing was added."""
    imported_at: str
    """When the file was (first) imported: ISO 8601, UTC."""
    rows_read: int
    rows_stored: int
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
        text = f"{self.rows_stored} regel(s) toegevoegd"
        if self.rows_already_present:
            text += f", {self.rows_already_present} al aanwezig uit een eerdere export"
        return text


class LedgerImports(Database):
    """The ledger half of :class:`igemo_fin.records.store.Store`."""

    def find_import(self, file_sha256: str) -> dict | None:
        """The earlier import of a file with this SHA-256, as a dict of ``ledger_imports``, or None.

        ``report`` is the import's report as a dict (None for imports stored before reports were kept).
        """
        frame = self.query_frame(FIND_IMPORT_SQL, (file_sha256,))
        if frame.empty:
            return None
        return import_row(frame.iloc[0].to_dict())

    def import_ledger(self, read: LedgerRead, *, file_sha256: str, filename: str, uploader: str | None,
                      report: dict | None = None) -> ImportResult:
        """Store a validated ledger export in one transaction.

        Parameters
        ----------
        read : LedgerRead
            From :func:`~igemo_fin.inputs.ledger.read_ledger`; all its valid lines are stored (the actuals
            filter is applied when reading them back, so a project added later counts).
        file_sha256 : str
            SHA-256 of the file's bytes (:func:`~igemo_fin.records.database.file_sha256`).
        filename, uploader : str
            For the import history.
        report : dict, optional
            The import's report (JSON-able), kept so that the same file offered again is answered
            from it without reading the file.

        Returns
        -------
        ImportResult
            ``already_imported`` with the first import's date when the same file was imported
            before (nothing added); else the number of lines new to the database: lines whose
            ``(fingerprint, occurrence)`` an earlier overlapping export stored are not added again.
        """
        lines = read.lines
        total = read.net_total_cents
        report_text = None if report is None else json.dumps(report, ensure_ascii=False, sort_keys=True)
        with self.transaction() as conn:
            earlier = conn.execute("SELECT id, imported_at FROM ledger_imports WHERE file_sha256 = ?",
                                   (file_sha256,)).fetchone()
            if earlier is not None:
                return ImportResult(earlier[0], file_sha256, True, earlier[1], read.rows_read, 0, 0, total)
            imported_at = self.now()
            import_id = conn.execute(
                "INSERT INTO ledger_imports (file_sha256, filename, imported_at, uploader, rows_read, "
                "rows_imported, rows_stored, rows_skipped, total_cents, file_total_cents, imported_cents, report) "
                "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 0, ?) RETURNING id",
                (file_sha256, filename, imported_at, uploader, read.rows_read, read.rows_imported,
                 len(read.skipped), total, read.file_total_cents, report_text),
            ).fetchone()[0]
            if self.url is None:
                # Above SQLite's default 2 MiB page cache the transaction spilled. The lines come in
                # the unique key's order (key_order), so that index grows at its end: 4 MiB measured
                # as fast as 16 MiB for 200,000 lines, with 3 MiB less at the import's peak.
                conn.execute(f"PRAGMA cache_size = -{_IMPORT_CACHE_KIB}")
            conn.executemany(
                "INSERT INTO ledger_lines (import_id, row, date, year, account, project_code, category, "
                "amount_cents, description, journal, document, fingerprint, occurrence) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (fingerprint, occurrence) DO NOTHING",
                _line_records(lines, import_id),
            )
            added, added_cents = conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM ledger_lines WHERE import_id = ?",
                (import_id,),
            ).fetchone()
            conn.execute("UPDATE ledger_imports SET rows_stored = ?, imported_cents = ? WHERE id = ?",
                         (added, added_cents, import_id))
        return ImportResult(import_id, file_sha256, False, imported_at, read.rows_read, added,
                            len(lines) - added, total)

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
        """``ledger_imports`` without the reports, newest first; ``imported_at`` as an aware datetime (UTC).

        ``rows_read = rows_imported + rows_skipped``: ``rows_imported`` fed project actuals when the
        file was imported, ``rows_stored`` are the lines the import added to the database.
        """
        frame = self.query_frame("SELECT id, file_sha256, filename, imported_at, uploader, rows_read, rows_imported, "
                                 "rows_skipped, rows_stored, total_cents, file_total_cents, imported_cents "
                                 "FROM ledger_imports ORDER BY id DESC")
        frame["imported_at"] = pd.to_datetime(frame["imported_at"], utc=True)
        return frame


def _line_records(lines: pd.DataFrame, import_id: int, chunk: int = 5_000) -> Iterator[tuple]:
    """The rows of ``ledger_lines`` for ``executemany``, made a chunk of lines at a time (the plain
    Python values of a whole file at once would add a sizeable share to the import's peak memory),
    in the order of the unique key (:func:`key_order`)."""
    order = key_order(lines)
    for start in range(0, len(lines), chunk):
        part = lines.take(order[start:start + chunk])
        yield from zip(itertools.repeat(import_id), *(_column_values(part, f) for f in _LINE_FIELDS))


def key_order(lines: pd.DataFrame) -> np.ndarray:
    """Positions of the lines sorted by ``(fingerprint, occurrence)``, the table's unique key.

    Inserted in file order, the key's index (the fingerprints are SHA-256 values, so random) takes
    each line at a random page; sorted, each insert lands next to the one before: 0.3 s less on
    200,000 lines for a sort of 0.08 s. The rows' order in the table means nothing: every reader
    orders by ``import_id, row`` or aggregates.

    >>> frame = pd.DataFrame({"fingerprint": ["b", "a", "b", "a"], "occurrence": [1, 1, 2, 2]})
    >>> key_order(frame).tolist()
    [1, 3, 0, 2]
    """
    keys = pa.table({"fingerprint": pa.array(lines["fingerprint"]),
                     "occurrence": pa.array(lines["occurrence"], type=pa.int64())})
    return pc.sort_indices(keys, sort_keys=[("fingerprint", "ascending"), ("occurrence", "ascending")]).to_numpy()


def _column_values(frame: pd.DataFrame, field: str) -> list:
    """A line column as plain Python values for the database (None for missing)."""
    column = frame[field]
    if field == "date":
        return np.datetime_as_string(column.to_numpy().astype("datetime64[D]"), unit="D").tolist()
    if field in ("row", "year", "amount_cents", "occurrence"):
        return column.to_numpy(dtype=np.int64).tolist()
    values = column.to_numpy(dtype=object, na_value=None)
    if isinstance(column.dtype, pd.StringDtype):
        return values.tolist()  # already str or None
    return [None if v is None else str(v) for v in values.tolist()]
