"""Read and validate the portfolio workbook exactly as WORKBOOK.md describes it.

The reader never stops at the first problem: it checks every sheet, row and column and then refuses
the workbook with all problems at once (:class:`~igemo_fin.errors.WorkbookError`), each naming the
sheet, the row as Excel numbers it, the column and the reason in Dutch. Unknown columns and sheets
are ignored, as the contract says.
"""

from __future__ import annotations

import io
import os
from typing import Any, BinaryIO

import pandas as pd

from igemo_fin.errors import FileRefused, Problem, WorkbookError
from igemo_fin.inputs.agreement_sheets import AGREEMENT_SHEETS, parse_agreements
from igemo_fin.inputs.filesafety import check_upload
from igemo_fin.inputs.workbook_cells import YEAR_MAX, YEAR_MIN, Collector, Row, Sheet, is_empty
from igemo_fin.inputs.operating import SHEET as OPERATING_SHEET
from igemo_fin.inputs.operating import parse_operating
from igemo_fin.inputs.workbook_sheets import (
    parse_accounts,
    parse_cashflows,
    parse_credit,
    parse_projects,
    parse_risks,
    parse_settings,
    parse_thresholds,
)
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.thresholds import Thresholds

__all__ = ["read_workbook", "read_sheets", "parse_portfolio", "YEAR_MIN", "YEAR_MAX", "REQUIRED_SHEETS"]

REQUIRED_SHEETS = ("projecten", "kasstromen", "kaskrediet", "drempels")


# --------------------------------------------------------------------------- raw reading

def read_sheets(source: str | os.PathLike | bytes | BinaryIO) -> dict[str, Sheet]:
    """Every sheet of an .xlsx/.xls/.ods file as header + rows, keyed by lower-case sheet name.

    Empty rows are skipped but the Excel row numbers of the others are kept exact.
    """
    from python_calamine import CalamineWorkbook

    if isinstance(source, (bytes, bytearray)):
        book = CalamineWorkbook.from_filelike(io.BytesIO(source))
    elif hasattr(source, "read"):
        book = CalamineWorkbook.from_filelike(source)
    else:
        book = CalamineWorkbook.from_path(os.fspath(source))
    sheets: dict[str, Sheet] = {}
    for name in book.sheet_names:
        raw = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        key = str(name).strip().lower()
        if key in sheets:
            continue
        if not raw:
            sheets[key] = Sheet(str(name), [], [])
            continue
        headers = [_header(h) for h in raw[0]]
        rows = []
        for offset, values in enumerate(raw[1:], start=2):
            if all(is_empty(v) for v in values):
                continue
            cells = {h: v for h, v in zip(headers, values) if h}
            rows.append(Row(offset, cells))
        sheets[key] = Sheet(str(name), headers, rows)
    return sheets


def _header(value: Any) -> str:
    if is_empty(value):
        return ""
    return str(value).strip().lower()


def _coverage(c: Collector, credit_sheet: str, cashflows: pd.DataFrame, credit: pd.DataFrame) -> None:
    """Every year in which a project runs (its cash flows and the years between) needs a rate."""
    if cashflows.empty:
        return
    spans = cashflows.groupby(["project_code", "versie"])["jaar"].agg(["min", "max"])
    needed: set[int] = set()
    for low, high in spans.itertuples(index=False):
        needed.update(range(int(low), int(high) + 1))
    missing = sorted(needed - set(credit["jaar"].tolist()))
    if missing:
        c.add(credit_sheet, None, "jaar",
              f"geen rentevoet voor de jaren {_year_ranges(missing)}, waarin projecten kasstromen hebben "
              "(of lopen): voeg die jaren toe aan het kaskrediet")


def _year_ranges(years: list[int]) -> str:
    parts, start, prev = [], years[0], years[0]
    for year in years[1:] + [None]:
        if year is not None and year == prev + 1:
            prev = year
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if year is not None:
            start = prev = year
    return ", ".join(parts)


# --------------------------------------------------------------------------- entry points

