"""The board's decision log, the versions of the official thresholds and the history of the local
accounts.

The three live in the store's SQLite database (tables ``decisions`` and ``threshold_versions``,
migration 2 of :data:`igemo_fin.records.store.MIGRATIONS`; ``account_changes``, migration 4, written by
:mod:`igemo_fin.records.account_log`) and are **append-only** twice over:

- the database refuses every ``UPDATE`` and ``DELETE`` on them (``BEFORE`` triggers that
  ``RAISE(ABORT, ...)``);
- every entry carries ``entry_hash = SHA-256(canonical JSON of its fields and prev_hash)`` where
  ``prev_hash`` is the previous entry's ``entry_hash`` (:data:`GENESIS` for the first), one chain per
  table. Whoever edits the file around the triggers (drops them, or changes bytes on disk) breaks
  the chain, and :func:`verify_chain` names the first entry that no longer fits.

The canonical JSON (:func:`canonical_json`) has the keys sorted, no spaces, UTF-8, and holds the
table name, so an entry cannot be moved to the other table. ``old_values`` / ``new_values`` are
hashed as the JSON text stored, so verification reads back exactly what was hashed.

Concurrency: an entry is appended in one ``BEGIN IMMEDIATE`` transaction that reads the chain's
head and inserts the next row, so two writers can never chain onto the same head. A writer that
finds the database locked waits (SQLite's busy timeout, :data:`igemo_fin.records.store.BUSY_TIMEOUT_MS`);
should the wait still end in ``database is locked``/``busy``, the append is retried
:data:`RETRIES` times with a short random back-off (:func:`_retrying`) before the error is raised.

What the chain cannot show: removing the *last* entries (after dropping the trigger) leaves a
shorter chain that is still consistent. The head hash that ``python -m igemo_fin audit log``
prints can be written into the board's minutes; ``audit verify --head HASH`` then also checks that
that entry is still there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import random
import re
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from igemo_fin.valuation.rules import VERDICTS
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.records.store import MIGRATIONS, Store
from igemo_fin.valuation.thresholds import Thresholds

__all__ = [
    "GENESIS",
    "DECISION_FIELDS",
    "THRESHOLD_FIELDS",
    "ACCOUNT_FIELDS",
    "Decision",
    "ThresholdVersion",
    "VerifyResult",
    "AuditError",
    "canonical_json",
    "entry_hash",
    "append_entry",
    "record_decision",
    "record_thresholds",
    "data_version",
    "decisions",
    "threshold_versions",
    "latest_thresholds",
    "stored_thresholds",
    "official_thresholds",
    "verify_chain",
    "validate_thresholds",
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

#: Every chain: its table and hashed fields; each table has the triggers ``<table>_no_update`` and
#: ``<table>_no_delete`` from the migration that created it.
_TABLES = {"decisions": DECISION_FIELDS, "threshold_versions": THRESHOLD_FIELDS, "account_changes": ACCOUNT_FIELDS}
_WORDS = {"decisions": "besluit", "threshold_versions": "drempelversie", "account_changes": "accountwijziging"}


class AuditError(ValueError):
    """An entry that cannot be recorded (missing motivation, unknown verdict, ...); Dutch message."""


@dataclass(frozen=True)
class Decision:
    """One entry of the decision log (a row of ``decisions``)."""

    id: int
    project_code: str
    decided_at: str  #: ISO 8601, UTC
    meeting_date: str  #: yyyy-mm-dd
    valuation_year: int
    verdict_engine: str | None  #: what the model said (None: the project had no verdict)
    verdict_adopted: str  #: what the board decided
    overridden: bool  #: the board did not follow the model
    motivation: str
    decided_by: str
    data_version: str  #: SHA-256 of the workbook, ``+grootboek-N`` when ledger imports counted
    thresholds_version: int | None  #: id in ``threshold_versions``; None: the workbook's thresholds
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True)
class ThresholdVersion:
    """One version of the official thresholds (a row of ``threshold_versions``)."""

    id: int
    created_at: str  #: ISO 8601, UTC
    created_by: str
    reason: str
    old_values: dict  #: every threshold before [its unit, see THRESHOLD_INFO]; None = default
    new_values: dict  #: every threshold after
    prev_hash: str
    entry_hash: str

    def thresholds(self) -> Thresholds:
        return Thresholds(**{k: v for k, v in self.new_values.items() if k in Thresholds.names()})


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


def _normalised(table: str, row: Mapping) -> dict:
    """The hashed fields with the types the database returns (overridden as bool)."""
    out = {name: row[name] for name in _TABLES[table]}
    if table == "decisions":
        out["overridden"] = bool(out["overridden"])
    return out


# --------------------------------------------------------------------------- plumbing

def _store(db: Store | str | os.PathLike) -> Store:
    return db if isinstance(db, Store) else Store(db)


def _retrying(action: Callable[[], object]) -> object:
    """Run a write; retry it when SQLite still reports the database locked/busy after its busy timeout.

    The busy timeout (10 s) already makes a writer wait for the others; this is the second line:
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


