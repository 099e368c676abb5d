"""The history of the local accounts: every change, append-only and hash-chained.

Table ``account_changes`` (migration 4 of :data:`igemo_fin.records.store.MIGRATIONS`): one entry per change
of an account made through :mod:`igemo_fin.records.users`, with

- ``action``: ``add`` (created), ``role`` (role or municipality changed), ``disable``, ``enable``,
  ``password`` (a password set);
- ``changed_at``: when, ISO 8601 in UTC;
- ``changed_by``, ``via``, ``os_user``: who (:class:`Actor`);
- ``username``: which account;
- ``old_values`` / ``new_values``: the fields that changed, before and after, as JSON (``role``,
  ``gemeente``, ``active``, ``has_password``): **never a password or its hash**;
- ``reason``: why, when given (else empty).

The entry is written in the same transaction as the change (:func:`record_change`), so an account
never changes without its entry, nor the other way round. The chain (SHA-256 over the canonical JSON,
each entry naming the previous one's hash), the triggers that refuse ``UPDATE`` and ``DELETE`` and the
check are those of the decision log (:mod:`igemo_fin.records.chain`): ``python -m igemo_fin audit verify``
checks this chain with the others and names its first broken entry.

Who made the change:

- in the app: the signed-in user with the role beheer (``via = 'app'``);
- on the command line (``via = 'cli'``): the name given with ``--door``, else the operating-system
  user running the command; ``os_user`` always holds the latter, so a self-declared ``--door`` is
  never the only trace;
- any other caller of :mod:`igemo_fin.records.users` that names nobody (a script, a test): ``onbekend``,
  ``via = 'code'``.

Not logged: the rehash of a password at sign-in (:func:`igemo_fin.records.users.authenticate`): the same
password under today's scrypt parameters, not a change anyone made.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass

from igemo_fin.records.chain import append_entry
from igemo_fin.records.store import Store

__all__ = [
    "ACTIONS",
    "ACTION_WORDS",
    "VIA_WORDS",
    "UNKNOWN",
    "Actor",
    "AccountChange",
    "os_user",
    "clean_reason",
    "record_change",
    "account_changes",
    "describe",
]

#: The kinds of change, with their Dutch label.
ACTION_WORDS = {"add": "Toegevoegd", "role": "Rol gewijzigd", "disable": "Uitgeschakeld", "enable": "Ingeschakeld",
                "password": "Wachtwoord ingesteld"}
ACTIONS = tuple(ACTION_WORDS)
#: Where a change was made, in Dutch.
VIA_WORDS = {"app": "toepassing", "cli": "opdrachtregel", "code": "programma"}
MAX_REASON = 4000
"""Longest reason [characters]."""


@dataclass(frozen=True)
class Actor:
    """Who changes an account (see the module notes)."""

    name: str  #: signed-in username, the CLI's ``--door``, or the operating-system user
    via: str = "code"  #: ``app``, ``cli`` or ``code``
    os_user: str | None = None  #: the operating-system user running the CLI; None in the app

    def __post_init__(self) -> None:
        if self.via not in VIA_WORDS:
            raise ValueError(f"onbekende herkomst '{self.via}' (kies uit {', '.join(VIA_WORDS)})")
        if not str(self.name or "").strip():
            raise ValueError("wie de wijziging maakt, is verplicht")
        if len(self.name) > 200:
            raise ValueError("de naam van wie de wijziging maakt is te lang (hoogstens 200 tekens)")

    @classmethod
    def app(cls, name: str) -> Actor:
        """The signed-in user of the app."""
        return cls(str(name).strip(), "app")

    @classmethod
    def cli(cls, door: str | None = None) -> Actor:
        """The command line: ``door`` when given, else the operating-system user (kept either way)."""
        system = os_user()
        return cls((door or "").strip() or system, "cli", system)


#: The actor of a change whose caller named nobody.
UNKNOWN = Actor("onbekend", "code")


def os_user() -> str:
    """The operating-system user running this process (``onbekend`` when the system cannot say)."""
    try:
        return getpass.getuser() or "onbekend"
    except (OSError, KeyError, ImportError):
        return "onbekend"


def clean_reason(reason: str | None) -> str:
    """The reason as stored: trimmed, '' for none; refused (ValueError) when longer than MAX_REASON."""
    text = "" if reason is None else str(reason).strip()
    if len(text) > MAX_REASON:
        raise ValueError(f"de reden is te lang ({len(text)} tekens, hoogstens {MAX_REASON})")
    return text


@dataclass(frozen=True)
class AccountChange:
    """One entry of the account history (a row of ``account_changes``)."""

    id: int
    changed_at: str  #: ISO 8601, UTC
    changed_by: str
    via: str  #: ``app``, ``cli`` or ``code``
    os_user: str | None
    username: str
    action: str  #: one of :data:`ACTIONS`
    old_values: dict  #: fields before (empty for ``add``)
    new_values: dict  #: fields after
    reason: str
    prev_hash: str
    entry_hash: str

    @property
    def description(self) -> str:
        """What changed, in Dutch (:func:`describe`)."""
        return describe(self.action, self.old_values, self.new_values)


def _json(values: Mapping) -> str:
    return json.dumps(dict(values), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _change(row: Mapping) -> AccountChange:
    return AccountChange(
        id=int(row["id"]), changed_at=row["changed_at"], changed_by=row["changed_by"], via=row["via"],
        os_user=row["os_user"], username=row["username"], action=row["action"],
        old_values=json.loads(row["old_values"]), new_values=json.loads(row["new_values"]), reason=row["reason"],
        prev_hash=row["prev_hash"], entry_hash=row["entry_hash"])


def record_change(conn, *, changed_at: str, username: str, action: str, old: Mapping,
                  new: Mapping, by: Actor, reason: str = "") -> AccountChange:
    """Append one account change inside the caller's write transaction (the one that makes the change).

    Parameters
    ----------
    conn : connection of the store
        Holding ``BEGIN IMMEDIATE`` (:meth:`igemo_fin.records.store.Store.transaction`).
    changed_at : str
        ISO 8601, UTC (:meth:`Store.now`).
    username, action : str
        The account (normalised) and one of :data:`ACTIONS`.
    old, new : mapping
        The changed fields before and after; a password or hash must never be among them.
    by : Actor
    reason : str
        Why; '' when none was given (:func:`clean_reason`).
    """
    if action not in ACTIONS:
        raise ValueError(f"onbekende accountwijziging '{action}'")
    if {"password", "password_hash"} & (set(old) | set(new)):
        raise ValueError("een wachtwoord of zijn hash hoort niet in de accountgeschiedenis")
    row = append_entry(conn, "account_changes", {
        "changed_at": changed_at, "changed_by": by.name, "via": by.via, "os_user": by.os_user,
        "username": username, "action": action, "old_values": _json(old), "new_values": _json(new),
        "reason": clean_reason(reason)})
    return _change(row)


def account_changes(db: Store | str | os.PathLike, username: str | None = None) -> list[AccountChange]:
    """The account history, oldest first; only the entries of ``username`` (normalised) when given."""
    store = db if isinstance(db, Store) else Store(db)
    sql, params = "SELECT * FROM account_changes", ()
    if username is not None:
        sql, params = sql + " WHERE username = ?", (str(username).strip().lower(),)
    with store.connect() as conn:
        cursor = conn.execute(sql + " ORDER BY id", params)
        columns = [d[0] for d in cursor.description]
        return [_change(dict(zip(columns, r))) for r in cursor.fetchall()]


def _role_text(values: Mapping) -> str:
    from igemo_fin.records.users import ROLE_WORDS  # users builds on this module: read its labels when describing

    role = values.get("role")
    text = ROLE_WORDS.get(role, str(role))
    return text + (f" ({values['gemeente']})" if values.get("gemeente") else "")


def describe(action: str, old: Mapping, new: Mapping) -> str:
    """One Dutch phrase for a change.

    >>> describe("role", {"role": "bestuur", "gemeente": None}, {"role": "gemeente", "gemeente": "Lier"})
    'rol Bestuur → Gemeente (Lier)'
    >>> describe("add", {}, {"role": "beheer", "gemeente": None, "active": True, "has_password": False})
    'rol Beheer, aanmelden via de identiteitsprovider'
    """
    if action == "add":
        how = "met een wachtwoord" if new.get("has_password") else "via de identiteitsprovider"
        return f"rol {_role_text(new)}, aanmelden {how}"
    if action == "role":
        return f"rol {_role_text(old)} → {_role_text(new)}"
    if action == "disable":
        return "kan zich niet meer aanmelden"
    if action == "enable":
        return "kan zich weer aanmelden"
    if action == "password":
        return "nieuw wachtwoord" if old.get("has_password") else "eerste wachtwoord (voordien alleen de identiteitsprovider)"
    return action
