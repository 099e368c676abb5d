"""One answer everywhere: for one stored database the command line, the dashboard and the board pack
show the same verdict and the same forward NPV for every project, on the same basis.

The database holds a workbook, a ledger export and official thresholds that differ from the
workbook's, so each surface must take all three from the store to agree; the verdicts are also
checked against the independent calculation of ``tests/cli_portfolio.py``.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from igemo_fin.exports.boardpack_xlsx import SUMMARY_SHEET, VERDICT_SHEET
from ui.style import verdict_label

from apptest_support import assert_clean, open_page
from cli_portfolio import OFFICIAL, SET_ARGS, V, expected_verdicts, ok, stored_database


@pytest.fixture
def stored(write_book, tmp_path, monkeypatch):
    db = stored_database(write_book, tmp_path)
    ok("thresholds", "set", *SET_ARGS, "--db", db, "--door", "An Peeters", "--reden", "Besluit RvB")
    monkeypatch.setenv("IGEMO_DB", str(db))
    monkeypatch.delenv("IGEMO_WORKBOOK", raising=False)
    return db


def _cli(db) -> dict:
    return json.loads(ok("evaluate", "--db", db, "--year", V, "--json").stdout)


def _pack(db, tmp_path) -> tuple[dict[str, str], dict[str, float], str]:
    path = tmp_path / "pakket.xlsx"
    ok("boardpack", "--db", db, "--year", V, "--xlsx", path)
    book = openpyxl.load_workbook(path, data_only=True)  # the formulas' cached values are the engine's
    verdicts = {}
    for row in book[VERDICT_SHEET].iter_rows(min_row=5, values_only=True):
        if row[0]:
            verdicts[row[0]] = row[3]
    summary = book[SUMMARY_SHEET]
    rows = list(summary.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "Project" and "CW vooruit" in r)
    column = rows[head].index("CW vooruit")
    npv = {r[0]: r[column] for r in rows[head + 1:] if r[0]}
    return verdicts, npv, summary["A2"].value


def _dashboard(monkeypatch) -> tuple[dict[str, str], dict[str, float], list[str]]:
    monkeypatch.setenv("IGEMO_DEMO", "1")
    at = open_page()
    at.number_input(key="waarderingsjaar").set_value(V).run()
    assert_clean(at)
    table = next(d.value for d in at.dataframe if "Oordeel" in d.value.columns)
    table = table.data if hasattr(table, "data") else table
    npv_column = next(c for c in table.columns if c.startswith("Contante waarde"))
    verdicts = dict(zip(table["Code"], table["Oordeel"]))
    npv = dict(zip(table["Code"], table[npv_column].astype(float)))
    return verdicts, npv, [c.value for c in at.caption]


def test_the_command_line_the_dashboard_and_the_board_pack_agree(stored, tmp_path, monkeypatch):
    cli = _cli(stored)
    active = [p for p in cli["projects"] if p["status"] == "actief"]
    cli_verdicts = {p["project_code"]: p["verdict"] for p in active}
    cli_npv = {p["project_code"]: p["npv_forward"] for p in active}
    assert cli_verdicts == expected_verdicts(OFFICIAL)  # the official thresholds, not the workbook's
    assert cli["thresholds_source"]["kind"] == "officieel" and cli["thresholds_source"]["version"] == 1

    pack_verdicts, pack_npv, pack_basis = _pack(stored, tmp_path)
    assert pack_verdicts == cli_verdicts
    for code, value in cli_npv.items():
        assert pack_npv[code] == pytest.approx(value, abs=0.005)

    page_verdicts, page_npv, captions = _dashboard(monkeypatch)
    assert page_verdicts == {code: verdict_label(v) for code, v in cli_verdicts.items()}
    for code, value in cli_npv.items():
        assert page_npv[code] == pytest.approx(value, abs=0.005)

    # Each surface states the same basis: data version, thresholds in force, simulation.
    assert cli["basis"]["description"] in pack_basis
    assert any(cli["basis"]["description"] in c.replace("\\", "") for c in captions)
    assert "officiële drempels versie 1, An Peeters" in cli["basis"]["description"]
    assert "simulatie 10.000 toekomsten, startwaarde 0" in cli["basis"]["description"]


def test_with_the_simulation_off_every_surface_says_not_evaluated(stored, tmp_path, monkeypatch):
    cli = json.loads(ok("evaluate", "--db", stored, "--year", V, "--json", "--simulations", "0").stdout)
    for project in cli["projects"]:
        chance = [r for r in project["rules"] if r["rule"].endswith("kans_verlies_pct")]
        assert chance and not any(r["evaluated"] for r in chance)
    assert "simulatie uit" in cli["basis"]["description"]
