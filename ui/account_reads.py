"""The two account reads of the sign-in, read once per state of the database.

Every run of every page asks who is signed in several times (the entry script's gate, the visibility
filter, each write action), and each time it read the number of accounts and the signed-in account,
each over a database connection of its own: an eighth of the server's time per page under load
(py-spy, ``benchmarks/bench_pages.py``). Both reads are cached on the database's state
(:func:`ui.store_source.db_key`, the store's generation): every committed write (an account added,
disabled, its role or municipality changed), however soon after the one before it, changes the key,
so the next run reads afresh, and disabling an account still ends its sessions at their next run.
"""

from __future__ import annotations

import streamlit as st

from igemo_fin.records.store import Store
from igemo_fin.records.users import User, count_users, get_user

__all__ = ["account", "account_count"]


def _state_of(store: Store) -> tuple | None:
    """The state key of ``store`` (None when its file is gone: then nothing is cached)."""
    from ui.store_source import db_key  # it builds on ui.state, which builds on the sign-in

    return db_key(store.url or store.path)


@st.cache_data(show_spinner=False, max_entries=16)
def _count(target: str, key: tuple, _store: Store) -> int:
    return count_users(_store)


@st.cache_data(show_spinner=False, max_entries=256)
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
