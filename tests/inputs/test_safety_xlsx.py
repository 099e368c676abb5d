"""igemo_fin.inputs.safety_xlsx: DTDs and entities, encodings and absurd sheet sizes in a workbook."""

from __future__ import annotations

import zipfile
import io
from xml.etree.ElementTree import XMLParser

import defusedxml
import openpyxl
import pytest
from defusedxml import EntitiesForbidden

import igemo_fin.inputs.safety_zip as safety_zip
from igemo_fin.errors import FileRefused
from igemo_fin.inputs.filesafety import check_upload
from ledger_files import (
    BILLION_LAUGHS,
    NS,
    minimal_xlsx,
    rezip,
    sheet_xml,
    upload_refusal as refusal,
    with_sheet_xml,
    with_shared_strings,
)


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

        monkeypatch.setattr(safety_zip, "DefusedXMLParser", PlainParser)
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


