"""Helpers the tests of the hash-chained logs share: a decision in one call, a raw connection."""

from __future__ import annotations

from igemo_fin.records.decisions import record_decision

SHA = "a" * 64
"""A workbook SHA-256 to record decisions against."""


def decide(db, code="BT-05", engine="DOORGAAN", adopted=None, motivation="conform het advies", **kw):
    return record_decision(db, project_code=code, verdict_engine=engine, verdict_adopted=adopted or engine,
                           motivation=motivation, decided_by=kw.pop("decided_by", "an"), meeting_date="2026-03-02",
                           data_version=kw.pop("data_version", SHA), valuation_year=2026, **kw)



def raw(store):
    """An autocommit connection of the store's backend, around the store's own code (to tamper with it)."""
    return store.connect()


def drop_trigger(conn, store, name: str) -> None:
    """Drop one append-only trigger (PostgreSQL names its table; its TRUNCATE twin goes with it)."""
    if store.backend == "sqlite":
        conn.execute(f"DROP TRIGGER {name}")
        return
    table = name.rsplit("_no_", 1)[0]
    conn.execute(f"DROP TRIGGER {name} ON {table}")
    conn.execute(f"DROP TRIGGER IF EXISTS {name}_truncate ON {table}")

