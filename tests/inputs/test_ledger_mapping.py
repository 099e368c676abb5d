"""igemo_fin.inputs.ledger_mapping: preview, hand-made column mappings and header signatures."""

from __future__ import annotations

import datetime as dt

import pytest

from igemo_fin.errors import LedgerError
from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.inputs.ledger_mapping import ColumnMapping, header_signature, preview_ledger
from ledger_files import csv_bytes, xlsx_bytes

# A header no recognition understands: the user maps it by hand.
ODD = ["Wanneer", "Waar", "Wie", "Hoeveel", "Uit", "In"]


class TestColumnMapping:
    def test_json_round_trip(self):
        mapping = ColumnMapping("Datum", "Rek", project="Proj", debit="D", credit="C", decimal_mark=".",
                                header_row=3)
        assert ColumnMapping.from_json(mapping.as_json()) == mapping

    def test_from_json_ignores_unknown_keys(self):
        text = '{"date": "D", "account": "R", "amount": "B", "colour": "blue"}'
        assert ColumnMapping.from_json(text) == ColumnMapping("D", "R", amount="B")

    @pytest.mark.parametrize("kwargs", [{}, {"debit": "D"}, {"amount": "B", "decimal_mark": ";"},
                                        {"amount": "B", "header_row": 0}])
    def test_incomplete_mappings_are_refused(self, kwargs):
        with pytest.raises(ValueError):
            ColumnMapping("Datum", "Rek", **kwargs)


class TestHeaderSignature:
    def test_normalised_order_kept_blanks_dropped(self):
        assert header_signature(["  Boekdatum", None, "Rekening ", "", "Bedrag (EUR)"]) == \
            "boekdatum|rekening|bedrag eur"

    def test_case_and_accents_do_not_matter_order_does(self):
        assert header_signature(["Libellé", "Débit"]) == header_signature(["LIBELLE", "debit"])
        assert header_signature(["a", "b"]) != header_signature(["b", "a"])


class TestMappedRead:
    def test_signed_amount_by_hand(self):
        data = csv_bytes([["Export"], ["Wanneer", "Waar", "Wie", "Hoeveel"],
                          ["05/01/2024", "605000", "P1", "1.000,50"], ["06/01/2024", "700000", "P1", "-20,00"]])
        with pytest.raises(LedgerError):  # not recognised on its own
            read_ledger(data, filename="x.csv")
        mapping = ColumnMapping(date="Wanneer", account="Waar", project="Wie", amount="Hoeveel")
        read = read_ledger(data, filename="x.csv", mapping=mapping)
        assert read.lines["amount_cents"].tolist() == [-100050, 2000]
        assert read.header_row == 2
        assert read.columns == {"date": "Wanneer", "account": "Waar", "project": "Wie", "amount": "Hoeveel"}
        assert read.header_signature == "wanneer|waar|wie|hoeveel"

    def test_debit_credit_with_decimal_point(self):
        data = csv_bytes([ODD, ["2024-01-05", "605000", "P1", "", "1000.5", ""],
                          ["2024-01-06", "700000", "P1", "", "", "1,234.25"]], delimiter=",")
        mapping = ColumnMapping(date="Wanneer", account="Waar", project="Wie", debit="Uit", credit="In",
                                decimal_mark=".")
        read = read_ledger(data, filename="x.csv", mapping=mapping)
        assert read.lines["amount_cents"].tolist() == [-100050, 123425]

    def test_decimal_mark_decides_ambiguous_text(self):
        # "1.250" is one thousand two hundred fifty in Belgium, one and a quarter with a decimal point
        data = csv_bytes([["Wanneer", "Waar", "Wie", "Hoeveel"], ["05/01/2024", "605000", "P1", "1.250"]])
        comma = ColumnMapping("Wanneer", "Waar", project="Wie", amount="Hoeveel")
        point = ColumnMapping("Wanneer", "Waar", project="Wie", amount="Hoeveel", decimal_mark=".")
        assert read_ledger(data, filename="x.csv", mapping=comma).lines["amount_cents"].tolist() == [-125000]
        assert read_ledger(data, filename="x.csv", mapping=point).lines["amount_cents"].tolist() == [-125]

    def test_header_row_given(self):
        rows = [["Wanneer", "Waar", "Hoeveel"], ["Wanneer", "Waar", "Hoeveel"], ["05/01/2024", "605000", "7"]]
        mapping = ColumnMapping("Wanneer", "Waar", amount="Hoeveel", header_row=2)
        read = read_ledger(csv_bytes(rows), filename="x.csv", mapping=mapping)
        assert read.header_row == 2 and read.lines["row"].tolist() == [3]
        assert read.skipped["code"].tolist() == ["geen_project"]  # no project mapped: listed, not dropped

    def test_mapped_column_missing_is_named(self):
        data = csv_bytes([["Wanneer", "Waar", "Hoeveel"], ["05/01/2024", "605000", "7"]])
        mapping = ColumnMapping("Wanneer", "Rekening", amount="Hoeveel", header_row=1)
        with pytest.raises(LedgerError) as info:
            read_ledger(data, filename="x.csv", mapping=mapping)
        (problem,) = info.value.problems
        assert problem.row == 1 and "'Rekening'" in problem.reason and "'Wanneer'" not in problem.reason
        assert "kies de kolommen opnieuw" in problem.reason

    def test_mapping_on_a_named_sheet(self):
        ledger = [["Wanneer", "Waar", "Wie", "Hoeveel"], [dt.date(2024, 1, 5), 605000, "P1", 12.5]]
        data = xlsx_bytes(ledger, sheet="Boekingen", extra_sheets={"Info": [["Wanneer", "Waar", "Wie", "Hoeveel"]]},
                          first="Info")
        mapping = ColumnMapping("Wanneer", "Waar", project="Wie", amount="Hoeveel")
        read = read_ledger(data, filename="x.xlsx", mapping=mapping, sheet="Boekingen")
        assert read.sheet == "Boekingen" and read.lines["amount_cents"].tolist() == [-1250]


