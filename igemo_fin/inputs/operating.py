"""The optional sheet ``exploitatie``: IGEMO's operating result outside the projects, per year.

Columns ``jaar`` (year) and ``resultaat_buiten_projecten`` (EUR, signed: a loss is negative). The
multi-year outlook adds it to the equity of each year; a year without a row adds 0, and so does a
workbook without the sheet. The workbook reader checks the sheet with :func:`parse_operating` (so a
bad row refuses the workbook with its row, column and reason, like every sheet) and keeps its rows;
:func:`operating_results` reads them back for the engine.
"""

from __future__ import annotations

import pandas as pd

from igemo_fin.errors import WorkbookError
from igemo_fin.inputs.workbook_cells import Collector, Row, Sheet, as_number, as_year, check_year, require_columns

__all__ = ["SHEET", "COLUMNS", "parse_operating", "operating_results"]

SHEET = "exploitatie"
COLUMNS = ("jaar", "resultaat_buiten_projecten")


def parse_operating(c: Collector, sheet: Sheet | None) -> pd.Series:
    """The operating result per year [EUR], indexed by year; every bad cell is added to ``c``.

    >>> rows = [Row(2, {"jaar": 2026, "resultaat_buiten_projecten": "-150.000,00"})]
    >>> parse_operating(Collector(), Sheet(SHEET, list(COLUMNS), rows)).to_dict()
    {2026: -150000.0}
    >>> c = Collector(); _ = parse_operating(c, Sheet(SHEET, list(COLUMNS), [Row(3, {"jaar": "x"})]))
    >>> [p.describe() for p in c.problems]
    ["blad 'exploitatie', rij 3, kolom 'jaar': 'x' is geen geldig jaartal", "blad 'exploitatie', rij 3, kolom 'resultaat_buiten_projecten': verplichte waarde ontbreekt (lege cel)"]
    """
    values: dict[int, float] = {}
    if sheet is None or not require_columns(c, sheet, COLUMNS):
        return pd.Series(values, dtype=float)
    seen: dict[int, int] = {}
    for row in sheet.rows:
        r = row.excel_row
        year = check_year(c, sheet.name, r, "jaar", c.cell(sheet.name, row, "jaar", as_year, "geldig jaartal", True))
        amount = c.cell(sheet.name, row, "resultaat_buiten_projecten", as_number, "bedrag", True)
        if year is not None and year in seen:
            c.add(sheet.name, r, "jaar", f"jaar {year} komt dubbel voor (ook op rij {seen[year]})")
            continue
        if year is None or amount is None:
            continue
        seen[year] = r
        values[year] = float(amount)
    return pd.Series(values, dtype=float).sort_index()


def operating_results(portfolio) -> pd.Series:
    """The portfolio's ``exploitatie`` per year [EUR] (empty without the sheet).

    Raises
    ------
    WorkbookError
        A row breaks the contract (a portfolio built without the workbook reader).
    """
    rows = portfolio.extra_sheets.get(SHEET)
    if not rows:
        return pd.Series(dtype=float)
    headers = sorted({k for row in rows for k in row if k != "_row"})
    sheet = Sheet(SHEET, headers, [Row(int(row.get("_row", i + 2)), {k: v for k, v in row.items() if k != "_row"})
                                   for i, row in enumerate(rows)])
    c = Collector()
    values = parse_operating(c, sheet)
    if c.problems:
        raise WorkbookError(c.problems, file=portfolio.source_name)
    return values
