"""The board pack: an Excel workbook anyone can audit, and a PDF a board member can print.

:func:`board_pack_xlsx` writes a summary sheet, a verdicts sheet and one sheet per project whose
key figures are **live Excel formulas** over that sheet's yearly cash flows (the engine's value is
stored as each formula's cached result, so the file shows the figures before any recalculation).
:func:`board_pack_pdf` writes an A4 report in Dutch: cover, portfolio summary, verdict table, one
section per active project with its reasons and charts, and an annex.

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

Every text cell goes through :class:`~igemo_fin.exports.safe_export.SafeXlsxWriter`: a text starting with
``= + - @``, tab or CR is stored unchanged as text with Excel's quote prefix (never a formula).
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
import math
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from igemo_fin.valuation.rules import SEVERITY, VERDICTS
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.fmt import date_nl, eur, number, pct
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.exports.safe_export import SafeXlsxWriter, as_text, header_footer_text, sheet_name
from igemo_fin.valuation.thresholds import THRESHOLD_INFO

__all__ = ["board_pack_xlsx", "board_pack_pdf", "project_sheet_names", "KEY_FIGURE_CELLS",
           "SUMMARY_SHEET", "VERDICT_SHEET", "VERDICT_COLOURS", "CATEGORY_COLOURS"]

SUMMARY_SHEET = "Samenvatting"
VERDICT_SHEET = "Oordelen"

#: Okabe-Ito colours per verdict, the same as the dashboard's (ui/style.py; a test keeps them equal).
VERDICT_COLOURS = {"DOORGAAN": "#009E73", "BIJSTUREN": "#E69F00", "STOPZETTEN": "#D55E00", "AFSTOTEN": "#7B3294"}
VERDICT_SYMBOLS = {"DOORGAAN": "✔", "BIJSTUREN": "▲", "STOPZETTEN": "■", "AFSTOTEN": "◆"}
VERDICT_WORDS = {"DOORGAAN": "Doorgaan", "BIJSTUREN": "Bijsturen", "STOPZETTEN": "Stopzetten",
                 "AFSTOTEN": "Afstoten"}
VERDICT_MEANING = {
    "DOORGAAN": "het project loopt zoals gepland verder",
    "BIJSTUREN": "het project gaat verder, maar moet worden aangepast",
    "STOPZETTEN": "niet verder investeren",
    "AFSTOTEN": "de grond verkopen zoals hij er nu bij ligt",
}
#: Colours per cash-flow category, the same as the dashboard's.
CATEGORY_COLOURS = {
    "verwerving": "#8c510a", "studies": "#bf812d", "infrastructuur": "#dfc27d", "overige_kosten": "#a6a6a6",
    "verkoop": "#01665e", "subsidies": "#35978f", "overige_opbrengsten": "#80cdc1",
}
CATEGORY_WORDS = {
    "verwerving": "Verwerving", "studies": "Studies", "infrastructuur": "Infrastructuur",
    "overige_kosten": "Overige kosten", "verkoop": "Verkoop", "subsidies": "Subsidies",
    "overige_opbrengsten": "Overige opbrengsten",
}
TYPE_WORDS = {"bedrijventerrein": "Bedrijventerrein", "wonen": "Wonen", "reconversie": "Reconversie",
              "gemengd": "Gemengd"}

# --------------------------------------------------------------------------- Excel layout

_EUR = '[$€-813] #,##0.00;[$€-813] -#,##0.00'
_PCT = "0.00%"
#: Number format of a rule's value or threshold, by the unit THRESHOLD_INFO gives it.
_UNIT_FORMATS = {"EUR": _EUR, "%": '0.00" %"', "jaar": '0.#" jaar"'}
_INPUT_ROW = {"valuation_year": 4, "discount_rate": 5}  # 0-based rows of the assumptions (B5, B6)
_KEY_FIRST_ROW = 8  # 0-based row of the first key figure (B9)

#: Key figures of a project sheet: (name as in Evaluation.figures, Dutch label, unit, how it is computed).
_KEY_FIGURES = (
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
KEY_FIGURE_CELLS = {name: f"B{_KEY_FIRST_ROW + 1 + i}" for i, (name, *_rest) in enumerate(_KEY_FIGURES)}

_TABLE_TITLE_ROW = _KEY_FIRST_ROW + len(_KEY_FIGURES) + 1  # 0-based
_TABLE_HEAD_ROW = _TABLE_TITLE_ROW + 1
_TABLE_FIRST_ROW = _TABLE_HEAD_ROW + 1
_YEAR_COLUMNS = ("Jaar", "Bron", "Kosten", "Opbrengsten", "Netto kasstroom", "Rentevoet", "Dagen in het jaar",
                 "Boekwaarde 1/1", "Gemiddeld saldo", "Rente", "Boekwaarde 31/12", "Rente berekend of werkelijk")


def _col(index: int) -> str:
    """Excel's column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    return get_column_letter(index + 1)


def _finite(value) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def project_sheet_names(codes: list[str]) -> dict[str, str]:
    """A valid, unique Excel sheet name per project code (:func:`~igemo_fin.exports.safe_export.sheet_name`).

    >>> project_sheet_names(["BT-05", "A/B", "a/b", "Samenvatting"])
    {'BT-05': 'BT-05', 'A/B': 'A_B', 'a/b': 'a_b (2)', 'Samenvatting': 'Samenvatting (2)'}
    """
    used = {SUMMARY_SHEET.lower(), VERDICT_SHEET.lower()}
    return {code: sheet_name(code, used, fallback="Project") for code in codes}


