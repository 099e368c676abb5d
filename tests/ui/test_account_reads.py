"""The sign-in's account reads: cached on the database's state, never stale after a write."""

from __future__ import annotations

import pytest
import streamlit as st

from igemo_fin.records.store import Store
from igemo_fin.records.users import add_user, set_active, set_role
from ui import account_reads

from conftest import as_if_in_one_clock_tick, file_stamps

PASSWORD = "correct-horse-battery"


@pytest.fixture
def store(monkeypatch, tmp_path):
    monkeypatch.setenv("IGEMO_DB", str(tmp_path / "app.db"))
    st.cache_data.clear()
    yield Store(tmp_path / "app.db")
    st.cache_data.clear()


@pytest.fixture
def queries(monkeypatch):
    """How often each read reached the database."""
    counted = {"count": 0, "user": 0}
    count_users, get_user = account_reads.count_users, account_reads.get_user

    def counting_count(db):
        counted["count"] += 1
        return count_users(db)

    def counting_get(db, name):
        counted["user"] += 1
        return get_user(db, name)

    monkeypatch.setattr(account_reads, "count_users", counting_count)
    monkeypatch.setattr(account_reads, "get_user", counting_get)
    return counted


def test_a_second_read_without_a_write_does_not_query(store, queries):
    add_user(store, "bert", role="bestuur", password=PASSWORD)
    for _ in range(3):
        assert account_reads.account_count(store) == 1
        assert account_reads.account(store, "bert").role == "bestuur"
    assert queries == {"count": 1, "user": 1}


def test_every_write_is_seen_at_the_next_read(store, queries):
    assert account_reads.account_count(store) == 0
    add_user(store, "bert", role="bestuur", password=PASSWORD)
    assert account_reads.account_count(store) == 1
    assert account_reads.account(store, "bert").active
    set_active(store, "bert", False)
    assert not account_reads.account(store, "bert").active  # disabling ends the sessions at their next run
    set_role(store, "bert", "gemeente", "Lier")
    assert (account_reads.account(store, "bert").role, account_reads.account(store, "bert").gemeente) == ("gemeente", "Lier")
    assert account_reads.account(store, "niemand") is None


def test_the_reads_equal_the_stores(store):
    from igemo_fin.records.users import count_users, get_user

    add_user(store, "bert", role="bestuur", password=PASSWORD)
    add_user(store, "lier", role="gemeente", gemeente="Lier", password=PASSWORD)
    assert account_reads.account_count(store) == count_users(store)
    for name in ("bert", "lier", " Lier ", "x"):
        assert account_reads.account(store, name) == get_user(store, name)


def test_a_write_in_the_same_clock_tick_is_seen(store, queries):
    """Two writes whose files' modification times and sizes are the same: the second one is still seen."""
    add_user(store, "bert", role="bestuur", password=PASSWORD)
    stamps = file_stamps(store.path)
    assert account_reads.account(store, "bert").active
    assert account_reads.account(store, "bert").active
    set_active(store, "bert", False)
    as_if_in_one_clock_tick(store.path, stamps)
    assert not account_reads.account(store, "bert").active
    assert queries["user"] == 2
