"""Typed errors of the engine, so the UI and the CLI can show them without a traceback.

Every problem found in an input file is a :class:`Problem` naming the file, sheet, Excel row and
column, with the reason in Dutch (finance reads these). A reader collects *all* problems of a file
before it refuses it, so finance can fix everything in one go.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Problem", "InputError", "WorkbookError", "LedgerError", "FileRefused", "PROBLEM_COLUMNS", "problems_frame"]


@dataclass(frozen=True)
class Problem:
    """One reason why a file is refused.

    ``row`` is the row number as Excel shows it (1-based, header row included); ``None`` when the
    problem concerns a whole sheet or column.
    """

    sheet: str | None
    row: int | None
    column: str | None
    reason: str

    def describe(self, file: str | None = None) -> str:
        """A one-line Dutch description: ``bestand 'x.xlsx', blad 'kasstromen', rij 7, kolom 'bedrag': ...``."""
        parts = []
        if file:
            parts.append(f"bestand '{file}'")
        if self.sheet:
            parts.append(f"blad '{self.sheet}'")
        if self.row is not None:
            parts.append(f"rij {self.row}")
        if self.column:
            parts.append(f"kolom '{self.column}'")
        where = ", ".join(parts)
        return f"{where}: {self.reason}" if where else self.reason

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}


class InputError(ValueError):
    """A file that breaks its contract; carries every problem found, not just the first."""

    kind = "bestand"

    def __init__(self, problems: list[Problem], file: str | None = None):
        self.problems = list(problems)
        self.file = file
        lines = [p.describe(file) for p in self.problems]
        head = f"{self.kind} geweigerd: {len(lines)} probleem/problemen"
        super().__init__(head + "\n" + "\n".join(f"- {line}" for line in lines))

    def messages(self) -> list[str]:
        return [p.describe(self.file) for p in self.problems]


class WorkbookError(InputError):
    """The portfolio workbook breaks WORKBOOK.md."""

    kind = "Portefeuilleboek"


class LedgerError(InputError):
    """A ledger export cannot be read or holds invalid lines."""

    kind = "Grootboekexport"


class FileRefused(InputError):
    """A file refused before parsing: too large, not what its name says, or hostile."""

    kind = "Bestand"


#: :func:`problems_frame`: one row per problem, with the Dutch column names finance reads.
PROBLEM_COLUMNS = (
    "Blad",   # the sheet ("" when the problem concerns the whole file)
    "Rij",    # the row as Excel numbers it (Int64, missing for a whole sheet or column)
    "Kolom",  # the column ("" when the problem concerns a whole row or sheet)
    "Reden",  # why, in Dutch
)


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """Why a file is refused, as a table: :data:`PROBLEM_COLUMNS`, one row per problem, in order.

    >>> frame = problems_frame([Problem("kasstromen", 7, "bedrag", "'veel' is geen geldig bedrag"),
    ...                         Problem(None, None, None, "bestand niet gevonden")])
    >>> frame["Blad"].tolist(), frame["Rij"].isna().tolist(), frame["Kolom"].tolist()
    (['kasstromen', ''], [False, True], ['bedrag', ''])
    """
    import pandas as pd  # here, not at the top: the command line's quick answers never need pandas

    problems = list(problems)
    return pd.DataFrame({
        "Blad": [p.sheet or "" for p in problems],
        "Rij": pd.array([p.row for p in problems], dtype="Int64"),
        "Kolom": [p.column or "" for p in problems],
        "Reden": [p.reason for p in problems],
    }, columns=list(PROBLEM_COLUMNS))
