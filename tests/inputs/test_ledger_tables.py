"""igemo_fin.inputs.ledger_tables: the same ledger read alike from every file format and encoding."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import zipfile

import pytest

from igemo_fin.errors import FileRefused, LedgerError
from igemo_fin.inputs.ledger import read_ledger
from ledger_files import csv_bytes, ods_bytes, rezip, sheet_xml, with_sheet_xml, xls_bytes, xlsx_bytes

HEADER = ["Boekdatum", "Rekening", "Omschrijving", "Projectcode", "Debet", "Credit"]
LINES = [[dt.date(2024, 1, 5), 605000, "Aankoop grond – café", "P1", 1234.56, None],
         [dt.date(2024, 2, 6), 700000, "Verkoop perceel", "P1", None, 2500.5]]
TEXT_LINES = [["05/01/2024", "605000", "Aankoop grond – café", "P1", "1.234,56", ""],
              ["06/02/2024", "700000", "Verkoop perceel", "P1", "", "2.500,50"]]
EXPECTED = [-123456, 250050]


def as_xlsm(data: bytes) -> bytes:
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").decode()
    types = types.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                          "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    return rezip(data, {"[Content_Types].xml": types})


WORKBOOKS = {
    "xlsx": xlsx_bytes,
    "xlsm": lambda rows, **kw: as_xlsm(xlsx_bytes(rows, **kw)),
    "xls": xls_bytes,
    "ods": ods_bytes,
}


@pytest.mark.parametrize("fmt", sorted(WORKBOOKS))
def test_every_workbook_format(fmt):
    data = WORKBOOKS[fmt]([["Grootboek 2024"], HEADER, *LINES, ["Totaal", None, None, None, 1234.56, 2500.5]])
    read = read_ledger(data, filename=f"export.{fmt}")
    assert read.lines["amount_cents"].tolist() == EXPECTED
    assert read.lines["date"].dt.strftime("%d/%m/%Y").tolist() == ["05/01/2024", "06/02/2024"]
    assert read.lines["account"].tolist() == ["605000", "700000"]
    assert read.lines["description"][0] == "Aankoop grond – café"
    assert (read.sheet, read.header_row, read.file_total_cents) == ("Grootboek", 2, 126594)


@pytest.mark.parametrize("fmt", sorted(WORKBOOKS))
def test_ledger_sheet_found_among_others(fmt):
    data = WORKBOOKS[fmt]([HEADER, *LINES], sheet="Boekingen",
                          extra_sheets={"Parameters": [["Export", "IGEMO"], ["Datum", "01/03/2024"]]},
                          first="Parameters")
    read = read_ledger(data, filename=f"export.{fmt}")
    assert read.sheet == "Boekingen" and read.lines["amount_cents"].tolist() == EXPECTED


def test_sheet_named_by_the_caller():
    other = [HEADER, [dt.date(2023, 1, 1), 605000, "vorig jaar", "P1", 1.0, None]]
    data = xlsx_bytes([HEADER, *LINES], sheet="2024", extra_sheets={"2023": other}, first="2023")
    assert read_ledger(data, filename="g.xlsx").sheet == "2023"  # the first sheet with a header
    read = read_ledger(data, filename="g.xlsx", sheet="2024")
    assert read.sheet == "2024" and read.lines["amount_cents"].tolist() == EXPECTED
    with pytest.raises(LedgerError) as info:
        read_ledger(data, filename="g.xlsx", sheet="2022")
    (problem,) = info.value.problems
    assert problem.sheet == "2022" and "kies een van: '2023', '2024'" in problem.reason


@pytest.mark.parametrize("name, delimiter, encoding, bom", [
    ("g.csv", ";", "utf-8", False),
    ("g.csv", ";", "utf-8", True),
    ("g.csv", ",", "utf-8", False),
    ("g.csv", ";", "cp1252", False),
    ("g.txt", "\t", "utf-8", False),
    ("g.txt", "\t", "cp1252", False),
])
def test_text_exports(name, delimiter, encoding, bom):
    data = csv_bytes([HEADER, *TEXT_LINES], delimiter=delimiter, encoding=encoding, bom=bom)
    read = read_ledger(data, filename=name)
    assert read.lines["amount_cents"].tolist() == EXPECTED
    assert read.lines["description"][0] == "Aankoop grond – café"


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_excel_unicode_text(encoding, bom):
    """Excel's "Unicode text": UTF-16 with BOM, tab-separated, CRLF."""
    text = "\r\n".join("\t".join(row) for row in [HEADER, *TEXT_LINES]) + "\r\n"
    read = read_ledger(bom + text.encode(encoding), filename="export.txt")
    assert read.lines["amount_cents"].tolist() == EXPECTED
    assert read.lines["description"][0] == "Aankoop grond – café"


def test_html_saved_as_xls_is_refused_with_what_to_do():
    page = b"<html><body><table><tr><td>Boekdatum</td><td>Rekening</td></tr></table></body></html>"
    with pytest.raises(FileRefused) as info:
        read_ledger(page, filename="grootboek.xls")
    (problem,) = info.value.problems
    assert info.value.file == "grootboek.xls"
    assert "webpagina (HTML)" in problem.reason and ".xlsx" in problem.reason and "CSV" in problem.reason


def test_bytes_without_a_name_are_told_apart():
    assert read_ledger(xls_bytes([HEADER, *LINES])).lines["amount_cents"].tolist() == EXPECTED
    assert read_ledger(xlsx_bytes([HEADER, *LINES])).lines["amount_cents"].tolist() == EXPECTED


def test_damaged_workbook_names_the_file_and_what_to_do():
    # a cell pointing at a shared string that is not there: safe, but unreadable
    broken = with_sheet_xml(sheet_xml('<row r="1"><c r="A1" t="s"><v>99</v></c></row>'))
    with pytest.raises(LedgerError) as info:
        read_ledger(broken, filename="stuk.xlsx")
    (problem,) = info.value.problems
    assert info.value.file == "stuk.xlsx"
    assert problem.reason.startswith("onleesbaar .xlsx-bestand") and "bewaar het opnieuw als .xlsx of .csv" in \
        problem.reason
