"""Local user accounts and their roles, in the store's database.

Table ``users`` (migration 3 of :data:`igemo_fin.records.store.MIGRATIONS`): one row per person, with a role

- ``bestuur``: reads everything, records the board's decisions;
- ``financien``: uploads data, sets the official thresholds;
- ``beheer``: manages the accounts;
- ``gemeente``: a partner municipality; sees only the projects of ``gemeente``.

The username is stored in lower case; for sign-in through the identity provider (OIDC) it is the
e-mail address and the row only maps that address to a role (``password_hash`` NULL).

Passwords
---------
Salted, slow, memory-hard: ``hashlib.scrypt`` with ``n = 2**14, r = 8, p = 1`` (16 MiB of memory,
about 40-80 ms per try on a current CPU), a 16-byte random salt per password and a 32-byte key. The
stored text is ``scrypt$16384$8$1$<salt, base64>$<key, base64>``, so the parameters can be raised
later without invalidating existing hashes (:func:`needs_rehash`). Keys are compared with
:func:`hmac.compare_digest` (constant time), and an unknown or disabled user costs the same hash as
a known one, so the answer time does not reveal which usernames exist.

History
-------
Every change (:func:`add_user`, :func:`set_role`, :func:`set_active`, :func:`set_password`) is
recorded in :mod:`igemo_fin.records.account_log`, in the same transaction: who (``by``, an
:class:`~igemo_fin.records.account_log.Actor`), when, what, and why (``reason``) when given. A call that
changes nothing (disabling a disabled account, the same role again) records nothing and returns None.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass

import pandas as pd

from igemo_fin.records.account_log import UNKNOWN, AccountChange, Actor, clean_reason, record_change
from igemo_fin.records.database import INTEGRITY_ERRORS
from igemo_fin.records.store import Store

__all__ = [
    "ROLES",
    "ROLE_WORDS",
    "MIN_PASSWORD_LENGTH",
    "SCRYPT_N",
    "SCRYPT_R",
    "SCRYPT_P",
    "User",
    "UserError",
    "hash_password",
    "verify_password",
    "needs_rehash",
    "normalise_username",
    "add_user",
    "get_user",
    "list_users",
    "set_password",
    "set_active",
    "set_role",
    "users_frame",
    "authenticate",
    "has_local_users",
    "count_users",
    "same_gemeente",
    "Actor",
]

ROLES = ("bestuur", "financien", "beheer", "gemeente")
ROLE_WORDS = {"bestuur": "Bestuur", "financien": "Financiën", "beheer": "Beheer", "gemeente": "Gemeente"}
MIN_PASSWORD_LENGTH = 12
"""Shortest password accepted [characters]."""
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
"""scrypt cost parameters of new hashes (CPU/memory cost, block size, parallelism)."""
_SALT_BYTES, _KEY_BYTES = 16, 32
_MAXMEM = 64 * 1024 * 1024
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@+-]{1,99}$")


class UserError(ValueError):
    """An account operation that is refused (unknown role, weak password, ...); Dutch message."""


@dataclass(frozen=True)
class User:
    """An account, without its password hash."""

    username: str
    role: str
    gemeente: str | None
    created_at: str  #: ISO 8601, UTC
    active: bool
    has_password: bool  #: False: signs in through the identity provider only

    @property
    def role_label(self) -> str:
        return ROLE_WORDS[self.role] + (f" ({self.gemeente})" if self.gemeente else "")


# --------------------------------------------------------------------------- hashing

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A new salted scrypt hash of ``password`` in the stored format.

    >>> h = hash_password("correct horse battery", salt=bytes(16))
    >>> h.split("$")[:4]
    ['scrypt', '16384', '8', '1']
    >>> verify_password("correct horse battery", h), verify_password("wrong", h)
    (True, False)
    """
    salt = secrets.token_bytes(_SALT_BYTES) if salt is None else salt
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                         maxmem=_MAXMEM, dklen=_KEY_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches a stored hash; False for None or a malformed hash (never raises)."""
    try:
        scheme, n, r, p, salt, key = (stored or "").split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key, validate=True)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt, validate=True), n=int(n),
                             r=int(r), p=int(p), maxmem=_MAXMEM, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def needs_rehash(stored: str) -> bool:
    """The hash was made with other parameters than today's (rehash at the next sign-in)."""
    return not stored.startswith(f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}$")


