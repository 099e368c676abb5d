"""The app's store: one per process, never created just by looking."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from igemo_fin.records.database import db_exists
from igemo_fin.records.store import Store, default_db_path

__all__ = ["app_store"]


@st.cache_resource(show_spinner=False)
def _store_at(path: str) -> Store:
    return Store(path)


def app_store(*, create: bool = False) -> Store | None:
    """The store of ``IGEMO_DB`` (one per process); None when its file does not exist and not ``create``.

    Reading (is there any account? a threshold version?) never creates the database file. A
    ``postgresql://`` URL names a database the server's administrator created: it is always there.
    """
    target = default_db_path()
    if not create and not db_exists(target):
        return None
    return _store_at(target if isinstance(target, str) else str(Path(target).resolve()))
