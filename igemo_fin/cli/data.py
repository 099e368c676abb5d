"""Command line for finance's data: ledger imports, mapping profiles and portfolio-workbook versions.

The workflow itself is :mod:`igemo_fin.ingest` (the Gegevens page calls the same); this module parses
the arguments and prints.

* ``python -m igemo_fin ledger import FILE [--db PATH] [--workbook W] [--profile NAME] [--sheet NAME]
  [--uploader NAME] [--json]`` reads a ledger export, stores its lines in one transaction and prints
  (``--json``) exactly::

      {"file_sha256", "filename", "already_imported", "imported_at", "sheet", "profile",
       "rows_read", "rows_imported", "rows_skipped": [{"row", "reason"}], "rows_stored",
       "totals_by_project": {code: {categorie: signed amount [EUR], inflow +, outflow -}}}

  The counts add up: ``rows_read = rows_imported + len(rows_skipped)``. ``rows_imported`` are the
  lines that feed project actuals (a known project, an account of a real category);
  ``rows_skipped`` lists every other row with its Excel row and reason (no project code, unknown
  project, an account under ``negeren`` or without category, subtotals, rows that are no booking).
  Every booking line is stored all the same, so a project added to a later workbook version picks up
  its lines: ``rows_stored`` counts the lines this import added to the database (lines an earlier,
  overlapping export stored are not added twice). ``totals_by_project`` are the totals of *this
  file's* actual lines, to the cent. ``imported_at`` is when the file was stored (ISO 8601, UTC);
  ``profile`` the mapping profile applied, if any; ``sheet`` the sheet read.

  A file imported before (same SHA-256) is answered at once from that import's report, without
  reading it: ``already_imported`` true, the counts and totals of that import, ``rows_stored`` 0.
  The project codes and the ``rekeningen`` mapping come from ``--workbook``, else from the latest
  workbook version in the database, else there are none: then **every** project code is accepted
  (nothing is "unknown") and DOMAIN.md's default account mapping applies.

  The columns are recognised by their names; a saved mapping profile whose header matches the file's
  is applied automatically, ``--profile`` applies one by name. A header that is not recognised and
  has no profile refuses the file: pick the columns on the Gegevens page and save them as a profile.
* ``python -m igemo_fin ledger profiles list [--db PATH] [--json]`` lists the saved mapping profiles
  (``[{"name", "signature", "mapping", "saved_by", "saved_at"}]`` with ``--json``).
* ``python -m igemo_fin workbook import FILE [--db PATH] [--uploader NAME] [--json]`` validates a
  portfolio workbook and stores it as a new version with a summary of what changed against the
  previous one (:func:`igemo_fin.records.versions.workbook_changes`). A file identical to the latest
  version (same SHA-256) is not stored again (``already_latest``).

A refused file (unsafe, unreadable, any invalid line, a header not recognised, an unknown profile, or a
workbook that breaks WORKBOOK.md) raises an :class:`~igemo_fin.errors.InputError`:
:func:`igemo_fin.cli.main` prints every problem with its file, sheet, row and column on stderr and
exits with status 2. Files are read and validated *before* the database is opened for writing, so a
refused file leaves the database exactly as it was (and does not create it).

``--db`` defaults to ``$IGEMO_DB`` or ``data/igemo.db`` (:func:`igemo_fin.records.store.default_db_path`);
``sqlite:///`` URLs are accepted. ``--uploader`` defaults to the login name.
"""

from __future__ import annotations

import argparse
import getpass
import itertools
import json
import os
import sys
from pathlib import PurePath

from igemo_fin.cli.main import register
from igemo_fin.errors import InputError, Problem
from igemo_fin.ingest.earlier import earlier_report
from igemo_fin.ingest.stored import db_file, existing_store
from igemo_fin.inputs.filesafety import LEDGER_FORMATS, check_size
from igemo_fin.records.import_lookup import find_import_in_file
from igemo_fin.records.location import is_url

# The reader, the store and pandas are imported inside the commands, after the quick answer to a
# ledger file imported before (:func:`_earlier_ledger_report`), which needs none of them.

__all__: list[str] = []

_JSON_BATCH = 16_384
SKIPPED_SHOWN = 50
"""Rows left out of the actuals listed in the text output (all of them with --json)."""


