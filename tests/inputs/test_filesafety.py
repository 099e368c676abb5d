"""igemo_fin.inputs.filesafety: hostile and mislabelled uploads are refused before parsing, within 1 s."""

from __future__ import annotations

import io
import os
import time
import zipfile
import zlib
from xml.etree.ElementTree import XMLParser

import defusedxml
import openpyxl
import pytest
from defusedxml import EntitiesForbidden

import igemo_fin.inputs.filesafety as fs
from igemo_fin.errors import FileRefused
from igemo_fin.inputs.filesafety import check_upload, decode_csv
from ledger_files import (
    BILLION_LAUGHS,
    NS,
    csv_bytes,
    minimal_xlsx,
    patch_declared_size,
    rezip,
    sheet_xml,
    with_sheet_xml,
    with_shared_strings,
)

CSV_OK = csv_bytes([["Datum", "Rekening", "Project", "Bedrag"], ["01/02/2024", "604000", "P1", "1.234,56"]])


def refusal(data: bytes, filename: str, **kw) -> str:
    """Check that ``data`` is refused within a second; return the Dutch reason."""
    t0 = time.perf_counter()
    with pytest.raises(FileRefused) as info:
        check_upload(data, filename, **kw)
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.0, f"refusal took {elapsed:.2f} s"
    (problem,) = info.value.problems
    assert info.value.file == os.path.basename(filename)
    return problem.reason


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


class TestZipBombs:
    def test_high_compression_ratio(self):
        # 60 MiB of zeros deflate to ~60 KiB: ratio ~1000 > 100
        bomb = rezip(minimal_xlsx(), add={"xl/media/zeros.bin": b"\0" * (60 * 1024 * 1024)})
        assert len(bomb) < 200_000
        reason = refusal(bomb, "x.xlsx")
        assert "zipbom" in reason and "'xl/media/zeros.bin'" in reason

    def test_too_many_entries(self):
        bomb = rezip(minimal_xlsx(), add={f"xl/extra/{i}.txt": b"x" for i in range(1000)})
        assert "onderdelen (grens 1000)" in refusal(bomb, "x.xlsx")

    def test_total_unpacked_size(self, monkeypatch):
        # the limit (512 MB) scaled down so the test file stays small: 3 parts of 400 KB, ratio < 100
        monkeypatch.setattr(fs, "MAX_UNCOMPRESSED_TOTAL", 1024 * 1024)
        part = os.urandom(200_000).hex().encode()  # 400 KB, ratio ~2
        bomb = rezip(minimal_xlsx(), add={f"xl/media/{i}.bin": part for i in range(3)})
        assert "uitgepakt" in refusal(bomb, "x.xlsx")

    def test_directory_that_lies_about_the_size(self):
        # the directory declares 1,000 bytes for a part that unpacks to 2 MiB (ratio check passes)
        data = rezip(minimal_xlsx(), add={"xl/media/big.bin": os.urandom(1024 * 1024).hex().encode()})
        lying = patch_declared_size(data, "xl/media/big.bin", 1000)
        assert "groter uit dan opgegeven" in refusal(lying, "x.xlsx")

    def test_unknown_compression_method(self):
        data = rezip(minimal_xlsx(), compression=zipfile.ZIP_BZIP2)
        assert "compressiemethode 12" in refusal(data, "x.xlsx")

    def test_duplicate_part_names(self):
        with pytest.warns(UserWarning):
            data = rezip(minimal_xlsx(), add={"xl/workbook.xml": "<workbook/>"})
        assert "twee keer" in refusal(data, "x.xlsx")

    def test_bad_crc(self):
        data = bytearray(minimal_xlsx())
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
            info = z.getinfo("xl/styles.xml")
        # flip the CRC stored in the central directory for that part
        pos = data.find(b"PK\x01\x02" , data.find(b"PK\x01\x02"))
        while True:
            name_len = int.from_bytes(data[pos + 28:pos + 30], "little")
            if data[pos + 46:pos + 46 + name_len] == b"xl/styles.xml":
                break
            pos = data.find(b"PK\x01\x02", pos + 4)
        data[pos + 16:pos + 20] = ((info.CRC ^ 0xFFFF) & 0xFFFFFFFF).to_bytes(4, "little")
        assert "CRC" in refusal(bytes(data), "x.xlsx")


