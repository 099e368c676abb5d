"""The multi-year outlook of one evaluation in one value, its one-sentence alert, and its JSON.

:func:`outlook` composes the base path (:mod:`~igemo_fin.outlook.path`) and, when the basis has its
simulation on, the bands (:mod:`~igemo_fin.outlook.bands`) from the evaluation's own Monte Carlo, which
keeps the credit drawn per year (:func:`~igemo_fin.valuation.evaluate.simulation_of`). The CLI (``mpg``), the
page Meerjarenperspectief, the board pack and the alert on Overzicht all take it from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from igemo_fin.fmt import eur, pct
from igemo_fin.outlook.bands import BAND_COLUMNS, outlook_bands
from igemo_fin.outlook.path import PATH_COLUMNS, opening_capacity, outlook_path
from igemo_fin.outlook.waterfall import MEASURES, Waterfall
from igemo_fin.valuation.evaluate import Evaluation, simulation_of

__all__ = ["Outlook", "outlook", "outlook_alert", "crossings", "opening_json", "outlook_json", "waterfall_json"]


@dataclass(frozen=True)
class Outlook:
    """The multi-year outlook of an evaluation (and so of its basis)."""

    evaluation: Evaluation
    path: pd.DataFrame  #: :data:`~igemo_fin.outlook.path.PATH_COLUMNS`
    bands: pd.DataFrame | None  #: :data:`~igemo_fin.outlook.bands.BAND_COLUMNS`; None with the simulation off
    opening: dict  #: the risk capacity at 1 January ``V`` (:func:`~igemo_fin.outlook.path.opening_capacity`)

    @property
    def credit_ceiling(self) -> pd.Series:
        """Per year, the most credit the threshold ``max_kredietgebruik_pct`` allows [EUR] (NaN without a limit)."""
        return self.path["credit_limit"] * self.evaluation.thresholds.max_kredietgebruik_pct / 100.0


def outlook(ev: Evaluation) -> Outlook:
    """The base path and, when ``ev`` was simulated, the bands."""
    path = outlook_path(ev)
    bands = None
    sim = ev.simulation
    if sim is not None:
        if sim.credit_drawn is None or sim.credit_drawn.shape[1] < len(path):
            sim = simulation_of(ev, path_years=len(path))  # a simulation run without the credit per year
        bands = outlook_bands(ev, path, sim)
    return Outlook(ev, path, bands, opening_capacity(ev))


def crossings(o: Outlook) -> dict[str, tuple[int, str] | None]:
    """The first year the credit ceiling or the equity floor is crossed, and by what.

    ``{"credit": (year, "basispad" | "P90") or None, "equity": (year, "basispad" | "P10") or None}``.
    The unfavourable band is the credit's P90 and the equity's P10 (the level the equity stays above in
    nine futures out of ten); the base path wins when both cross in the same year.
    """
    floor = o.evaluation.thresholds.min_eigen_vermogen
    ceiling = o.credit_ceiling.to_numpy(float)
    years = o.path["jaar"].to_numpy()
    checks = {"credit": [("basispad", o.path["credit_drawn"].to_numpy(float) > ceiling)],
              "equity": [("basispad", o.path["equity"].to_numpy(float) < floor)]}
    if o.bands is not None:
        checks["credit"].append(("P90", o.bands["credit_p90"].to_numpy(float) > ceiling))
        checks["equity"].append(("P10", o.bands["equity_p10"].to_numpy(float) < floor))
    out: dict[str, tuple[int, str] | None] = {}
    for key, tests in checks.items():
        found = [(int(years[hit.argmax()]), i, what) for i, (what, hit) in enumerate(tests) if hit.any()]
        out[key] = (min(found)[0], min(found)[2]) if found else None
    return out


def outlook_alert(o: Outlook) -> str | None:
    """One Dutch sentence when the base path or its unfavourable band crosses a portfolio threshold.

    None when nothing is crossed.
    """
    found = crossings(o)
    t = o.evaluation.thresholds
    parts = []
    if found["credit"]:
        year, what = found["credit"]
        parts.append(f"overschrijdt het opgenomen kaskrediet in {year} {pct(t.max_kredietgebruik_pct, 0)} van de "
                     f"kredietlimiet ({'in het ongunstige scenario, P90' if what == 'P90' else 'in het basispad'})")
    if found["equity"]:
        year, what = found["equity"]
        parts.append(f"zakt het eigen vermogen in {year} onder de ondergrens van {eur(t.min_eigen_vermogen)} "
                     f"({'in het ongunstige scenario, P10' if what == 'P10' else 'in het basispad'})")
    if not parts:
        return None
    return "In het meerjarenperspectief " + " en ".join(parts) + "."


def _num(x, digits: int = 2):
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else round(x, digits)


_FRACTIONS = {"credit_use_pct": 4, "equity_to_credit": 6, "risk_capacity_ratio": 6,
              "prob_limit_exceeded": 6, "prob_equity_below_floor": 6}


def opening_json(o: Outlook) -> dict:
    """The risk capacity at 1 January ``V`` (:attr:`Outlook.opening`) with its moment (``"at"``, ISO date)."""
    c = o.opening
    return {"at": f"{o.evaluation.valuation_year}-01-01", "eigen_vermogen": _num(c["eigen_vermogen"]),
            "loss_p90": _num(c["loss_p90"]), "risk_capacity_ratio": _num(c["risk_capacity_ratio"], 6),
            "risk_capacity_grade": c["risk_capacity_grade"], "risk_capacity_label": c["risk_capacity_label"]}


def outlook_json(o: Outlook) -> dict:
    """``{"years": [...], "opening_risk_capacity": {...}, "thresholds": {...}, "alert": ...}``: one object
    per year with the path's fields (its risk capacity at the year's end: ``risk_capacity_at``) and,
    with the simulation, the bands'; the risk capacity at 1 January ``V`` apart (:func:`opening_json`)."""
    bands = o.bands.set_index("jaar") if o.bands is not None else None
    rows = []
    for rec in o.path.to_dict("records"):
        year = int(rec["jaar"])
        row = {"year": year, "risk_capacity_at": f"{year}-12-31"}
        for column in PATH_COLUMNS[1:]:
            value = rec[column]
            row[column] = value if isinstance(value, str) or value is None else _num(value, _FRACTIONS.get(column, 2))
        if bands is not None:
            for column in BAND_COLUMNS[1:]:
                row[column] = _num(bands.loc[year, column], _FRACTIONS.get(column, 2))
        rows.append(row)
    t = o.evaluation.thresholds
    return {"years": rows, "alert": outlook_alert(o),
            "thresholds": {"min_eigen_vermogen": t.min_eigen_vermogen,
                           "max_kredietgebruik_pct": t.max_kredietgebruik_pct},
            "opening_equity": _num(o.evaluation.basis.portfolio.settings.eigen_vermogen),
            "opening_risk_capacity": opening_json(o),
            "simulated": o.bands is not None}


def waterfall_json(w: Waterfall) -> dict:
    """``{"from", "to", "portfolio": {measure: {"start", "end", "steps": [{step, label, amount}]}},
    "projects": [{"project_code", measure: [{step, amount}]}]}``."""
    start, end = w.totals(0), w.totals(len(w.portfolio_steps()))
    steps = w.portfolio_steps()
    portfolio = {m: {"start": start[m], "end": end[m], "change": round(end[m] - start[m], 2),
                     "steps": [{"step": s, "label": lab, "amount": a}
                               for s, lab, a in zip(steps["step"], steps["label"], steps[m])]}
                 for m in MEASURES}
    projects = []
    for code, g in w.project_steps().groupby("project_code", sort=False):
        projects.append({"project_code": code, **{m: [{"step": s, "amount": a} for s, a in zip(g["step"], g[m])]
                                                 for m in MEASURES}})
    return {"from": w.old.describe(), "to": w.new.describe(), "portfolio": portfolio, "projects": projects}
