"""Read and validate the portfolio workbook exactly as WORKBOOK.md describes it.

The reader never stops at the first problem: it checks every sheet, row and column and then refuses
the workbook with all problems at once (:class:`~igemo_fin.errors.WorkbookError`), each naming the
sheet, the row as Excel numbers it, the column and the reason in Dutch. Unknown columns and sheets
are ignored, as the contract says.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

import pandas as pd

from igemo_fin.columns import (
    CATEGORIES,
    COST_CATEGORIES,
    PROJECT_STATUSES,
    PROJECT_TYPES,
    RISK_KINDS,
    VERSIONS,
)
from igemo_fin.errors import FileRefused, Problem, WorkbookError
from igemo_fin.inputs.accounts import IGNORE
from igemo_fin.inputs.filesafety import check_upload
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.thresholds import KNOWN_SETTINGS, MAX_SIMULATIONS, Settings, Thresholds

__all__ = ["read_workbook", "read_sheets", "parse_portfolio", "YEAR_MIN", "YEAR_MAX", "REQUIRED_SHEETS"]

YEAR_MIN, YEAR_MAX = 1990, 2100
REQUIRED_SHEETS = ("projecten", "kasstromen", "kaskrediet", "drempels")


_YES = {"ja", "yes", "1", "true", "waar", "j", "y"}
_NO = {"nee", "no", "0", "false", "onwaar", "n"}


@dataclass
class _Row:
    """One data row of a sheet: its Excel row number and its cells by (lower-case) header."""

    excel_row: int
    cells: dict[str, Any]


@dataclass
class _Sheet:
    name: str
    headers: list[str]
    rows: list[_Row]


# --------------------------------------------------------------------------- raw reading

def read_sheets(source: str | os.PathLike | bytes | BinaryIO) -> dict[str, _Sheet]:
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
    sheets: dict[str, _Sheet] = {}
    for name in book.sheet_names:
        raw = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        key = str(name).strip().lower()
        if key in sheets:
            continue
        if not raw:
            sheets[key] = _Sheet(str(name), [], [])
            continue
        headers = [_header(h) for h in raw[0]]
        rows = []
        for offset, values in enumerate(raw[1:], start=2):
            if all(_is_empty(v) for v in values):
                continue
            cells = {h: v for h, v in zip(headers, values) if h}
            rows.append(_Row(offset, cells))
        sheets[key] = _Sheet(str(name), headers, rows)
    return sheets


def _header(value: Any) -> str:
    if _is_empty(value):
        return ""
    return str(value).strip().lower()


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


# --------------------------------------------------------------------------- cell parsing

class _Collector:
    """Collects problems while cells are parsed; parsing functions return None on failure."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, sheet: str | None, row: int | None, column: str | None, reason: str) -> None:
        self.problems.append(Problem(sheet, row, column, reason))

    # Each parser takes (sheet, row, column, required) and returns the value or None.
    def cell(self, sheet: str, row: _Row, column: str, parse: Callable[[Any], Any], what: str,
             required: bool) -> Any:
        value = row.cells.get(column)
        if _is_empty(value):
            if required:
                self.add(sheet, row.excel_row, column, "verplichte waarde ontbreekt (lege cel)")
            return None
        try:
            return parse(value)
        except (ValueError, TypeError):
            self.add(sheet, row.excel_row, column, f"'{_show(value)}' is geen {what}")
            return None


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_BELGIAN_NUMBER = re.compile(r"^[+-]?\d{1,3}([. \u00a0]\d{3})*(,\d+)?$|^[+-]?\d+(,\d+)?$")


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError("boolean")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, (_dt.date, _dt.datetime, _dt.time, _dt.timedelta)):
        raise ValueError("date")
    else:
        text = str(value).strip().replace("€", "").replace("\u00a0", " ").strip()
        try:
            number = float(text)
        except ValueError:
            if not _BELGIAN_NUMBER.match(text):
                raise
            number = float(text.replace(".", "").replace(" ", "").replace(",", "."))
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


def _year(value: Any) -> int:
    number = _number(value)
    if not float(number).is_integer():
        raise ValueError("not whole")
    return int(number)


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("not yes/no")


