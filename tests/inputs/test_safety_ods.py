"""igemo_fin.inputs.safety_ods: an .ods passes the zip and XML checks and cannot repeat cells without end."""

from __future__ import annotations

import pytest

from igemo_fin.inputs.filesafety import LEDGER_FORMATS, check_upload
from ledger_files import ods_bytes, ods_content, rezip, upload_refusal

HEADER = ["Datum", "Rekening", "Project", "Bedrag"]


def refusal(data: bytes, filename: str = "g.ods") -> str:
    return upload_refusal(data, filename, formats=LEDGER_FORMATS)


def with_tail(rows_xml: str) -> bytes:
    return ods_bytes(content=ods_content({"Grootboek": [HEADER, ["05/01/2024", 604000, "P1", 1.5]]},
                                         tail_rows=rows_xml))


class TestAccepted:
    def test_plain_ods(self):
        assert check_upload(ods_bytes([HEADER]), "g.ods", formats=LEDGER_FORMATS) == "ods"

    def test_libreoffice_trailing_empty_repeats(self):
        # LibreOffice ends every sheet so: a million empty rows of a thousand empty cells
        tail = ('<table:table-row table:number-rows-repeated="1048570">'
                '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
        assert check_upload(with_tail(tail), "g.ods", formats=LEDGER_FORMATS) == "ods"

    def test_a_few_honest_repeats(self):
        tail = ('<table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="float" '
                'office:value="0" table:number-columns-repeated="4"/></table:table-row>')
        assert check_upload(with_tail(tail), "g.ods", formats=LEDGER_FORMATS) == "ods"

    def test_not_accepted_at_the_workbook_door(self):
        assert "wordt niet aanvaard" in upload_refusal(ods_bytes([HEADER]), "g.ods")


class TestRefused:
    def test_repeated_values_bomb(self):
        # 827 bytes that ask the reader for 20 million cells with a value (1.2 GB, 8 s)
        tail = ('<table:table-row table:number-rows-repeated="20000"><table:table-cell table:number-columns-repeated='
                '"1000" office:value-type="float" office:value="1"/></table:table-row>')
        assert "cellen met een waarde herhalen (grens 1.000.000)" in refusal(with_tail(tail))

    def test_repeat_past_the_last_column(self):
        tail = ('<table:table-row><table:table-cell table:number-columns-repeated="20000" office:value-type="float" '
                'office:value="1"/></table:table-row>')
        assert "16.384 kolommen" in refusal(with_tail(tail))

    def test_other_namespace_prefix_does_not_hide_repeats(self):
        tail = ('<t:table-row xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0" t:number-rows-repeated='
                '"5000000"><t:table-cell office:value-type="string"><text:p>x</text:p></t:table-cell></t:table-row>')
        assert "cellen met een waarde herhalen" in refusal(with_tail(tail))

    def test_value_below_the_last_row(self):
        # empty rows cost nothing, but a value after two million of them makes the sheet that tall
        tail = ('<table:table-row table:number-rows-repeated="2000000"><table:table-cell/></table:table-row>'
                '<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>')
        assert "meer dan 1.048.576 rijen" in refusal(with_tail(tail))

    def test_billion_laughs_in_content(self):
        prolog = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>')
        data = ods_bytes(content=ods_content({"Grootboek": [["&b;"]]}, prolog=prolog))
        assert "'content.xml' bevat een DTD- of ENTITY-declaratie" in refusal(data)

    def test_external_entity_in_manifest(self):
        evil = ('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
        assert "DTD" in refusal(rezip(ods_bytes([HEADER]), {"META-INF/manifest.xml": evil}))

    def test_zip_bomb(self):
        bomb = rezip(ods_bytes([HEADER]), add={"Pictures/zeros.bin": b"\0" * (60 * 1024 * 1024)})
        assert "verdacht .ods-bestand (zipbom)" in refusal(bomb)

    @pytest.mark.parametrize("mimetype", ["application/vnd.oasis.opendocument.text", ""])
    def test_other_opendocument(self, mimetype):
        assert "geen OpenDocument-rekenblad" in refusal(ods_bytes([HEADER], mimetype=mimetype))

    def test_xlsx_named_ods(self):
        from ledger_files import minimal_xlsx

        assert "geen OpenDocument-rekenblad" in refusal(minimal_xlsx())

    def test_text_named_ods(self):
        assert "geen echt .ods-bestand" in refusal(b"Datum;Rekening\r\n")
