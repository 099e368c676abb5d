"""The two account reads of the sign-in, read once per state of the database.

Every run of every page asks who is signed in several times (the entry script's gate, the visibility
filter, each write action), and each time it read the number of accounts and the signed-in account,
each over a database connection of its own: an eighth of the server's time per page under load
(py-spy, ``benchmarks/bench_pages.py``). Both reads are cached on the database's state
(:func:`ui.store_source.db_key`): a committed write (an account added, disabled, its role or
municipality changed) changes the key, so the next run reads afresh, and disabling an account still
ends its sessions at their next run. On SQLite the key is the files' sizes and modification times,
which a write in the same clock tick as the write before it (a few ms) might leave as they were: the
reads are therefore also at most :data:`MAX_AGE_S` old.
"""

from __future__ import annotations

import streamlit as st

from igemo_fin.records.store import Store
from igemo_fin.records.users import User, count_users, get_user

__all__ = ["MAX_AGE_S", "account", "account_count"]

#: The oldest a cached read may be [s], whatever the key says.
MAX_AGE_S = 1.0


def _state_of(store: Store) -> tuple | None:
    """The state key of ``store`` (None when its file is gone: then nothing is cached)."""
    from ui.store_source import db_key  # it builds on ui.state, which builds on the sign-in

    return db_key(store.url or store.path)


@st.cache_data(show_spinner=False, max_entries=16, ttl=MAX_AGE_S)
def _count(target: str, key: tuple, _store: Store) -> int:
    return count_users(_store)


@st.cache_data(show_spinner=False, max_entries=256, ttl=MAX_AGE_S)
def _account(target: str, key: tuple, name: str, _store: Store) -> User | None:
    return get_user(_store, name)


def account_count(store: Store) -> int:
    """:func:`igemo_fin.records.users.count_users` of ``store``, read once per state of the database."""
    key = _state_of(store)
    return count_users(store) if key is None else _count(store.target, key, store)


def account(store: Store, name: str) -> User | None:
    """:func:`igemo_fin.records.users.get_user`, read once per state of the database."""
    key = _state_of(store)
    return get_user(store, name) if key is None else _account(store.target, key, name, store)
