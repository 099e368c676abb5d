"""The append-only, hash-chained logs of the store and their verification.

Three logs live in the store's database (SQLite or PostgreSQL): the board's decisions (``decisions``,
:mod:`igemo_fin.records.decisions`), the versions of the official thresholds (``threshold_versions``,
:mod:`igemo_fin.records.threshold_versions`), both from migration 2 of
:data:`igemo_fin.records.store.MIGRATIONS`, and the history of the local accounts (``account_changes``,
migration 4, :mod:`igemo_fin.records.account_log`). Each is **append-only** twice over:

- the database refuses every ``UPDATE`` and ``DELETE`` on them (``BEFORE`` triggers that
  ``RAISE(ABORT, ...)``; on PostgreSQL PL/pgSQL triggers that raise, which refuse ``TRUNCATE`` too,
  and the application's role has no ``UPDATE``/``DELETE`` grant on them: ``deploy/postgresql.sql``);
- every entry carries ``entry_hash = SHA-256(canonical JSON of its fields and prev_hash)`` where
  ``prev_hash`` is the previous entry's ``entry_hash`` (:data:`GENESIS` for the first), one chain per
  table. Whoever edits the file around the triggers (drops them, or changes bytes on disk) breaks
  the chain, and :func:`verify_chain` names the first entry that no longer fits.

The canonical JSON (:func:`canonical_json`) has the keys sorted, no spaces, UTF-8, and holds the
table name, so an entry cannot be moved to another table. ``old_values`` / ``new_values`` are
hashed as the JSON text stored, so verification reads back exactly what was hashed.

Concurrency: an entry is appended in one write transaction (``BEGIN IMMEDIATE``; on PostgreSQL the
store's write lock) that reads the chain's head and inserts the next row, so two writers can never chain onto the same head. A writer that
finds the database locked waits (SQLite's busy timeout, :data:`igemo_fin.records.store.BUSY_TIMEOUT_MS`);
should the wait still end in ``database is locked``/``busy``, the append is retried
:data:`RETRIES` times with a short random back-off (:func:`retrying`) before the error is raised.

What the chain cannot show: removing the *last* entries (after dropping the trigger) leaves a
shorter chain that is still consistent. The head hash that ``python -m igemo_fin audit log``
prints can be written into the board's minutes; ``audit verify --head HASH`` then also checks that
that entry is still there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import re
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from igemo_fin.records.database import DATABASE_ERRORS, Database, db_exists, db_path_from
from igemo_fin.records.store import MIGRATIONS, Store

__all__ = [
    "GENESIS",
    "RETRIES",
    "DECISION_FIELDS",
    "THRESHOLD_FIELDS",
    "ACCOUNT_FIELDS",
    "CHAINS",
    "VerifyResult",
    "AuditError",
    "canonical_json",
    "entry_hash",
    "normalised_entry",
    "as_store",
    "retrying",
    "append_entry",
    "append",
    "checked_text",
    "checked_date",
    "verify_chain",
    "rows_of",
]

GENESIS = "0" * 64
"""``prev_hash`` of the first entry of each chain."""
RETRIES = 5
"""Extra attempts of an append that still met ``database is locked`` after the busy timeout."""

#: Hashed fields of a decision, in table order (``entry_hash`` excluded).
DECISION_FIELDS = ("id", "project_code", "decided_at", "meeting_date", "valuation_year", "verdict_engine",
                   "verdict_adopted", "overridden", "motivation", "decided_by", "data_version",
                   "thresholds_version", "prev_hash")
#: Hashed fields of a threshold version, in table order (``entry_hash`` excluded).
THRESHOLD_FIELDS = ("id", "created_at", "created_by", "reason", "old_values", "new_values", "prev_hash")
#: Hashed fields of an account change (:mod:`igemo_fin.records.account_log`), in table order.
ACCOUNT_FIELDS = ("id", "changed_at", "changed_by", "via", "os_user", "username", "action", "old_values",
                  "new_values", "reason", "prev_hash")

#: Every chain: its table and hashed fields, in the order they are verified; each table has the
#: triggers ``<table>_no_update`` and ``<table>_no_delete`` from the migration that created it.
CHAINS = {"decisions": DECISION_FIELDS, "threshold_versions": THRESHOLD_FIELDS, "account_changes": ACCOUNT_FIELDS}
_WORDS = {"decisions": "besluit", "threshold_versions": "drempelversie", "account_changes": "accountwijziging"}


class AuditError(ValueError):
    """An entry that cannot be recorded (missing motivation, unknown verdict, ...); Dutch message."""



@dataclass(frozen=True)
class VerifyResult:
    """What :func:`verify_chain` found."""

    ok: bool
    n_entries: int  #: entries checked, both tables
    first_bad_id: int | None  #: id of the first entry that does not fit (in ``table``)
    reason: str  #: Dutch, one sentence; empty when ok
    table: str | None = None  #: ``decisions``, ``threshold_versions`` or ``account_changes`` of the bad entry
    n_decisions: int = 0
    n_threshold_versions: int = 0
    head: dict | None = None  #: last ``entry_hash`` per table
    n_account_changes: int = 0

    @property
    def message(self) -> str:
        if self.ok:
            return (f"Logboek intact: {self.n_decisions} besluit(en), {self.n_threshold_versions} drempelversie(s) "
                    f"en {self.n_account_changes} accountwijziging(en); elke hash klopt met de vorige.")
        return f"Logboek GEWIJZIGD: {self.reason}"


# --------------------------------------------------------------------------- hashing

def canonical_json(table: str, row: Mapping) -> bytes:
    """The bytes an entry's hash covers: its fields (``entry_hash`` excluded) and the table name.

    >>> canonical_json("decisions", {"id": 1, "motivation": "é"}).decode()
    '{"id":1,"motivation":"é","table":"decisions"}'
    """
    payload = {k: v for k, v in row.items() if k != "entry_hash"}
    payload["table"] = table
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def entry_hash(table: str, row: Mapping) -> str:
    """SHA-256 (hex) of :func:`canonical_json`; ``row`` holds ``prev_hash``, which chains it."""
    return hashlib.sha256(canonical_json(table, row)).hexdigest()


def normalised_entry(table: str, row: Mapping) -> dict:
    """The hashed fields with the types the database returns (overridden as bool)."""
    out = {name: row[name] for name in CHAINS[table]}
    if table == "decisions":
        out["overridden"] = bool(out["overridden"])
    return out


# --------------------------------------------------------------------------- plumbing

def as_store(db: Store | str | os.PathLike) -> Store:
    """The store itself, or the store of a database file or URL."""
    return db if isinstance(db, Store) else Store(db)


def retrying(action: Callable[[], object]) -> object:
    """Run a write; retry it when SQLite still reports the database locked/busy after its busy timeout.

    The busy timeout (10 s) already makes a writer wait for the others; this is the second line:
    (PostgreSQL writers wait on the store's write lock instead, without a timeout, so they never get here)
    up to :data:`RETRIES` more attempts, each after a random pause of 50-250 ms x attempt number.
    The transaction is rolled back before a retry, so a retried append never writes twice.
    """
    for attempt in range(RETRIES + 1):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if attempt == RETRIES or ("locked" not in text and "busy" not in text):
                raise
            time.sleep(random.uniform(0.05, 0.25) * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def append_entry(conn, table: str, row: Mapping) -> dict:
    """Chain ``row`` onto ``table`` inside the caller's write transaction and insert it.

    Reads the head, sets ``id`` and ``prev_hash``, hashes, inserts; returns the stored row with its
    ``entry_hash``. The caller holds ``BEGIN IMMEDIATE`` (:meth:`Store.transaction`), so no other
    writer can chain onto the same head, and whatever else the transaction writes (an account
    change) is stored together with its entry or not at all.
    """
    fields = CHAINS[table]
    head = conn.execute(f"SELECT id, entry_hash FROM {table} ORDER BY id DESC LIMIT 1").fetchone()
    next_id, prev = (1, GENESIS) if head is None else (head[0] + 1, head[1])
    entry = {**row, "id": next_id, "prev_hash": prev}
    entry = {name: entry[name] for name in fields}
    entry["entry_hash"] = entry_hash(table, normalised_entry(table, entry))
    columns = ", ".join(entry)
    marks = ", ".join("?" for _ in entry)
    values = [int(v) if isinstance(v, bool) else v for v in entry.values()]
    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
    return entry


def append(store: Store, table: str, build: Callable[[object], dict]) -> dict:
    """Append one entry in its own transaction: build the row (inside the transaction), chain, insert."""

    def attempt() -> dict:
        with store.transaction() as conn:
            return append_entry(conn, table, build(conn))

    return retrying(attempt)  # type: ignore[return-value]


def checked_text(value: object, what: str, *, required: bool = True, limit: int = 4000) -> str:
    """A text field of an entry, stripped; :class:`AuditError` naming ``what`` when empty (if required) or too long."""
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise AuditError(f"{what} is verplicht")
    if len(text) > limit:
        raise AuditError(f"{what} is te lang ({len(text)} tekens, hoogstens {limit})")
    return text


def checked_date(value: dt.date | str, what: str) -> str:
    """A date field of an entry as ``yyyy-mm-dd``; :class:`AuditError` naming ``what`` when it is no date."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise AuditError(f"{what} '{value}' is geen geldige datum (jjjj-mm-dd)") from None


# --------------------------------------------------------------------------- verification

def verify_chain(db: Store | str | os.PathLike, *, head: str | None = None) -> VerifyResult:
    """Check every chain (decisions, threshold versions, account changes) entry by entry, without
    writing to the database.

    For each table, oldest first: the ids run 1, 2, 3, ...; each ``prev_hash`` is the previous
    entry's ``entry_hash`` (:data:`GENESIS` for the first); each ``entry_hash`` is the hash of the
    entry's fields as stored now. Then the append-only triggers must still be there (two per table,
    for the tables whose migration the database has had).

    Parameters
    ----------
    db : Store, path or URL
    head : str, optional
        An ``entry_hash`` written down earlier (e.g. in the minutes): it must still be in the log.

    Returns
    -------
    VerifyResult
        ``ok`` False with the first entry that does not fit (``table``, ``first_bad_id``) and the
        reason in Dutch.
    """
    target = (db.url or db.path) if isinstance(db, Store) else db_path_from(db)
    if not db_exists(target):
        return VerifyResult(False, 0, None, f"de databank {target} bestaat niet")
    database = Database(target)
    try:
        with database.read_only() as conn:
            return _verify(conn, database.schema_objects(conn), head)
    except DATABASE_ERRORS as exc:
        return VerifyResult(False, 0, None, f"de databank kan niet gelezen worden ({exc}): het bestand is beschadigd "
                            "of gewijzigd")


def rows_of(conn, sql: str) -> list[dict]:
    """The rows of a query as dicts (column name: value), on either backend's connection."""
    cursor = conn.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _created_in(table: str) -> int:
    """The migration (1-based) that creates ``table``."""
    return next(i + 1 for i, m in enumerate(MIGRATIONS)
                if re.search(rf"CREATE TABLE {table}\b", m if isinstance(m, str) else m["sqlite"]))


def _verify(conn, objects: set[str], head: str | None) -> VerifyResult:
    version = (conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0) \
        if "schema_version" in objects else 0
    expected_tables = [t for t in CHAINS if version >= _created_in(t)]
    counts = {table: 0 for table in CHAINS}
    heads: dict[str, str] = {}
    hashes: set[str] = set()

    def result(ok: bool, reason: str = "", bad_id: int | None = None, table: str | None = None) -> VerifyResult:
        return VerifyResult(ok, sum(counts.values()), bad_id, reason, table=table,
                            n_decisions=counts["decisions"], n_threshold_versions=counts["threshold_versions"],
                            head=dict(heads), n_account_changes=counts["account_changes"])

    for table in CHAINS:
        if table not in objects:
            if table in expected_tables:
                return result(False, f"de tabel {table} ontbreekt", table=table)
            continue
        word, previous, expected = _WORDS[table], GENESIS, 1
        for entry in rows_of(conn, f"SELECT * FROM {table} ORDER BY id"):
            if entry["id"] != expected:
                return result(False, f"{word} {expected} ontbreekt (na {word} {expected - 1} volgt {entry['id']})"
                              if entry["id"] > expected else f"{word} {entry['id']} staat niet op zijn plaats",
                              entry["id"], table)
            if entry["prev_hash"] != previous:
                return result(False, f"{word} {entry['id']}: de verwijzing naar de vorige hash klopt niet (een "
                              "eerdere regel werd verwijderd, vervangen of tussengevoegd)", entry["id"], table)
            try:
                fresh = entry_hash(table, normalised_entry(table, entry))
            except (TypeError, ValueError, KeyError):
                fresh = None
            if fresh != entry["entry_hash"]:
                return result(False, f"{word} {entry['id']}: de inhoud past niet meer bij zijn hash (gewijzigd na "
                              "het vastleggen)", entry["id"], table)
            previous, expected = entry["entry_hash"], expected + 1
            counts[table] += 1
            hashes.add(previous)
        if counts[table]:
            heads[table] = previous
    missing = [f"{t}_{what}" for t in expected_tables for what in ("no_update", "no_delete")
               if f"{t}_{what}" not in objects]
    if missing:
        return result(False, "de beveiliging tegen wijzigen en verwijderen ontbreekt (trigger "
                      f"{', '.join(missing)})")
    if head is not None and head not in hashes:
        return result(False, f"de opgegeven hash {head[:12]}… staat niet meer in het logboek (regels werden "
                      "verwijderd)")
    return result(True)
