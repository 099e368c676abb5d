"""Command line for finance's data: ledger imports and portfolio-workbook versions.

* ``python -m igemo_fin ledger import FILE [--db PATH] [--workbook W] [--uploader NAME] [--json]``
  reads a ledger export, stores its lines in one transaction and prints (``--json``) exactly::

      {"file_sha256", "already_imported", "rows_read", "rows_imported",
       "rows_skipped": [{"row", "reason"}],
       "totals_by_project": {code: {categorie: signed amount [EUR], inflow +, outflow -}}}

  ``totals_by_project`` are the totals of *this file's* actual lines (known project, real
  category), to the cent, whatever the database already held; for a file imported before they are
  the totals of the file as read, with ``rows_imported`` 0. ``rows_skipped`` lists every row left out
  of the actuals (no project, unknown project, ignored or unmapped account, subtotals, text rows).
  The project codes and the ``rekeningen`` mapping come from ``--workbook``, else from the latest
  workbook version in the database, else there are none: then **every** project code is accepted
  (nothing is "unknown") and DOMAIN.md's default account mapping applies. Lines are stored whatever
  their project: the actuals filter is applied when they are read back, so a project added to a later
  workbook version picks up its lines.
* ``python -m igemo_fin workbook import FILE [--db PATH] [--uploader NAME] [--json]`` validates a
  portfolio workbook and stores it as a new version with a summary of what changed against the
  previous one (:func:`igemo_fin.records.versions.workbook_changes`). A file identical to the latest version
  (same SHA-256) is not stored again (``already_latest``).
* :func:`load_from_db` gives ``evaluate`` what is stored: the latest (or a chosen) workbook version
  and the ledger actuals of its projects.

A refused file (unsafe, unreadable, any invalid line, or a workbook that breaks WORKBOOK.md) raises an
:class:`~igemo_fin.errors.InputError`: :func:`igemo_fin.cli.main` prints every problem with its row on
stderr and exits with status 2. Files are read and validated *before* the database is opened for
writing, so a refused file leaves the database exactly as it was (and does not create it).

``--db`` defaults to ``$IGEMO_DB`` or ``data/igemo.db`` (:func:`igemo_fin.records.store.default_db_path`);
``sqlite:///`` URLs are accepted. ``--uploader`` defaults to the login name.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath

import pandas as pd

from igemo_fin.cli.main import register
from igemo_fin.columns import CATEGORIES
from igemo_fin.errors import InputError, Problem
from igemo_fin.inputs.filesafety import check_size
from igemo_fin.inputs.ledger import LedgerRead, read_ledger
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.records.store import ImportResult, Store, db_path_from, file_sha256

__all__ = [
    "LEDGER_JSON_KEYS",
    "WorkbookImport",
    "db_file",
    "existing_store",
    "latest_portfolio",
    "ledger_report",
    "totals_by_project",
    "read_ledger_bytes",
    "import_ledger_bytes",
    "import_workbook_bytes",
    "load_from_db",
]

LEDGER_JSON_KEYS = ("file_sha256", "already_imported", "rows_read", "rows_imported", "rows_skipped",
                    "totals_by_project")
"""The keys of ``ledger import --json``, in order."""


# --------------------------------------------------------------------------- the operations

def db_file(target: str | os.PathLike | None) -> Path:
    """The SQLite file a ``--db`` value names: a path or a ``sqlite:///`` URL; default ``$IGEMO_DB``.

    Raises
    ------
    InputError
        Another kind of URL (``postgresql://``): not supported by this version.
    """
    try:
        return db_path_from(target)
    except ValueError as refused:
        raise InputError([Problem(None, None, None, str(refused))], file=os.fspath(target)) from None


def existing_store(target: str | os.PathLike | None) -> Store | None:
    """The store when its file exists, else None (reading never creates a database)."""
    path = db_file(target)
    return Store(path) if path.is_file() else None


def latest_portfolio(store: Store | None) -> tuple[int, Portfolio] | None:
    """The latest stored workbook version, read: ``(version id, portfolio)``, or None."""
    from igemo_fin.inputs.workbook import read_workbook

    if store is None:
        return None
    versions = store.workbook_versions()
    if versions.empty:
        return None
    row = versions.iloc[0]
    return int(row["id"]), read_workbook(store.workbook_content(int(row["id"])), filename=str(row["filename"]))


def totals_by_project(lines: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Signed totals [EUR] per project code and category of ledger lines (summed in cents).

    Parameters
    ----------
    lines : pandas.DataFrame
        ``project_code, category, amount_cents`` (e.g. :attr:`~igemo_fin.inputs.ledger.LedgerRead.actual_lines`).

    Returns
    -------
    dict
        ``{code: {categorie: amount}}``, codes sorted, categories in WORKBOOK.md's order.

    Examples
    --------
    >>> lines = pd.DataFrame({"project_code": ["B", "A", "A"], "category": ["verkoop", "studies", "verwerving"],
    ...                       "amount_cents": [100001, -2525, -100000]})
    >>> totals_by_project(lines)
    {'A': {'verwerving': -1000.0, 'studies': -25.25}, 'B': {'verkoop': 1000.01}}
    """
    if lines.empty:
        return {}
    sums = lines.groupby(["project_code", "category"], sort=True)["amount_cents"].sum()
    order = {c: i for i, c in enumerate(CATEGORIES)}
    out: dict[str, dict[str, float]] = {}
    for (code, category), cents in sorted(sums.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 99))):
        out.setdefault(str(code), {})[str(category)] = int(cents) / 100.0
    return out