def _print_json(value) -> None:
    # In batches: json.dump would write each of a long report's half a million pieces separately, and
    # json.dumps would hold them all and their joined text at once (the import's peak memory).
    pieces = json.JSONEncoder(ensure_ascii=False, indent=1, default=str).iterencode(value)
    while batch := list(itertools.islice(pieces, _JSON_BATCH)):
        sys.stdout.write("".join(batch))
    sys.stdout.write("\n")


# --------------------------------------------------------------------------- the commands

def _uploader(args: argparse.Namespace) -> str | None:
    if args.uploader:
        return args.uploader
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return None


def _read_file(path: str) -> bytes:
    name = PurePath(path).name
    if not os.path.isfile(path):
        raise InputError([Problem(None, None, None, "bestand niet gevonden: controleer de naam en de map")],
                         file=os.fspath(path))
    check_size(os.path.getsize(path), name)  # a huge file is refused before it is read
    with open(path, "rb") as handle:
        return handle.read()


def _db_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=None, metavar="PAD", help="databank (standaard $IGEMO_DB of data/igemo.db)")


def _configure_ledger(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="ledger_command", required=True, metavar="{import,profiles}")
    kinds = ", ".join(LEDGER_FORMATS)
    imp = sub.add_parser("import", help=f"een grootboekexport ({kinds}) in de databank opslaan")
    imp.add_argument("file", metavar="BESTAND", help=f"de grootboekexport ({kinds})")
    _db_argument(imp)
    imp.add_argument("--workbook", default=None, metavar="WERKBOEK",
                     help="portefeuillewerkboek voor de projectcodes en het blad 'rekeningen' (standaard: de nieuwste "
                          "opgeslagen versie; zonder versie wordt elke projectcode aanvaard)")
    imp.add_argument("--profile", default=None, metavar="NAAM",
                     help="de kolommen lezen volgens dit bewaarde profiel (standaard: het profiel voor dezelfde "
                          "kolomkoppen, anders worden de kolommen herkend aan hun naam)")
    imp.add_argument("--sheet", default=None, metavar="BLAD",
                     help="enkel dit blad van een Excelbestand lezen (standaard: het blad met de grootboekregels)")
    imp.add_argument("--uploader", default=None, metavar="NAAM", help="wie importeert (standaard: de loginnaam)")
    imp.add_argument("--json", action="store_true", help="één JSON-object afdrukken")
    profiles = sub.add_parser("profiles", help="de bewaarde kolomprofielen van grootboekexports")
    psub = profiles.add_subparsers(dest="profiles_command", required=True, metavar="list")
    listing = psub.add_parser("list", help="de bewaarde profielen tonen")
    _db_argument(listing)
    listing.add_argument("--json", action="store_true", help="een JSON-lijst afdrukken")


def _run_ledger(args: argparse.Namespace) -> int:
    if args.ledger_command == "profiles":
        return _run_profiles(args)
    target = db_file(args.db)  # an unsupported URL is refused first
    data = _read_file(args.file)
    name = PurePath(args.file).name
    basis: list[str] = []
    report = None if is_url(target) else earlier_report(data, name, lambda sha: find_import_in_file(target, sha))[1]
    if report is None:
        report = _import_ledger(args, target, data, name, basis)
    if args.json:
        _print_json(report.as_json())
        return 0
    _print_report(report, basis)
    return 0


def _import_ledger(args: argparse.Namespace, target, data: bytes, name: str, basis: list[str]):
    """The whole import (:func:`~igemo_fin.ingest.ledger.import_ledger`) into ``target`` (the
    database ``--db`` names); ``basis`` gets where the project codes came from, when a portfolio was loaded."""
    from igemo_fin.ingest.process_memory import fix_malloc_thresholds, release_free_memory
    from igemo_fin.inputs.ledger_tables import read_tables

    _lean_arrow_memory()
    # Read the sheet before pandas is loaded: its parse is the import's highest step in memory. (A
    # file bound for PostgreSQL is looked up there first, in import_ledger.)
    tables = None if is_url(target) else read_tables(data, name)
    fix_malloc_thresholds()  # from here on, see igemo_fin.ingest.process_memory
    release_free_memory()
    from igemo_fin.ingest.ledger import import_ledger
    from igemo_fin.ingest.stored import latest_portfolio
    from igemo_fin.records.store import Store

    def portfolio():  # loaded only when the file has to be read
        if args.workbook:
            book_name = PurePath(args.workbook).name
            from igemo_fin.inputs.workbook import read_workbook

            basis.append(f"werkboek {book_name}")
            return read_workbook(_read_file(args.workbook), filename=book_name)
        latest = latest_portfolio(existing_store(args.db))
        if latest is None:
            return None
        basis.append(f"portefeuilleversie {latest[0]}")
        return latest[1]

    def open_store():  # called once the file is read and accepted
        release_free_memory()  # what reading it left free in the heap, before the store's step on top of it
        return Store(target)

    report = import_ledger(data, name, db=open_store, existing=existing_store(args.db),
                           portfolio=portfolio, uploader=_uploader(args), profile=args.profile, sheet=args.sheet,
                           tables=tables)
    return report