# --------------------------------------------------------------------------- sheet checks

def _require_columns(c: _Collector, sheet: _Sheet, columns: tuple[str, ...]) -> bool:
    missing = [col for col in columns if col not in sheet.headers]
    for col in missing:
        c.add(sheet.name, 1, col, "verplichte kolom ontbreekt in de kopregel")
    return not missing


def _check_year(c: _Collector, sheet: str, row: int, column: str, year: int | None) -> int | None:
    if year is not None and not (YEAR_MIN <= year <= YEAR_MAX):
        c.add(sheet, row, column, f"jaar {year} ligt buiten {YEAR_MIN}-{YEAR_MAX}")
        return None
    return year


def _check_pct(c: _Collector, sheet: str, row: int, column: str, value: float | None) -> float | None:
    if value is not None and not (0 <= value <= 100):
        c.add(sheet, row, column, f"percentage {value:g} ligt niet tussen 0 en 100")
        return None
    return value


def _check_choice(c: _Collector, sheet: str, row: _Row, column: str, allowed: tuple[str, ...],
                  what: str) -> str | None:
    value = c.cell(sheet, row, column, _text, "tekst", required=True)
    if value is None:
        return None
    if value.lower() not in allowed:
        c.add(sheet, row.excel_row, column,
              f"onbekende {what} '{_show(value)}' (toegelaten: {', '.join(allowed)})")
        return None
    return value.lower()


