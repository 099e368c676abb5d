"""The board pack's section on the multi-year outlook (meerjarenperspectief).

- Excel: a sheet ``Meerjarenperspectief`` with the path per year; the equity, the credit use, the
  equity-to-credit ratio and the risk-capacity ratio are **live formulas** over that sheet's inputs
  (credit drawn, limit, recognised result, write-downs, provision movement, operating result, P90 loss),
  so finance can change an input and see the equity follow.
- PDF: the path in a table and the verschillenanalyse against the previous valuation year of the same
  data as a waterfall (:func:`~igemo_fin.outlook.waterfall.waterfall`).
"""

from __future__ import annotations

import io

from igemo_fin.exports.boardpack_charts import chart_style, png
from igemo_fin.fmt import eur, number
from igemo_fin.outlook.report import Outlook, outlook, outlook_alert
from igemo_fin.outlook.waterfall import Waterfall, waterfall
from igemo_fin.risk.capacity import capacity_moment, ratio_text
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["OUTLOOK_SHEET", "OUTLOOK_FIRST_ROW", "is_whole_portfolio", "add_outlook_sheet", "write_outlook_sheet",
           "outlook_pdf_story", "waterfall_png"]

OUTLOOK_SHEET = "Meerjarenperspectief"
#: Excel row (1-based) of the first year; the opening equity is in ``B4``, the risk capacity at 1 January
#: (as the Risico page shows it) in ``B5``, over the P90 loss of every open project in ``D5``.
OUTLOOK_FIRST_ROW = 7
_HEADERS = ("Jaar", "Krediet 31/12", "Kredietlimiet", "Gebruik", "Rente", "Erkend resultaat", "Waardeverminderingen",
            "Voorziening winstdeling (netto)", "Resultaat buiten projecten", "Eigen vermogen 31/12",
            "Eigen vermogen / krediet", "IGEMO-verlies P90", "Weerstandsvermogen 31/12")


def is_whole_portfolio(portfolio: Portfolio, ev: Evaluation) -> bool:
    """True when the pack is IGEMO's own: the whole portfolio of the evaluation's basis, with its settings.

    The outlook is about IGEMO's equity and cash credit; a municipality's pack (its own projects, and
    nothing of IGEMO's own: :func:`ui.visibility.portfolio_for_user`) gets no outlook section.
    """
    own = ev.basis.portfolio
    return (portfolio.source_name == own.source_name and portfolio.settings == own.settings
            and len(ev.figures) == len(own.projects) == len(portfolio.projects))


def add_outlook_sheet(w, f, portfolio: Portfolio, ev: Evaluation) -> None:
    """The sheet :data:`OUTLOOK_SHEET` at the end of the pack, when it is IGEMO's own (:func:`is_whole_portfolio`)."""
    if is_whole_portfolio(portfolio, ev):
        write_outlook_sheet(w, f, w.book.add_worksheet(OUTLOOK_SHEET), outlook(ev))


def write_outlook_sheet(w, f, sheet, o: Outlook) -> None:
    """The path per year on ``sheet``, with the equity and the ratios as formulas (module text)."""
    path = o.path
    ratio = w.fmt(num_format="0.00")
    w.text(sheet, 0, 0, "Meerjarenperspectief: kaskrediet, eigen vermogen en weerstandsvermogen per jaar", bold=True, font_size=14)
    w.text(sheet, 1, 0, o.evaluation.basis.describe(), italic=True)
    w.text(sheet, 3, 0, f"Eigen vermogen 1/1/{o.evaluation.valuation_year}", bold=True)
    sheet.write_number(3, 1, float(o.evaluation.basis.portfolio.settings.eigen_vermogen or 0.0), f.money_bold)
    opening = o.opening
    w.text(sheet, 4, 0, f"Weerstandsvermogen {capacity_moment(o.evaluation.valuation_year)}", bold=True)
    if opening["eigen_vermogen"] is None:  # no equity given: no ratio, as on the Risico page (B4 shows 0)
        w.text(sheet, 4, 1, "–")
    else:
        sheet.write_formula(4, 1, '=IF(D5>0,B4/D5,"")', ratio,
                            opening["risk_capacity_ratio"] if opening["loss_p90"] > 0 else "")
    w.text(sheet, 4, 2, "IGEMO-verlies P90, alle open projecten")
    sheet.write_number(4, 3, float(opening["loss_p90"]), f.money)
    for col, head in enumerate(_HEADERS):
        w.text(sheet, OUTLOOK_FIRST_ROW - 2, col, head, bold=True, bottom=1, text_wrap=True, valign="top",
               bg_color="#E8EEF4")
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, len(_HEADERS) - 1, 17)
    inputs = ("credit_drawn", "credit_limit", None, "interest", "recognised_result", "write_downs",
              "provision_movement", "operating_result")
    for i, rec in enumerate(path.to_dict("records")):
        r = OUTLOOK_FIRST_ROW - 1 + i
        n = r + 1  # Excel's row number
        sheet.write_number(r, 0, int(rec["jaar"]), f.year)
        for col, column in enumerate(inputs, start=1):
            if column is None:
                continue
            value = rec[column]
            if value == value:  # NaN (no limit that year) stays empty
                sheet.write_number(r, col, float(value), f.money)
        use = rec["credit_use_pct"]
        sheet.write_formula(r, 3, f'=IF(N(C{n})>0,B{n}/C{n},"")', f.percent, use / 100.0 if use == use else "")
        previous = "$B$4" if i == 0 else f"J{n - 1}"
        sheet.write_formula(r, 9, f"={previous}+F{n}-G{n}-H{n}+I{n}", f.money_bold, float(rec["equity"]))
        to_credit = rec["equity_to_credit"]
        sheet.write_formula(r, 10, f'=IF(B{n}>0,J{n}/B{n},"")', ratio, to_credit if to_credit == to_credit else "")
        sheet.write_number(r, 11, float(rec["loss_p90"]), f.money)
        capacity = rec["risk_capacity_ratio"] if rec["loss_p90"] > 0 else ""
        sheet.write_formula(r, 12, f'=IF(L{n}>0,J{n}/L{n},"")', ratio, capacity)
    end = OUTLOOK_FIRST_ROW + len(path) + 1
    w.text(sheet, end, 0, "Eigen vermogen = vorig jaar + erkend resultaat − waardeverminderingen − voorziening "
                          "winstdeling + resultaat buiten projecten. Weerstandsvermogen = eigen vermogen / "
                          "IGEMO-verlies P90 van de projecten die dat jaar nog lopen, op 31/12 van dat jaar; "
                          "op 1/1 (rij 5) tegenover het verlies van alle open projecten, zoals op de pagina "
                          "Risico.", italic=True)


