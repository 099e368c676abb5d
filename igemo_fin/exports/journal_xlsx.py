"""The proposed journal of the provisions (:mod:`igemo_fin.obligations.journal`) as an Excel file."""

from __future__ import annotations

import datetime as _dt
import io

import pandas as pd

from igemo_fin.exports.formats import EUR_FORMAT, TITLE, landscape_a4
from igemo_fin.exports.safe_export import SafeXlsxWriter
from igemo_fin.obligations.exact import sum_cents
from igemo_fin.obligations.journal import provision_journal
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["journal_xlsx", "provision_journal_xlsx"]

_HEADERS = ["Boeking", "Boekjaar", "Datum", "Project", "Gemeente", "Soort", "Rekening", "Rekeningnaam",
            "Debet", "Credit", "Omschrijving", "Opmerking"]


def journal_xlsx(journal: pd.DataFrame, *, title: str = "Voorgesteld journaal van de voorzieningen") -> bytes:
    """A :func:`~igemo_fin.obligations.journal.provision_journal` frame as an Excel file (Dutch headers).

    Amounts use the format ``[$€-813] #,##0.00`` (euro, nl-BE), which Excel shows with the viewer's
    separators; text cells are never formulas (:class:`~igemo_fin.exports.safe_export.SafeXlsxWriter`).
    """
    buffer = io.BytesIO()
    w = SafeXlsxWriter.open(buffer)
    sheet = w.book.add_worksheet("Journaal")
    head = {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}
    money = w.fmt(num_format=EUR_FORMAT)
    money_total = w.fmt(num_format=EUR_FORMAT, bold=True, top=1)
    w.text(sheet, 0, 0, title, **TITLE)
    for c, h in enumerate(_HEADERS):
        w.text(sheet, 2, c, h, **head)
    r = 3
    for line in journal.itertuples(index=False):
        sheet.write_number(r, 0, int(line.boeking))
        sheet.write_number(r, 1, int(line.boekjaar))
        sheet.write_datetime(r, 2, _dt.datetime.combine(line.datum, _dt.time()), w.fmt(num_format="dd/mm/yyyy"))
        for c, value in ((3, line.project_code), (4, line.gemeente), (5, line.soort), (6, line.rekening),
                         (7, line.rekening_naam)):
            w.text(sheet, r, c, value)
        sheet.write_number(r, 8, float(line.debet), money)
        sheet.write_number(r, 9, float(line.credit), money)
        w.text(sheet, r, 10, line.omschrijving)
        w.text(sheet, r, 11, line.opmerking)
        r += 1
    w.text(sheet, r, 7, "Totaal", bold=True, top=1)
    sheet.write_number(r, 8, sum_cents(journal["debet"]), money_total)
    sheet.write_number(r, 9, sum_cents(journal["credit"]), money_total)
    for c, width in enumerate([8, 9, 11, 12, 16, 18, 9, 52, 15, 15, 70, 50]):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(3, 0)
    landscape_a4(sheet)
    sheet.repeat_rows(2)
    w.book.close()
    return buffer.getvalue()


def provision_journal_xlsx(portfolio: Portfolio, ev: Evaluation, **kwargs) -> bytes:
    """:func:`~igemo_fin.obligations.journal.provision_journal` as Excel bytes (same keyword arguments)."""
    journal = provision_journal(portfolio, ev, **kwargs)
    return journal_xlsx(journal, title=f"Voorgesteld journaal van de voorzieningen (waardering 1 januari "
                                       f"{ev.valuation_year})")
