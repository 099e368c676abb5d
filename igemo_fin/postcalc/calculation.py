"""Post-calculation (nacalculatie) of finished projects, and the reference class built from them.

For every finished (``afgerond``) project the budget (``begroting``, approved at the go decision)
is set against what actually happened: the project's ``prognose`` (for a finished project: its
realised flows) or, where the ledger has lines for a project and year before ``V``, the ledger's
actuals (the same rule as :func:`~igemo_fin.valuation.cashflow.yearly_flows`). The differences, by project
type, form the reference class that the Monte Carlo offers as the default uncertainty for active
projects (DOMAIN.md, "Reference class").

Notes
-----
**Interest on both sides.** The actual interest is the evaluation's (computed, or the allocated
``rente_werkelijk`` where given). The budget's interest runs the cash-credit model of
:mod:`~igemo_fin.valuation.interest` on the budget flows alone, over the budget's own span, with the rates
of the budget's own years (no allocation of actual interest on the budget side).

**Variance of the result** (``result_actual - result_budget``), in whole cents so the parts add up
exactly::

    result              = revenues - costs - interest             (nominal, full life)
    variance_costs      = -(costs_actual - costs_budget)
    variance_revenues   = revenues_actual - revenues_budget
    variance_timing     = -(interest_shifted - interest_budget)
    variance_interest   = -(interest_actual - interest_shifted)
    variance_costs + variance_revenues + variance_timing + variance_interest
                        = result_actual - result_budget            (exactly, in cents)

where ``interest_shifted`` is the interest the budget's amounts would have drawn at the actual
timing: each budget category total spread over the years in proportion to that category's actual
flows (a category without actual flows keeps the budget's years). In nominal terms timing only
reaches the result through interest: ``variance_timing`` is the interest that the shift in time
alone caused; ``variance_interest`` is what the changed amounts (and the actual rate paid, where
``rente_werkelijk`` is allocated) did to the interest. Each total is rounded half up to the cent
first, per category for costs and revenues; the results are the sums of those rounded parts.

**Delay** (``delay_years``) is the shift of the revenue-weighted mean year,
``sum(y * R[y]) / sum(R[y])`` actual minus planned: the same quantity the Monte Carlo's
``vertraging_jaren`` moves (revenues later). The change of the span, actual minus planned number
of years, is reported beside it (``span_change_years``).

**Reference class.** Per project type, over the finished projects that have a budget: the ratio
actual/budget of total costs (``cost_ratio``) and of total revenues (``revenue_ratio``) and
``delay_years``; with fewer than :data:`MIN_CLASS_SIZE` finished projects of a type, all types
together (``fallback``). Percentiles use numpy's linear interpolation. ``P50`` is the median.
``P80`` is the level that 80 % of the class stays within on the *unfavourable* side, as in
reference-class forecasting ("P80 uplift"): the 80th percentile of ``cost_ratio`` and of
``delay_years``, but the **20th** percentile of ``revenue_ratio`` (less revenue is the risk).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from igemo_fin.valuation.cashflow import flow_matrix, yearly_flows
from igemo_fin.columns import COST_CATEGORIES, PROJECT_TYPES, REVENUE_CATEGORIES, require_columns
from igemo_fin.valuation.interest import project_interest
from igemo_fin.valuation.metrics import irr_rows
from igemo_fin.money import to_cents
from igemo_fin.postcalc.variance import variance_pct
from igemo_fin.valuation.portfolio import Portfolio

__all__ = [
    "PostCalculation", "post_calculation", "reference_class", "reference_pool",
    "POSTCALC_COLUMNS", "CATEGORY_COLUMNS", "REFERENCE_COLUMNS", "MEMBER_COLUMNS",
    "MIN_CLASS_SIZE", "P80_PERCENTILE",
]

#: With fewer finished projects of a type, the reference class takes all types together.
MIN_CLASS_SIZE = 3

#: The percentile that ``*_p80`` reports per measure: the unfavourable side (see module notes).
P80_PERCENTILE = {"cost_ratio": 80.0, "revenue_ratio": 20.0, "delay_years": 80.0}

#: Columns of :attr:`PostCalculation.projects`: one row per finished project.
POSTCALC_COLUMNS = (
    "project_code", "naam", "gemeente", "type",
    "has_budget",            # False: no ``begroting`` lines; budget figures NaN, no variance
    "planned_first_year", "planned_last_year", "planned_span_years",   # [year] of the budget
    "actual_first_year", "actual_last_year", "actual_span_years",      # [year] of the actual flows
    "span_change_years",     # [year] actual - planned span
    "planned_revenue_year", "actual_revenue_year",  # [year] revenue-weighted mean year
    "delay_years",           # [year] actual - planned revenue-weighted mean year
    "costs_budget", "costs_actual",          # [EUR] positive magnitudes, cents
    "revenues_budget", "revenues_actual",    # [EUR] cents
    "interest_budget", "interest_actual",    # [EUR] cents
    "interest_shifted",      # [EUR] interest on the budget amounts at the actual timing
    "result_budget", "result_actual",        # [EUR] revenues - costs - interest
    "result_variance",       # [EUR] actual - budget
    "variance_costs", "variance_revenues", "variance_interest", "variance_timing",  # [EUR] add up
    "irr_planned", "irr_actual",             # [fraction] full-life IRR, NaN when undefined
    "cost_ratio", "revenue_ratio",           # [-] actual / budget, NaN when the budget is 0
)

#: Columns of :attr:`PostCalculation.categories`: one row per finished project and category.
CATEGORY_COLUMNS = (
    "project_code", "categorie",
    "soort",                 # "kost" or "opbrengst"
    "budget", "actual",      # [EUR] positive magnitudes (a cost of 1,000 is 1000)
    "variance",              # [EUR] actual - budget
    "variance_pct",          # [%] 100 * variance / budget, NaN when the budget is 0
    "ratio",                 # [-] actual / budget, NaN when the budget is 0
    "effect_on_result",      # [EUR] what the variance did to the result (a cost overrun < 0)
)

#: Columns of :attr:`PostCalculation.reference`: one row per project type (all four types).
REFERENCE_COLUMNS = (
    "type",
    "finished_count",        # finished projects of this type with a budget
    "fallback",              # True: fewer than MIN_CLASS_SIZE, the figures are over all types
    "basis",                 # "type" or "alle types"
    "cost_ratio_p50", "cost_ratio_p80", "cost_ratio_n",
    "revenue_ratio_p50", "revenue_ratio_p80", "revenue_ratio_n",
    "delay_p50", "delay_p80", "delay_n",     # [year]
    "note",                  # Dutch sentence for the page
)

#: Columns a reference-class member frame needs (a subset of :data:`POSTCALC_COLUMNS`).
MEMBER_COLUMNS = ("project_code", "type", "cost_ratio", "revenue_ratio", "delay_years")


@dataclass(frozen=True)
class PostCalculation:
    """The post-calculation of every finished project and the reference class."""

    valuation_year: int
    projects: pd.DataFrame    #: :data:`POSTCALC_COLUMNS`
    categories: pd.DataFrame  #: :data:`CATEGORY_COLUMNS`
    reference: pd.DataFrame   #: :data:`REFERENCE_COLUMNS`
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- helpers

def _cents_by(flows: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Signed totals in whole cents (half up) per ``keys``."""
    if flows.empty:
        return pd.Series(dtype="int64")
    totals = flows.groupby(keys, sort=True)["bedrag"].sum()
    return totals.map(lambda x: to_cents(float(x))).astype("int64")