def append_entry(conn: sqlite3.Connection, table: str, row: Mapping) -> dict:
    """Chain ``row`` onto ``table`` inside the caller's write transaction and insert it.

    Reads the head, sets ``id`` and ``prev_hash``, hashes, inserts; returns the stored row with its
    ``entry_hash``. The caller holds ``BEGIN IMMEDIATE`` (:meth:`Store.transaction`), so no other
    writer can chain onto the same head, and whatever else the transaction writes (an account
    change) is stored together with its entry or not at all.
    """
    fields = _TABLES[table]
    head = conn.execute(f"SELECT id, entry_hash FROM {table} ORDER BY id DESC LIMIT 1").fetchone()
    next_id, prev = (1, GENESIS) if head is None else (head[0] + 1, head[1])
    entry = {**row, "id": next_id, "prev_hash": prev}
    entry = {name: entry[name] for name in fields}
    entry["entry_hash"] = entry_hash(table, _normalised(table, entry))
    columns = ", ".join(entry)
    marks = ", ".join("?" for _ in entry)
    values = [int(v) if isinstance(v, bool) else v for v in entry.values()]
    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
    return entry


def _append(store: Store, table: str, build: Callable[[sqlite3.Connection], dict]) -> dict:
    """Append one entry in its own transaction: build the row (inside the transaction), chain, insert."""

    def attempt() -> dict:
        with store.transaction() as conn:
            return append_entry(conn, table, build(conn))

    return _retrying(attempt)  # type: ignore[return-value]


def _text(value: object, what: str, *, required: bool = True, limit: int = 4000) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise AuditError(f"{what} is verplicht")
    if len(text) > limit:
        raise AuditError(f"{what} is te lang ({len(text)} tekens, hoogstens {limit})")
    return text


def _date(value: dt.date | str, what: str) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise AuditError(f"{what} '{value}' is geen geldige datum (jjjj-mm-dd)") from None


# --------------------------------------------------------------------------- decisions

def record_decision(db: Store | str | os.PathLike, *, project_code: str, verdict_engine: str | None,
                    verdict_adopted: str, motivation: str, decided_by: str, meeting_date: dt.date | str,
                    data_version: str, valuation_year: int, thresholds_version: int | None = None) -> Decision:
    """Append a board decision to the log.

    Parameters
    ----------
    db : Store or path
        The store (or its database file).
    project_code : str
    verdict_engine : str or None
        The model's verdict the board saw (None for a project without one).
    verdict_adopted : str
        The board's decision: one of DOORGAAN, BIJSTUREN, STOPZETTEN, AFSTOTEN.
    motivation : str
        Why; required when the board deviates from the model (``overridden``).
    decided_by : str
        Who recorded it (the signed-in user).
    meeting_date : date or 'yyyy-mm-dd'
        The board meeting.
    data_version : str
        The figures it was based on: the workbook's SHA-256 (and the ledger import).
    valuation_year : int
        ``V`` of the evaluation the board saw.
    thresholds_version : int, optional
        Id of the threshold version in force (:func:`latest_thresholds`); None when the workbook's
        own ``drempels`` applied (they are then part of ``data_version``).

    Returns
    -------
    Decision
        The stored entry, with its id and hashes. ``overridden`` is derived: the adopted verdict
        differs from the model's.

    Raises
    ------
    AuditError
        An unknown verdict, an empty motivation for an override, an unknown threshold version.
    """
    if verdict_adopted not in VERDICTS:
        raise AuditError(f"onbekend besluit '{verdict_adopted}' (kies uit {', '.join(VERDICTS)})")
    if verdict_engine is not None and verdict_engine not in VERDICTS:
        raise AuditError(f"onbekend oordeel van het model '{verdict_engine}'")
    overridden = verdict_adopted != verdict_engine
    code = _text(project_code, "de projectcode", limit=100)
    reason = _text(motivation, "een motivering bij een afwijkend besluit", required=overridden)
    who = _text(decided_by, "wie het besluit vastlegt", limit=200)
    version = _text(data_version, "de gegevensversie", limit=200)
    meeting = _date(meeting_date, "de vergaderdatum")
    store = _store(db)
    if thresholds_version is not None:
        with store.connect() as conn:
            if conn.execute("SELECT 1 FROM threshold_versions WHERE id = ?", (int(thresholds_version),)).fetchone() is None:
                raise AuditError(f"drempelversie {thresholds_version} bestaat niet")
    row = _append(store, "decisions", lambda _conn: {
        "project_code": code, "decided_at": store.now(), "meeting_date": meeting,
        "valuation_year": int(valuation_year), "verdict_engine": verdict_engine,
        "verdict_adopted": verdict_adopted, "overridden": overridden, "motivation": reason,
        "decided_by": who, "data_version": version,
        "thresholds_version": None if thresholds_version is None else int(thresholds_version),
    })
    return Decision(**{**row, "overridden": bool(row["overridden"])})


