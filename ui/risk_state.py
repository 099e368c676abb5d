"""The cached risk computations of the pages Risico, Nacalculatie and Nieuw project toetsen, and
the Dutch tables and sentences they show.

Every engine call is wrapped in ``st.cache_data`` and keyed on the workbook's bytes and name, the
valuation year, the official thresholds, the ledger actuals and the options the page passes in
(iterations, seed, reference class, rate spread); no widget is read inside a cached function, so a
rerun with the same inputs (another project chosen, a table sorted) recomputes nothing. The seed is
fixed (:data:`SEED`): the same data and options always give the same figures.

The evaluations here are not cut to the signed-in user (:func:`ui.auth.filter_for_user`): the three
pages are reading pages for the roles that see the whole portfolio (``ui.auth.PAGE_ROLES``), and the
portfolio's loss and risk capacity need every project.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import streamlit as st

from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.fmt import eur, number, pct
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.postcalc.calculation import MIN_CLASS_SIZE, PostCalculation, post_calculation
from igemo_fin.postcalc.proposal import Proposal, ProposalAssessment, assess_proposal, proposal_from_workbook
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.risk.montecarlo import GRADES, Simulation, reevaluate, run_scenarios, simulate, tornado
from igemo_fin.valuation.thresholds import Thresholds
from ui.state import (Source, _evaluate, _thresholds_key, actuals_for, load_portfolio, official_thresholds,
                      require_portfolio, valuation_year)
from ui.style import CATEGORY_WORDS, TYPE_WORDS, VERDICT_WORDS, styled, verdict_label

__all__ = [
    "SEED", "ITERATION_CHOICES", "DEFAULT_ITERATIONS", "SPREAD_CHOICES", "RiskOptions", "RiskInputs", "RiskView",
    "risk_inputs", "risk_view", "scenario_result", "tornado_for", "postcalc_view", "proposal_assessment",
    "chance_in_words", "ratio_text", "grade_table", "register_table", "verdict_table", "scenario_table",
    "scenario_changes",
    "postcalc_summary_table", "postcalc_category_table", "reference_table", "fallback_notes", "RISK_KIND_WORDS",
    "EXAMPLE_PROPOSAL", "example_flows", "read_proposal_workbook", "uplift_table", "table_style",
]

#: The seed of every simulation on these pages: the same data always give the same figures.
SEED = 2026
ITERATION_CHOICES = (2_000, 10_000, 20_000)
DEFAULT_ITERATIONS = 10_000
#: Standard deviations offered for the rate spread [basis points].
SPREAD_CHOICES = (0, 25, 50, 75, 100, 150, 200)

RISK_KIND_WORDS = {
    "kosten_pct": "Kosten hoger",
    "prijs_pct": "Verkoopprijzen lager",
    "vertraging_jaren": "Opbrengsten later",
    "eenmalig_eur": "Eenmalige kost",
}


@dataclass(frozen=True)
class RiskOptions:
    """What the user chose on the page Risico (passed in, never read inside the cached functions)."""

    iterations: int = DEFAULT_ITERATIONS
    reference: bool = False       #: add the reference class's uncertainty (the lessons of the post-calculation)
    rate_spread_bp: float = 0.0   #: standard deviation of a parallel shift of the future rates [bp]
    seed: int = SEED


@dataclass(frozen=True)
class RiskInputs:
    """The data a page computes on: the workbook, its valuation year, thresholds and actuals."""

    source: Source
    portfolio: Portfolio
    year: int
    thresholds_key: tuple | None
    actuals: pd.DataFrame | None

    @property
    def key(self) -> tuple:
        return (self.source.content, self.source.name, self.year, self.thresholds_key, self.actuals)


@dataclass(frozen=True)
class RiskView:
    """The simulation and the verdicts with and without the chance of loss."""

    simulation: Simulation
    evaluation: Evaluation       #: with ``prob_loss``: the loss-chance rules take part
    base: Evaluation             #: without (as the page Overzicht shows it)
    post_calc: PostCalculation | None  #: when the reference class was used


def _thresholds(key: tuple | None) -> Thresholds | None:
    return None if key is None else Thresholds(**dict(key))


def risk_inputs() -> RiskInputs:
    """The current workbook (the page stops with a message when there is none), the valuation year of
    the sidebar, the official thresholds and the ledger actuals: the same inputs as every other page."""
    source, portfolio = require_portfolio()
    return RiskInputs(source, portfolio, int(valuation_year(portfolio)), _thresholds_key(official_thresholds()),
                      actuals_for(source))


# --------------------------------------------------------------------------- cached engine calls

def _evaluation(content: bytes, name: str, year: int, thresholds_key: tuple | None,
                actuals: pd.DataFrame | None) -> Evaluation:
    """The whole portfolio's evaluation, the one every page shares (no rate shift, not cut to a user)."""
    return _evaluate(content, name, year, thresholds_key, 0.0, actuals)


