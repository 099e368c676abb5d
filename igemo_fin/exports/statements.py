"""A one-page Excel statement for one municipality: its projects, the loss it carries, the profit share owed."""

from __future__ import annotations

import io

import pandas as pd

from igemo_fin.exports.formats import EUR_FORMAT, PERCENT_FORMAT, TITLE, landscape_a4
from igemo_fin.exports.safe_export import SafeXlsxWriter, header_footer_text, sheet_name
from igemo_fin.obligations.exact import sum_cents
from igemo_fin.obligations.loss_sharing import loss_sharing
from igemo_fin.obligations.profit_sharing import profit_sharing
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["municipality_statement_xlsx"]

_NOTES = [
    "Verwacht verlies = het negatieve verwachte resultaat over de hele looptijd (kosten, opbrengsten en rente).",
    "De gemeente draagt haar aandeel in het verlies (risicodeling) tot het plafond; IGEMO draagt de rest.",
    "Winstdeling verschuldigd = het aandeel van de gemeente in de winst boven de drempel.",
    "Voltooiingsgraad = gerealiseerde kosten / totale kosten × gerealiseerde opbrengsten / totale opbrengsten "
    "(jaren vóór het waarderingsjaar, zonder rente).",
    "Voorziening winstdeling = winstdeling verschuldigd × voltooiingsgraad: wat IGEMO vandaag als voorziening "
    "aanhoudt.",
    "Alle bedragen zijn tot op de cent afgerond (half naar boven).",
]
_P90_NOTE = ("Verlies P90: het verlies dat in 9 op 10 gesimuleerde gevallen niet wordt overschreden "
             "(risicosimulatie).")
_SUMMED = {"loss", "loss_share_municipality", "loss_share_igemo", "loss_p90", "loss_p90_municipality",
           "profit_share_owed", "profit_share_provision"}
_WIDTHS = {"text": 14, "money": 16, "money_or_none": 14, "pct": 12, "pct_num": 12}


def _columns(with_p90: bool) -> list[tuple[str, str, str]]:
    """(Dutch header, column, kind) of the statement's table."""
    columns = [
        ("Project", "project_code", "text"), ("Naam", "naam", "text"), ("Status", "status", "text"),
        ("Verwacht resultaat", "result_nominal", "money"), ("Verwacht verlies", "loss", "money"),
        ("Risicodeling gemeente", "risicodeling_gemeente_pct", "pct_num"),
        ("Plafond", "risicodeling_plafond", "money_or_none"),
        ("Verlies gedragen door de gemeente", "loss_share_municipality", "money"),
        ("Verlies gedragen door IGEMO", "loss_share_igemo", "money"),
    ]
    if with_p90:
        columns += [("Verlies P90 (pessimistisch)", "loss_p90", "money"),
                    ("Verlies P90 voor de gemeente", "loss_p90_municipality", "money")]
    return columns + [
        ("Winstdeling gemeente", "winstdeling_gemeente_pct", "pct_num"),
        ("Winstdrempel", "winstdeling_drempel", "money"),
        ("Winstdeling verschuldigd aan de gemeente", "profit_share_owed", "money"),
        ("Voltooiingsgraad", "poc", "pct"),
        ("Voorziening winstdeling", "profit_share_provision", "money"),
    ]


def municipality_statement_xlsx(portfolio: Portfolio, ev: Evaluation, gemeente: str, *,
                                loss_p90: pd.Series | None = None) -> bytes:
    """A one-page Excel for one municipality: its projects, the loss it carries, profit share owed.

    Parameters
    ----------
    portfolio, ev
        The workbook and its evaluation.
    gemeente : str
        The municipality as written in ``projecten.gemeente``.
    loss_p90 : Series, optional
        P90 loss per project code (as in :func:`~igemo_fin.obligations.loss_sharing.loss_sharing`);
        adds two columns.

    Raises
    ------
    ValueError
        When no project belongs to ``gemeente`` (message in Dutch).
    """
    shares = loss_sharing(portfolio, ev, loss_p90=loss_p90)
    profit = profit_sharing(portfolio, ev)
    mine = shares[shares["gemeente"] == gemeente]
    if mine.empty:
        known = ", ".join(sorted(set(shares["gemeente"].dropna())))
        raise ValueError(f"geen projecten voor gemeente '{gemeente}' (gekend: {known})")
    data = mine.merge(profit.drop(columns=["naam", "gemeente", "status", "result_nominal"]), on="project_code")
    with_p90 = data["loss_p90"].notna().any()
    V = ev.valuation_year

    buffer = io.BytesIO()
    w = SafeXlsxWriter.open(buffer)
    sheet = w.book.add_worksheet(sheet_name(gemeente, fallback="Gemeente"))
    head = {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF4"}
    money = w.fmt(num_format=EUR_FORMAT)
    money_total = w.fmt(num_format=EUR_FORMAT, bold=True, top=1)
    pct_fmt = w.fmt(num_format=PERCENT_FORMAT)
    pct_num = w.fmt(num_format='0.00" %"')
    note = {"italic": True, "font_color": "#555555", "text_wrap": True, "valign": "top"}

    w.text(sheet, 0, 0, f"IGEMO – risicodeling en winstdeling met gemeente {gemeente}", **TITLE)
    w.text(sheet, 1, 0, f"Toestand bij de waardering op 1 januari {V}; bedragen in euro, verwachte waarden "
                        "volgens de laatste prognose.")
    columns = _columns(with_p90)
    header_row = 3
    for c, (label, _, _) in enumerate(columns):
        w.text(sheet, header_row, c, label, **head)
    sheet.set_row(header_row, 45)
    r = header_row + 1
    for rec in data.to_dict("records"):
        for c, (_, key, kind) in enumerate(columns):
            value = rec[key]
            if kind == "text":
                w.text(sheet, r, c, value)
            elif kind == "money_or_none" and (value is None or pd.isna(value)):
                w.text(sheet, r, c, "geen")
            elif value is None or pd.isna(value):
                sheet.write_blank(r, c, None)
            elif kind == "pct":
                sheet.write_number(r, c, float(value), pct_fmt)
            elif kind == "pct_num":
                sheet.write_number(r, c, float(value), pct_num)
            else:
                sheet.write_number(r, c, float(value), money)
        r += 1
    w.text(sheet, r, 0, "Totaal", bold=True, top=1)
    for c, (_, key, _) in enumerate(columns[1:], start=1):
        if key in _SUMMED:
            sheet.write_number(r, c, sum_cents(data[key].fillna(0.0)), money_total)
        else:
            sheet.write_blank(r, c, None, w.fmt(top=1))
    r += 2
    notes = list(_NOTES)
    if with_p90:
        notes.insert(2, _P90_NOTE)
    w.text(sheet, r, 0, "Toelichting", bold=True)
    last_col = len(columns) - 1
    for text in notes:
        r += 1
        w.merged_text(sheet, r, 0, last_col, text, **note)
    for c, (_, key, kind) in enumerate(columns):
        sheet.set_column(c, c, 30 if key == "naam" else _WIDTHS[kind])
    landscape_a4(sheet, pages_tall=1)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.set_footer(f"&L{header_footer_text(gemeente)}&RIGEMO – waardering 1/1/{V}")
    w.book.close()
    return buffer.getvalue()
