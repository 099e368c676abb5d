"""The readers of the agreement sheets (``docs/overeenkomsten.md``): land funds, subsidies, invoicing.

Each sheet is optional. Like every workbook reader, these add every problem to the
:class:`~igemo_fin.inputs.workbook_cells.Collector` (sheet, Excel row, column, Dutch reason) and leave
the bad row out; :func:`igemo_fin.inputs.workbook.parse_portfolio` refuses the workbook when any
reader found one. :func:`parse_agreements` reads all six into an
:class:`~igemo_fin.agreements.register.Agreements`.
"""

from __future__ import annotations

import re

import pandas as pd

from igemo_fin.agreements.register import (
    COFINANCING_COLUMNS,
    FUND_COLUMNS,
    FUND_MOVEMENT_COLUMNS,
    RECEIPT_COLUMNS,
    SHEETS,
    SUBSIDY_COLUMNS,
    TERM_COLUMNS,
    Agreements,
)
from igemo_fin.inputs.workbook_cells import (
    Collector,
    Sheet,
    as_number,
    as_text,
    as_year,
    check_choice,
    check_pct,
    check_year,
    require_columns,
    show,
)

__all__ = ["parse_agreements", "AGREEMENT_SHEETS", "AGREEMENT_HEADERS", "TERM_MOMENTS", "TERM_VERSIONS", "MAX_PAYMENT_DAYS"]

#: The optional sheets this module reads.
AGREEMENT_SHEETS = tuple(SHEETS)
#: The header of each sheet as finance fills it in (the empty template writes these).
AGREEMENT_HEADERS = {
    "grondfondsen": ("fonds", "naam", "gemeente", "projecten", "beginjaar", "eindjaar", "beginsaldo", "grondinbreng",
                     "aandeel_resultaat_pct", "overschot_igemo_pct", "tekort_gemeente_pct", "tekort_plafond"),
    "grondfonds_bewegingen": ("fonds", "jaar", "soort", "bedrag", "toelichting"),
    "subsidies": ("besluit", "subsidiegever", "project_code", "toegekend", "subsidiabele_kosten", "beginjaar",
                  "eindjaar"),
    "subsidie_ontvangsten": ("besluit", "jaar", "bedrag"),
    "cofinanciering": ("besluit", "gemeente", "sleutel_pct", "gefactureerd"),
    "facturatie": ("project_code", "versie", "moment", "jaar", "pct", "betalingstermijn_dagen"),
}
#: Invoicing moments of ``facturatie``.
TERM_MOMENTS = ("ondertekening", "vergunning", "oplevering")
#: Versions of ``facturatie``: the terms agreed, and a proposal to compare with them.
TERM_VERSIONS = ("afgesproken", "voorstel")
#: A payment term longer than a year is a typing error.
MAX_PAYMENT_DAYS = 365
_MOVEMENT_KINDS = ("storting", "opname")
_CENT = 0.005


def _project(c: Collector, name: str, row, codes: set[str] | None) -> str | None:
    code = c.cell(name, row, "project_code", as_text, "tekst", required=True)
    if code is not None and codes is not None and code not in codes:
        c.add(name, row.excel_row, "project_code", f"project '{show(code)}' bestaat niet in het blad 'projecten'")
        return None
    return code


def _unique(c: Collector, name: str, row, column: str, seen: dict, what: str) -> str | None:
    key = c.cell(name, row, column, as_text, "tekst", required=True)
    if key is not None and key in seen:
        c.add(name, row.excel_row, column, f"{what} '{show(key)}' komt dubbel voor (ook op rij {seen[key]})")
        return None
    if key is not None:
        seen[key] = row.excel_row
    return key


def _known(c: Collector, name: str, row, column: str, known: dict, other: str) -> str | None:
    key = c.cell(name, row, column, as_text, "tekst", required=True)
    if key is not None and key not in known:
        c.add(name, row.excel_row, column, f"'{show(key)}' bestaat niet in het blad '{other}'")
        return None
    return key


