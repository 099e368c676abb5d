"""The readers of the workbook's sheets: each checks its sheet's rows and returns a frame or settings.

A reader never stops at the first problem: it adds every one to the :class:`Collector` and leaves
the bad row out; :func:`igemo_fin.inputs.workbook.parse_portfolio` refuses the workbook when any
reader found a problem. Sheets and columns are those of WORKBOOK.md.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from igemo_fin.columns import (
    CATEGORIES,
    COST_CATEGORIES,
    PROJECT_STATUSES,
    PROJECT_TYPES,
    RISK_KINDS,
    VERSIONS,
)
from igemo_fin.inputs.accounts import IGNORE
from igemo_fin.inputs.workbook_cells import (
    Collector,
    Sheet,
    as_number,
    as_text,
    as_year,
    as_yes_no,
    check_choice,
    check_pct,
    check_year,
    require_columns,
    show,
)
from igemo_fin.valuation.thresholds import KNOWN_SETTINGS, MAX_SIMULATIONS, Settings, Thresholds

__all__ = ["parse_projects", "parse_cashflows", "parse_credit", "parse_thresholds", "parse_settings",
           "parse_risks", "parse_accounts"]


def parse_projects(c: Collector, sheet: Sheet) -> pd.DataFrame:
    name = sheet.name
    required = ("project_code", "naam", "gemeente", "type", "status", "startjaar", "eindjaar",
                "bestemming_zeker")
    records = []
    if not require_columns(c, sheet, required):
        return pd.DataFrame(records)
    first_row_of: dict[str, int] = {}
    for row in sheet.rows:
        r = row.excel_row
        code = c.cell(name, row, "project_code", as_text, "tekst", required=True)
        if code is not None:
            if code in first_row_of:
                c.add(name, r, "project_code",
                      f"projectcode '{code}' komt dubbel voor (ook op rij {first_row_of[code]})")
            else:
                first_row_of[code] = r
        start = check_year(c, name, r, "startjaar", c.cell(name, row, "startjaar", as_year, "geldig jaartal", True))
        end = check_year(c, name, r, "eindjaar", c.cell(name, row, "eindjaar", as_year, "geldig jaartal", True))
        if start is not None and end is not None and end < start:
            c.add(name, r, "eindjaar", f"eindjaar {end} ligt voor startjaar {start}")
        record = {
            "project_code": code,
            "naam": c.cell(name, row, "naam", as_text, "tekst", required=True),
            "gemeente": c.cell(name, row, "gemeente", as_text, "tekst", required=True),
            "type": check_choice(c, name, row, "type", PROJECT_TYPES, "projecttype"),
            "status": check_choice(c, name, row, "status", PROJECT_STATUSES, "status"),
            "startjaar": start,
            "eindjaar": end,
            "oppervlakte_m2": c.cell(name, row, "oppervlakte_m2", as_number, "getal", False),
            "bestemming_zeker": c.cell(name, row, "bestemming_zeker", as_yes_no,
                                       "ja/nee-waarde (ja, nee, yes, no, 1, 0, true, false)", True),
            "marktwaarde_huidige_staat": c.cell(name, row, "marktwaarde_huidige_staat", as_number, "bedrag", False),
            "risicodeling_gemeente_pct": check_pct(c, name, r, "risicodeling_gemeente_pct", c.cell(
                name, row, "risicodeling_gemeente_pct", as_number, "percentage", False)),
            "risicodeling_plafond": c.cell(name, row, "risicodeling_plafond", as_number, "bedrag", False),
            "winstdeling_gemeente_pct": check_pct(c, name, r, "winstdeling_gemeente_pct", c.cell(
                name, row, "winstdeling_gemeente_pct", as_number, "percentage", False)),
            "winstdeling_drempel": c.cell(name, row, "winstdeling_drempel", as_number, "bedrag", False),
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


def parse_cashflows(c: Collector, sheet: Sheet, codes: set[str] | None) -> pd.DataFrame:
    name = sheet.name
    columns = ("project_code", "versie", "jaar", "categorie", "bedrag")
    records = []
    if require_columns(c, sheet, columns):
        for row in sheet.rows:
            r = row.excel_row
            code = c.cell(name, row, "project_code", as_text, "tekst", required=True)
            if code is not None and codes is not None and code not in codes:
                c.add(name, r, "project_code", f"project '{code}' bestaat niet in het blad 'projecten'")
            version = check_choice(c, name, row, "versie", VERSIONS, "versie")
            year = check_year(c, name, r, "jaar", c.cell(name, row, "jaar", as_year, "geldig jaartal", True))
            category = check_choice(c, name, row, "categorie", CATEGORIES, "categorie")
            amount = c.cell(name, row, "bedrag", as_number, "geldig bedrag", required=True)
            if None in (code, version, year, category, amount):
                continue
            signed = -amount if category in COST_CATEGORIES else amount
            records.append((code, version, year, category, signed, r))
    frame = pd.DataFrame.from_records(
        records, columns=["project_code", "versie", "jaar", "categorie", "bedrag", "excel_row"])
    frame["jaar"] = frame["jaar"].astype("int64")
    frame["bedrag"] = frame["bedrag"].astype(float)
    return frame


def parse_credit(c: Collector, sheet: Sheet) -> pd.DataFrame:
    name = sheet.name
    records = []
    if require_columns(c, sheet, ("jaar", "rentevoet_pct", "kredietlimiet")):
        has_actual = "rente_werkelijk" in sheet.headers
        seen: dict[int, int] = {}
        for row in sheet.rows:
            r = row.excel_row
            year = check_year(c, name, r, "jaar", c.cell(name, row, "jaar", as_year, "geldig jaartal", True))
            if year is not None:
                if year in seen:
                    c.add(name, r, "jaar", f"jaar {year} komt dubbel voor (ook op rij {seen[year]})")
                    continue
                seen[year] = r
            rate = c.cell(name, row, "rentevoet_pct", as_number, "percentage", required=True)
            if rate is not None and not (-5 <= rate <= 100):
                c.add(name, r, "rentevoet_pct", f"rentevoet {rate:g} % is niet aannemelijk (verwacht -5 tot 100)")
                rate = None
            limit = c.cell(name, row, "kredietlimiet", as_number, "bedrag", required=False)
            actual = c.cell(name, row, "rente_werkelijk", as_number, "bedrag", required=False) if has_actual else None
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


def parameter_rows(c: Collector, sheet: Sheet):
    """The rows of a key/value sheet (``parameter``, ``waarde``) as (row, Excel row, parameter)."""
    for row in sheet.rows:
        parameter = c.cell(sheet.name, row, "parameter", as_text, "tekst", required=True)
        if parameter is not None:
            yield row, row.excel_row, parameter.lower()


def parse_thresholds(c: Collector, sheet: Sheet) -> Thresholds:
    name = sheet.name
    values: dict[str, float | None] = {}
    if not require_columns(c, sheet, ("parameter", "waarde")):
        return Thresholds()
    known = Thresholds.names()
    seen: dict[str, int] = {}
    for row, r, parameter in parameter_rows(c, sheet):
        if parameter not in known:
            c.add(name, r, "parameter", f"onbekende drempel '{show(parameter)}' (gekend: {', '.join(known)})")
            continue
        if parameter in seen:
            c.add(name, r, "parameter", f"drempel '{parameter}' komt dubbel voor (ook op rij {seen[parameter]})")
            continue
        seen[parameter] = r
        value = c.cell(name, row, "waarde", as_number, "getal", required=False)
        if value is None:
            continue  # an empty value keeps the documented default
        if parameter in ("max_kans_verlies_pct", "stop_kans_verlies_pct") and not 0 <= value <= 100:
            c.add(name, r, "waarde", f"percentage {value:g} ligt niet tussen 0 en 100")
            continue
        if parameter.endswith("jaren_zonder_bestemming") and value < 0:
            c.add(name, r, "waarde", f"aantal jaren {value:g} mag niet negatief zijn")
            continue
        if parameter == "max_kredietgebruik_pct" and value <= 0:
            c.add(name, r, "waarde", f"percentage {value:g} moet groter dan 0 zijn")
            continue
        values[parameter] = value
    return Thresholds(**values)


def parse_settings(c: Collector, sheet: Sheet | None) -> Settings:
    if sheet is None:
        return Settings()
    name = sheet.name
    if not require_columns(c, sheet, ("parameter", "waarde")):
        return Settings()
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for row, r, parameter in parameter_rows(c, sheet):
        if parameter == "eigen_vermogen":
            known[parameter] = c.cell(name, row, "waarde", as_number, "bedrag", required=False)
        elif parameter == "waarderingsjaar":
            known[parameter] = check_year(c, name, r, "waarde",
                                          c.cell(name, row, "waarde", as_year, "geldig jaartal", False))
        elif parameter in ("simulaties", "simulatie_seed"):
            value = c.cell(name, row, "waarde", as_year, "geheel getal", False)
            if value is not None and value < 0:
                c.add(name, r, "waarde", f"{parameter} {value} mag niet negatief zijn")
                value = None
            if parameter == "simulaties" and value is not None and value > MAX_SIMULATIONS:
                c.add(name, r, "waarde", f"{value} simulaties is meer dan het maximum van {MAX_SIMULATIONS}")
                value = None
            known[parameter] = value
        elif parameter == "simulatie_referentieklasse":
            known[parameter] = c.cell(name, row, "waarde", as_yes_no,
                                      "ja/nee-waarde (ja, nee, yes, no, 1, 0, true, false)", False)
        else:
            extra[parameter] = row.cells.get("waarde")
    assert set(known) <= set(KNOWN_SETTINGS)
    return Settings(**known, extra=extra)


def parse_risks(c: Collector, sheet: Sheet | None, codes: set[str] | None) -> pd.DataFrame:
    columns = ["project_code", "risico", "soort", "kans_pct", "min", "waarschijnlijk", "max"]
    records = []
    if sheet is not None and require_columns(c, sheet, tuple(columns)):
        name = sheet.name
        for row in sheet.rows:
            r = row.excel_row
            code = c.cell(name, row, "project_code", as_text, "tekst", required=True)
            if code is not None and codes is not None and code not in codes:
                c.add(name, r, "project_code", f"project '{code}' bestaat niet in het blad 'projecten'")
                code = None
            label = c.cell(name, row, "risico", as_text, "tekst", required=False) or ""
            kind = check_choice(c, name, row, "soort", RISK_KINDS, "soort risico")
            chance = check_pct(c, name, r, "kans_pct", c.cell(name, row, "kans_pct", as_number, "percentage", True))
            low = c.cell(name, row, "min", as_number, "getal", required=True)
            mode = c.cell(name, row, "waarschijnlijk", as_number, "getal", required=True)
            high = c.cell(name, row, "max", as_number, "getal", required=True)
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


def parse_accounts(c: Collector, sheet: Sheet | None) -> pd.DataFrame | None:
    if sheet is None:
        return None
    records = []
    if require_columns(c, sheet, ("rekening_prefix", "categorie")):
        name = sheet.name
        seen: dict[str, int] = {}
        for row in sheet.rows:
            r = row.excel_row
            prefix = c.cell(name, row, "rekening_prefix", as_text, "tekst", required=True)
            if prefix is not None and not prefix.isdigit():
                c.add(name, r, "rekening_prefix", f"'{show(prefix)}' is geen reeks cijfers")
                prefix = None
            if prefix is not None:
                if prefix in seen:
                    c.add(name, r, "rekening_prefix", f"prefix '{prefix}' komt dubbel voor (ook op rij {seen[prefix]})")
                    prefix = None
                else:
                    seen[prefix] = r
            category = check_choice(c, name, row, "categorie", CATEGORIES + (IGNORE,), "categorie")
            if prefix is not None and category is not None:
                records.append((prefix, category))
    return pd.DataFrame.from_records(records, columns=["rekening_prefix", "categorie"])

