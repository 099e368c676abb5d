"""python -m igemo_fin ledger import / ledger profiles / workbook import / evaluate --db: the data commands' contract.

The ledger used here (built in code, Excel rows in brackets):

    [1] Grootboekkaart IGEMO            title rows
    [2] Periode 2023 - 2025
    [4] Boekdatum  Rekening  Omschrijving  Projectcode  Debet         Credit      header
    [5] 15/03/2023 605000    grond         A            1.050.000,00              A 2023 verwerving  -1,050,000.00
    [6] 20/06/2023 613000    landmeter     A            49.999,99                 A 2023 studies        -49,999.99
    [7] 31/12/2023 613000    afronding     a            0,01                      A 2023 studies             -0.01  ("a": the code is matched)
    [8] 30/06/2023 650000    rente         A            12.345,67                 ignored (account 65)
    [9] 01/02/2025 700000    lot 1         A                          300.000,00  A 2025 verkoop       +300,000.00
   [10] 03/03/2024 603000    wegenis       Z-9          999,99                    unknown project
   [11] 04/04/2024 612000    bankkosten                 45,80                     no project
   [12] Totaal                                          1.113.391,46  300.000,00

    totals_by_project = {"A": {"verwerving": -1050000.0, "studies": -50000.0, "verkoop": 300000.0}}
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pandas as pd
import pytest

from igemo_fin.ingest import LEDGER_JSON_KEYS, basis_from_db
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.records.store import Store
from ledger_files import csv_bytes, xlsx_bytes

from conftest import ROOT, build_sheets, flat_credit, flows, project

HEADER = ["Boekdatum", "Rekening", "Omschrijving", "Projectcode", "Debet", "Credit"]
LINES = [
    ["15/03/2023", "605000", "grond", "A", "1.050.000,00", None],
    ["20/06/2023", "613000", "landmeter", "A", "49.999,99", None],
    ["31/12/2023", "613000", "afronding", "a", "0,01", None],
    ["30/06/2023", "650000", "rente", "A", "12.345,67", None],
    ["01/02/2025", "700000", "lot 1", "A", None, "300.000,00"],
    ["03/03/2024", "603000", "wegenis", "Z-9", "999,99", None],
    ["04/04/2024", "612000", "bankkosten", None, "45,80", None],
]
TOTAL = ["Totaal", None, None, None, "1.113.391,46", "300.000,00"]
EXPECTED_TOTALS = {"A": {"verwerving": -1_050_000.0, "studies": -50_000.0, "verkoop": 300_000.0}}


def ledger_file(tmp_path, name="grootboek.xlsx", lines=LINES, total=TOTAL):
    rows = [["Grootboekkaart IGEMO"], ["Periode 2023 - 2025"], [], HEADER, *lines] + ([total] if total else [])
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows))
    return path


def run(*args, env=None):
    import os

    full_env = {**os.environ, **(env or {})}
    full_env.pop("IGEMO_WORKBOOK", None)
    return subprocess.run([sys.executable, "-m", "igemo_fin", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, env=full_env)


def ok_json(*args):
    out = run(*args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def dump(db) -> list[str]:
    """The whole database as SQL text: equal dumps mean nothing changed."""
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def counts(db) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        return tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                     for t in ("ledger_imports", "ledger_lines", "workbook_versions"))


PROJECT_A = flows(("A", "prognose", 2023, "verwerving", 1_000_000), ("A", "prognose", 2024, "infrastructuur", 400_000),
                  ("A", "prognose", 2025, "verkoop", 900_000), ("A", "prognose", 2026, "verkoop", 900_000))
RATES = {2023: 4.0, 2024: 4.0}  # 3 % otherwise


@pytest.fixture
def workbook_a(write_book):
    return write_book(build_sheets([project("A")], PROJECT_A, flat_credit(rate=3.0, rates=RATES)), "a.xlsx")


class TestLedgerImport:
    def test_json_contract_and_totals_to_the_cent(self, tmp_path, workbook_a):
        db = tmp_path / "s.db"
        data = ok_json("ledger", "import", ledger_file(tmp_path), "--db", db, "--workbook", workbook_a,
                       "--uploader", "An", "--json")
        assert list(data) == list(LEDGER_JSON_KEYS)
        assert len(data["file_sha256"]) == 64 and data["already_imported"] is False
        assert data["filename"] == "grootboek.xlsx" and data["profile"] is None
        # the counts add up: 4 lines feed A's actuals, 3 are left out; all 7 bookings are stored
        assert (data["rows_read"], data["rows_imported"], len(data["rows_skipped"])) == (7, 4, 3)
        assert data["rows_stored"] == 7
        assert data["imported_at"] == Store(db).import_history()["imported_at"][0].isoformat()
        assert [s["row"] for s in data["rows_skipped"]] == [8, 10, 11]
        assert "650000" in data["rows_skipped"][0]["reason"]
        assert "Z-9" in data["rows_skipped"][1]["reason"]
        assert data["rows_skipped"][2]["reason"] == "geen projectcode"
        assert data["totals_by_project"] == EXPECTED_TOTALS
        history = Store(db).import_history()
        assert history["uploader"].tolist() == ["An"] and history["filename"].tolist() == ["grootboek.xlsx"]

    def test_same_file_again_is_already_imported(self, tmp_path, workbook_a):
        db, path = tmp_path / "s.db", ledger_file(tmp_path)
        first = ok_json("ledger", "import", path, "--db", db, "--workbook", workbook_a, "--json")
        before = dump(db)
        again = ok_json("ledger", "import", path, "--db", db, "--workbook", workbook_a, "--json")
        assert again["already_imported"] is True and again["rows_stored"] == 0
        assert {k: v for k, v in again.items() if k not in ("already_imported", "rows_stored")} == \
            {k: v for k, v in first.items() if k not in ("already_imported", "rows_stored")}
        assert again["totals_by_project"] == EXPECTED_TOTALS
        assert dump(db) == before
        text = run("ledger", "import", path, "--db", db)
        assert text.returncode == 0 and "al geïmporteerd op" in text.stdout
        assert "7 regels gelezen: 4 projectcijfers, 3 niet meegeteld" in text.stdout

    def test_already_imported_is_answered_before_the_file_or_the_workbook_is_read(self, tmp_path, workbook_a):
        db, path = tmp_path / "s.db", ledger_file(tmp_path)
        ok_json("ledger", "import", path, "--db", db, "--workbook", workbook_a, "--json")
        broken = tmp_path / "kapot.xlsx"
        broken.write_bytes(b"geen werkboek")  # would be refused if it were read
        again = ok_json("ledger", "import", path, "--db", db, "--workbook", broken, "--json")
        assert again["already_imported"] is True and again["totals_by_project"] == EXPECTED_TOTALS

    def test_already_imported_loads_neither_pandas_nor_the_reader_nor_the_store(self, tmp_path, workbook_a):
        db, path = tmp_path / "s.db", ledger_file(tmp_path)
        first = ok_json("ledger", "import", path, "--db", db, "--workbook", workbook_a, "--json")
        code = ("import json, sys\n"
                "from igemo_fin.cli.main import main\n"
                f"status = main(['ledger', 'import', {str(path)!r}, '--db', {str(db)!r}, '--json'])\n"
                "heavy = ('pandas', 'numpy', 'python_calamine', 'igemo_fin.inputs.ledger', 'igemo_fin.records.store')\n"
                "sys.stderr.write(json.dumps([status, [m for m in heavy if m in sys.modules]]))\n")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert json.loads(out.stderr) == [0, []]
        again = json.loads(out.stdout)
        assert {k: v for k, v in again.items() if k not in ("already_imported", "rows_stored")} == \
            {k: v for k, v in first.items() if k not in ("already_imported", "rows_stored")}

    def test_projects_from_the_latest_stored_version(self, tmp_path, workbook_a):
        db = tmp_path / "s.db"
        ok_json("workbook", "import", workbook_a, "--db", db, "--json")
        data = ok_json("ledger", "import", ledger_file(tmp_path), "--db", db, "--json")
        assert data["totals_by_project"] == EXPECTED_TOTALS  # Z-9 unknown to the stored version

    def test_without_a_portfolio_every_code_is_accepted(self, tmp_path):
        data = ok_json("ledger", "import", ledger_file(tmp_path), "--db", tmp_path / "s.db", "--json")
        # no portfolio, no spelling to match against: "a" stays a code of its own (the store matches it to
        # "A" once a workbook knows A)
        assert data["totals_by_project"] == {
            "A": {"verwerving": -1_050_000.0, "studies": -49_999.99, "verkoop": 300_000.0},
            "Z-9": {"infrastructuur": -999.99}, "a": {"studies": -0.01}}
        assert [s["row"] for s in data["rows_skipped"]] == [8, 11]

    def test_csv_export(self, tmp_path, workbook_a):
        from ledger_files import csv_bytes

        path = tmp_path / "export.csv"
        path.write_bytes(csv_bytes([["Grootboekkaart"], HEADER, *LINES, TOTAL], encoding="cp1252"))
        data = ok_json("ledger", "import", path, "--db", tmp_path / "s.db", "--workbook", workbook_a, "--json")
        assert data["totals_by_project"] == EXPECTED_TOTALS

    def test_refused_file_exit_2_rows_on_stderr_database_unchanged(self, tmp_path, workbook_a):
        db = tmp_path / "s.db"
        ok_json("ledger", "import", ledger_file(tmp_path), "--db", db, "--workbook", workbook_a, "--json")
        before, before_counts = dump(db), counts(db)
        bad = [list(line) for line in LINES]
        bad[1][0] = "31/02/2023"     # row 6: no such date
        bad[3][4] = "12,34,5"        # row 8: no amount
        bad[4][1] = None             # row 9: account missing
        out = run("ledger", "import", ledger_file(tmp_path, "kapot.xlsx", bad, total=None), "--db", db,
                  "--workbook", workbook_a, "--json")
        assert out.returncode == 2 and out.stdout == ""
        errors = out.stderr.strip().splitlines()
        assert len(errors) == 3
        assert "rij 6" in errors[0] and "31/02/2023" in errors[0]
        assert "rij 8" in errors[1] and "12,34,5" in errors[1]
        assert "rij 9" in errors[2] and "rekening ontbreekt" in errors[2]
        assert all("kapot.xlsx" in e for e in errors)
        assert dump(db) == before and counts(db) == before_counts == (1, 7, 0)
        assert Store(db).integrity_check() == "ok"

    def test_refused_file_does_not_create_the_database(self, tmp_path):
        out = run("ledger", "import", ROOT / "README.md", "--db", tmp_path / "nieuw.db")
        assert out.returncode == 2 and "README.md" in out.stderr
        assert not (tmp_path / "nieuw.db").exists()

    def test_unrecognised_header_is_refused_with_what_to_do(self, tmp_path):
        db = tmp_path / "s.db"
        Store(db)
        before = dump(db)
        path = tmp_path / "octopus.csv"
        path.write_bytes(csv_bytes([["Dag", "Rek", "Proj", "Waarde"], ["15/03/2023", "605000", "A", "1.000,00"]]))
        out = run("ledger", "import", path, "--db", db, "--json")
        assert out.returncode == 2 and out.stdout == ""
        assert all("octopus.csv" in line for line in out.stderr.strip().splitlines())
        assert "pagina Gegevens" in out.stderr and "--profile" in out.stderr
        assert dump(db) == before

    def test_unknown_profile_is_refused(self, tmp_path):
        db = tmp_path / "s.db"
        Store(db)
        before = dump(db)
        out = run("ledger", "import", ledger_file(tmp_path), "--db", db, "--profile", "Octopus")
        assert out.returncode == 2 and "geen profiel 'Octopus'" in out.stderr and "grootboek.xlsx" in out.stderr
        assert dump(db) == before

    def test_totals_row_that_does_not_add_up_is_refused(self, tmp_path):
        wrong = ["Totaal", None, None, None, "1.113.391,45", "300.000,00"]
        out = run("ledger", "import", ledger_file(tmp_path, total=wrong), "--db", tmp_path / "s.db")
        assert out.returncode == 2 and "rij 12" in out.stderr
        assert not (tmp_path / "s.db").exists()

    def test_missing_file(self, tmp_path):
        out = run("ledger", "import", tmp_path / "weg.xlsx", "--db", tmp_path / "s.db")
        assert out.returncode == 2 and "bestand niet gevonden" in out.stderr
        assert not (tmp_path / "s.db").exists()

    def test_unsupported_database_url(self, tmp_path):
        out = run("ledger", "import", ledger_file(tmp_path), "--db", "mysql://igemo@localhost/igemo")
        assert out.returncode == 2 and "niet ondersteund" in out.stderr


class TestProfiles:
    HEADER = ["Dag", "Rek", "Proj", "Waarde"]

    def octopus(self, tmp_path, name="octopus.csv", amount="1.000,00"):
        path = tmp_path / name
        path.write_bytes(csv_bytes([self.HEADER, ["15/03/2023", "605000", "A", amount],
                                    ["01/02/2025", "700000", "A", "-300.000,00"]]))
        return path

    def save(self, db):
        from igemo_fin.inputs.ledger_mapping import ColumnMapping, header_signature
        from igemo_fin.records.profiles import save_profile

        mapping = ColumnMapping(date="Dag", account="Rek", project="Proj", amount="Waarde")
        save_profile(Store(db), "Octopus - grootboekkaart", mapping, header_signature(self.HEADER), saved_by="An")

    def test_a_matching_profile_is_applied_automatically(self, tmp_path):
        db = tmp_path / "s.db"
        self.save(db)
        data = ok_json("ledger", "import", self.octopus(tmp_path), "--db", db, "--json")
        assert data["profile"] == "Octopus - grootboekkaart"
        assert data["totals_by_project"] == {"A": {"verwerving": -1000.0, "verkoop": 300_000.0}}

    def test_profile_by_name(self, tmp_path):
        db = tmp_path / "s.db"
        self.save(db)
        data = ok_json("ledger", "import", self.octopus(tmp_path, amount="2.000,00"), "--db", db,
                       "--profile", "Octopus - grootboekkaart", "--json")
        assert data["profile"] == "Octopus - grootboekkaart" and data["rows_imported"] == 2

    def test_profiles_list(self, tmp_path):
        db = tmp_path / "s.db"
        assert ok_json("ledger", "profiles", "list", "--db", db, "--json") == []
        assert not db.exists()
        self.save(db)
        [listed] = ok_json("ledger", "profiles", "list", "--db", db, "--json")
        assert (listed["name"], listed["saved_by"]) == ("Octopus - grootboekkaart", "An")
        assert listed["mapping"]["amount"] == "Waarde" and listed["signature"] == "dag|rek|proj|waarde"
        text = run("ledger", "profiles", "list", "--db", db)
        assert text.returncode == 0 and text.stdout.startswith("Octopus - grootboekkaart: bewaard door An op ")

    def test_sheet(self, tmp_path):
        path = tmp_path / "twee.xlsx"
        # the same ledger on two sheets; the second one has a line less
        path.write_bytes(xlsx_bytes([HEADER, *LINES], sheet="Alles", extra_sheets={"Boekingen": [HEADER, *LINES[:6]]}))
        data = ok_json("ledger", "import", path, "--db", tmp_path / "s.db", "--sheet", "Boekingen", "--json")
        assert data["sheet"] == "Boekingen" and data["rows_read"] == 6

    def test_dutch_help(self):
        out = run("ledger", "import", "--help")
        assert out.returncode == 0 and "--profile NAAM" in out.stdout and "--sheet BLAD" in out.stdout
        assert "bewaarde profiel" in out.stdout and "enkel dit blad" in out.stdout
        out = run("ledger", "profiles", "list", "--help")
        assert out.returncode == 0 and "een JSON-lijst afdrukken" in out.stdout


class TestWorkbookImport:
    def test_versions_and_summary(self, tmp_path, workbook_a, write_book):
        db = tmp_path / "s.db"
        first = ok_json("workbook", "import", workbook_a, "--db", db, "--uploader", "An", "--json")
        assert first["version"] == 1 and first["already_latest"] is False and first["previous_version"] is None
        assert first["summary"]["first_version"] is True and first["summary"]["project_count"] == 1

        more = pd.concat([PROJECT_A.replace({"bedrag": {400_000: 450_000.5}}),
                          flows(("B", "prognose", 2026, "studies", 20_000))], ignore_index=True)
        second_path = write_book(build_sheets([project("A"), project("B")], more, flat_credit(rate=3.0, rates=RATES)),
                                 "b.xlsx")
        second = ok_json("workbook", "import", second_path, "--db", db, "--json")
        assert second["version"] == 2 and second["previous_version"] == 1
        summary = second["summary"]
        assert summary["projects_added"] == ["B"] and summary["projects_removed"] == []
        [changed] = summary["totals_changed"]
        assert (changed["project_code"], changed["versie"]) == ("A", "prognose")
        assert (changed["costs_before"], changed["costs_after"], changed["net_change"]) == (1_400_000.0, 1_450_000.5,
                                                                                             -50_000.5)
        assert "1 project toegevoegd (B)" in second["message"]

        same = ok_json("workbook", "import", second_path, "--db", db, "--json")
        assert same["already_latest"] is True and same["version"] == 2
        versions = Store(db).workbook_versions()
        assert versions["id"].tolist() == [2, 1] and versions["uploader"].tolist()[1] == "An"
        assert versions["summary"].iloc[0]["projects_added"] == ["B"]

    def test_invalid_workbook_is_refused_and_nothing_stored(self, tmp_path, workbook_a, write_book):
        db = tmp_path / "s.db"
        ok_json("workbook", "import", workbook_a, "--db", db, "--json")
        before = dump(db)
        bad = write_book(build_sheets([project("A", type="kasteel")], PROJECT_A), "slecht.xlsx")
        out = run("workbook", "import", bad, "--db", db)
        assert out.returncode == 2 and out.stdout == ""
        assert "blad 'projecten', rij 2, kolom 'type'" in out.stderr
        assert dump(db) == before

    def test_text_output(self, tmp_path, workbook_a):
        out = run("workbook", "import", workbook_a, "--db", tmp_path / "s.db")
        assert out.returncode == 0 and out.stdout.startswith("Opgeslagen als versie 1. Eerste versie: 1 project.")


# --------------------------------------------------------------------------- evaluate what is stored
#
# Project A of test_engine_handworked (rates 4 % in 2023-2024, 3 % from 2025; V = 2025), but 2023 now comes
# from the ledger: 1,050,000.00 + 49,999.99 + 0.01 = 1,100,000.00 of costs instead of the forecast 1,000,000.
# The ledger's 2025 sale (300,000) is "realised this year": not used. 2024 has no ledger line: forecast.
#
#     year  CF          BV start        avg = BV - CF/2   I = rate * days/360 * avg
#     2023  -1,100,000  0                 550,000.00      0.04 * 365/360 *   550,000.00 = 22,305.56
#     2024    -400,000  1,122,305.56    1,322,305.56      0.04 * 366/360 * 1,322,305.56 = 53,773.76
#     2025    +900,000  1,576,079.31    1,126,079.31      0.03 * 365/360 * 1,126,079.31 = 34,251.58
#     2026    +900,000    710,330.89      260,330.89      0.03 * 365/360 *   260,330.89 =  7,918.40
#
#     book_value (BV[2025]) = 1,576,079.31; interest total 118,249.29
#     result_nominal = 1,800,000 - 1,500,000 - 118,249.29 = 181,750.71
#     npv_forward = 1,747,763.68 as before (the future is the forecast's)

HAND_WORKED = {"book_value": 1_576_079.31, "result_nominal": 181_750.71, "npv_forward": 1_747_763.68,
               "interest_by_year": {"2023": 22_305.56, "2024": 53_773.76, "2025": 34_251.58, "2026": 7_918.4}}


@pytest.fixture
def stored(tmp_path, workbook_a):
    db = tmp_path / "s.db"
    ok_json("workbook", "import", workbook_a, "--db", db, "--json")
    ok_json("ledger", "import", ledger_file(tmp_path), "--db", db, "--json")
    return db


def test_the_stored_basis_has_the_actuals_and_says_where_they_come_from(stored):
    basis = basis_from_db(stored, valuation_year=2025)
    portfolio, actuals = basis.portfolio, basis.actuals
    assert portfolio.project_codes == ["A"]
    assert basis.data.workbook_version == 1 and len(basis.data.ledger_imports) == 1
    assert basis.threshold_source.kind == "werkboek"
    assert actuals.to_dict("records") == [
        {"project_code": "A", "jaar": 2023, "categorie": "studies", "bedrag": -50_000.0},
        {"project_code": "A", "jaar": 2023, "categorie": "verwerving", "bedrag": -1_050_000.0},
        {"project_code": "A", "jaar": 2025, "categorie": "verkoop", "bedrag": 300_000.0},
    ]
    f = evaluate(basis).figures.iloc[0]
    assert f["book_value"] == pytest.approx(HAND_WORKED["book_value"], abs=0.01)
    assert f["result_nominal"] == pytest.approx(HAND_WORKED["result_nominal"], abs=0.01)
    assert f["npv_forward"] == pytest.approx(HAND_WORKED["npv_forward"], abs=0.01)


def test_basis_from_db_without_database_or_version(tmp_path):
    from igemo_fin.errors import InputError

    with pytest.raises(InputError, match="bestaat niet"):
        basis_from_db(tmp_path / "geen.db")
    assert not (tmp_path / "geen.db").exists()
    Store(tmp_path / "leeg.db")
    with pytest.raises(InputError, match="nog geen portefeuillewerkboek"):
        basis_from_db(tmp_path / "leeg.db")


def test_evaluate_db_uses_the_ledger_actuals(stored):
    data = ok_json("evaluate", "--db", stored, "--year", 2025, "--json")
    [a] = data["projects"]
    assert a["book_value"] == HAND_WORKED["book_value"]
    assert a["result_nominal"] == HAND_WORKED["result_nominal"]
    assert a["npv_forward"] == HAND_WORKED["npv_forward"]
    assert a["interest_by_year"] == HAND_WORKED["interest_by_year"]
