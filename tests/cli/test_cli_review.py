"""python -m igemo_fin review: the fields of the JSON, from a workbook with a ledger file and from the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from igemo_fin.cli.main import main
from igemo_fin.inputs.example_running_costs import example_full_ledger

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo_portefeuille.xlsx"


def ok_json(capsys, *args) -> dict:
    assert main([str(a) for a in args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture()
def ledger(tmp_path):
    path = tmp_path / "grootboek.csv"
    path.write_bytes(example_full_ledger("csv"))
    return path


def test_workbook_and_ledger(capsys, ledger):
    data = ok_json(capsys, "review", DEMO, "--ledger", ledger, "--year", 2026, "--json")
    groups = {g["cost_group"]: g for g in data["cost_groups"]}
    assert set(groups) == {"personeel", "ict_software", "huisvesting", "voertuigen", "erelonen", "overige"}
    ict = groups["ict_software"]
    # 3 x 21,000 + 26,500 + (84,000 - 21,000): hand-worked in tests/review/test_yearly.py's demo
    assert (ict["budget"], ict["actual"], ict["forecast"], ict["difference"], ict["flag"]) == (
        90_000, 26_500, 89_500, -500, True)
    assert ict["difference_pct"] == pytest.approx(-500 / 90_000 * 100)
    assert ict["real_growth_pct"] == pytest.approx((89_500 / 84_000 / (137.7 / 135.0) - 1) * 100)
    assert [line["document"] for line in data["uncoded_lines"]] == ["AF26-0052", "AF26-0071"]
    assert [line["document"] for line in data["misdirected_lines"]] == ["AF26-0031", "AF26-0066"]
    mechelen = {p["partner"]: p for p in data["partners"]}["Mechelen"]
    assert mechelen["contribution_nominal"] == 240_000
    assert mechelen["contribution_real"] == pytest.approx(240_000 * 108.0 / 137.7, abs=0.01)
    assert mechelen["reindexation_gap"] == pytest.approx(240_000 * (137.7 / 108.0 - 1), abs=0.01)


def test_index_year_what_if(capsys, ledger):
    data = ok_json(capsys, "review", DEMO, "--ledger", ledger, "--year", 2026, "--index-year", 2025, "--json")
    lier = {p["partner"]: p for p in data["partners"]}["Lier"]
    assert lier["reindexation_gap"] == pytest.approx(120_000 * (137.7 / 135.0 - 1), abs=0.01)


def test_from_the_database(capsys, tmp_path, ledger):
    db = tmp_path / "s.db"
    assert main(["workbook", "import", str(DEMO), "--db", str(db)]) == 0
    assert main(["ledger", "import", str(ledger), "--db", str(db)]) == 0
    capsys.readouterr()
    data = ok_json(capsys, "review", "--db", db, "--year", 2026, "--json")
    assert data["lines_read"] == 88
    assert [line["document"] for line in data["uncoded_lines"]] == ["AF26-0052", "AF26-0071"]
    assert all(line["import_id"] == 1 for line in data["uncoded_lines"])


def test_table(capsys, ledger):
    assert main(["review", str(DEMO), "--ledger", str(ledger), "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "geboekt tot 31/03/2026" in out and "ICT en software" in out


def test_no_source_exit_2(capsys):
    assert main(["review", "--year", "2026"]) == 2
    assert "portefeuillewerkboek" in capsys.readouterr().err


def test_boardpack_from_the_database_has_the_running(capsys, tmp_path, ledger):
    import openpyxl

    db = tmp_path / "s.db"
    assert main(["workbook", "import", str(DEMO), "--db", str(db)]) == 0
    assert main(["ledger", "import", str(ledger), "--db", str(db)]) == 0
    out = tmp_path / "pakket.xlsx"
    assert main(["boardpack", "--db", str(db), "--xlsx", str(out), "--simulations", "0"]) == 0
    assert "Werking" in openpyxl.load_workbook(out).sheetnames
