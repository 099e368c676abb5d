"""Which column of a ledger export is which field: recognised, or picked by the user.

:func:`preview_ledger` shows what the reader makes of a file before anything is imported: its
sheets, the header row found, the fields recognised and, in Dutch, why that is not enough. When the
header is not recognised the user picks the columns by hand; a :class:`ColumnMapping` records that
choice, and :func:`header_signature` keys it so the next file with the same header is read alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from igemo_fin.errors import LedgerError, Problem
from igemo_fin.inputs.ledger_header import (
    FIELD_NL,
    HEADER_NAMES,
    HEADER_SEARCH_ROWS,
    Header,
    column_letter,
    find_header,
    normalise_text,
)
from igemo_fin.inputs.ledger_tables import TEXT_SHEET, Table, load_source, read_tables, select_tables

__all__ = [
    "ColumnMapping",
    "LedgerPreview",
    "Located",
    "PREVIEW_ROWS",
    "header_from_mapping",
    "preview_tables",
    "header_problems",
    "header_signature",
    "locate_header",
    "preview_ledger",
]

PREVIEW_ROWS = 20
"""Rows from the top of the sheet a preview shows."""

_MAPPED_FIELDS = ("date", "account", "project", "amount", "debit", "credit", "description", "journal", "document")
_CHOOSE = "kies de kolommen zelf bij het importeren (kolomkeuze)"


@dataclass(frozen=True)
class ColumnMapping:
    """Which header cell of the export holds which field, as the user picked it (or a saved profile).

    Columns are named by their header text exactly as it stands in the file. Give either ``amount``
    (one signed column, debit - credit) or both ``debit`` and ``credit``.
    """

    date: str
    account: str
    project: str | None = None
    amount: str | None = None
    debit: str | None = None
    credit: str | None = None
    description: str | None = None
    journal: str | None = None
    document: str | None = None
    decimal_mark: str = ","
    header_row: int | None = None

    def __post_init__(self):
        if self.decimal_mark not in (",", "."):
            raise ValueError(f"decimal_mark must be ',' or '.', not {self.decimal_mark!r}")
        if self.amount is None and (self.debit is None or self.credit is None):
            raise ValueError("a mapping needs 'amount', or both 'debit' and 'credit'")
        if self.header_row is not None and self.header_row < 1:
            raise ValueError("header_row is an Excel row number (1 or more)")

    def fields(self) -> dict[str, str]:
        """Field -> header text, for the fields mapped."""
        return {f: getattr(self, f) for f in _MAPPED_FIELDS if getattr(self, f) is not None}

    def as_json(self) -> str:
        """The mapping as JSON text (keys sorted), to save as a profile.

        >>> ColumnMapping.from_json(ColumnMapping("Datum", "Rek", amount="Bedrag").as_json()).amount
        'Bedrag'
        """
        return json.dumps(dataclasses.asdict(self), sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "ColumnMapping":
        """A mapping saved with :meth:`as_json`; keys it does not know are ignored."""
        values = json.loads(text)
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


def header_signature(cells: Sequence[object]) -> str:
    """A stable key for a header row: normalised cell texts, order kept, blanks dropped.

    >>> header_signature(["Datum ", None, "Rekening", "", "Bedrag (EUR)"])
    'datum|rekening|bedrag eur'
    """
    texts = (normalise_text(_as_text(c)) for c in cells)
    return "|".join(t for t in texts if t)


@dataclass(frozen=True)
class LedgerPreview:
    """What the reader makes of a ledger export, for the user to check or to map by hand."""

    sheet_names: tuple[str, ...]
    """Every sheet (one pseudo-sheet, ``"tekst"``, for a text file)."""
    sheet: str | None
    """The sheet the ledger was found on, or that was asked for (``None`` for a text file)."""
    header_row: int | None
    """Excel row of the header found; ``None`` when none was recognised."""
    header: tuple[str, ...]
    """The header cells (as text) of that row, or of the best candidate row."""
    first_rows: pd.DataFrame
    """Up to 20 rows from the top of the sheet, as text, columns named by Excel letters."""
    recognised: dict[str, str]
    """Field -> header cell, for what was recognised unambiguously."""
    problems: tuple[str, ...]
    """Dutch: why recognition is not enough (a missing field, two candidate columns: both named)."""
    signature: str
    """:func:`header_signature` of :attr:`header`."""


@dataclass(frozen=True)
class Located:
    """The table holding the ledger, its header (or the best candidate row) and whether it was found."""

    table: Table
    header: Header
    found: bool


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def locate_header(tables: Sequence[Table]) -> Located:
    """The first table whose header is recognised, or the table and row that came closest."""
    best: Located | None = None
    for table in tables:
        header, candidate = find_header(table.rows)
        if header is not None:
            return Located(table, header, True)
        if best is None or len(candidate.columns) > len(best.header.columns):
            best = Located(table, candidate, False)
    return best if best is not None else Located(Table(None, []), Header(0, {}, {}, {}), False)


def _examples(fld: str) -> str:
    return ", ".join(HEADER_NAMES[fld][:4])


def header_problems(located: Located) -> list[Problem]:
    """Why the header located is not enough to read the ledger (empty when it is)."""
    header, sheet = located.header, located.table.sheet
    seen = header.columns
    if not located.found:
        wanted = ["date", "account"] + ([] if {"amount", "debit", "credit"} & seen.keys() else ["amount"])
        names = "; ".join(f"{FIELD_NL[f]} ({_examples(f)})" for f in wanted if f not in seen)
        reason = (f"geen kopregel gevonden in de eerste {HEADER_SEARCH_ROWS} rijen: kolommen voor "
                  f"{names or 'de verplichte velden'} ontbreken; controleer dat de export een kopregel "
                  f"heeft, of {_CHOOSE}")
        return [Problem(sheet, None, None, reason)]
    row = header.index + 1
    problems = []
    for fld, labels in header.ambiguous.items():
        both = " en ".join(f"'{label}'" for label in labels)
        problems.append(Problem(sheet, row, ", ".join(labels),
                                f"de kolommen {both} kunnen allebei de {FIELD_NL[fld]} zijn; {_CHOOSE}, "
                                "of geef één ervan een andere naam in de export"))
    missing = [] if "project" in seen else ["project"]
    if not ("amount" in seen and not ("debit" in seen and "credit" in seen)):
        missing += [f for f in ("debit", "credit") if f not in seen]
    if missing:
        names = ", ".join(f"{FIELD_NL[f]} ({_examples(f)})" for f in missing)
        problems.append(Problem(sheet, row, None, f"kopregel gevonden, maar kolom(men) ontbreken: {names}; "
                                                  f"voeg ze toe aan de export, of {_CHOOSE}"))
    return problems


def _cells(row: Sequence[object]) -> list[str]:
    return [_as_text(c) for c in row]


def _columns_in(row: Sequence[object], wanted: dict[str, str]) -> dict[str, int] | None:
    cells = _cells(row)
    exact = {text: j for j, text in reversed(list(enumerate(cells))) if text}
    loose = {normalise_text(text): j for j, text in reversed(list(enumerate(cells))) if text}
    found = {}
    for fld, name in wanted.items():
        j = exact.get(name.strip(), loose.get(normalise_text(name)))
        if j is None:
            return None
        found[fld] = j
    return found


def header_from_mapping(tables: Sequence[Table], mapping: ColumnMapping, name: str) -> tuple[Table, Header]:
    """The table and header a hand-made mapping points at; refused naming the columns not found."""
    wanted = mapping.fields()
    for table in tables:
        if mapping.header_row is not None:
            candidates = [mapping.header_row - 1] if mapping.header_row <= len(table.rows) else []
        else:
            candidates = range(min(len(table.rows), HEADER_SEARCH_ROWS))
        for i in candidates:
            columns = _columns_in(table.rows[i], wanted)
            if columns is not None:
                labels = {f: _as_text(table.rows[i][j]) for f, j in columns.items()}
                return table, Header(i, columns, labels, {})
    table = tables[0] if tables else Table(None, [])
    if mapping.header_row is not None and mapping.header_row <= len(table.rows):
        present = _cells(table.rows[mapping.header_row - 1])
        absent = [f"'{v}'" for v in wanted.values() if _columns_in([*present], {"x": v}) is None]
        where = f"rij {mapping.header_row}"
    else:
        absent = [f"'{v}'" for v in wanted.values()]
        where = f"de eerste {HEADER_SEARCH_ROWS} rijen"
    reason = (f"de gekozen kolommen {', '.join(absent)} staan niet samen in {where}; "
              "kies de kolommen opnieuw voor dit bestand")
    raise LedgerError([Problem(table.sheet if len(tables) == 1 else None, mapping.header_row, None, reason)],
                      file=name)


def _first_rows(rows: list[list]) -> pd.DataFrame:
    top = [_cells(r) for r in rows[:PREVIEW_ROWS]]
    width = max((len(r) for r in top), default=0)
    letters = [column_letter(j) for j in range(width)]
    return pd.DataFrame([r + [""] * (width - len(r)) for r in top], columns=letters, dtype="str")


def preview_ledger(source, *, filename: str | None = None, sheet: str | None = None) -> LedgerPreview:
    """What :func:`~igemo_fin.inputs.ledger.read_ledger` would make of a file's header, without
    reading its lines.

    Parameters
    ----------
    source : bytes or path
    filename : str, optional
        As for ``read_ledger``.
    sheet : str, optional
        Look only at this sheet.

    Raises
    ------
    FileRefused
        The bytes fail the safety checks.
    LedgerError
        The file cannot be read, or has no sheet ``sheet``.
    """
    data, name = load_source(source, filename)
    return preview_tables(read_tables(data, name), name, sheet=sheet)


def preview_tables(every: list[Table], name: str, *, sheet: str | None = None) -> LedgerPreview:
    """:func:`preview_ledger` on tables already read by :func:`~igemo_fin.inputs.ledger_tables.read_tables`."""
    located = locate_header(select_tables(every, sheet, name))
    rows = located.table.rows
    index = located.header.index
    if not located.header.columns:  # nothing recognised: show the first row that holds anything
        index = next((i for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if any(_cells(r))), 0)
    header = tuple(_cells(rows[index])) if rows else ()
    ambiguous = located.header.ambiguous
    return LedgerPreview(
        sheet_names=tuple(t.sheet if t.sheet is not None else TEXT_SHEET for t in every),
        sheet=located.table.sheet,
        header_row=index + 1 if located.found else None,
        header=header,
        first_rows=_first_rows(rows),
        recognised={f: lab for f, lab in located.header.labels.items() if f not in ambiguous},
        problems=tuple(p.reason for p in header_problems(located)),
        signature=header_signature(header),
    )
