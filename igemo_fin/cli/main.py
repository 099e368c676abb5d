"""Command line: ``python -m igemo_fin evaluate (WORKBOOK | --db PATH) [--year V] [--json]``, and the
registry of the other commands (:func:`register`).

``evaluate`` computes on the same basis as the dashboard (:func:`basis_from_args`): with ``--db`` the
stored workbook, the ledger actuals and the thresholds in force (the newest official version, else the
workbook's), and by default the Monte Carlo behind the two chance-of-loss rules (``--simulations 0``
turns it off). The JSON says which basis (``basis``, ``thresholds_source``); the table says it in its
second line.

Exit status 0 on success, 2 when an input file is refused (the problems on stderr, nothing on
stdout), as the finance team's scripts expect.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from igemo_fin.cli.dutch import DutchArgumentParser
from igemo_fin.errors import InputError, Problem

if TYPE_CHECKING:
    from igemo_fin.valuation.basis import Basis

# The engine is imported inside the commands that use it: ``ledger import`` of a file imported
# before answers from the database alone, and should not wait for pandas and the engine to load.

__all__ = ["main", "build_parser", "register", "register_evaluate_extension", "add_source_arguments",
           "basis_from_args", "print_json"]

#: Extra sub-commands registered by other modules: name -> (configure(parser), run(args) -> int).
_EXTRA: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


#: Extensions of ``evaluate``: (configure(parser), enrich(args, evaluation, extras) -> Evaluation or None).
#: ``extras`` is ``{"project": {code: {field: value}}, "portfolio": {field: value}}``, filled in place;
#: an extension only adds fields (the verdicts are the evaluation's, on its basis).
_EVALUATE_EXTENSIONS: list[tuple[Callable, Callable]] = []


def print_json(payload) -> None:
    """One JSON object on stdout, as every ``--json`` prints it (UTF-8 text kept, indented)."""
    # one write: json.dump would write each piece of a long payload separately
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


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
    """``[WERKBOEK] [--db PAD] [--year V]`` and the simulation settings: the basis of ``evaluate`` and
    ``boardpack`` (:func:`basis_from_args`)."""
    from igemo_fin.fmt import number
    from igemo_fin.valuation.basis import DEFAULT_ITERATIONS, DEFAULT_SEED

    p.add_argument("workbook", nargs="?", metavar="WERKBOEK",
                   help="portefeuillewerkboek (.xlsx); mag weg met --db")
    p.add_argument("--db", default=None, metavar="PAD",
                   help="evalueren wat in de databank staat: de nieuwste werkboekversie (of WERKBOEK als het "
                        "opgegeven is) met de werkelijke cijfers van het grootboek en de officiële drempels")
    p.add_argument("--year", type=int, default=None, metavar="V",
                   help="waarderingsjaar V (standaard: de instelling van het werkboek, anders dit jaar)")
    group = p.add_argument_group("risicosimulatie (Monte Carlo), standaard volgens het blad instellingen")
    group.add_argument("--simulations", type=_count, default=None, metavar="N",
                       help=f"aantal gesimuleerde toekomsten (standaard {number(DEFAULT_ITERATIONS)}); 0 zet de "
                            "simulatie uit: de twee regels over de kans op verlies zijn dan niet beoordeeld")
    group.add_argument("--seed", type=int, default=None, metavar="S",
                       help=f"startwaarde van het toeval (standaard {DEFAULT_SEED})")
    group.add_argument("--rate-spread-bp", type=float, default=None, metavar="BP",
                       help="standaardafwijking van een parallelle verschuiving van de rente [bp] (standaard 0)")
    group.add_argument("--reference-class", action="store_true", default=None,
                       help="voeg de onzekerheid van de referentieklasse (nacalculatie) toe aan actieve projecten")


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen geheel getal") from None
    if value < 0:
        raise argparse.ArgumentTypeError("het aantal simulaties kan niet negatief zijn")
    return value


def basis_from_args(args: argparse.Namespace) -> Basis:
    """The basis of ``WERKBOEK`` or ``--db`` (see :func:`add_source_arguments`), built as the dashboard
    builds it: with ``--db`` the stored workbook (or ``WERKBOEK``), the ledger actuals and the official
    thresholds in force (:func:`~igemo_fin.ingest.stored.basis_from_db`); the simulation settings of the
    workbook unless the options change them.

    Raises
    ------
    InputError
        Neither given, the database or workbook is missing or refused.
    """
    from igemo_fin.ingest.stored import basis_from_db, read_file
    from igemo_fin.inputs.workbook import read_workbook
    from igemo_fin.records.stored_basis import stored_basis

    if args.db:
        basis = basis_from_db(args.db, workbook=args.workbook, valuation_year=args.year)
    elif args.workbook:
        content = read_file(args.workbook)
        basis = stored_basis(None, read_workbook(content, filename=Path(args.workbook).name), content,
                             valuation_year=args.year)
    else:
        raise InputError([Problem(None, None, None, "geef een portefeuillewerkboek op, of --db voor wat in de "
                                                    "databank staat")])
    changes = {k: v for k, v in (("iterations", args.simulations), ("seed", args.seed),
                                 ("rate_spread_bp", args.rate_spread_bp),
                                 ("reference_class", args.reference_class)) if v is not None}
    return basis.with_simulation(**changes) if changes else basis


def _run_evaluate(args: argparse.Namespace) -> int:
    from igemo_fin.exports.report import evaluation_json, evaluation_table
    from igemo_fin.valuation.evaluate import evaluate

    ev = evaluate(basis_from_args(args))
    extras: dict = {"project": {}, "portfolio": {}}
    for _, enrich in _EVALUATE_EXTENSIONS:
        ev = enrich(args, ev, extras) or ev
    if args.json:
        payload = evaluation_json(ev, extra_project=extras["project"], extra_portfolio=extras["portfolio"])
        print_json(payload)
    else:
        print(evaluation_table(ev))
    return 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, in Dutch (:class:`~igemo_fin.cli.dutch.DutchArgumentParser`).

    With ``command`` (one of :data:`_LIGHT_COMMANDS`) only that command is configured, and only its
    module loaded: a command line that starts with it parses exactly as with the whole parser (the
    top level only picks the command), without loading the engine the other commands use.
    """
    if command in _LIGHT_COMMANDS:
        importlib.import_module(_LIGHT_COMMANDS[command])
        registered = {command: _EXTRA[command]}
    else:
        _load_commands()
        registered = {"evaluate": (_configure_evaluate, _run_evaluate), **_EXTRA}
    parser = DutchArgumentParser(prog="python -m igemo_fin",
                                 description="IGEMO: financieel risico van de projectportefeuille")
    sub = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT",
                                title="opdrachten", help="zie 'python -m igemo_fin OPDRACHT -h'")
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
    "agreements": "overeenkomsten: grondfondsen, subsidies (erkend tegenover ontvangen) en facturatieafspraken",
    "workbook": "een portefeuillewerkboek als nieuwe versie in de databank opslaan",
    "postcalc": "nacalculatie van de afgeronde projecten en de referentieklasse",
    "financing": "alternatieven voor het kaskrediet vergelijken",
    "audit": "het logboek van besluiten, drempelversies en accountwijzigingen controleren en tonen",
    "users": "de lokale gebruikersaccounts beheren",
    "thresholds": "de drempels die gelden tonen, of nieuwe officiële drempels vastleggen",
    "boardpack": "het bestuurspakket (Excel en PDF) maken, zoals de knop op de pagina Overzicht",
    "review": "de jaarlijkse evaluatie van de werkingskosten: budget, overhead buiten de projecten, werkingsbijdrage",
    "mpg": "meerjarenperspectief: kaskrediet, eigen vermogen en weerstandsvermogen per jaar, en de verschillenanalyse",
}


#: Commands whose module is light to import (no engine, no pandas at its top): a command line naming
#: one loads only that module (see :func:`build_parser`).
_LIGHT_COMMANDS = {"ledger": "igemo_fin.cli.data"}


def _load_commands() -> None:
    # Each command module registers its commands when imported; they import this module, so they are
    # imported here rather than at the top.
    from igemo_fin.cli import (agreements, audit, boardpack, data, mpg, obligations, review, risk,  # noqa: F401
                               thresholds, users)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv[0] if argv else None).parse_args(argv)
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
