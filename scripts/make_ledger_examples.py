"""Write one realistic general-ledger export per accounting package shape (docs/ledger-formats.md).

Usage (from the repository root)::

    .venv/bin/python scripts/make_ledger_examples.py          # -> tests/data/ledgers/<shape>.<ext>
    .venv/bin/python scripts/make_ledger_examples.py --out DIR

Every shape holds the same fictive bookings (:data:`BOOKINGS`), written the way that package's
export is described in docs/ledger-formats.md: file type, separator, encoding, decimal mark, header
words, debit/credit or one signed amount, where the project code sits, title and totals rows. The
script has no randomness; :func:`expected` gives, per shape, the amounts the reader must find to
the cent, computed from the same bookings (tests/inputs/test_ledger_packages.py checks them).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "ledgers"

#: (date, journal, document, account, account name, description, project, debit cents, credit cents)
BOOKINGS: tuple[tuple, ...] = (
    (dt.date(2025, 1, 14), "AANK", "AF25-0012", "605000", "Aankoop gronden", "Aankoop perceel 12 - akte",
     "BT-05", 123456789, 0),
    (dt.date(2025, 2, 3), "AANK", "AF25-0031", "613000", "Erelonen", "Erelonen landmeter", "BT-05", 423550, 0),
    (dt.date(2025, 2, 28), "FIN", "BNK25-0044", "612000", "Bankkosten", "Bankkosten februari", None, 4580, 0),
    (dt.date(2025, 3, 12), "VERK", "VF25-0007", "700000", "Verkoop percelen", "Verkoop lot 3 - Fictief NV",
     "BT-05", 0, 68425000),
    (dt.date(2025, 3, 31), "AANK", "AF25-0140", "603000", "Infrastructuurwerken", "Wegenis vorderingsstaat 4",
     "WO-04", 31245678, 0),
    (dt.date(2025, 4, 11), "VERK", "VF25-0033", "700000", "Verkoop percelen", "Verkoop kavels 12-15", "WO-04",
     0, 64800000),
    (dt.date(2025, 5, 5), "AANK", "AF25-0201", "613000", "Erelonen", "Bodemonderzoek - café De Hoek", "RC-03",
     812500, 0),
    (dt.date(2025, 6, 30), "DIV", "DV25-0009", "740000", "Werkingssubsidies", "VLAIO-subsidie schijf 2",
     "BT-05", 0, 65000000),
    (dt.date(2025, 7, 2), "AANK", "AC25-0003", "613000", "Erelonen", "Creditnota erelonen", "BT-05", -12500, 0),
    (dt.date(2025, 9, 30), "AANK", "AF25-0391", "603000", "Infrastructuurwerken", "Wegenis vorderingsstaat 6",
     "WO-04", 34187710, 0),
    (dt.date(2025, 12, 31), "FIN", "BNK25-0310", "650000", "Rente", "Rente kaskrediet Q4", "BT-05", 1845622, 0),
    (dt.date(2026, 1, 15), "VERK", "VF26-0004", "700000", "Verkoop percelen", "Verkoop perceel 11", "GM-01",
     0, 70134001),
    (dt.date(2026, 3, 31), "AANK", "AF26-0087", "603000", "Infrastructuurwerken", "Omgevingswerken fase 2",
     "GM-01", 29800412, 0),
)
"""Fictive bookings shared by every shape: costs, sales, a subsidy, a credit note, interest (an
account to ignore) and bank costs without a project."""


@dataclass(frozen=True)
class Shape:
    """How one package writes its export."""

    package: str
    filename: str
    write: Callable[[list[tuple]], bytes]
    grouped: bool = False
    """Lines sorted by account (a ledger card per account) rather than by date."""
    totals: bool = False
    """The export ends with a totals row."""


def _rows(shape: Shape) -> list[tuple]:
    key = (lambda b: (b[3], b[0], b[2])) if shape.grouped else (lambda b: (b[0], b[2]))
    return sorted(BOOKINGS, key=key)


def expected(shape: Shape) -> dict:
    """What the reader must find: per line (file order) the account, project and ``credit - debit``
    [cents], and the file's totals row (or ``None``)."""
    rows = _rows(shape)
    net = [c - d for *_, d, c in rows]
    return {"accounts": [r[3] for r in rows], "projects": [r[6] for r in rows], "net_cents": net,
            "file_total_cents": sum(net) if shape.totals else None}


def _belgian(cents: int, *, thousands: bool = True) -> str:
    if not cents:
        return ""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    whole = f"{euros:,}".replace(",", ".") if thousands else str(euros)
    return f"{sign}{whole},{rest:02d}"


