"""Command line: ``python -m igemo_fin evaluate (WORKBOOK | --db PATH) [--year V] [--json]``, and the
registry of the other commands (:func:`register`).

``evaluate --db`` applies the thresholds the dashboard applies to the same stored data (the newest
official version, else the workbook's) and says which: ``thresholds_source`` in the JSON, a line
``Drempels: ...`` under the table's title.

Exit status 0 on success, 2 when an input file is refused (the problems on stderr, nothing on
stdout), as the finance team's scripts expect.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from igemo_fin.cli.dutch import DutchArgumentParser
from igemo_fin.errors import InputError, Problem
from igemo_fin.records.stored_basis import thresholds_in_force
from igemo_fin.valuation.basis import WORKBOOK, ThresholdSource
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.thresholds import Thresholds

__all__ = ["main", "build_parser", "register", "register_evaluate_extension", "add_source_arguments",
           "EvaluationInputs", "evaluation_inputs", "evaluate_inputs"]

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
    add_source_arguments(p)
    p.add_argument("--json", action="store_true", help="één JSON-object afdrukken in plaats van een tabel")
    for configure, _ in _EVALUATE_EXTENSIONS:
        configure(p)


def add_source_arguments(p: argparse.ArgumentParser) -> None:
    """``[WERKBOEK] [--db PAD] [--year V]``: what to evaluate (``evaluate``, ``boardpack``)."""
    p.add_argument("workbook", nargs="?", metavar="WERKBOEK",
                   help="portefeuillewerkboek (.xlsx); mag weg met --db")
    p.add_argument("--db", default=None, metavar="PAD",
                   help="evalueren wat in de databank staat: de nieuwste werkboekversie (of WERKBOEK als het "
                        "opgegeven is) met de werkelijke cijfers van het grootboek en de officiële drempels")
    p.add_argument("--year", type=int, default=None, metavar="V",
                   help="waarderingsjaar V (standaard: de instelling van het werkboek, anders dit jaar)")


@dataclass(frozen=True)
class EvaluationInputs:
    """What an evaluation from the command line starts from."""

    portfolio: Portfolio
    actuals: pd.DataFrame | None
    """Ledger actuals (``--db``), else None."""
    thresholds: Thresholds
    """The thresholds applied: the official ones of ``--db`` as on the dashboard, else the workbook's."""
    source: ThresholdSource
    """Where ``thresholds`` come from."""

    def source_json(self) -> dict:
        """``{"kind": "werkboek"}`` or ``{"kind": "officieel", "version", "set_by", "set_at"}``."""
        if self.source.kind == WORKBOOK:
            return {"kind": WORKBOOK}
        return self.source.as_dict()


def evaluation_inputs(args: argparse.Namespace) -> EvaluationInputs:
    """The portfolio, actuals and thresholds of ``WERKBOEK`` or ``--db`` (see :func:`add_source_arguments`).

    With ``--db`` the thresholds are those the dashboard applies to the same stored data: the newest
    official version (page Drempels), else the workbook's sheet ``drempels``.

    Raises
    ------
    InputError
        Neither given, the database or workbook is missing or refused.
    """
    from igemo_fin.cli.data import existing_store, load_from_db
    from igemo_fin.inputs.workbook import read_workbook

    if args.db:
        portfolio, actuals = load_from_db(args.db, workbook=args.workbook)
        return EvaluationInputs(portfolio, actuals, *thresholds_in_force(existing_store(args.db), portfolio))
    if args.workbook:
        portfolio = read_workbook(args.workbook)
        return EvaluationInputs(portfolio, None, *thresholds_in_force(None, portfolio))
    raise InputError([Problem(None, None, None, "geef een portefeuillewerkboek op, of --db voor wat in de "
                                                "databank staat")])


def evaluate_inputs(inputs: EvaluationInputs, year: int | None):
    """The evaluation of :func:`evaluation_inputs`, with the thresholds in force."""
    from igemo_fin.valuation.evaluate import evaluate

    return evaluate(inputs.portfolio, valuation_year=year, thresholds=inputs.thresholds,
                    threshold_source=inputs.source, actuals=inputs.actuals)


def _run_evaluate(args: argparse.Namespace) -> int:
    from igemo_fin.exports.report import evaluation_json, evaluation_table

    inputs = evaluation_inputs(args)
    ev = evaluate_inputs(inputs, args.year)
    extras: dict = {"project": {}, "portfolio": {}}
    for _, enrich in _EVALUATE_EXTENSIONS:
        ev = enrich(args, inputs.portfolio, ev, extras) or ev
    if args.json:
        payload = evaluation_json(ev, extra_project=extras["project"], extra_portfolio=extras["portfolio"])
        payload["thresholds_source"] = inputs.source_json()
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(evaluation_table(ev, thresholds_note=inputs.source.describe()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command, in Dutch (:class:`~igemo_fin.cli.dutch.DutchArgumentParser`)."""
    _load_commands()
    parser = DutchArgumentParser(prog="python -m igemo_fin",
                                 description="IGEMO: financieel risico van de projectportefeuille")
    sub = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT",
                                title="opdrachten", help="zie 'python -m igemo_fin OPDRACHT -h'")
    registered = {"evaluate": (_configure_evaluate, _run_evaluate), **_EXTRA}
    order = [name for name in _COMMAND_HELP if name in registered] + sorted(set(registered) - set(_COMMAND_HELP))
    for name in order:
        configure, run = registered[name]
        p = sub.add_parser(name, help=_COMMAND_HELP.get(name), description=_COMMAND_HELP.get(name))
        configure(p)
        p.set_defaults(_run=run)
    return parser


#: One line per command in the overview of ``--help``.
_COMMAND_HELP = {
    "evaluate": "de portefeuille evalueren: oordeel, contante waarde, rendement en rente per project",
    "ledger": "een grootboekexport in de databank opslaan",
    "workbook": "een portefeuillewerkboek als nieuwe versie in de databank opslaan",
    "postcalc": "nacalculatie van de afgeronde projecten en de referentieklasse",
    "financing": "alternatieven voor het kaskrediet vergelijken",
    "audit": "het logboek van besluiten, drempelversies en accountwijzigingen controleren en tonen",
    "users": "de lokale gebruikersaccounts beheren",
    "thresholds": "de drempels die gelden tonen, of nieuwe officiële drempels vastleggen",
    "boardpack": "het bestuurspakket (Excel en PDF) maken, zoals de knop op de pagina Overzicht",
}


def _load_commands() -> None:
    # Each command module registers its commands when imported; they import this module, so they are
    # imported here rather than at the top.
    from igemo_fin.cli import audit, boardpack, data, obligations, risk, thresholds, users  # noqa: F401


def main(argv: list[str] | None = None) -> int:
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