def waterfall_png(wf: Waterfall, measure: str = "result_nominal") -> bytes:
    """The verschillenanalyse of ``measure`` as a waterfall chart (PNG)."""
    from matplotlib.figure import Figure

    steps = wf.portfolio_steps()
    start, end = wf.totals(0)[measure], wf.totals(len(steps))[measure]
    labels = ["Vorige", *steps["label"], "Nu"]
    fig = Figure(figsize=(7.0, 3.6))
    ax = fig.subplots()
    level = start
    ax.bar(0, start, color="#0072B2")
    for i, amount in enumerate(steps[measure], start=1):
        ax.bar(i, amount, bottom=level, color="#009E73" if amount >= 0 else "#D55E00")
        level += amount
    ax.bar(len(labels) - 1, end, color="#0072B2")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=25, ha="right", fontsize=6.5)
    title = "Contante waarde van wat nog komt" if measure == "npv_forward" else "Resultaat over de hele looptijd"
    ax.set_title(f"Verschillenanalyse: {title}", fontsize=9, loc="left")
    chart_style(ax)
    fig.subplots_adjust(left=0.13, right=0.98, top=0.9, bottom=0.32)
    return png(fig)


def outlook_pdf_story(portfolio: Portfolio, ev: Evaluation, *, P, table, esc, h1, h3, small, cell, cell_right,
                      width, mm) -> list:
    """The PDF section: title, the alert, the path as a table and the waterfall against ``V - 1``; nothing
    when the pack is not IGEMO's own (:func:`is_whole_portfolio`).

    The helpers (``P``, ``table``, ``esc``) and the styles are the board pack's own, so the section
    looks like the rest of it.
    """
    from reportlab.platypus import Image, PageBreak, Spacer

    if not is_whole_portfolio(portfolio, ev):
        return []
    o = outlook(ev)
    story = [PageBreak(), P("Meerjarenperspectief", h1),
             P("Per jaar het opgenomen kaskrediet tegenover de limiet, het eigen vermogen en het "
               "weerstandsvermogen (basispad: de prognose zonder tegenvallers).", small)]
    alert = outlook_alert(o)
    if alert:
        story.append(P(f"<b>{esc(alert)}</b>"))
    c = o.opening
    story.append(P(f"Weerstandsvermogen {capacity_moment(ev.valuation_year)}: "
                   f"<b>{esc(ratio_text(c['risk_capacity_ratio']))}</b> (klasse {esc(c['risk_capacity_grade'] or '–')}"
                   f"{': ' + esc(c['risk_capacity_label']) if c['risk_capacity_label'] else ''}), zoals op de "
                   "pagina Risico. In de tabel: op het einde van elk jaar, tegenover de projecten die dan nog lopen.",
                   small))
    heads = ("Jaar", "Krediet 31/12", "Rente", "Erkend resultaat", "Eigen vermogen 31/12", "EV / krediet",
             "Weerst. 31/12")
    rows = [[P(h, cell) for h in heads]]
    for rec in o.path.to_dict("records"):
        ratio = rec["equity_to_credit"]
        rows.append([P(str(int(rec["jaar"])), cell), P(eur(rec["credit_drawn"]), cell_right),
                     P(eur(rec["interest"]), cell_right), P(eur(rec["recognised_result"]), cell_right),
                     P(eur(rec["equity"]), cell_right), P(number(ratio, 2) if ratio == ratio else "–", cell_right),
                     P(esc(rec["risk_capacity_grade"] or "–"), cell_right)])
    story.append(table(rows, [w * width for w in (0.09, 0.18, 0.14, 0.16, 0.18, 0.13, 0.12)]))
    previous = ev.basis.with_(valuation_year=ev.valuation_year - 1)
    wf = waterfall(previous, ev.basis)
    story += [Spacer(1, 3 * mm), P(f"Verschillenanalyse tegenover de waardering van {ev.valuation_year - 1}", h3),
              P("Elke stap vervangt één groep gegevens en rekent opnieuw; de stappen tellen tot op de cent op "
                "tot het verschil.", small),
              Image(io.BytesIO(waterfall_png(wf)), width=width, height=width * 3.6 / 7.0)]
    return story