def _point(cents: int) -> str:
    return f"{cents / 100:.2f}" if cents else "0.00"


def _xlsx(sheets: dict[str, list[list]], *, date_format: str = "dd/mm/yyyy") -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    dates = book.add_format({"num_format": date_format})
    money = book.add_format({"num_format": "#,##0.00"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), dates)
                elif isinstance(value, float):
                    sheet.write_number(r, c, value, money)
                elif value is not None:
                    sheet.write(r, c, value)
    book.set_properties({"created": dt.datetime(2026, 4, 1)})
    book.close()
    return buffer.getvalue()


def _xls(rows: list[list], sheet: str) -> bytes:
    import xlwt

    book = xlwt.Workbook()
    ws = book.add_sheet(sheet)
    dates = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write(r, c, value, dates)
            elif value is not None:
                ws.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(rows: list[list], *, delimiter: str, encoding: str, bom: bytes = b"") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        ["" if v is None else v for v in row] for row in rows)
    return bom + buffer.getvalue().encode(encoding)


def _euros(cents: int) -> float | None:
    return cents / 100 if cents else None


def exact_online(rows):
    header = ["Dagboek: Code", "Dagboek: Omschrijving", "Boekstuknummer", "Datum", "Grootboekrekening: Code",
              "Grootboekrekening: Omschrijving", "Omschrijving", "Bedrag", "Kostenplaats: Code",
              "Kostenplaats: Omschrijving"]
    body = [[j, {"AANK": "Inkoop", "VERK": "Verkoop", "FIN": "Bank", "DIV": "Memoriaal"}[j], doc, day, int(acc),
             name, text, (d - c) / 100, proj, f"Project {proj}" if proj else None]
            for day, j, doc, acc, name, text, proj, d, c in rows]
    return _xlsx({"Transacties": [header, *body]})


def yuki(rows):
    header = ["Datum", "Grootboekrekening", "Omschrijving grootboekrekening", "Omschrijving", "Bedrag",
              "Projectcode", "Projectnaam", "Documentnummer", "Dagboek"]
    body = [[day.strftime("%d-%m-%Y"), acc, name, text, _belgian(d - c, thousands=False), proj or "",
             f"Project {proj}" if proj else "", doc, j] for day, j, doc, acc, name, text, proj, d, c in rows]
    return _text([header, *body], delimiter=";", encoding="utf-8", bom=codecs.BOM_UTF8)


def octopus(rows):
    header = ["Rekening", "Naam rekening", "Datum", "Dagboek", "Document", "Omschrijving", "Analytisch", "Debet",
              "Credit", "Saldo"]
    out = [["Grootboekkaart"], ["Dossier: IGEMO (fictief)"], ["Periode: 01/01/2025 - 31/03/2026"], [], header]
    account, balance, group = None, 0, [0, 0]
    for day, j, doc, acc, name, text, proj, d, c in rows:
        if account is not None and acc != account:
            out.append([f"Totaal {account}", None, None, None, None, None, None, group[0] / 100, group[1] / 100,
                        balance / 100])
            balance, group = 0, [0, 0]
        account = acc
        balance += d - c
        group = [group[0] + d, group[1] + c]
        out.append([int(acc), name, day, j, doc, text, proj, _euros(d), _euros(c), balance / 100])
    out.append([f"Totaal {account}", None, None, None, None, None, None, group[0] / 100, group[1] / 100,
                balance / 100])
    debit, credit = sum(r[7] for r in rows), sum(r[8] for r in rows)
    out.append(["Algemeen totaal", None, None, None, None, None, None, debit / 100, credit / 100, None])
    return _xlsx({"Grootboekkaart": out})


def winbooks(rows):
    header = ["Compte", "Libellé compte", "Date", "Journal", "N° doc", "Libellé", "Débit", "Crédit", "Analytique"]
    body = [[acc, name, day, j, doc, text, _euros(d), _euros(c), proj] for day, j, doc, acc, name, text, proj, d, c
            in rows]
    debit, credit = sum(r[7] for r in rows), sum(r[8] for r in rows)
    out = [["Grand livre des comptes généraux"], ["Période 01/2025 - 03/2026"], [], header, *body,
           ["Total général", None, None, None, None, None, debit / 100, credit / 100, None]]
    return _xls(out, "Grand livre")


def odoo(rows):
    header = ["Date", "Journal", "Journal Entry", "Account", "Partner", "Label", "Analytic Account", "Debit",
              "Credit", "Balance"]
    body = [[day.isoformat(), j, doc, f"{acc} {name}", "", text, proj or "", _point(d), _point(c), _point(d - c)]
            for day, j, doc, acc, name, text, proj, d, c in rows]
    return _text([header, *body], delimiter=",", encoding="utf-8")


