"""One project's sheet of the board pack: its key figures as live Excel formulas over its yearly table.

The engine's value is stored as each formula's cached result, so the file shows the figures
before any recalculation.

Notes
-----
The formulas on a project sheet follow DOMAIN.md (ACT/360, mid-year discounting)::

    Netto kasstroom   CF    = opbrengsten - kosten
    Dagen             days  = DATE(jaar + 1; 1; 1) - DATE(jaar; 1; 1)
    Gemiddeld saldo   avg   = BV - CF / 2
    Rente             I     = rate * days / 360 * MAX(avg; 0)
    Boekwaarde 31/12  BV'   = BV - CF + I          (BV of the first year = 0)
    CW vooruit              = SUMPRODUCT((jaar >= V) * CF / (1 + r) ^ (jaar - V + 0.5))
    IRR                     = IRR(CF over the project's span; guess)
                              guess = (SUM(inflows) / SUM(outflows)) ^ (2 / years) - 1
    Resultaat               = SUM(CF) - SUM(I)

A year whose interest is the actually paid interest (``kaskrediet.rente_werkelijk``), allocated
over all running projects, holds the allocated amount as a value with a cell note: the allocation
spans projects, so it cannot be a formula on one project's sheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from igemo_fin.exports.boardpack_content import TYPE_WORDS, finite
from igemo_fin.exports.formats import EUR_FORMAT, PERCENT_FORMAT, landscape_a4
from igemo_fin.exports.safe_export import SafeXlsxWriter, as_text, header_footer_text
from igemo_fin.fmt import eur
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.thresholds import THRESHOLD_INFO

__all__ = ["KEY_FIGURES", "KEY_FIGURE_CELLS", "UNIT_FORMATS", "SheetFormats", "sheet_formats", "column_letter",
           "write_project_sheet"]

#: Number format of a rule's value or threshold, by the unit THRESHOLD_INFO gives it.
UNIT_FORMATS = {"EUR": EUR_FORMAT, "%": '0.00" %"', "jaar": '0.#" jaar"'}
_INPUT_ROW = {"valuation_year": 4, "discount_rate": 5}  # 0-based rows of the assumptions (B5, B6)
_KEY_FIRST_ROW = 8  # 0-based row of the first key figure (B9)

#: Key figures of a project sheet: (name as in Evaluation.figures, Dutch label, unit, how it is computed).
KEY_FIGURES = (
    ("npv_forward", "Contante waarde van wat nog komt (CW vooruit)", "eur",
     "Netto kasstromen vanaf het waarderingsjaar, halverwege elk jaar verdisconteerd naar 1 januari."),
    ("irr_full_life", "Intern rendement over de hele looptijd (IRR)", "pct",
     "IRR van de netto kasstromen van het eerste tot het laatste jaar."),
    ("result_nominal", "Resultaat over de hele looptijd", "eur", "Som van de netto kasstromen min alle rente."),
    ("margin_pct", "Marge op kosten", "pct", "Resultaat / (kosten + rente)."),
    ("interest_total", "Rente totaal", "eur", "Som van de rente per jaar."),
    ("interest_future", "Rente vanaf het waarderingsjaar", "eur", "Rente van de jaren vanaf het waarderingsjaar."),
    ("interest_past", "Rente tot het waarderingsjaar", "eur", "Rente totaal min rente vanaf het waarderingsjaar."),
    ("book_value", "Boekwaarde op 1 januari van het waarderingsjaar", "eur",
     "Boekwaarde bij het begin van het waarderingsjaar (na het laatste jaar: de eindwaarde)."),
    ("peak_book_value", "Hoogste boekwaarde", "eur", "Grootste boekwaarde over de looptijd, eindwaarde inbegrepen."),
    ("closing_book_value", "Boekwaarde na het laatste jaar", "eur", "Negatief: gerealiseerde winst."),
    ("total_costs", "Kosten totaal", "eur", "Som van de kosten."),
    ("total_revenues", "Opbrengsten totaal", "eur", "Som van de opbrengsten."),
    ("future_net_inflow", "Netto kasstroom vanaf het waarderingsjaar", "eur",
     "Som van de netto kasstromen vanaf het waarderingsjaar (niet verdisconteerd)."),
)

#: Cell of each key figure on a project sheet (``"B9"`` ...), for auditors and the tests.
KEY_FIGURE_CELLS = {name: f"B{_KEY_FIRST_ROW + 1 + i}" for i, (name, *_rest) in enumerate(KEY_FIGURES)}

_TABLE_TITLE_ROW = _KEY_FIRST_ROW + len(KEY_FIGURES) + 1  # 0-based
_TABLE_HEAD_ROW = _TABLE_TITLE_ROW + 1
_TABLE_FIRST_ROW = _TABLE_HEAD_ROW + 1
_YEAR_COLUMNS = ("Jaar", "Bron", "Kosten", "Opbrengsten", "Netto kasstroom", "Rentevoet", "Dagen in het jaar",
                 "Boekwaarde 1/1", "Gemiddeld saldo", "Rente", "Boekwaarde 31/12", "Rente berekend of werkelijk")


def column_letter(index: int) -> str:
    """Excel's column letters of a 0-based column index (0 -> A, 26 -> AA).

    >>> column_letter(0), column_letter(26)
    ('A', 'AA')
    """
    return get_column_letter(index + 1)


@dataclass
class SheetFormats:
    """The cached cell formats the sheets of one board pack share."""

    title: object
    bold: object
    head: object
    money: object
    money_bold: object
    percent: object
    year: object
    integer: object
    allocated: object
    note: object
    wrap: object


def sheet_formats(w: SafeXlsxWriter) -> SheetFormats:
    return SheetFormats(
        title=w.fmt(bold=True, font_size=14),
        bold=w.fmt(bold=True),
        head=w.fmt(bold=True, bottom=1, text_wrap=True, valign="top", bg_color="#E8EEF4"),
        money=w.fmt(num_format=EUR_FORMAT),
        money_bold=w.fmt(num_format=EUR_FORMAT, bold=True),
        percent=w.fmt(num_format=PERCENT_FORMAT, align="right"),
        year=w.fmt(num_format="0"),
        integer=w.fmt(num_format="0"),
        allocated=w.fmt(num_format=EUR_FORMAT, bg_color="#FFF2CC"),
        note=w.fmt(italic=True, font_color="#555555", text_wrap=True, valign="top"),
        wrap=w.fmt(text_wrap=True, valign="top"),
    )


def write_project_sheet(w: SafeXlsxWriter, f: SheetFormats, sheet, ev: Evaluation, code: str) -> None:
    """Fill ``sheet`` with project ``code``: assumptions, key figures (cells :data:`KEY_FIGURE_CELLS`), years, rules."""
    V = ev.valuation_year
    p = ev.figures.set_index("project_code").loc[code]
    yearly = ev.yearly[ev.yearly["project_code"] == code].sort_values("jaar").reset_index(drop=True)
    rates = pd.Series(ev.rates_pct, index=ev.matrix.years)
    actual_by_year = ev.credit.set_index("jaar")["rente_werkelijk"]

    w.text(sheet, 0, 0, f"{code} – {as_text(p['naam'])}", bold=True, font_size=14)
    verdict = p["verdict"]
    status_line = (f"{TYPE_WORDS.get(p['type'], as_text(p['type']))} in {as_text(p['gemeente'])} · "
                   f"status {as_text(p['status'])} · "
                   + (f"oordeel {verdict}" if isinstance(verdict, str) else "geen oordeel (niet actief)"))
    w.text(sheet, 1, 0, status_line)

    w.text(sheet, 3, 0, "Uitgangspunten", bold=True)
    vy, dr = _INPUT_ROW["valuation_year"], _INPUT_ROW["discount_rate"]
    w.text(sheet, vy, 0, "Waarderingsjaar V (1 januari)")
    sheet.write_number(vy, 1, V, f.year)
    w.text(sheet, vy, 2, "Jaren vóór V zijn verleden, vanaf V is het prognose.", italic=True, font_color="#555555")
    w.text(sheet, dr, 0, "Disconteringsvoet r")
    sheet.write_number(dr, 1, ev.discount_rate_pct / 100.0, f.percent)
    w.text(sheet, dr, 2, "Verander V of r: de kerncijfers rekenen mee.", italic=True, font_color="#555555")
    V_cell, r_cell = f"$B${vy + 1}", f"$B${dr + 1}"

    w.text(sheet, _KEY_FIRST_ROW - 1, 0, "Kerncijfers (formules over de tabel per jaar)", bold=True)
    w.text(sheet, _TABLE_TITLE_ROW, 0, "Per jaar: boekwaarde, gemiddeld saldo en rente (ACT/360)", bold=True)
    for c, head in enumerate(_YEAR_COLUMNS):
        w.text(sheet, _TABLE_HEAD_ROW, c, head, bold=True, bottom=1, text_wrap=True, valign="top",
               bg_color="#E8EEF4")
    n = len(yearly)
    first, last = _TABLE_FIRST_ROW + 1, _TABLE_FIRST_ROW + n  # 1-based Excel rows
    allocated_years = []
    for i, row in enumerate(yearly.itertuples(index=False)):
        r = _TABLE_FIRST_ROW + i
        x = r + 1  # Excel row
        year = int(row.jaar)
        sheet.write_number(r, 0, year, w.fmt(num_format="0", align="left"))
        w.text(sheet, r, 1, row.source)
        sheet.write_number(r, 2, float(row.costs), f.money)
        sheet.write_number(r, 3, float(row.revenues), f.money)
        sheet.write_formula(r, 4, f"=D{x}-C{x}", f.money, float(row.net_flow))
        rate = rates.get(year, np.nan)
        sheet.write_number(r, 5, 0.0 if pd.isna(rate) else float(rate) / 100.0, f.percent)
        days = 366 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 365
        sheet.write_formula(r, 6, f"=DATE(A{x}+1,1,1)-DATE(A{x},1,1)", f.integer, days)
        if i == 0:
            sheet.write_number(r, 7, 0.0, f.money)
        else:
            sheet.write_formula(r, 7, f"=K{x - 1}", f.money, float(row.book_value_start))
        sheet.write_formula(r, 8, f"=H{x}-E{x}/2", f.money, float(row.book_value_start - row.net_flow / 2.0))
        if bool(row.interest_actual):
            sheet.write_number(r, 9, float(row.interest), f.allocated)
            paid = actual_by_year.get(year, np.nan)
            w.comment(sheet, r, 9,
                      f"Werkelijk betaalde rente van {year}"
                      + (f" ({eur(paid, 2)})" if not pd.isna(paid) else "")
                      + ", verdeeld over alle projecten die dat jaar liepen naar rato van hun gemiddeld saldo "
                        "(in centen). Daarom een bedrag en geen formule: de verdeling gaat over de projecten heen.",
                      x_scale=2.2, y_scale=2)
            w.text(sheet, r, 11, "werkelijk (toegerekend)")
            allocated_years.append(year)
        else:
            sheet.write_formula(r, 9, f"=F{x}*G{x}/360*MAX(I{x},0)", f.money, float(row.interest))
            w.text(sheet, r, 11, "berekend")
        sheet.write_formula(r, 10, f"=H{x}-E{x}+J{x}", f.money, float(row.book_value_end))
    if n:
        w.text(sheet, last, 0, "Totaal", bold=True, top=1)
        for c in (2, 3, 4, 9):
            letter = column_letter(c)
            column = {2: "costs", 3: "revenues", 4: "net_flow", 9: "interest"}[c]
            sheet.write_formula(last, c, f"=SUM({letter}{first}:{letter}{last})", f.money_bold,
                                float(yearly[column].sum()))
    note_row = last + 2
    if allocated_years:
        w.text(sheet, note_row, 0, "Gele cellen in de kolom Rente: de werkelijk betaalde rente van dat jaar, "
                                   "toegerekend aan dit project (zie de notitie bij de cel).",
               italic=True, font_color="#555555")
        note_row += 1

    # Key figures: formulas over the table, the engine's value as the cached result.
    A = f"A{first}:A{last}"
    C = f"C{first}:C{last}"
    D = f"D{first}:D{last}"
    E = f"E{first}:E{last}"
    H = f"H{first}:H{last}"
    J = f"J{first}:J{last}"
    cell = {name: KEY_FIGURE_CELLS[name] for name, *_ in KEY_FIGURES}
    formulas = {
        "npv_forward": f"=SUMPRODUCT(({A}>={V_cell})*{E}/(1+{r_cell})^({A}-{V_cell}+0.5))",
        # The guess (money multiple over half the span, per year) lets IRR converge for losing projects
        # too; without it LibreOffice finds no IRR below about -1 %.
        "irr_full_life": f'=IFERROR(IRR({E},(SUMIF({E},">0")/-SUMIF({E},"<0"))^(2/COUNT({E}))-1),"geen")',
        "result_nominal": f"=SUM({E})-SUM({J})",
        "margin_pct": f'=IF({cell["total_costs"]}+{cell["interest_total"]}>0,'
                      f'{cell["result_nominal"]}/({cell["total_costs"]}+{cell["interest_total"]}),"–")',
        "interest_total": f"=SUM({J})",
        "interest_future": f'=SUMIF({A},">="&{V_cell},{J})',
        "interest_past": f'={cell["interest_total"]}-{cell["interest_future"]}',
        "book_value": f"=IF({V_cell}<A{first},0,IF({V_cell}>A{last},K{last},INDEX({H},{V_cell}-A{first}+1)))",
        "peak_book_value": f"=MAX({H},K{last})",
        "closing_book_value": f"=K{last}",
        "total_costs": f"=SUM({C})",
        "total_revenues": f"=SUM({D})",
        "future_net_inflow": f'=SUMIF({A},">="&{V_cell},{E})',
    }
    for i, (name, label, unit, how) in enumerate(KEY_FIGURES):
        r = _KEY_FIRST_ROW + i
        w.text(sheet, r, 0, label)
        value = finite(p[name])
        fmt = f.money if unit == "eur" else f.percent
        if unit == "pct" and value is not None:
            value = value if name == "irr_full_life" else value / 100.0  # margin_pct is in %
        if n == 0:
            if value is None:
                w.text(sheet, r, 1, "–")
            else:
                sheet.write_number(r, 1, value, fmt)
        else:
            sheet.write_formula(r, 1, formulas[name], fmt,
                                value if value is not None else ("geen" if name == "irr_full_life" else "–"))
        w.text(sheet, r, 2, how, italic=True, font_color="#555555")
    if n == 0:
        w.text(sheet, _TABLE_FIRST_ROW, 0, "Dit project heeft geen kasstromen in de prognose.", italic=True)

    # The decision framework for this project.
    rules = ev.rules[ev.rules["project_code"] == code]
    if not rules.empty:
        r = note_row + 1
        w.text(sheet, r, 0, "Beslissingskader: elke regel", bold=True)
        r += 1
        for c, head in enumerate(("Regel", "Waarde", "Drempel", "Overschreden", "Leidt tot")):
            w.text(sheet, r, c, head, bold=True, bottom=1, bg_color="#E8EEF4")
        w.merged_text(sheet, r, 5, len(_YEAR_COLUMNS) - 1, "Uitleg", bold=True, bottom=1, bg_color="#E8EEF4")
        for rule in rules.itertuples(index=False):
            r += 1
            w.text(sheet, r, 0, rule.label, text_wrap=True, valign="top")
            unit = THRESHOLD_INFO[rule.rule].unit if rule.rule in THRESHOLD_INFO else None
            for c, value in ((1, rule.value), (2, rule.threshold)):
                if finite(value) is None:
                    w.text(sheet, r, c, "–", valign="top", align="right")
                else:
                    sheet.write_number(r, c, float(value), w.fmt(num_format=UNIT_FORMATS.get(unit, "General"),
                                                                 valign="top"))
            w.text(sheet, r, 3, ("ja" if rule.fired else "nee") if rule.evaluated else "niet beoordeeld",
                   valign="top")
            w.text(sheet, r, 4, rule.level, valign="top")
            w.merged_text(sheet, r, 5, len(_YEAR_COLUMNS) - 1, rule.sentence, text_wrap=True, valign="top")
            lines = max(math.ceil(len(as_text(rule.sentence)) / 105), math.ceil(len(as_text(rule.label)) / 42), 1)
            sheet.set_row(r, 15 * lines)

    widths = [44, 16, 16, 16, 16, 11, 10, 17, 17, 15, 17, 22]
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    sheet.set_row(_TABLE_HEAD_ROW, 32)
    sheet.freeze_panes(3, 0)
    landscape_a4(sheet)
    sheet.set_footer(f"&L{header_footer_text(code)}&RIGEMO – waardering 1/1/{V} – pagina &P van &N")

