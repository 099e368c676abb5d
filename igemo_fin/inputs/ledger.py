"""Read and validate a general-ledger export (WORKBOOK.md, "Ledger export").

:func:`read_ledger` takes an ``.xlsx``, ``.xlsm``, ``.xls`` or ``.ods`` workbook or a text export
(``.csv``/``.txt``), after :func:`~igemo_fin.inputs.filesafety.check_upload` has vetted the bytes
(:mod:`~igemo_fin.inputs.ledger_tables`). It finds the header row after any title rows and
recognises the columns from the words of their Dutch, English or French names
(:mod:`~igemo_fin.inputs.ledger_header`), or takes them from a hand-made
:class:`~igemo_fin.inputs.ledger_mapping.ColumnMapping`, then reads every line
(:mod:`~igemo_fin.inputs.ledger_lines`, :mod:`~igemo_fin.inputs.ledger_frames`):

* amounts as numbers or Belgian text, exact to the cent (half up); one signed column is debit minus
  credit, as accounting packages export it, or two columns debit and credit;
* dates as real dates, Excel serials, ``dd/mm/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy`` or ``yyyy-mm-dd``;
* account, project and document codes as text (``604000.0`` becomes ``"604000"``).

Any invalid line (unreadable or missing date, amount or account) refuses the whole file with a
:class:`~igemo_fin.errors.LedgerError` that lists *every* problem with its Excel row and column.
Lines without a project code, with an unknown code, or on an account that maps to ``negeren`` or to
no category are valid but left out of project actuals: they are listed in ``skipped`` with their row,
a Dutch reason and their amount, never silently dropped. A final totals row is recognised and checked
against the lines.

Engine convention: inflow positive, outflow negative, so ``amount_cents = credit - debit``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from igemo_fin.errors import LedgerError
from igemo_fin.fmt import eur
from igemo_fin.inputs.ledger_frames import (
    LINE_COLUMNS,
    SKIPPED_COLUMNS,
    actuals_by_year,
    lines_frame,
    match_project_codes,
    skipped_lines,
)
from igemo_fin.inputs.ledger_header import HEADER_NAMES
from igemo_fin.inputs.ledger_lines import BOOKING, TEXT_FIELDS, TEXT_ROW, validate_lines
from igemo_fin.inputs.ledger_mapping import (
    ColumnMapping,
    header_from_mapping,
    header_problems,
    header_signature,
    locate_header,
)
from igemo_fin.inputs.ledger_tables import Table, load_source, read_tables, select_tables

# The names callers have always imported from here; each lives in the module of its concept.
__all__ = [
    "LedgerRead",
    "LINE_COLUMNS",
    "SKIPPED_COLUMNS",
    "HEADER_NAMES",
    "ColumnMapping",
    "read_ledger",
    "ledger_from_tables",
    "actuals_by_year",
    "match_project_codes",
]


@dataclass(frozen=True)
class LedgerRead:
    """A ledger export read and validated by :func:`read_ledger`."""

    lines: pd.DataFrame
    """Every valid booking line, in file order: ``row`` (Excel row, int), ``date``
    (datetime64), ``year`` (int), ``account`` (text), ``project_code`` (text, NaN when empty;
    spelled as in ``known_projects`` when given), ``category`` (a category, ``negeren``, or NaN
    when no prefix covers the account), ``amount_cents`` (int64, signed: inflow +, outflow -),
    ``description``, ``journal``, ``document`` (text or NaN), ``fingerprint`` (sha256 hex of date,
    account, project, amount, description and document), ``occurrence`` (1, 2, ... among lines with
    the same fingerprint in this file)."""
    actual_mask: np.ndarray
    """Per line of :attr:`lines`: does it count as a project actual (bool)."""
    skipped: pd.DataFrame
    """Rows left out of the actuals: ``row``, ``reason`` (Dutch), ``amount_cents`` (signed; 0 for
    rows that are no booking), ``code`` (``negeren``, ``geen_categorie``, ``geen_project``,
    ``onbekend_project``, ``tussentotaal``, ``geen_boeking``), ``account``, ``project_code``."""
    rows_read: int
    """Data rows read below the header, blank rows and the final totals row excepted;
    ``rows_read == len(actual_lines) + len(skipped)``."""
    file_total_cents: int | None
    """Net total of the final totals row (credit - debit, so inflow +) when the file has one."""
    columns: Mapping[str, str] = field(default_factory=dict)
    """Field -> header as found in the file (``{"date": "Boekdatum", ...}``), for a preview."""
    sheet: str | None = None
    """The sheet read (a workbook) or ``None`` (a text file)."""
    header_row: int | None = None
    """Excel row of the header."""
    header_signature: str = ""
    """:func:`~igemo_fin.inputs.ledger_mapping.header_signature` of the header row, to find the
    mapping saved for exports with the same header."""

    @property
    def net_total_cents(self) -> int:
        """Credit minus debit of every valid booking line (inflow +) [cents]: what the file's totals
        row, when it has one, must equal."""
        return int(self.lines["amount_cents"].sum())

    @property
    def actual_lines(self) -> pd.DataFrame:
        """The lines that count as project actuals (known project, category not ``negeren`` nor
        missing); same columns as :attr:`lines`. Made when asked: a second copy of most lines held
        beside :attr:`lines` for the whole import would add to its peak memory."""
        return self.lines[self.actual_mask].reset_index(drop=True)

    @property
    def rows_imported(self) -> int:
        """How many lines count as project actuals."""
        return int(np.count_nonzero(self.actual_mask))



def read_ledger(source: bytes | str | os.PathLike, *, filename: str | None = None,
                rekeningen: pd.DataFrame | None = None,
                known_projects: Iterable[str] | None = None, mapping: ColumnMapping | None = None,
                sheet: str | None = None) -> LedgerRead:
    """Read a ledger export, validate every line and map accounts to categories.

    Parameters
    ----------
    source : bytes or path
        The file's bytes (an upload) or its path.
    filename : str, optional
        The name as uploaded; its extension must match the bytes. Default: the path's name, or for
        bytes ``grootboek.xlsx``/``grootboek.xls``/``grootboek.csv`` after the content.
    rekeningen : pandas.DataFrame, optional
        The workbook's ``rekeningen`` sheet (``rekening_prefix``, ``categorie``); default DOMAIN.md's
        table (see :func:`~igemo_fin.inputs.accounts.categorize_accounts`).
    known_projects : iterable of str, optional
        Project codes of the portfolio. When given, a line with another code is skipped as unknown;
        codes match ignoring case and surrounding blanks, and take the portfolio's spelling.
    mapping : ColumnMapping, optional
        Columns picked by hand (or a saved profile): no recognition is done, the header is the row
        holding these names, text amounts use its decimal mark. A mapping may leave out the
        project: every line is then listed as without project.
    sheet : str, optional
        Read only this sheet of a workbook.

    Returns
    -------
    LedgerRead

    Raises
    ------
    FileRefused
        The bytes fail :func:`~igemo_fin.inputs.filesafety.check_upload` (size, type, hostile content).
    LedgerError
        No header row, a required column missing, two columns that could be the same field, a
        mapped column not found, any invalid line, or a totals row that does not match the lines;
        every problem is listed with its sheet, Excel row and column.
    WorkbookError
        ``rekeningen`` itself is invalid.

    Notes
    -----
    Sign: ``amount_cents = credit - debit`` [cents]; a single amount column holds debit - credit, so
    its value is negated. A line is left out of the actuals (and listed in ``skipped``), in this
    order of reasons: its account maps to ``negeren``; its account maps to no category; it has no
    project code; its project code is unknown.
    """
    data, name = load_source(source, filename)
    return ledger_from_tables(read_tables(data, name), name, rekeningen=rekeningen, known_projects=known_projects,
                              mapping=mapping, sheet=sheet)


def ledger_from_tables(every: list[Table], name: str, *, rekeningen: pd.DataFrame | None = None,
                       known_projects: Iterable[str] | None = None, mapping: ColumnMapping | None = None,
                       sheet: str | None = None, release: bool = False) -> LedgerRead:
    """:func:`read_ledger` on tables already read (and checked) by
    :func:`~igemo_fin.inputs.ledger_tables.read_tables`: the import reads a file once for both the
    preview of its header and its lines. ``release``: the caller is done with the tables, whose
    cells are dropped once validated (before the lines frame is made, to lower the peak memory)."""
    tables = select_tables(every, sheet, name)
    if mapping is not None:
        table, header = header_from_mapping(tables, mapping, name)
    else:
        located = locate_header(tables)
        problems = header_problems(located)
        if problems:
            if not located.found and len(tables) > 1:
                problems = [dataclasses.replace(p, sheet=None) for p in problems]
            raise LedgerError(problems, file=name)
        table, header = located.table, located.header
    valid = validate_lines(table.rows, table.sheet, header, name,
                           decimal_mark=mapping.decimal_mark if mapping is not None else None)
    signature = header_signature(table.rows[header.index])
    raw = valid.raw
    if release:
        for each in every:
            each.rows = []
        # the lines frame reads only the text fields' cells: the others go with the sheet's
        raw = {fld: raw[fld] for fld in TEXT_FIELDS}
        valid = dataclasses.replace(valid, raw=raw)
    booking = valid.kind == BOOKING
    lines, known = lines_frame(booking, valid.excel_rows, valid.dates, valid.account, valid.project, valid.net,
                               raw, rekeningen, known_projects)
    skipped, actual_mask = skipped_lines(lines, known if known_projects is not None else None)
    extra = [
        {"row": int(valid.excel_rows[i]), "reason": f"tussentotaal ({eur(cents / 100, 2)}): "
                                                    "geen boeking, niet meegeteld",
         "amount_cents": 0, "code": "tussentotaal", "account": None, "project_code": None}
        for i, cents in valid.subtotal_net.items()
    ] + [
        {"row": int(valid.excel_rows[i]), "reason": "regel zonder datum, rekening of bedrag: geen boeking",
         "amount_cents": 0, "code": "geen_boeking", "account": None, "project_code": None}
        for i in np.flatnonzero(valid.kind == TEXT_ROW)
    ]
    if extra:
        skipped = pd.concat([skipped, pd.DataFrame(extra, columns=list(SKIPPED_COLUMNS))],
                            ignore_index=True)
        skipped = skipped.sort_values("row", kind="stable").reset_index(drop=True)
    skipped["amount_cents"] = skipped["amount_cents"].astype(np.int64)
    skipped["row"] = skipped["row"].astype(np.int64)
    return LedgerRead(
        lines=lines,
        actual_mask=actual_mask,
        skipped=skipped,
        rows_read=len(lines) + len(extra),
        file_total_cents=valid.file_total,
        columns=dict(header.labels),
        sheet=table.sheet,
        header_row=header.index + 1,
        header_signature=signature,
    )