def _ref(sheet: str, cell: str) -> str:
    """A cross-sheet reference: ``'BT-05'!B9`` (quotes doubled inside the name)."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


@dataclass
class _Formats:
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


def _formats(w: SafeXlsxWriter) -> _Formats:
    return _Formats(
        title=w.fmt(bold=True, font_size=14),
        bold=w.fmt(bold=True),
        head=w.fmt(bold=True, bottom=1, text_wrap=True, valign="top", bg_color="#E8EEF4"),
        money=w.fmt(num_format=_EUR),
        money_bold=w.fmt(num_format=_EUR, bold=True),
        percent=w.fmt(num_format=_PCT, align="right"),
        year=w.fmt(num_format="0"),
        integer=w.fmt(num_format="0"),
        allocated=w.fmt(num_format=_EUR, bg_color="#FFF2CC"),
        note=w.fmt(italic=True, font_color="#555555", text_wrap=True, valign="top"),
        wrap=w.fmt(text_wrap=True, valign="top"),
    )


def board_pack_xlsx(portfolio: Portfolio, ev: Evaluation) -> bytes:
    """The board pack as an Excel workbook (bytes).

    Sheets: ``Samenvatting`` (portfolio totals and verdict counts, as formulas over the project
    sheets where they can be), ``Oordelen`` (every active project, its verdict and the fired rules
    in sentences) and one sheet per project (:func:`project_sheet_names`) with the assumptions, the
    key figures as live formulas (cells :data:`KEY_FIGURE_CELLS`), the yearly table and the rules.

    Parameters
    ----------
    portfolio : Portfolio
        The workbook the evaluation was made from (source name, settings).
    ev : Evaluation
        :func:`~igemo_fin.valuation.evaluate.evaluate`'s result.
    """
    buffer = io.BytesIO()
    w = SafeXlsxWriter.open(buffer)
    f = _formats(w)
    w.book.set_properties({"title": "Bestuursdossier projectportefeuille", "author": "IGEMO",
                           "comments": f"Waardering op 1 januari {ev.valuation_year}"})
    figures = ev.figures
    codes = figures["project_code"].tolist()
    names = project_sheet_names(codes)
    summary = w.book.add_worksheet(SUMMARY_SHEET)
    verdict_sheet = w.book.add_worksheet(VERDICT_SHEET)
    for code in codes:
        _project_sheet(w, f, w.book.add_worksheet(names[code]), ev, code)
    _verdict_sheet(w, f, verdict_sheet, ev)
    _summary_sheet(w, f, summary, portfolio, ev, names)
    w.book.close()
    return buffer.getvalue()


def _project_sheet(w: SafeXlsxWriter, f: _Formats, sheet, ev: Evaluation, code: str) -> None:
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
            letter = _col(c)
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
    cell = {name: KEY_FIGURE_CELLS[name] for name, *_ in _KEY_FIGURES}
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
    for i, (name, label, unit, how) in enumerate(_KEY_FIGURES):
        r = _KEY_FIRST_ROW + i
        w.text(sheet, r, 0, label)
        value = _finite(p[name])
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
                if _finite(value) is None:
                    w.text(sheet, r, c, "–", valign="top", align="right")
                else:
                    sheet.write_number(r, c, float(value), w.fmt(num_format=_UNIT_FORMATS.get(unit, "General"),
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
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_footer(f"&L{header_footer_text(code)}&RIGEMO – waardering 1/1/{V} – pagina &P van &N")


def _verdict_sheet(w: SafeXlsxWriter, f: _Formats, sheet, ev: Evaluation) -> None:
    V = ev.valuation_year
    w.text(sheet, 0, 0, f"Oordeel per actief project (waardering op 1 januari {V})", bold=True, font_size=14)
    w.text(sheet, 1, 0, "Het zwaarste overschreden criterium bepaalt het oordeel: doorgaan < bijsturen < "
                        "stopzetten / afstoten (afstoten gaat voor).", italic=True, font_color="#555555")
    heads = ("Project", "Naam", "Gemeente", "Oordeel", "Betekenis", "Overschreden drempels", "Redenen")
    for c, head in enumerate(heads):
        w.text(sheet, 3, c, head, bold=True, bottom=1, text_wrap=True, valign="top", bg_color="#E8EEF4")
    fired = ev.rules[ev.rules["fired"]].groupby("project_code", sort=False)["sentence"].apply(list)
    active = _active_sorted(ev.figures)
    r = 4
    for p in active.itertuples(index=False):
        reasons = fired.get(p.project_code, [])
        w.text(sheet, r, 0, p.project_code, valign="top")
        w.text(sheet, r, 1, p.naam, text_wrap=True, valign="top")
        w.text(sheet, r, 2, p.gemeente, valign="top")
        w.text(sheet, r, 3, p.verdict, bold=True, font_color="white", bg_color=VERDICT_COLOURS[p.verdict],
               valign="top")
        w.text(sheet, r, 4, VERDICT_MEANING[p.verdict], text_wrap=True, valign="top")
        sheet.write_number(r, 5, len(reasons), w.fmt(valign="top"))
        text = "\n".join(f"• {s}" for s in reasons) if reasons else "Geen enkele drempel overschreden."
        w.text(sheet, r, 6, text, text_wrap=True, valign="top")
        sheet.set_row(r, max(15, 15 * sum(1 + len(s) // 95 for s in reasons)))
        r += 1
    for c, width in enumerate([12, 34, 14, 13, 30, 12, 100]):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(4, 0)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(3)


def _active_sorted(figures: pd.DataFrame) -> pd.DataFrame:
    """Active projects, the most severe verdict first, then in workbook order."""
    active = figures[figures["status"] == "actief"].copy()
    active["_order"] = -active["verdict"].map(SEVERITY).fillna(0)
    active["_pos"] = np.arange(len(active))
    return active.sort_values(["_order", "_pos"]).drop(columns=["_order", "_pos"])


def _summary_sheet(w: SafeXlsxWriter, f: _Formats, sheet, portfolio: Portfolio, ev: Evaluation,
                   names: dict[str, str]) -> None:
    V = ev.valuation_year
    totals = ev.portfolio_totals()
    figures = ev.figures
    w.text(sheet, 0, 0, "IGEMO – bestuursdossier projectportefeuille", bold=True, font_size=14)
    source = portfolio.source_name or "portefeuillewerkboek"
    w.text(sheet, 1, 0, f"Waardering op 1 januari {V} · disconteringsvoet {pct(ev.discount_rate_pct)} · "
                        f"bron: {source}")
    w.text(sheet, 2, 0, "Bedragen in euro. Cijfers in het vet zijn formules over de projectbladen: wijzig een "
                        "kasstroom op een projectblad en alles rekent mee.", italic=True, font_color="#555555")

    # Overview table of every project first (rows known), the totals refer to it.
    n_p = len(figures)
    top = 30  # below the verdict counts, the totals and the model values (asserted further on)
    cols = (("Project", None), ("Naam", None), ("Gemeente", None), ("Status", None), ("Oordeel", None),
            ("CW vooruit", "npv_forward"), ("IRR", "irr_full_life"), ("Resultaat", "result_nominal"),
            ("Boekwaarde 1/1", "book_value"), ("Hoogste boekwaarde", "peak_book_value"),
            ("Rente totaal", "interest_total"), (f"Rente vanaf {V}", "interest_future"))
    w.text(sheet, top - 1, 0, "Alle projecten (cijfers verwijzen naar de projectbladen)", bold=True)
    for c, (head, _) in enumerate(cols):
        w.text(sheet, top, c, head, bold=True, bottom=1, text_wrap=True, valign="top", bg_color="#E8EEF4")
    sheet.set_row(top, 30)
    for i, p in enumerate(figures.to_dict("records")):
        r = top + 1 + i
        w.text(sheet, r, 0, p["project_code"])
        w.text(sheet, r, 1, p["naam"])
        w.text(sheet, r, 2, p["gemeente"])
        w.text(sheet, r, 3, p["status"])
        w.text(sheet, r, 4, p["verdict"] if isinstance(p["verdict"], str) else "–")
        for c, (_, key) in enumerate(cols[5:], start=5):
            ref = "=" + _ref(names[p["project_code"]], KEY_FIGURE_CELLS[key])
            value = _finite(p[key])
            if key == "irr_full_life":
                sheet.write_formula(r, c, ref, f.percent, "geen" if value is None else value)
            else:
                sheet.write_formula(r, c, ref, f.money, 0.0 if value is None else value)
    first, last = top + 2, top + 1 + n_p  # Excel rows of the overview
    rng = {key: f"${_col(c)}${first}:${_col(c)}${last}" for c, (_, key) in enumerate(cols) if key}
    status_rng, verdict_rng = f"$D${first}:$D${last}", f"$E${first}:$E${last}"

    r = 4
    w.text(sheet, r, 0, "Oordelen (actieve projecten)", bold=True)
    for verdict in VERDICTS:
        r += 1
        w.text(sheet, r, 0, f"{VERDICT_WORDS[verdict]}: {VERDICT_MEANING[verdict]}")
        sheet.write_formula(r, 1, f'=COUNTIF({verdict_rng},"{verdict}")', w.fmt(bold=True),
                            totals["verdict_counts"][verdict])
        sheet.write_blank(r, 2, None, w.fmt(bg_color=VERDICT_COLOURS[verdict]))
    r += 2
    w.text(sheet, r, 0, "Portefeuille", bold=True)
    lines = [
        ("Aantal projecten", f"=COUNTA($A${first}:$A${last})", totals["project_count"], f.integer),
        ("Actieve projecten", f'=COUNTIF({status_rng},"actief")', totals["active_count"], f.integer),
        ("Contante waarde van wat nog komt (actieve projecten)",
         f'=SUMIF({status_rng},"actief",{rng["npv_forward"]})', totals["npv_forward_active"], f.money_bold),
        ("Boekwaarde op 1 januari (alle projecten)", f"=SUM({rng['book_value']})", totals["book_value_total"],
         f.money_bold),
        ("Boekwaarde op 1 januari (actieve projecten)", f'=SUMIF({status_rng},"actief",{rng["book_value"]})',
         totals["book_value_active"], f.money_bold),
        ("Kaskrediet opgenomen op 1 januari (positieve boekwaarden van actieve projecten)",
         f'=SUMIFS({rng["book_value"]},{status_rng},"actief",{rng["book_value"]},">0")', totals["credit_drawn"],
         f.money_bold),
        ("Resultaat over de hele looptijd (alle projecten)", f"=SUM({rng['result_nominal']})",
         totals["result_nominal_total"], f.money_bold),
        ("Resultaat over de hele looptijd (actieve projecten)",
         f'=SUMIF({status_rng},"actief",{rng["result_nominal"]})', totals["result_nominal_active"], f.money_bold),
        ("Rente totaal", f"=SUM({rng['interest_total']})", totals["interest_total"], f.money_bold),
        (f"Rente vanaf {V}", f"=SUM({rng['interest_future']})", totals["interest_future"], f.money_bold),
    ]
    for label, formula, value, fmt in lines:
        r += 1
        w.text(sheet, r, 0, label)
        sheet.write_formula(r, 1, formula, fmt, value)
    values = [
        ("Kredietlimiet", totals["credit_limit"]),
        (f"Rente {V} (alle projecten)", totals["interest_this_year"]),
        (f"Rente {V + 1} (alle projecten)", totals["interest_next_year"]),
        ("Werkelijke rente die geen project kon dragen", totals["unallocated_interest"]),
        ("Eigen vermogen", portfolio.settings.eigen_vermogen),
    ]
    for label, value in values:
        r += 1
        w.text(sheet, r, 0, label)
        if _finite(value) is None:
            w.text(sheet, r, 1, "niet opgegeven")
        else:
            sheet.write_number(r, 1, float(value), f.money)
        w.text(sheet, r, 2, "waarde uit het model", italic=True, font_color="#555555")
    assert r < top - 2, "the summary block overlaps the project table"

    # Thresholds and remarks to the right.
    c0 = 4
    w.text(sheet, 4, c0, "Drempels van het beslissingskader", bold=True)
    rr = 4
    for name, info in THRESHOLD_INFO.items():
        rr += 1
        value = getattr(ev.thresholds, name)
        w.text(sheet, rr, c0, info.label)
        if _finite(value) is None:
            w.text(sheet, rr, c0 + 3, "–")
        else:
            sheet.write_number(rr, c0 + 3, float(value), w.fmt(num_format=_UNIT_FORMATS[info.unit]))
    notes = list(ev.warnings)
    if notes:
        rr += 2
        w.text(sheet, rr, c0, "Opmerkingen bij de gegevens", bold=True)
        for note in notes:
            rr += 1
            w.text(sheet, rr, c0, note)
    widths = [66, 18, 12, 12, 16, 18, 10, 17, 17, 17, 15, 15]
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.activate()


# --------------------------------------------------------------------------- PDF

def _money(value, decimals: int = 0) -> str:
    """``eur`` with non-breaking spaces, so a table never splits '€' from its number."""
    return eur(_finite(value), decimals).replace(" ", "\u00a0")


def _percent(value, decimals: int = 1) -> str:
    return pct(_finite(value), decimals).replace(" ", "\u00a0")


def _irr_text(value) -> str:
    value = _finite(value)
    return "geen" if value is None else _percent(100 * value)


def _fonts() -> tuple[str, str, str]:
    """Register DejaVu Sans (shipped with matplotlib: every Dutch character, €, ✔ ▲ ■ ◆)."""
    import os

    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = ("IgemoSans", "IgemoSans-Bold", "IgemoSans-Oblique")
    if names[0] not in pdfmetrics.getRegisteredFontNames():
        folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
        for name, file in zip(names, ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")):
            pdfmetrics.registerFont(TTFont(name, os.path.join(folder, file)))
        addMapping(names[0], 0, 0, names[0])
        addMapping(names[0], 1, 0, names[1])
        addMapping(names[0], 0, 1, names[2])
        addMapping(names[0], 1, 1, names[1])
    return names


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def _plain_label(text) -> str:
    """A label matplotlib draws as it is: no control characters, '$' not read as mathtext."""
    return _CONTROL.sub("", as_text(text)).replace("$", r"\$")


def _axis_money(value: float, _pos=None) -> str:
    """Axis ticks in euro, Belgian: ``€ 1,5 mln``, ``€ 250.000``."""
    if abs(value) >= 1e6:
        return f"€ {number(value / 1e6, 1)} mln"
    return f"€ {number(value)}"


def _png(fig) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _chart_style(ax) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.yaxis.set_major_formatter(FuncFormatter(_axis_money))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=8)


def _project_chart(ev: Evaluation, code: str) -> bytes:
    """Cash flows by category per year (costs below zero; the past lighter) and book value with interest."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    V = ev.valuation_year
    flows = ev.flows[ev.flows["project_code"] == code]
    yearly = ev.yearly[ev.yearly["project_code"] == code].sort_values("jaar")
    fig = Figure(figsize=(7.0, 4.6))
    ax1, ax2 = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1.1, 1]})
    handles = []
    years = yearly["jaar"].to_numpy()
    pos = pd.Series(0.0, index=years)
    neg = pd.Series(0.0, index=years)
    for category, colour in CATEGORY_COLOURS.items():
        part = flows[flows["categorie"] == category].groupby("jaar")["bedrag"].sum()
        if part.empty:
            continue
        part = part.reindex(years, fill_value=0.0)
        height = part.to_numpy()
        base = np.where(height >= 0, pos.to_numpy(), neg.to_numpy())
        for when, style in ((years < V, dict(alpha=0.5, hatch="//")), (years >= V, {})):
            show = when & (height != 0)
            if show.any():
                ax1.bar(years[show], height[show], bottom=base[show], color=colour, width=0.8, edgecolor="white",
                        linewidth=0.3, **style)
        handles.append(Patch(facecolor=colour, label=CATEGORY_WORDS[category]))
        pos += part.clip(lower=0)
        neg += part.clip(upper=0)
    ax1.axhline(0, color="#555555", linewidth=0.8)
    ax1.axvline(V - 0.5, color="black", linestyle="--", linewidth=1)
    ax1.set_title("Kasstromen per jaar (kosten onder nul; gearceerd = verleden)", fontsize=9, loc="left")
    _chart_style(ax1)

    ax2.bar(years, yearly["interest"], color="#E69F00", width=0.6, label="Rente (toegerekend)")
    ax2.set_ylabel("Rente", fontsize=8)
    ax2.yaxis.set_major_formatter(FuncFormatter(_axis_money))
    ax3 = ax2.twinx()
    ax3.plot(years, yearly["book_value_end"], color="#0072B2", marker="o", markersize=3, linewidth=2,
             label="Boekwaarde op 31/12")
    ax3.axhline(0, color="#888888", linewidth=0.6, linestyle=":")
    ax3.yaxis.set_major_formatter(FuncFormatter(_axis_money))
    ax3.tick_params(labelsize=8)
    ax3.set_ylabel("Boekwaarde", fontsize=8)
    ax2.axvline(V - 0.5, color="black", linestyle="--", linewidth=1)
    ax2.set_title(f"Boekwaarde (lijn, rechts) en rente per jaar (staven, links); stippellijn = 1/1/{V}",
                  fontsize=9, loc="left")
    _chart_style(ax2)
    ax3.spines[["top"]].set_visible(False)
    handles += ax2.get_legend_handles_labels()[0] + ax3.get_legend_handles_labels()[0]
    fig.legend(handles=handles, labels=[h.get_label() for h in handles], fontsize=7, frameon=False,
               loc="lower center", ncols=min(len(handles), 5))
    ax2.set_xlabel("Jaar", fontsize=8)
    # Fixed margins instead of tight_layout: the same look for every project, at a third of the cost.
    fig.subplots_adjust(left=0.13, right=0.87, top=0.95, bottom=0.2 if len(handles) > 5 else 0.16, hspace=0.3)
    return _png(fig)


