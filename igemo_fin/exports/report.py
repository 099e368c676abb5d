"""Evaluation -> the CLI's JSON object and its readable Dutch table."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.fmt import eur, pct

__all__ = ["evaluation_json", "evaluation_table"]


def _num(x: Any, digits: int = 2) -> float | None:
    if x is None:
        return None
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return None
    return round(x, digits)


def evaluation_json(ev: Evaluation, *, extra_project: dict[str, dict] | None = None,
                    extra_portfolio: dict | None = None) -> dict:
    """The JSON object of ``python -m igemo_fin evaluate --json`` (amounts in euros, rounded to cents).

    ``extra_project`` adds fields per project code (the risk and obligation modules use it).
    """
    interest = ev.yearly.groupby("project_code", sort=False)[["jaar", "interest"]].apply(
        lambda g: {str(int(y)): _num(v) for y, v in zip(g["jaar"], g["interest"])})
    rules = {code: group for code, group in ev.rules.groupby("project_code", sort=False)}
    projects = []
    for f in ev.figures.to_dict("records"):
        code = f["project_code"]
        group = rules.get(code)
        entry = {
            "project_code": code,
            "naam": f["naam"],
            "gemeente": f["gemeente"],
            "type": f["type"],
            "status": f["status"],
            "verdict": f["verdict"],
            "rules": [] if group is None else [
                {"rule": r["rule"], "label": r["label"], "value": _num(r["value"], 6),
                 "threshold": _num(r["threshold"], 6), "fired": bool(r["fired"]), "level": r["level"],
                 "evaluated": bool(r["evaluated"]), "sentence": r["sentence"]}
                for r in group.to_dict("records")],
            "npv_forward": _num(f["npv_forward"]),
            "irr_full_life": _num(f["irr_full_life"], 8),
            "result_nominal": _num(f["result_nominal"]),
            "margin_pct": _num(f["margin_pct"], 4),
            "interest_total": _num(f["interest_total"]),
            "interest_future": _num(f["interest_future"]),
            "interest_by_year": interest.get(code, {}),
            "book_value": _num(f["book_value"]),
            "peak_book_value": _num(f["peak_book_value"]),
            "total_costs": _num(f["total_costs"]),
            "total_revenues": _num(f["total_revenues"]),
            "prob_loss": _num(f["prob_loss"], 6),
            "prob_below_stop": _num(f["prob_below_stop"], 6),
        }
        if extra_project and code in extra_project:
            entry.update(extra_project[code])
        projects.append(entry)
    totals = ev.portfolio_totals()
    portfolio = {k: (_num(v) if isinstance(v, float) else v) for k, v in totals.items()}
    portfolio["interest_by_year"] = {k: _num(v) for k, v in totals["interest_by_year"].items()}
    if extra_portfolio:
        portfolio.update(extra_portfolio)
    basis = ev.basis.as_dict()
    return {
        "valuation_year": ev.valuation_year,
        "discount_rate_pct": _num(ev.discount_rate_pct, 6),
        "basis": basis,
        "thresholds_source": basis["thresholds_source"],
        "projects": projects,
        "portfolio": portfolio,
        "warnings": list(ev.warnings),
    }


def evaluation_table(ev: Evaluation) -> str:
    """A readable Dutch table: one line per project, then the fired rules in words; the basis (data,
    thresholds, simulation) in the line under the title."""
    f = ev.figures
    table = pd.DataFrame({
        "Code": f["project_code"],
        "Naam": f["naam"].str.slice(0, 28),
        "Status": f["status"],
        "Oordeel": f["verdict"].fillna("–"),
        "CW vooruit": f["npv_forward"].map(eur),
        "IRR": (100 * f["irr_full_life"]).map(lambda v: pct(v, 1)),
        "Resultaat": f["result_nominal"].map(eur),
        "Boekwaarde": f["book_value"].map(eur),
    })
    lines = [
        f"Waardering op 1 januari {ev.valuation_year}, disconteringsvoet {pct(ev.discount_rate_pct)}",
        ev.basis.describe(),
        "",
        table.to_string(index=False),
        "",
    ]
    fired = ev.rules[ev.rules["fired"]]
    for code, group in fired.groupby("project_code", sort=False):
        lines.append(f"{code}:")
        lines.extend(f"  - {s}" for s in group["sentence"])
    totals = ev.portfolio_totals()
    lines += ["", "Portefeuille: " + ", ".join(f"{n} {v.lower()}" for v, n in totals["verdict_counts"].items()),
              f"Contante waarde actieve projecten: {eur(totals['npv_forward_active'])}; "
              f"rente {ev.valuation_year}: {eur(totals['interest_this_year'])}"]
    lines += [f"Let op: {w}" for w in ev.warnings]
    return "\n".join(lines)