def _parse_projects(c: _Collector, sheet: _Sheet) -> pd.DataFrame:
    name = sheet.name
    required = ("project_code", "naam", "gemeente", "type", "status", "startjaar", "eindjaar",
                "bestemming_zeker")
    records = []
    if not _require_columns(c, sheet, required):
        return pd.DataFrame(records)
    first_row_of: dict[str, int] = {}
    for row in sheet.rows:
        r = row.excel_row
        code = c.cell(name, row, "project_code", _text, "tekst", required=True)
        if code is not None:
            if code in first_row_of:
                c.add(name, r, "project_code",
                      f"projectcode '{code}' komt dubbel voor (ook op rij {first_row_of[code]})")
            else:
                first_row_of[code] = r
        start = _check_year(c, name, r, "startjaar", c.cell(name, row, "startjaar", _year, "geldig jaartal", True))
        end = _check_year(c, name, r, "eindjaar", c.cell(name, row, "eindjaar", _year, "geldig jaartal", True))
        if start is not None and end is not None and end < start:
            c.add(name, r, "eindjaar", f"eindjaar {end} ligt voor startjaar {start}")
        record = {
            "project_code": code,
            "naam": c.cell(name, row, "naam", _text, "tekst", required=True),
            "gemeente": c.cell(name, row, "gemeente", _text, "tekst", required=True),
            "type": _check_choice(c, name, row, "type", PROJECT_TYPES, "projecttype"),
            "status": _check_choice(c, name, row, "status", PROJECT_STATUSES, "status"),
            "startjaar": start,
            "eindjaar": end,
            "oppervlakte_m2": c.cell(name, row, "oppervlakte_m2", _number, "getal", False),
            "bestemming_zeker": c.cell(name, row, "bestemming_zeker", _yes_no,
                                       "ja/nee-waarde (ja, nee, yes, no, 1, 0, true, false)", True),
            "marktwaarde_huidige_staat": c.cell(name, row, "marktwaarde_huidige_staat", _number, "bedrag", False),
            "risicodeling_gemeente_pct": _check_pct(c, name, r, "risicodeling_gemeente_pct", c.cell(
                name, row, "risicodeling_gemeente_pct", _number, "percentage", False)),
            "risicodeling_plafond": c.cell(name, row, "risicodeling_plafond", _number, "bedrag", False),
            "winstdeling_gemeente_pct": _check_pct(c, name, r, "winstdeling_gemeente_pct", c.cell(
                name, row, "winstdeling_gemeente_pct", _number, "percentage", False)),
            "winstdeling_drempel": c.cell(name, row, "winstdeling_drempel", _number, "bedrag", False),
        }
        # A market value may be negative: a polluted site sold as it is can cost money to hand over.
        for column in ("oppervlakte_m2", "risicodeling_plafond"):
            if record[column] is not None and record[column] < 0:
                c.add(name, r, column, f"{record[column]:g} mag niet negatief zijn")
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=[
        "project_code", "naam", "gemeente", "type", "status", "startjaar", "eindjaar", "oppervlakte_m2",
        "bestemming_zeker", "marktwaarde_huidige_staat", "risicodeling_gemeente_pct",
        "risicodeling_plafond", "winstdeling_gemeente_pct", "winstdeling_drempel"])
    for column in ("oppervlakte_m2", "marktwaarde_huidige_staat", "risicodeling_gemeente_pct",
                   "risicodeling_plafond", "winstdeling_gemeente_pct", "winstdeling_drempel"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame


def _parse_cashflows(c: _Collector, sheet: _Sheet, codes: set[str] | None) -> pd.DataFrame:
    name = sheet.name
    columns = ("project_code", "versie", "jaar", "categorie", "bedrag")
    records = []
    if _require_columns(c, sheet, columns):
        for row in sheet.rows:
            r = row.excel_row
            code = c.cell(name, row, "project_code", _text, "tekst", required=True)
            if code is not None and codes is not None and code not in codes:
                c.add(name, r, "project_code", f"project '{code}' bestaat niet in het blad 'projecten'")
            version = _check_choice(c, name, row, "versie", VERSIONS, "versie")
            year = _check_year(c, name, r, "jaar", c.cell(name, row, "jaar", _year, "geldig jaartal", True))
            category = _check_choice(c, name, row, "categorie", CATEGORIES, "categorie")
            amount = c.cell(name, row, "bedrag", _number, "geldig bedrag", required=True)
            if None in (code, version, year, category, amount):
                continue
            signed = -amount if category in COST_CATEGORIES else amount
            records.append((code, version, year, category, signed, r))
    frame = pd.DataFrame.from_records(
        records, columns=["project_code", "versie", "jaar", "categorie", "bedrag", "excel_row"])
    frame["jaar"] = frame["jaar"].astype("int64")
    frame["bedrag"] = frame["bedrag"].astype(float)
    return frame


def _parse_credit(c: _Collector, sheet: _Sheet) -> pd.DataFrame:
    name = sheet.name
    records = []
    if _require_columns(c, sheet, ("jaar", "rentevoet_pct", "kredietlimiet")):
        has_actual = "rente_werkelijk" in sheet.headers
        seen: dict[int, int] = {}
        for row in sheet.rows:
            r = row.excel_row
            year = _check_year(c, name, r, "jaar", c.cell(name, row, "jaar", _year, "geldig jaartal", True))
            if year is not None:
                if year in seen:
                    c.add(name, r, "jaar", f"jaar {year} komt dubbel voor (ook op rij {seen[year]})")
                    continue
                seen[year] = r
            rate = c.cell(name, row, "rentevoet_pct", _number, "percentage", required=True)
            if rate is not None and not (-5 <= rate <= 100):
                c.add(name, r, "rentevoet_pct", f"rentevoet {rate:g} % is niet aannemelijk (verwacht -5 tot 100)")
                rate = None
            limit = c.cell(name, row, "kredietlimiet", _number, "bedrag", required=False)
            actual = c.cell(name, row, "rente_werkelijk", _number, "bedrag", required=False) if has_actual else None
            if actual is not None and actual < 0:
                c.add(name, r, "rente_werkelijk", f"betaalde rente {actual:g} mag niet negatief zijn")
            if year is None or rate is None:
                continue
            records.append((year, rate, limit, actual))
    frame = pd.DataFrame.from_records(records, columns=["jaar", "rentevoet_pct", "kredietlimiet", "rente_werkelijk"])
    frame["jaar"] = frame["jaar"].astype("int64")
    for column in ("rentevoet_pct", "kredietlimiet", "rente_werkelijk"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame.sort_values("jaar").reset_index(drop=True)


def _parameter_rows(c: _Collector, sheet: _Sheet):
    """The rows of a key/value sheet (``parameter``, ``waarde``) as (row, Excel row, parameter)."""
    for row in sheet.rows:
        parameter = c.cell(sheet.name, row, "parameter", _text, "tekst", required=True)
        if parameter is not None:
            yield row, row.excel_row, parameter.lower()


def _parse_thresholds(c: _Collector, sheet: _Sheet) -> Thresholds:
    name = sheet.name
    values: dict[str, float | None] = {}
    if not _require_columns(c, sheet, ("parameter", "waarde")):
        return Thresholds()
    known = Thresholds.names()
    seen: dict[str, int] = {}
    for row, r, parameter in _parameter_rows(c, sheet):
        if parameter not in known:
            c.add(name, r, "parameter", f"onbekende drempel '{_show(parameter)}' (gekend: {', '.join(known)})")
            continue
        if parameter in seen:
            c.add(name, r, "parameter", f"drempel '{parameter}' komt dubbel voor (ook op rij {seen[parameter]})")
            continue
        seen[parameter] = r
        value = c.cell(name, row, "waarde", _number, "getal", required=False)
        if value is None:
            continue  # an empty value keeps the documented default
        if parameter in ("max_kans_verlies_pct", "stop_kans_verlies_pct") and not 0 <= value <= 100:
            c.add(name, r, "waarde", f"percentage {value:g} ligt niet tussen 0 en 100")
            continue
        if parameter.endswith("jaren_zonder_bestemming") and value < 0:
            c.add(name, r, "waarde", f"aantal jaren {value:g} mag niet negatief zijn")
            continue
        values[parameter] = value
    return Thresholds(**values)


def _parse_settings(c: _Collector, sheet: _Sheet | None) -> Settings:
    if sheet is None:
        return Settings()
    name = sheet.name
    if not _require_columns(c, sheet, ("parameter", "waarde")):
        return Settings()
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for row, r, parameter in _parameter_rows(c, sheet):
        if parameter == "eigen_vermogen":
            known[parameter] = c.cell(name, row, "waarde", _number, "bedrag", required=False)
        elif parameter == "waarderingsjaar":
            known[parameter] = _check_year(c, name, r, "waarde",
                                           c.cell(name, row, "waarde", _year, "geldig jaartal", False))
        elif parameter in ("simulaties", "simulatie_seed"):
            value = c.cell(name, row, "waarde", _year, "geheel getal", False)
            if value is not None and value < 0:
                c.add(name, r, "waarde", f"{parameter} {value} mag niet negatief zijn")
                value = None
            if parameter == "simulaties" and value is not None and value > MAX_SIMULATIONS:
                c.add(name, r, "waarde", f"{value} simulaties is meer dan het maximum van {MAX_SIMULATIONS}")
                value = None
            known[parameter] = value
        elif parameter == "simulatie_referentieklasse":
            known[parameter] = c.cell(name, row, "waarde", _yes_no,
                                      "ja/nee-waarde (ja, nee, yes, no, 1, 0, true, false)", False)
        else:
            extra[parameter] = row.cells.get("waarde")
    assert set(known) <= set(KNOWN_SETTINGS)
    return Settings(**known, extra=extra)


def _parse_risks(c: _Collector, sheet: _Sheet | None, codes: set[str] | None) -> pd.DataFrame:
    columns = ["project_code", "risico", "soort", "kans_pct", "min", "waarschijnlijk", "max"]
    records = []
    if sheet is not None and _require_columns(c, sheet, tuple(columns)):
        name = sheet.name
        for row in sheet.rows:
            r = row.excel_row
            code = c.cell(name, row, "project_code", _text, "tekst", required=True)
            if code is not None and codes is not None and code not in codes:
                c.add(name, r, "project_code", f"project '{code}' bestaat niet in het blad 'projecten'")
                code = None
            label = c.cell(name, row, "risico", _text, "tekst", required=False) or ""
            kind = _check_choice(c, name, row, "soort", RISK_KINDS, "soort risico")
            chance = _check_pct(c, name, r, "kans_pct", c.cell(name, row, "kans_pct", _number, "percentage", True))
            low = c.cell(name, row, "min", _number, "getal", required=True)
            mode = c.cell(name, row, "waarschijnlijk", _number, "getal", required=True)
            high = c.cell(name, row, "max", _number, "getal", required=True)
            if None not in (low, mode, high) and not (low <= mode <= high):
                c.add(name, r, "waarschijnlijk", f"verwacht min <= waarschijnlijk <= max, gekregen "
                      f"{low:g} / {mode:g} / {high:g}")
                continue
            if kind == "vertraging_jaren" and low is not None and low < 0:
                c.add(name, r, "min", "een vertraging kan niet negatief zijn")
                continue
            if None in (code, kind, chance, low, mode, high):
                continue
            records.append((code, label, kind, chance, low, mode, high))
    frame = pd.DataFrame.from_records(records, columns=columns)
    for column in ("kans_pct", "min", "waarschijnlijk", "max"):
        frame[column] = frame[column].astype(float)
    return frame


def _parse_accounts(c: _Collector, sheet: _Sheet | None) -> pd.DataFrame | None:
    if sheet is None:
        return None
    records = []
    if _require_columns(c, sheet, ("rekening_prefix", "categorie")):
        name = sheet.name
        seen: dict[str, int] = {}
        for row in sheet.rows:
            r = row.excel_row
            prefix = c.cell(name, row, "rekening_prefix", _text, "tekst", required=True)
            if prefix is not None and not prefix.isdigit():
                c.add(name, r, "rekening_prefix", f"'{_show(prefix)}' is geen reeks cijfers")
                prefix = None
            if prefix is not None:
                if prefix in seen:
                    c.add(name, r, "rekening_prefix", f"prefix '{prefix}' komt dubbel voor (ook op rij {seen[prefix]})")
                    prefix = None
                else:
                    seen[prefix] = r
            category = _check_choice(c, name, row, "categorie", CATEGORIES + (IGNORE,), "categorie")
            if prefix is not None and category is not None:
                records.append((prefix, category))
    return pd.DataFrame.from_records(records, columns=["rekening_prefix", "categorie"])


def _coverage(c: _Collector, credit_sheet: str, cashflows: pd.DataFrame, credit: pd.DataFrame) -> None:
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

def parse_portfolio(sheets: dict[str, _Sheet], *, source_name: str | None = None) -> Portfolio:
    """Validate raw sheets into a :class:`Portfolio`, or raise :class:`WorkbookError` with all problems."""
    c = _Collector()
    for required in REQUIRED_SHEETS:
        if required not in sheets:
            c.add(required, None, None, f"verplicht blad '{required}' ontbreekt in het werkboek")
    empty = _Sheet("", [], [])
    projects = _parse_projects(c, sheets["projecten"]) if "projecten" in sheets else None
    codes = set(projects["project_code"].dropna()) if projects is not None and not projects.empty else (
        set() if projects is not None else None)
    cashflows = _parse_cashflows(c, sheets.get("kasstromen", empty), codes) if "kasstromen" in sheets else None
    credit = _parse_credit(c, sheets["kaskrediet"]) if "kaskrediet" in sheets else None
    thresholds = _parse_thresholds(c, sheets["drempels"]) if "drempels" in sheets else Thresholds()
    settings = _parse_settings(c, sheets.get("instellingen"))
    risks = _parse_risks(c, sheets.get("risicos"), codes)
    accounts = _parse_accounts(c, sheets.get("rekeningen"))
    if cashflows is not None and credit is not None and not cashflows.empty:
        _coverage(c, sheets["kaskrediet"].name, cashflows, credit)
    if c.problems:
        raise WorkbookError(c.problems, file=source_name)

    warnings = []
    with_forecast = set(cashflows.loc[cashflows["versie"] == "prognose", "project_code"])
    for code, status in projects[["project_code", "status"]].itertuples(index=False):
        if status == "actief" and code not in with_forecast:
            warnings.append(f"Project {code} is actief maar heeft geen prognose in 'kasstromen'.")
    known = set(REQUIRED_SHEETS) | {"instellingen", "risicos", "rekeningen"}
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
