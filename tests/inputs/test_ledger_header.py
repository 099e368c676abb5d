"""igemo_fin.inputs.ledger_header: columns found from the words of their header, never guessed."""

from __future__ import annotations

import pytest

from igemo_fin.errors import LedgerError
from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.inputs.ledger_header import classify_header_cell, find_header, match_header
from ledger_files import csv_bytes

RECOGNISED = {
    "date": ["datum", "boekdatum", "documentdatum", "date", "Datum transactie", "Transactiedatum",
             "Boekingsdatum", "Date comptable", "Posting Date", "Factuurdatum", "Document date"],
    "account": ["rekening", "grootboekrekening", "algemene rekening", "account", "Code grootboekrekening",
                "Grootboekrekening (code)", "Nr. rekening", "Rekeningnummer", "Compte", "Compte général",
                "Numéro de compte", "G/L Account No.", "Grootboekrekening: Code"],
    "amount": ["bedrag", "saldo", "amount", "Bedrag (EUR)", "Bedrag in euro", "Montant", "Solde", "Balance"],
    "debit": ["debet", "Debet bedrag", "Bedrag debet", "Debetbedrag", "Débit", "Debit Amount", "Debit (LC)"],
    "credit": ["credit", "Credit bedrag", "Bedrag credit", "Creditbedrag", "Crédit", "Credit Amount"],
    "project": ["project", "projectcode", "analytische code", "kostenplaats", "analytic", "Analytische rekening",
                "Kostenplaats code", "Code project", "Analytique", "Code analytique", "Compte analytique",
                "Projet", "Job No.", "Kostenplaats: Code", "Cost center"],
    "description": ["omschrijving", "description", "tekst", "Libellé", "Boekingsomschrijving", "Label"],
    "journal": ["dagboek", "journal", "Code journal", "Dagboekcode"],
    "document": ["document", "stuknummer", "boekstuk", "factuurnummer", "Boekstuknummer", "Document No.",
                 "N° pièce", "Pièce comptable", "Journal Entry"],
}

NOT_A_FIELD = ["Omschrijving grootboekrekening", "Naam rekening", "Omschrijving rekening", "Libellé compte",
               "G/L Account Name", "Projectomschrijving", "Naam project", "Dagboek: Omschrijving", "Tegenrekening",
               "Bal. Account No.", "Vervaldatum", "Due Date", "Bedrag VV", "Amount in Currency", "Btw-bedrag",
               "VAT Amount", "Cumulatief saldo", "Document Type", "Global Dimension 1 Code", "Entry No.",
               "Debet/Credit", "Debit (FC)", "Iets anders", "Periode", "Boekjaar"]

#: Every exact name the reader recognised before it went by words: none may be lost.
EXACT_NAMES_BEFORE = {
    "date": ("boekdatum", "boekingsdatum", "posting date", "booking date", "datum", "date", "date comptable",
             "documentdatum", "document date", "date document", "factuurdatum"),
    "account": ("grootboekrekening", "rekening", "algemene rekening", "rekeningnummer", "rekening nr",
                "grootboekrekeningnummer", "grootboek", "account", "gl account", "account number", "account code",
                "general ledger account", "compte", "compte general", "numero de compte"),
    "amount": ("bedrag", "amount", "montant", "saldo", "solde", "balance"),
    "debit": ("debet", "debit", "debetbedrag", "bedrag debet", "debet bedrag", "debit amount"),
    "credit": ("credit", "creditbedrag", "bedrag credit", "credit bedrag", "credit amount"),
    "project": ("projectcode", "project", "project code", "project nr", "projectnummer", "analytische code",
                "analytisch", "analytische rekening", "analytic", "analytic code", "analytic account",
                "kostenplaats", "kostenplaatscode", "cost center", "cost centre", "projet", "code analytique",
                "analytique"),
    "description": ("omschrijving", "description", "tekst", "text", "libelle", "boekingsomschrijving",
                    "commentaar", "memo"),
    "journal": ("dagboek", "journal", "dagboekcode", "journal code", "code journal"),
    "document": ("document", "stuknummer", "boekstuk", "boekstuknummer", "documentnummer", "factuurnummer",
                 "document number", "invoice number", "piece", "numero de piece", "n piece"),
}


