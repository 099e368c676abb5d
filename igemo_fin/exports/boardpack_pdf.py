"""The board pack as a printable PDF: A4, Dutch, Belgian number formats, 'pagina x van y'.

Cover, portfolio summary, verdict table, one section per active project with its reasons and
charts (:mod:`igemo_fin.exports.boardpack_charts`), and an annex.
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
import re
from xml.sax.saxutils import escape

from igemo_fin.exports.boardpack_agreements import agreement_tables
from igemo_fin.exports.boardpack_charts import portfolio_charts, project_chart
from igemo_fin.exports.boardpack_mpg import outlook_pdf_story
from igemo_fin.exports.boardpack_content import (TYPE_WORDS, VERDICT_COLOURS, VERDICT_MEANING, VERDICT_SYMBOLS,
                                                 VERDICT_WORDS, active_sorted, finite, plain_text)
from igemo_fin.exports.boardpack_review import review_intro, review_pdf_parts
from igemo_fin.exports.safe_export import as_text
from igemo_fin.fmt import date_nl, eur, number, pct
from igemo_fin.review.yearly import YearlyReview
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.rules import VERDICTS
from igemo_fin.valuation.thresholds import THRESHOLD_INFO

__all__ = ["board_pack_pdf"]


def _money(value, decimals: int = 0) -> str:
    """``eur`` with non-breaking spaces, so a table never splits '€' from its number."""
    return eur(finite(value), decimals).replace(" ", "\u00a0")


def _percent(value, decimals: int = 1) -> str:
    return pct(finite(value), decimals).replace(" ", "\u00a0")


def _irr_text(value) -> str:
    value = finite(value)
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


def board_pack_pdf(portfolio: Portfolio, ev: Evaluation, *, made_on: _dt.date | None = None,
                   review: YearlyReview | None = None) -> bytes:
    """The board pack as a printable PDF (A4, Dutch, Belgian number formats, 'pagina x van y').

    Parameters
    ----------
    portfolio : Portfolio
        The workbook the evaluation was made from (source name, settings).
    ev : Evaluation
        :func:`~igemo_fin.valuation.evaluate.evaluate`'s result.
    made_on : date, optional
        The date on the cover; default today.
    review : YearlyReview, optional
        Finance's yearly review of the running: adds its section (:mod:`~igemo_fin.exports.boardpack_review`).
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
        text = escape(plain_text(value))
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
    story.append(P(f"{esc(ev.basis.describe())} · disconteringsvoet {_percent(ev.discount_rate_pct, 2)}", small))
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
    if finite(equity) is not None:
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
    story.append(Image(io.BytesIO(portfolio_charts(ev)), width=width, height=width * 6.4 / 7.0))
    story.append(PageBreak())

    # ---- verdict table
    story.append(P("2. Oordeel per actief project", h1))
    story.append(P("Elk actief project wordt aan elke drempel van het beslissingskader getoetst; het zwaarste "
                   "overschreden criterium bepaalt het oordeel (doorgaan &lt; bijsturen &lt; stopzetten / "
                   "afstoten; afstoten gaat voor). De redenen staan per project verder in dit dossier.", small))
    story.append(Spacer(1, 3 * mm))
    active = active_sorted(ev.figures)
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
        market = finite(p.marktwaarde_huidige_staat)
        prob = finite(getattr(p, "prob_loss", None))
        if market is not None or prob is not None:
            key.append(("Marktwaarde in de huidige staat", _money(market),
                        "Kans op verlies (simulatie)", "niet berekend" if prob is None else _percent(100 * prob)))
        story.append(table([[P(a, cell), P(f"<b>{b}</b>", cell_right), P(c, cell), P(f"<b>{d}</b>", cell_right)]
                            for a, b, c, d in key],
                           [width * 0.31, width * 0.19, width * 0.31, width * 0.19], header=False))
        story.append(Spacer(1, 3 * mm))
        story.append(KeepTogether([Image(io.BytesIO(project_chart(ev, p.project_code)), width=width,
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

    story += outlook_pdf_story(portfolio, ev, P=P, table=table, esc=esc, h1=h1, h3=h3, small=small, cell=cell,
                               cell_right=cell_right, width=width, mm=mm)

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
    for title, header, values in agreement_tables(portfolio, ev):
        story.append(P(esc(title), h3))
        story.append(table([[P(h, cell_bold) for h in header]] + [[P(esc(v), cell) for v in r] for r in values],
                           [width / len(header)] * len(header)))
    story.append(P("Drempels van het beslissingskader", h3))
    rows = [[P(h, cell_bold) for h in ("Drempel", "Waarde", "Waarom")]]
    for name, info in THRESHOLD_INFO.items():
        value = finite(getattr(ev.thresholds, name))
        shown = "–" if value is None else (_money(value) if info.unit == "EUR" else
                                           _percent(value, 2) if info.unit == "%" else
                                           f"{number(value, 0 if float(value).is_integer() else 1)}\u00a0jaar")
        rows.append([P(esc(info.label), cell), P(f"<b>{shown}</b>", cell_right), P(esc(info.why), cell)])
    story.append(table(rows, [width * 0.38, width * 0.14, width * 0.48]))
    if ev.warnings:
        story.append(P("Opmerkingen bij de gegevens", h3))
        story += [Paragraph(esc(wn), bullet, bulletText="•") for wn in ev.warnings]
    if review is not None:
        story.append(P("Werking en budget", h2))
        story.append(P(esc(review_intro(review)), small))
        for heading, rows, widths in review_pdf_parts(review):
            story.append(P(esc(heading), h3))
            story.append(table([[P(esc(c), cell) for c in row] for row in rows], [width * x for x in widths]))
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
