"""igemo_fin.records.ledger_imports: lines stored in the unique key's order read back as the file's,
and the SQLite store loads without psycopg."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pandas as pd

from igemo_fin.inputs.ledger import actuals_by_year, read_ledger
from igemo_fin.records.ledger_imports import key_order
from igemo_fin.records.store import Store
from ledger_files import csv_bytes

HEADER = ["Boekdatum", "Rekening", "Omschrijving", "Projectcode", "Bedrag"]


def _export() -> bytes:
    # 60 lines, each booked twice (the same fingerprint: occurrences 1 and 2), in a shuffled order
    lines = [[f"{1 + i % 28:02d}/0{1 + i % 9}/2024", "604000", f"werk {i}", f"P{i % 3}", f"{i},25"]
             for i in range(30)]
    return csv_bytes([HEADER, *[lines[(7 * i) % 30] for i in range(30)], *lines])


def test_stored_in_key_order_read_back_as_the_file(tmp_path):
    read = read_ledger(_export(), filename="grootboek.csv")
    assert read.lines["occurrence"].max() == 2
    store = Store(tmp_path / "igemo.db")
    store.import_ledger(read, file_sha256="x", filename="grootboek.csv", uploader=None)
    with sqlite3.connect(tmp_path / "igemo.db") as conn:
        keys = conn.execute("SELECT fingerprint, occurrence FROM ledger_lines ORDER BY rowid").fetchall()
    assert keys == sorted(keys)  # inserted in the unique key's order
    assert keys != list(zip(read.lines["fingerprint"], read.lines["occurrence"]))  # which is not the file's
    pd.testing.assert_frame_equal(store.ledger_lines().drop(columns="import_id"), read.lines)


def test_actuals_read_every_line_in_table_order_without_a_project_year_index(tmp_path):
    read = read_ledger(_export(), filename="grootboek.csv")
    store = Store(tmp_path / "igemo.db")
    store.import_ledger(read, file_sha256="x", filename="grootboek.csv", uploader=None)
    with sqlite3.connect(tmp_path / "igemo.db") as conn:
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "ledger_lines_project_year" not in indexes and "ledger_lines_import" in indexes
    expected = actuals_by_year(read.actual_lines)
    pd.testing.assert_frame_equal(store.ledger_actuals().reset_index(drop=True), expected)


def test_key_order_sorts_fingerprint_then_occurrence():
    frame = pd.DataFrame({"fingerprint": ["c", "a", "c", "b", "a"], "occurrence": [2, 2, 1, 1, 1]})
    assert key_order(frame).tolist() == [4, 1, 3, 2, 0]


def test_sqlite_store_without_psycopg():
    code = ("import sys; from igemo_fin.records.store import Store; import igemo_fin.ingest.ledger; "
            "assert 'psycopg' not in sys.modules, 'psycopg loaded'; "
            "from igemo_fin.records.database import INTEGRITY_ERRORS; "
            "assert [c.__module__.split('.')[0] for c in INTEGRITY_ERRORS] == ['sqlite3', 'psycopg']")
    subprocess.run([sys.executable, "-c", code], check=True)
