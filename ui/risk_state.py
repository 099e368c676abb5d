"""The risk computations of the pages Risico, Nacalculatie and Nieuw project toetsen, and the Dutch
tables and sentences they show.

They start from the same basis as every other page (:func:`ui.state.current_basis`): the official
thresholds, the ledger actuals and the workbook's simulation settings. With the page's options left
as they are, the Risico page shows *the* evaluation of the Overzicht (one cache entry,
:func:`ui.state.whole_evaluation`); an option changed there is a what-if of the simulation settings
and the page says so in its basis line. No widget is read inside a cached function, so a rerun with
the same inputs (another project chosen, a table sorted) recomputes nothing.

The evaluations here are not cut to the signed-in user (:func:`ui.visibility.filter_for_user`): the three
pages are reading pages for the roles that see the whole portfolio (``ui.roles.PAGE_ROLES``), and the
portfolio's loss and risk capacity need every project.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from igemo_fin.fmt import eur, number, pct
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.postcalc.assessment import ProposalAssessment, assess_proposal
from igemo_fin.postcalc.calculation import PostCalculation, post_calculation
from igemo_fin.postcalc.proposal import Proposal
from igemo_fin.postcalc.proposal_input import proposal_from_workbook
from igemo_fin.risk.capacity import GRADES, ratio_text
from igemo_fin.risk.montecarlo import Simulation
from igemo_fin.risk.scenarios import run_scenarios
from igemo_fin.risk.tornado import tornado
from igemo_fin.valuation.basis import DEFAULT_ITERATIONS, Basis, SimulationSettings
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio
from ui.shared import content_key, shared
from ui.state import Source, basis_key, current_basis, require_portfolio, whole_evaluation
from ui.style import VERDICT_WORDS, styled, verdict_label

__all__ = [
    "ITERATION_CHOICES", "DEFAULT_ITERATIONS", "SPREAD_CHOICES", "RiskInputs", "RiskView",
    "risk_inputs", "risk_view", "with_options", "scenario_result", "tornado_for", "postcalc_view", "proposal_assessment",
    "chance_in_words", "ratio_text", "grade_table", "grade_style", "verdict_style", "register_table", "verdict_table", "scenario_table",
    "scenario_changes", "RISK_KIND_WORDS",
    "EXAMPLE_PROPOSAL", "example_flows", "read_proposal_workbook", "uplift_table",
]

ITERATION_CHOICES = (2_000, 10_000, 20_000)
#: Standard deviations offered for the rate spread [basis points].
SPREAD_CHOICES = (0, 25, 50, 75, 100, 150, 200)

RISK_KIND_WORDS = {
    "kosten_pct": "Kosten hoger",
    "prijs_pct": "Verkoopprijzen lager",
    "vertraging_jaren": "Opbrengsten later",
    "eenmalig_eur": "Eenmalige kost",
}


@dataclass(frozen=True)
class RiskInputs:
    """What the risk pages compute on: the source shown and its official basis."""

    source: Source
    basis: Basis

    @property
    def portfolio(self) -> Portfolio:
        return self.basis.portfolio

    @property
    def year(self) -> int:
        return self.basis.valuation_year


@dataclass(frozen=True)
class RiskView:
    """The simulation on the page's settings, and the verdicts with them and on the official basis."""

    simulation: Simulation
    evaluation: Evaluation       #: on the page's simulation settings
    base: Evaluation             #: on the official basis (as the page Overzicht shows it)
    post_calc: PostCalculation | None  #: when the reference class was used


def risk_inputs() -> RiskInputs:
    """The current workbook (the page stops with a message when there is none) and its official basis:
    the same as every other page's."""
    source, _ = require_portfolio()
    return RiskInputs(source, current_basis())


def with_options(inputs: RiskInputs, settings: SimulationSettings) -> Basis:
    """The official basis with the simulation settings the page chose (a simulation is always on here)."""
    return inputs.basis.with_(simulation=settings if settings.enabled else
                              SimulationSettings(DEFAULT_ITERATIONS, settings.seed, settings.reference_class,
                                                 settings.rate_spread_bp))


# --------------------------------------------------------------------------- cached engine calls