def ledger_report(read: LedgerRead, result: ImportResult) -> dict:
    """The JSON object of ``ledger import --json`` (keys :data:`LEDGER_JSON_KEYS`)."""
    return {
        "file_sha256": result.file_sha256,
        "already_imported": bool(result.already_imported),
        "rows_read": int(read.rows_read),
        "rows_imported": int(result.rows_imported),
        "rows_skipped": [{"row": int(r), "reason": str(reason)}
                         for r, reason in zip(read.skipped["row"], read.skipped["reason"])],
        "totals_by_project": totals_by_project(read.actual_lines),
    }


def read_ledger_bytes(data: bytes, filename: str, portfolio: Portfolio | None) -> LedgerRead:
    """:func:`~igemo_fin.inputs.ledger.read_ledger` with the portfolio's project codes and ``rekeningen``.

    Without a portfolio every project code is accepted and the default account mapping applies.
    """
    return read_ledger(data, filename=filename,
                       rekeningen=None if portfolio is None else portfolio.accounts,
                       known_projects=None if portfolio is None else portfolio.project_codes)


def import_ledger_bytes(store: Store, data: bytes, filename: str, *, portfolio: Portfolio | None,
                        uploader: str | None, read: LedgerRead | None = None) -> tuple[LedgerRead, ImportResult]:
    """Read (unless ``read`` is given, e.g. the preview the user confirmed) and store a ledger export.

    Raises
    ------
    InputError
        The file is refused; nothing is stored.
    """
    if read is None:
        read = read_ledger_bytes(data, filename, portfolio)
    result = store.import_ledger(read, file_sha256=file_sha256(data), filename=PurePath(filename).name,
                                 uploader=uploader)
    return read, result


@dataclass(frozen=True)
class WorkbookImport:
    """What ``workbook import`` did."""

    version: int
    """Id of the stored version (the latest one when ``already_latest``)."""
    file_sha256: str
    already_latest: bool
    """The file is identical to the latest version: nothing was stored."""
    previous_version: int | None
    summary: dict
    """What changed against the previous version (:func:`igemo_fin.records.versions.workbook_changes`)."""

    @property
    def message(self) -> str:
        from igemo_fin.records.versions import describe_changes

        if self.already_latest:
            return f"Dit werkboek is identiek aan de nieuwste versie (versie {self.version}): niets opgeslagen."
        return f"Opgeslagen als versie {self.version}. {describe_changes(self.summary)}"

    def as_json(self) -> dict:
        return {"version": self.version, "file_sha256": self.file_sha256, "already_latest": self.already_latest,
                "previous_version": self.previous_version, "summary": self.summary, "message": self.message}


