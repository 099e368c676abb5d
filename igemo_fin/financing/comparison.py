"""The comparison of the financing alternatives for the portfolio's projected funding need.

The business plan asks to study alternatives to the cash credit whose interest has risen. This
module prices four ways to carry the same funding need over a horizon of years, under rate
scenarios:

``kaskrediet``
    The cash credit as it is: the rate path of the sheet ``kaskrediet`` on the need, plus a
    commitment fee (reservatiecommissie) on the undrawn part of the credit limit.
``vaste_lening``
    A fixed-rate term loan (amount, rate, term, bullet or linear repayment) drawn on 1 January of
    the valuation year; the need above the loan's balance is drawn on the cash credit, a balance
    above the need is surplus cash that earns the deposit rate.
``prefinanciering``
    The municipalities prefinance a share of the need at an agreed rate; the cash credit carries
    the rest.
``mix``
    A smaller term loan plus a smaller municipal prefinancing; the cash credit carries the rest.

Conventions
-----------
- **Funding need** of year ``y``: the sum over projects of their positive average book value
  ``max(avg[p, y], 0)`` (DOMAIN.md, "Interest (projected)"), i.e. the balance on which the engine
  charges the cash credit's interest; so the ``kaskrediet`` alternative in the flat scenario and
  without fee reproduces the engine's interest. The need is the engine's path under the current
  cash credit; the (second-order) effect of a cheaper or dearer alternative on the capitalised
  interest, and so on the need itself, is left out.
- **Day counts.** Cash credit, commitment fee, deposit and prefinancing: ``rate * days/360`` on the
  year's average balance (ACT/360, as the sheet ``kaskrediet`` quotes). Term loan: a yearly coupon
  ``rate * balance on 1 January`` (a year counts as a year), repayment on 31 December; linear
  repayment is ``amount / term`` per year in cents, the last year taking the rounding remainder.
- **Scenarios** shift the variable rates (cash credit and deposit) of the year ``V + k`` by
  ``shifts_bp[k]`` basis points (the last shift holds afterwards); the term loan and the
  prefinancing are fixed-rate and do not move: that is the protection they buy.
- Years beyond the sheet ``kaskrediet`` keep its last rate and limit. The credit limit available
  to the cash credit is reduced by what the loan and the prefinancing take over (never below 0).
- Every yearly amount is rounded half up to the cent; totals are sums of those cents.

The parameters are a frozen :class:`~igemo_fin.financing.parameters.FinancingParams`, read from the
optional workbook sheet ``financiering``; the scenarios and alternatives are in
:mod:`igemo_fin.financing.scenarios`, a term loan's schedule in :mod:`igemo_fin.financing.loans`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from igemo_fin.financing.loans import interest_cents, loan_rows
from igemo_fin.financing.parameters import FinancingParams, financing_params
from igemo_fin.financing.scenarios import (ALTERNATIVE_LABELS, Alternative, RateScenario, rate_scenarios,
                                           resolve_alternatives)
from igemo_fin.money import to_cents
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.interest import days_in_year
from igemo_fin.valuation.portfolio import Portfolio

__all__ = [
    "NEED_COLUMNS",
    "COST_COLUMNS",
    "TOTAL_COLUMNS",
    "RANGE_COLUMNS",
    "FinancingComparison",
    "funding_need",
    "financing_costs",
    "financing_totals",
    "financing_range",
    "compare_financing",
]

#: :func:`funding_need`: one row per horizon year.
NEED_COLUMNS = (
    "jaar",
    "need_average",   # [EUR] sum of positive average book values: what has to be financed
    "need_end",       # [EUR] sum of positive book values at 31 December (Evaluation.credit.drawn_end)
    "rentevoet_pct",  # [%] the cash credit's rate (sheet kaskrediet; last rate after the table)
    "kredietlimiet",  # [EUR] the credit limit (NaN when not given)
)

#: :func:`financing_costs`: one row per scenario, alternative and horizon year. Amounts [EUR].
COST_COLUMNS = (
    "scenario", "alternative", "jaar",
    "shift_bp",               # [bp] the scenario's shift of the variable rates that year
    "need_average",           # [EUR] the funding need (the same for every alternative)
    "loan_outstanding",       # [EUR] term loan balance on 1 January
    "prefinanced",            # [EUR] average prefinanced by the municipalities
    "cash_credit_drawn",      # [EUR] average drawn on the cash credit
    "surplus",                # [EUR] average surplus cash placed on deposit
    "rate_cash_credit_pct",   # [%] cash credit rate after the shift
    "interest_cash_credit",   # [EUR]
    "commitment_fee",         # [EUR] fee on the undrawn limit
    "interest_loan",          # [EUR]
    "interest_prefinancing",  # [EUR]
    "deposit_income",         # [EUR] earned on the surplus (subtracted)
    "cost_total",             # [EUR] interest + fee - deposit income
)

#: :func:`financing_totals`: one row per alternative and scenario.
TOTAL_COLUMNS = ("alternative", "label", "scenario", "cost_total")

#: :func:`financing_range`: one row per alternative.
RANGE_COLUMNS = (
    "alternative", "label",
    "cost_flat",       # [EUR] total over the horizon in the flat scenario
    "cost_min",        # [EUR] lowest total over the scenarios
    "cost_max",        # [EUR] highest total over the scenarios
    "scenario_min",    # name of the scenario with the lowest total
    "scenario_max",    # name of the scenario with the highest total
)


# --------------------------------------------------------------------------- the need

def funding_need(portfolio: Portfolio, ev: Evaluation, *, horizon_years: int = 10) -> pd.DataFrame:
    """The portfolio's funding need per year from ``V`` over ``horizon_years`` (:data:`NEED_COLUMNS`).

    ``need_average`` is ``sum_p max(avg[p, y], 0)``, the balance the engine charges interest on;
    ``need_end`` is ``Evaluation.credit.drawn_end``. Years outside the engine's grid have no need.
    """
    V = ev.valuation_year
    years = np.arange(V, V + int(horizon_years), dtype=np.int64)
    grid = ev.matrix.years
    average = np.clip(ev.interest.average_balance, 0.0, None).sum(axis=0) if grid.size else np.zeros(0)
    by_year = pd.Series(average, index=grid)
    drawn = ev.credit.set_index("jaar")["drawn_end"]
    credit = portfolio.credit.set_index("jaar").sort_index()
    rates = _extend(credit["rentevoet_pct"], years)
    limits = _extend(credit["kredietlimiet"], years)
    return pd.DataFrame({
        "jaar": years,
        "need_average": [to_cents(float(by_year.get(y, 0.0))) / 100.0 for y in years],
        "need_end": [to_cents(float(drawn.get(y, 0.0))) / 100.0 for y in years],
        "rentevoet_pct": rates,
        "kredietlimiet": limits,
    })


def _extend(series: pd.Series, years: np.ndarray) -> np.ndarray:
    """``series`` (indexed by year) on ``years``; after its last year its last value, before its first its first."""
    series = series.sort_index()
    if series.empty:
        return np.full(years.size, np.nan)
    out = series.reindex(years)
    out[years > series.index.max()] = series.iloc[-1]
    out[years < series.index.min()] = series.iloc[0]
    return out.to_numpy(float)


# --------------------------------------------------------------------------- costs

def financing_costs(portfolio: Portfolio, ev: Evaluation, params: FinancingParams | None = None, *,
                    scenarios: tuple[RateScenario, ...] | None = None,
                    alternatives: tuple[Alternative, ...] | None = None) -> pd.DataFrame:
    """The cost of each alternative per year of the horizon, under each rate scenario.

    Parameters
    ----------
    portfolio, ev
        The workbook and its evaluation (valuation year ``V`` starts the horizon).
    params : FinancingParams, optional
        Default: the workbook's sheet ``financiering`` (:func:`financing_params`).
    scenarios, alternatives : optional
        Default: :func:`rate_scenarios` and :func:`resolve_alternatives` of ``params``.

    Returns
    -------
    DataFrame
        :data:`COST_COLUMNS`, scenario-major, then alternative, then year.

    Notes
    -----
    For year ``y = V + k`` with ``d = days_in_year(y) / 360``, need ``N``, loan balance ``B`` and
    prefinanced ``P = s * N``: cash credit ``C = max(N - B - P, 0)`` at ``(r + shift) * d``;
    commitment fee ``f * d * max(max(limit - B - P, 0) - C, 0)``; loan coupon ``r_loan * B``;
    prefinancing ``r_gem * d * P``; deposit income ``(r_dep + shift) * d * max(B + P - N, 0)``;
    ``cost = interest + fee + coupon + prefinancing - deposit income``.
    """
    params = params if params is not None else financing_params(portfolio)
    need = funding_need(portfolio, ev, horizon_years=params.horizon_jaren)
    scenarios = scenarios if scenarios is not None else rate_scenarios(params)
    alternatives = alternatives if alternatives is not None else resolve_alternatives(params, need)
    rows = []
    for scenario in scenarios:
        for alt in alternatives:
            term = int(params.lening_looptijd_jaren)
            schedule = (loan_rows(to_cents(alt.loan_amount), params.lening_rente_pct, term, params.lening_aflossing)
                        if alt.loan_amount > 0 else [])
            for k, rec in enumerate(need.itertuples(index=False)):
                year = int(rec.jaar)
                factor = Decimal(days_in_year(year)) / Decimal(360)
                shift = scenario.shift(k)
                need_c = to_cents(float(rec.need_average))
                loan_c, coupon_c = (schedule[k][0], schedule[k][1]) if k < len(schedule) else (0, 0)
                prefin_c = interest_cents(need_c, alt.prefinancing_pct)  # a share of the need, half up
                drawn_c = max(need_c - loan_c - prefin_c, 0)
                surplus_c = max(loan_c + prefin_c - need_c, 0)
                rate = float(rec.rentevoet_pct) + shift / 100.0
                interest_c = interest_cents(drawn_c, rate, factor)
                if pd.isna(rec.kredietlimiet):
                    fee_c = 0
                else:
                    available_c = max(to_cents(float(rec.kredietlimiet)) - loan_c - prefin_c, 0)
                    fee_c = interest_cents(max(available_c - drawn_c, 0), params.kaskrediet_reservatiecommissie_pct,
                                            factor)
                prefin_interest_c = interest_cents(prefin_c, params.gemeente_rente_pct, factor)
                deposit_c = interest_cents(surplus_c, params.depositorente_pct + shift / 100.0, factor)
                total_c = interest_c + fee_c + coupon_c + prefin_interest_c - deposit_c
                rows.append((scenario.name, alt.name, year, shift, need_c / 100.0, loan_c / 100.0, prefin_c / 100.0,
                             drawn_c / 100.0, surplus_c / 100.0, rate, interest_c / 100.0, fee_c / 100.0,
                             coupon_c / 100.0, prefin_interest_c / 100.0, deposit_c / 100.0, total_c / 100.0))
    return pd.DataFrame(rows, columns=list(COST_COLUMNS))


def _sum_cents(values) -> float:
    return int(sum(to_cents(float(v)) for v in values)) / 100.0


def financing_totals(costs: pd.DataFrame) -> pd.DataFrame:
    """Total cost over the horizon per alternative and scenario (:data:`TOTAL_COLUMNS`)."""
    rows = []
    for (alt, scenario), g in costs.groupby(["alternative", "scenario"], sort=False):
        rows.append((alt, ALTERNATIVE_LABELS.get(alt, alt), scenario, _sum_cents(g["cost_total"])))
    frame = pd.DataFrame(rows, columns=list(TOTAL_COLUMNS))
    order = {a: i for i, a in enumerate(dict.fromkeys(costs["alternative"]))}
    s_order = {s: i for i, s in enumerate(dict.fromkeys(costs["scenario"]))}
    frame["_a"] = frame["alternative"].map(order)
    frame["_s"] = frame["scenario"].map(s_order)
    return frame.sort_values(["_a", "_s"]).drop(columns=["_a", "_s"]).reset_index(drop=True)


def financing_range(costs: pd.DataFrame, *, flat: str = "vlak") -> pd.DataFrame:
    """Per alternative: its total in the flat scenario and its range over the scenarios (:data:`RANGE_COLUMNS`)."""
    totals = financing_totals(costs)
    rows = []
    for alt, g in totals.groupby("alternative", sort=False):
        low = g.loc[g["cost_total"].idxmin()]
        high = g.loc[g["cost_total"].idxmax()]
        base = g.loc[g["scenario"] == flat, "cost_total"]
        rows.append((alt, ALTERNATIVE_LABELS.get(alt, alt), float(base.iloc[0]) if len(base) else np.nan,
                     float(low["cost_total"]), float(high["cost_total"]), low["scenario"], high["scenario"]))
    return pd.DataFrame(rows, columns=list(RANGE_COLUMNS))


@dataclass(frozen=True)
class FinancingComparison:
    """Everything :func:`compare_financing` computes."""

    valuation_year: int
    params: FinancingParams
    scenarios: tuple[RateScenario, ...]
    alternatives: tuple[Alternative, ...]
    need: pd.DataFrame = field(repr=False)    #: :data:`NEED_COLUMNS`
    costs: pd.DataFrame = field(repr=False)   #: :data:`COST_COLUMNS`
    totals: pd.DataFrame = field(repr=False)  #: :data:`TOTAL_COLUMNS`
    range: pd.DataFrame = field(repr=False)   #: :data:`RANGE_COLUMNS`

    def peak_need(self) -> pd.Series | None:
        """The horizon year with the highest average funding need (a row of :attr:`need`); None without a horizon."""
        return None if self.need.empty else self.need.loc[self.need["need_average"].idxmax()]

    def cheapest(self, *, worst_case: bool = False) -> pd.Series:
        """The cheapest alternative (a row of :attr:`range`): at flat rates, or by its dearest scenario."""
        column = "cost_max" if worst_case else "cost_flat"
        return self.range.loc[self.range[column].idxmin()]

    def as_json(self) -> dict:
        """The JSON object of ``python -m igemo_fin financing --json``."""
        alternatives = []
        for alt in self.alternatives:
            mine = self.costs[self.costs["alternative"] == alt.name]
            per_scenario = {}
            for scenario in self.scenarios:
                g = mine[mine["scenario"] == scenario.name]
                per_scenario[scenario.name] = {
                    "total": _sum_cents(g["cost_total"]),
                    "by_year": {str(int(y)): float(v) for y, v in zip(g["jaar"], g["cost_total"])},
                    "interest_cash_credit": _sum_cents(g["interest_cash_credit"]),
                    "commitment_fee": _sum_cents(g["commitment_fee"]),
                    "interest_loan": _sum_cents(g["interest_loan"]),
                    "interest_prefinancing": _sum_cents(g["interest_prefinancing"]),
                    "deposit_income": _sum_cents(g["deposit_income"]),
                }
            rng = self.range.set_index("alternative").loc[alt.name]
            flat = self.scenarios[0].name
            alternatives.append({
                "alternative": alt.name,
                "label": alt.label,
                "loan_amount": alt.loan_amount,
                "prefinancing_pct": alt.prefinancing_pct,
                "total": per_scenario[flat]["total"],
                "by_year": per_scenario[flat]["by_year"],
                "scenarios": per_scenario,
                "range": {"min": float(rng["cost_min"]), "max": float(rng["cost_max"]),
                          "scenario_min": rng["scenario_min"], "scenario_max": rng["scenario_max"]},
            })
        return {
            "valuation_year": self.valuation_year,
            "horizon": [int(y) for y in self.need["jaar"]],
            "parameters": self.params.as_dict(),
            "funding_need": {str(int(y)): float(v) for y, v in zip(self.need["jaar"], self.need["need_average"])},
            "funding_need_end": {str(int(y)): float(v) for y, v in zip(self.need["jaar"], self.need["need_end"])},
            "scenarios": [{"name": s.name, "label": s.label, "shifts_bp": list(s.shifts_bp)} for s in self.scenarios],
            "alternatives": alternatives,
        }


def compare_financing(portfolio: Portfolio, ev: Evaluation, params: FinancingParams | None = None) -> FinancingComparison:
    """Price the four alternatives under the three scenarios (the Financiering page's one call)."""
    params = params if params is not None else financing_params(portfolio)
    need = funding_need(portfolio, ev, horizon_years=params.horizon_jaren)
    scenarios = rate_scenarios(params)
    alternatives = resolve_alternatives(params, need)
    costs = financing_costs(portfolio, ev, params, scenarios=scenarios, alternatives=alternatives)
    return FinancingComparison(ev.valuation_year, params, scenarios, alternatives, need, costs,
                               financing_totals(costs), financing_range(costs, flat=scenarios[0].name))
