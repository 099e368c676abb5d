"""mpg: the multi-year outlook and the verschillenanalyse from the command line (tests/outlook_cases.py)."""

from __future__ import annotations

import json

import pytest

from cli_portfolio import ok, run
from outlook_cases import new_sheets, old_sheets

STEPS = ["tijd", "werkelijk", "kosten", "opbrengsten", "timing", "rente", "projecten"]


@pytest.fixture
def books(write_book):
    return write_book(old_sheets(), "vorig.xlsx"), write_book(new_sheets(), "nieuw.xlsx")


def test_json_path_and_bands(books):
    old, _ = books
    data = json.loads(ok("mpg", old, "--simulations", "200", "--seed", "3", "--json").stdout)
    assert data["basis"]["simulation"]["iterations"] == 200 and data["basis"]["simulation"]["seed"] == 3
    years = {y["year"]: y for y in data["years"]}
    assert list(years) == [2025, 2026, 2027]
    y = years[2026]  # worked out in tests/outlook/test_path.py
    assert (y["credit_drawn"], y["credit_peak"], y["interest"]) == (400_000, 900_000, 0)
    assert (y["recognised_result"], y["write_downs"], y["provision_movement"]) == (125_000, 30_000, 62_500)
    assert (y["equity"], y["equity_to_credit"], y["risk_capacity_ratio"], y["risk_capacity_grade"]) == (
        1_012_500, 2.53125, 33.75, "A")
    # No risk register: the bands are the path and nothing is crossed.
    assert y["equity_p10"] == y["equity_p50"] == y["equity_p90"] == pytest.approx(1_012_500, abs=0.01)
    assert y["credit_p10"] == y["credit_p90"] == 400_000
    assert y["prob_limit_exceeded"] == 0 and y["prob_equity_below_floor"] == 0
    assert "waterfall" not in data and data["alert"] is None


def test_without_simulation_no_bands(books):
    data = json.loads(ok("mpg", books[0], "--simulations", "0", "--json").stdout)
    assert data["simulated"] is False and "equity_p50" not in data["years"][0]
    assert data["years"][0]["risk_capacity_grade"] == "A"  # the forecast's own loss, 30,000
    assert data["years"][0]["risk_capacity_at"] == "2025-12-31"
    # At 1 January: 1,000,000 over the same 30,000 (990,000 at the end of 2025: 33.0)
    assert data["opening_risk_capacity"] == {"at": "2025-01-01", "eigen_vermogen": 1_000_000, "loss_p90": 30_000,
                                             "risk_capacity_ratio": 33.333333, "risk_capacity_grade": "A",
                                             "risk_capacity_label": "uitstekend"}


def test_the_opening_is_the_risk_simulations(books):
    """The outlook's 1 January figure is the one ``evaluate`` reports from its Monte Carlo, and both say when."""
    mpg = json.loads(ok("mpg", books[0], "--simulations", "300", "--seed", "5", "--json").stdout)
    evaluated = json.loads(ok("evaluate", books[0], "--simulations", "300", "--seed", "5", "--json").stdout)
    summary = evaluated["portfolio"]
    assert mpg["opening_risk_capacity"]["risk_capacity_ratio"] == summary["risk_capacity_ratio"]
    assert mpg["opening_risk_capacity"]["risk_capacity_grade"] == summary["risk_capacity_grade"]
    assert "weerstandsvermogen op 1/1/2025 33,33 (A: uitstekend)" in ok("evaluate", books[0], "--simulations",
                                                                          "300").stderr


def test_compare_gives_the_waterfall(books):
    old, new = books
    data = json.loads(ok("mpg", new, "--compare", old, "--simulations", "0", "--json").stdout)
    w = data["waterfall"]
    result = w["portfolio"]["result_nominal"]
    assert [s["step"] for s in result["steps"]] == STEPS
    assert [s["amount"] for s in result["steps"]] == [0, -20_000, -30_000, 30_000, -20_841.67, 10_420.84, 50_000]
    assert (result["start"], result["end"]) == (150_000, 169_579.17)
    assert round(result["start"] + sum(s["amount"] for s in result["steps"]), 2) == result["end"]
    npv = w["portfolio"]["npv_forward"]
    assert [s["amount"] for s in npv["steps"]] == [200_000, 0, -30_000, 30_000, 0, 0, 50_000]
    projects = {p["project_code"]: p for p in w["projects"]}
    assert set(projects) == {"A", "B", "C"}
    assert [s["amount"] for s in projects["B"]["result_nominal"]] == [0, 0, -30_000, 0, -20_841.67, 10_420.84, 0]


def test_compare_version_needs_the_database(books):
    out = run("mpg", books[1], "--compare-version", "1", "--json")
    assert out.returncode == 2 and "--db" in out.stderr and out.stdout == ""


def test_compare_a_stored_version(books, tmp_path):
    old, new = books
    db = tmp_path / "igemo.db"
    ok("workbook", "import", old, "--db", db, "--uploader", "test")
    ok("workbook", "import", new, "--db", db, "--uploader", "test")
    data = json.loads(ok("mpg", "--db", db, "--compare-version", "1", "--simulations", "0", "--json").stdout)
    steps = data["waterfall"]["portfolio"]["result_nominal"]["steps"]
    assert [s["amount"] for s in steps] == [0, -20_000, -30_000, 30_000, -20_841.67, 10_420.84, 50_000]


def test_table_in_dutch(books):
    out = ok("mpg", books[1], "--compare-year", "2025", "--simulations", "0").stdout
    assert out.startswith("Meerjarenperspectief") and "Verloop van de tijd" in out and "€ " in out
    assert "Weerstandsvermogen op 1/1/2026: " in out and "wv eind" in out