def import_workbook_bytes(store: Store, data: bytes, filename: str, *, uploader: str | None,
                          portfolio: Portfolio | None = None) -> WorkbookImport:
    """Validate a portfolio workbook and store it as a new version with its summary of changes.

    Parameters
    ----------
    portfolio : Portfolio, optional
        The workbook already read (the preview); read from ``data`` otherwise.

    Raises
    ------
    WorkbookError, FileRefused
        The workbook is refused; nothing is stored.
    """
    from igemo_fin.records.versions import workbook_changes
    from igemo_fin.inputs.workbook import read_workbook

    if portfolio is None:
        portfolio = read_workbook(data, filename=filename)
    sha = file_sha256(data)
    versions = store.workbook_versions()
    previous_id, previous = None, None
    if not versions.empty:
        previous_id = int(versions.iloc[0]["id"])
        if versions.iloc[0]["sha256"] == sha:
            return WorkbookImport(previous_id, sha, True, previous_id, versions.iloc[0]["summary"])
        try:
            previous = read_workbook(store.workbook_content(previous_id), filename=str(versions.iloc[0]["filename"]))
        except InputError:
            previous = None  # a version this reader no longer accepts: compare with nothing
    summary = workbook_changes(previous, portfolio)
    summary["previous_version"] = previous_id
    version = store.add_workbook_version(data, PurePath(filename).name, uploader, summary)
    return WorkbookImport(int(version), sha, False, previous_id, summary)


def load_from_db(db_path: str | os.PathLike | None, *, workbook: str | os.PathLike | None = None,
                 version: int | None = None) -> tuple[Portfolio, pd.DataFrame | None]:
    """What ``evaluate --db`` evaluates: a portfolio and the stored ledger actuals of its projects.

    Parameters
    ----------
    db_path : path or ``sqlite:///`` URL, optional
        The database (default ``$IGEMO_DB``). It is never created by this call.
    workbook : path, optional
        Evaluate this workbook instead of a stored version (with the stored actuals).
    version : int, optional
        A stored version id instead of the latest.

    Returns
    -------
    portfolio : Portfolio
    actuals : pandas.DataFrame or None
        ``project_code, jaar, categorie, bedrag`` (signed [EUR]) of the portfolio's projects, all
        years (``evaluate`` uses the years before ``V``); None when the ledger has none.

    Raises
    ------
    InputError
        No database file, no workbook version in it, or the workbook is refused.

    Notes
    -----
    ``evaluate --db`` in :mod:`igemo_fin.cli.main`: an option ``--db PATH`` next to the optional
    positional ``workbook``; then ``portfolio, actuals = load_from_db(args.db, workbook=args.workbook)``
    when ``--db`` is given (else the workbook as before, ``actuals = None``) and
    ``evaluate(portfolio, valuation_year=args.year, actuals=actuals)``. The extensions keep working:
    the risk model's ``reevaluate`` reuses the actuals of the evaluation it is given.
    """
    from igemo_fin.inputs.workbook import read_workbook

    path = db_file(db_path)
    store = existing_store(db_path)
    if store is None:
        raise InputError([Problem(None, None, None, f"de databank '{path}' bestaat niet")], file=str(path))
    if workbook is not None:
        portfolio = read_workbook(workbook)
    elif version is not None:
        versions = store.workbook_versions()
        match = versions[versions["id"] == int(version)]
        if match.empty:
            raise InputError([Problem(None, None, None, f"geen portefeuilleversie {version} in de databank")],
                             file=str(path))
        portfolio = read_workbook(store.workbook_content(int(version)), filename=str(match.iloc[0]["filename"]))
    else:
        latest = latest_portfolio(store)
        if latest is None:
            raise InputError([Problem(None, None, None, "de databank bevat nog geen portefeuillewerkboek: "
                                      "laad er een op met 'python -m igemo_fin workbook import'")], file=str(path))
        portfolio = latest[1]
    actuals = store.ledger_actuals(known_projects=portfolio.project_codes, rekeningen=portfolio.accounts)
    return portfolio, (None if actuals.empty else actuals)


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
        raise InputError([Problem(None, None, None, "bestand niet gevonden")], file=os.fspath(path))
    check_size(os.path.getsize(path), name)  # a huge file is refused before it is read
    with open(path, "rb") as handle:
        return handle.read()


