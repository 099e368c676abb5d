"""The board pack's section on the agreements: land funds, co-financing owed and prefinancing.

:func:`agreement_tables` gives the section as titled tables of Dutch text, computed from the
portfolio the pack is made for (a municipality's pack gets its own agreements only); the PDF renders
them in its annex and :func:`write_agreements_sheet` writes them to a sheet ``Overeenkomsten``. Without
agreement sheets in the workbook the section is left out.
"""

from __future__ import annotations

from dataclasses import replace

from igemo_fin.agreements.summary import agreements_view
from igemo_fin.exports.safe_export import SafeXlsxWriter
from igemo_fin.fmt import eur, number
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["AGREEMENTS_SHEET", "agreement_tables", "write_agreements_sheet"]

AGREEMENTS_SHEET = "Overeenkomsten"


def agreement_tables(portfolio: Portfolio, ev: Evaluation) -> list[tuple[str, list[str], list[list[str]]]]:
    """``[(title, header, rows)]``: the funds' settlement, the co-financing and the prefinancing."""
    if portfolio.agreements.empty:
        return []
    view = agreements_view(replace(ev, basis=ev.basis.with_portfolio(portfolio)))
    out = []
    if not view.settlements.empty:
        out.append(("Grondfondsen: verwachte afrekening", ["Fonds", "Gemeente", "Einde", "Eindsaldo", "IGEMO",
                                                            "Gemeente krijgt/draagt"],
                    [[f.naam, f.gemeente, str(f.eindjaar), eur(f.balance_end), eur(f.igemo_share),
                      eur(f.partner_share)] for f in view.settlements.itertuples(index=False)]))
    if not view.cofinancing.empty:
        out.append(("Cofinanciering van subsidies door de gemeenten", ["Besluit", "Gemeente", "Sleutel",
                                                                        "Verschuldigd", "Nog te factureren"],
                    [[c.besluit, c.gemeente, f"{number(c.sleutel_pct, 1)} %", eur(c.owed_to_date, 2),
                      eur(c.to_invoice, 2)] for c in view.cofinancing.itertuples(index=False)]))
    if not view.prefinancing.empty:
        out.append(("Voorfinanciering volgens de facturatieafspraken", ["Project", "Piek", "Rente",
                                                                         "Rente bespaard (voorstel)"],
                    [[p.project_code, eur(p.prefinancing_peak), eur(p.interest),
                      "–" if p.interest_saved != p.interest_saved else eur(p.interest_saved)]
                     for p in view.prefinancing.itertuples(index=False)]))
    return out


def write_agreements_sheet(w: SafeXlsxWriter, portfolio: Portfolio, ev: Evaluation) -> None:
    """A sheet ``Overeenkomsten`` with :func:`agreement_tables` (nothing without agreements)."""
    tables = agreement_tables(portfolio, ev)
    if not tables:
        return
    sheet = w.book.add_worksheet(AGREEMENTS_SHEET)
    bold = w.fmt(bold=True)
    sheet.set_column(0, 5, 22)
    row = 0
    for title, header, rows in tables:
        w.text(sheet, row, 0, title, bold=True, font_size=12)
        row += 1
        for col, name in enumerate(header):
            sheet.write_string(row, col, name, bold)
        for values in rows:
            row += 1
            for col, value in enumerate(values):
                w.text(sheet, row, col, value)
        row += 2