def _portfolio_charts(ev: Evaluation) -> bytes:
    """Risk and return of the active projects, and the cash credit against its limit."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    V = ev.valuation_year
    fig = Figure(figsize=(7.0, 6.4))
    ax1, ax2 = fig.subplots(2, 1, gridspec_kw={"height_ratios": [1.25, 1]})
    active = ev.figures[ev.figures["status"] == "actief"]
    irr = 100 * active["irr_full_life"].astype(float)
    floor = (np.nanmin(irr) - 2) if irr.notna().any() else -5.0
    x = irr.fillna(floor).to_numpy()
    size = np.clip(active["book_value"].to_numpy(dtype=float), 0, None)
    top = size.max() if size.size and size.max() > 0 else 1.0
    markers = {"DOORGAAN": "o", "BIJSTUREN": "^", "STOPZETTEN": "s", "AFSTOTEN": "D"}
    for verdict in VERDICTS:
        mask = (active["verdict"] == verdict).to_numpy()
        if not mask.any():
            continue
        ax1.scatter(x[mask], active["npv_forward"].to_numpy()[mask], s=30 + 370 * size[mask] / top,
                    c=VERDICT_COLOURS[verdict], marker=markers[verdict], alpha=0.85, edgecolors="white",
                    linewidths=0.8, label=VERDICT_WORDS[verdict])
    for xi, yi, code in zip(x, active["npv_forward"], active["project_code"]):
        ax1.annotate(_plain_label(code), (xi, yi), fontsize=6.5, xytext=(4, 4), textcoords="offset points")
    ax1.axhline(0, color="grey", linestyle=":", linewidth=1)
    ax1.set_xlabel("Intern rendement over de hele looptijd (%)", fontsize=8)
    ax1.set_title("Risico en rendement van de actieve projecten (grootte = boekwaarde)", fontsize=9, loc="left")
    _chart_style(ax1)
    ax1.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{number(v, 0)} %"))
    legend = [Line2D([], [], marker=markers[v], color="white", markerfacecolor=VERDICT_COLOURS[v], markersize=8,
                     label=VERDICT_WORDS[v]) for v in VERDICTS]
    ax1.legend(handles=legend, fontsize=7, frameon=False, loc="best")
    ax1.set_ylabel("CW van wat nog komt", fontsize=8)

    credit = ev.credit[ev.credit["drawn_end"].gt(0) | ev.credit["jaar"].between(V - 5, V + 5)]
    past = credit["jaar"] < V
    ax2.bar(credit["jaar"], credit["drawn_end"], color=np.where(past, "#9ecae1", "#0072B2"),
            label="Opgenomen op 31/12")
    ax2.step(credit["jaar"], credit["kredietlimiet"], where="mid", color="#D55E00", linewidth=2,
             label="Kredietlimiet")
    ax2.axvline(V - 0.5, color="black", linestyle="--", linewidth=1)
    ax2.set_title("Kaskrediet: opgenomen bedrag tegenover de limiet (lichter = verleden)", fontsize=9, loc="left")
    _chart_style(ax2)
    ax2.legend(fontsize=7, frameon=False, loc="upper left")
    ax2.set_xlabel("Jaar", fontsize=8)
    fig.subplots_adjust(left=0.13, right=0.97, top=0.95, bottom=0.08, hspace=0.33)
    return _png(fig)


def board_pack_pdf(portfolio: Portfolio, ev: Evaluation, *, made_on: _dt.date | None = None) -> bytes:
    """The board pack as a printable PDF (A4, Dutch, Belgian number formats, 'pagina x van y').

    Parameters
    ----------
    portfolio : Portfolio
        The workbook the evaluation was made from (source name, settings).
    ev : Evaluation
        :func:`~igemo_fin.valuation.evaluate.evaluate`'s result.
    made_on : date, optional
        The date on the cover; default today.
    """
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (Image, KeepTogether, PageBreak, Paragraph, Spacer,
                                    Table, TableStyle)

    regular, bold, _italic = _fonts()
    numbered_canvas_class, _Heading, _Doc = _reportlab_classes()
    made_on = made_on or _dt.date.today()
    V = ev.valuation_year
    totals = ev.portfolio_totals()

    base = ParagraphStyle("base", fontName=regular, fontSize=9.5, leading=12.5, alignment=TA_LEFT)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#444444"))
    cell = ParagraphStyle("cell", parent=base, fontSize=8, leading=9.8)
    cell_bold = ParagraphStyle("cellb", parent=cell, fontName=bold)
    cell_right = ParagraphStyle("cellr", parent=cell, alignment=2)
    cell_head_right = ParagraphStyle("cellhr", parent=cell_bold, alignment=2)
    verdict_style = ParagraphStyle("v", parent=cell, textColor=colors.white)
    h1 = ParagraphStyle("h1", parent=base, fontName=bold, fontSize=16, leading=20, spaceAfter=6,
                        textColor=colors.HexColor("#1F3A5F"))
    h2 = ParagraphStyle("h2", parent=base, fontName=bold, fontSize=12.5, leading=16, spaceBefore=2, spaceAfter=3,
                        textColor=colors.HexColor("#1F3A5F"))
    h3 = ParagraphStyle("h3", parent=base, fontName=bold, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2)
    bullet = ParagraphStyle("bullet", parent=base, leftIndent=10, bulletIndent=0, spaceAfter=2)

    def P(text: str, style=base) -> Paragraph:
        return Paragraph(text, style)

    def esc(value) -> str:
        """Escaped for reportlab's markup; '€ 1.234' and '5 %' are never split over two lines."""
        text = escape(_CONTROL.sub("", as_text(value)))
        return re.sub(r"€ (?=[-\d])", "€\u00a0", text).replace(" %", "\u00a0%")

    def project_cell(p) -> Paragraph:
        return P(f"<b>{esc(p.project_code)}</b> {esc(p.naam)}<br/><font color='#555555'>{esc(p.gemeente)}</font>",
                 cell)

    grid = colors.HexColor("#C8D2DC")
    head_bg = colors.HexColor("#E8EEF4")
    width = A4[0] - 36 * mm

    def table(rows, col_widths, *, header=True, extra=()):
        t = Table(rows, colWidths=col_widths, repeatRows=1 if header else 0, hAlign="LEFT")
        style = [("FONTNAME", (0, 0), (-1, -1), regular), ("FONTSIZE", (0, 0), (-1, -1), 8),
                 ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, grid),
                 ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
        if header:
            style += [("BACKGROUND", (0, 0), (-1, 0), head_bg), ("FONTNAME", (0, 0), (-1, 0), bold)]
        t.setStyle(TableStyle(style + list(extra)))
        return t

    story = []
    # ---- cover
    description = portfolio.settings.extra.get("omschrijving") if portfolio.settings.extra else None
    counts = totals["verdict_counts"]
    story += [
        Spacer(1, 40 * mm),
        P("IGEMO", ParagraphStyle("brand", parent=h1, fontSize=14, textColor=colors.HexColor("#5A6B7D"))),
        P("Bestuursdossier", ParagraphStyle("cover", parent=h1, fontSize=30, leading=36)),
        P("Financiële risico's van de projectportefeuille",
          ParagraphStyle("cover2", parent=h1, fontSize=18, leading=24, fontName=regular)),
        Spacer(1, 10 * mm),
        P(f"Waardering op <b>1 januari {V}</b> (waarderingsjaar {V})", ParagraphStyle("c3", parent=base, fontSize=12,
                                                                                      leading=16)),
        P(f"Opgemaakt op {date_nl(made_on)}", ParagraphStyle("c4", parent=base, fontSize=12, leading=16)),
        Spacer(1, 6 * mm),
    ]
    if description:
        story.append(P(esc(description)))
    story.append(P(f"Bron: {esc(portfolio.source_name or 'portefeuillewerkboek')} · disconteringsvoet "
                   f"{_percent(ev.discount_rate_pct, 2)}", small))
    story.append(Spacer(1, 14 * mm))
    cover_rows = [[P(f"<b>{VERDICT_SYMBOLS[v]} {VERDICT_WORDS[v]}</b>", ParagraphStyle(
        "badge", parent=cell, textColor=colors.white, fontSize=10, leading=13)),
        P(f"{counts[v]} project{'en' if counts[v] != 1 else ''}", ParagraphStyle("n", parent=cell, fontSize=10,
                                                                                  leading=13))]
        for v in VERDICTS]
    story.append(P(f"Oordelen over de {totals['active_count']} actieve projecten", h3))
    story.append(table(cover_rows, [45 * mm, 45 * mm], header=False, extra=[
        ("BACKGROUND", (0, i), (0, i), colors.HexColor(VERDICT_COLOURS[v])) for i, v in enumerate(VERDICTS)]))
    story += [Spacer(1, 30 * mm),
              P("Vertrouwelijk – voor de leden van de raad van bestuur. Alle bedragen in euro; "
                "verwachte waarden volgens de laatste prognose.", small),
              PageBreak()]

    # ---- portfolio summary
    story.append(P("1. Samenvatting van de portefeuille", h1))
    limit = totals["credit_limit"]
    equity = portfolio.settings.eigen_vermogen
    kpis = [
        ("Projecten (waarvan actief)", f"{totals['project_count']} ({totals['active_count']})"),
        ("Contante waarde van wat nog komt (actieve projecten)", _money(totals["npv_forward_active"])),
        (f"Kapitaal vast in actieve projecten op 1/1/{V}", _money(totals["book_value_active"])),
        ("Kaskrediet opgenomen / limiet", f"{_money(totals['credit_drawn'])} / {_money(limit)}" if limit
         else _money(totals["credit_drawn"])),
        (f"Rente {V} / {V + 1}", f"{_money(totals['interest_this_year'])} / {_money(totals['interest_next_year'])}"),
        ("Resultaat over de hele looptijd (actieve projecten)", _money(totals["result_nominal_active"])),
        ("Resultaat over de hele looptijd (alle projecten)", _money(totals["result_nominal_total"])),
        (f"Rente vanaf {V} (alle projecten)", _money(totals["interest_future"])),
    ]
    if _finite(equity) is not None:
        kpis.append(("Eigen vermogen", _money(equity)))
    story.append(table([[P(esc(k), cell), P(f"<b>{v}</b>", cell_right)] for k, v in kpis],
                       [width * 0.62, width * 0.38], header=False))
    story.append(Spacer(1, 4 * mm))
    story.append(P("Wat de begrippen betekenen: de <b>contante waarde van wat nog komt</b> is wat doorgaan vanaf "
                   "vandaag nog oplevert, in euro van vandaag (wat al uitgegeven is, telt niet mee). Het "
                   "<b>resultaat</b> is alle opbrengsten min alle kosten en alle rente, niet verdisconteerd. De "
                   "<b>boekwaarde</b> is wat nu in een project vastzit en met het kaskrediet gefinancierd wordt.",
                   small))
    story.append(Spacer(1, 3 * mm))
    story.append(Image(io.BytesIO(_portfolio_charts(ev)), width=width, height=width * 6.4 / 7.0))
    story.append(PageBreak())

    # ---- verdict table
    story.append(P("2. Oordeel per actief project", h1))
    story.append(P("Elk actief project wordt aan elke drempel van het beslissingskader getoetst; het zwaarste "
                   "overschreden criterium bepaalt het oordeel (doorgaan &lt; bijsturen &lt; stopzetten / "
                   "afstoten; afstoten gaat voor). De redenen staan per project verder in dit dossier.", small))
    story.append(Spacer(1, 3 * mm))
    active = _active_sorted(ev.figures)
    rows = [[P("Project (gemeente)", cell_bold), P("Oordeel", cell_bold)]
            + [P(h, cell_head_right) for h in ("CW vooruit", "IRR", "Resultaat", f"Boekwaarde 1/1/{V}")]]
    extra = [("ALIGN", (2, 1), (-1, -1), "RIGHT")]
    for i, p in enumerate(active.itertuples(index=False), start=1):
        rows.append([project_cell(p), Paragraph(f"<b>{VERDICT_SYMBOLS[p.verdict]} {VERDICT_WORDS[p.verdict]}</b>",
                                                verdict_style),
                     _money(p.npv_forward), _irr_text(p.irr_full_life), _money(p.result_nominal),
                     _money(p.book_value)])
        extra.append(("BACKGROUND", (1, i), (1, i), colors.HexColor(VERDICT_COLOURS[p.verdict])))
    story.append(table(rows, [w * width for w in (0.295, 0.155, 0.14, 0.09, 0.16, 0.16)], extra=extra))

    # ---- one section per active project
    fired = ev.rules[ev.rules["fired"]].groupby("project_code", sort=False)["sentence"].apply(list)
    evaluated_ok = ev.rules[~ev.rules["fired"] & ev.rules["evaluated"]].groupby(
        "project_code", sort=False)["sentence"].apply(list)
    not_evaluated = ev.rules[~ev.rules["evaluated"]].groupby("project_code", sort=False)["label"].apply(list)
    for n, p in enumerate(active.itertuples(index=False), start=1):
        story.append(PageBreak())
        story.append(_Heading(f"3.{n} {esc(p.project_code)} – {esc(p.naam)}", h2,
                              outline=f"{as_text(p.project_code)} – {as_text(p.naam)}"))
        zoning = "bestemming juridisch zeker" if bool(p.bestemming_zeker) else "bestemming nog niet zeker"
        story.append(P(f"{esc(TYPE_WORDS.get(p.type, p.type))} in {esc(p.gemeente)} · start {int(p.startjaar)}, "
                       f"einde {int(p.eindjaar)} · {zoning}", small))
        story.append(Spacer(1, 2 * mm))
        badge = Table([[P(f"<b>Oordeel: {VERDICT_SYMBOLS[p.verdict]} {VERDICT_WORDS[p.verdict]}</b> – "
                          f"{VERDICT_MEANING[p.verdict]}",
                          ParagraphStyle("badge2", parent=base, textColor=colors.white, fontSize=11, leading=14))]],
                      colWidths=[width])
        badge.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(VERDICT_COLOURS[p.verdict])),
                                   ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 7)]))
        story.append(badge)
        story.append(P("Waarom dit oordeel", h3))
        reasons = fired.get(p.project_code, [])
        if reasons:
            story += [Paragraph(esc(s), bullet, bulletText="•") for s in reasons]
        else:
            story.append(P("Geen enkele drempel van het beslissingskader is overschreden.", base))
        story.append(P("Kerncijfers", h3))
        key = [
            ("Contante waarde van wat nog komt", _money(p.npv_forward),
             "Intern rendement (hele looptijd)", _irr_text(p.irr_full_life)),
            ("Resultaat over de hele looptijd", _money(p.result_nominal),
             "Marge op kosten", _percent(p.margin_pct)),
            (f"Boekwaarde op 1/1/{V}", _money(p.book_value), "Hoogste boekwaarde", _money(p.peak_book_value)),
            ("Rente totaal", _money(p.interest_total), f"Rente vanaf {V}", _money(p.interest_future)),
            ("Kosten totaal", _money(p.total_costs), "Opbrengsten totaal", _money(p.total_revenues)),
        ]
        market = _finite(p.marktwaarde_huidige_staat)
        prob = _finite(getattr(p, "prob_loss", None))
        if market is not None or prob is not None:
            key.append(("Marktwaarde in de huidige staat", _money(market),
                        "Kans op verlies (simulatie)", "niet berekend" if prob is None else _percent(100 * prob)))
        story.append(table([[P(a, cell), P(f"<b>{b}</b>", cell_right), P(c, cell), P(f"<b>{d}</b>", cell_right)]
                            for a, b, c, d in key],
                           [width * 0.31, width * 0.19, width * 0.31, width * 0.19], header=False))
        story.append(Spacer(1, 3 * mm))
        story.append(KeepTogether([Image(io.BytesIO(_project_chart(ev, p.project_code)), width=width,
                                         height=width * 4.6 / 7.0)]))
        ok = list(dict.fromkeys(evaluated_ok.get(p.project_code, [])))  # the two zoning rules say the same
        missing = not_evaluated.get(p.project_code, [])
        if ok or missing:
            story.append(P("Getoetst en binnen de drempel", ParagraphStyle("h3s", parent=h3, fontSize=8.5)))
            story += [Paragraph(esc(s), ParagraphStyle("bs", parent=small, leftIndent=10), bulletText="–")
                      for s in ok]
            if missing:
                story.append(P("Niet beoordeeld (gegevens of simulatie ontbreken): " + esc("; ".join(missing)) + ".",
                               small))

    # ---- annex
    story.append(PageBreak())
    story.append(P("4. Bijlagen", h1))
    others = ev.figures[ev.figures["status"] != "actief"]
    if not others.empty:
        story.append(P("Afgeronde en stopgezette projecten (geen oordeel; ze voeden de nacalculatie)", h3))
        rows = [[P("Project (gemeente)", cell_bold), P("Status", cell_bold), P("Resultaat", cell_head_right),
                 P("IRR", cell_head_right), P("Looptijd", cell_head_right)]]
        for p in others.itertuples(index=False):
            span = f"{int(p.first_year)}–{int(p.last_year)}" if int(p.first_year) >= 0 else "–"
            rows.append([project_cell(p), P(esc(p.status), cell), _money(p.result_nominal),
                         _irr_text(p.irr_full_life), span])
        story.append(table(rows, [w * width for w in (0.44, 0.13, 0.17, 0.11, 0.15)],
                           extra=[("ALIGN", (2, 1), (-1, -1), "RIGHT")]))
    story.append(P("Drempels van het beslissingskader", h3))
    rows = [[P(h, cell_bold) for h in ("Drempel", "Waarde", "Waarom")]]
    for name, info in THRESHOLD_INFO.items():
        value = _finite(getattr(ev.thresholds, name))
        shown = "–" if value is None else (_money(value) if info.unit == "EUR" else
                                           _percent(value, 2) if info.unit == "%" else
                                           f"{number(value, 0 if float(value).is_integer() else 1)}\u00a0jaar")
        rows.append([P(esc(info.label), cell), P(f"<b>{shown}</b>", cell_right), P(esc(info.why), cell)])
    story.append(table(rows, [width * 0.38, width * 0.14, width * 0.48]))
    if ev.warnings:
        story.append(P("Opmerkingen bij de gegevens", h3))
        story += [Paragraph(esc(wn), bullet, bulletText="•") for wn in ev.warnings]
    story.append(P("Hoe de cijfers berekend zijn", h3))
    story.append(P("Kasstromen zijn per kalenderjaar; vóór het waarderingsjaar gelden de werkelijke cijfers waar "
                   "de boekhouding ze heeft, anders de prognose. De rente op het kaskrediet wordt per project "
                   "berekend op het gemiddeld saldo van het jaar (boekwaarde min de helft van de netto "
                   "kasstroom), aan de rentevoet van dat jaar, dagen/360. Waar de werkelijk betaalde rente "
                   "bekend is, wordt die over de lopende projecten verdeeld naar rato van hun gemiddeld saldo. "
                   "De contante waarde verdisconteert de kasstromen vanaf het waarderingsjaar halverwege elk "
                   f"jaar aan {_percent(ev.discount_rate_pct, 2)}. Het Excel-bestand van dit dossier bevat per "
                   "project dezelfde berekening als formules, om na te rekenen.", small))

    buffer = io.BytesIO()
    footer_left = f"IGEMO – bestuursdossier – waardering 1/1/{V}"

    def numbered_canvas(*args, **kwargs):
        return numbered_canvas_class(*args, footer=footer_left, font=regular, **kwargs)

    doc = _Doc(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
               bottomMargin=18 * mm, title=f"Bestuursdossier projectportefeuille – waardering 1/1/{V}",
               author="IGEMO", subject="Financiële risico's van de projectportefeuille", lang="nl-BE",
               invariant=1, creator="igemo_fin")
    doc.build(story, canvasmaker=numbered_canvas)
    return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def _reportlab_classes():
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    class NumberedCanvas(canvas.Canvas):
        """Two passes in one: pages are kept until the end, then each gets 'pagina x van y'."""

        def __init__(self, *args, footer: str = "", font: str = "Helvetica", **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self._footer = footer
            self._font = font

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            from reportlab.lib.units import mm

            width, _height = self._pagesize
            self.saveState()
            self.setFont(self._font, 7.5)
            self.setFillGray(0.35)
            if self._pageNumber > 1:
                self.drawString(18 * mm, 10 * mm, self._footer)
            self.drawRightString(width - 18 * mm, 10 * mm, f"pagina {self._pageNumber} van {total}")
            self.restoreState()

    class Heading(Paragraph):
        """A heading that also becomes a PDF bookmark."""

        def __init__(self, text, style, *, outline: str):
            super().__init__(text, style)
            self.outline = outline

    class Doc(SimpleDocTemplate):
        def afterFlowable(self, flowable):  # noqa: N802 (reportlab's name)
            if isinstance(flowable, Heading):
                key = f"h{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.outline, key, level=0)

    return NumberedCanvas, Heading, Doc
