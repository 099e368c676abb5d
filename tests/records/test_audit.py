"""igemo_fin.records.audit: the decision log and threshold versions are append-only and tamper-evident,
and many writers at once lose nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading

import pytest

from igemo_fin.records import audit
from igemo_fin.records.audit import (GENESIS, AuditError, canonical_json, data_version, decisions, entry_hash,
                             latest_thresholds, official_thresholds, record_decision, record_thresholds,
                             threshold_versions, verify_chain)
from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.records.store import MIGRATIONS, Store, file_sha256
from igemo_fin.valuation.thresholds import Thresholds
from igemo_fin.inputs.workbook import read_workbook

from conftest import DEMO_WORKBOOK, ROOT
from ledger_files import csv_bytes

SHA = "a" * 64


def decide(db, code="BT-05", engine="DOORGAAN", adopted=None, motivation="conform het advies", **kw):
    return record_decision(db, project_code=code, verdict_engine=engine, verdict_adopted=adopted or engine,
                           motivation=motivation, decided_by=kw.pop("decided_by", "an"), meeting_date="2026-03-02",
                           data_version=kw.pop("data_version", SHA), valuation_year=2026, **kw)


def run_cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "igemo_fin", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "log.db")


def raw(store) -> sqlite3.Connection:
    return sqlite3.connect(store.path, isolation_level=None)


def drop_triggers(conn) -> None:
    for name in ("decisions_no_update", "decisions_no_delete", "threshold_versions_no_update",
                 "threshold_versions_no_delete"):
        conn.execute(f"DROP TRIGGER {name}")


class TestSchema:
    def test_migration_adds_the_tables_and_triggers(self, store):
        assert store.schema_version() == len(MIGRATIONS)
        with raw(store) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
        assert {"decisions", "threshold_versions", "decisions_no_update", "decisions_no_delete",
                "threshold_versions_no_update", "threshold_versions_no_delete"} <= names

    def test_an_empty_log_verifies(self, store):
        result = verify_chain(store)
        assert (result.ok, result.n_entries, result.first_bad_id) == (True, 0, None)


class TestRecordDecision:
    def test_fields_and_chain(self, store):
        first = decide(store)
        second = decide(store, code="RC-04", engine="STOPZETTEN", adopted="BIJSTUREN", motivation="nieuwe koper")
        assert (first.id, first.prev_hash, first.overridden) == (1, GENESIS, False)
        assert (second.id, second.prev_hash, second.overridden) == (2, first.entry_hash, True)
        log = decisions(store)
        assert log["project_code"].tolist() == ["BT-05", "RC-04"]
        assert log["overridden"].tolist() == [False, True]
        assert log["entry_hash"].tolist() == [first.entry_hash, second.entry_hash]
        # the hash is the SHA-256 of the canonical JSON of the fields as stored
        row = {k: getattr(second, k) for k in audit.DECISION_FIELDS}
        assert second.entry_hash == entry_hash("decisions", row)
        assert b'"table":"decisions"' in canonical_json("decisions", row)

    def test_override_needs_a_motivation(self, store):
        with pytest.raises(AuditError, match="motivering"):
            decide(store, engine="STOPZETTEN", adopted="DOORGAAN", motivation="  ")
        decide(store, motivation="")  # following the model needs none
        assert len(decisions(store)) == 1

    def test_refusals(self, store):
        with pytest.raises(AuditError, match="onbekend besluit"):
            decide(store, adopted="MISSCHIEN")
        with pytest.raises(AuditError, match="geen geldige datum"):
            record_decision(store, project_code="X", verdict_engine=None, verdict_adopted="DOORGAAN", motivation="m",
                            decided_by="an", meeting_date="31/02/2026", data_version=SHA, valuation_year=2026)
        with pytest.raises(AuditError, match="drempelversie 7 bestaat niet"):
            decide(store, thresholds_version=7)
        assert decisions(store).empty

    def test_tied_to_a_threshold_version_and_the_data(self, store):
        version = record_thresholds(store, {"min_irr_pct": 4.0}, created_by="fien", reason="raad 01/03")
        entry = decide(store, thresholds_version=version.id)
        assert entry.thresholds_version == version.id
        assert data_version(store, SHA) == SHA
        data = csv_bytes([["Boekdatum", "Rekening", "Projectcode", "Bedrag"], ["05/01/2023", "605000", "P1", "10,00"]])
        done = store.import_ledger(read_ledger(data, filename="g.csv"), file_sha256=file_sha256(data),
                                   filename="g.csv", uploader="fien")
        assert data_version(store, SHA) == f"{SHA}+grootboek-{done.import_id}"


class TestThresholdVersions:
    def test_versions_keep_who_why_old_and_new(self, store):
        workbook = Thresholds(min_irr_pct=3.5)
        v1 = record_thresholds(store, workbook.with_values(min_irr_pct=4.0), created_by="fien", reason="raad 1",
                               old_values=workbook)
        v2 = record_thresholds(store, {"min_irr_pct": 4.5, "disconteringsvoet_pct": 3.0}, created_by="fien",
                               reason="raad 2")
        assert (v1.old_values["min_irr_pct"], v1.new_values["min_irr_pct"]) == (3.5, 4.0)
        assert v2.old_values == v1.new_values  # by default the previous version
        assert v2.prev_hash == v1.entry_hash and v1.prev_hash == GENESIS
        assert set(v2.new_values) == set(Thresholds.names())
        assert [v.id for v in threshold_versions(store)] == [1, 2]
        assert latest_thresholds(store).thresholds() == Thresholds(min_irr_pct=4.5, disconteringsvoet_pct=3.0)

    def test_official_thresholds_prefer_the_stored_version(self, store):
        portfolio = read_workbook(DEMO_WORKBOOK)
        assert official_thresholds(store, portfolio) == portfolio.thresholds
        record_thresholds(store, portfolio.thresholds.with_values(stop_npv_onder=-1e6), created_by="fien", reason="r")
        assert official_thresholds(store, portfolio).stop_npv_onder == -1e6

    @pytest.mark.parametrize("values, message", [
        ({"max_kans_verlies_pct": 120}, "niet tussen 0 en 100"),
        ({"stop_jaren_zonder_bestemming": -1}, "niet negatief"),
        ({"min_irr_pct": float("nan")}, "geen eindig getal"),
        ({"min_irr_pct": None}, "heeft een waarde nodig"),
        ({"onbekend": 1}, "onbekende drempel"),
    ])
    def test_refusals(self, store, values, message):
        with pytest.raises(AuditError, match=message):
            record_thresholds(store, values, created_by="fien", reason="r")

    def test_who_and_why_are_required(self, store):
        with pytest.raises(AuditError, match="reden"):
            record_thresholds(store, {}, created_by="fien", reason=" ")
        with pytest.raises(AuditError, match="wie"):
            record_thresholds(store, {}, created_by="", reason="r")


class TestAppendOnly:
    @pytest.mark.parametrize("sql", [
        "UPDATE decisions SET motivation = 'anders' WHERE id = 1",
        "UPDATE decisions SET verdict_adopted = 'AFSTOTEN'",
        "DELETE FROM decisions WHERE id = 1",
        "DELETE FROM decisions",
        "UPDATE threshold_versions SET reason = 'anders'",
        "DELETE FROM threshold_versions",
    ])
    def test_the_database_refuses_updates_and_deletes(self, store, sql):
        decide(store)
        record_thresholds(store, {}, created_by="fien", reason="r")
        with raw(store) as conn, pytest.raises(sqlite3.DatabaseError, match="alleen toevoegen"):
            conn.execute(sql)
        assert verify_chain(store).ok
        assert len(decisions(store)) == 1 and len(threshold_versions(store)) == 1


@pytest.fixture
def logged(store):
    """Three decisions and two threshold versions."""
    record_thresholds(store, {"min_irr_pct": 4.0}, created_by="fien", reason="raad 1")
    decide(store, code="BT-05")
    decide(store, code="RC-04", engine="STOPZETTEN", adopted="AFSTOTEN", motivation="Motivering AAAA-origineel")
    record_thresholds(store, {"min_irr_pct": 4.5}, created_by="fien", reason="raad 2")
    decide(store, code="WO-05")
    assert verify_chain(store).ok
    return store


class TestTamperEvidence:
    def test_an_altered_decision_is_named(self, logged):
        with raw(logged) as conn:
            drop_triggers(conn)
            conn.execute("UPDATE decisions SET verdict_adopted = 'DOORGAAN' WHERE id = 2")
        result = verify_chain(logged)
        assert (result.ok, result.table, result.first_bad_id) == (False, "decisions", 2)
        assert "besluit 2" in result.reason and "gewijzigd" in result.reason
        assert "Logboek GEWIJZIGD" in result.message

    def test_an_altered_entry_with_a_recomputed_hash_breaks_the_next_link(self, logged):
        with raw(logged) as conn:
            drop_triggers(conn)
            row = dict(zip([d[0] for d in conn.execute("SELECT * FROM decisions WHERE id = 2").description],
                           conn.execute("SELECT * FROM decisions WHERE id = 2").fetchone()))
            row["motivation"] = "iets anders"
            forged = entry_hash("decisions", audit._normalised("decisions", row))
            conn.execute("UPDATE decisions SET motivation = ?, entry_hash = ? WHERE id = 2", ("iets anders", forged))
        result = verify_chain(logged)
        assert (result.ok, result.first_bad_id) == (False, 3)
        assert "vorige hash" in result.reason

    def test_a_deleted_decision_is_named(self, logged):
        with raw(logged) as conn:
            drop_triggers(conn)
            conn.execute("DELETE FROM decisions WHERE id = 2")
        result = verify_chain(logged)
        assert (result.ok, result.first_bad_id) == (False, 3)
        assert "besluit 2 ontbreekt" in result.reason

    def test_an_altered_threshold_version_is_named(self, logged):
        with raw(logged) as conn:
            drop_triggers(conn)
            conn.execute("UPDATE threshold_versions SET new_values = replace(new_values, '4.5', '9.5') WHERE id = 2")
        result = verify_chain(logged)
        assert (result.ok, result.table, result.first_bad_id) == (False, "threshold_versions", 2)
        assert "drempelversie 2" in result.reason

    def test_edited_file_bytes_are_found(self, logged):
        with raw(logged) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = logged.path.read_bytes()
        assert data.count(b"AAAA-origineel") == 1
        logged.path.write_bytes(data.replace(b"AAAA-origineel", b"BBBB-origineel"))
        assert decisions(logged).loc[1, "motivation"] == "Motivering BBBB-origineel"  # the file still reads
        result = verify_chain(logged)
        assert (result.ok, result.table, result.first_bad_id) == (False, "decisions", 2)

    def test_dropped_triggers_are_reported(self, logged):
        with raw(logged) as conn:
            conn.execute("DROP TRIGGER decisions_no_delete")
        result = verify_chain(logged)
        assert not result.ok and "decisions_no_delete" in result.reason

    def test_removed_last_entries_are_found_with_the_head_from_the_minutes(self, logged):
        head = verify_chain(logged).head["decisions"]
        with raw(logged) as conn:
            drop_triggers(conn)
            conn.execute("DELETE FROM decisions WHERE id = 3")
            conn.executescript(MIGRATIONS[1].split("CREATE INDEX decisions_project ON decisions (project_code);")[1])
        assert verify_chain(logged).ok  # a shorter chain is still consistent ...
        result = verify_chain(logged, head=head)  # ... but the noted head is gone
        assert not result.ok and "niet meer in het logboek" in result.reason

    def test_verify_never_writes(self, logged):
        before = logged.path.stat().st_mtime_ns, logged.path.read_bytes()
        verify_chain(logged)
        assert (logged.path.stat().st_mtime_ns, logged.path.read_bytes()) == before

    def test_a_missing_database(self, tmp_path):
        result = verify_chain(tmp_path / "nergens.db")
        assert not result.ok and "bestaat niet" in result.reason


class TestCli:
    def test_verify_intact_and_broken(self, logged):
        done = run_cli("audit", "verify", "--db", str(logged.path))
        assert done.returncode == 0, done.stderr
        assert "Logboek intact: 3 besluit(en), 2 drempelversie(s) en 0 accountwijziging(en)" in done.stdout
        with raw(logged) as conn:
            drop_triggers(conn)
            conn.execute("UPDATE decisions SET decided_by = 'iemand anders' WHERE id = 3")
        done = run_cli("audit", "verify", "--db", str(logged.path))
        assert done.returncode == 1
        assert "besluit 3" in done.stderr and "eerste gebroken regel: decisions id 3" in done.stderr

    def test_log_json(self, logged):
        done = run_cli("audit", "log", "--db", str(logged.path), "--json")
        assert done.returncode == 0, done.stderr
        payload = json.loads(done.stdout)
        assert payload["verified"]["ok"] is True
        assert [d["project_code"] for d in payload["decisions"]] == ["BT-05", "RC-04", "WO-05"]
        assert payload["decisions"][1]["overridden"] is True
        assert payload["threshold_versions"][1]["new_values"]["min_irr_pct"] == 4.5

    def test_log_text(self, logged):
        done = run_cli("audit", "log", "--db", str(logged.path))
        assert done.returncode == 0 and "AFGEWEKEN" in done.stdout and "raad 2" in done.stdout


class TestRetry:
    def test_locked_is_retried(self, monkeypatch):
        monkeypatch.setattr(audit.time, "sleep", lambda s: None)
        calls = []

        def flaky():
            calls.append(1)
            if len(calls) < 3:
                raise sqlite3.OperationalError("database is locked")
            return "ok"

        assert audit._retrying(flaky) == "ok" and len(calls) == 3

    def test_other_errors_are_not_retried_and_retries_are_bounded(self, monkeypatch):
        monkeypatch.setattr(audit.time, "sleep", lambda s: None)
        calls = []

        def broken():
            calls.append(1)
            raise sqlite3.OperationalError("no such table: x")

        with pytest.raises(sqlite3.OperationalError, match="no such table"):
            audit._retrying(broken)
        assert len(calls) == 1

        def locked():
            calls.append(1)
            raise sqlite3.OperationalError("database is locked")

        with pytest.raises(sqlite3.OperationalError, match="locked"):
            audit._retrying(locked)
        assert len(calls) == 1 + audit.RETRIES + 1


def ledger_export(k: int) -> bytes:
    rows = [["Boekdatum", "Rekening", "Omschrijving", "Projectcode", "Bedrag"]]
    rows += [[f"{1 + n % 28:02d}/0{1 + k % 9}/2024", ("605000", "613000", "700000")[n % 3], f"boeking {k}-{n}",
              f"P{n % 5}", f"{100 + n},{k:02d}"] for n in range(150)]
    return csv_bytes(rows)


def test_eight_writers_at_once_lose_nothing(tmp_path):
    """8 threads, each with its own Store on one file: decisions, threshold versions, ledger and
    workbook imports interleaved. Every write lands, the chains are intact, nothing is 'locked'."""
    path = tmp_path / "busy.db"
    Store(path)
    exports = [ledger_export(k) for k in range(6)]
    reads = [(file_sha256(e), read_ledger(e, filename=f"g{k}.csv")) for k, e in enumerate(exports)]
    workbook = DEMO_WORKBOOK.read_bytes()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []
    N = 25

    def decisions_writer(t: int) -> None:
        store = Store(path)
        barrier.wait()
        for i in range(N):
            decide(store, code=f"T{t}-{i}", decided_by=f"thread {t}")

    def thresholds_writer() -> None:
        store = Store(path)
        barrier.wait()
        for i in range(N):
            record_thresholds(store, {"min_irr_pct": 3.0 + i / 10}, created_by="fien", reason=f"versie {i}")
            decide(store, code=f"TV-{i}", decided_by="thread 4")

    def ledger_writer(part: int) -> None:
        store = Store(path)
        barrier.wait()
        for sha, read in reads[part::2]:
            store.import_ledger(read, file_sha256=sha, filename="g.csv", uploader=f"thread {part}")
            decide(store, code=f"L{part}-{sha[:6]}", decided_by=f"ledger {part}")

    def workbook_writer() -> None:
        store = Store(path)
        barrier.wait()
        for i in range(5):
            store.add_workbook_version(workbook, f"v{i}.xlsx", "fien", {"i": i})
            decide(store, code=f"W-{i}", decided_by="thread 7")

    targets = [lambda t=t: decisions_writer(t) for t in range(4)]
    targets += [thresholds_writer, lambda: ledger_writer(0), lambda: ledger_writer(1), workbook_writer]

    def guarded(target):
        try:
            target()
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not [t for t in threads if t.is_alive()], "a writer hung"
    assert not errors, [repr(e) for e in errors]

    store = Store(path)
    log = decisions(store)
    expected = 4 * N + N + len(reads) + 5
    assert len(log) == expected and log["id"].tolist() == list(range(1, expected + 1))
    for t in range(4):
        assert sorted(log.loc[log["decided_by"] == f"thread {t}", "project_code"]) == sorted(f"T{t}-{i}" for i in range(N))
    assert len(threshold_versions(store)) == N
    assert len(store.import_history()) == len(reads)
    assert store.import_history()["rows_stored"].sum() == sum(len(r.lines) for _, r in reads)
    assert len(store.workbook_versions()) == 5
    result = verify_chain(store)
    assert result.ok and result.n_entries == expected + N
    assert store.integrity_check() == "ok"
