"""The board pack as an Excel workbook anyone can audit.

:func:`board_pack_xlsx` writes a summary sheet, a verdicts sheet and one sheet per project whose
key figures are **live Excel formulas** over that sheet's yearly cash flows
(:mod:`igemo_fin.exports.boardpack_project_sheet`); the summary's totals are formulas over the
project sheets where they can be.

Every text cell goes through :class:`~igemo_fin.exports.safe_export.SafeXlsxWriter`: a text starting with
``= + - @``, tab or CR is stored unchanged as text with Excel's quote prefix (never a formula).
"""

from __future__ import annotations

import io

from igemo_fin.exports.boardpack_agreements import write_agreements_sheet
from igemo_fin.exports.boardpack_content import VERDICT_COLOURS, VERDICT_MEANING, VERDICT_WORDS, active_sorted, finite
from igemo_fin.exports.boardpack_project_sheet import (KEY_FIGURE_CELLS, UNIT_FORMATS, SheetFormats, column_letter,
                                                       sheet_formats, write_project_sheet)
from igemo_fin.exports.boardpack_mpg import OUTLOOK_SHEET, add_outlook_sheet
from igemo_fin.exports.boardpack_review import REVIEW_SHEET, write_review_sheet
from igemo_fin.exports.formats import landscape_a4
from igemo_fin.exports.safe_export import SafeXlsxWriter, sheet_name
from igemo_fin.fmt import pct
from igemo_fin.review.yearly import YearlyReview
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.rules import VERDICTS
from igemo_fin.valuation.thresholds import THRESHOLD_INFO

__all__ = ["board_pack_xlsx", "project_sheet_names", "KEY_FIGURE_CELLS", "SUMMARY_SHEET", "VERDICT_SHEET"]

SUMMARY_SHEET = "Samenvatting"
VERDICT_SHEET = "Oordelen"


def project_sheet_names(codes: list[str]) -> dict[str, str]:
    """A valid, unique Excel sheet name per project code (:func:`~igemo_fin.exports.safe_export.sheet_name`).

    >>> project_sheet_names(["BT-05", "A/B", "a/b", "Samenvatting"])
    {'BT-05': 'BT-05', 'A/B': 'A_B', 'a/b': 'a_b (2)', 'Samenvatting': 'Samenvatting (2)'}
    """
    used = {SUMMARY_SHEET.lower(), VERDICT_SHEET.lower(), OUTLOOK_SHEET.lower()}
    return {code: sheet_name(code, used, fallback="Project") for code in codes}


def _ref(sheet: str, cell: str) -> str:
    """A cross-sheet reference: ``'BT-05'!B9`` (quotes doubled inside the name)."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def board_pack_xlsx(portfolio: Portfolio, ev: Evaluation, *, review: YearlyReview | None = None) -> bytes:
    """The board pack as an Excel workbook (bytes).

    Sheets: ``Samenvatting`` (portfolio totals and verdict counts, as formulas over the project
    sheets where they can be), ``Oordelen`` (every active project, its verdict and the fired rules
    in sentences), one sheet per project (:func:`project_sheet_names`) with the assumptions, the
    key figures as live formulas (cells :data:`KEY_FIGURE_CELLS`), the yearly table and the rules, and
    ``Meerjarenperspectief`` when the pack is IGEMO's own (:mod:`igemo_fin.exports.boardpack_mpg`).

    Parameters
    ----------
    portfolio : Portfolio
        The workbook the evaluation was made from (source name, settings).
    ev : Evaluation
        :func:`~igemo_fin.valuation.evaluate.evaluate`'s result.
    review : YearlyReview, optional
        Finance's yearly review of the running: adds the sheet ``Werking`` (:mod:`~igemo_fin.exports.boardpack_review`).
    """
    buffer = io.BytesIO()
    w = SafeXlsxWriter.open(buffer)
    f = sheet_formats(w)
    w.book.set_properties({"title": "Bestuursdossier projectportefeuille", "author": "IGEMO",
                           "comments": f"Waardering op 1 januari {ev.valuation_year}"})
    figures = ev.figures
    codes = figures["project_code"].tolist()
    names = project_sheet_names(codes)
    summary = w.book.add_worksheet(SUMMARY_SHEET)
    verdict_sheet = w.book.add_worksheet(VERDICT_SHEET)
    for code in codes:
        write_project_sheet(w, f, w.book.add_worksheet(names[code]), ev, code)
    _verdict_sheet(w, f, verdict_sheet, ev)
    _summary_sheet(w, f, summary, portfolio, ev, names)
    add_outlook_sheet(w, f, portfolio, ev)
    write_agreements_sheet(w, portfolio, ev)
    if review is not None:
        write_review_sheet(w, f, w.book.add_worksheet(REVIEW_SHEET), review)
    w.book.close()
    return buffer.getvalue()


def _verdict_sheet(w: SafeXlsxWriter, f: SheetFormats, sheet, ev: Evaluation) -> None:
    V = ev.valuation_year
    w.text(sheet, 0, 0, f"Oordeel per actief project (waardering op 1 januari {V})", bold=True, font_size=14)
    w.text(sheet, 1, 0, "Het zwaarste overschreden criterium bepaalt het oordeel: doorgaan < bijsturen < "
                        "stopzetten / afstoten (afstoten gaat voor).", italic=True, font_color="#555555")
    w.text(sheet, 2, 0, ev.basis.describe(), italic=True, font_color="#555555")
    heads = ("Project", "Naam", "Gemeente", "Oordeel", "Betekenis", "Overschreden drempels", "Redenen")
    for c, head in enumerate(heads):
        w.text(sheet, 3, c, head, bold=True, bottom=1, text_wrap=True, valign="top", bg_color="#E8EEF4")
    fired = ev.rules[ev.rules["fired"]].groupby("project_code", sort=False)["sentence"].apply(list)
    active = active_sorted(ev.figures)
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
    landscape_a4(sheet)
    sheet.repeat_rows(3)


def _summary_sheet(w: SafeXlsxWriter, f: SheetFormats, sheet, portfolio: Portfolio, ev: Evaluation,
                   names: dict[str, str]) -> None:
    V = ev.valuation_year
    totals = ev.portfolio_totals()
    figures = ev.figures
    w.text(sheet, 0, 0, "IGEMO – bestuursdossier projectportefeuille", bold=True, font_size=14)
    w.text(sheet, 1, 0, f"{ev.basis.describe()} · disconteringsvoet {pct(ev.discount_rate_pct)}")
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
            value = finite(p[key])
            if key == "irr_full_life":
                sheet.write_formula(r, c, ref, f.percent, "geen" if value is None else value)
            else:
                sheet.write_formula(r, c, ref, f.money, 0.0 if value is None else value)
    first, last = top + 2, top + 1 + n_p  # Excel rows of the overview
    rng = {key: f"${column_letter(c)}${first}:${column_letter(c)}${last}" for c, (_, key) in enumerate(cols) if key}
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
        if finite(value) is None:
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
        if finite(value) is None:
            w.text(sheet, rr, c0 + 3, "–")
        else:
            sheet.write_number(rr, c0 + 3, float(value), w.fmt(num_format=UNIT_FORMATS[info.unit]))
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
    landscape_a4(sheet)
    sheet.activate()