def data_version(db: Store | str | os.PathLike, workbook_sha256: str) -> str:
    """What figures a decision is based on: the workbook's SHA-256, and ``+grootboek-N`` when ledger
    imports exist (N: the newest import, whose actuals the evaluation used).

    >>> import tempfile, pathlib
    >>> data_version(pathlib.Path(tempfile.mkdtemp()) / "d.db", "ab" * 32)[-6:]
    'ababab'
    """
    store = _store(db)
    with store.connect() as conn:
        newest = conn.execute("SELECT MAX(id) FROM ledger_imports").fetchone()[0]
    return workbook_sha256 if newest is None else f"{workbook_sha256}+grootboek-{newest}"


def decisions(db: Store | str | os.PathLike) -> pd.DataFrame:
    """The decision log, oldest first: the columns of ``decisions`` (``overridden`` as bool)."""
    store = _store(db)
    frame = store.query_frame("SELECT * FROM decisions ORDER BY id")
    frame["overridden"] = frame["overridden"].astype(bool)
    return frame


# --------------------------------------------------------------------------- thresholds

def validate_thresholds(values: Mapping[str, float | None]) -> dict[str, float | None]:
    """Every threshold as a plain float (or None for the discount rate's default), checked.

    Unknown names, non-finite numbers, percentages outside 0-100 and negative years are refused
    with the same rules as the workbook's ``drempels`` sheet.

    >>> validate_thresholds({"min_irr_pct": 4})["min_irr_pct"]
    4.0
    """
    known = Thresholds.names()
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise AuditError(f"onbekende drempel(s): {', '.join(unknown)}")
    out = Thresholds().as_dict()
    for name, value in values.items():
        if value is None:
            if name != "disconteringsvoet_pct":
                raise AuditError(f"drempel '{name}' heeft een waarde nodig")
            out[name] = None
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise AuditError(f"drempel '{name}': '{value}' is geen getal") from None
        if not math.isfinite(number):
            raise AuditError(f"drempel '{name}': {value} is geen eindig getal")
        if name in ("max_kans_verlies_pct", "stop_kans_verlies_pct") and not 0 <= number <= 100:
            raise AuditError(f"drempel '{name}': percentage {number:g} ligt niet tussen 0 en 100")
        if name.endswith("jaren_zonder_bestemming") and number < 0:
            raise AuditError(f"drempel '{name}': aantal jaren {number:g} mag niet negatief zijn")
        out[name] = number
    return out