def parse_portfolio(sheets: dict[str, Sheet], *, source_name: str | None = None) -> Portfolio:
    """Validate raw sheets into a :class:`Portfolio`, or raise :class:`WorkbookError` with all problems."""
    c = Collector()
    for required in REQUIRED_SHEETS:
        if required not in sheets:
            c.add(required, None, None, f"verplicht blad '{required}' ontbreekt in het werkboek")
    empty = Sheet("", [], [])
    projects = parse_projects(c, sheets["projecten"]) if "projecten" in sheets else None
    codes = set(projects["project_code"].dropna()) if projects is not None and not projects.empty else (
        set() if projects is not None else None)
    cashflows = parse_cashflows(c, sheets.get("kasstromen", empty), codes) if "kasstromen" in sheets else None
    credit = parse_credit(c, sheets["kaskrediet"]) if "kaskrediet" in sheets else None
    thresholds = parse_thresholds(c, sheets["drempels"]) if "drempels" in sheets else Thresholds()
    settings = parse_settings(c, sheets.get("instellingen"))
    risks = parse_risks(c, sheets.get("risicos"), codes)
    accounts = parse_accounts(c, sheets.get("rekeningen"))
    agreements = parse_agreements(c, sheets, codes)
    parse_operating(c, sheets.get(OPERATING_SHEET))  # checked here, kept with the extra sheets
    if cashflows is not None and credit is not None and not cashflows.empty:
        _coverage(c, sheets["kaskrediet"].name, cashflows, credit)
    if c.problems:
        raise WorkbookError(c.problems, file=source_name)

    warnings = []
    with_forecast = set(cashflows.loc[cashflows["versie"] == "prognose", "project_code"])
    for code, status in projects[["project_code", "status"]].itertuples(index=False):
        if status == "actief" and code not in with_forecast:
            warnings.append(f"Project {code} is actief maar heeft geen prognose in 'kasstromen'.")
    known = set(REQUIRED_SHEETS) | {"instellingen", "risicos", "rekeningen"} | set(AGREEMENT_SHEETS)
    extra = {key: [row.cells | {"_row": row.excel_row} for row in sheet.rows]
             for key, sheet in sheets.items() if key not in known}
    return Portfolio(
        projects=projects.reset_index(drop=True),
        cashflows=cashflows.drop(columns="excel_row").reset_index(drop=True),
        credit=credit,
        thresholds=thresholds,
        settings=settings,
        risks=risks,
        accounts=accounts,
        extra_sheets=extra,
        agreements=agreements,
        warnings=tuple(warnings),
        source_name=source_name,
    )


def read_workbook(source: str | os.PathLike | bytes | BinaryIO, *, filename: str | None = None) -> Portfolio:
    """Read the portfolio workbook (WORKBOOK.md) into a validated :class:`Portfolio`.

    Parameters
    ----------
    source : path, bytes or binary file
        The ``.xlsx`` workbook.
    filename : str, optional
        The name to use in messages (defaults to the path's file name).

    Raises
    ------
    WorkbookError
        With every problem found: sheet, Excel row, column and a Dutch reason.
    """
    if filename is None and isinstance(source, (str, os.PathLike)):
        filename = os.path.basename(os.fspath(source))
    if isinstance(source, (str, os.PathLike)):
        if not os.path.isfile(source):
            raise WorkbookError([Problem(None, None, None, "bestand niet gevonden")], file=filename)
        with open(source, "rb") as handle:
            source = handle.read()
    elif hasattr(source, "read"):
        source = source.read()
    # Hostile files (absurd sheet dimensions, zip bombs, entity expansion) can abort the process
    # inside the Excel reader itself, so every byte is checked before it gets there.
    try:
        check_upload(bytes(source), filename or "werkboek.xlsx")
    except FileRefused as refused:
        raise WorkbookError(refused.problems, file=filename) from None
    try:
        sheets = read_sheets(source)
    except FileNotFoundError:
        raise WorkbookError([Problem(None, None, None, "bestand niet gevonden")], file=filename) from None
    except Exception as exc:  # calamine raises several types for unreadable files
        raise WorkbookError([Problem(None, None, None,
                                     f"het bestand is geen leesbaar Excel-werkboek ({type(exc).__name__})")],
                            file=filename) from None
    return parse_portfolio(sheets, source_name=filename)
