"""igemo_fin.exports.journal_xlsx: the proposed journal as Excel (the portfolio of conftest.sharing_sheets)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from igemo_fin.exports.journal_xlsx import journal_xlsx, provision_journal_xlsx
from igemo_fin.obligations.journal import JOURNAL_COLUMNS


class TestJournalXlsx:
    def test_excel_export(self, sharing_book):
        data = provision_journal_xlsx(*sharing_book)
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert [c.value for c in sheet[3]][:10] == ["Boeking", "Boekjaar", "Datum", "Project", "Gemeente", "Soort",
                                                   "Rekening", "Rekeningnaam", "Debet", "Credit"]
        assert sheet["G4"].value == "6380" and sheet["G4"].data_type == "s"
        assert sheet["I4"].value == 16_000 and "[$€-813]" in sheet["I4"].number_format
        assert sheet["C4"].number_format == "dd/mm/yyyy"
        assert sheet["H8"].value == "Totaal" and sheet["I8"].value == sheet["J8"].value == 17_500.05

    def test_journal_text_is_never_a_formula(self):
        journal = pd.DataFrame([(1, 2024, pd.Timestamp("2024-12-31").date(), "=1+1", "@SUM(A1)", "winstdeling",
                                 "164", "x", 1.0, 0.0, "-2+3", "")], columns=list(JOURNAL_COLUMNS))
        sheet = openpyxl.load_workbook(io.BytesIO(journal_xlsx(journal))).active
        for ref in ("D4", "E4", "K4"):
            assert sheet[ref].data_type == "s" and sheet[ref].quotePrefix
        assert sheet["D4"].value == "=1+1"