def horus(rows):
    header = ["Datum boeking", "Dagboek", "Stuknummer", "Rekening", "Omschrijving rekening", "Omschrijving",
              "Debet", "Credit", "Kostenplaats"]
    body = [[day.strftime("%d/%m/%Y"), j, doc, acc, name, text, _belgian(d), _belgian(c), proj or ""]
            for day, j, doc, acc, name, text, proj, d, c in rows]
    return _text([["Horus - grootboek (fictief)"], header, *body], delimiter=";", encoding="cp1252")


def popsy(rows):
    header = ["Datum", "Dagb.", "Stuk", "Rekening", "Omschrijving", "Bedrag debet", "Bedrag credit",
              "Analytische rekening"]
    body = [[day.strftime("%d/%m/%Y"), j, doc, acc, text, _belgian(d), _belgian(c), proj or ""]
            for day, j, doc, acc, name, text, proj, d, c in rows]
    return _text([header, *body], delimiter="\t", encoding="utf-16-le", bom=codecs.BOM_UTF16_LE)


def adminpulse(rows):
    header = ["Dagboek", "Factuurnummer", "Factuurdatum", "Vervaldatum", "Klant", "Rekening", "Omschrijving",
              "Debet", "Credit", "Btw-code", "Analytisch"]
    body = [[j, doc, day.strftime("%d/%m/%Y"), (day + dt.timedelta(days=30)).strftime("%d/%m/%Y"), "Fictief NV",
             acc, text, _belgian(d), _belgian(c), "21", proj or ""]
            for day, j, doc, acc, name, text, proj, d, c in rows]
    return _text([header, *body], delimiter=";", encoding="utf-8")


def business_central(rows):
    header = ["Posting Date", "Document Type", "Document No.", "G/L Account No.", "G/L Account Name", "Description",
              "Job No.", "Global Dimension 1 Code", "Gen. Posting Type", "Amount", "Bal. Account Type",
              "Bal. Account No.", "Entry No."]
    body = [[day, "Invoice" if j in ("AANK", "VERK") else "", doc, acc, name, text, proj, "IGEMO",
             {"AANK": "Purchase", "VERK": "Sale"}.get(j, ""), (d - c) / 100, "G/L Account", "550000", i + 1]
            for i, (day, j, doc, acc, name, text, proj, d, c) in enumerate(rows)]
    return _xlsx({"General Ledger Entries": [header, *body]}, date_format="dd/mm/yyyy")


def sap_business_one(rows):
    header = ["Posting Date", "Due Date", "Origin", "Origin No.", "Trans. No.", "G/L Acct/BP Code",
              "G/L Acct/BP Name", "Details", "Project", "Debit (LC)", "Credit (LC)", "Cumulative Balance (LC)"]
    out = [["General Ledger"], ["IGEMO (fictief)"], ["Posting Date From 01.01.2025 To 31.03.2026"], [], header]
    balance = 0
    for i, (day, j, doc, acc, name, text, proj, d, c) in enumerate(rows):
        balance += d - c
        out.append([day.strftime("%d.%m.%Y"), day.strftime("%d.%m.%Y"), {"VERK": "IN", "AANK": "PU"}.get(j, "JE"),
                    doc, 1000 + i, acc, name, text, proj, _euros(d), _euros(c), balance / 100])
    return _xlsx({"General Ledger": out})


SHAPES: dict[str, Shape] = {
    "exact_online": Shape("Exact Online", "exact_online.xlsx", exact_online),
    "yuki": Shape("Yuki", "yuki.csv", yuki),
    "octopus": Shape("Octopus", "octopus.xlsx", octopus, grouped=True, totals=True),
    "winbooks": Shape("WinBooks", "winbooks.xls", winbooks, totals=True),
    "odoo": Shape("Odoo (Belgische lokalisatie)", "odoo.csv", odoo),
    "horus": Shape("Horus", "horus.csv", horus),
    "popsy": Shape("Popsy", "popsy.txt", popsy),
    "adminpulse": Shape("AdminPulse (Exporter)", "adminpulse.csv", adminpulse),
    "business_central": Shape("Dynamics 365 Business Central", "business_central.xlsx", business_central),
    "sap_business_one": Shape("SAP Business One", "sap_business_one.xlsx", sap_business_one),
}
"""Every package shape, by key."""


def build(key: str) -> bytes:
    """The example export of one shape, as bytes."""
    shape = SHAPES[key]
    return shape.write(_rows(shape))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder to write to (default {OUT})")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for key, shape in SHAPES.items():
        path = args.out / shape.filename
        path.write_bytes(build(key))
        print(f"{shape.package:<32} -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