@shared(max_entries=16)
def _post_calculation(key: str, _ev: Evaluation) -> PostCalculation:
    return post_calculation(_ev.basis.portfolio, evaluation=_ev)


def risk_view(inputs: RiskInputs, settings: SimulationSettings) -> RiskView:
    """The evaluation with the page's simulation settings next to the official one (both shared)."""
    base = whole_evaluation(inputs.basis)
    ev = whole_evaluation(with_options(inputs, settings))
    pc = postcalc_view(inputs) if ev.basis.simulation.reference_class else None
    return RiskView(ev.simulation, ev, base, pc)


@st.cache_data(show_spinner=False, max_entries=16)
def _scenarios(key: str, _ev: Evaluation) -> tuple[pd.DataFrame, pd.DataFrame]:
    result = run_scenarios(_ev.basis.portfolio, _ev)
    return result.summary, result.projects


def scenario_result(inputs: RiskInputs, settings: SimulationSettings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stress scenarios (summary, per project), each evaluated on the page's basis, the Monte Carlo
    included (same seed in every scenario), so the loss-chance rules take part in every scenario."""
    ev = whole_evaluation(with_options(inputs, settings))
    return _scenarios(basis_key(inputs.source, ev.basis), ev)


@st.cache_data(show_spinner=False, max_entries=64)
def _tornado(key: str, code: str, _ev: Evaluation) -> pd.DataFrame:
    return tornado(_ev.basis.portfolio, _ev, code)


def tornado_for(inputs: RiskInputs, code: str) -> pd.DataFrame:
    """The tornado of one project (:func:`igemo_fin.risk.tornado.tornado`), each risk's setting written with its unit
    (``treedt op: maximaal 12 %``)."""
    ev = whole_evaluation(inputs.basis)
    frame = _tornado(basis_key(inputs.source, ev.basis), code, ev).copy()
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
    """The post-calculation of the finished projects, on the official basis."""
    ev = whole_evaluation(inputs.basis)
    return _post_calculation(basis_key(inputs.source, ev.basis), ev)


@st.cache_data(show_spinner=False, max_entries=16)
def _proposal(key: str, proposal_key: str, _before: Evaluation, _post_calc: PostCalculation,
              _proposal: Proposal) -> ProposalAssessment:
    return assess_proposal(_before.basis, _proposal, reference_class=True, post_calc=_post_calc, before=_before)


def proposal_assessment(inputs: RiskInputs, proposal: Proposal, iterations: int = DEFAULT_ITERATIONS) -> ProposalAssessment:
    """The proposal run through the framework on the official basis with the reference class and
    ``iterations`` (cached on the proposal's frames)."""
    before = whole_evaluation(inputs.basis.with_simulation(iterations=int(iterations), reference_class=True))
    proposal = Proposal(proposal.projects, proposal.cashflows, proposal.risks, tuple(proposal.notes))
    return _proposal(basis_key(inputs.source, before.basis), content_key(proposal), before, postcalc_view(inputs),
                     proposal)


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

def grade_style(table: pd.DataFrame) -> Styler:
    """:func:`grade_table` with the current grade's row (marked ▶) in bold on a light background."""
    return table.style.apply(lambda row: ["font-weight: 700; background-color: #fff3cd"
                                          if row["Klasse"].startswith("▶") else "" for _ in row], axis=1)


def verdict_style(verdicts: pd.DataFrame) -> Styler:
    """:func:`verdict_table` in Belgian formats, the verdicts coloured, a verdict that differs from the
    Overzicht's in bold."""
    return styled(verdicts, money=["Slecht (P10)", "Middelste (P50)", "Goed (P90)"],
                  percent=["Kans op verlies", "Kans voorbij stopdrempel"], verdict_column="Oordeel").map(
        lambda v: "font-weight: 700" if v != "zelfde" else "", subset=["Op het Overzicht"])


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


def grade_table(current: str | None) -> pd.DataFrame:
    """The A-F reading of the risk-capacity ratio (:data:`igemo_fin.risk.capacity.GRADES`); the current grade
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
        "Kans voorbij stopdrempel": [100 * f.at[c, "prob_below_stop"] for c in codes],
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