@st.cache_data(show_spinner=False, max_entries=16)
def _post_calculation(content: bytes, name: str, year: int, thresholds_key: tuple | None,
                      actuals: pd.DataFrame | None) -> PostCalculation:
    ev = _evaluation(content, name, year, thresholds_key, actuals)
    return post_calculation(load_portfolio(content, name), evaluation=ev)


@st.cache_data(show_spinner=False, max_entries=16)
def _risk(content: bytes, name: str, year: int, thresholds_key: tuple | None, actuals: pd.DataFrame | None,
          iterations: int, seed: int, reference: bool, rate_spread_bp: float) -> RiskView:
    portfolio = load_portfolio(content, name)
    base = _evaluation(content, name, year, thresholds_key, actuals)
    pc = _post_calculation(content, name, year, thresholds_key, actuals) if reference else None
    sim = simulate(portfolio, base, iterations=iterations, seed=seed,
                   reference=None if pc is None else pc.projects, rate_spread_bp=rate_spread_bp)
    with_chance = reevaluate(portfolio, base, prob_loss=sim.prob_loss())
    # The pages never show the per-iteration results: no need to carry them through the cache.
    sim = replace(sim, result_nominal=np.empty((0, 0)))
    return RiskView(sim, with_chance, base, pc)


@st.cache_data(show_spinner=False, max_entries=16)
def _scenarios(content: bytes, name: str, year: int, thresholds_key: tuple | None, actuals: pd.DataFrame | None,
               iterations: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    portfolio = load_portfolio(content, name)
    base = _evaluation(content, name, year, thresholds_key, actuals)
    result = run_scenarios(portfolio, base, iterations=iterations, seed=seed)
    return result.summary, result.projects


@st.cache_data(show_spinner=False, max_entries=64)
def _tornado(content: bytes, name: str, year: int, thresholds_key: tuple | None, actuals: pd.DataFrame | None,
             code: str) -> pd.DataFrame:
    return tornado(load_portfolio(content, name), _evaluation(content, name, year, thresholds_key, actuals), code)


@st.cache_data(show_spinner=False, max_entries=16)
def _proposal(content: bytes, name: str, year: int, thresholds_key: tuple | None, actuals: pd.DataFrame | None,
              projects: pd.DataFrame, cashflows: pd.DataFrame, risks: pd.DataFrame, notes: tuple[str, ...],
              iterations: int, seed: int) -> ProposalAssessment:
    portfolio = load_portfolio(content, name)
    before = _risk(content, name, year, thresholds_key, actuals, iterations, seed, True, 0.0)
    return assess_proposal(portfolio, Proposal(projects, cashflows, risks, notes), valuation_year=year,
                           thresholds=_thresholds(thresholds_key), actuals=actuals, iterations=iterations, seed=seed,
                           reference_class=True, post_calc=before.post_calc, simulation_before=before.simulation)


def risk_view(inputs: RiskInputs, options: RiskOptions) -> RiskView:
    """The Monte Carlo with ``options`` and the verdicts it changes (cached)."""
    return _risk(*inputs.key, int(options.iterations), int(options.seed), bool(options.reference),
                 float(options.rate_spread_bp))


def scenario_result(inputs: RiskInputs, options: RiskOptions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stress scenarios (summary, per project), each with the Monte Carlo over the risk register
    (``options.iterations``, same seed) so the loss-chance rules take part in every scenario."""
    return _scenarios(*inputs.key, int(options.iterations), int(options.seed))


def tornado_for(inputs: RiskInputs, code: str) -> pd.DataFrame:
    """The tornado of one project (:func:`igemo_fin.risk.montecarlo.tornado`), each risk's setting written with its unit
    (``treedt op: maximaal 12 %``)."""
    frame = _tornado(*inputs.key, code).copy()
    risks = inputs.portfolio.risks[inputs.portfolio.risks["project_code"] == code].reset_index(drop=True)
    for i, driver in enumerate(frame["driver"]):
        if not str(driver).startswith("risico_"):
            continue
        n = int(str(driver).split("_", 1)[1]) - 1
        if 0 <= n < len(risks):
            text = f"treedt op: maximaal {_impact(risks.at[n, 'soort'], risks.at[n, 'max'])}"
            for column in ("low_setting", "high_setting"):
                if str(frame.at[i, column]).startswith("treedt op"):
                    frame.at[i, column] = text
    return frame


def postcalc_view(inputs: RiskInputs) -> PostCalculation:
    return _post_calculation(*inputs.key)


def proposal_assessment(inputs: RiskInputs, proposal: Proposal, iterations: int = DEFAULT_ITERATIONS,
                        seed: int = SEED) -> ProposalAssessment:
    """The proposal run through the framework with the reference class (cached on the proposal's frames)."""
    return _proposal(*inputs.key, proposal.projects, proposal.cashflows, proposal.risks, tuple(proposal.notes),
                     int(iterations), int(seed))


@st.cache_data(show_spinner=False, max_entries=8)
def read_proposal_workbook(content: bytes, name: str) -> Proposal:
    """The proposal of an uploaded one-project workbook; raises :class:`~igemo_fin.errors.InputError`."""
    return proposal_from_workbook(read_workbook(content, filename=name))


# --------------------------------------------------------------------------- the example proposal

#: The form's prefilled example: a fictive business park of 8 ha, bought and serviced in two years,
#: sold over four (the amounts are in :func:`example_flows`).
EXAMPLE_PROPOSAL = dict(naam="Fictieve kmo-zone Nieuwe Vaart", gemeente="Willebroek", type="bedrijventerrein",
                        oppervlakte_m2=80_000.0, bestemming_zeker=True, marktwaarde_huidige_staat=None,
                        risicodeling_gemeente_pct=50.0, winstdeling_gemeente_pct=0.0)


def example_flows(start: int) -> pd.DataFrame:
    """The example's cash flows from ``start`` on: ``jaar, categorie, bedrag`` (positive amounts).

    Costs 5,150,000 (land 2,800,000; studies 250,000; servicing 2,100,000), sales 6,600,000
    (60,000 m2 net at 110 EUR/m2) in the third to sixth year.
    """
    rows = [(0, "verwerving", 2_800_000), (0, "studies", 150_000), (1, "studies", 100_000),
            (1, "infrastructuur", 1_200_000), (2, "infrastructuur", 900_000), (2, "verkoop", 1_500_000),
            (3, "verkoop", 2_200_000), (4, "verkoop", 2_000_000), (5, "verkoop", 900_000)]
    return pd.DataFrame([(start + o, c, float(a)) for o, c, a in rows], columns=["jaar", "categorie", "bedrag"])


# --------------------------------------------------------------------------- tables and sentences

def table_style(frame: pd.DataFrame, *, money=(), percent=(), years=(), verdict_column: str | None = None):
    """:func:`ui.style.styled` plus ``years`` columns with one decimal (``1,8``); numbers stay numeric."""
    styler = styled(frame, money=money, percent=percent, verdict_column=verdict_column)
    if years:
        styler = styler.format(lambda v: number(v, 1), subset=list(years), na_rep="–")
    return styler



def chance_in_words(prob: float, iterations: int) -> str:
    """The chance of loss as a board member reads it.

    >>> chance_in_words(0.2347, 10_000)
    'In 23 van de 100 gesimuleerde toekomsten kost wat nog komt geld.'
    >>> chance_in_words(0.0, 2_000)
    'In geen enkele van de 2.000 gesimuleerde toekomsten kost wat nog komt geld.'
    >>> chance_in_words(0.0003, 10_000)
    'In minder dan 1 van de 100 gesimuleerde toekomsten kost wat nog komt geld (3 van de 10.000).'
    """
    count = int(round(prob * iterations))
    if count <= 0:
        return f"In geen enkele van de {number(iterations)} gesimuleerde toekomsten kost wat nog komt geld."
    if count >= iterations:
        return f"In alle {number(iterations)} gesimuleerde toekomsten kost wat nog komt geld."
    per_100 = int(math.floor(100 * prob + 0.5))
    if per_100 < 1:
        return (f"In minder dan 1 van de 100 gesimuleerde toekomsten kost wat nog komt geld "
                f"({number(count)} van de {number(iterations)}).")
    if per_100 >= 100:
        return (f"In bijna alle gesimuleerde toekomsten kost wat nog komt geld "
                f"({number(count)} van de {number(iterations)}).")
    return f"In {per_100} van de 100 gesimuleerde toekomsten kost wat nog komt geld."


def ratio_text(ratio: float | None) -> str:
    """``0.928 -> '0,93'``; no loss to cover -> ``'geen verlies te dekken'``.

    >>> ratio_text(0.9282), ratio_text(float("inf")), ratio_text(None)
    ('0,93', 'geen verlies te dekken', '–')
    """
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return "–"
    if math.isinf(ratio):
        return "geen verlies te dekken"
    return number(ratio, 2)


def grade_table(current: str | None) -> pd.DataFrame:
    """The A-F reading of the risk-capacity ratio (:data:`igemo_fin.risk.montecarlo.GRADES`); the current grade
    is marked with an arrow (so the mark does not rest on colour alone)."""
    rows = []
    upper = None
    for grade, lower, word in GRADES:
        if upper is None:
            span = f"{number(lower, 1)} of meer"
        elif math.isinf(lower):
            span = f"minder dan {number(upper, 1)}"
        else:
            span = f"{number(lower, 1)} tot {number(upper, 1)}"
        rows.append({"Klasse": f"▶ {grade}" if grade == current else grade, "Verhouding": span,
                     "Betekenis": word})
        upper = lower
    return pd.DataFrame(rows)


def _impact(kind: str, value: float) -> str:
    if kind == "eenmalig_eur":
        return eur(value)
    if kind == "vertraging_jaren":
        return f"{number(value, 0 if float(value).is_integer() else 1)} jaar"
    return pct(value, 0 if float(value).is_integer() else 1)


def register_table(risks: pd.DataFrame) -> pd.DataFrame:
    """A project's risks from the register, with Dutch column names and each impact in its unit."""
    return pd.DataFrame({
        "Risico": risks["risico"].fillna("").astype(str),
        "Wat het doet": risks["soort"].map(RISK_KIND_WORDS),
        "Kans": risks["kans_pct"].astype(float),
        "Impact minimaal": [_impact(k, v) for k, v in zip(risks["soort"], risks["min"])],
        "Meest waarschijnlijk": [_impact(k, v) for k, v in zip(risks["soort"], risks["waarschijnlijk"])],
        "Impact maximaal": [_impact(k, v) for k, v in zip(risks["soort"], risks["max"])],
    }).reset_index(drop=True)


def verdict_table(view: RiskView) -> pd.DataFrame:
    """One row per active project: chance of loss, percentiles, the verdict with the chance of loss and,
    when it differs, the verdict the page Overzicht shows (without it)."""
    f = view.evaluation.figures.set_index("project_code")
    base = view.base.figures.set_index("project_code")
    sim = view.simulation.projects.set_index("project_code")
    codes = [c for c in f.index if f.at[c, "status"] == "actief"]
    return pd.DataFrame({
        "Project": [f.at[c, "naam"] for c in codes],
        "Kans op verlies": [100 * sim.at[c, "prob_loss"] for c in codes],
        "Slecht (P10)": [sim.at[c, "npv_p10"] for c in codes],
        "Middelste (P50)": [sim.at[c, "npv_p50"] for c in codes],
        "Goed (P90)": [sim.at[c, "npv_p90"] for c in codes],
        "Oordeel": [verdict_label(f.at[c, "verdict"]) for c in codes],
        "Op het Overzicht": ["zelfde" if base.at[c, "verdict"] == f.at[c, "verdict"]
                             else f"was {verdict_label(base.at[c, 'verdict'])}" for c in codes],
    }, index=pd.Index(codes, name="Code"))


def scenario_table(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per stress scenario: the portfolio's forward value, the interest still due and how many
    verdicts change (which ones: :func:`scenario_changes`)."""
    return pd.DataFrame({
        "Scenario": summary["label"].to_numpy(),
        "Waarde van wat nog komt": summary["npv_forward_active"].to_numpy(),
        "Verschil met basis": summary["npv_forward_change"].to_numpy(),
        "Rente nog te betalen": summary["interest_future"].to_numpy(),
        "Oordelen anders": summary["verdicts_changed"].to_numpy(),
    })


def scenario_changes(summary: pd.DataFrame, projects: pd.DataFrame, names: dict[str, str]) -> dict[str, str]:
    """Per scenario label with changed verdicts: ``'Project: Doorgaan → Bijsturen; ...'``."""
    out = {}
    for key, label in zip(summary["scenario"], summary["label"]):
        changed = projects[(projects["scenario"] == key) & projects["changed"]]
        if not changed.empty:
            out[label] = "; ".join(f"{names.get(r.project_code, r.project_code)}: {VERDICT_WORDS[r.verdict_base]} → "
                                   f"{VERDICT_WORDS[r.verdict]}" for r in changed.itertuples())
    return out


LEVEL_WORDS = {"zonder": "Zoals ingevuld (zonder lessen)", "p50": "Met de middelste afwijking (P50)",
               "p80": "Met een ongunstige afwijking (P80)"}


def uplift_table(assessment: ProposalAssessment) -> pd.DataFrame:
    """The proposal's figures as entered and with the reference class's P50 and P80 applied."""
    u = assessment.uplift
    return pd.DataFrame({
        "Berekening": u["level"].map(LEVEL_WORDS),
        "Kosten": 100 * u["cost_ratio"],
        "Opbrengsten": 100 * u["revenue_ratio"],
        "Vertraging (jaar)": u["delay_years"],
        "Contante waarde": u["npv_forward"],
        "IRR": 100 * u["irr_full_life"],
        "Resultaat na rente": u["result_nominal"],
        "Oordeel": [verdict_label(v) if isinstance(v, str) else "–" for v in u["verdict"]],
    })


# --------------------------------------------------------------------------- post-calculation tables

def postcalc_summary_table(pc: PostCalculation) -> pd.DataFrame:
    """One row per finished project: result after interest budgeted and actual, span, delay and IRR."""
    p = pc.projects

    def arrow(planned: str, actual: str) -> str:
        return f"{planned} → {actual}"

    def irr(x) -> str:
        return "geen" if pd.isna(x) else pct(100 * x)

    return pd.DataFrame({
        "Project": p["naam"],
        "Begroot": p["result_budget"],
        "Werkelijk": p["result_actual"],
        "Verschil": p["result_variance"],
        "Looptijd": [arrow(number(a), number(b)) for a, b in zip(p["planned_span_years"], p["actual_span_years"])],
        "Vertraging": p["delay_years"],
        "IRR": [arrow(irr(a), irr(b)) if has else irr(b)
                for a, b, has in zip(p["irr_planned"], p["irr_actual"], p["has_budget"])],
    }).reset_index(drop=True)


def postcalc_category_table(pc: PostCalculation, code: str) -> pd.DataFrame:
    """Budget against actual per category of one finished project, then interest and the result."""
    cats = pc.categories[pc.categories["project_code"] == code]
    row = pc.projects.set_index("project_code").loc[code]
    lines = [{"Post": CATEGORY_WORDS.get(c.categorie, c.categorie),
              "Soort": "Kost" if c.soort == "kost" else "Opbrengst",
              "Begroot": c.budget, "Werkelijk": c.actual, "Verschil": c.variance,
              "Verschil (%)": c.variance_pct, "Effect op het resultaat": c.effect_on_result}
             for c in cats.itertuples()]
    ib, ia = row["interest_budget"], row["interest_actual"]
    lines.append({"Post": "Rente op het kaskrediet", "Soort": "Kost", "Begroot": ib, "Werkelijk": ia,
                  "Verschil": ia - ib, "Verschil (%)": 100 * (ia - ib) / ib if ib else math.nan,
                  "Effect op het resultaat": -(ia - ib)})
    rb, ra = row["result_budget"], row["result_actual"]
    lines.append({"Post": "Resultaat na rente", "Soort": "Resultaat", "Begroot": rb,
                  "Werkelijk": ra, "Verschil": ra - rb,
                  "Verschil (%)": 100 * (ra - rb) / abs(rb) if rb else math.nan,
                  "Effect op het resultaat": ra - rb})
    return pd.DataFrame(lines)


def reference_table(pc: PostCalculation) -> pd.DataFrame:
    """The reference class per type: the P50/P80 of the ratios (in % of the budget) and of the delay
    (in years), and how many finished projects stand behind the figures."""
    r = pc.reference

    def basis(fallback, n_cost, n_rev, n_delay) -> str:
        counts = [int(n_cost), int(n_rev), int(n_delay)]
        text = f"{'alle types' if fallback else 'dit type'} ({counts[0]})"
        if len(set(counts)) > 1:
            text += f"; opbrengsten {counts[1]}, vertraging {counts[2]}"
        return text

    return pd.DataFrame({
        "Type": r["type"].map(TYPE_WORDS),
        "Lessen uit": [basis(*x) for x in zip(r["fallback"], r["cost_ratio_n"], r["revenue_ratio_n"], r["delay_n"])],
        "Kosten P50": 100 * r["cost_ratio_p50"],
        "Kosten P80": 100 * r["cost_ratio_p80"],
        "Opbrengsten P50": 100 * r["revenue_ratio_p50"],
        "Opbrengsten P80": 100 * r["revenue_ratio_p80"],
        "Vertraging P50": r["delay_p50"],
        "Vertraging P80": r["delay_p80"],
    })


def fallback_notes(pc: PostCalculation) -> list[str]:
    """A Dutch sentence for each type with fewer than :data:`MIN_CLASS_SIZE` finished projects."""
    notes = []
    total = int(pc.projects["has_budget"].sum()) if not pc.projects.empty else 0
    for r in pc.reference.itertuples():
        if not r.fallback:
            continue
        word = TYPE_WORDS.get(r.type, r.type).lower()
        own = ("is er nog geen enkel afgerond project" if r.finished_count == 0
               else "is er maar 1 afgerond project" if r.finished_count == 1
               else f"zijn er maar {r.finished_count} afgeronde projecten")
        if total == 0:
            notes.append(f"Van het type {word} {own} met een begroting, en van de andere types ook niet: er zijn nog "
                         "geen lessen.")
        else:
            alle = "het enige afgeronde project" if total == 1 else f"alle {total} afgeronde projecten samen"
            notes.append(f"Van het type {word} {own} met een begroting (minder dan {MIN_CLASS_SIZE}): de lessen "
                         f"gebruiken {alle}, van alle types.")
    return notes
