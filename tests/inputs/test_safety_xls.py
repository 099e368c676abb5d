"""igemo_fin.inputs.safety_xls: only a sound Excel 97-2003 workbook passes under an .xls name."""

from __future__ import annotations

import struct

import pytest

from igemo_fin.inputs.filesafety import LEDGER_FORMATS, check_upload
from ledger_files import minimal_xlsx, patch_xls_fat, patch_xls_record, upload_refusal, xls_bytes

HEADER = ["Datum", "Rekening", "Project", "Bedrag"]
# enough distinct rows that the workbook stream (> 4 KiB) lives in ordinary sectors
ROWS = [HEADER] + [[f"0{i % 9 + 1}/01/2024", 604000 + i, f"P{i}", i + 0.5] for i in range(200)]


def refusal(data: bytes, filename: str = "g.xls") -> str:
    return upload_refusal(data, filename, formats=LEDGER_FORMATS)


def test_real_xls_is_accepted():
    assert check_upload(xls_bytes(ROWS), "g.xls", formats=LEDGER_FORMATS) == "xls"


class TestNotReallyXls:
    @pytest.mark.parametrize("html", [
        b"<html><body><table><tr><td>Datum</td></tr></table></body></html>",
        b"\xef\xbb\xbf\r\n  <!DOCTYPE html><html><head><meta charset='utf-8'></head></html>",
        b"<!-- export --><table border=1><tr><th>Rekening</th></tr></table>",
        "<html><table><tr><td>Datum</td></tr></table></html>".encode("utf-16"),
    ])
    def test_html_page(self, html):
        reason = refusal(html)
        assert "eigenlijk een webpagina (HTML)" in reason
        assert "bewaar het als Excel-werkmap (.xlsx) of als CSV" in reason

    def test_xml_spreadsheet_2003(self):
        data = (b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
                b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>')
        assert "XML-werkblad (Excel 2003)" in refusal(data)

    def test_tab_separated_text(self):
        assert "hernoem het naar .csv of .txt" in refusal(b"Datum\tRekening\tBedrag\r\n05/01/2024\t604000\t1\r\n")

    def test_xlsx_named_xls(self):
        assert "hernoem het bestand naar .xlsx" in refusal(minimal_xlsx())

    def test_exe_named_xls(self):
        assert "uitvoerbaar Windows-programma" in refusal(b"MZ\x90\x00" + bytes(2000))


class TestDamagedOrHostile:
    def test_bad_header(self):
        data = bytearray(xls_bytes(ROWS))
        data[28:30] = b"\xff\xff"  # byte order mark of the compound file
        assert "kop van het samengestelde bestand is ongeldig" in refusal(bytes(data))

    def test_absurd_fat_count(self):
        data = bytearray(xls_bytes(ROWS))
        struct.pack_into("<I", data, 44, 1_000_000)
        assert "verklaart 1.000.000 sectoren" in refusal(bytes(data))

    def test_directory_chain_loops(self):
        data = xls_bytes(ROWS)
        directory = struct.unpack_from("<I", data, 48)[0]
        assert "kring of buiten het bestand" in refusal(patch_xls_fat(data, directory, directory))

    def test_no_workbook_stream(self):
        data = xls_bytes(ROWS)
        renamed = data.replace("Workbook".encode("utf-16-le"), "Wxrkbook".encode("utf-16-le"))
        assert "er zit geen werkboek in" in refusal(renamed)

    def test_shared_string_count_bomb(self):
        data = patch_xls_record(xls_bytes(ROWS), 0x00FC, None, 4, "<I", 4_000_000_000)
        assert "4.000.000.000 teksten" in refusal(data)

    def test_impossible_dimensions(self):
        data = patch_xls_record(xls_bytes(ROWS), 0x0200, 14, 4, "<I", 10_000_000)
        assert "onmogelijke afmeting (10.000.000 rijen" in refusal(data)

    def test_truncated(self):
        data = xls_bytes(ROWS)
        assert "beschadigd" in refusal(data[:3000]) or "buiten het bestand" in refusal(data[:3000])