#: Verified against when the user is unknown, so that costs as much time as a real check.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def _check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"het wachtwoord is te kort: minstens {MIN_PASSWORD_LENGTH} tekens")
    if len(password) > 1024:
        raise UserError("het wachtwoord is te lang (hoogstens 1024 tekens)")
    if password.strip() != password:
        raise UserError("het wachtwoord mag niet met een spatie beginnen of eindigen")


# --------------------------------------------------------------------------- accounts

def normalise_username(name: str) -> str:
    """Lower case, trimmed; refused when it is not a plain name or e-mail address.

    >>> normalise_username("  An.Peeters@IGEMO.be ")
    'an.peeters@igemo.be'
    """
    text = str(name or "").strip().lower()
    if not _USERNAME.match(text):
        raise UserError(f"gebruikersnaam '{name}' is ongeldig: 2 tot 100 tekens, letters, cijfers en . _ @ + -")
    return text


def same_gemeente(a: str | None, b: str | None) -> bool:
    """Municipality names compared as people write them (case and surrounding spaces ignored)."""
    return a is not None and b is not None and str(a).strip().casefold() == str(b).strip().casefold()


def _store(db: Store | str | os.PathLike) -> Store:
    return db if isinstance(db, Store) else Store(db)


def _user(row) -> User:
    return User(username=row[0], role=row[1], gemeente=row[2], created_at=row[3], active=bool(row[4]),
                has_password=row[5] is not None)


_SELECT = "SELECT username, role, gemeente, created_at, active, password_hash FROM users"


def _check_role(role: str, gemeente: str | None) -> str | None:
    if role not in ROLES:
        raise UserError(f"onbekende rol '{role}' (kies uit {', '.join(ROLES)})")
    gemeente = (gemeente or "").strip() or None
    if role == "gemeente" and gemeente is None:
        raise UserError("een gebruiker met de rol gemeente heeft een gemeente nodig (--gemeente)")
    if role != "gemeente" and gemeente is not None:
        raise UserError(f"alleen de rol gemeente hoort bij een gemeente, niet de rol {role}")
    return gemeente


def _log_inputs(by: Actor | None, reason: str | None) -> tuple[Actor, str]:
    """Who and why for the account history; :data:`~igemo_fin.records.account_log.UNKNOWN` when nobody is named."""
    try:
        return (UNKNOWN if by is None else by), clean_reason(reason)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def add_user(db: Store | str | os.PathLike, username: str, *, role: str, password: str | None,
             gemeente: str | None = None, by: Actor | None = None, reason: str | None = None) -> User:
    """Create an account, and record it in the account history.

    ``password`` None creates an account that can only sign in through the identity provider
    (its username is then the e-mail address the provider gives). ``by`` and ``reason``: who
    creates it and why (see :mod:`igemo_fin.records.account_log`).

    Raises
    ------
    UserError
        Invalid name, unknown role, gemeente missing or superfluous, short password, name taken,
        reason too long.
    """
    name = normalise_username(username)
    gemeente = _check_role(role, gemeente)
    if password is not None:
        _check_password_strength(password)
    actor, why = _log_inputs(by, reason)
    hashed = None if password is None else hash_password(password)
    store = _store(db)
    try:
        with store.transaction() as conn:
            now = store.now()
            conn.execute("INSERT INTO users (username, password_hash, role, gemeente, created_at, active) "
                         "VALUES (?, ?, ?, ?, ?, 1)", (name, hashed, role, gemeente, now))
            record_change(conn, changed_at=now, username=name, action="add", old={},
                          new={"role": role, "gemeente": gemeente, "active": True, "has_password": hashed is not None},
                          by=actor, reason=why)
    except INTEGRITY_ERRORS:
        raise UserError(f"er bestaat al een gebruiker '{name}'") from None
    return get_user(store, name)  # type: ignore[return-value]


def get_user(db: Store | str | os.PathLike, username: str) -> User | None:
    """The account, active or not; None when there is none."""
    try:
        name = normalise_username(username)
    except UserError:
        return None
    with _store(db).connect() as conn:
        row = conn.execute(_SELECT + " WHERE username = ?", (name,)).fetchone()
    return None if row is None else _user(row)


def list_users(db: Store | str | os.PathLike) -> list[User]:
    """Every account, by username."""
    with _store(db).connect() as conn:
        return [_user(r) for r in conn.execute(_SELECT + " ORDER BY username")]


