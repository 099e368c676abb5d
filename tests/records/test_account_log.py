"""igemo_fin.records.account_log: every change of a local account is recorded (who, when, what, why), never a
password; the history is append-only and tamper-evident like the decision log, and the CLI records too."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import subprocess
import sys

import pytest

from igemo_fin.records import account_log, chain, store as store_module
from igemo_fin.records.account_log import Actor, account_changes
from igemo_fin.records.chain import GENESIS, entry_hash, rows_of, verify_chain
from igemo_fin.records.database import DATABASE_ERRORS
from igemo_fin.records.store import MIGRATIONS, Store
from igemo_fin.records.users import UserError, add_user, get_user, set_active, set_password, set_role

from audit_support import drop_trigger, raw
from conftest import ROOT

PASSWORD = "correct-horse-battery"
BEA = Actor.app("bea")


@pytest.fixture
def store(db):
    return Store(db)


def rows(store) -> list[dict]:
    with raw(store) as conn:
        return rows_of(conn, "SELECT * FROM account_changes ORDER BY id")


@pytest.fixture
def history(store):
    """Four changes to one account, by beheer in the app."""
    add_user(store, "jan", role="bestuur", password=PASSWORD, by=BEA, reason="nieuw lid van de raad")
    set_role(store, "jan", "gemeente", "Lier", by=BEA, reason="vertegenwoordigt nu Lier")
    set_active(store, "jan", False, by=BEA)
    set_password(store, "jan", "een-ander-wachtwoord", by=BEA)
    assert verify_chain(store).ok
    return store


def run_cli(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "igemo_fin", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT)


class TestRecording:
    def test_every_change_has_who_when_what_and_why(self, history):
        changes = account_changes(history)
        assert [c.action for c in changes] == ["add", "role", "disable", "password"]
        assert {(c.username, c.changed_by, c.via, c.os_user) for c in changes} == {("jan", "bea", "app", None)}
        assert [c.reason for c in changes] == ["nieuw lid van de raad", "vertegenwoordigt nu Lier", "", ""]
        assert changes[0].old_values == {}
        assert changes[0].new_values == {"role": "bestuur", "gemeente": None, "active": True, "has_password": True}
        assert (changes[1].old_values, changes[1].new_values) == ({"role": "bestuur", "gemeente": None},
                                                                  {"role": "gemeente", "gemeente": "Lier"})
        assert (changes[2].old_values, changes[2].new_values) == ({"active": True}, {"active": False})
        assert changes[3].new_values == {"has_password": True}
        for c in changes:
            moment = dt.datetime.fromisoformat(c.changed_at)
            assert moment.utcoffset() == dt.timedelta(0)  # UTC, ISO 8601
        assert [c.description for c in changes] == [
            "rol Bestuur, aanmelden met een wachtwoord", "rol Bestuur → Gemeente (Lier)",
            "kan zich niet meer aanmelden", "nieuw wachtwoord"]

    def test_never_a_password_or_its_hash(self, history):
        with raw(history) as conn:
            stored_hash = conn.execute("SELECT password_hash FROM users").fetchone()[0]
        text = json.dumps(rows(history))
        assert PASSWORD not in text and "een-ander-wachtwoord" not in text
        assert stored_hash not in text and "scrypt$" not in text
        with pytest.raises(ValueError, match="wachtwoord"):
            with history.transaction() as conn:
                account_log.record_change(conn, changed_at="2026-01-01T00:00:00+00:00", username="jan",
                                          action="password", old={}, new={"password_hash": "x"}, by=BEA)

    def test_chained_like_the_decision_log(self, history):
        entries = rows(history)
        assert entries[0]["prev_hash"] == GENESIS
        for before, entry in zip(entries, entries[1:]):
            assert entry["prev_hash"] == before["entry_hash"]
        for entry in entries:
            assert entry["entry_hash"] == entry_hash("account_changes", {k: entry[k] for k in chain.ACCOUNT_FIELDS})

    def test_nothing_changed_nothing_recorded(self, history):
        assert set_active(history, "jan", False, by=BEA) is None
        assert set_role(history, "jan", "gemeente", " Lier ", by=BEA) is None
        assert len(account_changes(history)) == 4
        assert set_active(history, "jan", True, by=BEA).action == "enable"

    def test_a_refused_change_records_nothing(self, history):
        with pytest.raises(UserError, match="bestaat al"):
            add_user(history, "JAN", role="bestuur", password=PASSWORD, by=BEA)
        with pytest.raises(UserError, match="geen gebruiker"):
            set_active(history, "niemand", False, by=BEA)
        with pytest.raises(UserError, match="te lang"):
            set_active(history, "jan", True, by=BEA, reason="x" * 4001)
        assert len(account_changes(history)) == 4 and get_user(history, "jan").active is False

    def test_the_change_and_its_entry_are_one_transaction(self, store, monkeypatch):
        def broken(*args, **kwargs):
            raise OSError("disk I/O error")

        monkeypatch.setattr("igemo_fin.records.users.record_change", broken)
        with pytest.raises(OSError):
            add_user(store, "an", role="bestuur", password=PASSWORD, by=BEA)
        assert get_user(store, "an") is None  # no account without its entry

    def test_a_caller_that_names_nobody_is_recorded_as_unknown(self, store):
        add_user(store, "an", role="beheer", password=None)
        (change,) = account_changes(store)
        assert (change.changed_by, change.via) == ("onbekend", "code")

    def test_cli_actor(self, monkeypatch):
        monkeypatch.setattr(account_log.getpass, "getuser", lambda: "svc-igemo")
        assert Actor.cli() == Actor("svc-igemo", "cli", "svc-igemo")
        assert Actor.cli(" An Peeters ") == Actor("An Peeters", "cli", "svc-igemo")
        with pytest.raises(ValueError):
            Actor(" ", "app")
        with pytest.raises(ValueError):
            Actor("x", "web")


class TestAppendOnly:
    @pytest.mark.parametrize("sql", [
        "UPDATE account_changes SET changed_by = 'iemand anders' WHERE id = 1",
        "UPDATE account_changes SET reason = ''",
        "DELETE FROM account_changes WHERE id = 4",
        "DELETE FROM account_changes",
    ])
    def test_the_database_refuses_updates_and_deletes(self, history, sql):
        with raw(history) as conn, pytest.raises(DATABASE_ERRORS, match="alleen toevoegen"):
            conn.execute(sql)
        assert len(account_changes(history)) == 4 and verify_chain(history).ok


def drop_triggers(conn, store) -> None:
    for name in ("account_changes_no_update", "account_changes_no_delete"):
        drop_trigger(conn, store, name)


class TestTamperEvidence:
    def test_an_altered_entry_is_named(self, history):
        with raw(history) as conn:
            drop_triggers(conn, history)
            conn.execute("UPDATE account_changes SET changed_by = 'iemand anders' WHERE id = 2")
        result = verify_chain(history)
        assert (result.ok, result.table, result.first_bad_id) == (False, "account_changes", 2)
        assert "accountwijziging 2" in result.reason and "gewijzigd" in result.reason

    def test_altered_values_are_named(self, history):
        with raw(history) as conn:
            drop_triggers(conn, history)
            conn.execute("UPDATE account_changes SET new_values = replace(new_values, 'Lier', 'Mechelen') WHERE id = 2")
        assert (verify_chain(history).ok, verify_chain(history).first_bad_id) == (False, 2)

    def test_a_deleted_entry_is_named(self, history):
        with raw(history) as conn:
            drop_triggers(conn, history)
            conn.execute("DELETE FROM account_changes WHERE id = 3")
        result = verify_chain(history)
        assert (result.ok, result.table, result.first_bad_id) == (False, "account_changes", 4)
        assert "accountwijziging 3 ontbreekt" in result.reason

    def test_dropped_triggers_are_reported(self, history):
        with raw(history) as conn:
            drop_trigger(conn, history, "account_changes_no_delete")
        result = verify_chain(history)
        assert not result.ok and "account_changes_no_delete" in result.reason

    def test_counted_in_the_message(self, history):
        assert verify_chain(history).message.startswith(
            "Logboek intact: 0 besluit(en), 0 drempelversie(s) en 4 accountwijziging(en)")
        assert verify_chain(history).head["account_changes"] == rows(history)[-1]["entry_hash"]

    def test_a_database_from_before_the_history_still_verifies_and_is_upgraded(self, tmp_path, monkeypatch):
        path = tmp_path / "oud.db"
        with monkeypatch.context() as m:
            m.setattr(store_module, "MIGRATIONS", MIGRATIONS[:3])
            Store(path)
        assert verify_chain(path).ok  # version 3: there is no account history to check yet
        add_user(Store(path), "an", role="bestuur", password=PASSWORD, by=BEA)
        assert Store(path).schema_version() == len(MIGRATIONS)
        assert verify_chain(path).ok and verify_chain(path).n_account_changes == 1


class TestCli:
    def test_every_command_records_the_change(self, db):
        db = str(db)
        me = getpass.getuser()
        done = run_cli("users", "add", "an", "--role", "bestuur", "--db", db, "--door", "Bea Beheer", "--reden",
                       "nieuwe bestuurder", stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        assert run_cli("users", "role", "an", "--role", "gemeente", "--gemeente", "Lier", "--db", db).returncode == 0
        assert run_cli("users", "disable", "an", "--db", db, "--reden", "vertrokken").returncode == 0
        done = run_cli("users", "disable", "an", "--db", db)
        assert done.returncode == 0 and "was al uitgeschakeld" in done.stdout
        assert run_cli("users", "enable", "an", "--db", db).returncode == 0
        assert run_cli("users", "passwd", "an", "--db", db, stdin="nog-een-wachtwoord\n").returncode == 0
        changes = account_changes(db)
        assert [c.action for c in changes] == ["add", "role", "disable", "enable", "password"]
        assert (changes[0].changed_by, changes[0].via, changes[0].os_user, changes[0].reason) == (
            "Bea Beheer", "cli", me, "nieuwe bestuurder")
        assert {(c.changed_by, c.via, c.os_user) for c in changes[1:]} == {(me, "cli", me)}
        assert changes[2].reason == "vertrokken"
        assert get_user(db, "an").gemeente == "Lier"

        log = json.loads(run_cli("users", "log", "an", "--json", "--db", db).stdout)
        assert [e["action"] for e in log] == ["add", "role", "disable", "enable", "password"]
        text = run_cli("users", "log", "--db", db).stdout
        assert "rol Bestuur → Gemeente (Lier)" in text
        assert f"door Bea Beheer (besturingssysteem: {me}) via opdrachtregel  reden: nieuwe bestuurder" in text
        assert "nog-een-wachtwoord" not in text + json.dumps(log) and "scrypt" not in text

        done = run_cli("audit", "verify", "--db", db)
        assert done.returncode == 0 and "5 accountwijziging(en)" in done.stdout
        payload = json.loads(run_cli("audit", "log", "--db", db, "--json").stdout)
        assert [e["username"] for e in payload["account_changes"]] == ["an"] * 5
        assert "Accountwijzigingen (5)" in run_cli("audit", "log", "--db", db).stdout

    def test_audit_verify_names_the_first_broken_account_change(self, history):
        with raw(history) as conn:
            drop_triggers(conn, history)
            conn.execute("UPDATE account_changes SET action = 'enable' WHERE id = 3")
        done = run_cli("audit", "verify", "--db", history.target)
        assert done.returncode == 1
        assert "accountwijziging 3" in done.stderr and "eerste gebroken regel: account_changes id 3" in done.stderr

    def test_refusals(self, tmp_path):
        db = str(tmp_path / "r.db")
        done = run_cli("users", "role", "niemand", "--role", "bestuur", "--db", db)
        assert done.returncode == 2 and "geen gebruiker" in done.stderr
        done = run_cli("users", "add", "an", "--role", "bestuur", "--no-password", "--door", "x" * 201, "--db", db)
        assert done.returncode == 2 and "te lang" in done.stderr
        assert account_changes(db) == [] and get_user(db, "an") is None