def _amount(c: Collector, name: str, row, column: str, *, required: bool = False, default=None,
            positive: bool = False, not_negative: bool = False) -> float | None:
    value = c.cell(name, row, column, as_number, "bedrag", required=required)
    if value is None:
        return default
    if positive and value <= 0:
        c.add(name, row.excel_row, column, f"{value:g} moet groter dan nul zijn")
        return None
    if not_negative and value < 0:
        c.add(name, row.excel_row, column, f"{value:g} mag niet negatief zijn")
        return None
    return value


def _years(c: Collector, name: str, row) -> tuple[int | None, int | None]:
    r = row.excel_row
    start = check_year(c, name, r, "beginjaar", c.cell(name, row, "beginjaar", as_year, "geldig jaartal", True))
    end = check_year(c, name, r, "eindjaar", c.cell(name, row, "eindjaar", as_year, "geldig jaartal", True))
    if start is not None and end is not None and end < start:
        c.add(name, r, "eindjaar", f"eindjaar {end} ligt voor beginjaar {start}")
        return start, None
    return start, end


def _pct(c: Collector, name: str, row, column: str, *, required: bool, default: float | None = None):
    value = check_pct(c, name, row.excel_row, column,
                      c.cell(name, row, column, as_number, "percentage", required))
    return default if value is None and not required else value


def _frame(records: list, columns) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=list(columns))


def parse_funds(c: Collector, sheet: Sheet, codes: set[str] | None) -> tuple[pd.DataFrame, dict]:
    name, records, seen, spans = sheet.name, [], {}, {}
    required = ("fonds", "gemeente", "projecten", "beginjaar", "eindjaar", "overschot_igemo_pct",
                "tekort_gemeente_pct")
    if not require_columns(c, sheet, required):
        return _frame(records, FUND_COLUMNS), spans
    for row in sheet.rows:
        r = row.excel_row
        fund = _unique(c, name, row, "fonds", seen, "fonds")
        linked_text = c.cell(name, row, "projecten", as_text, "tekst", required=True)
        linked = tuple(p for p in re.split(r"[,;]\s*", linked_text or "") if p.strip())
        if linked_text is not None and not linked:
            c.add(name, r, "projecten", "geen enkele projectcode gegeven")
        unknown = [p for p in linked if codes is not None and p not in codes]
        if unknown:
            c.add(name, r, "projecten", f"project(en) {', '.join(map(show, unknown))} bestaan niet in het blad 'projecten'")
        start, end = _years(c, name, row)
        record = (fund, c.cell(name, row, "naam", as_text, "tekst", False) or fund,
                  c.cell(name, row, "gemeente", as_text, "tekst", True), linked, start, end,
                  _amount(c, name, row, "beginsaldo", default=0.0),
                  _amount(c, name, row, "grondinbreng", default=0.0, not_negative=True),
                  _pct(c, name, row, "aandeel_resultaat_pct", required=False, default=100.0),
                  _pct(c, name, row, "overschot_igemo_pct", required=True),
                  _pct(c, name, row, "tekort_gemeente_pct", required=True),
                  _amount(c, name, row, "tekort_plafond", not_negative=True))
        if fund is not None and start is not None and end is not None:
            spans[fund] = (start, end)
        if None in record[:6] or None in record[6:11] or unknown or not linked:
            continue
        records.append(record)
    return _frame(records, FUND_COLUMNS), spans


