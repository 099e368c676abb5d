"""Command line: ``python -m igemo_fin mpg (WERKBOEK | --db PAD) [--compare ANDER_WERKBOEK |
--compare-version N] [--simulations N --seed S] [--json]``: the multi-year outlook (meerjarenperspectief)
and, with a comparison, the verschillenanalyse from the other basis (the previous edition) to this one.

``--compare`` reads another workbook on the same footing as this one (with ``--db``: the stored ledger
actuals and the thresholds in force); ``--compare-version`` takes a stored workbook version (``--db``).
``--compare-year`` compares with another valuation year of the same data.
"""

from __future__ import annotations

import argparse

from igemo_fin.cli.main import add_source_arguments, basis_from_args, print_json, register
from igemo_fin.errors import InputError, Problem
from igemo_fin.fmt import eur, number, pct

__all__ = ["mpg_json"]


def _configure(p: argparse.ArgumentParser) -> None:
    add_source_arguments(p)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--compare", metavar="ANDER_WERKBOEK", default=None,
                       help="verschillenanalyse vanaf dit (vorige) werkboek naar het huidige")
    group.add_argument("--compare-version", type=int, metavar="N", default=None,
                       help="verschillenanalyse vanaf de opgeslagen werkboekversie N (met --db)")
    group.add_argument("--compare-year", type=int, metavar="V", default=None,
                       help="verschillenanalyse vanaf waarderingsjaar V van dezelfde gegevens")
    p.add_argument("--json", action="store_true", help="één JSON-object afdrukken in plaats van een tabel")


def _previous_basis(args: argparse.Namespace, current):
    """The basis to compare with, on the same footing as ``current``, or None without a comparison."""
    if args.compare_year is not None:
        return current.with_(valuation_year=int(args.compare_year))
    if args.compare is None and args.compare_version is None:
        return None
    if args.compare_version is not None and not args.db:
        raise InputError([Problem(None, None, None, "--compare-version vraagt --db: de versies staan in de databank")])
    if args.compare_version is not None:
        from igemo_fin.ingest.stored import basis_from_db

        return basis_from_db(args.db, version=args.compare_version)
    return basis_from_args(argparse.Namespace(**{**vars(args), "workbook": args.compare, "year": None}))


def mpg_json(o, w=None) -> dict:
    """The ``--json`` object: basis, per year the path (and bands), and the waterfall when compared."""
    from igemo_fin.outlook.report import outlook_json, waterfall_json

    payload = {"basis": o.evaluation.basis.as_dict(), **outlook_json(o)}
    if w is not None:
        payload["waterfall"] = waterfall_json(w)
    return payload


def _table(o, w) -> str:
    from igemo_fin.outlook.report import outlook_alert

    from igemo_fin.risk.capacity import capacity_moment, ratio_text

    c = o.opening
    lines = ["Meerjarenperspectief", o.evaluation.basis.describe(), "",
             f"Weerstandsvermogen {capacity_moment(o.evaluation.valuation_year)}: "
             f"{ratio_text(c['risk_capacity_ratio'])} ({c['risk_capacity_grade'] or '–'}: "
             f"{c['risk_capacity_label'] or 'niet berekend'}); per jaar hieronder (wv): op het einde van het jaar.", ""]
    head = (f"{'jaar':>4}  {'krediet':>14}  {'limiet':>7}  {'rente':>12}  {'eigen vermogen':>15}  {'EV/krediet':>10}  "
            "wv eind")
    lines.append(head)
    for r in o.path.to_dict("records"):
        ratio = "" if r["equity_to_credit"] != r["equity_to_credit"] else number(r["equity_to_credit"], 2)
        lines.append(f"{r['jaar']:>4}  {eur(r['credit_drawn']):>14}  {pct(r['credit_use_pct'], 0):>7}  "
                     f"{eur(r['interest']):>12}  {eur(r['equity']):>15}  {ratio:>10}  {r['risk_capacity_grade'] or '–'}")
    alert = outlook_alert(o)
    if alert:
        lines += ["", alert]
    if w is not None:
        steps = w.portfolio_steps()
        lines += ["", "Verschillenanalyse (contante waarde | resultaat)"]
        for rec in steps.to_dict("records"):
            lines.append(f"  {rec['label']:<45} {eur(rec['npv_forward'], 2):>18} {eur(rec['result_nominal'], 2):>18}")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    from igemo_fin.outlook.report import outlook
    from igemo_fin.outlook.waterfall import waterfall
    from igemo_fin.valuation.evaluate import evaluate

    basis = basis_from_args(args)
    previous = _previous_basis(args, basis)
    o = outlook(evaluate(basis))
    w = waterfall(previous, basis) if previous is not None else None
    print_json(mpg_json(o, w)) if args.json else print(_table(o, w))
    return 0


register("mpg", _configure, _run)
