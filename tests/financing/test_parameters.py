"""igemo_fin.financing.parameters: the sheet ``financiering`` read, validated in Dutch and written back."""

from __future__ import annotations

import pandas as pd
import pytest

from igemo_fin.errors import WorkbookError
from igemo_fin.financing.parameters import FinancingParams, financing_params, params_sheet
from igemo_fin.financing.scenarios import rate_scenarios
from igemo_fin.inputs.workbook import read_workbook

from conftest import build_sheets, flat_credit, flows, project

SHEET = pd.DataFrame({
    "parameter": ["kaskrediet_reservatiecommissie_pct", "lening_bedrag", "lening_rente_pct", "lening_looptijd_jaren",
                  "lening_aflossing", "depositorente_pct", "gemeente_prefinanciering_pct", "gemeente_rente_pct",
                  "mix_lening_bedrag", "mix_gemeente_prefinanciering_pct", "horizon_jaren", "scenario_schok_bp",
                  "scenario_pad_bp"],
    "waarde": [0.5, 1_000_000, 3, 2, "bullet", "1", 25, "2,0", 500_000, 10, 3, 200, "0;100"],
})



def _sheets(financiering: pd.DataFrame | None = SHEET):
    extra = {} if financiering is None else {"financiering": financiering}
    return build_sheets([project("A")], flows(("A", "prognose", 2024, "verwerving", 1_000_000)), flat_credit(),
                        **extra)


class TestSheet:
    def test_read_from_the_workbook(self, write_book):
        params = financing_params(read_workbook(write_book(_sheets())))
        assert params == FinancingParams(kaskrediet_reservatiecommissie_pct=0.5, lening_bedrag=1_000_000,
                                         lening_rente_pct=3, lening_looptijd_jaren=2, lening_aflossing="bullet",
                                         depositorente_pct=1, gemeente_prefinanciering_pct=25, gemeente_rente_pct=2,
                                         mix_lening_bedrag=500_000, mix_gemeente_prefinanciering_pct=10,
                                         horizon_jaren=3, scenario_schok_bp=200, scenario_pad_bp=(0, 100))
        assert [s.name for s in rate_scenarios(params)] == ["vlak", "schok", "pad"]
        assert rate_scenarios(params)[2].shift(5) == 100  # the last shift holds

    def test_absent_sheet_gives_defaults(self, write_book):
        assert financing_params(read_workbook(write_book(_sheets(None)))) == FinancingParams()

    def test_empty_value_keeps_the_default(self, write_book):
        sheet = pd.DataFrame({"parameter": ["lening_rente_pct", "horizon_jaren"], "waarde": [None, "5"]})
        params = financing_params(read_workbook(write_book(_sheets(sheet))))
        assert params.lening_rente_pct == FinancingParams().lening_rente_pct and params.horizon_jaren == 5

    def test_errors_name_sheet_row_column_in_dutch(self, write_book):
        sheet = pd.DataFrame({
            "parameter": ["lening_rente_pct", "lening_aflossing", "horizon_jaren", "gemeente_prefinanciering_pct",
                          "rente_op_rente", "lening_rente_pct", "scenario_pad_bp", "lening_bedrag"],
            "waarde": ["drie", "annuitair", 2.5, 120, 1, 3, "0;;100", -5],
        })
        portfolio = read_workbook(write_book(_sheets(sheet), name="fout.xlsx"))
        with pytest.raises(WorkbookError) as info:
            financing_params(portfolio)
        found = {(p.sheet, p.row, p.column) for p in info.value.problems}
        assert found == {("financiering", 2, "waarde"), ("financiering", 3, "waarde"), ("financiering", 4, "waarde"),
                         ("financiering", 5, "waarde"), ("financiering", 6, "parameter"),
                         ("financiering", 7, "parameter"), ("financiering", 8, "waarde"),
                         ("financiering", 9, "waarde")}
        reasons = {p.row: p.reason for p in info.value.problems}
        assert "is geen getal" in reasons[2]
        assert "'lineair' of 'bullet'" in reasons[3]
        assert "geheel aantal jaren" in reasons[4]
        assert "ligt niet tussen 0 en 100" in reasons[5]
        assert "onbekende parameter 'rente_op_rente'" in reasons[6]
        assert "komt dubbel voor (ook op rij 2)" in reasons[7]
        assert "basispunten" in reasons[8]
        assert "mag niet negatief zijn" in reasons[9]
        assert info.value.file == "fout.xlsx"
        assert "blad 'financiering', rij 6, kolom 'parameter'" in str(info.value)

    def test_missing_column(self, write_book):
        sheet = pd.DataFrame({"parameter": ["horizon_jaren"], "value": [5]})
        with pytest.raises(WorkbookError) as info:
            financing_params(read_workbook(write_book(_sheets(sheet))))
        assert [(p.sheet, p.row, p.column) for p in info.value.problems] == [("financiering", 1, "waarde")]

    def test_belgian_text_numbers_and_aliases(self, write_book):
        sheet = pd.DataFrame({"parameter": ["lening_bedrag", "lening_rente_pct", "lening_aflossing", "scenario_pad_bp"],
                              "waarde": ["1.250.000", "3,25", "Lineair", "0; 150; 300"]})
        params = financing_params(read_workbook(write_book(_sheets(sheet))))
        assert (params.lening_bedrag, params.lening_rente_pct, params.lening_aflossing, params.scenario_pad_bp) == (
            1_250_000.0, 3.25, "lineair", (0.0, 150.0, 300.0))

    def test_params_sheet_round_trip(self, write_book):
        params = FinancingParams(lening_bedrag=2_500_000, lening_aflossing="bullet", scenario_pad_bp=(0, 50, 75))
        sheet = params_sheet(params)
        assert list(sheet.columns) == ["parameter", "waarde", "toelichting"]
        assert financing_params(read_workbook(write_book(_sheets(sheet)))) == params

    def test_with_values_validates(self):
        params = FinancingParams().with_values(lening_rente_pct=2.75, scenario_pad_bp=(0, 100))
        assert params.lening_rente_pct == 2.75 and params.scenario_pad_bp == (0.0, 100.0)
        with pytest.raises(WorkbookError):
            FinancingParams().with_values(horizon_jaren=0)
