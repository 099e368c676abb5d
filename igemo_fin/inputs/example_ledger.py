"""A small, realistic example of a ledger export, for finance to download from the Gegevens page.

It looks like what a Belgian accounting package exports (WORKBOOK.md, "Ledger export"): a title
row and a period row above the header, the columns ``Boekdatum, Dagboek, Stuknummer, Rekening,
Omschrijving, Projectcode, Debet, Credit`` and a final ``Totaal`` row. Amounts are Belgian: in the
``.xlsx`` real numbers with a thousands format (Excel in nl-BE shows ``1.234,56``), in the ``.csv``
text like ``1.234,56`` with ``;`` as separator, Windows-1252 encoded, as Belgian Excel saves it.

Every amount is fictive. The lines use the demo portfolio's project codes (``data/demo_portefeuille.xlsx``):
the year before ``year`` in full and the first quarter of ``year``, roughly in line with the demo's
forecast, plus the lines an export always holds that do not reach a project: interest on the cash
credit (account 65, ignored), bank costs without a project code and a line with a code that is not
in the portfolio.
"""

from __future__ import annotations

import datetime as dt
import io

__all__ = ["EXAMPLE_LINES", "HEADER", "example_ledger", "belgian_amount", "write_export", "dated_rows"]

HEADER = ("Boekdatum", "Dagboek", "Stuknummer", "Rekening", "Omschrijving", "Projectcode", "Debet", "Credit")
"""The export's header row."""

#: (years before ``year``, month, day, journal, document, account, description, project, debit cents,
#: credit cents). ``-1`` is the previous year (the past for a valuation on 1 January of ``year``).
EXAMPLE_LINES: tuple[tuple, ...] = (
    (-1, 2, 14, "VERK", "VF25-0012", "700000", "Verkoop perceel 3 - Fictief Bedrijf A", "BT-05", 0, 68425000),
    (-1, 3, 12, "AANK", "AF25-0131", "613000", "Erelonen landmeter - verkavelingsplan", "BT-05", 423500, 0),
    (-1, 3, 28, "FIN", "BNK25-0044", "612000", "Bankkosten eerste kwartaal", None, 4580, 0),
    (-1, 5, 23, "VERK", "VF25-0057", "700000", "Verkoop perceel 7 - Fictief Bedrijf B", "BT-05", 0, 71298000),
    (-1, 6, 30, "DIV", "DV25-0009", "740000", "VLAIO-subsidie uitrusting, schijf 2", "BT-05", 0, 65000000),
    (-1, 10, 17, "VERK", "VF25-0102", "700000", "Verkoop perceel 9 - Fictief Bedrijf C", "BT-05", 0, 74560000),
    (-1, 12, 31, "FIN", "BNK25-0310", "650000", "Rente kaskrediet 4e kwartaal", "BT-05", 1845622, 0),
    (-1, 3, 31, "AANK", "AF25-0140", "603000", "Wegenis- en rioleringswerken, vorderingsstaat 4", "WO-04", 31245678, 0),
    (-1, 4, 11, "VERK", "VF25-0033", "700000", "Verkoop kavels 12-15", "WO-04", 0, 64800000),
    (-1, 6, 30, "AANK", "AF25-0266", "603000", "Wegenis- en rioleringswerken, vorderingsstaat 5", "WO-04", 29812045, 0),
    (-1, 9, 30, "AANK", "AF25-0391", "603000", "Wegenis- en rioleringswerken, vorderingsstaat 6", "WO-04", 34187710, 0),
    (-1, 11, 19, "VERK", "VF25-0121", "700000", "Verkoop kavels 16-19", "WO-04", 0, 65550000),
    (-1, 2, 28, "AANK", "AF25-0088", "603000", "Omgevingswerken fase 2, vorderingsstaat 1", "GM-01", 40211800, 0),
    (-1, 6, 20, "VERK", "VF25-0071", "700000", "Verkoop lot 4 - Fictieve Projectontwikkelaar", "GM-01", 0, 82000000),
    (-1, 7, 31, "AANK", "AF25-0312", "603000", "Omgevingswerken fase 2, vorderingsstaat 2", "GM-01", 45590337, 0),
    (-1, 9, 2, "AANK", "AF25-0377", "603000", "Herstelling afsluiting", "BT-99", 125000, 0),
    (-1, 10, 10, "VERK", "VF25-0098", "700000", "Verkoop lot 5 - Fictieve Woonmaatschappij", "GM-01", 0, 79540000),
    (-1, 12, 15, "AANK", "AF25-0455", "604010", "Nutsleidingen (distributienetbeheerder)", "GM-01", 38925000, 0),
    (-1, 4, 15, "AANK", "AF25-0170", "608100", "Bodemsanering - voorschot saneringsaannemer", "RC-03", 51230000, 0),
    (-1, 5, 5, "AANK", "AF25-0201", "613000", "Beschrijvend bodemonderzoek", "RC-03", 8125000, 0),
    (-1, 8, 20, "AANK", "AF25-0333", "608100", "Bodemsanering - vorderingsstaat 2", "RC-03", 24876000, 0),
    (0, 1, 15, "VERK", "VF26-0004", "700000", "Verkoop perceel 11 - Fictief Bedrijf D", "BT-05", 0, 70134000),
    (0, 1, 31, "AANK", "AF26-0021", "603000", "Wegenis- en rioleringswerken, vorderingsstaat 7", "WO-04", 16543210, 0),
    (0, 2, 20, "AANK", "AF26-0048", "608100", "Bodemsanering - vorderingsstaat 3", "RC-03", 17500000, 0),
    (0, 2, 27, "VERK", "VF26-0019", "700000", "Verkoop lot 6 - Fictieve Projectontwikkelaar", "GM-01", 0, 53285700),
    (0, 3, 31, "AANK", "AF26-0087", "603000", "Omgevingswerken fase 2, vorderingsstaat 3", "GM-01", 29800412, 0),
    (0, 3, 31, "FIN", "BNK26-0079", "650000", "Rente kaskrediet 1e kwartaal", "BT-05", 1233751, 0),
)


