"""Command line for the risk module.

* ``python -m igemo_fin evaluate`` runs the Monte Carlo on its basis (by default; ``--simulations 0``
  turns it off), so ``prob_loss`` and ``prob_below_stop`` take part in the verdict (rules
  ``max_kans_verlies_pct`` and ``stop_kans_verlies_pct``); this module adds per project ``npv_p10,
  npv_p50, npv_p90, expected_shortfall`` and to ``portfolio`` ``loss_p90, risk_capacity_ratio,
  risk_capacity_grade`` (and a few companions).
* ``python -m igemo_fin postcalc WORKBOOK [--year V] [--json]`` prints the post-calculation of every
  finished project and the reference class.

An invalid workbook exits with status 2 (the CLI catches :class:`~igemo_fin.errors.InputError`).
"""

from __future__ import annotations

import argparse
import math
import sys

import pandas as pd

from igemo_fin.cli.main import print_json, register, register_evaluate_extension
from igemo_fin.fmt import eur, pct

__all__ = ["postcalc_json", "simulation_extras"]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen geheel getal") from None
    if value < 1:
        raise argparse.ArgumentTypeError("het aantal simulaties moet minstens 1 zijn")
    return value


def _num(x, digits: int = 2):
    if x is None:
        return None
    if isinstance(x, bool):
        return x
    try:
        x = float(x)
    except (TypeError, ValueError):
        return x
    if math.isnan(x) or math.isinf(x):
        return None
    return round(x, digits)


# --------------------------------------------------------------------------- evaluate --simulations

def _configure_evaluate(p: argparse.ArgumentParser) -> None:
    """No options: the simulation settings belong to the basis (:func:`igemo_fin.cli.main.add_source_arguments`)."""


def simulation_extras(sim) -> tuple[dict, dict]:
    """The JSON fields the simulation adds: ``({code: {...}}, {portfolio fields})``."""
    per_project = {}
    for row in sim.projects.to_dict("records"):
        per_project[row["project_code"]] = {
            "prob_loss": _num(row["prob_loss"], 6),
            "npv_p10": _num(row["npv_p10"]),
            "npv_p50": _num(row["npv_p50"]),
            "npv_p90": _num(row["npv_p90"]),
            "expected_shortfall": _num(row["expected_shortfall"]),
            "npv_mean": _num(row["npv_mean"]),
            "result_p10": _num(row["result_p10"]),
            "result_p50": _num(row["result_p50"]),
            "result_p90": _num(row["result_p90"]),
            "loss_igemo_p90": _num(row["loss_igemo_p90"]),
        }
    s = sim.portfolio
    portfolio = {
        "simulations": s["iterations"],
        "seed": s["seed"],
        "loss_p90": _num(s["loss_p90"]),
        "loss_mean": _num(s["loss_mean"]),
        "loss_p50": _num(s["loss_p50"]),
        "loss_p99": _num(s["loss_p99"]),
        "loss_total_p90": _num(s["loss_total_p90"]),
        "loss_municipality_p90": _num(s["loss_municipality_p90"]),
        "prob_portfolio_loss": _num(s["prob_portfolio_loss"], 6),
        "eigen_vermogen": _num(s["eigen_vermogen"]),
        "risk_capacity_ratio": _num(s["risk_capacity_ratio"], 6),  # null when infinite or undefined
        "risk_capacity_grade": s["risk_capacity_grade"],
        "risk_capacity_label": s["risk_capacity_label"],
        "reference_class": s["reference_class"],
        "rate_spread_bp": s["rate_spread_bp"],
    }
    return per_project, portfolio


def _enrich_evaluate(args: argparse.Namespace, ev, extras: dict) -> None:
    """The simulation's fields (the evaluation ran it on its basis unless ``--simulations 0``)."""
    sim = ev.simulation
    if sim is None:
        return None
    per_project, summary = simulation_extras(sim)
    for code, fields in per_project.items():
        extras["project"].setdefault(code, {}).update(fields)
    extras["portfolio"].update(summary)
    if not args.json:
        print(_summary_line(sim), file=sys.stderr)
    return _with_warnings(ev, sim.warnings) if sim.warnings else None


def _summary_line(sim) -> str:
    """One Dutch line for the table mode (the table itself is the evaluation's)."""
    from igemo_fin.risk.capacity import capacity_moment, ratio_text

    s = sim.portfolio
    return (f"Risicosimulatie: {sim.iterations} iteraties (seed {sim.seed}); verlies IGEMO P90 "
            f"{eur(s['loss_p90'])}; weerstandsvermogen {capacity_moment(sim.valuation_year)} "
            f"{ratio_text(s['risk_capacity_ratio'])} "
            f"({s['risk_capacity_grade'] or '–'}: {s['risk_capacity_label'] or 'niet berekend'})")


def _with_warnings(ev, warnings):
    from dataclasses import replace

    return replace(ev, warnings=tuple(ev.warnings) + tuple(w for w in warnings if w not in ev.warnings))


# --------------------------------------------------------------------------- postcalc