@pytest.mark.parametrize("field, header", [(f, h) for f, names in EXACT_NAMES_BEFORE.items() for h in names])
def test_every_earlier_name_still_recognised(field, header):
    assert classify_header_cell(header)[0] == field


@pytest.mark.parametrize("field, header", [(f, h) for f, names in RECOGNISED.items() for h in names])
def test_recognised(field, header):
    assert classify_header_cell(header)[0] == field


@pytest.mark.parametrize("header", NOT_A_FIELD)
def test_not_a_field(header):
    assert classify_header_cell(header) is None


class TestDescriptionIsNeverTheAccount:
    def test_account_name_beside_the_account(self):
        header = ["Datum", "Omschrijving grootboekrekening", "Grootboekrekening", "Project", "Bedrag"]
        found = match_header(header)
        assert found.columns["account"] == 2 and found.ambiguous == {}
        assert "description" not in found.columns

    @pytest.mark.parametrize("name", ["Naam rekening", "Omschrijving rekening"])
    def test_name_of_the_account_before_it(self, name):
        data = csv_bytes([["Datum", name, "Rekening", "Omschrijving", "Project", "Bedrag"],
                          ["05/01/2024", "Aankoop gronden", "605000", "akte", "P1", "10,00"]])
        read = read_ledger(data, filename="g.csv")
        assert read.columns["account"] == "Rekening" and read.columns["description"] == "Omschrijving"
        assert read.lines["account"].tolist() == ["605000"]

    def test_only_an_account_name_is_no_header(self):
        data = csv_bytes([["Datum", "Omschrijving grootboekrekening", "Project", "Bedrag"],
                          ["05/01/2024", "Aankoop gronden", "P1", "10,00"]])
        with pytest.raises(LedgerError) as info:
            read_ledger(data, filename="g.csv")
        assert "kolommen voor rekening" in info.value.problems[0].reason


class TestAmbiguity:
    @pytest.mark.parametrize("header, first, second", [
        (["Datum", "Rekening", "Project", "Bedrag", "Grootboekrekening"], "Rekening", "Grootboekrekening"),
        (["Datum", "Rekening", "Project", "Bedrag", "Bedrag (EUR)"], "Bedrag", "Bedrag (EUR)"),
        (["Datum", "Rekening", "Project", "Bedrag", "Date"], "Datum", "Date"),
        (["Datum", "Rekening", "Projectcode", "Bedrag", "Code project"], "Projectcode", "Code project"),
    ])
    def test_two_candidates_refused_naming_both(self, header, first, second):
        data = csv_bytes([header, ["05/01/2024", "605000", "P1", "10,00", "x"]])
        with pytest.raises(LedgerError) as info:
            read_ledger(data, filename="verkeerd.csv")
        (problem,) = info.value.problems
        assert f"'{first}' en '{second}'" in problem.reason and problem.row == 1
        assert problem.column == f"{first}, {second}"
        assert "kies de kolommen zelf" in problem.reason and info.value.file == "verkeerd.csv"

    def test_rank_decides_where_names_differ_in_kind(self):
        # a booking date before a plain date before a document date; bedrag before saldo
        found = match_header(["Documentdatum", "Datum", "Boekdatum", "Rekening", "Saldo", "Bedrag"])
        assert found.labels["date"] == "Boekdatum" and found.labels["amount"] == "Bedrag"
        assert found.ambiguous == {}

    def test_project_before_cost_centre(self):
        found = match_header(["Datum", "Rekening", "Kostenplaats", "Project", "Bedrag"])
        assert found.labels["project"] == "Project" and found.ambiguous == {}


def test_header_after_title_rows():
    rows = [["Grootboekkaart per project - export van 01/03/2024"], ["Periode: 2024"], [],
            ["Datum transactie", "Code grootboekrekening", "Code project", "Bedrag (EUR)"]]
    header, _ = find_header(rows)
    assert header.index == 3 and set(header.columns) == {"date", "account", "project", "amount"}


def test_title_words_do_not_make_a_header():
    header, best = find_header([["Grootboek datum rekening bedrag overzicht"], ["x"]])
    assert header is None
