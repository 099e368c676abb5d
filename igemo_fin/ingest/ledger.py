"""The ledger import workflow, called by ``python -m igemo_fin ledger import`` and the Gegevens page alike.

1. **Already imported?** The file's SHA-256 is looked up in the store first: a file imported before is
   answered from the report kept with that import, without reading it (nor loading the workbook).
2. **Which columns?** A mapping the user picked (the page's mapping step), else a profile named by
   the caller, else the header is recognised (:func:`~igemo_fin.inputs.ledger_mapping.preview_ledger`)
   and a saved profile whose header signature matches the header, or one of the top rows, is applied
   (so a profile still fits when the next export has a title row more or less); a header neither recognised nor
   covered by a profile refuses the file with :class:`MappingNeeded` (the page then asks).
3. **Read and validate** with the portfolio's project codes and ``rekeningen``
   (:func:`~igemo_fin.inputs.ledger.ledger_from_tables` on the tables the file-safety checks and the
   reader gave once, for step 2 and 3 alike): any
   invalid line refuses the whole file, with every problem's sheet, row and column.
4. **Store** every line in one transaction (:meth:`~igemo_fin.records.store.Store.import_ledger`) with
   the report, and answer the report (:class:`~igemo_fin.ingest.report.LedgerReport`).

Steps 1 to 3 never write: a refused file leaves the database exactly as it was.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from igemo_fin.errors import LedgerError, Problem
from igemo_fin.ingest.earlier import earlier_report
from igemo_fin.ingest.report import LedgerReport
from igemo_fin.inputs.ledger import LedgerRead, ledger_from_tables
from igemo_fin.inputs.ledger_mapping import ColumnMapping, LedgerPreview, header_signature, preview_tables
from igemo_fin.inputs.ledger_tables import Table, read_tables
from igemo_fin.records.profiles import ProfileError, find_profile, get_profile
from igemo_fin.records.store import Store
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["LedgerUpload", "MappingNeeded", "import_ledger", "prepare_ledger", "store_ledger"]

PortfolioSource = Portfolio | Callable[[], Portfolio | None] | None
"""The portfolio giving project codes and ``rekeningen``, or a function that loads it (called only
when the file has to be read), or None: every project code accepted, the default account mapping."""

WHAT_TO_DO = ("kies de kolommen op de pagina Gegevens (tabblad Grootboek) en bewaar ze als profiel; het "
              "volgende bestand met dezelfde kolomkoppen wordt dan vanzelf ingelezen. Op de opdrachtregel: "
              "geef een bewaard profiel met --profile NAAM (zie 'ledger profiles list')")


class MappingNeeded(LedgerError):
    """The export's header is not recognised, or is ambiguous, and no saved profile applies.

    Carries the :class:`~igemo_fin.inputs.ledger_mapping.LedgerPreview` (``preview``) the page shows to
    let the user pick the columns.
    """

    def __init__(self, preview: LedgerPreview, file: str):
        self.preview = preview
        problems = [Problem(preview.sheet, preview.header_row, None, reason) for reason in preview.problems]
        problems.append(Problem(preview.sheet, None, None, "wat te doen: " + WHAT_TO_DO))
        super().__init__(problems, file=file)


@dataclass(frozen=True)
class LedgerUpload:
    """A ledger export read and validated, ready to store; or one imported before (then not read)."""

    report: LedgerReport
    """What storing it will report (for a file imported before: the first import's report)."""
    read: LedgerRead | None
    """The lines; None when the file was imported before and so not read."""
    mapping: ColumnMapping | None = None
    """The columns used when they came from the user or a profile (None: recognised by their names)."""

    @property
    def already_imported(self) -> bool:
        return self.report.already_imported


def _refused(reason: str, filename: str) -> LedgerError:
    return LedgerError([Problem(None, None, None, reason)], file=filename)


def _header_candidates(preview: LedgerPreview) -> list[tuple[int | None, str]]:
    """The rows a saved profile may recognise as the header: the one the reader found (or its best
    candidate), then each of the top rows (a title row may have looked like a header to the reader)."""
    candidates: list[tuple[int | None, str]] = [(preview.header_row, preview.signature)]
    for index, cells in enumerate(preview.first_rows.itertuples(index=False)):
        signature = header_signature(list(cells))
        if signature:
            candidates.append((index + 1, signature))
    return candidates


def _columns(tables: list[Table], name: str, store: Store | None, mapping: ColumnMapping | None, profile: str | None,
             sheet: str | None) -> tuple[ColumnMapping | None, str | None, str | None]:
    """The mapping to read with, the name of the profile it comes from, and the sheet."""
    if mapping is not None:
        return mapping, None, sheet
    if profile is not None:
        if store is None:
            raise _refused(f"geen profiel '{profile}': er is nog geen databank, dus ook geen bewaard profiel", name)
        try:
            saved = get_profile(store, profile)
        except ProfileError as error:
            raise _refused(str(error), name) from None
        return saved.mapping, saved.name, sheet
    preview = preview_tables(tables, name, sheet=sheet)
    if store is not None:
        for row, signature in _header_candidates(preview):
            saved = find_profile(store, signature)
            if saved is not None:
                mapping = saved.mapping if row is None else dataclasses.replace(saved.mapping, header_row=row)
                return mapping, saved.name, preview.sheet if sheet is None else sheet
    if preview.problems:
        raise MappingNeeded(preview, name)
    return None, None, sheet


def prepare_ledger(data: bytes, filename: str, *, store: Store | None, portfolio: PortfolioSource = None,
                   mapping: ColumnMapping | None = None, profile: str | None = None,
                   sheet: str | None = None, tables: list[Table] | None = None) -> LedgerUpload:
    """Everything an import does before it writes: steps 1 to 3 of the module's workflow.

    Parameters
    ----------
    data, filename : bytes, str
        The export and its name as uploaded (the extension says the format).
    store : Store or None
        The database when it exists (for the earlier imports and the profiles); never written here.
    portfolio : Portfolio, callable or None
        See :data:`PortfolioSource`.
    mapping : ColumnMapping, optional
        The columns as the user picked them; no recognition and no profile then.
    profile : str, optional
        The name of a saved profile to apply.
    sheet : str, optional
        Read only this sheet of a workbook.
    tables : list of Table, optional
        ``data`` already checked and read by :func:`~igemo_fin.inputs.ledger_tables.read_tables`
        (the command line does so before it loads pandas).

    Raises
    ------
    MappingNeeded
        The header is not recognised and no profile applies.
    InputError
        The file is refused (unsafe, unreadable, invalid lines, unknown profile): every problem with
        its file, sheet, row and column.
    """
    name = PurePath(filename).name
    sha, earlier = earlier_report(data, name, None if store is None else store.find_import)
    if earlier is not None:
        return LedgerUpload(earlier, None)
    # Read (and safety-check) the file once: the header's preview and the lines share the tables.
    if tables is None:
        tables = read_tables(data, name)
    mapping, profile_name, sheet = _columns(tables, name, store, mapping, profile, sheet)
    if callable(portfolio):
        portfolio = portfolio()
    read = ledger_from_tables(tables, name, mapping=mapping, sheet=sheet,
                              rekeningen=None if portfolio is None else portfolio.accounts,
                              known_projects=None if portfolio is None else portfolio.project_codes, release=True)
    del tables  # the lines are in ``read`` now; the raw cells need not outlive this call
    return LedgerUpload(LedgerReport.of_read(read, file_sha256=sha, filename=name, profile=profile_name), read,
                        mapping)


def store_ledger(store: Store, upload: LedgerUpload, *, uploader: str | None) -> LedgerReport:
    """Store a prepared export in one transaction (step 4); a file imported before adds nothing."""
    if upload.read is None:
        return upload.report
    result = store.import_ledger(upload.read, file_sha256=upload.report.file_sha256,
                                 filename=upload.report.filename, uploader=uploader, report=upload.report.kept())
    if result.already_imported:  # stored by someone else since it was prepared
        found = store.find_import(result.file_sha256)
        earlier = LedgerReport.of_earlier_import(found)
        return earlier or dataclasses.replace(upload.report, already_imported=True, imported_at=result.imported_at)
    return upload.report.stored(imported_at=result.imported_at, rows_stored=result.rows_stored,
                                rows_already_present=result.rows_already_present)


def import_ledger(data: bytes, filename: str, *, db: Callable[[], Store], existing: Store | None,
                  portfolio: PortfolioSource = None, uploader: str | None, mapping: ColumnMapping | None = None,
                  profile: str | None = None, sheet: str | None = None,
                  tables: list[Table] | None = None) -> LedgerReport:
    """The whole workflow: :func:`prepare_ledger`, then :func:`store_ledger` into ``db()``.

    ``existing`` is the store when its file exists (read only); ``db`` opens (and creates) the store
    to write to, called only once the file is accepted. ``tables``: see :func:`prepare_ledger`.
    """
    upload = prepare_ledger(data, filename, store=existing, portfolio=portfolio, mapping=mapping,
                            profile=profile, sheet=sheet, tables=tables)
    if upload.already_imported:
        return upload.report
    return store_ledger(db(), upload, uploader=uploader)
