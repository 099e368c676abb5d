"""The earlier import of a ledger file, found in a SQLite file without the store: the same answer as the
store's, and None (the store then decides) whenever the file cannot give it."""

from __future__ import annotations

import sqlite3

from igemo_fin.ingest import LedgerReport, prepare_ledger, store_ledger
from igemo_fin.inputs.example_ledger import example_ledger
from igemo_fin.records.import_lookup import find_import_in_file
from igemo_fin.records.location import file_sha256
from igemo_fin.records.store import Store


def imported(tmp_path):
    data = example_ledger()
    store = Store(tmp_path / "s.db")
    store_ledger(store, prepare_ledger(data, "voorbeeld.xlsx", store=store), uploader="An")
    return store, file_sha256(data)


def test_the_same_report_as_the_store_gives(tmp_path):
    store, sha = imported(tmp_path)
    light = find_import_in_file(tmp_path / "s.db", sha)
    assert light is not None and light["report"] == store.find_import(sha)["report"]
    assert LedgerReport.of_earlier_import(light) == LedgerReport.of_earlier_import(store.find_import(sha))


def test_a_new_file_or_no_database_is_none(tmp_path):
    _, sha = imported(tmp_path)
    assert find_import_in_file(tmp_path / "s.db", "0" * 64) is None
    assert find_import_in_file(tmp_path / "geen.db", sha) is None
    assert not (tmp_path / "geen.db").exists()  # looking never creates a database


def test_a_file_the_store_must_answer_is_none(tmp_path):
    _, sha = imported(tmp_path)
    empty = tmp_path / "leeg.db"
    sqlite3.connect(empty).close()  # no tables: the store would migrate it first
    assert find_import_in_file(empty, sha) is None
    old = tmp_path / "oud.db"
    with sqlite3.connect(old) as conn:  # an import from before the reports were kept
        conn.execute("CREATE TABLE ledger_imports (id INTEGER PRIMARY KEY, file_sha256 TEXT)")
        conn.execute("INSERT INTO ledger_imports (file_sha256) VALUES (?)", (sha,))
    assert find_import_in_file(old, sha) is None
    damaged = tmp_path / "kapot.db"
    damaged.write_bytes(b"geen databank" * 100)
    assert find_import_in_file(damaged, sha) is None


def test_the_lookup_writes_nothing(tmp_path):
    _, sha = imported(tmp_path)
    with sqlite3.connect(tmp_path / "s.db") as conn:
        before = list(conn.iterdump())
    find_import_in_file(tmp_path / "s.db", sha)
    with sqlite3.connect(tmp_path / "s.db") as conn:
        assert list(conn.iterdump()) == before
