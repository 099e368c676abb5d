"""The board pack's section on the running (finance's yearly review): a sheet ``Werking`` in the Excel
file, with the differences as live formulas, and the same tables for the PDF (:func:`review_pdf_parts`).

The section is built from a :class:`~igemo_fin.review.yearly.YearlyReview`; the board pack only has one
when the ledger's lines are at hand (the dashboard, ``boardpack --db``).
"""

from __future__ import annotations

import math

from igemo_fin.exports.boardpack_project_sheet import SheetFormats
from igemo_fin.exports.safe_export import SafeXlsxWriter
from igemo_fin.fmt import date_nl, eur, number, pct
from igemo_fin.review.budget import FORECAST_METHODS, flag_word
from igemo_fin.review.yearly import YearlyReview

__all__ = ["REVIEW_SHEET", "BUDGET_HEADERS", "write_review_sheet", "review_pdf_parts", "review_intro"]

REVIEW_SHEET = "Werking"
BUDGET_HEADERS = ("Kostengroep", "Budget", "Werkelijk tot nu", "Zelfde periode vorig jaar", "Vorig jaar",
                  "Prognose", "Verschil", "Verschil %", "Reële groei %", "Sneller dan de index", "Methode")


def review_intro(review: YearlyReview) -> str:
    """One Dutch paragraph: the year, how far it is booked, the margin and the lists."""
    through = date_nl(review.period.through) if review.period.through.year == review.year else "nog niets geboekt"
    return (f"Werkingskosten {review.year}, geboekt tot {through}. De prognose van het hele jaar volgt per "
            f"kostengroep de methode in de tabel. Een kostengroep krijgt een signaal als ze meer dan "
            f"{number(review.inputs.margin_pct, 1)} procentpunt sneller groeit dan de index. "
            f"{len(review.uncoded)} lijn(en) op projectrekeningen zonder projectcode en {len(review.misdirected)} "
            f"op een onbekend of afgesloten project ontsnappen aan de projecten.")


def _cell(sheet, f: SheetFormats, r: int, c: int, value: float, fmt) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        sheet.write_blank(r, c, None, fmt)
    else:
        sheet.write_number(r, c, float(value), fmt)


def write_review_sheet(w: SafeXlsxWriter, f: SheetFormats, sheet, review: YearlyReview) -> None:
    """Fill ``sheet`` with the review: budget against actual (``Verschil`` and ``Verschil %`` are formulas),
    the overhead counts and the contributions."""
    w.text(sheet, 0, 0, f"Werking en budget {review.year}", bold=True, font_size=14)
    w.text(sheet, 1, 0, review_intro(review), italic=True, font_color="#555555")
    for c, h in enumerate(BUDGET_HEADERS):
        w.text(sheet, 3, c, h, bold=True, bottom=1, text_wrap=True, valign="top", bg_color="#E8EEF4")
    rows = review.budget.to_dict("records") + [review.total]
    for i, rec in enumerate(rows):
        r = 4 + i
        w.text(sheet, r, 0, rec["label"], bold=rec["group"] == "totaal")
        for c, key in ((1, "budget"), (2, "actual"), (3, "same_period_last_year"), (4, "last_year"), (5, "forecast")):
            _cell(sheet, f, r, c, rec[key], f.money)
        x = r + 1  # Excel row
        if math.isnan(rec["budget"]):
            sheet.write_blank(r, 6, None, f.money)
            sheet.write_blank(r, 7, None, f.percent)
        else:
            sheet.write_formula(r, 6, f"=F{x}-B{x}", f.money, rec["difference"])
            sheet.write_formula(r, 7, f'=IF(B{x}>0,G{x}/B{x},"")', f.percent,
                                rec["difference_pct"] / 100 if not math.isnan(rec["difference_pct"]) else "")
        real = rec["real_growth_pct"]
        _cell(sheet, f, r, 8, None if math.isnan(real) else real / 100, f.percent)
        w.text(sheet, r, 9, flag_word(rec["flag"]))
        w.text(sheet, r, 10, FORECAST_METHODS.get(rec["forecast_method"], "verschilt per kostengroep"))
    r = 6 + len(rows)
    w.text(sheet, r, 0, "Werkingsbijdrage per gemeente", bold=True)
    heads = ("Gemeente", "Bijdrage", "Laatst geïndexeerd", "Reële waarde", "Geïndexeerd vanaf", "Na herindexering",
             "Verschil")
    for c, h in enumerate(heads):
        w.text(sheet, r + 1, c, h, bold=True, bottom=1, text_wrap=True, valign="top", bg_color="#E8EEF4")
    for i, rec in enumerate(review.contributions.to_dict("records"), start=r + 2):
        w.text(sheet, i, 0, rec["partner"])
        _cell(sheet, f, i, 1, rec["contribution_nominal"], f.money)
        sheet.write_number(i, 2, int(rec["last_indexed"]), f.year)
        _cell(sheet, f, i, 3, rec["contribution_real"], f.money)
        sheet.write_number(i, 4, int(rec["index_year"]), f.year)
        _cell(sheet, f, i, 5, rec["reindexed"], f.money)
        sheet.write_formula(i, 6, f"=F{i + 1}-B{i + 1}", f.money, rec["reindexation_gap"])
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 9, 15)
    sheet.set_column(10, 10, 48)


def review_pdf_parts(review: YearlyReview) -> list[tuple[str, list[list[str]], list[float]]]:
    """The section's tables for the PDF: (heading, rows of text cells with the header first, column widths
    as fractions of the page width)."""
    budget = [["Kostengroep", "Budget", "Prognose", "Verschil", "Reële groei", "Signaal"]]
    for rec in review.budget.to_dict("records") + [review.total]:
        budget.append([rec["label"], eur(rec["budget"]), eur(rec["forecast"]), eur(rec["difference"]),
                       pct(rec["real_growth_pct"], 1), flag_word(rec["flag"])])
    parts = [(f"Werking en budget {review.year}", budget, [0.3, 0.14, 0.14, 0.14, 0.14, 0.14])]
    if not review.contributions.empty:
        rows = [["Gemeente", "Bijdrage", "Laatst geïndexeerd", "Reële waarde", "Herindexering"]]
        for rec in review.contributions.to_dict("records"):
            rows.append([rec["partner"], eur(rec["contribution_nominal"]), str(rec["last_indexed"]),
                         eur(rec["contribution_real"]), eur(rec["reindexation_gap"])])
        cover = review.coverage
        rows.append(["Totaal", eur(cover["contributions"]), "", "",
                     eur(cover["contributions_reindexed"] - cover["contributions"])])
        parts.append((f"Werkingsbijdrage: dekt {pct(cover['coverage_pct'], 1)} van de werking (kloof "
                      f"{eur(cover['gap'])})", rows, [0.3, 0.175, 0.175, 0.175, 0.175]))
    return parts
