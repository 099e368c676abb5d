"""The orchestrator: one basis -> every figure and every verdict.

:func:`evaluate` composes the pure steps (flows -> interest -> metrics -> the Monte Carlo's chances
-> rules) and returns an :class:`Evaluation` that carries the :class:`~igemo_fin.valuation.basis.Basis`
it came from; the CLI, the pages and the board pack only render it, so they give one answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from igemo_fin.valuation.cashflow import FlowMatrix, flows_and_matrix
from igemo_fin.valuation.rule_table import judge
from igemo_fin.valuation.rules import VERDICTS
from igemo_fin.valuation.interest import InterestResult, project_interest
from igemo_fin.valuation.metrics import discount_factors, irr_rows
from igemo_fin.valuation.text_arrays import str_array
from igemo_fin.valuation.basis import Basis
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.thresholds import Thresholds

__all__ = ["Evaluation", "evaluate", "evaluate_sharing_draws", "simulation_of", "resolve_discount_rate", "FIGURE_COLUMNS", "YEARLY_COLUMNS", "CREDIT_YEAR_COLUMNS"]

#: Columns of :attr:`Evaluation.figures` (one row per project, workbook order).
FIGURE_COLUMNS = (
    "project_code", "naam", "gemeente", "type", "status", "startjaar", "eindjaar", "bestemming_zeker",
    "marktwaarde_huidige_staat", "first_year", "last_year",
    "npv_forward",        # [EUR] future flows discounted mid-year to 1 January V
    "irr_full_life",      # [fraction] NaN when undefined
    "result_nominal",     # [EUR] all flows minus all interest
    "margin_pct",         # [%] result / (costs + interest)
    "interest_total", "interest_past", "interest_future",  # [EUR]
    "book_value",         # [EUR] BV at 1 January V
    "peak_book_value",    # [EUR] largest BV over the life, closing value included
    "closing_book_value",  # [EUR] BV after the last year (negative: profit)
    "total_costs", "total_revenues", "costs_past", "revenues_past",  # [EUR] positive magnitudes
    "future_net_inflow",  # [EUR] sum of CF for years >= V
    "prob_loss",          # [fraction] Monte Carlo: chance that npv_forward < 0; NaN when not simulated
    "prob_below_stop",    # [fraction] Monte Carlo: chance that npv_forward < stop_npv_onder; NaN likewise
    "valuation_year", "verdict",
)

#: Columns of :attr:`Evaluation.yearly` (one row per project and year of its span).
YEARLY_COLUMNS = ("project_code", "jaar", "costs", "revenues", "net_flow", "book_value_start", "interest",
                  "interest_actual", "book_value_end", "is_past", "source")

#: Columns of :attr:`Evaluation.credit` (one row per year of the grid or the credit table).
CREDIT_YEAR_COLUMNS = ("jaar", "rentevoet_pct", "kredietlimiet", "drawn_end", "interest", "interest_actual",
                       "rente_werkelijk", "unallocated_interest", "is_past")


@dataclass(frozen=True)
class Evaluation:
    """Everything :func:`evaluate` computes, with the basis it was computed from."""

    basis: Basis = field(repr=False)
    valuation_year: int
    discount_rate_pct: float
    thresholds: Thresholds  #: with the discount rate resolved
    figures: pd.DataFrame  #: :data:`FIGURE_COLUMNS`
    rules: pd.DataFrame  #: :data:`~igemo_fin.valuation.rules.RULE_COLUMNS`
    yearly: pd.DataFrame  #: :data:`YEARLY_COLUMNS`
    flows: pd.DataFrame  #: the valued flows by category: ``project_code, jaar, categorie, bedrag, bron``
    credit: pd.DataFrame  #: :data:`CREDIT_YEAR_COLUMNS`
    matrix: FlowMatrix = field(repr=False)
    interest: InterestResult = field(repr=False)
    rates_pct: np.ndarray = field(repr=False)  #: the rate of each grid year used [%]
    warnings: tuple[str, ...] = ()
    rate_shift_bp: float = 0.0  #: the rate stress applied to the years >= V [basis points]
    simulation: object | None = field(default=None, repr=False)
    """The :class:`~igemo_fin.risk.montecarlo.Simulation` behind ``prob_loss``/``prob_below_stop``, or
    None when the basis has the simulation off (or the portfolio has no project)."""

    def forecast_years(self) -> np.ndarray:
        """``V .. the last year with a forecast flow`` (just ``V`` when nothing is forecast from ``V`` on):
        the years of the multi-year outlook, whose credit the simulation keeps per iteration."""
        V = self.valuation_year
        future = self.flows.loc[self.flows["jaar"] >= V, "jaar"]
        last = int(future.max()) if not future.empty else V
        return np.arange(V, last + 1, dtype=np.int64)

    def portfolio_totals(self) -> dict:
        """Portfolio-level totals for the board's tiles and the CLI's ``portfolio`` object."""
        f, V = self.figures, self.valuation_year
        active = f[f["status"] == "actief"]
        counts = {v: int((active["verdict"] == v).sum()) for v in VERDICTS}
        by_year = self.credit.set_index("jaar")["interest"]
        drawn_now = float(np.clip(active["book_value"], 0, None).sum())
        limit = self.credit.loc[self.credit["jaar"] == V, "kredietlimiet"]
        return {
            "project_count": int(len(f)),
            "active_count": int(len(active)),
            "verdict_counts": counts,
            "npv_forward_active": float(active["npv_forward"].sum()),
            "book_value_total": float(f["book_value"].sum()),
            "book_value_active": float(active["book_value"].sum()),
            "credit_drawn": drawn_now,
            "credit_limit": None if limit.empty or pd.isna(limit.iloc[0]) else float(limit.iloc[0]),
            "result_nominal_total": float(f["result_nominal"].sum()),
            "result_nominal_active": float(active["result_nominal"].sum()),
            "interest_total": float(f["interest_total"].sum()),
            "interest_future": float(f["interest_future"].sum()),
            "interest_this_year": float(by_year.get(V, 0.0)),
            "interest_next_year": float(by_year.get(V + 1, 0.0)),
            "interest_by_year": {str(int(y)): float(v) for y, v in by_year.items() if v != 0},
            "unallocated_interest": float(self.credit["unallocated_interest"].sum()),
        }


def resolve_discount_rate(portfolio: Portfolio, valuation_year: int, thresholds: Thresholds,
                          rate_shift_bp: float = 0.0) -> tuple[float, list[str]]:
    """The discount rate [%]: the threshold, or by default the cash-credit rate of year V."""
    if thresholds.disconteringsvoet_pct is not None:
        return float(thresholds.disconteringsvoet_pct), []
    at = np.flatnonzero(portfolio.credit["jaar"].to_numpy() == valuation_year)
    if at.size == 1:  # the usual case, without building an index
        return float(portfolio.credit["rentevoet_pct"].iloc[at[0]]) + rate_shift_bp / 100.0, []
    rates = portfolio.rate_by_year()
    if valuation_year in rates.index:
        return float(rates.loc[valuation_year]) + rate_shift_bp / 100.0, []
    if rates.empty:
        raise ValueError("het kaskrediet heeft geen enkele rentevoet")
    nearest = int(min(rates.index, key=lambda y: (abs(y - valuation_year), -y)))
    return float(rates.loc[nearest]) + rate_shift_bp / 100.0, [
        f"Het kaskrediet geeft geen rentevoet voor het waarderingsjaar {valuation_year}; de disconteringsvoet "
        f"gebruikt die van {nearest}."]


def evaluate(basis: Basis | Portfolio, **basis_fields) -> Evaluation:
    """Value every project and apply the decision framework, on one basis.

    Parameters
    ----------
    basis : Basis or Portfolio
        Everything the figures depend on. A :class:`~igemo_fin.valuation.portfolio.Portfolio` is
        shorthand for ``Basis.of(portfolio, **basis_fields)``: its workbook's valuation year,
        thresholds and simulation settings unless given (``valuation_year``, ``thresholds``,
        ``actuals``, ``rate_shift_bp``, ``simulation``, ...).

    Notes
    -----
    With the simulation on (the default: 10,000 iterations, a fixed seed), the Monte Carlo over the
    risk register gives each project ``prob_loss`` (``npv_forward < 0``) and ``prob_below_stop``
    (``npv_forward < stop_npv_onder``), which the two chance rules test. With it off
    (``SimulationSettings(iterations=0)``) those rules report "niet beoordeeld".
    """
    if not isinstance(basis, Basis):
        basis = Basis.of(basis, **basis_fields)
    elif basis_fields:
        raise TypeError("evaluate(basis) takes no other arguments: change the basis instead")
    ev = _value(basis)
    return _judge(ev, simulation_of(ev))


def evaluate_sharing_draws(basis: Basis, draws) -> Evaluation:
    """``evaluate(basis)``, its Monte Carlo taking its random numbers from ``draws``
    (:class:`~igemo_fin.risk.draws.DrawCache`) when an earlier run drew the same ones: the same figures,
    drawn once for a set of bases that differ only in what the draws act on (the stress scenarios)."""
    ev = _value(basis)
    return _judge(ev, simulation_of(ev, draws=draws))


def simulation_of(ev: Evaluation, **options):
    """The Monte Carlo of the evaluation's basis (its settings: iterations, seed, reference class, rate
    spread), or None when the basis has it off or there is no project. ``options`` go to
    :func:`~igemo_fin.risk.montecarlo.simulate`; the same basis gives the same draws, so every figure
    the two runs share is the same.

    The run keeps the credit drawn in each of the :meth:`Evaluation.forecast_years` (``path_years``,
    a few MB), so the outlook's bands read the evaluation's own simulation instead of running a second one."""
    basis = ev.basis
    if not basis.simulation.enabled or ev.figures.empty:
        return None
    options.setdefault("path_years", ev.forecast_years().size)
    from igemo_fin.risk.montecarlo import simulate  # the risk package builds on this module

    reference = None
    if basis.simulation.reference_class:
        from igemo_fin.postcalc.calculation import post_calculation

        reference = post_calculation(basis.portfolio, evaluation=ev).projects
    return simulate(basis.portfolio, ev, iterations=basis.simulation.iterations, seed=basis.simulation.seed,
                    reference=reference, rate_spread_bp=basis.simulation.rate_spread_bp, **options)


def _judge(ev: Evaluation, simulation) -> Evaluation:
    """The verdicts of ``ev``'s active projects, with the chances of ``simulation`` when there is one.
    ``ev`` comes straight from :func:`_value`: its figures frame is this call's own to complete."""
    figures = ev.figures
    if simulation is not None:
        npv = simulation.npv_forward
        codes = pd.Index(simulation.codes)
        prob_loss = pd.Series((npv < 0).mean(axis=0), index=codes)
        prob_below_stop = pd.Series((npv < ev.thresholds.stop_npv_onder).mean(axis=0), index=codes)
        figures["prob_loss"] = figures["project_code"].map(prob_loss).astype(float)
        figures["prob_below_stop"] = figures["project_code"].map(prob_below_stop).astype(float)
    rules, verdict = judge(figures, ev.thresholds)
    figures["verdict"] = pd.Series(verdict, index=figures.index, dtype=object)  # None where not active
    if tuple(figures.columns) != FIGURE_COLUMNS:
        figures = figures[list(FIGURE_COLUMNS)]
    return replace(ev, figures=figures, rules=rules, simulation=simulation)


