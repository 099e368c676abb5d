"""Reading the portfolio workbook: WORKBOOK.md honoured exactly, every violation reported at once."""

from __future__ import annotations

import math

import openpyxl
import pandas as pd
import pytest

from igemo_fin.errors import WorkbookError
from igemo_fin.valuation.thresholds import Thresholds
from igemo_fin.inputs.workbook import read_workbook

from conftest import build_sheets, flat_credit, flows, project, thresholds


def _base_flows():
    return flows(("A", "prognose", 2023, "verwerving", 1_000_000), ("A", "prognose", 2026, "verkoop", 1_500_000),
                 ("A", "begroting", 2023, "verwerving", 900_000), ("A", "begroting", 2025, "verkoop", 1_400_000))


def _sheets(**changes):
    sheets = build_sheets([project("A"), project("B", naam="Bèta", type="wonen")], _base_flows())
    sheets.update(changes)
    return sheets


def _problems(write_book, sheets) -> list:
    with pytest.raises(WorkbookError) as info:
        read_workbook(write_book(sheets, "fout.xlsx"))
    return info.value.problems


def _only(problems, **fields):
    matching = [p for p in problems if all(getattr(p, k) == v for k, v in fields.items())]
    assert matching, f"no problem with {fields} in {problems}"
    return matching[0]


class TestValidWorkbook:
    def test_reads_signed_flows_and_defaults(self, write_book):
        p = read_workbook(write_book(_sheets()))
        assert p.project_codes == ["A", "B"]
        cf = p.cashflows.set_index(["versie", "jaar"])["bedrag"]
        assert cf[("prognose", 2023)] == -1_000_000 and cf[("prognose", 2026)] == 1_500_000
        assert p.thresholds == Thresholds()  # an empty drempels sheet: every default
        assert p.risks.empty and p.accounts is None
        assert math.isnan(p.projects.loc[0, "risicodeling_plafond"])
        assert p.projects["bestemming_zeker"].tolist() == [True, True]

    def test_unknown_columns_and_sheets_are_ignored(self, write_book):
        projects = pd.DataFrame([project("A", opmerking="x"), project("B")])
        sheets = _sheets(projecten=projects, notities=pd.DataFrame({"tekst": ["vrij blad"]}))
        p = read_workbook(write_book(sheets))
        assert "opmerking" not in p.projects.columns
        assert p.project_codes == ["A", "B"]

    @pytest.mark.parametrize("text, expected", [("ja", True), ("Nee", False), ("yes", True), ("no", False),
                                                ("1", True), ("0", False), ("TRUE", True), ("false", False)])
    def test_yes_no_spellings(self, write_book, text, expected):
        p = read_workbook(write_book(_sheets(projecten=pd.DataFrame([project("A", bestemming_zeker=text),
                                                                       project("B")]))))
        assert bool(p.projects.loc[0, "bestemming_zeker"]) is expected

    def test_thresholds_settings_risks_and_accounts(self, write_book):
        sheets = _sheets(
            drempels=thresholds(min_irr_pct=4.5, disconteringsvoet_pct=5, stop_npv_onder=-1e6),
            instellingen=pd.DataFrame({"parameter": ["eigen_vermogen", "waarderingsjaar", "eigen_parameter"],
                                       "waarde": [12e6, 2024, "x"]}),
            risicos=pd.DataFrame([{"project_code": "A", "risico": "bodem", "soort": "eenmalig_eur", "kans_pct": 20,
                                   "min": 1e5, "waarschijnlijk": 2e5, "max": 4e5}]),
            rekeningen=pd.DataFrame({"rekening_prefix": ["6040"], "categorie": ["infrastructuur"]}),
        )
        p = read_workbook(write_book(sheets))
        assert p.thresholds.min_irr_pct == 4.5 and p.thresholds.disconteringsvoet_pct == 5
        assert p.thresholds.stop_npv_onder == -1e6 and p.thresholds.max_kans_verlies_pct == 30
        assert p.settings.eigen_vermogen == 12e6 and p.settings.valuation_year() == 2024
        assert p.settings.extra == {"eigen_parameter": "x"}
        assert p.risks.iloc[0]["soort"] == "eenmalig_eur"
        assert p.accounts.to_dict("records") == [{"rekening_prefix": "6040", "categorie": "infrastructuur"}]

    def test_negative_amount_is_a_correction(self, write_book):
        cf = pd.concat([_base_flows(), flows(("A", "prognose", 2024, "verwerving", -50_000))])
        p = read_workbook(write_book(_sheets(kasstromen=cf)))
        assert p.cashflows.query("jaar == 2024")["bedrag"].tolist() == [50_000]  # a credit note on a cost

    def test_belgian_text_amounts_are_read(self, write_book):
        cf = _base_flows().astype({"bedrag": object})
        cf.loc[0, "bedrag"] = "1.000.000,50"
        p = read_workbook(write_book(_sheets(kasstromen=cf)))
        assert p.cashflows.loc[0, "bedrag"] == -1_000_000.50

    def test_blank_rows_keep_excel_row_numbers(self, write_book, tmp_path):
        path = write_book(_sheets())
        book = openpyxl.load_workbook(path)
        sheet = book["kasstromen"]
        sheet.insert_rows(3)  # a blank row 3; the former row 3 moves to 4
        sheet.cell(row=4, column=5).value = "veel"
        book.save(path)
        with pytest.raises(WorkbookError) as info:
            read_workbook(path)
        assert [(p.sheet, p.row, p.column) for p in info.value.problems] == [("kasstromen", 4, "bedrag")]


