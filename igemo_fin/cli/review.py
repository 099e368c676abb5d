"""``python -m igemo_fin review (WERKBOEK | --db PAD) --year Y [--ledger GROOTBOEK] [--index-year K] [--json]``.

Finance's yearly review of the running costs (:func:`igemo_fin.review.yearly.yearly_review`): per cost
group ``budget``, ``actual``, ``forecast``, ``difference``, ``difference_pct``, ``real_growth_pct`` and
``flag``; the lines that escape the projects (``uncoded_lines``, ``misdirected_lines``); per partner
``contribution_nominal``, ``contribution_real`` and ``reindexation_gap``. With ``--db`` the ledger is
every stored line and the workbook the latest stored version (or ``WERKBOEK``); without it, the lines
of ``--ledger`` (none when it is not given). Exit status 2 when an input is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from igemo_fin.cli.main import print_json, register

__all__ = ["run_review"]


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("workbook", nargs="?", metavar="WERKBOEK",
                   help="portefeuillewerkboek (.xlsx) met de bladen van docs/werking.md; mag weg met --db")
    p.add_argument("--db", default=None, metavar="PAD",
                   help="de grootboeklijnen en (zonder WERKBOEK) de nieuwste werkboekversie uit de databank")
    p.add_argument("--ledger", default=None, metavar="GROOTBOEK",
                   help="een grootboekexport (.xlsx, .csv, ...) in plaats van de databank")
    p.add_argument("--year", type=int, default=None, metavar="Y", help="het jaar van de evaluatie (standaard dit jaar)")
    p.add_argument("--index-year", type=int, default=None, metavar="K",
                   help="wat-als: de werkingsbijdrage geïndexeerd vanaf jaar K (standaard: per gemeente het jaar "
                        "van de laatste indexering)")
    p.add_argument("--json", action="store_true", help="één JSON-object afdrukken in plaats van een tabel")


def run_review(args: argparse.Namespace) -> int:
    """Run ``review``; the refusals of :class:`~igemo_fin.errors.InputError` are printed by ``main``."""
    from igemo_fin.errors import InputError, Problem
    from igemo_fin.ingest.stored import basis_from_db, existing_store, read_file
    from igemo_fin.inputs.ledger import read_ledger
    from igemo_fin.inputs.workbook import read_workbook
    from igemo_fin.review.yearly import empty_lines, yearly_review

    if args.db:
        portfolio = basis_from_db(args.db, workbook=args.workbook).portfolio
        lines = existing_store(args.db).ledger_lines()
    elif args.workbook:
        portfolio = read_workbook(read_file(args.workbook), filename=Path(args.workbook).name)
        lines = empty_lines()
    else:
        raise InputError([Problem(None, None, None, "geef een portefeuillewerkboek op, of --db voor wat in de "
                                                    "databank staat")])
    if args.ledger:
        lines = read_ledger(read_file(args.ledger), filename=Path(args.ledger).name, known_projects=portfolio.project_codes,
                            rekeningen=portfolio.accounts).lines
    year = args.year if args.year is not None else dt.date.today().year
    review = yearly_review(portfolio, lines, year, index_year=args.index_year)
    print_json(review.as_json()) if args.json else print(_table(review))
    return 0


def _table(review) -> str:
    import pandas as pd

    from igemo_fin.fmt import date_nl, eur, number, pct

    head = (f"Werking {review.year}: geboekt tot {date_nl(review.period.through)}, marge "
            f"{number(review.inputs.margin_pct, 1)} procentpunt")
    table = pd.DataFrame({
        "Kostengroep": review.budget["label"],
        "Budget": [eur(v) for v in review.budget["budget"]],
        "Werkelijk": [eur(v) for v in review.budget["actual"]],
        "Prognose": [eur(v) for v in review.budget["forecast"]],
        "Verschil": [eur(v) for v in review.budget["difference"]],
        "Reële groei": [pct(v, 1) for v in review.budget["real_growth_pct"]],
        "Signaal": ["ja" if f is True else "" if f is False else "?" for f in review.budget["flag"]],
    })
    lines = [head, "", table.to_string(index=False), "",
             f"Lijnen op projectrekeningen zonder projectcode: {len(review.uncoded)}",
             f"Lijnen op een onbekend of afgesloten project: {len(review.misdirected)}"]
    if not review.contributions.empty:
        lines += ["", f"Werkingsbijdragen {eur(review.coverage['contributions'])}, kloof met de werking "
                      f"{eur(review.coverage['gap'])}"]
    return "\n".join(lines)


register("review", _configure, run_review)