def _lean_arrow_memory() -> None:
    """Let Arrow allocate with the C library's malloc in this one-import process.

    The lines' text columns are Arrow arrays, and so are many temporaries of reading them. Arrow's
    default pool (mimalloc) keeps freed memory for reuse, which a command that reads one file and
    exits never gets back: with the system's allocator the import's peak is about 40 MiB lower for
    200,000 lines and its cpu time the same (``benchmarks/bench_import.py``). A pool chosen with
    ``ARROW_DEFAULT_MEMORY_POOL`` is left alone.
    """
    if "ARROW_DEFAULT_MEMORY_POOL" in os.environ:
        return
    import pyarrow

    pyarrow.set_memory_pool(pyarrow.system_memory_pool())


def _print_report(report, basis: list[str]) -> None:
    from igemo_fin.fmt import eur

    print(f"Grootboek {report.message}")
    if not report.already_imported:
        print(f"Projectcodes en rekeningen volgens {basis[0]}." if basis else
              "Geen portefeuille: elke projectcode aanvaard, rekeningen volgens de standaardindeling.")
    for code, cats in report.totals_by_project.items():
        print(f"  {code}: " + "; ".join(f"{c} {eur(v, 2)}" for c, v in cats.items()))
    for skipped in report.rows_skipped[:SKIPPED_SHOWN]:
        print(f"  rij {skipped['row']}: {skipped['reason']}")
    if len(report.rows_skipped) > SKIPPED_SHOWN:
        print(f"  ... en {len(report.rows_skipped) - SKIPPED_SHOWN} andere niet meegetelde rijen (zie --json)")


def _run_profiles(args: argparse.Namespace) -> int:
    from igemo_fin.records.profiles import list_profiles
    from igemo_fin.fmt import local_time

    store = existing_store(args.db)
    profiles = [] if store is None else list_profiles(store)
    if args.json:
        _print_json([{"name": p.name, "signature": p.signature, "mapping": json.loads(p.mapping.as_json()),
                      "saved_by": p.saved_by, "saved_at": p.saved_at} for p in profiles])
        return 0
    if not profiles:
        print("Er zijn nog geen kolomprofielen bewaard (dat kan op de pagina Gegevens).")
    for p in profiles:
        print(f"{p.name}: bewaard door {p.saved_by} op {local_time(p.saved_at, joiner=' om ')}")
    return 0


def _configure_workbook(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="workbook_command", required=True, metavar="import")
    imp = sub.add_parser("import", help="een portefeuillewerkboek als nieuwe versie opslaan")
    imp.add_argument("file", metavar="BESTAND", help="het portefeuillewerkboek (.xlsx)")
    _db_argument(imp)
    imp.add_argument("--uploader", default=None, metavar="NAAM", help="wie oplaadt (standaard: de loginnaam)")
    imp.add_argument("--json", action="store_true", help="één JSON-object afdrukken")


def _run_workbook(args: argparse.Namespace) -> int:
    from igemo_fin.ingest.workbook import prepare_workbook, store_workbook
    from igemo_fin.records.store import Store

    db_file(args.db)  # an unsupported URL is refused first
    data = _read_file(args.file)
    upload = prepare_workbook(data, PurePath(args.file).name, store=existing_store(args.db))  # refusal: raises
    done = store_workbook(Store(db_file(args.db)), upload, uploader=_uploader(args))
    if args.json:
        _print_json(done.as_json())
    else:
        print(done.message)
    return 0


register("ledger", _configure_ledger, _run_ledger)
register("workbook", _configure_workbook, _run_workbook)
