"""igemo_fin.inputs.safety_text: text exports decoded, binary and broken text refused."""

from __future__ import annotations

import codecs

import pytest

from igemo_fin.inputs.filesafety import LEDGER_FORMATS
from igemo_fin.inputs.safety_text import decode_csv
from ledger_files import upload_refusal as refusal


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

    def test_utf16_without_bom(self):
        assert "UTF-16-tekst zonder BOM" in refusal("Datum;Bedrag\r\n".encode("utf-16-le"), "x.csv")

    def test_invalid_utf16_after_bom(self):
        # a lone high surrogate (D800) cannot be decoded
        data = codecs.BOM_UTF16_LE + "Datum\t".encode("utf-16-le") + b"\x00\xd8" + "x".encode("utf-16-le")
        assert "ongeldige UTF-16" in refusal(data, "x.txt", formats=LEDGER_FORMATS)


class TestDecoded:
    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
    def test_utf16_with_bom_as_excel_unicode_text(self, encoding):
        text = "Datum\tOmschrijving\tBedrag\r\n05/01/2024\tCafé – € 3\t1.234,56\r\n"
        data = text.encode(encoding) if encoding == "utf-16" else codecs.BOM_UTF16_BE + text.encode(encoding)
        assert decode_csv(data) == (text, "utf-16")

    def test_utf8_with_and_without_bom_and_cp1252(self):
        text = "Omschrijving;Bedrag\r\nCafé – notaris;€ 1.234,56\r\n"
        assert decode_csv(text.encode("utf-8")) == (text, "utf-8")
        assert decode_csv(codecs.BOM_UTF8 + text.encode("utf-8")) == (text, "utf-8")
        assert decode_csv(text.encode("cp1252")) == (text, "cp1252")


