"""Command line for the obligations and the financing alternatives.

- ``python -m igemo_fin evaluate WORKBOOK --json`` gets, per project, ``profit_share_owed``, ``poc``,
  ``profit_share_provision``, ``write_down``, ``loss_share_municipality`` and ``loss_share_igemo``
  (always; amounts in euros, exact to the cent), and portfolio totals of them. When the risk
  extension ran (``--simulations N``), the split of each project's P90 loss is added too:
  ``loss_p90_municipality`` and ``loss_p90_igemo`` (the P90 loss is ``max(0, -result_p10)``).
- ``python -m igemo_fin financing WORKBOOK [--year V] [--json]`` prints the financing alternatives'
  cost per year and in total, per rate scenario, with the range.

Imported by :func:`igemo_fin.cli.main.build_parser`; importing this module registers both.
"""

from __future__ import annotations

import argparse

import pandas as pd

from igemo_fin.cli.main import print_json, register, register_evaluate_extension

__all__ = ["OBLIGATION_FIELDS", "enrich_evaluation", "run_financing"]

#: Per-project fields added to ``evaluate --json``.
OBLIGATION_FIELDS = ("profit_share_owed", "poc", "profit_share_provision", "write_down",
                     "loss_share_municipality", "loss_share_igemo")


def _configure_evaluate(parser: argparse.ArgumentParser) -> None:
    """No options: the obligation fields are always there."""


def enrich_evaluation(args: argparse.Namespace, ev, extras: dict) -> None:
    """Add the obligation fields to ``extras`` (see :func:`igemo_fin.cli.main.register_evaluate_extension`);
    with the evaluation's simulation, the split of each project's P90 loss as well."""
    from igemo_fin.obligations.loss_sharing import loss_p90_from_results, loss_sharing
    from igemo_fin.obligations.overview import obligation_totals, obligations

    portfolio = ev.basis.portfolio
    frame = obligations(portfolio, ev)
    for rec in frame.to_dict("records"):
        entry = extras["project"].setdefault(rec["project_code"], {})
        for name in OBLIGATION_FIELDS:
            entry[name] = round(float(rec[name]), 10) if name == "poc" else float(rec[name])
    if ev.simulation is not None:
        p90 = loss_p90_from_results(ev.simulation.projects.set_index("project_code")["result_p10"])
        shares = loss_sharing(portfolio, ev, loss_p90=p90)
        for rec in shares.to_dict("records"):
            if pd.notna(rec["loss_p90"]):
                entry = extras["project"].setdefault(rec["project_code"], {})
                entry["loss_p90_municipality"] = float(rec["loss_p90_municipality"])
                entry["loss_p90_igemo"] = float(rec["loss_p90_igemo"])
    extras["portfolio"].update(obligation_totals(portfolio, ev))
    return None


def _configure_financing(p: argparse.ArgumentParser) -> None:
    p.add_argument("workbook", metavar="WERKBOEK",
                   help="portefeuillewerkboek (.xlsx), eventueel met een blad 'financiering'")
    p.add_argument("--year", type=int, default=None, metavar="V",
                   help="waarderingsjaar V (standaard: de instelling van het werkboek, anders dit jaar)")
    p.add_argument("--json", action="store_true", help="één JSON-object afdrukken in plaats van een tabel")


def run_financing(args: argparse.Namespace) -> int:
    """``financing WORKBOOK [--year V] [--json]``; exit 2 when the workbook is refused."""
    from igemo_fin.financing.comparison import compare_financing
    from igemo_fin.financing.parameters import financing_params
    from igemo_fin.valuation.evaluate import evaluate
    from igemo_fin.inputs.workbook import read_workbook

    portfolio = read_workbook(args.workbook)
    params = financing_params(portfolio)
    ev = evaluate(portfolio, valuation_year=args.year)
    comparison = compare_financing(portfolio, ev, params)
    print_json(comparison.as_json()) if args.json else print(_table(comparison))
    return 0


def _table(comparison) -> str:
    from igemo_fin.fmt import eur

    lines = [f"Financieringsalternatieven vanaf 1 januari {comparison.valuation_year}, horizon "
             f"{len(comparison.need)} jaar (kosten = rente + commissie - depositorente)", ""]
    names = [s.name for s in comparison.scenarios]
    totals = comparison.totals.pivot(index="alternative", columns="scenario", values="cost_total")
    table = pd.DataFrame({
        "Alternatief": [a.label for a in comparison.alternatives],
        **{s.label.split(":")[0]: [eur(totals.loc[a.name, s.name]) for a in comparison.alternatives]
           for s in comparison.scenarios},
    })
    lines += [table.to_string(index=False), ""]
    flat = comparison.costs[comparison.costs["scenario"] == names[0]]
    by_year = flat.pivot(index="jaar", columns="alternative", values="cost_total")
    per_year = pd.DataFrame({"Jaar": by_year.index.astype(int),
                             "Behoefte": [eur(v) for v in comparison.need["need_average"]],
                             **{a.label.split(" (")[0].split(":")[0]: [eur(v) for v in by_year[a.name]]
                                for a in comparison.alternatives}})
    lines += ["Kost per jaar (vlak scenario):", per_year.to_string(index=False), ""]
    lines += [f"Scenario '{s.name}': {s.label}" for s in comparison.scenarios]
    return "\n".join(lines)


register_evaluate_extension(_configure_evaluate, enrich_evaluation)
register("financing", _configure_financing, run_financing)