class TestXml:
    def test_billion_laughs_refused(self):
        reason = refusal(with_shared_strings(BILLION_LAUGHS), "lol.xlsx")
        assert "'xl/sharedStrings.xml' bevat een DTD- of ENTITY-declaratie" in reason

    def test_billion_laughs_in_workbook_part(self):
        base = minimal_xlsx()
        workbook = zipfile.ZipFile(io.BytesIO(base)).read("xl/workbook.xml").decode()
        evil = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + \
            workbook.split("?>", 1)[-1]
        assert "'xl/workbook.xml' bevat een DTD" in refusal(rezip(base, {"xl/workbook.xml": evil}), "x.xlsx")

    def test_external_entity_refused(self):
        xxe = ('<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
               f'<sst xmlns="{NS}" uniqueCount="1"><si><t>&xxe;</t></si></sst>')
        assert "DTD" in refusal(with_shared_strings(xxe), "x.xlsx")

    def test_bare_doctype_refused(self):
        sheet = '<?xml version="1.0"?><!DOCTYPE worksheet>' + sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
        assert "DTD" in refusal(with_sheet_xml(sheet), "x.xlsx")

    def test_defusedxml_is_what_refuses(self, monkeypatch):
        """Proof that defusedxml is active: with a plain expat parser in its place, the same
        billion-laughs file would pass the check (the bomb sits below the root element)."""
        bomb = with_shared_strings(BILLION_LAUGHS)

        class PlainParser(XMLParser):
            def __init__(self, *, target=None, forbid_dtd=False):
                super().__init__(target=target)

        monkeypatch.setattr(fs, "DefusedXMLParser", PlainParser)
        assert check_upload(bomb, "lol.xlsx") == "xlsx"
        monkeypatch.undo()
        with pytest.raises(FileRefused):
            check_upload(bomb, "lol.xlsx")

    def test_openpyxl_path_is_defused_too(self):
        # the openpyxl baseline reads through defusedxml as well (it picks it up when installed)
        assert openpyxl.DEFUSEDXML is True
        with pytest.raises(ValueError) as info:
            openpyxl.load_workbook(io.BytesIO(with_shared_strings(BILLION_LAUGHS)))
        assert isinstance(info.value.__cause__, EntitiesForbidden)
        assert defusedxml.__version__ == "0.7.1"

    def test_utf16_part_refused(self):
        sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
        data = with_sheet_xml(('<?xml version="1.0" encoding="UTF-16"?>' + sheet).encode("utf-16"))
        assert "niet in UTF-8" in refusal(data, "x.xlsx")

    def test_other_declared_encoding_refused(self):
        sheet = '<?xml version="1.0" encoding="ISO-8859-1"?>' + sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
        assert "'ISO-8859-1'" in refusal(with_sheet_xml(sheet), "x.xlsx")

    def test_malformed_xml_refused(self):
        broken = f'<worksheet xmlns="{NS}"><sheetPr></sheetView><sheetData/></worksheet>'
        assert "geen geldige XML" in refusal(with_sheet_xml(broken), "x.xlsx")


class TestAbsurdSizes:
    @pytest.mark.parametrize("ref, why", [
        ("A1:XFD1048576", "17.179.869.184 cellen"),  # the whole grid
        ("A1:A2000000", "meer dan 1.048.576 rijen"),
        ("A1:XFE1", "16.384 kolommen"),
        ("A1:AX1048576", "52.428.800 cellen"),  # 50 columns x 1,048,576 rows > 50 million
    ])
    def test_declared_dimension(self, ref, why):
        data = with_sheet_xml(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', dimension=ref))
        reason = refusal(data, "x.xlsx")
        assert f"onmogelijke afmeting '{ref}'" in reason and why in reason

    def test_far_cell_without_dimension(self):
        # python-calamine would allocate 1,048,576 x 16,384 cells (512 GiB) and abort the process
        body = ('<row r="1"><c r="A1"><v>1</v></c></row>'
                '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
        reason = refusal(with_sheet_xml(sheet_xml(body)), "x.xlsx")
        assert "gebruikt cellen tot kolom 16.384 en rij 1.048.576" in reason

    def test_wide_and_deep_needs_the_exact_pass(self):
        # column BH (60) and row 900,000: 54 million cells; no 7-digit row number
        body = '<row r="1"><c r="BH1"><v>1</v></c></row><row r="900000"><c r="A900000"><v>1</v></c></row>'
        reason = refusal(with_sheet_xml(sheet_xml(body)), "x.xlsx")
        assert "kolom 60 en rij 900.000" in reason

    def test_shared_string_count_bomb(self):
        # python-calamine reserves memory for uniqueCount strings (96 GB here) before reading them
        sst = f'<sst xmlns="{NS}" count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>'
        assert "4.000.000.000 teksten" in refusal(with_shared_strings(sst), "x.xlsx")


class TestCsvText:
    def test_nul_bytes(self):
        # a ; b \r \n c are bytes 0-5: the NUL is byte 6
        assert "NUL-bytes (eerste op byte 6)" in refusal(b"a;b\r\nc\x00d", "x.csv")

    def test_invalid_utf8_after_bom(self):
        assert "BOM" in refusal(b"\xef\xbb\xbfDatum;Bedrag\r\n\xc3\x28;1\r\n", "x.csv")

    def test_mixed_encodings(self):
        data = "Café;1\r\n".encode("utf-8") + "Café;2\r\n".encode("cp1252")
        assert "mengt tekstcoderingen" in refusal(data, "x.csv")

    def test_neither_utf8_nor_cp1252(self):
        # 0x81 is undefined in Windows-1252 and invalid as a UTF-8 start byte
        assert "0x81" in refusal(b"Datum;Bedrag\r\n\x81\x81;1\r\n", "x.csv")

    def test_control_codes(self):
        assert "stuurcode 0x07" in refusal(b"Datum;Bedrag\r\n\x07;1\r\n", "x.csv")

    def test_utf16(self):
        assert "UTF-16" in refusal("Datum;Bedrag\r\n".encode("utf-16"), "x.csv")


def test_zip_bomb_reference_not_inflated_for_directory_checks(monkeypatch):
    """The ratio and count limits use the central directory only: no inflation happens."""
    bomb = rezip(minimal_xlsx(), add={"xl/media/zeros.bin": b"\0" * (20 * 1024 * 1024)})
    calls = []
    real = zlib.decompressobj
    monkeypatch.setattr(fs.zlib, "decompressobj", lambda *a: calls.append(a) or real(*a))
    with pytest.raises(FileRefused):
        check_upload(bomb, "x.xlsx")
    assert calls == []