class TestPreview:
    def test_recognised_export(self):
        data = xlsx_bytes([["Grootboekkaart"], [], ["Datum transactie", "Code grootboekrekening", "Code project",
                                                     "Bedrag (EUR)"], ["05/01/2024", 605000, "P1", 10]])
        preview = preview_ledger(data, filename="g.xlsx")
        assert preview.sheet_names == ("Grootboek",) and preview.sheet == "Grootboek"
        assert preview.header_row == 3
        assert preview.recognised == {"date": "Datum transactie", "account": "Code grootboekrekening",
                                      "project": "Code project", "amount": "Bedrag (EUR)"}
        assert preview.problems == ()
        assert preview.signature == header_signature(preview.header)
        assert preview.first_rows.shape == (4, 4) and list(preview.first_rows.columns) == ["A", "B", "C", "D"]
        assert preview.first_rows.iloc[3].tolist() == ["05/01/2024", "605000", "P1", "10"]

    def test_unrecognised_export_shows_the_best_row(self):
        data = csv_bytes([ODD, ["05/01/2024", "605000", "P1", "", "1,00", ""]])
        preview = preview_ledger(data, filename="g.csv")
        assert preview.sheet_names == ("tekst",) and preview.sheet is None
        assert preview.header_row is None and preview.header == tuple(ODD)
        assert preview.recognised == {}
        (problem,) = preview.problems
        assert problem.startswith("geen kopregel gevonden") and "kies de kolommen zelf" in problem

    def test_two_candidates_are_both_named(self):
        data = csv_bytes([["Datum", "Rekening", "Grootboekrekening", "Project", "Bedrag"],
                          ["05/01/2024", "605000", "605000", "P1", "1,00"]])
        preview = preview_ledger(data, filename="g.csv")
        assert "account" not in preview.recognised and preview.header_row == 1
        (problem,) = preview.problems
        assert "'Rekening' en 'Grootboekrekening'" in problem
        with pytest.raises(LedgerError) as info:
            read_ledger(data, filename="g.csv")
        (refusal,) = info.value.problems
        assert (refusal.row, refusal.column) == (1, "Rekening, Grootboekrekening")

    def test_missing_project_is_a_problem(self):
        preview = preview_ledger(csv_bytes([["Datum", "Rekening", "Bedrag"], ["05/01/2024", "6", "1"]]),
                                 filename="g.csv")
        assert preview.header_row == 1 and preview.problems[0].startswith("kopregel gevonden, maar")

    def test_unknown_sheet_is_refused_with_the_choices(self):
        data = xlsx_bytes([["Datum"]], extra_sheets={"Info": [["x"]]})
        with pytest.raises(LedgerError) as info:
            preview_ledger(data, filename="g.xlsx", sheet="Blad9")
        assert "'Grootboek', 'Info'" in info.value.problems[0].reason
