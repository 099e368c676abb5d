"""igemo_fin.inputs.filesafety: hostile and mislabelled uploads are refused before parsing, within 1 s."""

from __future__ import annotations

import io
import zipfile

import pytest

from igemo_fin.inputs.filesafety import check_upload, decode_csv
from ledger_files import upload_refusal as refusal
from ledger_files import (
    NS,
    csv_bytes,
    minimal_xlsx,
    rezip,
    sheet_xml,
    with_sheet_xml,
    with_shared_strings,
)

CSV_OK = csv_bytes([["Datum", "Rekening", "Project", "Bedrag"], ["01/02/2024", "604000", "P1", "1.234,56"]])


class TestAccepted:
    def test_valid_xlsx(self):
        assert check_upload(minimal_xlsx(), "grootboek.xlsx") == "xlsx"

    def test_extension_case_is_ignored(self):
        assert check_upload(minimal_xlsx(), "GROOTBOEK.XLSX") == "xlsx"

    def test_valid_csv_utf8_and_cp1252(self):
        assert check_upload(CSV_OK, "grootboek.csv") == "csv"
        text = "Omschrijving;Bedrag\r\nCafé – notaris;€ 1.234,56\r\n"
        assert check_upload(text.encode("cp1252"), "grootboek.csv") == "csv"
        assert decode_csv(text.encode("cp1252")) == (text, "cp1252")
        assert decode_csv(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8")

    def test_wide_sheet_with_few_rows_is_fine(self):
        # column AZ (52) on 10 rows: 520 cells, far from any limit
        body = '<row r="10"><c r="AZ10"><v>1</v></c></row>'
        assert check_upload(with_sheet_xml(sheet_xml(body, dimension="A1:AZ10")), "x.xlsx") == "xlsx"

    def test_honest_shared_string_count(self):
        sst = f'<sst xmlns="{NS}" count="3" uniqueCount="1"><si><t>hallo</t></si></sst>'
        assert check_upload(with_shared_strings(sst), "x.xlsx") == "xlsx"

    def test_dos_end_of_file_mark_is_harmless(self):
        assert decode_csv(b"a;b\r\n\x1a")[0] == "a;b\r\n"


class TestSizeAndType:
    @pytest.mark.parametrize("name", ["grootboek.xls", "grootboek.txt", "grootboek", "grootboek.xlsm"])
    def test_other_extensions_refused(self, name):
        assert "wordt niet aanvaard" in refusal(minimal_xlsx(), name)

    def test_empty(self):
        assert refusal(b"", "x.csv") == "het bestand is leeg"

    def test_over_20_mb_refused_on_size(self):
        data = b"a;b\r\n" * (4 * 1024 * 1024 + 1)  # 20 MiB + 5 bytes
        assert len(data) == 20 * 1024 * 1024 + 5
        reason = refusal(data, "groot.csv")
        assert reason == "het bestand is te groot: 20,0 MB, de grens is 20,0 MB"

    def test_max_bytes_is_a_parameter(self):
        assert "te groot" in refusal(CSV_OK, "x.csv", max_bytes=10)
        assert check_upload(CSV_OK, "x.csv", max_bytes=len(CSV_OK)) == "csv"

    def test_renamed_exe_as_xlsx(self):
        exe = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 4
        assert "uitvoerbaar Windows-programma" in refusal(exe, "grootboek.xlsx")

    def test_renamed_exe_as_csv(self):
        exe = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 4
        assert "uitvoerbaar Windows-programma" in refusal(exe, "grootboek.csv")

    def test_old_xls_named_xlsx(self):
        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
        assert "oud Excel-bestand (.xls)" in refusal(ole, "grootboek.xlsx")

    def test_csv_named_xlsx(self):
        assert "geen zip-archief" in refusal(CSV_OK, "grootboek.xlsx")

    def test_xlsx_named_csv(self):
        assert "zip-archief" in refusal(minimal_xlsx(), "grootboek.csv")

    def test_pdf_named_csv(self):
        assert "PDF" in refusal(b"%PDF-1.7\n...", "grootboek.csv")

    def test_other_zip_named_xlsx(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w/>")
        assert "'xl/workbook.xml' ontbreekt" in refusal(out.getvalue(), "brief.xlsx")

    def test_macro_workbook_named_xlsx(self):
        base = minimal_xlsx()
        types = zipfile.ZipFile(io.BytesIO(base)).read("[Content_Types].xml").decode()
        types = types.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                              "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
        assert "macro's" in refusal(rezip(base, {"[Content_Types].xml": types}), "x.xlsx")

    def test_truncated_zip(self):
        data = minimal_xlsx()
        assert "beschadigd" in refusal(data[: len(data) // 2], "x.xlsx")