def _values_json(values: Mapping[str, float | None]) -> str:
    return json.dumps(dict(values), sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _version(row: Mapping) -> ThresholdVersion:
    return ThresholdVersion(
        id=int(row["id"]), created_at=row["created_at"], created_by=row["created_by"], reason=row["reason"],
        old_values=json.loads(row["old_values"]), new_values=json.loads(row["new_values"]),
        prev_hash=row["prev_hash"], entry_hash=row["entry_hash"])


def record_thresholds(db: Store | str | os.PathLike, new_values: Thresholds | Mapping[str, float | None], *,
                      created_by: str, reason: str,
                      old_values: Thresholds | Mapping[str, float | None] | None = None) -> ThresholdVersion:
    """Store a new version of the official thresholds.

    Parameters
    ----------
    new_values : Thresholds or mapping
        The thresholds that are official from now on; names missing from a mapping get the
        documented defaults.
    created_by, reason : str
        Who sets them and why (both required).
    old_values : Thresholds or mapping, optional
        What was official before. Default: the previous version's ``new_values``; for the first
        version the caller passes the workbook's thresholds (the page does), else the defaults.

    Returns
    -------
    ThresholdVersion
    """
    new = validate_thresholds(new_values.as_dict() if isinstance(new_values, Thresholds) else new_values)
    who = _text(created_by, "wie de drempels vastlegt", limit=200)
    why = _text(reason, "de reden van de wijziging")
    given_old = None if old_values is None else validate_thresholds(
        old_values.as_dict() if isinstance(old_values, Thresholds) else old_values)
    store = _store(db)

    def build(conn: sqlite3.Connection) -> dict:
        old = given_old
        if old is None:  # read inside the append's transaction: no other version can slip in between
            last = conn.execute("SELECT new_values FROM threshold_versions ORDER BY id DESC LIMIT 1").fetchone()
            old = json.loads(last[0]) if last else Thresholds().as_dict()
        return {"created_at": store.now(), "created_by": who, "reason": why,
                "old_values": _values_json(old), "new_values": _values_json(new)}

    return _version(_append(store, "threshold_versions", build))


def threshold_versions(db: Store | str | os.PathLike) -> list[ThresholdVersion]:
    """Every threshold version, oldest first."""
    frame = _store(db).query_frame("SELECT * FROM threshold_versions ORDER BY id")
    return [_version(r) for r in frame.to_dict("records")]


def latest_thresholds(db: Store | str | os.PathLike) -> ThresholdVersion | None:
    """The threshold version in force (the newest), or None when none was ever stored."""
    store = _store(db)
    frame = store.query_frame("SELECT * FROM threshold_versions ORDER BY id DESC LIMIT 1")
    return None if frame.empty else _version(frame.iloc[0].to_dict())


def stored_thresholds(db: Store | str | os.PathLike) -> Thresholds | None:
    """The official thresholds from the database, or None when none were stored (the workbook's apply)."""
    latest = latest_thresholds(db)
    return None if latest is None else latest.thresholds()


def official_thresholds(db: Store | str | os.PathLike, portfolio: Portfolio) -> Thresholds:
    """The thresholds the evaluation uses: the newest stored version, else the workbook's ``drempels``.

    A version stored with :func:`record_thresholds` outranks the ``drempels`` sheet of every
    workbook uploaded after it: finance sets the official thresholds once, in the app.
    """
    return stored_thresholds(db) or portfolio.thresholds


# --------------------------------------------------------------------------- verification

def _connect_read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    conn.row_factory = sqlite3.Row
    return conn


def verify_chain(db: Store | str | os.PathLike, *, head: str | None = None) -> VerifyResult:
    """Check every chain (decisions, threshold versions, account changes) entry by entry, without
    writing to the database.

    For each table, oldest first: the ids run 1, 2, 3, ...; each ``prev_hash`` is the previous
    entry's ``entry_hash`` (:data:`GENESIS` for the first); each ``entry_hash`` is the hash of the
    entry's fields as stored now. Then the append-only triggers must still be there (two per table,
    for the tables whose migration the database has had).

    Parameters
    ----------
    db : Store or path
    head : str, optional
        An ``entry_hash`` written down earlier (e.g. in the minutes): it must still be in the log.

    Returns
    -------
    VerifyResult
        ``ok`` False with the first entry that does not fit (``table``, ``first_bad_id``) and the
        reason in Dutch.
    """
    path = db.path if isinstance(db, Store) else Path(db)
    if not path.is_file():
        return VerifyResult(False, 0, None, f"de databank {path} bestaat niet")
    try:
        conn = _connect_read_only(path)
        try:
            return _verify(conn, head)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return VerifyResult(False, 0, None, f"de databank kan niet gelezen worden ({exc}): het bestand is beschadigd "
                            "of gewijzigd")


def _created_in(table: str) -> int:
    """The migration (1-based) that creates ``table``."""
    return next(i + 1 for i, m in enumerate(MIGRATIONS) if re.search(rf"CREATE TABLE {table}\b", m))


def _verify(conn: sqlite3.Connection, head: str | None) -> VerifyResult:
    objects = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
    version = (conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0) \
        if "schema_version" in objects else 0
    expected_tables = [t for t in _TABLES if version >= _created_in(t)]
    counts = {table: 0 for table in _TABLES}
    heads: dict[str, str] = {}
    hashes: set[str] = set()

    def result(ok: bool, reason: str = "", bad_id: int | None = None, table: str | None = None) -> VerifyResult:
        return VerifyResult(ok, sum(counts.values()), bad_id, reason, table=table,
                            n_decisions=counts["decisions"], n_threshold_versions=counts["threshold_versions"],
                            head=dict(heads), n_account_changes=counts["account_changes"])

    for table in _TABLES:
        if table not in objects:
            if table in expected_tables:
                return result(False, f"de tabel {table} ontbreekt", table=table)
            continue
        word, previous, expected = _WORDS[table], GENESIS, 1
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY id"):
            entry = dict(row)
            if entry["id"] != expected:
                return result(False, f"{word} {expected} ontbreekt (na {word} {expected - 1} volgt {entry['id']})"
                              if entry["id"] > expected else f"{word} {entry['id']} staat niet op zijn plaats",
                              entry["id"], table)
            if entry["prev_hash"] != previous:
                return result(False, f"{word} {entry['id']}: de verwijzing naar de vorige hash klopt niet (een "
                              "eerdere regel werd verwijderd, vervangen of tussengevoegd)", entry["id"], table)
            try:
                fresh = entry_hash(table, _normalised(table, entry))
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
