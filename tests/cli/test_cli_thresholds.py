"""thresholds show / set and evaluate --db: the command line decides with the official thresholds.

The expected verdicts are worked out by hand in :mod:`cli_portfolio` from the figures and DOMAIN.md's
rules, not by the engine: with the workbook's thresholds first, then with the ones ``thresholds set`` stored.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli_portfolio import (DEFAULTS, FLOWS, OFFICIAL, PROJECTS, RATE_PCT, SET_ARGS, V, dump, expected_verdicts, ok,
                           run, stored_database, verdicts_of)
from conftest import build_sheets, flat_credit


@pytest.fixture
def stored(write_book, tmp_path):
    return stored_database(write_book, tmp_path)



# --------------------------------------------------------------------------- helpers

def test_the_expected_verdicts_differ_between_the_two_sets_of_thresholds():
    # the test below can only fail when the thresholds are ignored if they change verdicts
    before, after = expected_verdicts(DEFAULTS), expected_verdicts(OFFICIAL)
    assert before == {"A": "DOORGAAN", "B": "BIJSTUREN", "C": "DOORGAAN", "D": "BIJSTUREN", "E": "AFSTOTEN"}
    assert after == {"A": "DOORGAAN", "B": "STOPZETTEN", "C": "BIJSTUREN", "D": "DOORGAAN", "E": "BIJSTUREN"}


# --------------------------------------------------------------------------- evaluate --db

def test_evaluate_db_applies_the_thresholds_set_on_the_command_line(stored):
    before = json.loads(ok("evaluate", "--db", stored, "--year", V, "--json").stdout)
    assert before["thresholds_source"] == {"kind": "werkboek"}
    assert verdicts_of(before) == expected_verdicts(DEFAULTS)
    assert before["discount_rate_pct"] == RATE_PCT

    out = ok("thresholds", "set", *SET_ARGS, "--db", stored, "--door", "An Peeters", "--reden", "Besluit RvB")
    assert out.stdout.startswith("Drempelversie 1 vastgelegd door An Peeters:")

    after = json.loads(ok("evaluate", "--db", stored, "--year", V, "--json").stdout)
    source = after["thresholds_source"]
    assert source["kind"] == "officieel" and source["version"] == 1 and source["set_by"] == "An Peeters"
    assert source["set_at"][:4] == str(dt.datetime.now(dt.timezone.utc).year)
    assert after["discount_rate_pct"] == 6.5
    assert verdicts_of(after) == expected_verdicts(OFFICIAL)
    thresholds_used = {r["rule"]: r["threshold"] for r in after["projects"][0]["rules"]}
    assert thresholds_used["stop_npv_onder"] == -50_000 and thresholds_used["min_irr_pct"] == 10

    table = ok("evaluate", "--db", stored, "--year", V).stdout.splitlines()
    assert table[0].startswith(f"Waardering op 1 januari {V}, disconteringsvoet 6,50 %")
    assert table[1].startswith("Gegevens: book1.xlsx (versie 1)")
    assert " · officiële drempels versie 1, An Peeters, " in table[1]


def test_evaluate_of_a_workbook_file_keeps_the_workbooks_thresholds(stored, write_book):
    ok("thresholds", "set", *SET_ARGS, "--db", stored, "--door", "An", "--reden", "Besluit")
    book = write_book(build_sheets(PROJECTS, FLOWS, flat_credit(rate=RATE_PCT)))
    payload = json.loads(ok("evaluate", book, "--year", V, "--json").stdout)
    assert payload["thresholds_source"] == {"kind": "werkboek"}
    assert verdicts_of(payload) == expected_verdicts(DEFAULTS)
    assert " · drempels uit het werkboek · " in ok("evaluate", book, "--year", V).stdout.splitlines()[1]


# --------------------------------------------------------------------------- thresholds show / set

def test_show_names_the_source_and_every_threshold_in_dutch(stored):
    shown = json.loads(ok("thresholds", "show", "--db", stored, "--json").stdout)
    assert shown["thresholds_source"] == {"kind": "werkboek", "workbook_version": 1}
    rows = {t["name"]: t for t in shown["thresholds"]}
    assert set(rows) == set(DEFAULTS) | {"max_kans_verlies_pct", "stop_kans_verlies_pct", "min_eigen_vermogen",
                                         "max_kredietgebruik_pct"}
    assert rows["stop_npv_onder"] == {"name": "stop_npv_onder", "unit": "EUR", "value": -500_000.0,
                                      "text": "€ -500.000",
                                      "label": "Stopzetten als de toekomstige contante waarde lager is dan"}
    assert rows["disconteringsvoet_pct"]["value"] is None
    assert rows["disconteringsvoet_pct"]["text"] == "rente van het kaskrediet"
    assert "blad 'drempels' van portefeuilleversie 1" in ok("thresholds", "show", "--db", stored).stdout

    ok("thresholds", "set", "min_irr_pct=4,5", "--db", stored, "--door", "An", "--reden", "RvB 12/03")
    shown = json.loads(ok("thresholds", "show", "--db", stored, "--json").stdout)
    source = shown["thresholds_source"]
    assert (source["kind"], source["version"], source["set_by"], source["reason"]) == ("officieel", 1, "An",
                                                                                       "RvB 12/03")
    rows = {t["name"]: t for t in shown["thresholds"]}
    assert rows["min_irr_pct"]["value"] == 4.5 and rows["min_irr_pct"]["text"] == "4,50 %"
    assert rows["stop_npv_onder"]["value"] == -500_000.0  # the others stay as they were
    text = ok("thresholds", "show", "--db", stored).stdout
    assert "officiële drempels versie 1" in text and "door An" in text and "Reden: RvB 12/03" in text
    assert "Minimaal intern rendement over de hele looptijd" in text and "4,50 %" in text


def test_set_writes_the_hash_chained_history_with_old_and_new_values(stored):
    ok("thresholds", "set", "min_irr_pct=4", "--db", stored, "--door", "An", "--reden", "eerste")
    ok("thresholds", "set", "disconteringsvoet_pct=5", "--db", stored, "--door", "Jan", "--reden", "tweede")
    ok("thresholds", "set", "disconteringsvoet_pct=standaard", "--db", stored, "--door", "Jan", "--reden", "derde")
    log = json.loads(ok("audit", "log", "--db", stored, "--json").stdout)
    assert log["verified"]["ok"] and log["verified"]["n_entries"] == 3
    first, second, third = log["threshold_versions"]
    assert first["old_values"]["min_irr_pct"] == 3.0 and first["new_values"]["min_irr_pct"] == 4.0
    assert second["old_values"]["disconteringsvoet_pct"] is None and second["new_values"]["disconteringsvoet_pct"] == 5
    assert second["new_values"]["min_irr_pct"] == 4.0
    assert third["new_values"]["disconteringsvoet_pct"] is None
    assert [v["created_by"] for v in (first, second, third)] == ["An", "Jan", "Jan"]
    assert ok("audit", "verify", "--db", stored).returncode == 0


@pytest.mark.parametrize("values, reason", [
    (["hoogte=3"], "onbekende drempel(s): hoogte"),
    (["min_irr_pct=veel"], "'veel' is geen getal"),
    (["max_kans_verlies_pct=120"], "percentage 120 ligt niet tussen 0 en 100"),
    (["stop_jaren_zonder_bestemming=-1"], "mag niet negatief zijn"),
    (["min_irr_pct=3"], "geen enkele drempel krijgt een andere waarde"),
    (["min_irr_pct"], "heeft niet de vorm NAAM=WAARDE"),
    (["min_irr_pct=4", "min_irr_pct=5"], "staat meer dan eens"),
])
def test_a_refused_change_exits_2_with_its_reason_and_stores_nothing(stored, values, reason):
    before = dump(stored)
    out = run("thresholds", "set", *values, "--db", stored, "--door", "An", "--reden", "test")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("Niet vastgelegd: ") and reason in out.stderr
    assert dump(stored) == before


def test_a_change_needs_who_and_why(stored):
    before = dump(stored)
    out = run("thresholds", "set", "min_irr_pct=4", "--db", stored, "--door", "An", "--reden", "  ")
    assert out.returncode == 2 and "de reden van de wijziging is verplicht" in out.stderr
    out = run("thresholds", "set", "min_irr_pct=4", "--db", stored)
    assert out.returncode == 2 and "deze argumenten ontbreken: --door, --reden" in out.stderr
    assert dump(stored) == before


def test_without_database_or_workbook_exit_2(tmp_path):
    out = run("thresholds", "show", "--db", tmp_path / "geen.db")
    assert out.returncode == 2 and "bestaat niet" in out.stderr
    assert not (tmp_path / "geen.db").exists()
    out = run("evaluate", "--json")
    assert out.returncode == 2 and out.stdout == "" and "geef een portefeuillewerkboek op" in out.stderr