def _revenue_year(flows: pd.DataFrame) -> float:
    rev = flows[flows["categorie"].isin(REVENUE_CATEGORIES)]
    total = rev["bedrag"].sum()
    if rev.empty or total <= 0:
        return math.nan
    return float((rev["jaar"] * rev["bedrag"]).sum() / total)


def _span(flows: pd.DataFrame) -> tuple[float, float, float]:
    if flows.empty:
        return math.nan, math.nan, math.nan
    first, last = int(flows["jaar"].min()), int(flows["jaar"].max())
    return float(first), float(last), float(last - first + 1)


def _interest_totals(flows: pd.DataFrame, codes: list[str], credit: pd.DataFrame) -> np.ndarray:
    """Projected interest over each project's own span, rates of the flows' own years [EUR]."""
    if flows.empty or not codes:
        return np.zeros(len(codes))
    fm = flow_matrix(flows, codes)
    rates = credit.set_index("jaar")["rentevoet_pct"].reindex(fm.years).to_numpy(dtype=float)
    return project_interest(fm, rates).interest.sum(axis=1)


def _shifted_flows(budget: pd.DataFrame, actual: pd.DataFrame) -> pd.DataFrame:
    """The budget's category totals spread over the years like the actual flows of that category."""
    keys = ["project_code", "categorie"]
    b_tot = budget.groupby(keys)["bedrag"].sum()
    a_tot = actual.groupby(keys)["bedrag"].sum()
    a = actual.copy()
    a_key = pd.MultiIndex.from_frame(a[keys])
    total_a = a_tot.reindex(a_key).to_numpy()
    total_b = b_tot.reindex(a_key).fillna(0.0).to_numpy()
    usable = total_a != 0
    a = a[usable].copy()
    a["bedrag"] = a["bedrag"].to_numpy() * (total_b[usable] / total_a[usable])
    # Categories with a budget but no (or a zero) actual total keep the budget's own years.
    usable_keys = set(map(tuple, actual[keys].to_numpy()[usable].tolist()))
    keep = [tuple(k) not in usable_keys for k in budget[keys].to_numpy().tolist()]
    return pd.concat([a, budget[keep]], ignore_index=True)[["project_code", "jaar", "categorie", "bedrag"]]