def _configure_ledger(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="ledger_command", required=True, metavar="import")
    imp = sub.add_parser("import", help="een grootboekexport (.xlsx of .csv) in de databank opslaan")
    imp.add_argument("file", metavar="BESTAND", help="de grootboekexport (.xlsx of .csv)")
    imp.add_argument("--db", default=None, metavar="PAD", help="databank (standaard $IGEMO_DB of data/igemo.db)")
    imp.add_argument("--workbook", default=None, metavar="WERKBOEK",
                     help="portefeuillewerkboek voor de projectcodes en het blad 'rekeningen' (standaard: de nieuwste "
                          "opgeslagen versie; zonder versie wordt elke projectcode aanvaard)")
    imp.add_argument("--uploader", default=None, metavar="NAAM", help="wie importeert (standaard: de loginnaam)")
    imp.add_argument("--json", action="store_true", help="één JSON-object afdrukken")


def _run_ledger(args: argparse.Namespace) -> int:
    from igemo_fin.fmt import eur
    from igemo_fin.inputs.workbook import read_workbook

    db_file(args.db)  # an unsupported URL is refused first
    data = _read_file(args.file)
    name = PurePath(args.file).name
    if args.workbook:
        book_name = PurePath(args.workbook).name
        portfolio, basis = read_workbook(_read_file(args.workbook), filename=book_name), f"werkboek {book_name}"
    else:
        latest = latest_portfolio(existing_store(args.db))
        portfolio, basis = (latest[1], f"portefeuilleversie {latest[0]}") if latest else (None, None)
    read = read_ledger_bytes(data, name, portfolio)  # refusal: InputError before the database is touched
    store = Store(db_file(args.db))
    read, result = import_ledger_bytes(store, data, name, portfolio=portfolio, uploader=_uploader(args), read=read)
    report = ledger_report(read, result)
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    print(f"Grootboek '{name}': {report['rows_read']} regel(s) gelezen, {len(report['rows_skipped'])} niet als "
          f"projectcijfer meegeteld. {result.message[0].upper() + result.message[1:]}.")
    print(f"Projectcodes en rekeningen volgens {basis}." if basis else
          "Geen portefeuille: elke projectcode aanvaard, rekeningen volgens de standaardindeling.")
    for code, cats in report["totals_by_project"].items():
        print(f"  {code}: " + "; ".join(f"{c} {eur(v, 2)}" for c, v in cats.items()))
    for skipped in report["rows_skipped"][:50]:
        print(f"  rij {skipped['row']}: {skipped['reason']}")
    if len(report["rows_skipped"]) > 50:
        print(f"  ... en {len(report['rows_skipped']) - 50} andere overgeslagen rijen (zie --json)")
    return 0


def _configure_workbook(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="workbook_command", required=True, metavar="import")
    imp = sub.add_parser("import", help="een portefeuillewerkboek als nieuwe versie opslaan")
    imp.add_argument("file", metavar="BESTAND", help="het portefeuillewerkboek (.xlsx)")
    imp.add_argument("--db", default=None, metavar="PAD", help="databank (standaard $IGEMO_DB of data/igemo.db)")
    imp.add_argument("--uploader", default=None, metavar="NAAM", help="wie oplaadt (standaard: de loginnaam)")
    imp.add_argument("--json", action="store_true", help="één JSON-object afdrukken")


def _run_workbook(args: argparse.Namespace) -> int:
    from igemo_fin.inputs.workbook import read_workbook

    db_file(args.db)  # an unsupported URL is refused first
    data = _read_file(args.file)
    name = PurePath(args.file).name
    portfolio = read_workbook(data, filename=name)  # refusal: InputError before the database is touched
    store = Store(db_file(args.db))
    done = import_workbook_bytes(store, data, name, uploader=_uploader(args), portfolio=portfolio)
    if args.json:
        json.dump(done.as_json(), sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
    else:
        print(done.message)
    return 0


register("ledger", _configure_ledger, _run_ledger)
register("workbook", _configure_workbook, _run_workbook)
