"""igemo_fin.inputs.ledger: ledger exports read to the cent, every bad line named, nothing dropped silently."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import pytest

from igemo_fin.errors import FileRefused, LedgerError
from igemo_fin.inputs.ledger import LINE_COLUMNS, SKIPPED_COLUMNS, actuals_by_year, read_ledger
from ledger_files import csv_bytes, write, xlsx_bytes

HEADER = ["Boekdatum", "Rekening", "Omschrijving", "Projectcode", "Bedrag"]
FIX = "; verbeter dit in het boekhoudpakket en exporteer opnieuw"
TOTAL_FIX = "; exporteer opnieuw zonder filter of verwijder de totaalregel"
AMOUNT_HINT = " (verwacht bv. 1.234,56 of -1.234,56)"


def csv_ledger(*lines, header=HEADER, delimiter=";", encoding="utf-8", titles=()) -> bytes:
    return csv_bytes([*titles, header, *lines], delimiter=delimiter, encoding=encoding)


def problems_of(info) -> list[tuple]:
    return [(p.sheet, p.row, p.column, p.reason) for p in info.value.problems]


class TestAmounts:
    def test_belgian_text_formats(self):
        # a single signed column is debit - credit: engine amount = -(file amount)
        data = csv_ledger(
            ["01/02/2024", "604000", "a", "P1", "1.234,56"],           # -123456
            ["01/02/2024", "604000", "b", "P1", "-1.234,56"],          # +123456
            ["01/02/2024", "604000", "c", "P1", "1 234,56"],           # -123456
            ["01/02/2024", "604000", "d", "P1", "€ 1.234,56"],         # -123456
            ["01/02/2024", "604000", "e", "P1", "1\u00a0234,56"],      # non-breaking space: -123456
            ["01/02/2024", "604000", "f", "P1", "€\u00a0-12.345.678,9"],  # +1234567890
            ["01/02/2024", "604000", "g", "P1", "1.234,56-"],          # trailing minus: +123456
            ["01/02/2024", "604000", "h", "P1", "(50,00)"],            # parentheses: +5000
            ["01/02/2024", "604000", "i", "P1", "24,785"],             # half up: 2478.5 -> -2479
            ["01/02/2024", "604000", "j", "P1", "-0,005"],             # half up, away from zero: +1
            ["01/02/2024", "604000", "k", "P1", "1.000"],              # Belgian thousands: -100000
            ["01/02/2024", "604000", "l", "P1", "0"],
        )
        read = read_ledger(data, filename="g.csv")
        assert read.lines["amount_cents"].tolist() == [
            -123456, 123456, -123456, -123456, -123456, 1234567890, 123456, 5000, -2479, 1, -100000, 0,
        ]
        assert str(read.lines["amount_cents"].dtype) == "int64"

    def test_numbers_in_xlsx(self):
        rows = [HEADER,
                [dt.date(2024, 1, 2), 604000, "a", "P1", 1234.56],   # -123456
                [dt.date(2024, 1, 2), 604000, "b", "P1", 2.675],     # shown as 2,675: half up -268
                [dt.date(2024, 1, 2), 604000, "c", "P1", 100],       # -10000
                [dt.date(2024, 1, 2), 700000, "d", "P1", -0.1 - 0.2]]  # 0.30000000000000004: +30
        read = read_ledger(xlsx_bytes(rows), filename="g.xlsx")
        assert read.lines["amount_cents"].tolist() == [-123456, -268, -10000, 30]

    def test_dot_decimals_in_a_comma_separated_file(self):
        data = csv_ledger(["01/02/2024", "604000", "a", "P1", "1234.5"],
                          ["01/02/2024", "604000", "b", "P1", "1,234.56"],
                          ["01/02/2024", "604000", "c", "P1", "7"], delimiter=",")
        assert read_ledger(data, filename="g.csv").lines["amount_cents"].tolist() == [-123450, -123456, -700]

    def test_debit_credit_equals_signed(self):
        lines = [("05/01/2024", "605000", "grond", "P1", "1.000,00", ""),
                 ("06/01/2024", "700000", "perceel", "P1", "", "2.500,50"),
                 ("07/01/2024", "604000", "correctie", "P1", "-10,00", "")]
        dc = csv_ledger(*[list(x) for x in lines],
                        header=["Datum", "Rekening", "Omschrijving", "Project", "Debet", "Credit"])
        # signed column: debit - credit, so 1.000,00 / -2.500,50 / -10,00
        signed = csv_ledger(*[[d, a, o, p, "-" + c if c else deb] for d, a, o, p, deb, c in lines],
                            header=["Datum", "Rekening", "Omschrijving", "Project", "Saldo"])
        a, b = read_ledger(dc, filename="dc.csv"), read_ledger(signed, filename="s.csv")
        assert a.lines["amount_cents"].tolist() == [-100000, 250050, 1000]
        assert a.lines["amount_cents"].tolist() == b.lines["amount_cents"].tolist()
        assert a.lines["fingerprint"].tolist() == b.lines["fingerprint"].tolist()

    def test_both_debit_and_credit_on_one_line(self):
        data = csv_ledger(["05/01/2024", "604000", "x", "P1", "100,00", "30,00"],
                          header=["Datum", "Rekening", "Omschrijving", "Project", "Debet", "Credit"])
        assert read_ledger(data, filename="g.csv").lines["amount_cents"].tolist() == [-7000]


class TestDates:
    def test_every_format(self):
        rows = [HEADER,
                [dt.date(2024, 3, 1), 604000, "date", "P1", 1],
                [dt.datetime(2024, 3, 2, 14, 30), 604000, "datetime", "P1", 1],
                [45292, 604000, "serial number", "P1", 1],           # 45292 = 01/01/2024
                ["45293", 604000, "serial as text", "P1", 1],        # 02/01/2024
                ["31/12/2023", 604000, "dd/mm/yyyy", "P1", 1],
                ["5/1/2024", 604000, "d/m/yyyy", "P1", 1],
                ["30-06-2022", 604000, "dd-mm-yyyy", "P1", 1],
                ["2021-07-15", 604000, "yyyy-mm-dd", "P1", 1],
                ["15.08.2020", 604000, "dd.mm.yyyy", "P1", 1],
                ["2019-01-31 00:00:00", 604000, "with time", "P1", 1],
                [20180228, 604000, "yyyymmdd", "P1", 1]]
        read = read_ledger(xlsx_bytes(rows, number_formats={0: "dd/mm/yyyy"}), filename="d.xlsx")
        got = read.lines["date"].dt.strftime("%d/%m/%Y").tolist()
        assert got == ["01/03/2024", "02/03/2024", "01/01/2024", "02/01/2024", "31/12/2023", "05/01/2024",
                       "30/06/2022", "15/07/2021", "15/08/2020", "31/01/2019", "28/02/2018"]
        assert read.lines["year"].tolist() == [2024, 2024, 2024, 2024, 2023, 2024, 2022, 2021, 2020, 2019, 2018]
        assert str(read.lines["date"].dtype).startswith("datetime64")


class TestLayout:
    def test_title_rows_and_excel_rows(self):
        rows = [["Grootboekkaart IGEMO"], ["Periode: 2024"], [], HEADER,
                ["01/02/2024", 604000, "a", "P1", 10], [], ["02/02/2024", 700000, "b", "P1", -20]]
        read = read_ledger(xlsx_bytes(rows), filename="g.xlsx")
        assert read.header_row == 4 and read.sheet == "Grootboek"
        assert read.lines["row"].tolist() == [5, 7]  # the blank row 6 is skipped, numbering kept
        assert read.rows_read == 2

    def test_header_names_case_and_accents(self):
        header = ["BOEKDATUM", "Algemene rekening", "Analytische code", "Débit", "Crédit", "Dagboek",
                  "Stuknummer", "Tekst", "Iets anders"]
        data = csv_ledger(["01/02/2024", "604000", "P1", "12,00", "", "AANK", "F-1", "x", "?"], header=header)
        read = read_ledger(data, filename="g.csv")
        assert read.columns == {"date": "BOEKDATUM", "account": "Algemene rekening", "project": "Analytische code",
                                "debit": "Débit", "credit": "Crédit", "journal": "Dagboek",
                                "document": "Stuknummer", "description": "Tekst"}
        line = read.lines.iloc[0]
        assert (line["journal"], line["document"], line["description"]) == ("AANK", "F-1", "x")

    @pytest.mark.parametrize("header", [
        ["Date", "Account", "Analytic", "Amount", "Description", "Journal", "Document"],
        ["Documentdatum", "Grootboekrekening", "Kostenplaats", "Bedrag (EUR)", "Omschrijving", "Journal",
         "Factuurnummer"],
        ["Date", "Compte", "Code analytique", "Montant", "Libellé", "Journal", "Pièce"],
    ])
    def test_other_vocabularies(self, header):
        data = csv_ledger(["01/02/2024", "604000", "P1", "12,00", "x", "J", "D1"], header=header)
        line = read_ledger(data, filename="g.csv").lines.iloc[0]
        assert (line["account"], line["project_code"], line["amount_cents"], line["document"]) == \
            ("604000", "P1", -1200, "D1")

    def test_windows_1252_semicolon_csv(self):
        data = csv_ledger(["03/04/2023", "613000", "Erelonen notaris – café", "P2", "€ 1.234,56"],
                          titles=[["Export boekhouding – IGEMO"]], encoding="cp1252")
        assert b"\x96" in data and b"\x80" in data  # en dash and euro sign as Windows-1252 bytes
        read = read_ledger(data, filename="export.csv")
        line = read.lines.iloc[0]
        assert line["description"] == "Erelonen notaris – café"
        assert (line["amount_cents"], line["category"], line["row"]) == (-123456, "studies", 3)

    def test_excel_sep_hint(self):
        data = b"sep=,\r\n" + csv_ledger(["01/02/2024", "604000", "x", "P1", "12.50"], delimiter=",")
        read = read_ledger(data, filename="g.csv")
        assert read.lines["amount_cents"].tolist() == [-1250]
        # Excel hides the sep= line, so the header is its row 1 and the line row 2
        assert (read.header_row, read.lines["row"].tolist()) == (1, [2])

    def test_ledger_on_a_later_sheet(self):
        data = xlsx_bytes([HEADER, ["01/02/2024", 604000, "x", "P1", 5]],
                          extra_sheets={"Info": [["Export van 01/03/2024"]]}, first="Info")
        read = read_ledger(data, filename="g.xlsx")
        assert read.sheet == "Grootboek" and read.lines["amount_cents"].tolist() == [-500]

    def test_account_codes_stay_text(self):
        data = xlsx_bytes([HEADER, ["01/02/2024", 604000.0, "x", 1001, 5],
                           ["01/02/2024", "0604", "y", "P1", 5]])
        read = read_ledger(data, filename="g.xlsx")
        assert read.lines["account"].tolist() == ["604000", "0604"]
        assert read.lines["project_code"].tolist()[0] == "1001"
        # "0604" starts with 0: no category, listed as skipped
        assert read.skipped["code"].tolist() == ["geen_categorie"]

    def test_path_and_bytes_give_the_same(self, tmp_path):
        data = xlsx_bytes([HEADER, ["01/02/2024", 604000, "x", "P1", 5]])
        path = write(tmp_path / "grootboek.xlsx", data)
        a, b = read_ledger(path), read_ledger(data)
        pd.testing.assert_frame_equal(a.lines, b.lines)

    def test_empty_export_has_no_lines(self):
        read = read_ledger(csv_ledger(), filename="g.csv")
        assert list(read.lines.columns) == list(LINE_COLUMNS) and read.lines.empty
        assert list(read.skipped.columns) == list(SKIPPED_COLUMNS) and read.rows_read == 0


class TestTotals:
    def test_totals_row_checks_out(self):
        data = csv_ledger(["05/01/2024", "605000", "grond", "P1", "1.000,00"],
                          ["06/01/2024", "700000", "perceel", "P1", "-2.500,50"],
                          ["", "", "Totaal", "", "-1.500,50"])
        read = read_ledger(data, filename="g.csv")
        # file: 1.000,00 - 2.500,50 = -1.500,50 (debit - credit); engine: +150050
        assert read.file_total_cents == 150050 == int(read.lines["amount_cents"].sum())
        assert read.rows_read == 2 and read.skipped.empty

    def test_totals_row_mismatch_is_refused(self):
        data = csv_ledger(["05/01/2024", "605000", "grond", "P1", "1.000,00"],
                          ["06/01/2024", "700000", "perceel", "P1", "-2.500,50"],
                          ["", "", "Eindtotaal", "", "-1.500,00"])
        with pytest.raises(LedgerError) as info:
            read_ledger(data, filename="g.csv")
        assert problems_of(info) == [(None, 4, "Bedrag (E)",
                                      "de totaalregel geeft € -1.500,00, maar het saldo van de regels telt op "
                                      "tot € -1.500,50 (verschil € 0,50)" + TOTAL_FIX)]

    def test_debit_credit_totals_with_label_in_the_date_column(self):
        header = ["Boekdatum", "Rekening", "Projectcode", "Debet", "Credit"]
        rows = [["Grootboek"], header,
                [dt.date(2024, 1, 5), 605000, "P1", 1000.10, None],
                [dt.date(2024, 1, 6), 700000, "P1", None, 300.05],
                [dt.date(2024, 1, 7), 604000, "P1", 0.20, None],
                ["Totaal", None, None, 1000.30, 300.05]]
        read = read_ledger(xlsx_bytes(rows), filename="g.xlsx")
        # credit - debit = 300.05 - 1000.30 = -700.25
        assert read.file_total_cents == -70025
        bad = [r if r[0] != "Totaal" else ["Totaal", None, None, 1000.30, 300.50] for r in rows]
        with pytest.raises(LedgerError) as info:
            read_ledger(xlsx_bytes(bad), filename="g.xlsx")
        assert problems_of(info) == [("Grootboek", 6, "Credit (E)",
                                      "de totaalregel geeft € 300,50, maar het credit van de regels telt op "
                                      "tot € 300,05 (verschil € 0,45)" + TOTAL_FIX)]

    def test_totals_label_in_the_account_column(self):
        data = csv_ledger(["05/01/2024", "605000", "grond", "P1", "10,00"],
                          ["06/01/2024", "700000", "perceel", "P1", "-4,00"],
                          ["", "TOTAAL", "", "", "6,00"], ["", "", "", "", ""],
                          ["", "", "Afgedrukt op 01/03/2024", "", ""])
        read = read_ledger(data, filename="g.csv")
        assert read.file_total_cents == -600 and len(read.lines) == 2
        # the footer after the totals row is listed, not a booking
        assert read.skipped[["row", "code"]].values.tolist() == [[6, "geen_boeking"]]

    def test_no_totals_row(self):
        read = read_ledger(csv_ledger(["05/01/2024", "605000", "grond", "P1", "1,00"]), filename="g.csv")
        assert read.file_total_cents is None

    def test_subtotal_in_the_middle_is_listed_not_counted(self):
        data = csv_ledger(["05/01/2024", "605000", "grond", "P1", "10,00"],
                          ["", "", "Subtotaal 605000", "", "10,00"],
                          ["06/01/2024", "700000", "perceel", "P1", "-4,00"],
                          ["", "", "Totaal", "", "6,00"])
        read = read_ledger(data, filename="g.csv")
        assert read.lines["amount_cents"].tolist() == [-1000, 400]
        assert read.file_total_cents == -600
        assert read.skipped[["row", "code", "amount_cents"]].values.tolist() == [[3, "tussentotaal", 0]]
        assert read.skipped["reason"][0] == "tussentotaal (€ -10,00): geen boeking, niet meegeteld"
        assert read.rows_read == 3 == len(read.actual_lines) + len(read.skipped)


class TestRefusals:
    def test_every_problem_with_row_and_column(self):
        data = csv_ledger(
            ["05/01/2024", "605000", "ok", "P1", "1,00"],          # row 2: fine
            ["05/01/2024", "605000", "bad amount", "P1", "abc"],   # row 3
            ["", "605000", "no date", "P1", "1,00"],               # row 4
            ["31/02/2024", "605000", "no such day", "P1", "1,00"],  # row 5
            ["05/01/2024", "", "no account", "P1", "1,00"],        # row 6
            ["05/01/2024", "605000", "no amount", "P1", ""],       # row 7
            ["01/01/2204", "605000", "typo in year", "P1", "1,00"],  # row 8
            ["13/13/13", "", "two problems", "P1", "1,2,3"],        # row 9
        )
        with pytest.raises(LedgerError) as info:
            read_ledger(data, filename="fout.csv")
        assert problems_of(info) == [
            (None, 3, "Bedrag (E)", "'abc' is geen leesbaar bedrag" + AMOUNT_HINT),
            (None, 4, "Boekdatum (A)", "datum ontbreekt" + FIX),
            (None, 5, "Boekdatum (A)", "'31/02/2024' is geen geldige datum (verwacht dd/mm/jjjj, dd-mm-jjjj, "
                                       "jjjj-mm-dd of een Excel-datum)"),
            (None, 6, "Rekening (B)", "rekening ontbreekt" + FIX),
            (None, 7, "Bedrag (E)", "bedrag ontbreekt" + FIX),
            (None, 8, "Boekdatum (A)", "datum '01/01/2204' ligt buiten 1900-2100" + FIX),
            (None, 9, "Boekdatum (A)", "'13/13/13' is geen geldige datum (verwacht dd/mm/jjjj, dd-mm-jjjj, "
                                       "jjjj-mm-dd of een Excel-datum)"),
            (None, 9, "Rekening (B)", "rekening ontbreekt" + FIX),
            (None, 9, "Bedrag (E)", "'1,2,3' is geen leesbaar bedrag" + AMOUNT_HINT),
        ]
        assert "fout.csv" in str(info.value) and "rij 3, kolom 'Bedrag (E)'" in str(info.value)

    def test_xlsx_problems_name_the_sheet(self):
        rows = [["Titel"], HEADER, [dt.date(2024, 1, 5), 605000, "x", "P1", "twaalf"],
                [dt.date(2024, 1, 5), 605000, "y", "P1", True]]
        with pytest.raises(LedgerError) as info:
            read_ledger(xlsx_bytes(rows), filename="g.xlsx")
        assert problems_of(info) == [("Grootboek", 3, "Bedrag (E)", "'twaalf' is geen leesbaar bedrag" + AMOUNT_HINT),
                                     ("Grootboek", 4, "Bedrag (E)", "'True' is geen leesbaar bedrag" + AMOUNT_HINT)]

    def test_debit_and_credit_both_empty(self):
        data = csv_ledger(["05/01/2024", "604000", "x", "P1", "", ""],
                          header=["Datum", "Rekening", "Omschrijving", "Project", "Debet", "Credit"])
        with pytest.raises(LedgerError) as info:
            read_ledger(data, filename="g.csv")
        assert problems_of(info) == [
            (None, 2, "Debet (E)", "bedrag ontbreekt: debet en credit zijn allebei leeg" + FIX)]

    def test_all_bad_lines_are_listed(self):
        data = csv_ledger(*[["05/01/2024", "604000", "x", "P1", f"fout{i}"] for i in range(500)])
        with pytest.raises(LedgerError) as info:
            read_ledger(data, filename="g.csv")
        assert len(info.value.problems) == 500
        assert [p.row for p in info.value.problems] == list(range(2, 502))

    def test_no_header(self):
        data = csv_bytes([["Naam", "Waarde"], ["a", "1"]])
        with pytest.raises(LedgerError) as info:
            read_ledger(data, filename="g.csv")
        (problem,) = info.value.problems
        assert problem.reason.startswith("geen kopregel gevonden in de eerste 50 rijen: kolommen voor datum")

    def test_missing_project_column(self):
        data = csv_bytes([["Datum", "Rekening", "Bedrag"], ["05/01/2024", "604000", "1,00"]])
        with pytest.raises(LedgerError) as info:
            read_ledger(data, filename="g.csv")
        assert problems_of(info) == [(None, 1, None, "kopregel gevonden, maar kolom(men) ontbreken: project "
                                      "(projectcode, analytische code, kostenplaats, code analytique); voeg ze "
                                      "toe aan de export, of kies de kolommen zelf bij het importeren (kolomkeuze)")]

    def test_hostile_bytes_refused_before_parsing(self):
        with pytest.raises(FileRefused):
            read_ledger(b"MZ\x90\x00" + b"\x00" * 100, filename="grootboek.xlsx")

    def test_large_path_refused_without_reading(self, tmp_path):
        path = tmp_path / "groot.csv"
        with open(path, "wb") as handle:
            handle.truncate(21 * 1024 * 1024)
        with pytest.raises(FileRefused) as info:
            read_ledger(path)
        assert "te groot: 21,0 MB" in info.value.problems[0].reason


class TestSkipped:
    def test_listed_counted_and_summed(self):
        data = csv_ledger(
            ["05/01/2024", "605000", "grond", "P1", "1.000,00"],     # row 2: actual, -100000
            ["05/01/2024", "650000", "rente", "P1", "40,00"],        # row 3: negeren, -4000
            ["05/01/2024", "550000", "bank", "", "-960,00"],         # row 4: negeren (before no project), +96000
            ["05/01/2024", "900000", "klasse 9", "P1", "5,00"],      # row 5: geen categorie, -500
            ["05/01/2024", "604000", "zonder project", "", "7,00"],  # row 6: geen project, -700
            ["05/01/2024", "604000", "vreemd", "P9", "11,00"],       # row 7: onbekend project, -1100
            ["05/01/2024", "700000", "verkoop", "p1", "-50,00"],     # row 8: actual (P1 any case), +5000
            ["", "", "opmerking: voorlopig", "", ""],                # row 9: text row, no booking
        )
        read = read_ledger(data, filename="g.csv", known_projects=["P1", "P2"])
        assert read.skipped["row"].tolist() == [3, 4, 5, 6, 7, 9]
        assert read.skipped["code"].tolist() == ["negeren", "negeren", "geen_categorie", "geen_project",
                                                 "onbekend_project", "geen_boeking"]
        assert read.skipped["amount_cents"].tolist() == [-4000, 96000, -500, -700, -1100, 0]
        assert int(read.skipped["amount_cents"].sum()) == 89700  # -4000 + 96000 - 500 - 700 - 1100
        assert read.skipped["reason"].tolist() == [
            "rekening 650000 valt onder 'negeren': geen projectkost of -opbrengst",
            "rekening 550000 valt onder 'negeren': geen projectkost of -opbrengst",
            "rekening 900000 hoort bij geen categorie: voeg een prefix toe op het blad 'rekeningen'",
            "geen projectcode",
            "onbekende projectcode 'P9'",
            "regel zonder datum, rekening of bedrag: geen boeking",
        ]
        assert read.actual_lines["row"].tolist() == [2, 8]
        assert read.actual_lines["project_code"].tolist() == ["P1", "P1"]  # the portfolio's spelling
        assert read.actual_lines["amount_cents"].tolist() == [-100000, 5000]
        assert len(read.lines) == 7 and read.rows_read == 8 == len(read.actual_lines) + len(read.skipped)
        # the lines add up: actual + skipped bookings = every line
        assert int(read.lines["amount_cents"].sum()) == -100000 + 5000 + 89700

    def test_without_known_projects_every_code_counts(self):
        data = csv_ledger(["05/01/2024", "604000", "x", "P9", "11,00"])
        assert read_ledger(data, filename="g.csv").actual_lines["project_code"].tolist() == ["P9"]

    def test_rekeningen_override_applies(self):
        data = csv_ledger(["05/01/2024", "650000", "rente", "P1", "40,00"],
                          ["05/01/2024", "604100", "werken", "P1", "60,00"])
        own = pd.DataFrame({"rekening_prefix": ["650", "6041"], "categorie": ["overige_kosten", "infrastructuur"]})
        read = read_ledger(data, filename="g.csv", rekeningen=own)
        assert read.lines["category"].tolist() == ["overige_kosten", "infrastructuur"]
        assert read.skipped.empty


class TestFingerprints:
    def test_identical_bookings_both_count(self):
        line = ["05/01/2024", "604000", "koffie", "P1", "3,50"]
        read = read_ledger(csv_ledger(line, line, ["05/01/2024", "604000", "thee", "P1", "3,50"]),
                           filename="g.csv")
        fp = read.lines["fingerprint"].tolist()
        assert fp[0] == fp[1] != fp[2]
        assert read.lines["occurrence"].tolist() == [1, 2, 1]

    def test_fingerprint_is_sha256_of_the_documented_fields(self):
        data = csv_ledger(["05/01/2024", "604000", "koffie", "P1", "3,50"],
                          header=["Datum", "Rekening", "Omschrijving", "Project", "Bedrag"])
        line = read_ledger(data, filename="g.csv").lines.iloc[0]
        # date | account | project | amount (cents, inflow +) | description | document, joined by U+001F
        expected = hashlib.sha256("\x1f".join(["2024-01-05", "604000", "P1", "-350", "koffie", ""]).encode())
        assert line["fingerprint"] == expected.hexdigest()

    def test_same_booking_same_fingerprint_across_formats(self):
        csv_read = read_ledger(csv_ledger(["05/01/2024", "604000", "koffie", "P1", "3,50"]), filename="g.csv")
        xlsx_read = read_ledger(xlsx_bytes([HEADER, [dt.date(2024, 1, 5), 604000, "koffie ", "P1", 3.5]]),
                                filename="g.xlsx")
        assert csv_read.lines["fingerprint"][0] == xlsx_read.lines["fingerprint"][0]


def test_actuals_by_year():
    data = csv_ledger(
        ["05/01/2023", "605000", "a", "P1", "1.000,00"],   # P1 2023 verwerving -1000.00
        ["06/03/2023", "605100", "b", "P1", "0,01"],       # P1 2023 verwerving    -0.01
        ["07/01/2024", "700000", "c", "P1", "-2.000,00"],  # P1 2024 verkoop     +2000.00
        ["07/01/2024", "740000", "d", "P2", "-10,10"],     # P2 2024 subsidies     +10.10
        ["07/01/2024", "650000", "e", "P2", "5,00"],       # negeren: not in the actuals
    )
    frame = actuals_by_year(read_ledger(data, filename="g.csv").actual_lines)
    assert frame.to_dict("records") == [
        {"project_code": "P1", "jaar": 2023, "categorie": "verwerving", "bedrag": -1000.01},
        {"project_code": "P1", "jaar": 2024, "categorie": "verkoop", "bedrag": 2000.0},
        {"project_code": "P2", "jaar": 2024, "categorie": "subsidies", "bedrag": 10.1},
    ]
    assert list(frame.columns) == ["project_code", "jaar", "categorie", "bedrag"]
