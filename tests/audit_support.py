"""Helpers the tests of the hash-chained logs share: a decision in one call, a raw connection."""

from __future__ import annotations

import sqlite3

from igemo_fin.records.decisions import record_decision

SHA = "a" * 64
"""A workbook SHA-256 to record decisions against."""


def decide(db, code="BT-05", engine="DOORGAAN", adopted=None, motivation="conform het advies", **kw):
    return record_decision(db, project_code=code, verdict_engine=engine, verdict_adopted=adopted or engine,
                           motivation=motivation, decided_by=kw.pop("decided_by", "an"), meeting_date="2026-03-02",
                           data_version=kw.pop("data_version", SHA), valuation_year=2026, **kw)



def raw(store) -> sqlite3.Connection:
    return sqlite3.connect(store.path, isolation_level=None)

