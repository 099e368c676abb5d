"""The cells of the portfolio workbook: one sheet's rows, the problem collector and the cell parsers.

Every parser takes one raw cell (what python-calamine gives) and returns the value or raises
``ValueError``; :meth:`Collector.cell` turns that into a Dutch problem naming the sheet, the Excel row
and the column, so a reader reports every bad cell at once. Numbers are read by the product's one
Belgian number parser, :func:`igemo_fin.inputs.cells.parse_number`, with the workbook's rules
(:func:`as_number`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from igemo_fin.errors import Problem
from igemo_fin.inputs.cells import parse_number

__all__ = ["YEAR_MIN", "YEAR_MAX", "Row", "Sheet", "Collector", "is_empty", "show", "as_text", "as_number",
           "as_year", "as_yes_no", "require_columns", "check_year", "check_pct", "check_choice"]

YEAR_MIN, YEAR_MAX = 1990, 2100
"""Years outside these are refused as typing errors."""

_YES = {"ja", "yes", "1", "true", "waar", "j", "y"}
_NO = {"nee", "no", "0", "false", "onwaar", "n"}


@dataclass
class Row:
    """One data row of a sheet: its Excel row number and its cells by (lower-case) header."""

    excel_row: int
    cells: dict[str, Any]


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[Row]


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


# --------------------------------------------------------------------------- cell parsing

class Collector:
    """Collects problems while cells are parsed; parsing functions return None on failure."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, sheet: str | None, row: int | None, column: str | None, reason: str) -> None:
        self.problems.append(Problem(sheet, row, column, reason))

    # Each parser takes (sheet, row, column, required) and returns the value or None.
    def cell(self, sheet: str, row: Row, column: str, parse: Callable[[Any], Any], what: str,
             required: bool) -> Any:
        value = row.cells.get(column)
        if is_empty(value):
            if required:
                self.add(sheet, row.excel_row, column, "verplichte waarde ontbreekt (lege cel)")
            return None
        try:
            return parse(value)
        except (ValueError, TypeError):
            self.add(sheet, row.excel_row, column, f"'{show(value)}' is geen {what}")
            return None


def show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def as_number(value: Any) -> float:
    """A number cell, or a text in Belgian style, as the workbook reads it (not rounded).

    A text that is a plain decimal with a point (``4.25``, also ``1.234``) is read with a point, as
    WORKBOOK.md writes percentages; any other text with a decimal comma and dots or blanks between
    thousands (``1.234,56``, ``€ 1 234,56``). The accounting notations that ledger exports use, a
    trailing minus (``1.234,56-``) and parentheses (``(1.234,56)``), are refused: a portfolio amount
    is positive and a correction is written with a leading minus.

    >>> as_number("1.000.000,50"), as_number("4.25"), as_number("3,25"), as_number(7)
    (1000000.5, 4.25, 3.25, 7.0)
    >>> as_number("(1.234,56)")
    Traceback (most recent call last):
    ValueError: '(1.234,56)' is geen getal
    """
    return parse_number(value, separator=None, accounting=False)

def as_year(value: Any) -> int:
    number = as_number(value)
    if not float(number).is_integer():
        raise ValueError("not whole")
    return int(number)


def as_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("not yes/no")


# --------------------------------------------------------------------------- sheet checks

def require_columns(c: Collector, sheet: Sheet, columns: tuple[str, ...]) -> bool:
    missing = [col for col in columns if col not in sheet.headers]
    for col in missing:
        c.add(sheet.name, 1, col, "verplichte kolom ontbreekt in de kopregel")
    return not missing


def check_year(c: Collector, sheet: str, row: int, column: str, year: int | None) -> int | None:
    if year is not None and not (YEAR_MIN <= year <= YEAR_MAX):
        c.add(sheet, row, column, f"jaar {year} ligt buiten {YEAR_MIN}-{YEAR_MAX}")
        return None
    return year


def check_pct(c: Collector, sheet: str, row: int, column: str, value: float | None) -> float | None:
    if value is not None and not (0 <= value <= 100):
        c.add(sheet, row, column, f"percentage {value:g} ligt niet tussen 0 en 100")
        return None
    return value


def check_choice(c: Collector, sheet: str, row: Row, column: str, allowed: tuple[str, ...],
                 what: str) -> str | None:
    value = c.cell(sheet, row, column, as_text, "tekst", required=True)
    if value is None:
        return None
    if value.lower() not in allowed:
        c.add(sheet, row.excel_row, column,
              f"onbekende {what} '{show(value)}' (toegelaten: {', '.join(allowed)})")
        return None
    return value.lower()
