"""igemo_fin.exports.statements: the one-page statement for one municipality
(the portfolio of conftest.sharing_sheets, valued in 2025)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from igemo_fin.exports.statements import municipality_statement_xlsx


class TestMunicipalityStatement:
    def test_one_page_for_bonheiden(self, sharing_book):
        data = municipality_statement_xlsx(*sharing_book, "Bonheiden", loss_p90=pd.Series({"L": 700_000.0}))
        wb = openpyxl.load_workbook(io.BytesIO(data))
        sheet = wb.active
        assert "Bonheiden" in sheet["A1"].value
        headers = [c.value for c in sheet[4] if c.value]
        assert headers[:3] == ["Project", "Naam", "Status"]
        assert "Verlies gedragen door de gemeente" in headers and "Verlies P90 (pessimistisch)" in headers
        rows = {sheet.cell(r, 1).value: r for r in range(5, 9)}
        assert set(rows) >= {"L", "H", "Totaal"}
        col = headers.index("Verlies gedragen door de gemeente") + 1
        assert sheet.cell(rows["L"], col).value == 150_000
        assert sheet.cell(rows["H"], col).value == 5.01
        assert sheet.cell(rows["Totaal"], col).value == 150_005.01
        assert "[$€-813]" in sheet.cell(rows["L"], col).number_format
        # the project name that looks like a formula stays text
        name = sheet.cell(rows["L"], 2)
        assert name.value == "=HYPERLINK(\"http://x\")" and name.data_type == "s" and name.quotePrefix
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToHeight in (1, None) and sheet.page_setup.fitToWidth in (1, None)

    def test_unknown_municipality(self, sharing_book):
        with pytest.raises(ValueError, match="geen projecten voor gemeente 'Lier'"):
            municipality_statement_xlsx(*sharing_book, "Lier")
