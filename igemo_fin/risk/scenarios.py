"""Stress scenarios: the portfolio re-evaluated with higher rates, lower prices and later revenues.

A scenario is a full evaluation (:func:`~igemo_fin.valuation.evaluate.evaluate`) of the
workbook stressed from the valuation year on (:func:`stress_portfolio`), compared with the basis:
the forward value and the result of the active projects, the interest still due and the verdicts
that change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from igemo_fin.columns import REVENUE_CATEGORIES
from igemo_fin.risk.draws import DrawCache
from igemo_fin.valuation.evaluate import evaluate_sharing_draws
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.rules import VERDICTS

__all__ = ["SCENARIOS", "SCENARIO_COLUMNS", "SCENARIO_PROJECT_COLUMNS", "ScenarioResult", "stress_portfolio",
           "run_scenarios", "scenarios"]

#: The named stress scenarios: key -> (Dutch label, rate shift [bp], sales price change
#: [%, a fall], delay of every future revenue [year]).
SCENARIOS: dict[str, tuple[str, float, float, float]] = {
    "basis": ("Basis (prognose)", 0.0, 0.0, 0.0),
    "rente_plus_200bp": ("Rente +200 bp", 200.0, 0.0, 0.0),
    "verkoopprijs_min_15pct": ("Verkoopprijzen -15 %", 0.0, 15.0, 0.0),
    "vertraging_2_jaar": ("Twee jaar vertraging", 0.0, 0.0, 2.0),
    "alles_samen": ("Alle drie samen", 200.0, 15.0, 2.0),
}

#: Columns of :attr:`ScenarioResult.summary` (and of :func:`scenarios`): one row per scenario.
SCENARIO_COLUMNS = (
    "scenario", "label",
    "rate_shift_bp",          # [bp] on the credit rates of the years >= V (and the default discount rate)
    "price_change_pct",       # [%] future sales multiplied by 1 - x/100
    "delay_years",            # [year] every future revenue later
    "npv_forward_active",     # [EUR] the portfolio's forward value: sum of npv_forward of active projects
    "npv_forward_change",     # [EUR] against the basis
    "result_nominal_active",  # [EUR] sum of result_nominal of active projects
    "result_change",          # [EUR] against the basis
    "interest_future",        # [EUR] all projects
    "n_doorgaan", "n_bijsturen", "n_stopzetten", "n_afstoten",
    "verdicts_changed",       # number of active projects whose verdict differs from the basis
    "changes",                # "P1: DOORGAAN -> BIJSTUREN; ..." (empty when none)
)

#: Columns of :attr:`ScenarioResult.projects`: one row per scenario and active project.
SCENARIO_PROJECT_COLUMNS = ("scenario", "project_code", "verdict_base", "verdict", "changed",
                            "npv_forward_base", "npv_forward", "result_nominal_base", "result_nominal")


@dataclass(frozen=True)
class ScenarioResult:
    summary: pd.DataFrame   #: :data:`SCENARIO_COLUMNS`
    projects: pd.DataFrame  #: :data:`SCENARIO_PROJECT_COLUMNS`
    evaluations: dict = field(default_factory=dict, repr=False)  #: scenario -> Evaluation


def stress_portfolio(portfolio: Portfolio, valuation_year: int, *, price_change_pct: float = 0.0,
                     delay_years: float = 0.0) -> Portfolio:
    """The workbook with its forecast stressed from ``V`` on.

    Future ``prognose`` lines (``jaar >= V``): ``verkoop`` times ``1 - price_change_pct/100``; every
    revenue ``delay_years`` later (split over two years when fractional). The credit table is
    extended with its last rate for years the delay adds. Budget and past lines are untouched.
    """
    V = int(valuation_year)
    cf = portfolio.cashflows.copy()
    future = (cf["versie"] == "prognose") & (cf["jaar"] >= V)
    if price_change_pct:
        sale = future & (cf["categorie"] == "verkoop")
        cf.loc[sale, "bedrag"] = cf.loc[sale, "bedrag"] * (1.0 - price_change_pct / 100.0)
    if delay_years:
        if delay_years < 0:
            raise ValueError("een vertraging kan niet negatief zijn")
        moving = future & cf["categorie"].isin(REVENUE_CATEGORIES)
        whole = int(math.floor(delay_years))
        frac = delay_years - whole
        early = cf[moving].copy()
        late = cf[moving].copy()
        early["jaar"] = early["jaar"] + whole
        early["bedrag"] = early["bedrag"] * (1.0 - frac)
        late["jaar"] = late["jaar"] + whole + 1
        late["bedrag"] = late["bedrag"] * frac
        cf = pd.concat([cf[~moving], early] + ([late] if frac else []), ignore_index=True)
    credit = portfolio.credit
    last_needed = int(cf["jaar"].max()) if not cf.empty else V
    if not credit.empty and last_needed > int(credit["jaar"].max()):
        tail = credit.iloc[-1]
        extra = pd.DataFrame({"jaar": np.arange(int(tail["jaar"]) + 1, last_needed + 1, dtype=np.int64),
                              "rentevoet_pct": float(tail["rentevoet_pct"]),
                              "kredietlimiet": tail["kredietlimiet"], "rente_werkelijk": np.nan})
        credit = pd.concat([credit, extra], ignore_index=True)
    return replace(portfolio, cashflows=cf.reset_index(drop=True), credit=credit)


def run_scenarios(portfolio: Portfolio, ev, *, scenarios: dict | None = None,
                  iterations: int | None = None) -> ScenarioResult:
    """Run the named stress scenarios and compare each with the basis.

    Each scenario is a full evaluation of ``ev``'s basis (same valuation year, thresholds, actuals and
    simulation settings) with the stressed workbook (:func:`stress_portfolio`) and its rate shift added
    to the basis's. The scenario "basis" is evaluated the same way, so verdicts compare like with like,
    and the Monte Carlo runs in every scenario with the same seed (common random numbers): drawn once
    and shared (:class:`~igemo_fin.risk.draws.DrawCache`), so only the kernel runs again. The scenario
    "basis" is ``ev`` itself when nothing in it differs from ``ev``'s basis.
    ``iterations`` replaces the basis's number of iterations (0: the chance rules are not evaluated,
    in every scenario alike).
    """
    basis = ev.basis if iterations is None else ev.basis.with_simulation(iterations=int(iterations))
    chosen = SCENARIOS if scenarios is None else scenarios
    if "basis" not in chosen:
        chosen = {"basis": SCENARIOS["basis"], **chosen}
    V = ev.valuation_year
    evaluations, summary, detail = {}, [], []
    base_fig = None
    draws = DrawCache()  # the scenarios change the flows and rates, not the register: one set of draws
    for key, (label, bp, price, delay) in chosen.items():
        stressed = stress_portfolio(portfolio, V, price_change_pct=price, delay_years=delay)
        ev_s = ev if _unstressed(ev, basis, portfolio, stressed, bp) else evaluate_sharing_draws(
            basis.with_(portfolio=stressed, rate_shift_bp=basis.rate_shift_bp + bp), draws)
        evaluations[key] = ev_s
        fig = ev_s.figures
        active = fig[fig["status"] == "actief"]
        if base_fig is None:
            base_fig = active.set_index("project_code")
        base_npv = float(base_fig["npv_forward"].sum())
        base_result = float(base_fig["result_nominal"].sum())
        changes = []
        for row in active.to_dict("records"):
            code = row["project_code"]
            before = base_fig.loc[code, "verdict"]
            changed = row["verdict"] != before
            if changed:
                changes.append(f"{code}: {before} -> {row['verdict']}")
            detail.append({"scenario": key, "project_code": code, "verdict_base": before, "verdict": row["verdict"],
                           "changed": bool(changed), "npv_forward_base": float(base_fig.loc[code, "npv_forward"]),
                           "npv_forward": float(row["npv_forward"]),
                           "result_nominal_base": float(base_fig.loc[code, "result_nominal"]),
                           "result_nominal": float(row["result_nominal"])})
        npv_total = float(active["npv_forward"].sum())
        result_total = float(active["result_nominal"].sum())
        summary.append({
            "scenario": key, "label": label, "rate_shift_bp": float(bp), "price_change_pct": float(price),
            "delay_years": float(delay), "npv_forward_active": npv_total,
            "npv_forward_change": npv_total - base_npv, "result_nominal_active": result_total,
            "result_change": result_total - base_result, "interest_future": float(fig["interest_future"].sum()),
            **{f"n_{v.lower()}": int((active["verdict"] == v).sum()) for v in VERDICTS},
            "verdicts_changed": len(changes), "changes": "; ".join(changes),
        })
    return ScenarioResult(pd.DataFrame(summary, columns=list(SCENARIO_COLUMNS)),
                          pd.DataFrame(detail, columns=list(SCENARIO_PROJECT_COLUMNS)), evaluations)


def _unstressed(ev, basis, portfolio: Portfolio, stressed: Portfolio, bp: float) -> bool:
    """Whether the scenario's basis is ``ev``'s own, so ``ev`` is its evaluation: no rate shift, the
    same iterations, and a stressed workbook equal to the basis's (no stress, no credit year added)."""
    own = ev.basis.portfolio
    return (bp == 0 and basis is ev.basis and portfolio is own and len(ev.figures) == len(own.projects)
            and stressed.cashflows.equals(own.cashflows) and stressed.credit.equals(own.credit))


def scenarios(portfolio: Portfolio, ev, **kwargs) -> pd.DataFrame:
    """The stress scenarios' summary (:data:`SCENARIO_COLUMNS`); see :func:`run_scenarios`."""
    return run_scenarios(portfolio, ev, **kwargs).summary