class TestRefusals:
    def test_missing_sheet(self, write_book):
        sheets = _sheets()
        del sheets["drempels"]
        problem = _only(_problems(write_book, sheets), sheet="drempels")
        assert "ontbreekt" in problem.reason

    def test_missing_required_column(self, write_book):
        problems = _problems(write_book, _sheets(projecten=pd.DataFrame([project("A")]).drop(columns="gemeente")))
        assert _only(problems, sheet="projecten", column="gemeente").row == 1

    def test_duplicate_project_code(self, write_book):
        problem = _only(_problems(write_book, _sheets(projecten=pd.DataFrame([project("A"), project("A")]))),
                        sheet="projecten", column="project_code")
        assert problem.row == 3 and "dubbel" in problem.reason and "rij 2" in problem.reason

    def test_flow_of_unknown_project(self, write_book):
        cf = pd.concat([_base_flows(), flows(("Z", "prognose", 2024, "studies", 10))], ignore_index=True)
        problem = _only(_problems(write_book, _sheets(kasstromen=cf)), sheet="kasstromen", column="project_code")
        assert problem.row == 6 and "'Z'" in problem.reason

    @pytest.mark.parametrize("sheet, column, value", [
        ("kasstromen", "categorie", "grondwerken"),
        ("kasstromen", "versie", "raming"),
        ("projecten", "type", "kantoren"),
        ("projecten", "status", "gepauzeerd"),
    ])
    def test_unknown_choice(self, write_book, sheet, column, value):
        sheets = _sheets()
        frame = sheets[sheet].copy()
        frame.loc[0, column] = value
        sheets[sheet] = frame
        problem = _only(_problems(write_book, sheets), sheet=sheet, column=column)
        assert problem.row == 2 and value in problem.reason and "onbekend" in problem.reason

    @pytest.mark.parametrize("value, word", [("veel", "geen geldig bedrag"), (None, "ontbreekt")])
    def test_bad_or_empty_amount(self, write_book, value, word):
        cf = _base_flows().astype({"bedrag": object})
        cf.loc[2, "bedrag"] = value
        problem = _only(_problems(write_book, _sheets(kasstromen=cf)), sheet="kasstromen", column="bedrag")
        assert problem.row == 4 and word in problem.reason

    @pytest.mark.parametrize("year", [1989, 2101])
    def test_year_out_of_range(self, write_book, year):
        cf = _base_flows()
        cf.loc[1, "jaar"] = year
        problem = _only(_problems(write_book, _sheets(kasstromen=cf)), sheet="kasstromen", column="jaar")
        assert problem.row == 3 and "1990-2100" in problem.reason

    def test_unknown_threshold(self, write_book):
        problem = _only(_problems(write_book, _sheets(drempels=thresholds(max_verlies=5))), sheet="drempels")
        assert problem.row == 2 and problem.column == "parameter" and "max_verlies" in problem.reason

    def test_years_not_covered_by_the_credit(self, write_book):
        problem = _only(_problems(write_book, _sheets(kaskrediet=flat_credit(2024, 2030))), sheet="kaskrediet")
        assert "2023" in problem.reason and problem.column == "jaar"

    def test_uncovered_years_are_named_as_ranges(self, write_book):
        cf = flows(("A", "prognose", 2005, "verwerving", 1), ("A", "prognose", 2008, "verkoop", 2),
                   ("A", "prognose", 2048, "verkoop", 2))
        problem = _only(_problems(write_book, _sheets(kasstromen=cf)), sheet="kaskrediet")
        assert "2005-2009, 2046-2048" in problem.reason

    def test_all_problems_at_once(self, write_book):
        cf = _base_flows().astype({"bedrag": object})
        cf.loc[0, "bedrag"] = "x"
        cf.loc[1, "categorie"] = "y"
        sheets = _sheets(kasstromen=cf, drempels=thresholds(onbekend=1),
                         projecten=pd.DataFrame([project("A"), project("A", status="z")]))
        problems = _problems(write_book, sheets)
        where = {(p.sheet, p.row, p.column) for p in problems}
        assert {("kasstromen", 2, "bedrag"), ("kasstromen", 3, "categorie"), ("drempels", 2, "parameter"),
                ("projecten", 3, "project_code"), ("projecten", 3, "status")} <= where

    def test_message_names_file_sheet_row_column(self, write_book):
        cf = _base_flows().astype({"bedrag": object})
        cf.loc[0, "bedrag"] = "veel"
        with pytest.raises(WorkbookError) as info:
            read_workbook(write_book(_sheets(kasstromen=cf), "portefeuille.xlsx"))
        assert info.value.messages() == [
            "bestand 'portefeuille.xlsx', blad 'kasstromen', rij 2, kolom 'bedrag': 'veel' is geen geldig bedrag"]

    def test_not_an_excel_file(self, tmp_path):
        path = tmp_path / "nep.xlsx"
        path.write_bytes(b"MZ\x90\x00 this is not a workbook")
        with pytest.raises(WorkbookError) as info:
            read_workbook(path)
        assert "geen echt .xlsx-bestand" in info.value.problems[0].reason

    def test_bad_yes_no_and_risk_values(self, write_book):
        sheets = _sheets(
            projecten=pd.DataFrame([project("A", bestemming_zeker="misschien"), project("B")]),
            risicos=pd.DataFrame([{"project_code": "A", "risico": "r", "soort": "kosten_pct", "kans_pct": 120,
                                   "min": 5, "waarschijnlijk": 1, "max": 10}]))
        problems = _problems(write_book, sheets)
        _only(problems, sheet="projecten", row=2, column="bestemming_zeker")
        _only(problems, sheet="risicos", row=2, column="kans_pct")
        _only(problems, sheet="risicos", row=2, column="waarschijnlijk")


def test_negative_market_value_is_accepted(write_book):
    # A site that can only be handed over with its remediation duty has a negative value as it is.
    p = read_workbook(write_book(_sheets(projecten=pd.DataFrame([project("A", marktwaarde_huidige_staat=-250_000),
                                                                   project("B")]))))
    assert p.projects.loc[0, "marktwaarde_huidige_staat"] == -250_000


def test_absurd_dimension_is_refused_before_the_excel_reader(write_book, tmp_path):
    # A sheet claiming cell XFD1048576 made the Excel reader try to allocate 512 GiB and abort the
    # whole process; the upload check must refuse it first, as a WorkbookError.
    import zipfile

    good = write_book(_sheets())
    bad = tmp_path / "groot.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b'<sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', 1)
                data = data.replace(b'<dimension ref="', b'<dimension ref="A1:XFD1048576" old="', 1)
            dst.writestr(item, data)
    with pytest.raises(WorkbookError) as info:
        read_workbook(bad)
    assert info.value.problems and info.value.file == "groot.xlsx"