def parse_fund_movements(c: Collector, sheet: Sheet, spans: dict) -> pd.DataFrame:
    name, records = sheet.name, []
    if not require_columns(c, sheet, ("fonds", "jaar", "soort", "bedrag")):
        return _frame(records, FUND_MOVEMENT_COLUMNS)
    for row in sheet.rows:
        r = row.excel_row
        fund = _known(c, name, row, "fonds", spans, "grondfondsen")
        year = check_year(c, name, r, "jaar", c.cell(name, row, "jaar", as_year, "geldig jaartal", True))
        if fund is not None and year is not None and not spans[fund][0] <= year <= spans[fund][1]:
            c.add(name, r, "jaar", f"jaar {year} ligt buiten de looptijd van fonds '{show(fund)}' "
                  f"({spans[fund][0]}-{spans[fund][1]})")
            year = None
        kind = check_choice(c, name, row, "soort", _MOVEMENT_KINDS, "soort beweging")
        amount = _amount(c, name, row, "bedrag", required=True, positive=True)
        if None not in (fund, year, kind, amount):
            records.append((fund, year, amount if kind == "storting" else -amount))
    return _frame(records, FUND_MOVEMENT_COLUMNS)


def parse_subsidies(c: Collector, sheet: Sheet, codes: set[str] | None) -> tuple[pd.DataFrame, dict]:
    name, records, seen, granted = sheet.name, [], {}, {}
    if not require_columns(c, sheet, ("besluit", "subsidiegever", "project_code", "toegekend", "beginjaar",
                                      "eindjaar")):
        return _frame(records, SUBSIDY_COLUMNS), granted
    for row in sheet.rows:
        decision = _unique(c, name, row, "besluit", seen, "besluit")
        giver = c.cell(name, row, "subsidiegever", as_text, "tekst", True)
        code = _project(c, name, row, codes)
        amount = _amount(c, name, row, "toegekend", required=True, positive=True)
        eligible = _amount(c, name, row, "subsidiabele_kosten", positive=True)
        start, end = _years(c, name, row)
        if decision is not None and amount is not None:
            granted[decision] = (amount, row.excel_row)
        record = (decision, giver, code, amount, eligible, start, end)
        if None not in record[:4] and None not in record[5:]:
            records.append(record)
    return _frame(records, SUBSIDY_COLUMNS), granted


def parse_receipts(c: Collector, sheet: Sheet, granted: dict) -> pd.DataFrame:
    name, records, totals, last_row = sheet.name, [], {}, {}
    if not require_columns(c, sheet, ("besluit", "jaar", "bedrag")):
        return _frame(records, RECEIPT_COLUMNS)
    for row in sheet.rows:
        r = row.excel_row
        decision = _known(c, name, row, "besluit", granted, "subsidies")
        year = check_year(c, name, r, "jaar", c.cell(name, row, "jaar", as_year, "geldig jaartal", True))
        amount = _amount(c, name, row, "bedrag", required=True)
        if None not in (decision, year, amount):
            records.append((decision, year, amount))
            totals[decision] = totals.get(decision, 0.0) + amount
            last_row[decision] = r
    for decision, total in totals.items():
        if total > granted[decision][0] + _CENT:
            c.add(name, last_row[decision], "bedrag",
                  f"de ontvangsten van besluit '{show(decision)}' ({total:,.2f}) zijn meer dan het toegekende "
                  f"bedrag ({granted[decision][0]:,.2f})")
    return _frame(records, RECEIPT_COLUMNS)


def parse_cofinancing(c: Collector, sheet: Sheet, granted: dict) -> pd.DataFrame:
    name, records, keys, seen = sheet.name, [], {}, {}
    if not require_columns(c, sheet, ("besluit", "gemeente", "sleutel_pct")):
        return _frame(records, COFINANCING_COLUMNS)
    for row in sheet.rows:
        r = row.excel_row
        decision = _known(c, name, row, "besluit", granted, "subsidies")
        gemeente = c.cell(name, row, "gemeente", as_text, "tekst", True)
        if decision is not None and gemeente is not None:
            if (decision, gemeente) in seen:
                c.add(name, r, "gemeente", f"gemeente '{show(gemeente)}' komt dubbel voor bij besluit "
                      f"'{show(decision)}' (ook op rij {seen[decision, gemeente]})")
                continue
            seen[decision, gemeente] = r
        key = _pct(c, name, row, "sleutel_pct", required=True)
        invoiced = _amount(c, name, row, "gefactureerd", default=0.0, not_negative=True)
        if None not in (decision, gemeente, key, invoiced):
            records.append((decision, gemeente, key, invoiced))
            total = keys.get(decision, 0.0) + key
            keys[decision] = total
            if total > 100 + 1e-9:
                c.add(name, r, "sleutel_pct", f"de verdeelsleutels van besluit '{show(decision)}' tellen op "
                      f"tot {total:g} %, meer dan 100 %")
    return _frame(records, COFINANCING_COLUMNS)