def _ratio(actual: float, budget: float) -> float:
    return actual / budget if budget > 0 else math.nan


def _eur(cents: int | None) -> float:
    return math.nan if cents is None else cents / 100.0


# --------------------------------------------------------------------------- the reference class

def reference_pool(members: pd.DataFrame, project_type: str, *,
                   min_count: int = MIN_CLASS_SIZE) -> tuple[pd.DataFrame, bool]:
    """The finished projects that form the reference class of ``project_type``.

    Returns the members of that type when there are at least ``min_count``, else all members
    (the flag is then True). Members without a budget (``cost_ratio`` NaN and ``revenue_ratio``
    NaN) do not count.
    """
    require_columns(members, MEMBER_COLUMNS, name="referentieklasse")
    usable = members[members["cost_ratio"].notna() | members["revenue_ratio"].notna()]
    own = usable[usable["type"] == project_type]
    if len(own) >= min_count:
        return own, False
    return usable, True


def _percentile(values: pd.Series, q: float) -> tuple[float, int]:
    v = values.dropna().to_numpy(dtype=float)
    return (float(np.percentile(v, q)) if v.size else math.nan), int(v.size)


def reference_class(members: pd.DataFrame, *, min_count: int = MIN_CLASS_SIZE,
                    types: tuple[str, ...] = PROJECT_TYPES) -> pd.DataFrame:
    """P50 and P80 of ``cost_ratio``, ``revenue_ratio`` and ``delay_years`` per project type.

    Parameters
    ----------
    members : DataFrame
        :data:`MEMBER_COLUMNS` (e.g. :attr:`PostCalculation.projects`).
    min_count : int
        Fewer finished projects of a type than this: all types together (``fallback``).
    types : tuple of str
        The types to report (default all four of WORKBOOK.md).

    Returns
    -------
    DataFrame
        :data:`REFERENCE_COLUMNS`. ``*_p80`` is the unfavourable 80 % level: the 80th percentile of
        ``cost_ratio`` and ``delay_years``, the 20th percentile of ``revenue_ratio``
        (:data:`P80_PERCENTILE`). ``*_n`` counts the projects behind each figure.
    """
    rows = []
    for project_type in types:
        pool, fallback = reference_pool(members, project_type, min_count=min_count)
        own_count = int(((members["type"] == project_type)
                         & (members["cost_ratio"].notna() | members["revenue_ratio"].notna())).sum())
        row = {"type": project_type, "finished_count": own_count, "fallback": fallback,
               "basis": "alle types" if fallback else "type"}
        for measure, prefix in (("cost_ratio", "cost_ratio"), ("revenue_ratio", "revenue_ratio"),
                                ("delay_years", "delay")):
            p50, n = _percentile(pool[measure], 50.0)
            p80, _ = _percentile(pool[measure], P80_PERCENTILE[measure])
            row |= {f"{prefix}_p50": p50, f"{prefix}_p80": p80, f"{prefix}_n": n}
        if len(pool) == 0:
            note = "Er zijn nog geen afgeronde projecten met een begroting: geen referentieklasse."
        elif fallback:
            note = (f"Slechts {own_count} afgerond(e) project(en) van het type {project_type} (minder dan "
                    f"{min_count}): de referentieklasse gebruikt alle {len(pool)} afgeronde projecten samen.")
        else:
            note = f"Referentieklasse uit {len(pool)} afgeronde projecten van het type {project_type}."
        row["note"] = note
        rows.append(row)
    return pd.DataFrame(rows, columns=list(REFERENCE_COLUMNS))


