"""One export per accounting package shape (docs/ledger-formats.md), read to the cent.

The shapes and their bookings come from scripts/make_ledger_examples.py; every total below is
computed from the generator's own bookings, never typed in. The committed files in
tests/data/ledgers/ are what the script writes, and must read alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.inputs.ledger_mapping import preview_ledger
from conftest import load_script

ROOT = Path(__file__).resolve().parents[2]


EXAMPLES = load_script("make_ledger_examples")
KEYS = sorted(EXAMPLES.SHAPES)


def check(read, key: str) -> None:
    want = EXAMPLES.expected(EXAMPLES.SHAPES[key])
    assert read.lines["amount_cents"].tolist() == want["net_cents"]
    assert int(read.lines["amount_cents"].sum()) == sum(want["net_cents"])
    assert read.lines["account"].tolist() == want["accounts"]
    assert [p if isinstance(p, str) else None for p in read.lines["project_code"]] == want["projects"]
    assert read.file_total_cents == want["file_total_cents"]
    assert read.lines["date"].notna().all()


@pytest.mark.parametrize("key", KEYS)
def test_generated_export_reads_to_the_cent(key):
    shape = EXAMPLES.SHAPES[key]
    read = read_ledger(EXAMPLES.build(key), filename=shape.filename)
    check(read, key)
    assert {"date", "account", "project"} <= set(read.columns)


@pytest.mark.parametrize("key", KEYS)
def test_committed_file_reads_alike(key):
    shape = EXAMPLES.SHAPES[key]
    check(read_ledger(ROOT / "tests" / "data" / "ledgers" / shape.filename), key)


@pytest.mark.parametrize("key", KEYS)
def test_preview_recognises_the_header(key):
    shape = EXAMPLES.SHAPES[key]
    preview = preview_ledger(EXAMPLES.build(key), filename=shape.filename)
    assert preview.problems == () and preview.header_row is not None
    assert preview.recognised["date"] and preview.recognised["account"]


def test_the_bookings_cover_what_exports_hold():
    """Credit notes, lines without project, an account to ignore and amounts over a million."""
    bookings = EXAMPLES.BOOKINGS
    assert any(d < 0 for *_, d, _ in bookings)
    assert any(b[6] is None for b in bookings)
    assert any(b[3].startswith("65") for b in bookings)
    assert any(max(d, c) >= 100_000_000 for *_, d, c in bookings)


def test_grouped_export_lists_its_subtotals():
    read = read_ledger(EXAMPLES.build("octopus"), filename="octopus.xlsx")
    subtotals = read.skipped[read.skipped["code"] == "tussentotaal"]
    accounts = {b[3] for b in EXAMPLES.BOOKINGS}
    assert len(subtotals) == len(accounts)  # one per account; the grand total is the file total
