"""``python -m igemo_fin audit ...``: check and show the decision log (see :mod:`igemo_fin.records.chain`).

::

    audit verify [--db PATH] [--head HASH]   exit 0 when every chain (decisions, threshold versions,
                                             account changes) is intact, 1 naming the first broken
                                             entry when not
    audit log [--db PATH] [--json]           the decisions, threshold versions and account changes

The database is opened read-only: checking the log never changes it.
"""

from __future__ import annotations

import argparse
import json
import sys

from igemo_fin.records.account_log import VIA_WORDS, describe
from igemo_fin.records.chain import rows_of, verify_chain
from igemo_fin.cli.main import print_json, register
from igemo_fin.records.database import Database, db_exists, db_path_from


def _configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="audit_command", required=True, metavar="{verify,log}")
    verify = sub.add_parser("verify", help="de hashketen van het logboek controleren")
    verify.add_argument("--db", default=None, metavar="PAD", help="databank (standaard $IGEMO_DB of data/igemo.db)")
    verify.add_argument("--head", default=None, metavar="HASH", help="een eerder genoteerde hash die nog in het logboek moet staan")
    log = sub.add_parser("log", help="het besluitenlogboek, de drempelversies en de accountwijzigingen tonen")
    log.add_argument("--db", default=None, metavar="PAD", help="databank (standaard $IGEMO_DB of data/igemo.db)")
    log.add_argument("--json", action="store_true", help="één JSON-object in plaats van tekst")


def _rows(path, table: str) -> list[dict]:
    database = Database(path)
    with database.read_only() as conn:
        if table not in database.schema_objects(conn):
            return []
        return rows_of(conn, f"SELECT * FROM {table} ORDER BY id")


def _run(args: argparse.Namespace) -> int:
    path = db_path_from(args.db)
    if args.audit_command == "verify":
        result = verify_chain(path, head=args.head)
        if result.ok:
            print(result.message)
            for table, value in (result.head or {}).items():
                print(f"laatste hash {table}: {value}")
            return 0
        print(result.message, file=sys.stderr)
        if result.first_bad_id is not None:
            print(f"eerste gebroken regel: {result.table} id {result.first_bad_id}", file=sys.stderr)
        return 1
    if not db_exists(path):
        print(f"Geweigerd: de databank {path} bestaat niet", file=sys.stderr)
        return 2
    decisions = _rows(path, "decisions")
    for d in decisions:
        d["overridden"] = bool(d["overridden"])
    versions = _rows(path, "threshold_versions")
    accounts = _rows(path, "account_changes")
    for v in versions + accounts:
        v["old_values"], v["new_values"] = json.loads(v["old_values"]), json.loads(v["new_values"])
    result = verify_chain(path)
    if args.json:
        payload = {"verified": {"ok": result.ok, "n_entries": result.n_entries, "first_bad_id": result.first_bad_id,
                                "table": result.table, "reason": result.reason, "head": result.head},
                   "decisions": decisions, "threshold_versions": versions, "account_changes": accounts}
        print_json(payload)
        return 0
    print(result.message)
    print(f"\nDrempelversies ({len(versions)}):")
    for v in versions:
        changed = {k: (v["old_values"].get(k), x) for k, x in v["new_values"].items() if v["old_values"].get(k) != x}
        text = ", ".join(f"{k}: {a} -> {b}" for k, (a, b) in changed.items()) or "geen wijziging"
        print(f"  {v['id']:>4}  {v['created_at']}  {v['created_by']}  {v['reason']}  [{text}]")
    print(f"\nBesluiten ({len(decisions)}):")
    for d in decisions:
        mark = "AFGEWEKEN" if d["overridden"] else "gevolgd"
        print(f"  {d['id']:>4}  vergadering {d['meeting_date']}  {d['project_code']}  model {d['verdict_engine']} -> "
              f"besluit {d['verdict_adopted']} ({mark})  door {d['decided_by']}  {d['motivation']}")
    print(f"\nAccountwijzigingen ({len(accounts)}):")
    for a in accounts:
        print(f"  {a['id']:>4}  {a['changed_at']}  {a['username']}  {describe(a['action'], a['old_values'], a['new_values'])}"
              f"  door {a['changed_by']} via {VIA_WORDS.get(a['via'], a['via'])}  {a['reason']}")
    return 0


register("audit", _configure, _run)
