"""igemo_fin.records.users and ``python -m igemo_fin users``: salted slow hashes, roles, the command line."""

from __future__ import annotations

import base64
import hashlib
import json
from igemo_fin.records.database import INTEGRITY_ERRORS
import subprocess
import sys

import pytest

from igemo_fin.records import users
from igemo_fin.records.store import Store
from igemo_fin.records.users import (MIN_PASSWORD_LENGTH, UserError, add_user, authenticate, count_users, get_user,
                             has_local_users, hash_password, list_users, needs_rehash, set_active, set_password,
                             set_role, verify_password)

from conftest import ROOT

PASSWORD = "correct-horse-battery"


@pytest.fixture
def store(db):
    return Store(db)


def run_cli(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "igemo_fin", "users", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT)


class TestHashing:
    def test_format_and_parameters(self):
        stored = hash_password(PASSWORD)
        scheme, n, r, p, salt, key = stored.split("$")
        assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2 ** 14, 8, 1)
        assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(key)) == 32
        # the key is scrypt over the password with that salt: anyone can check the parameters
        assert base64.b64decode(key) == hashlib.scrypt(PASSWORD.encode(), salt=base64.b64decode(salt), n=2 ** 14,
                                                       r=8, p=1, dklen=32)

    def test_salted(self):
        assert hash_password(PASSWORD) != hash_password(PASSWORD)

    def test_verify(self):
        stored = hash_password(PASSWORD)
        assert verify_password(PASSWORD, stored)
        assert not verify_password(PASSWORD + "x", stored)
        assert not verify_password(PASSWORD.upper(), stored)

    @pytest.mark.parametrize("stored", [None, "", "plain", "md5$1$2$3$4$5", "scrypt$16384$8$1$!!$!!",
                                        "scrypt$abc$8$1$AAAA$AAAA"])
    def test_malformed_hashes_never_match(self, stored):
        assert not verify_password(PASSWORD, stored)

    def test_constant_time_compare(self, monkeypatch):
        seen = []
        real = users.hmac.compare_digest
        monkeypatch.setattr(users.hmac, "compare_digest", lambda a, b: seen.append(1) or real(a, b))
        verify_password(PASSWORD, hash_password(PASSWORD))
        assert seen == [1]

    def test_older_parameters_need_a_rehash(self):
        salt = bytes(16)
        key = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=2 ** 12, r=8, p=1, dklen=32)
        old = f"scrypt$4096$8$1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"
        assert verify_password(PASSWORD, old) and needs_rehash(old)
        assert not needs_rehash(hash_password(PASSWORD))


class TestAccounts:
    def test_add_and_list(self, store):
        add_user(store, "  An.Peeters@IGEMO.be ", role="bestuur", password=PASSWORD)
        add_user(store, "jan", role="gemeente", gemeente=" Lier ", password=PASSWORD)
        add_user(store, "sso@igemo.be", role="financien", password=None)
        listed = {u.username: u for u in list_users(store)}
        assert set(listed) == {"an.peeters@igemo.be", "jan", "sso@igemo.be"}
        assert (listed["jan"].role, listed["jan"].gemeente) == ("gemeente", "Lier")
        assert listed["sso@igemo.be"].has_password is False
        assert count_users(store) == 3
        with store.connect() as conn:
            stored = conn.execute("SELECT password_hash FROM users WHERE username = 'jan'").fetchone()[0]
        assert stored.startswith("scrypt$") and PASSWORD not in stored

    @pytest.mark.parametrize("kwargs, message", [
        (dict(role="baas"), "onbekende rol"),
        (dict(role="gemeente"), "heeft een gemeente nodig"),
        (dict(role="bestuur", gemeente="Lier"), "alleen de rol gemeente"),
        (dict(role="bestuur", password="kort"), f"minstens {MIN_PASSWORD_LENGTH} tekens"),
        (dict(role="bestuur", password=" " + PASSWORD), "spatie"),
    ])
    def test_refusals(self, store, kwargs, message):
        kwargs.setdefault("password", PASSWORD)
        with pytest.raises(UserError, match=message):
            add_user(store, "an", **kwargs)
        assert count_users(store) == 0

    @pytest.mark.parametrize("name", ["", "a", "met spatie", "x" * 101, "<script>"])
    def test_invalid_names(self, store, name):
        with pytest.raises(UserError, match="ongeldig"):
            add_user(store, name, role="bestuur", password=PASSWORD)

    def test_names_are_unique_whatever_the_case(self, store):
        add_user(store, "an", role="bestuur", password=PASSWORD)
        with pytest.raises(UserError, match="bestaat al"):
            add_user(store, "AN", role="beheer", password=PASSWORD)

    def test_the_database_checks_roles_too(self, store):
        with store.connect() as conn, pytest.raises(INTEGRITY_ERRORS):
            conn.execute("INSERT INTO users (username, role, created_at) VALUES ('x', 'baas', 'nu')")
        with store.connect() as conn, pytest.raises(INTEGRITY_ERRORS):
            conn.execute("INSERT INTO users (username, role, created_at) VALUES ('x', 'gemeente', 'nu')")

    def test_role_change(self, store):
        add_user(store, "an", role="bestuur", password=PASSWORD)
        set_role(store, "an", "gemeente", "Lier")
        assert (get_user(store, "an").role, get_user(store, "an").gemeente) == ("gemeente", "Lier")
        with pytest.raises(UserError, match="geen gebruiker"):
            set_role(store, "bo", "bestuur")