def parse_terms(c: Collector, sheet: Sheet, codes: set[str] | None) -> pd.DataFrame:
    name, records, sums = sheet.name, [], {}
    if not require_columns(c, sheet, ("project_code", "versie", "moment", "pct")):
        return _frame(records, TERM_COLUMNS)
    for row in sheet.rows:
        r = row.excel_row
        code = _project(c, name, row, codes)
        version = check_choice(c, name, row, "versie", TERM_VERSIONS, "versie")
        moment = check_choice(c, name, row, "moment", TERM_MOMENTS, "factuurmoment")
        year = check_year(c, name, r, "jaar", c.cell(name, row, "jaar", as_year, "geldig jaartal",
                                                     moment in ("ondertekening", "vergunning")))
        pct = _pct(c, name, row, "pct", required=True)
        if pct == 0:
            c.add(name, r, "pct", "een factuurmoment van 0 % heeft geen zin")
            pct = None
        problems_before = len(c.problems)
        days = c.cell(name, row, "betalingstermijn_dagen", as_year, "geheel aantal dagen", False)
        if days is not None and not 0 <= days <= MAX_PAYMENT_DAYS:
            c.add(name, r, "betalingstermijn_dagen", f"{days} dagen ligt niet tussen 0 en {MAX_PAYMENT_DAYS}")
        if None in (code, version, moment, pct) or len(c.problems) > problems_before:
            continue
        records.append((code, version, moment, year, pct, days or 0))
        first, total = sums.get((code, version), (r, 0.0))
        sums[code, version] = (first, total + pct)
    for (code, version), (first, total) in sums.items():
        if abs(total - 100) > 1e-6:
            c.add(name, first, "pct", f"de factuurmomenten van project '{show(code)}' ({version}) tellen op tot "
                  f"{total:g} %, niet 100 %")
    frame = _frame(records, TERM_COLUMNS)
    frame["jaar"] = pd.to_numeric(frame["jaar"], errors="coerce").astype(float)
    return frame


def parse_agreements(c: Collector, sheets: dict[str, Sheet], codes: set[str] | None) -> Agreements:
    """Read the six optional agreement sheets; a sheet that is absent gives an empty frame."""
    empty = Sheet("", [], [])
    funds, spans = parse_funds(c, sheets.get("grondfondsen", empty), codes) if "grondfondsen" in sheets \
        else (Agreements().funds, {})
    movements = parse_fund_movements(c, sheets["grondfonds_bewegingen"], spans) \
        if "grondfonds_bewegingen" in sheets else Agreements().fund_movements
    subsidies, granted = parse_subsidies(c, sheets["subsidies"], codes) if "subsidies" in sheets \
        else (Agreements().subsidies, {})
    receipts = parse_receipts(c, sheets["subsidie_ontvangsten"], granted) \
        if "subsidie_ontvangsten" in sheets else Agreements().receipts
    cofinancing = parse_cofinancing(c, sheets["cofinanciering"], granted) \
        if "cofinanciering" in sheets else Agreements().cofinancing
    terms = parse_terms(c, sheets["facturatie"], codes) if "facturatie" in sheets else Agreements().terms
    return Agreements(funds=funds, fund_movements=movements, subsidies=subsidies, receipts=receipts,
                      cofinancing=cofinancing, terms=terms)
