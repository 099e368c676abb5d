"""``python -m igemo_fin thresholds ...``: the thresholds in force, and new official ones.

::

    thresholds show [--db PATH] [--json]
        every threshold in force with its Dutch label, unit and value, and where they come from:
        the workbook's sheet 'drempels' or official version N (who, when, why)
    thresholds set NAME=VALUE ... [--db PATH] --door NAME --reden TEXT
        a new official version: the thresholds in force with these values changed, validated and
        written to the hash-chained history exactly as on the page Drempels
        (:func:`igemo_fin.records.threshold_changes.change_thresholds`)

A value is read as finance types amounts (:func:`~igemo_fin.inputs.cells.amounts_to_cents`, to the
hundredth): ``4,5``, ``4.5``, ``-500.000`` (Belgian thousands), ``€ 1.234,56``; ``disconteringsvoet_pct=standaard``
gives the discount rate its default, the cash-credit rate of the valuation year. A refused change
(unknown name, no number, out of range, nothing changes, no reason) exits with status 2, its reason
in Dutch on stderr, and stores nothing.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from igemo_fin.ingest.stored import existing_store, latest_portfolio
from igemo_fin.cli.main import print_json, register
from igemo_fin.errors import InputError, Problem
from igemo_fin.fmt import local_time
from igemo_fin.inputs.cells import OK, amounts_to_cents
from igemo_fin.records.chain import AuditError
from igemo_fin.records.threshold_versions import ThresholdVersion, latest_thresholds
from igemo_fin.records.store import Store
from igemo_fin.records.threshold_changes import change_thresholds
from igemo_fin.records.stored_basis import thresholds_in_force
from igemo_fin.valuation.thresholds import THRESHOLD_INFO, Thresholds, changes_text, threshold_text

__all__ = ["parse_assignment", "thresholds_json"]

#: ``disconteringsvoet_pct=standaard``: the discount rate's default (the cash-credit rate of year V).
DEFAULT_WORD = "standaard"


def parse_assignment(text: str) -> tuple[str, float | str | None]:
    """``"min_irr_pct=4,5" -> ("min_irr_pct", 4.5)``, read as finance types amounts (to the hundredth); a
    value that is no number is returned as typed, for :func:`~igemo_fin.records.threshold_versions.validate_thresholds`
    to refuse with its reason.

    >>> parse_assignment("stop_npv_onder=-750.000"), parse_assignment("disconteringsvoet_pct=standaard")
    (('stop_npv_onder', -750000.0), ('disconteringsvoet_pct', None))
    >>> parse_assignment("min_irr_pct=veel"), parse_assignment("min_irr_pct=3.5")
    (('min_irr_pct', 'veel'), ('min_irr_pct', 3.5))
    """
    name, sep, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name:
        raise AuditError(f"'{text}' heeft niet de vorm NAAM=WAARDE")
    if value.lower() == DEFAULT_WORD:
        return name, None
    cents, status = amounts_to_cents([value])
    return (name, int(cents[0]) / 100) if status[0] == OK else (name, value)


@dataclass(frozen=True)
class _InForce:
    thresholds: Thresholds
    version: ThresholdVersion | None  #: the official version in force; None: the workbook's sheet
    workbook_version: int | None  #: the stored workbook version (None: none stored)


def _in_force(store: Store | None, db: str | None) -> _InForce:
    """The thresholds in force (:func:`~igemo_fin.records.stored_basis.thresholds_in_force`) and their version."""
    if store is None:
        raise InputError([Problem(None, None, None, "de databank bestaat niet")], file=db)
    latest = latest_portfolio(store)
    version = latest_thresholds(store)
    if latest is None and version is None:
        raise InputError([Problem(None, None, None, "de databank bevat geen officiële drempels en nog geen "
                                  "portefeuillewerkboek: laad er een op met 'python -m igemo_fin workbook import'")],
                         file=db)
    thresholds = version.thresholds() if latest is None else thresholds_in_force(store, latest[1])[0]
    return _InForce(thresholds, version, None if latest is None else latest[0])


def thresholds_json(in_force: _InForce) -> dict:
    """The JSON object of ``thresholds show --json``."""
    version = in_force.version
    source = ({"kind": "werkboek", "workbook_version": in_force.workbook_version} if version is None else
              {"kind": "officieel", "version": version.id, "set_by": version.created_by, "set_at": version.created_at,
               "reason": version.reason})
    return {"thresholds_source": source, "thresholds": [
        {"name": name, "label": THRESHOLD_INFO[name].label, "unit": THRESHOLD_INFO[name].unit, "value": value,
         "text": threshold_text(name, value)}
        for name, value in in_force.thresholds.as_dict().items()]}


def _show(args: argparse.Namespace) -> int:
    in_force = _in_force(existing_store(args.db), args.db)
    if args.json:
        print_json(thresholds_json(in_force))
        return 0
    version = in_force.version
    if version is None:
        print(f"Van kracht: de drempels van het blad 'drempels' van portefeuilleversie {in_force.workbook_version}; "
              "er is nog geen officiële versie vastgelegd.")
    else:
        print(f"Van kracht: officiële drempels versie {version.id}, vastgelegd op {local_time(version.created_at)} "
              f"door {version.created_by}. Reden: {version.reason}")
    rows = [(THRESHOLD_INFO[n].label, threshold_text(n, v), n) for n, v in in_force.thresholds.as_dict().items()]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    print()
    for label, text, name in rows:
        print(f"  {label:<{widths[0]}}  {text:>{widths[1]}}  {name}")
    return 0


def _set(args: argparse.Namespace) -> int:
    store = existing_store(args.db)
    in_force = _in_force(store, args.db)
    try:
        changes: dict = {}
        for text in args.values:
            name, value = parse_assignment(text)
            if name in changes:
                raise AuditError(f"drempel '{name}' staat meer dan eens in de opdracht")
            changes[name] = value
        saved = change_thresholds(store, in_force.thresholds, changes, created_by=args.door, reason=args.reden)
    except AuditError as refused:
        print(f"Niet vastgelegd: {refused}. De namen en waarden die gelden: 'python -m igemo_fin thresholds show'.",
              file=sys.stderr)
        return 2
    print(f"Drempelversie {saved.id} vastgelegd door {saved.created_by}: "
          f"{changes_text(saved.old_values, saved.new_values)}.")
    return 0


def _configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="thresholds_command", required=True, metavar="{show,set}")
    show = sub.add_parser("show", help="de drempels die gelden tonen, met hun herkomst",
                          description="De drempels die gelden, met hun herkomst: het werkboek of een officiële versie.")
    show.add_argument("--db", default=None, metavar="PAD", help="databank (standaard $IGEMO_DB of data/igemo.db)")
    show.add_argument("--json", action="store_true", help="één JSON-object afdrukken in plaats van een tabel")
    set_ = sub.add_parser("set", help="nieuwe officiële drempels vastleggen",
                          description="Nieuwe officiële drempels vastleggen, gecontroleerd zoals op de pagina "
                                      "Drempels; de andere drempels blijven zoals ze gelden.")
    set_.add_argument("values", nargs="+", metavar="NAAM=WAARDE",
                      help="een drempel en zijn nieuwe waarde, bv. stop_npv_onder=-750000 of min_irr_pct=3,5; "
                           f"disconteringsvoet_pct={DEFAULT_WORD} voor de rente van het kaskrediet")
    set_.add_argument("--db", default=None, metavar="PAD", help="databank (standaard $IGEMO_DB of data/igemo.db)")
    set_.add_argument("--door", required=True, metavar="NAAM", help="wie de drempels vastlegt")
    set_.add_argument("--reden", required=True, metavar="TEKST",
                      help="waarom (bv. het besluit van de raad van bestuur)")


def _run(args: argparse.Namespace) -> int:
    return _show(args) if args.thresholds_command == "show" else _set(args)


register("thresholds", _configure, _run)
