"""The command line: JSON contract, readable table, exit status 2 on a refused workbook."""

from __future__ import annotations

import json
import subprocess
import sys


from conftest import ROOT, build_sheets, flat_credit, flows, project

FLOWS = flows(("A", "prognose", 2023, "verwerving", 1_000_000), ("A", "prognose", 2024, "infrastructuur", 400_000),
              ("A", "prognose", 2025, "verkoop", 900_000), ("A", "prognose", 2026, "verkoop", 900_000),
              ("F", "prognose", 2015, "verwerving", 100_000), ("F", "prognose", 2018, "verkoop", 150_000))


def run(*args):
    return subprocess.run([sys.executable, "-m", "igemo_fin", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_json_contract(write_book):
    credit = flat_credit(rate=3.0, rates={2023: 4.0, 2024: 4.0}, actual={2024: 50_000.0})
    path = write_book(build_sheets([project("A"), project("F", status="afgerond", startjaar=2015, eindjaar=2018)],
                                   FLOWS, credit))
    out = run("evaluate", path, "--year", 2025, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["valuation_year"] == 2025 and data["discount_rate_pct"] == 3.0
    a, f = data["projects"]
    assert set(a) >= {"project_code", "naam", "status", "verdict", "rules", "npv_forward", "irr_full_life",
                      "result_nominal", "margin_pct", "interest_total", "interest_future", "interest_by_year",
                      "book_value", "peak_book_value"}
    assert a["verdict"] == "DOORGAAN" and f["verdict"] is None and f["rules"] == []
    assert {r["rule"] for r in a["rules"]} == {"bijsturen_npv_onder", "stop_npv_onder", "min_irr_pct",
                                               "max_rente_op_marge_pct", "max_jaren_zonder_bestemming",
                                               "stop_jaren_zonder_bestemming", "afstoten_voordeel_min",
                                               "max_kans_verlies_pct", "stop_kans_verlies_pct"}
    assert set(a["rules"][0]) >= {"rule", "label", "value", "threshold", "fired", "level"}
    assert a["npv_forward"] == 1747763.68  # worked out in test_engine_handworked
    assert a["irr_full_life"] == pytest_approx(0.12034889)
    # the whole 2024 actual interest (50,000.00) lands on A, the only project running in 2024
    assert a["interest_by_year"]["2024"] == 50000.0
    assert list(a["interest_by_year"]) == ["2023", "2024", "2025", "2026"]
    assert data["portfolio"]["verdict_counts"]["DOORGAAN"] == 1


def pytest_approx(x):
    import pytest

    return pytest.approx(x, abs=1e-7)


def test_table_is_dutch(write_book):
    path = write_book(build_sheets([project("A")], FLOWS.query("project_code == 'A'")))
    out = run("evaluate", path, "--year", 2025)
    assert out.returncode == 0
    assert "Waardering op 1 januari 2025" in out.stdout and "DOORGAAN" in out.stdout


def test_invalid_workbook_exits_2_with_errors_on_stderr(write_book):
    cf = FLOWS.astype({"bedrag": object})
    cf.loc[0, "bedrag"] = "veel"
    path = write_book(build_sheets([project("A"), project("F")], cf, flat_credit(2020, 2030)), "slecht.xlsx")
    out = run("evaluate", path, "--json")
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert "bestand 'slecht.xlsx', blad 'kasstromen', rij 2, kolom 'bedrag': 'veel' is geen geldig bedrag" in lines
    assert any("2015-2018" in line for line in lines)  # F runs 2015-2018, credit starts in 2020


def test_missing_file_exits_2(tmp_path):
    out = run("evaluate", tmp_path / "nergens.xlsx", "--json")
    assert out.returncode == 2 and out.stdout == "" and "niet gevonden" in out.stderr
