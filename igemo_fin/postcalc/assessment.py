"""Assessing a proposal: the whole framework on the portfolio with it, compared with the portfolio without.

Notes
-----
:func:`assess_proposal` adds the proposal (:func:`~igemo_fin.postcalc.proposal.add_proposal`),
evaluates both portfolios, simulates both and evaluates the proposal again with each level of its
reference class applied (:func:`~igemo_fin.postcalc.proposal.apply_uplift`).

**Cash credit** (:func:`credit_peak`): the drawn balance at 31 December (the sum of the positive
book values of running projects, :attr:`Evaluation.credit`) over the years ``>= V``; its peak,
that year's limit and the years in which the balance exceeds the limit.

**Risk capacity** before and after: two simulations with the same seed and iterations (by
default with the reference class, the proposal's only uncertainty when it brings no risks).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from igemo_fin.errors import Problem
from igemo_fin.postcalc.calculation import post_calculation
from igemo_fin.postcalc.proposal import Proposal, ProposalError, add_proposal, apply_uplift, free_code
from igemo_fin.risk.capacity import CAPACITY_KEYS
from igemo_fin.valuation.basis import DEFAULT_ITERATIONS, Basis
from igemo_fin.valuation.evaluate import Evaluation, evaluate
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["ProposalAssessment", "UPLIFT_LEVELS", "UPLIFT_ROW_COLUMNS", "CREDIT_COMPARE_COLUMNS", "credit_peak",
           "assess_proposal"]

#: The levels of :attr:`ProposalAssessment.uplift`, in order.
UPLIFT_LEVELS = ("zonder", "p50", "p80")

#: Columns of :attr:`ProposalAssessment.uplift`: one row per level.
UPLIFT_ROW_COLUMNS = (
    "level",                 # "zonder", "p50", "p80"
    "basis",                 # "type" or "alle types"; None for "zonder" or without a reference class
    "class_size",            # finished projects behind the level's figures
    "cost_ratio", "revenue_ratio", "delay_years",   # the level's figures (1, 1, 0 for "zonder")
    "npv_forward", "irr_full_life", "result_nominal", "interest_total", "peak_book_value",  # [EUR], [fraction]
    "verdict",               # with the simulation's prob_loss, as the main verdict
)

#: Columns of :attr:`ProposalAssessment.credit`: one row per year >= V.
CREDIT_COMPARE_COLUMNS = ("jaar", "kredietlimiet", "drawn_before", "drawn_after", "extra")


def credit_peak(ev) -> dict:
    """The largest drawn balance at 31 December over the years ``>= V`` and that year's limit.

    Returns ``{"year", "drawn", "limit", "headroom", "over_limit_years"}`` (``limit`` and
    ``headroom`` None when the credit table gives no limit that year).
    """
    credit = ev.credit[ev.credit["jaar"] >= ev.valuation_year]
    if credit.empty:
        return {"year": None, "drawn": 0.0, "limit": None, "headroom": None, "over_limit_years": []}
    row = credit.loc[credit["drawn_end"].idxmax()]
    limit = None if pd.isna(row["kredietlimiet"]) else float(row["kredietlimiet"])
    over = credit[credit["kredietlimiet"].notna() & (credit["drawn_end"] > credit["kredietlimiet"])]
    return {"year": int(row["jaar"]), "drawn": float(row["drawn_end"]), "limit": limit,
            "headroom": None if limit is None else limit - float(row["drawn_end"]),
            "over_limit_years": [int(y) for y in over["jaar"]]}


@dataclass(frozen=True)
class ProposalAssessment:
    """Everything :func:`assess_proposal` computes."""

    code: str                 #: the proposal's code in the portfolio (renamed when it was taken)
    valuation_year: int
    figures: pd.Series        #: the proposal's row of :data:`~igemo_fin.valuation.evaluate.FIGURE_COLUMNS` (with prob_loss)
    rules: pd.DataFrame       #: its rules (:data:`~igemo_fin.valuation.rules.RULE_COLUMNS`), the loss-chance rules included
    verdict: str
    prob_loss: float          #: [fraction] share of iterations with npv_forward < 0
    npv_percentiles: dict     #: ``p10, p50, p90, expected_shortfall`` [EUR]
    npv_samples: np.ndarray = field(repr=False)  #: (iterations,) its npv_forward per iteration [EUR]
    uplift: pd.DataFrame = field(default=None)   #: :data:`UPLIFT_ROW_COLUMNS`
    reference_type: dict = field(default_factory=dict)  #: ``basis, finished_count, class_size, type``
    credit: pd.DataFrame = field(default=None)   #: :data:`CREDIT_COMPARE_COLUMNS`
    credit_before: dict = field(default_factory=dict)  #: :func:`credit_peak` without the proposal
    credit_after: dict = field(default_factory=dict)   #: and with it
    capacity_before: dict = field(default_factory=dict)  #: ``loss_p90, risk_capacity_ratio, _grade, _label``
    capacity_after: dict = field(default_factory=dict)
    iterations: int = 0
    seed: int = 0
    reference_class: bool = True
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def assess_proposal(basis: Basis | Portfolio, proposal: Proposal, *, iterations: int | None = None,
                    seed: int | None = None, reference_class: bool = True, post_calc=None,
                    before: Evaluation | None = None, **basis_fields) -> ProposalAssessment:
    """Run the framework on the portfolio with the proposal and compare it with the portfolio without.

    Parameters
    ----------
    basis : Basis or Portfolio
        The basis of the current portfolio (its valuation year, thresholds, actuals and simulation
        settings); a Portfolio is shorthand for ``Basis.of(portfolio, **basis_fields)``.
    proposal : Proposal
        The proposed project (its code is changed with :func:`free_code` when it is taken).
    iterations, seed : int, optional
        Replace the basis's simulation settings; both evaluations use the same ones, so the existing
        projects get the same draws. A basis with the simulation off is simulated with the default
        number of iterations: a proposal is judged on its chance of loss.
    reference_class : bool
        Add the reference class's uncertainty (post-calculation of the finished projects) to the
        simulations (default True: a proposal without risks has no other uncertainty).
    post_calc : PostCalculation, optional
        The portfolio's post-calculation, to reuse; computed when not given.
    before : Evaluation, optional
        The evaluation of the portfolio without the proposal on the same basis (simulation settings
        included), to reuse; computed when not given.

    Returns
    -------
    ProposalAssessment

    Raises
    ------
    ProposalError
        When the proposal has flows before the valuation year (a proposal is a future project) or
        before the cash-credit table.
    """
    if not isinstance(basis, Basis):
        basis = Basis.of(basis, **basis_fields)
    settings = basis.simulation
    basis = basis.with_simulation(
        iterations=int(iterations if iterations is not None else settings.iterations or DEFAULT_ITERATIONS),
        seed=int(seed if seed is not None else settings.seed), reference_class=bool(reference_class))
    portfolio, V = basis.portfolio, basis.valuation_year
    early = proposal.cashflows[(proposal.cashflows["versie"] == "prognose") & (proposal.cashflows["jaar"] < V)]
    if not early.empty:
        raise ProposalError([Problem(None, None, "jaar",
                                     f"het voorstel heeft kasstromen in {int(early['jaar'].min())}, voor het "
                                     f"waarderingsjaar {V}: een voorstel kijkt alleen vooruit")], file="voorstel")
    notes = list(proposal.notes)
    code = free_code(portfolio.project_codes, proposal.code)
    if code != proposal.code:
        notes.append(f"De code '{proposal.code}' bestaat al in de portefeuille; het voorstel is getoetst als '{code}'.")
        proposal = proposal.renamed(code)
    after = add_proposal(portfolio, proposal)
    if int(after.credit["jaar"].max()) > int(portfolio.credit["jaar"].max()):
        notes.append(f"Het kaskrediet loopt tot {int(portfolio.credit['jaar'].max())}; voor de latere jaren van het "
                     "voorstel is de rentevoet en de limiet van dat laatste jaar gebruikt.")

    same = (before is not None and before.basis.portfolio is portfolio and before.valuation_year == V
            and before.basis.simulation == basis.simulation and before.basis.thresholds == basis.thresholds)
    ev_before = before if same else evaluate(basis)
    ev_after = evaluate(basis.with_portfolio(after))
    pc = post_calc if post_calc is not None else post_calculation(portfolio, evaluation=ev_before)
    sim_before, sim_after = ev_before.simulation, ev_after.simulation

    figures = ev_after.figures.set_index("project_code").loc[code]
    rules = ev_after.rules[ev_after.rules["project_code"] == code].reset_index(drop=True)
    sim_row = sim_after.projects.set_index("project_code").loc[code]
    position = sim_after.codes.index(code)

    # Figures with and without the reference-class uplift: the full evaluation on the uplifted forecast.
    ref = pc.reference.set_index("type")
    kind = str(proposal.projects["type"].iloc[0])
    r = ref.loc[kind] if kind in ref.index else None
    rows = []
    for level in UPLIFT_LEVELS:
        if level == "zonder":
            ratios, class_basis, size = (1.0, 1.0, 0.0), None, 0
            ev_level = ev_after
        else:
            ratios = (math.nan,) * 3 if r is None else tuple(float(r[f"{m}_{level}"]) for m in (
                "cost_ratio", "revenue_ratio", "delay"))
            class_basis = None if r is None else r["basis"]
            size = 0 if r is None else int(r["cost_ratio_n"])
            if any(math.isnan(x) for x in ratios):
                rows.append({"level": level, "basis": class_basis, "class_size": size, "cost_ratio": ratios[0],
                             "revenue_ratio": ratios[1], "delay_years": ratios[2], "npv_forward": math.nan,
                             "irr_full_life": math.nan, "result_nominal": math.nan, "interest_total": math.nan,
                             "peak_book_value": math.nan, "verdict": None})
                continue
            uplifted = apply_uplift(after, code, V, cost_ratio=ratios[0], revenue_ratio=ratios[1],
                                    delay_years=ratios[2])
            ev_level = evaluate(basis.with_portfolio(uplifted))
        f = ev_level.figures.set_index("project_code").loc[code]
        rows.append({"level": level, "basis": class_basis, "class_size": size, "cost_ratio": ratios[0],
                     "revenue_ratio": ratios[1], "delay_years": ratios[2],
                     "npv_forward": float(f["npv_forward"]), "irr_full_life": float(f["irr_full_life"]),
                     "result_nominal": float(f["result_nominal"]), "interest_total": float(f["interest_total"]),
                     "peak_book_value": float(f["peak_book_value"]), "verdict": f["verdict"]})
    uplift = pd.DataFrame(rows, columns=list(UPLIFT_ROW_COLUMNS))
    reference_type = {"type": kind, "basis": None if r is None else r["basis"],
                      "finished_count": 0 if r is None else int(r["finished_count"]),
                      "class_size": 0 if r is None else int(r["cost_ratio_n"])}

    before_credit = ev_before.credit.set_index("jaar")
    after_credit = ev_after.credit.set_index("jaar")
    years = [int(y) for y in after_credit.index if y >= V]
    drawn_before = before_credit["drawn_end"].reindex(years).fillna(0.0).to_numpy(dtype=float)
    drawn_after = after_credit["drawn_end"].reindex(years).to_numpy(dtype=float)
    credit = pd.DataFrame({"jaar": years, "kredietlimiet": after_credit["kredietlimiet"].reindex(years).to_numpy(),
                           "drawn_before": drawn_before, "drawn_after": drawn_after,
                           "extra": drawn_after - drawn_before}, columns=list(CREDIT_COMPARE_COLUMNS))

    return ProposalAssessment(
        code=code, valuation_year=V, figures=figures, rules=rules, verdict=figures["verdict"],
        prob_loss=float(sim_row["prob_loss"]),
        npv_percentiles={k: float(sim_row[k]) for k in ("npv_p10", "npv_p50", "npv_p90", "expected_shortfall")},
        npv_samples=sim_after.npv_forward[:, position].copy(), uplift=uplift, reference_type=reference_type,
        credit=credit, credit_before=credit_peak(ev_before), credit_after=credit_peak(ev_after),
        capacity_before={k: sim_before.portfolio[k] for k in CAPACITY_KEYS},
        capacity_after={k: sim_after.portfolio[k] for k in CAPACITY_KEYS},
        iterations=basis.simulation.iterations, seed=basis.simulation.seed,
        reference_class=basis.simulation.reference_class, notes=tuple(notes),
        warnings=tuple(dict.fromkeys(sim_after.warnings + ev_after.warnings)))