# --------------------------------------------------------------------------- the post-calculation

def post_calculation(portfolio: Portfolio, *, valuation_year: int | None = None,
                     actuals: pd.DataFrame | None = None, evaluation=None,
                     min_count: int = MIN_CLASS_SIZE) -> PostCalculation:
    """Budget against actual for every finished project, and the reference class by type.

    Parameters
    ----------
    portfolio : Portfolio
        The validated workbook.
    valuation_year : int, optional
        ``V``; default the evaluation's, else the workbook's setting or the current year.
    actuals : DataFrame, optional
        Ledger actuals ``project_code, jaar, categorie, bedrag`` (signed); for years ``< V`` they
        replace the forecast of that project and year.
    evaluation : Evaluation, optional
        An evaluation of the same portfolio to reuse (its flows and actual interest); computed
        when not given.
    min_count : int
        Reference-class size below which all types are pooled.

    Returns
    -------
    PostCalculation
        See :data:`POSTCALC_COLUMNS`, :data:`CATEGORY_COLUMNS`, :data:`REFERENCE_COLUMNS` and the
        module notes for the decomposition of the variance.

    Examples
    --------
    See ``tests/test_postcalc.py`` for a project worked out by hand.
    """
    from igemo_fin.valuation.evaluate import evaluate

    ev = evaluation
    if ev is None:
        ev = evaluate(portfolio, valuation_year=valuation_year, actuals=actuals)
    V = ev.valuation_year
    projects = portfolio.projects
    finished = projects[projects["status"] == "afgerond"]
    codes = finished["project_code"].tolist()
    warnings: list[str] = []

    actual = ev.flows[ev.flows["project_code"].isin(codes)][["project_code", "jaar", "categorie", "bedrag"]]
    budget = yearly_flows(portfolio.cashflows, V, version="begroting")
    budget = budget[budget["project_code"].isin(codes)][["project_code", "jaar", "categorie", "bedrag"]]

    with_budget = [c for c in codes if c in set(budget["project_code"])]
    interest_budget = dict(zip(with_budget, _interest_totals(budget, with_budget, portfolio.credit)))
    shifted = _shifted_flows(budget, actual[actual["project_code"].isin(with_budget)])
    interest_shifted = dict(zip(with_budget, _interest_totals(shifted, with_budget, portfolio.credit)))
    irr_budget = {}
    if with_budget:
        fm_b = flow_matrix(budget, with_budget)
        irr_budget = dict(zip(with_budget, irr_rows(fm_b.net, fm_b.first, fm_b.last)))
    figures = ev.figures.set_index("project_code")

    cat_b = _cents_by(budget, ["project_code", "categorie"])
    cat_a = _cents_by(actual, ["project_code", "categorie"])
    categories, rows = [], []
    for f in finished.to_dict("records"):
        code = f["project_code"]
        has_budget = code in interest_budget
        b_fl = budget[budget["project_code"] == code]
        a_fl = actual[actual["project_code"] == code]
        if not has_budget:
            warnings.append(f"Afgerond project {code} heeft geen begroting: geen nacalculatie van de afwijking.")
        if a_fl.empty:
            warnings.append(f"Afgerond project {code} heeft geen werkelijke kasstromen (prognose of grootboek).")
        sums = {"b_cost": 0, "a_cost": 0, "b_rev": 0, "a_rev": 0}
        for category in COST_CATEGORIES + REVENUE_CATEGORIES:
            b_c = int(cat_b.get((code, category), 0))
            a_c = int(cat_a.get((code, category), 0))
            if (code, category) not in cat_b.index and (code, category) not in cat_a.index:
                continue
            is_cost = category in COST_CATEGORIES
            b_mag, a_mag = (-b_c, -a_c) if is_cost else (b_c, a_c)
            sums["b_cost" if is_cost else "b_rev"] += b_mag
            sums["a_cost" if is_cost else "a_rev"] += a_mag
            variance = a_mag - b_mag
            categories.append({
                "project_code": code, "categorie": category, "soort": "kost" if is_cost else "opbrengst",
                "budget": _eur(b_mag) if has_budget else math.nan, "actual": _eur(a_mag),
                "variance": _eur(variance) if has_budget else math.nan,
                "variance_pct": variance_pct(a_mag, b_mag) if has_budget else math.nan,
                "ratio": a_mag / b_mag if has_budget and b_mag != 0 else math.nan,
                "effect_on_result": _eur(-variance if is_cost else variance) if has_budget else math.nan,
            })
        i_a = to_cents(float(figures.loc[code, "interest_total"]))
        result_a = sums["a_rev"] - sums["a_cost"] - i_a
        pf, pl, ps = _span(b_fl)
        af, al, as_ = _span(a_fl)
        plan_year, act_year = _revenue_year(b_fl), _revenue_year(a_fl)
        row = {
            "project_code": code, "naam": f["naam"], "gemeente": f["gemeente"], "type": f["type"],
            "has_budget": has_budget,
            "planned_first_year": pf, "planned_last_year": pl, "planned_span_years": ps,
            "actual_first_year": af, "actual_last_year": al, "actual_span_years": as_,
            "span_change_years": as_ - ps,
            "planned_revenue_year": plan_year, "actual_revenue_year": act_year,
            "delay_years": act_year - plan_year,
            "costs_actual": _eur(sums["a_cost"]), "revenues_actual": _eur(sums["a_rev"]),
            "interest_actual": _eur(i_a), "result_actual": _eur(result_a),
            "irr_actual": float(figures.loc[code, "irr_full_life"]),
        }
        if has_budget:
            i_b = to_cents(float(interest_budget[code]))
            i_s = to_cents(float(interest_shifted[code]))
            result_b = sums["b_rev"] - sums["b_cost"] - i_b
            parts = {
                "variance_costs": -(sums["a_cost"] - sums["b_cost"]),
                "variance_revenues": sums["a_rev"] - sums["b_rev"],
                "variance_interest": -(i_a - i_s),
                "variance_timing": -(i_s - i_b),
            }
            assert sum(parts.values()) == result_a - result_b  # exact in integer cents
            row |= {
                "costs_budget": _eur(sums["b_cost"]), "revenues_budget": _eur(sums["b_rev"]),
                "interest_budget": _eur(i_b), "interest_shifted": _eur(i_s),
                "result_budget": _eur(result_b), "result_variance": _eur(result_a - result_b),
                **{k: _eur(v) for k, v in parts.items()},
                "irr_planned": float(irr_budget[code]),
                "cost_ratio": _ratio(sums["a_cost"], sums["b_cost"]),
                "revenue_ratio": _ratio(sums["a_rev"], sums["b_rev"]),
            }
        else:
            row["delay_years"] = math.nan
            row["span_change_years"] = math.nan
        rows.append(row)

    frame = pd.DataFrame(rows, columns=list(POSTCALC_COLUMNS))
    for column in POSTCALC_COLUMNS[5:]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["has_budget"] = frame["has_budget"].astype(bool)
    reference = reference_class(frame, min_count=min_count)
    return PostCalculation(V, frame, pd.DataFrame(categories, columns=list(CATEGORY_COLUMNS)), reference,
                           tuple(warnings))