def _value(basis: Basis) -> Evaluation:
    """Every figure of the basis, before the rules (``verdict`` empty, no chances, ``rules`` None)."""
    portfolio, V = basis.portfolio, basis.valuation_year
    rate_shift_bp, actuals = basis.rate_shift_bp, basis.actuals
    rate, warnings = resolve_discount_rate(portfolio, V, basis.thresholds, rate_shift_bp)
    resolved = replace(basis.thresholds, disconteringsvoet_pct=rate)

    projects = portfolio.projects
    code_texts = projects["project_code"].array
    codes = code_texts.tolist()
    flows, fm = flows_and_matrix(portfolio.cashflows, V, codes, actuals=actuals)
    years = fm.years
    rates = _on_grid(portfolio.credit, "rentevoet_pct", years)
    rates = rates + np.where(years >= V, rate_shift_bp / 100.0, 0.0)
    actual = _on_grid(portfolio.credit, "rente_werkelijk", years)
    ir = project_interest(fm, rates, actual_interest=actual, valuation_year=V)
    ignored = [int(y) for y in years[(years >= V) & ~np.isnan(actual)]]
    if ignored:
        warnings.append(f"De betaalde rente (rente_werkelijk) van {', '.join(map(str, ignored))} is niet gebruikt: "
                        f"vanaf het waarderingsjaar {V} berekent het model de rente.")

    future = years >= V
    n_y = years.size
    v_col = int(np.clip(V - years[0], 0, n_y)) if n_y else 0
    if n_y and V < years[0]:
        book_value_now = np.zeros(len(codes))
    else:
        book_value_now = ir.book_value[:, v_col] if n_y else np.zeros(len(codes))
    interest_total = ir.interest.sum(axis=1)
    interest_future = ir.interest[:, future].sum(axis=1)
    total_costs = fm.costs.sum(axis=1)
    result = fm.net.sum(axis=1) - interest_total
    denominator = total_costs + interest_total
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = np.where(denominator > 0, 100.0 * result / denominator, np.nan)
    has = fm.has_span()
    figures = pd.DataFrame({
        "project_code": code_texts,
        "naam": projects["naam"].array,
        "gemeente": projects["gemeente"].array,
        "type": projects["type"].array,
        "status": projects["status"].array,
        "startjaar": projects["startjaar"].array,
        "eindjaar": projects["eindjaar"].array,
        "bestemming_zeker": projects["bestemming_zeker"].array,
        "marktwaarde_huidige_staat": projects["marktwaarde_huidige_staat"].array,
        "first_year": np.where(has, years[np.maximum(fm.first, 0)] if n_y else 0, -1),
        "last_year": np.where(has, years[np.maximum(fm.last, 0)] if n_y else 0, -1),
        "npv_forward": fm.net @ discount_factors(years, V, rate),
        "irr_full_life": irr_rows(fm.net, fm.first, fm.last),
        "result_nominal": result,
        "margin_pct": margin,
        "interest_total": interest_total,
        "interest_past": interest_total - interest_future,
        "interest_future": interest_future,
        "book_value": book_value_now,
        "peak_book_value": ir.book_value.max(axis=1) if n_y else np.zeros(len(codes)),
        "closing_book_value": ir.book_value[:, -1],
        "total_costs": total_costs,
        "total_revenues": fm.revenues.sum(axis=1),
        "costs_past": fm.costs[:, ~future].sum(axis=1),
        "revenues_past": fm.revenues[:, ~future].sum(axis=1),
        "future_net_inflow": fm.net[:, future].sum(axis=1),
        "prob_loss": np.full(len(codes), np.nan),
        "prob_below_stop": np.full(len(codes), np.nan),
        "valuation_year": np.full(len(codes), V, dtype=np.int64),
        "verdict": np.full(len(codes), None, dtype=object),
    })

    return Evaluation(
        basis=basis,
        valuation_year=V,
        discount_rate_pct=rate,
        thresholds=resolved,
        figures=figures,
        rules=None,  # the rules need the simulation's chances, and the simulation these figures: see _judge
        yearly=_yearly_frame(fm, ir, flows, V, code_texts),
        flows=flows,
        credit=_credit_frame(portfolio.credit, fm, ir, rates, V),
        matrix=fm,
        interest=ir,
        rates_pct=rates,
        warnings=tuple(portfolio.warnings) + tuple(warnings),
        rate_shift_bp=float(rate_shift_bp),
    )