def _configure_postcalc(p: argparse.ArgumentParser) -> None:
    p.add_argument("workbook", nargs="?", metavar="WERKBOEK", help="portefeuillewerkboek (.xlsx)")
    p.add_argument("--year", type=int, default=None, metavar="V",
                   help="waarderingsjaar V (standaard: de instelling van het werkboek, anders dit jaar)")
    p.add_argument("--json", action="store_true", help="één JSON-object afdrukken in plaats van een tabel")


def postcalc_json(post) -> dict:
    """The JSON object of ``python -m igemo_fin postcalc --json`` (amounts in euros, to the cent)."""
    categories = {code: g for code, g in post.categories.groupby("project_code", sort=False)}
    projects = []
    for row in post.projects.to_dict("records"):
        code = row["project_code"]
        entry = {}
        for key, value in row.items():
            if key in ("project_code", "naam", "gemeente", "type"):
                entry[key] = value
            elif key == "has_budget":
                entry[key] = bool(value)
            elif key.startswith("irr") or key.endswith("ratio"):
                entry[key] = _num(value, 8)
            elif key.endswith("_year") or key.endswith("_years"):
                entry[key] = _num(value, 4)
            else:
                entry[key] = _num(value, 2)
        entry["variance"] = {"total": entry["result_variance"], "costs": entry["variance_costs"],
                             "revenues": entry["variance_revenues"], "interest": entry["variance_interest"],
                             "timing": entry["variance_timing"]}
        group = categories.get(code)
        entry["categories"] = [] if group is None else [
            {"categorie": c["categorie"], "soort": c["soort"], "budget": _num(c["budget"]), "actual": _num(c["actual"]),
             "variance": _num(c["variance"]), "variance_pct": _num(c["variance_pct"], 4), "ratio": _num(c["ratio"], 8),
             "effect_on_result": _num(c["effect_on_result"])}
            for c in group.to_dict("records")]
        projects.append(entry)
    reference = []
    for row in post.reference.to_dict("records"):
        reference.append({k: (v if isinstance(v, str) or isinstance(v, bool) else
                              (int(v) if k.endswith("_n") or k == "finished_count" else _num(v, 6)))
                          for k, v in row.items()})
    return {"valuation_year": post.valuation_year, "projects": projects, "reference_class": reference,
            "warnings": list(post.warnings)}


def _postcalc_table(post) -> str:
    f = post.projects
    if f.empty:
        return "Er zijn geen afgeronde projecten: geen nacalculatie."
    table = pd.DataFrame({
        "Code": f["project_code"],
        "Type": f["type"],
        "Resultaat begroot": f["result_budget"].map(eur),
        "Resultaat werkelijk": f["result_actual"].map(eur),
        "Afwijking": f["result_variance"].map(eur),
        "Kosten": f["variance_costs"].map(eur),
        "Opbrengsten": f["variance_revenues"].map(eur),
        "Rente": f["variance_interest"].map(eur),
        "Timing": f["variance_timing"].map(eur),
        "Vertraging": f["delay_years"].map(lambda v: "–" if pd.isna(v) else f"{v:.1f} j".replace(".", ",")),
    })
    ref = post.reference
    ref_table = pd.DataFrame({
        "Type": ref["type"],
        "Basis": ref["basis"],
        "Kosten P50": ref["cost_ratio_p50"].map(lambda v: pct(100 * v, 0)),
        "Kosten P80": ref["cost_ratio_p80"].map(lambda v: pct(100 * v, 0)),
        "Opbr. P50": ref["revenue_ratio_p50"].map(lambda v: pct(100 * v, 0)),
        "Opbr. P80": ref["revenue_ratio_p80"].map(lambda v: pct(100 * v, 0)),
        "Vertr. P50": ref["delay_p50"].map(lambda v: "–" if pd.isna(v) else f"{v:.1f}".replace(".", ",")),
        "Vertr. P80": ref["delay_p80"].map(lambda v: "–" if pd.isna(v) else f"{v:.1f}".replace(".", ",")),
        "n": ref["cost_ratio_n"],
    })
    lines = [f"Nacalculatie van de afgeronde projecten (waardering {post.valuation_year})", "",
             table.to_string(index=False), "", "Referentieklasse (werkelijk / begroot):", "",
             ref_table.to_string(index=False), ""]
    lines += [f"- {n}" for n in ref["note"]]
    lines += [f"Let op: {w}" for w in post.warnings]
    return "\n".join(lines)


def _run_postcalc(args: argparse.Namespace) -> int:
    from igemo_fin.postcalc.calculation import post_calculation
    from igemo_fin.inputs.workbook import read_workbook

    if not args.workbook:
        print("Geef een portefeuillewerkboek op.", file=sys.stderr)
        return 2
    portfolio = read_workbook(args.workbook)
    post = post_calculation(portfolio, valuation_year=args.year)
    print_json(postcalc_json(post)) if args.json else print(_postcalc_table(post))
    return 0


register_evaluate_extension(_configure_evaluate, _enrich_evaluate)
register("postcalc", _configure_postcalc, _run_postcalc)
