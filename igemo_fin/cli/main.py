"""Command line: ``python -m igemo_fin evaluate WORKBOOK [--year V] [--json]``.

Exit status 0 on success, 2 when an input file is refused (the problems on stderr, nothing on
stdout), as the finance team's scripts expect.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from igemo_fin.errors import InputError

__all__ = ["main", "build_parser", "register", "register_evaluate_extension"]

#: Extra sub-commands registered by other modules: name -> (configure(parser), run(args) -> int).
_EXTRA: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


#: Extensions of ``evaluate``: (configure(parser), enrich(args, portfolio, evaluation, extras) -> Evaluation).
#: ``extras`` is ``{"project": {code: {field: value}}, "portfolio": {field: value}}``, filled in place;
#: an extension may return a new Evaluation (the risk model re-decides with the chance of loss).
_EVALUATE_EXTENSIONS: list[tuple[Callable, Callable]] = []


def register_evaluate_extension(configure: Callable[[argparse.ArgumentParser], None],
                                enrich: Callable) -> None:
    """Let a module add options to ``evaluate`` and fields to its JSON."""
    _EVALUATE_EXTENSIONS.append((configure, enrich))


def register(name: str, configure: Callable[[argparse.ArgumentParser], None],
             run: Callable[[argparse.Namespace], int]) -> None:
    """Add a sub-command (used by the data, risk and obligations modules)."""
    _EXTRA[name] = (configure, run)


def _configure_evaluate(p: argparse.ArgumentParser) -> None:
    p.add_argument("workbook", nargs="?", help="portfolio workbook (.xlsx); optional with --db")
    p.add_argument("--db", default=None, metavar="PATH",
                   help="evaluate what is stored: the latest workbook version (or WORKBOOK when given) "
                        "with the ledger actuals of this database")
    p.add_argument("--year", type=int, default=None, help="valuation year V (default: workbook setting or this year)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    for configure, _ in _EVALUATE_EXTENSIONS:
        configure(p)


def _run_evaluate(args: argparse.Namespace) -> int:
    from igemo_fin.valuation.evaluate import evaluate
    from igemo_fin.exports.report import evaluation_json, evaluation_table
    from igemo_fin.inputs.workbook import read_workbook

    if args.db:
        from igemo_fin.ingest import load_from_db

        portfolio, actuals = load_from_db(args.db, workbook=args.workbook)
    elif args.workbook:
        portfolio, actuals = read_workbook(args.workbook), None
    else:
        print("Geef een portefeuillewerkboek op, of --db voor wat in de databank staat.", file=sys.stderr)
        return 2
    ev = evaluate(portfolio, valuation_year=args.year, actuals=actuals)
    extras: dict = {"project": {}, "portfolio": {}}
    for _, enrich in _EVALUATE_EXTENSIONS:
        ev = enrich(args, portfolio, ev, extras) or ev
    if args.json:
        payload = evaluation_json(ev, extra_project=extras["project"], extra_portfolio=extras["portfolio"])
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(evaluation_table(ev))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m igemo_fin",
                                     description="IGEMO: financieel risico van de projectportefeuille")
    sub = parser.add_subparsers(dest="command", required=True)
    commands = {"evaluate": (_configure_evaluate, _run_evaluate), **_EXTRA}
    for name, (configure, run) in commands.items():
        p = sub.add_parser(name)
        configure(p)
        p.set_defaults(_run=run)
    return parser


def _load_extensions() -> None:
    # Optional modules add their commands here; a module that is not there is simply absent.
    import importlib

    for module in ("igemo_fin.cli.data", "igemo_fin.cli.risk", "igemo_fin.cli.obligations", "igemo_fin.cli.audit",
                   "igemo_fin.cli.users"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def main(argv: list[str] | None = None) -> int:
    _load_extensions()
    args = build_parser().parse_args(argv)
    try:
        return int(args._run(args))
    except InputError as exc:
        for line in exc.messages():
            print(line, file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`... --json | head`): not an error of ours; stay quiet on exit too.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