def _on_grid(credit: pd.DataFrame, column: str, years: np.ndarray) -> np.ndarray:
    """A column of the credit table on the grid's years, NaN for a year the table lacks."""
    out = np.full(years.size, np.nan)
    if years.size:
        at = credit["jaar"].to_numpy().astype(np.int64) - int(years[0])
        inside = (at >= 0) & (at < years.size)
        out[at[inside]] = credit[column].to_numpy(dtype=float, na_value=np.nan)[inside]
    return out


def _yearly_frame(fm: FlowMatrix, ir: InterestResult, flows: pd.DataFrame, V: int, code_texts) -> pd.DataFrame:
    """One row per project and year of its span; ``code_texts`` are ``fm.codes`` (as the projects
    frame holds them: converted once, not again from the list)."""
    rows, cols = fm.span_cells()
    n_y = fm.years.size
    # The source of each project-year: that of its first flow line, "geen kasstroom" without one.
    # Assigning in reverse makes the first line of a cell the one that stays.
    # Arrow's dictionary encoding numbers the sources in order of appearance, as pd.factorize would
    strings = pa.array(flows["bron"].array, type=pa.large_string())
    if isinstance(strings, pa.ChunkedArray):  # one dictionary for all the lines
        strings = strings.combine_chunks()
    if len(strings) and not strings.null_count and pc.all(pc.equal(strings, strings[0])).as_py():
        # the forecast alone (no actuals): one source, found without hashing every line
        source, labels = np.zeros(len(strings), dtype=np.int64), [strings[0].as_py()]
    else:
        encoded = pc.dictionary_encode(strings)
        source, labels = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64), encoded.dictionary.to_pylist()
    cell_source = np.zeros(len(fm.codes) * n_y, dtype=np.int64)
    known = fm.line_cells >= 0
    cell_source[fm.line_cells[known][::-1]] = source[known][::-1] + 1
    labels = str_array(pa.array(["geen kasstroom", *labels], type=pa.large_string()))
    codes = pd.array(code_texts, dtype="str")
    cells = rows * n_y + cols
    start = cells + rows  # the same cell in the book values, which have one column more
    years = fm.years[cols]
    return pd.DataFrame({
        "project_code": codes.take(rows),
        "jaar": years,
        "costs": fm.costs.ravel()[cells],
        "revenues": fm.revenues.ravel()[cells],
        "net_flow": fm.net.ravel()[cells],
        "book_value_start": ir.book_value.ravel()[start],
        "interest": ir.interest.ravel()[cells],
        "interest_actual": ir.from_actual[cols],
        "book_value_end": ir.book_value.ravel()[start + 1],
        "is_past": years < V,
        "source": labels.take(cell_source[cells]),
    }, copy=False)  # every column is new here: nothing to copy


