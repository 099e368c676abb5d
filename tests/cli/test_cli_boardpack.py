"""boardpack: the Overzicht page's board pack from the command line, with the thresholds of evaluate."""

from __future__ import annotations

import json

import openpyxl
import pytest

from igemo_fin.exports.boardpack_xlsx import VERDICT_SHEET
from cli_portfolio import (DEFAULTS, FLOWS, OFFICIAL, PROJECTS, RATE_PCT, SET_ARGS, V, expected_verdicts, ok, run,
                           stored_database, verdicts_of)
from conftest import build_sheets, flat_credit


@pytest.fixture
def stored(write_book, tmp_path):
    return stored_database(write_book, tmp_path)


def pack_verdicts(path) -> dict[str, str]:
    """Project code -> verdict, read from the sheet 'Oordelen' (header on row 4, projects below)."""
    sheet = openpyxl.load_workbook(path, read_only=True)[VERDICT_SHEET]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    header = list(rows[0])
    code, verdict = header.index("Project"), header.index("Oordeel")
    return {r[code]: r[verdict] for r in rows[1:] if r[code]}


def test_boardpack_db_holds_the_verdicts_of_the_official_thresholds(stored, tmp_path):
    ok("thresholds", "set", *SET_ARGS, "--db", stored, "--door", "An Peeters", "--reden", "Besluit RvB")
    xlsx, pdf = tmp_path / "pakket.xlsx", tmp_path / "pakket.pdf"
    out = ok("boardpack", "--db", stored, "--year", V, "--xlsx", xlsx, "--pdf", pdf)
    assert f"Bestuurspakket voor de waardering op 01/01/{V} gemaakt" in out.stdout
    assert "officiële drempels versie 1" in out.stdout
    assert pack_verdicts(xlsx) == expected_verdicts(OFFICIAL)
    evaluated = json.loads(ok("evaluate", "--db", stored, "--year", V, "--json").stdout)
    assert pack_verdicts(xlsx) == verdicts_of(evaluated)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_boardpack_of_a_workbook_uses_its_own_thresholds(write_book, tmp_path):
    book = write_book(build_sheets(PROJECTS, FLOWS, flat_credit(rate=RATE_PCT)))
    xlsx = tmp_path / "pakket.xlsx"
    ok("boardpack", book, "--year", V, "--xlsx", xlsx)
    assert pack_verdicts(xlsx) == expected_verdicts(DEFAULTS)
    assert not (tmp_path / "pakket.pdf").exists()


@pytest.mark.parametrize("args, message", [
    ([], "deze argumenten ontbreken: --xlsx"),
    (["--xlsx", "{tmp}/pakket.xlsx"], "geef een portefeuillewerkboek op"),
    (["--db", "{tmp}/geen.db", "--xlsx", "{tmp}/pakket.xlsx"], "bestaat niet"),
])
def test_boardpack_refusals_exit_2(tmp_path, args, message):
    out = run("boardpack", *(a.format(tmp=tmp_path) for a in args))
    assert out.returncode == 2 and message in out.stderr
    assert not (tmp_path / "pakket.xlsx").exists()


def test_an_unwritable_output_exits_2(write_book, tmp_path):
    book = write_book(build_sheets(PROJECTS, FLOWS, flat_credit(rate=RATE_PCT)))
    out = run("boardpack", book, "--year", V, "--xlsx", tmp_path / "geen-map" / "pakket.xlsx")
    assert out.returncode == 2 and "kan niet geschreven worden" in out.stderr
