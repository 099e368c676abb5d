"""The store's generation: every committed write transaction moves it, nothing else does (both backends);
the sign-in throttle's writes, which nothing cached reads, are left out (``tests/records/test_throttle.py``)."""

from __future__ import annotations

import os
import sqlite3

import pytest

from igemo_fin.records.database import Database
from igemo_fin.records.generation import file_generation
from igemo_fin.records.store import MIGRATIONS, Store
from igemo_fin.records.users import add_user, count_users, get_user, set_active

PASSWORD = "correct-horse-battery"


def test_a_new_store_starts_at_its_first_generation(db):
    assert Store(db).generation()[0] == 1  # the migrations are one write transaction


def test_every_write_moves_it_and_a_read_does_not(db):
    store = Store(db)
    first = store.generation()
    add_user(store, "bert", role="bestuur", password=PASSWORD)
    second = store.generation()
    set_active(store, "bert", False)  # straight after the write before it
    third = store.generation()
    assert len({first, second, third}) == 3
    assert (second[0], third[0]) == (first[0] + 1, first[0] + 2)
    count_users(store), get_user(store, "bert")
    assert store.generation() == third
    assert Store(db).generation() == third  # opening a store that is up to date writes nothing


def test_a_transaction_rolled_back_leaves_it(db):
    store = Store(db)
    before = store.generation()
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("DELETE FROM users")
        raise RuntimeError("afgebroken")
    assert store.generation() == before


def test_a_schema_without_it_has_none(db):
    database = Database(db)
    database.migrate(MIGRATIONS[:-1])
    assert database.generation() is None
    database.migrate(MIGRATIONS)
    assert database.generation()[0] == 1


def test_another_file_in_its_place_at_the_same_count_differs(tmp_path):
    """A backup put back, or another store moved over this one: the count may be the same, the token not."""
    one, two = tmp_path / "een.db", tmp_path / "twee.db"
    Store(one), Store(two)
    before = file_generation(one)
    with sqlite3.connect(two) as conn:
        other = conn.execute("SELECT n, token FROM store_generation").fetchone()
    assert other[0] == before[0] and other != before
    for suffix in ("-wal", "-shm"):  # what a restore with the application stopped leaves
        one.with_name(one.name + suffix).unlink(missing_ok=True)
    os.replace(two, one)
    assert file_generation(one) == other


def test_a_postgresql_database_is_read_over_one_kept_connection(request, monkeypatch):
    """Every rerun reads the generation several times: one connection per database and process, and one
    the server has closed is replaced (a restart or an idle timeout must not break the pages)."""
    from igemo_fin.records import generation, postgres

    server = request.getfixturevalue("pg_server")
    url = server.new_database()  # a new name: no connection of this process reads it yet
    opened = []
    real_open = postgres.open_reader
    monkeypatch.setattr(postgres, "open_reader", lambda u: opened.append(u) or real_open(u))
    try:
        store = Store(url)
        first = store.generation()
        assert generation.url_generation(url) == first
        add_user(store, "bert", role="bestuur", password=PASSWORD)
        assert generation.url_generation(url) == store.generation() and store.generation()[0] == first[0] + 1
        assert opened == [url]
        with postgres.connect(url) as admin:  # the server ends every other session on this database
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        assert generation.url_generation(url) == store.generation()
        assert opened == [url, url]
    finally:
        server.drop_database(url)