def _credit_frame(credit: pd.DataFrame, fm: FlowMatrix, ir: InterestResult, rates: np.ndarray,
                  V: int) -> pd.DataFrame:
    """The credit table and the grid's yearly totals, on the union of their years."""
    table_years = credit["jaar"].to_numpy()
    years = np.union1d(table_years, fm.years).astype(table_years.dtype if len(credit) else np.int64)
    at_table, at_grid = np.searchsorted(years, table_years), np.searchsorted(years, fm.years)

    def table(column: str) -> np.ndarray:
        values = credit[column].to_numpy()
        if at_table.size == years.size:  # every year in the table: its values (and dtype) as they are
            return values[np.argsort(at_table, kind="stable")]
        out = np.full(years.size, np.nan)
        out[at_table] = values
        return out

    def grid(values: np.ndarray, empty) -> np.ndarray:
        out = np.full(years.size, empty, dtype=np.asarray(values).dtype)
        out[at_grid] = values
        return out

    used = grid(rates.astype(float), np.nan)
    # Only running projects draw: a finished project's remaining value is its final result.
    drawn = np.where(fm.in_span(), np.clip(ir.book_value[:, 1:], 0, None), 0.0).sum(axis=0)
    return pd.DataFrame({
        "jaar": years,
        "rentevoet_pct": np.where(np.isnan(used), table("rentevoet_pct"), used),
        "kredietlimiet": table("kredietlimiet"),
        "drawn_end": grid(drawn, 0.0),
        "interest": grid(ir.interest.sum(axis=0), 0.0),
        "interest_actual": grid(ir.from_actual.astype(bool), False),
        "rente_werkelijk": table("rente_werkelijk"),
        "unallocated_interest": grid(ir.unallocated.astype(float), 0.0),
        "is_past": years < V,
    }, copy=False)  # every column is new here: nothing to copy