def belgian_amount(cents: int) -> str:
    """``123456 -> '1.234,56'`` (no sign for zero; ``''`` for an empty side).

    >>> belgian_amount(123456789), belgian_amount(4580), belgian_amount(0)
    ('1.234.567,89', '45,80', '')
    """
    if not cents:
        return ""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d}"


def dated_rows(lines: tuple[tuple, ...], year: int) -> list[tuple]:
    """:data:`EXAMPLE_LINES`-shaped lines with real dates (``offset`` years before ``year``), by date."""
    rows = []
    for offset, month, day, journal, document, account, text, project, debit, credit in lines:
        rows.append((dt.date(year + offset, month, day), journal, document, account, text, project, debit, credit))
    rows.sort(key=lambda r: (r[0], r[2]))
    return rows


def example_ledger(fmt: str = "xlsx", *, year: int = 2026) -> bytes:
    """The example export as bytes.

    Parameters
    ----------
    fmt : {"xlsx", "csv"}
    year : int
        The year whose first quarter the export ends in; the lines before it fall in ``year - 1``.
        Default 2026, the demo portfolio's valuation year.

    Returns
    -------
    bytes

    Examples
    --------
    >>> from igemo_fin.inputs.ledger import read_ledger
    >>> read = read_ledger(example_ledger("csv"), filename="voorbeeld.csv")
    >>> read.rows_read, read.file_total_cents == read.net_total_cents
    (27, True)
    """
    title = "IGEMO - grootboekkaart per project (voorbeeldexport, fictieve bedragen)"
    period = f"Periode 01/01/{year - 1} - 31/03/{year}"
    return write_export(dated_rows(EXAMPLE_LINES, year), fmt, title=title, period=period, year=year)


def write_export(rows: list[tuple], fmt: str, *, title: str, period: str, year: int) -> bytes:
    """Ledger rows (date, journal, document, account, text, project, debit cents, credit cents) as an
    export in the shape of :func:`example_ledger` (``fmt``: ``xlsx`` or ``csv``)."""
    debit = sum(r[6] for r in rows)
    credit = sum(r[7] for r in rows)
    if fmt == "csv":
        out = io.StringIO()
        out.write(f"{title};;;;;;;\r\n{period};;;;;;;\r\n;;;;;;;\r\n")
        out.write(";".join(HEADER) + "\r\n")
        for day, journal, document, account, text, project, d, c in rows:
            cells = [day.strftime("%d/%m/%Y"), journal, document, account, text, project or "",
                     belgian_amount(d), belgian_amount(c)]
            out.write(";".join(cells) + "\r\n")
        out.write(f"Totaal;;;;;;{belgian_amount(debit)};{belgian_amount(credit)}\r\n")
        return out.getvalue().encode("cp1252")
    if fmt != "xlsx":
        raise ValueError(f"onbekend formaat '{fmt}': kies xlsx of csv")

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Grootboek")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bottom": 1, "bg_color": "#DDEBF7"})
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    money = book.add_format({"num_format": "#,##0.00"})
    money_total = book.add_format({"num_format": "#,##0.00", "bold": True, "top": 1})
    sheet.write(0, 0, title, bold)
    sheet.write(1, 0, period)
    sheet.write_row(3, 0, HEADER, head)
    for i, (day, journal, document, account, text, project, d, c) in enumerate(rows):
        r = 4 + i
        sheet.write_datetime(r, 0, dt.datetime(day.year, day.month, day.day), date_fmt)
        sheet.write_string(r, 1, journal)
        sheet.write_string(r, 2, document)
        sheet.write_number(r, 3, int(account))
        sheet.write_string(r, 4, text)
        if project:
            sheet.write_string(r, 5, project)
        if d:
            sheet.write_number(r, 6, d / 100, money)
        if c:
            sheet.write_number(r, 7, c / 100, money)
    last = 4 + len(rows)
    sheet.write(last, 0, "Totaal", bold)
    sheet.write_number(last, 6, debit / 100, money_total)
    sheet.write_number(last, 7, credit / 100, money_total)
    for col, width in enumerate((12, 9, 12, 10, 48, 12, 15, 15)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(4, 0)
    book.set_properties({"title": title, "created": dt.datetime(year, 4, 1)})
    book.close()
    return buffer.getvalue()
