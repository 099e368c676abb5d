"""``python -m igemo_fin users ...``: manage the local accounts (see :mod:`igemo_fin.records.users`).

::

    users add NAME --role bestuur|financien|beheer|gemeente [--gemeente G] [--password-file F | --no-password]
    users role NAME --role ROLE [--gemeente G]
    users disable NAME
    users enable NAME
    users passwd NAME [--password-file F]
    users list [--json]
    users log [NAME] [--json]

Every command takes ``--db PATH`` (default ``$IGEMO_DB`` or ``data/igemo.db``). A password is never
an argument (it would end up in the shell history and in ``ps``): it is read from ``--password-file``
(first line) or from standard input (asked twice on a terminal, else the first line). Exit status 0
on success, 2 when the command is refused (message on stderr).

Every command that changes an account also takes ``--door NAAM`` (who makes the change; default the
operating-system user running the command, which is stored as well) and ``--reden TEKST`` (why), and
records the change in the account history (:mod:`igemo_fin.records.account_log`; ``users log`` shows it,
``audit verify`` checks it).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from igemo_fin.cli.main import print_json, register
from igemo_fin.records.account_log import VIA_WORDS, Actor, account_changes
from igemo_fin.records.store import default_db_path, open_store
from igemo_fin.records.users import ROLES, UserError, add_user, get_user, list_users, set_active, set_password, set_role


def _configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="users_command", required=True, metavar="{add,role,list,log,disable,enable,passwd}")

    def with_db(q: argparse.ArgumentParser) -> argparse.ArgumentParser:
        q.add_argument("--db", default=None, metavar="PAD", help="databank (standaard $IGEMO_DB of data/igemo.db)")
        return q

    def no_password_argument(q: argparse.ArgumentParser) -> None:
        # caught to refuse it with a clear message, without echoing the password (argparse would)
        q.add_argument("--password", default=None, help=argparse.SUPPRESS)

    def logged(q: argparse.ArgumentParser) -> argparse.ArgumentParser:
        q.add_argument("--door", default=None, metavar="NAAM",
                       help="wie de wijziging maakt (standaard de gebruiker van het besturingssysteem)")
        q.add_argument("--reden", default=None, metavar="TEKST", help="waarom (komt in de accountgeschiedenis)")
        return with_db(q)

    add = logged(sub.add_parser("add", help="een gebruiker toevoegen", allow_abbrev=False))
    add.add_argument("name", metavar="NAAM", help="gebruikersnaam (bij aanmelden via de identiteitsprovider: het e-mailadres)")
    add.add_argument("--role", required=True, choices=ROLES, help="de rol van de gebruiker")
    add.add_argument("--gemeente", default=None, metavar="GEMEENTE", help="de gemeente (alleen en verplicht bij --role gemeente)")
    secret = add.add_mutually_exclusive_group()
    secret.add_argument("--password-file", default=None, metavar="BESTAND", help="bestand met het wachtwoord op de eerste regel")
    secret.add_argument("--no-password", action="store_true",
                        help="geen wachtwoord: alleen aanmelden via de identiteitsprovider (OIDC)")
    no_password_argument(add)
    role = logged(sub.add_parser("role", help="de rol (en gemeente) van een gebruiker wijzigen"))
    role.add_argument("name", metavar="NAAM", help="gebruikersnaam")
    role.add_argument("--role", required=True, choices=ROLES, help="de rol van de gebruiker")
    role.add_argument("--gemeente", default=None, metavar="GEMEENTE", help="de gemeente (alleen en verplicht bij --role gemeente)")
    lst = with_db(sub.add_parser("list", help="alle gebruikers tonen"))
    lst.add_argument("--json", action="store_true", help="één JSON-object afdrukken in plaats van tekst")
    log = with_db(sub.add_parser("log", help="de accountgeschiedenis tonen (wie wijzigde wat, wanneer, waarom)"))
    log.add_argument("name", nargs="?", default=None, metavar="NAAM", help="alleen deze gebruiker")
    log.add_argument("--json", action="store_true", help="één JSON-object afdrukken in plaats van tekst")
    for name, text in (("disable", "een gebruiker uitschakelen"), ("enable", "een gebruiker weer inschakelen")):
        logged(sub.add_parser(name, help=text)).add_argument("name", metavar="NAAM", help="gebruikersnaam")
    passwd = logged(sub.add_parser("passwd", help="een nieuw wachtwoord instellen", allow_abbrev=False))
    passwd.add_argument("name", metavar="NAAM", help="gebruikersnaam")
    passwd.add_argument("--password-file", default=None, metavar="BESTAND", help="bestand met het wachtwoord op de eerste regel")
    no_password_argument(passwd)


def _read_password(path: str | None) -> str:
    if path is not None:
        text = Path(path).read_text(encoding="utf-8")
        return text.splitlines()[0] if text.splitlines() else ""
    if sys.stdin.isatty():
        first = getpass.getpass("Wachtwoord: ")
        if getpass.getpass("Nogmaals: ") != first:
            raise UserError("de twee wachtwoorden verschillen")
        return first
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def _print_log(changes: list, as_json: bool) -> None:
    if as_json:
        print_json([c.__dict__ for c in changes])
        return
    if not changes:
        print("De accountgeschiedenis is nog leeg.")
    for c in changes:
        who = c.changed_by + (f" (besturingssysteem: {c.os_user})" if c.os_user and c.os_user != c.changed_by else "")
        print(f"{c.id:>4}  {c.changed_at}  {c.username}  {c.description}  door {who} via {VIA_WORDS[c.via]}"
              + (f"  reden: {c.reason}" if c.reason else ""))


def _run(args: argparse.Namespace) -> int:
    if getattr(args, "password", None) is not None:
        print("Geweigerd: geef een wachtwoord nooit als argument (het komt in de geschiedenis van de shell en "
              "in de proceslijst); gebruik standaardinvoer of --password-file.", file=sys.stderr)
        return 2
    store = open_store(args.db if args.db else default_db_path())
    try:
        command = args.users_command
        by = Actor.cli(args.door) if hasattr(args, "door") else None
        why = getattr(args, "reden", None)
        if command == "add":
            password = None if args.no_password else _read_password(args.password_file)
            user = add_user(store, args.name, role=args.role, password=password, gemeente=args.gemeente, by=by,
                            reason=why)
            print(f"Gebruiker '{user.username}' toegevoegd met de rol {user.role_label}"
                  + ("" if user.has_password else " (aanmelden via de identiteitsprovider)") + ".")
        elif command == "role":
            change = set_role(store, args.name, args.role, args.gemeente, by=by, reason=why)
            user = get_user(store, args.name)
            print(f"Gebruiker '{user.username}' heeft " + ("nu" if change else "al") + f" de rol {user.role_label}.")
        elif command == "log":
            _print_log(account_changes(store, args.name), args.json)
        elif command == "list":
            users = list_users(store)
            if args.json:
                print_json([u.__dict__ for u in users])
            elif not users:
                print("Er zijn nog geen gebruikers.")
            else:
                width = max(len(u.username) for u in users)
                for u in users:
                    state = "actief" if u.active else "uitgeschakeld"
                    how = "wachtwoord" if u.has_password else "identiteitsprovider"
                    print(f"{u.username:<{width}}  {u.role_label:<24}  {state:<13}  {how:<19}  {u.created_at}")
        elif command in ("disable", "enable"):
            change = set_active(store, args.name, command == "enable", by=by, reason=why)
            print(f"Gebruiker '{args.name.strip().lower()}' " + ("is" if change else "was al")
                  + f" {'ingeschakeld' if command == 'enable' else 'uitgeschakeld'}.")
        elif command == "passwd":
            if get_user(store, args.name) is None:
                raise UserError(f"er is geen gebruiker '{args.name}'")
            set_password(store, args.name, _read_password(args.password_file), by=by, reason=why)
            print(f"Het wachtwoord van '{args.name.strip().lower()}' is gewijzigd.")
    except (ValueError, OSError) as exc:  # UserError, and an Actor refused (--door too long)
        print(f"Geweigerd: {exc}", file=sys.stderr)
        return 2
    return 0


register("users", _configure, _run)