def users_frame(db: Store | str | os.PathLike) -> pd.DataFrame:
    """:func:`list_users` as a frame: ``username, role, gemeente, created_at, active, has_password``."""
    users = list_users(db)
    return pd.DataFrame([u.__dict__ for u in users],
                        columns=["username", "role", "gemeente", "created_at", "active", "has_password"])


def _update(db: Store | str | os.PathLike, username: str, sql: str, params: tuple) -> None:
    name = normalise_username(username)
    with _store(db).transaction() as conn:
        if conn.execute(sql + " WHERE username = ?", (*params, name)).rowcount == 0:
            raise UserError(f"er is geen gebruiker '{name}'")


#: The fields of an account that the history shows, by kind of change.
_LOGGED = {"role": ("role", "gemeente"), "disable": ("active",), "enable": ("active",), "password": ("has_password",)}


def _change(db: Store | str | os.PathLike, username: str, action: str, columns: dict, by: Actor | None,
            reason: str | None) -> AccountChange | None:
    """Set ``columns`` of the account and record the change, in one transaction; None when nothing changes."""
    name = normalise_username(username)
    actor, why = _log_inputs(by, reason)
    store = _store(db)
    with store.transaction() as conn:
        row = conn.execute(_SELECT + " WHERE username = ?", (name,)).fetchone()
        if row is None:
            raise UserError(f"er is geen gebruiker '{name}'")
        before = {"role": row[1], "gemeente": row[2], "active": bool(row[4]), "has_password": row[5] is not None}
        after = {**before, **{("has_password" if k == "password_hash" else k):
                              (v is not None if k == "password_hash" else bool(v) if k == "active" else v)
                              for k, v in columns.items()}}
        old = {k: before[k] for k in _LOGGED[action]}
        new = {k: after[k] for k in _LOGGED[action]}
        if action != "password" and old == new:
            return None
        assignments = ", ".join(f"{column} = ?" for column in columns)
        conn.execute(f"UPDATE users SET {assignments} WHERE username = ?", (*columns.values(), name))
        return record_change(conn, changed_at=store.now(), username=name, action=action, old=old, new=new,
                             by=actor, reason=why)


def set_password(db: Store | str | os.PathLike, username: str, password: str, *, by: Actor | None = None,
                 reason: str | None = None) -> AccountChange:
    """Give an account a new password; the history records that it was set, never the password."""
    _check_password_strength(password)
    return _change(db, username, "password", {"password_hash": hash_password(password)}, by, reason)  # type: ignore[return-value]


def set_active(db: Store | str | os.PathLike, username: str, active: bool, *, by: Actor | None = None,
               reason: str | None = None) -> AccountChange | None:
    """Disable (False) or enable an account; a disabled account cannot sign in in any way.

    Returns the history entry, or None when the account already was in that state.
    """
    return _change(db, username, "enable" if active else "disable", {"active": int(bool(active))}, by, reason)


def set_role(db: Store | str | os.PathLike, username: str, role: str, gemeente: str | None = None, *,
             by: Actor | None = None, reason: str | None = None) -> AccountChange | None:
    """Change an account's role (and municipality); None when both stay the same."""
    gemeente = _check_role(role, gemeente)
    return _change(db, username, "role", {"role": role, "gemeente": gemeente}, by, reason)


def authenticate(db: Store | str | os.PathLike, username: str, password: str) -> User | None:
    """The active account when the password is right, else None (same cost either way).

    A correct password whose hash was made with older parameters is rehashed.
    """
    store = _store(db)
    try:
        name = normalise_username(username)
    except UserError:
        name = None
    row = None
    if name is not None:
        with store.connect() as conn:
            row = conn.execute(_SELECT + " WHERE username = ?", (name,)).fetchone()
    stored = row[5] if row is not None and row[5] is not None else _DUMMY_HASH
    ok = verify_password(str(password), stored)
    if row is None or row[5] is None or not row[4] or not ok:
        return None
    if needs_rehash(row[5]):
        _update(store, name, "UPDATE users SET password_hash = ?", (hash_password(str(password)),))
    return _user(row)


def count_users(db: Store | str | os.PathLike) -> int:
    """Number of accounts, disabled ones included."""
    with _store(db).connect() as conn:
        return conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]


def has_local_users(db: Store | str | os.PathLike) -> bool:
    """Whether any active account has a password (the app then asks for one)."""
    with _store(db).connect() as conn:
        return conn.execute("SELECT 1 FROM users WHERE active = 1 AND password_hash IS NOT NULL LIMIT 1"
                            ).fetchone() is not None