class TestAuthenticate:
    def test_right_and_wrong(self, store):
        add_user(store, "an", role="bestuur", password=PASSWORD)
        assert authenticate(store, "AN", PASSWORD).username == "an"
        assert authenticate(store, "an", PASSWORD + "!") is None
        assert authenticate(store, "bo", PASSWORD) is None
        assert authenticate(store, "", PASSWORD) is None

    def test_disabled_and_provider_only_accounts_cannot_sign_in(self, store):
        add_user(store, "an", role="bestuur", password=PASSWORD)
        add_user(store, "sso@igemo.be", role="bestuur", password=None)
        set_active(store, "an", False)
        assert authenticate(store, "an", PASSWORD) is None
        assert authenticate(store, "sso@igemo.be", "") is None
        assert not has_local_users(store)
        set_active(store, "an", True)
        assert authenticate(store, "an", PASSWORD) is not None and has_local_users(store)

    def test_unknown_users_cost_a_hash_too(self, store, monkeypatch):
        calls = []
        real = users.verify_password
        monkeypatch.setattr(users, "verify_password", lambda p, s: calls.append(s) or real(p, s))
        authenticate(store, "niemand", PASSWORD)
        assert calls == [users._DUMMY_HASH]

    def test_new_password(self, store):
        add_user(store, "an", role="bestuur", password=PASSWORD)
        set_password(store, "an", "een-nieuw-wachtwoord")
        assert authenticate(store, "an", PASSWORD) is None
        assert authenticate(store, "an", "een-nieuw-wachtwoord") is not None

    def test_old_hash_is_upgraded_at_sign_in(self, store):
        add_user(store, "an", role="bestuur", password=PASSWORD)
        salt = bytes(16)
        key = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=2 ** 12, r=8, p=1, dklen=32)
        old = f"scrypt$4096$8$1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"
        with store.connect() as conn:
            conn.execute("UPDATE users SET password_hash = ?", (old,))
        assert authenticate(store, "an", PASSWORD) is not None
        with store.connect() as conn:
            assert conn.execute("SELECT password_hash FROM users").fetchone()[0].startswith("scrypt$16384$8$1$")


class TestCli:
    def test_add_list_disable_passwd(self, tmp_path):
        db = str(tmp_path / "cli.db")
        done = run_cli("add", "An", "--role", "bestuur", "--db", db, stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        assert "Gebruiker 'an' toegevoegd met de rol Bestuur" in done.stdout
        secret = tmp_path / "pw.txt"
        secret.write_text("wachtwoord-uit-bestand\nrest wordt genegeerd\n", encoding="utf-8")
        done = run_cli("add", "jan", "--role", "gemeente", "--gemeente", "Lier", "--password-file", str(secret),
                       "--db", db)
        assert done.returncode == 0, done.stderr
        assert run_cli("add", "sso@igemo.be", "--role", "financien", "--no-password", "--db", db).returncode == 0
        assert authenticate(db, "jan", "wachtwoord-uit-bestand") is not None
        assert authenticate(db, "an", PASSWORD) is not None

        listed = json.loads(run_cli("list", "--json", "--db", db).stdout)
        assert [(u["username"], u["role"], u["gemeente"], u["has_password"]) for u in listed] == [
            ("an", "bestuur", None, True), ("jan", "gemeente", "Lier", True), ("sso@igemo.be", "financien", None, False)]
        assert "password_hash" not in listed[0]
        text = run_cli("list", "--db", db).stdout
        assert "Gemeente (Lier)" in text and "identiteitsprovider" in text

        assert run_cli("disable", "jan", "--db", db).returncode == 0
        assert authenticate(db, "jan", "wachtwoord-uit-bestand") is None
        assert run_cli("enable", "jan", "--db", db).returncode == 0
        assert run_cli("passwd", "jan", "--db", db, stdin="nog-een-ander-wachtwoord\n").returncode == 0
        assert authenticate(db, "jan", "nog-een-ander-wachtwoord") is not None

    @pytest.mark.parametrize("args, stdin, message", [
        (["add", "an", "--role", "baas"], PASSWORD, "ongeldige keuze"),
        (["add", "an", "--role", "gemeente"], PASSWORD, "heeft een gemeente nodig"),
        (["add", "an", "--role", "bestuur"], "kort", "te kort"),
        (["add", "an", "--role", "bestuur"], "", "te kort"),
        (["disable", "niemand"], None, "geen gebruiker 'niemand'"),
        (["passwd", "niemand"], PASSWORD, "geen gebruiker"),
        (["add", "an", "--role", "bestuur", "--password-file", "/nergens/pw.txt"], None, "Geweigerd"),
    ])
    def test_refusals_exit_2(self, tmp_path, args, stdin, message):
        done = run_cli(*args, "--db", str(tmp_path / "r.db"), stdin=stdin)
        assert done.returncode == 2
        assert message in done.stderr

    def test_a_password_is_never_an_argument(self, tmp_path):
        done = run_cli("add", "an", "--role", "bestuur", "--password", PASSWORD, "--db", str(tmp_path / "p.db"))
        assert done.returncode == 2 and "nooit als argument" in done.stderr
        assert PASSWORD not in done.stderr + done.stdout
        assert not (tmp_path / "p.db").exists()
        done = run_cli("passwd", "an", "--passw", PASSWORD, "--db", str(tmp_path / "p.db"))  # no abbreviations
        assert done.returncode == 2 and not (tmp_path / "p.db").exists()
