"""igemo_fin.records.chain: the logs are append-only and tamper-evident, and many writers at once lose nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading

import pytest

from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.records import chain
from igemo_fin.records.chain import entry_hash, verify_chain
from igemo_fin.records.database import DATABASE_ERRORS
from igemo_fin.records.decisions import decisions
from igemo_fin.records.store import MIGRATIONS, Store, file_sha256
from igemo_fin.records.threshold_versions import record_thresholds, threshold_versions

from audit_support import decide, drop_trigger, raw
from conftest import DEMO_WORKBOOK, ROOT
from ledger_files import csv_bytes


def run_cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "igemo_fin", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture
def store(db):
    return Store(db)



def drop_triggers(conn, store) -> None:
    for name in ("decisions_no_update", "decisions_no_delete", "threshold_versions_no_update",
                 "threshold_versions_no_delete"):
        drop_trigger(conn, store, name)


class TestSchema:
    def test_migration_adds_the_tables_and_triggers(self, store):
        assert store.schema_version() == len(MIGRATIONS)
        with raw(store) as conn:
            names = store.schema_objects(conn)
        assert {"decisions", "threshold_versions", "decisions_no_update", "decisions_no_delete",
                "threshold_versions_no_update", "threshold_versions_no_delete"} <= names

    def test_an_empty_log_verifies(self, store):
        result = verify_chain(store)
        assert (result.ok, result.n_entries, result.first_bad_id) == (True, 0, None)



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
        with raw(store) as conn, pytest.raises(DATABASE_ERRORS, match="alleen toevoegen"):
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
            drop_triggers(conn, logged)
            conn.execute("UPDATE decisions SET verdict_adopted = 'DOORGAAN' WHERE id = 2")
        result = verify_chain(logged)
        assert (result.ok, result.table, result.first_bad_id) == (False, "decisions", 2)
        assert "besluit 2" in result.reason and "gewijzigd" in result.reason
        assert "Logboek GEWIJZIGD" in result.message

    def test_an_altered_entry_with_a_recomputed_hash_breaks_the_next_link(self, logged):
        with raw(logged) as conn:
            drop_triggers(conn, logged)
            row = dict(zip([d[0] for d in conn.execute("SELECT * FROM decisions WHERE id = 2").description],
                           conn.execute("SELECT * FROM decisions WHERE id = 2").fetchone()))
            row["motivation"] = "iets anders"
            forged = entry_hash("decisions", chain.normalised_entry("decisions", row))
            conn.execute("UPDATE decisions SET motivation = ?, entry_hash = ? WHERE id = 2", ("iets anders", forged))
        result = verify_chain(logged)
        assert (result.ok, result.first_bad_id) == (False, 3)
        assert "vorige hash" in result.reason

    def test_a_deleted_decision_is_named(self, logged):
        with raw(logged) as conn:
            drop_triggers(conn, logged)
            conn.execute("DELETE FROM decisions WHERE id = 2")
        result = verify_chain(logged)
        assert (result.ok, result.first_bad_id) == (False, 3)
        assert "besluit 2 ontbreekt" in result.reason

    def test_an_altered_threshold_version_is_named(self, logged):
        with raw(logged) as conn:
            drop_triggers(conn, logged)
            conn.execute("UPDATE threshold_versions SET new_values = replace(new_values, '4.5', '9.5') WHERE id = 2")
        result = verify_chain(logged)
        assert (result.ok, result.table, result.first_bad_id) == (False, "threshold_versions", 2)
        assert "drempelversie 2" in result.reason

    @pytest.mark.parametrize("db", ["sqlite"], indirect=True)
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
            drop_trigger(conn, logged, "decisions_no_delete")
        result = verify_chain(logged)
        assert not result.ok and "decisions_no_delete" in result.reason

    def test_removed_last_entries_are_found_with_the_head_from_the_minutes(self, logged):
        head = verify_chain(logged).head["decisions"]
        with raw(logged) as conn:
            drop_triggers(conn, logged)
            conn.execute("DELETE FROM decisions WHERE id = 3")
            triggers = MIGRATIONS[1].split("CREATE INDEX decisions_project ON decisions (project_code);")[1]
            for statement in logged.migration_script(triggers):
                conn.execute(statement)
        assert verify_chain(logged).ok  # a shorter chain is still consistent ...
        result = verify_chain(logged, head=head)  # ... but the noted head is gone
        assert not result.ok and "niet meer in het logboek" in result.reason

    @pytest.mark.parametrize("db", ["sqlite"], indirect=True)
    def test_verify_never_writes(self, logged):
        before = logged.path.stat().st_mtime_ns, logged.path.read_bytes()
        verify_chain(logged)
        assert (logged.path.stat().st_mtime_ns, logged.path.read_bytes()) == before

    def test_a_missing_database(self, tmp_path):
        result = verify_chain(tmp_path / "nergens.db")
        assert not result.ok and "bestaat niet" in result.reason


class TestCli:
    def test_verify_intact_and_broken(self, logged):
        done = run_cli("audit", "verify", "--db", logged.target)
        assert done.returncode == 0, done.stderr
        assert "Logboek intact: 3 besluit(en), 2 drempelversie(s) en 0 accountwijziging(en)" in done.stdout
        with raw(logged) as conn:
            drop_triggers(conn, logged)
            conn.execute("UPDATE decisions SET decided_by = 'iemand anders' WHERE id = 3")
        done = run_cli("audit", "verify", "--db", logged.target)
        assert done.returncode == 1
        assert "besluit 3" in done.stderr and "eerste gebroken regel: decisions id 3" in done.stderr

    def test_log_json(self, logged):
        done = run_cli("audit", "log", "--db", logged.target, "--json")
        assert done.returncode == 0, done.stderr
        payload = json.loads(done.stdout)
        assert payload["verified"]["ok"] is True
        assert [d["project_code"] for d in payload["decisions"]] == ["BT-05", "RC-04", "WO-05"]
        assert payload["decisions"][1]["overridden"] is True
        assert payload["threshold_versions"][1]["new_values"]["min_irr_pct"] == 4.5

    def test_log_text(self, logged):
        done = run_cli("audit", "log", "--db", logged.target)
        assert done.returncode == 0 and "AFGEWEKEN" in done.stdout and "raad 2" in done.stdout


class TestRetry:
    def test_locked_is_retried(self, monkeypatch):
        monkeypatch.setattr(chain.time, "sleep", lambda s: None)
        calls = []

        def flaky():
            calls.append(1)
            if len(calls) < 3:
                raise sqlite3.OperationalError("database is locked")
            return "ok"

        assert chain.retrying(flaky) == "ok" and len(calls) == 3

    def test_other_errors_are_not_retried_and_retries_are_bounded(self, monkeypatch):
        monkeypatch.setattr(chain.time, "sleep", lambda s: None)
        calls = []

        def broken():
            calls.append(1)
            raise sqlite3.OperationalError("no such table: x")

        with pytest.raises(sqlite3.OperationalError, match="no such table"):
            chain.retrying(broken)
        assert len(calls) == 1

        def locked():
            calls.append(1)
            raise sqlite3.OperationalError("database is locked")

        with pytest.raises(sqlite3.OperationalError, match="locked"):
            chain.retrying(locked)
        assert len(calls) == 1 + chain.RETRIES + 1


def ledger_export(k: int) -> bytes:
    rows = [["Boekdatum", "Rekening", "Omschrijving", "Projectcode", "Bedrag"]]
    rows += [[f"{1 + n % 28:02d}/0{1 + k % 9}/2024", ("605000", "613000", "700000")[n % 3], f"boeking {k}-{n}",
              f"P{n % 5}", f"{100 + n},{k:02d}"] for n in range(150)]
    return csv_bytes(rows)


def test_eight_writers_at_once_lose_nothing(db):
    """8 threads, each with its own Store on one file: decisions, threshold versions, ledger and
    workbook imports interleaved. Every write lands, the chains are intact, nothing is 'locked'."""
    path = db
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
