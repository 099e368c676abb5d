"""Risk: Monte Carlo over the risk register, stress scenarios and the tornado per project.

DOMAIN.md, "Risk register": each risk happens, independently of the others, with probability
``kans_pct``; when it happens its impact is drawn from a triangular distribution (``min``,
``waarschijnlijk``, ``max``; all three equal is a fixed impact). The effects act on each project's
future flows (years ``>= V``) by category:

* ``kosten_pct``: every future cost times ``1 + x/100``;
* ``prijs_pct``: every future ``verkoop`` (sales only) times ``1 - x/100``;
* ``vertraging_jaren``: every future revenue (all revenue categories) ``d`` years later, a flow of
  year ``y`` split ``1 - frac(d)`` to ``y + floor(d)`` and ``frac(d)`` to ``y + floor(d) + 1``
  (:func:`delay_flows`; the year grid grows as needed, nothing is lost);
* ``eenmalig_eur``: a one-off cost in year ``V``.

Several risks of one kind that happen together add up (percentages add, delays add, one-offs add).

Notes
-----
**Per iteration** the engine rebuilds the project's future flows and recomputes

* ``npv_forward`` (mid-year discounting at the evaluation's discount rate, as
  :func:`~igemo_fin.valuation.metrics.npv_forward`), and
* the projected full-life ``result_nominal``: the result of the past (flows and interest before
  ``V``, carried in the book value ``BV[V]``) plus the future flows minus the future interest,
  recomputed with the cash-credit model (DOMAIN.md "Interest (projected)") over the project's
  span, which a delay lengthens. Rates beyond the credit table repeat its last year.

**Per project**: ``prob_loss`` = share of iterations with ``npv_forward < 0``;
``npv_p10/p50/p90`` = percentiles of ``npv_forward`` (numpy's linear interpolation);
``expected_shortfall`` = **the mean npv_forward over the worst 10 % of iterations** (the
``ceil(0.1 N)`` lowest), signed like ``npv_forward``: below zero is a loss.

**Portfolio loss** (what the risk-capacity ratio compares with equity): per iteration and project
the loss ``L = max(0, -result_nominal)`` of the projected *full-life nominal result* (DOMAIN.md,
"Risk sharing": the agreements share the loss of the project's result, and a loss on the result is
what is written down against equity; ``npv_forward`` ignores sunk costs and would miss losses
already built into the book value). ``L`` is split with :func:`~igemo_fin.obligations.sharing.split_loss`
(``risicodeling_*``); IGEMO's shares are summed over the open projects (status ``actief`` and
``stopgezet``; finished projects are settled). ``loss_p90`` is the 90th percentile of that sum
over the iterations; ``risk_capacity_ratio = eigen_vermogen / loss_p90`` (infinite when
``loss_p90 = 0``), read with :data:`GRADES`. The loss is the whole loss of the result, including a
loss the forecast already expects (which the provisions may already have written down).

**Random numbers.** A :class:`numpy.random.Generator` per risk, seeded from
``SeedSequence(seed, spawn_key=(0, row of the risk in the register))``: the draws of one risk do
not depend on the others, on the chunking or on the number of projects, and the first ``n``
iterations of a longer run are those of a run of ``n``. Whether a risk happens
and its impact come from two uniforms ``U1 < kans_pct / 100`` and ``triangular_ppf(U2)``, drawn for
every iteration whether or not the risk happens; with the same seed a higher ``kans_pct`` only
adds happenings (common random numbers), so ``prob_loss`` never falls when an adverse risk
becomes more likely.

**Reference-class uncertainty** (optional, ``reference=``): for each active project, per
iteration, one finished project of its reference class (:func:`~igemo_fin.postcalc.calculation.reference_pool`:
same type, or all types when fewer than 3) is drawn with replacement (a bootstrap, which keeps
the observed link between overrun, revenue shortfall and delay and assumes no distribution shape);
its ``cost_ratio`` multiplies the future costs, its ``revenue_ratio`` the future revenues and its
``delay_years`` adds to the delay (a total delay below 0 counts as 0). Draws are independent
across projects.

**Rate spread** (optional, ``rate_spread_bp=s``): per iteration one parallel shift of all future
cash-credit rates, normal with mean 0 and standard deviation ``s`` basis points; the discount rate
moves with it when it is the default (the credit rate of ``V``), as in ``evaluate(rate_shift_bp=)``.

**Vectorised**: iterations x projects x years in numpy arrays, in chunks of iterations (about
64 MB per array); Python loops run only over risks, distinct whole-year delays and years.
"""

from __future__ import annotations

import calendar
import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from igemo_fin.columns import COST_CATEGORIES, REVENUE_CATEGORIES
from igemo_fin.valuation.rules import VERDICTS
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.obligations.sharing import loss_of, sharing_terms, split_loss

__all__ = [
    "Simulation", "simulate", "SIM_PROJECT_COLUMNS", "DEFAULT_ITERATIONS", "DEFAULT_SEED",
    "triangular_ppf", "delay_flows", "GRADES", "risk_capacity_grade",
    "SCENARIOS", "ScenarioResult", "run_scenarios", "scenarios", "stress_portfolio",
    "SCENARIO_COLUMNS", "SCENARIO_PROJECT_COLUMNS",
    "tornado", "TORNADO_COLUMNS", "reevaluate", "OPEN_STATUSES", "reference_uplift", "UPLIFT_COLUMNS",
]

DEFAULT_ITERATIONS = 10_000
DEFAULT_SEED = 0
#: Projects whose loss counts in the portfolio's loss distribution.
OPEN_STATUSES = ("actief", "stopgezet")
_STREAM_RISK, _STREAM_REFERENCE, _STREAM_RATE = 0, 1, 2
_CHUNK_BYTES = 2 * 2 ** 20  # per flow array of a chunk: small enough to stay in the L2 cache
_NO_SPAN = 1 << 30
_RATE_HORIZON = 100  # years beyond the last future flow for which the credit table is looked up

#: The reading of the risk-capacity ratio (weerstandsvermogen): (grade, lower bound, Dutch word).
#: A ratio takes the first row whose lower bound it reaches.
GRADES = (
    ("A", 2.0, "uitstekend"),
    ("B", 1.4, "ruim voldoende"),
    ("C", 1.0, "voldoende"),
    ("D", 0.8, "matig"),
    ("E", 0.6, "onvoldoende"),
    ("F", -math.inf, "ruim onvoldoende"),
)

#: Columns of :attr:`Simulation.projects`: one row per project (workbook order).
SIM_PROJECT_COLUMNS = (
    "project_code", "status", "type",
    "risk_count",            # rows in the risk register
    "npv_forward_base",      # [EUR] no risk happening: the evaluation's npv_forward
    "npv_mean",              # [EUR]
    "prob_loss",             # [fraction] share of iterations with npv_forward < 0
    "npv_p10", "npv_p50", "npv_p90",  # [EUR] percentiles of npv_forward
    "expected_shortfall",    # [EUR] mean npv_forward over the worst 10 % of iterations
    "result_base",           # [EUR] no risk happening: the evaluation's result_nominal
    "result_mean", "result_p10", "result_p50", "result_p90",  # [EUR] projected full-life result
    "prob_result_loss",      # [fraction] share of iterations with result_nominal < 0
    "loss_igemo_mean", "loss_igemo_p90",  # [EUR] IGEMO's share of max(0, -result) after sharing
)


# --------------------------------------------------------------------------- building blocks

def triangular_ppf(u, low, mode, high) -> np.ndarray:
    """Inverse CDF of the triangular distribution: the impact for uniform ``u`` in [0, 1).

    Notes
    -----
    With ``a = low``, ``c = mode``, ``b = high`` and ``F_c = (c - a) / (b - a)``::

        x = a + sqrt(u (b - a)(c - a))          for u < F_c
        x = b - sqrt((1 - u)(b - a)(b - c))     otherwise

    ``a == b`` gives the fixed value ``a``. The mean is ``(a + b + c) / 3``. Being monotone in
    ``u``, it keeps common random numbers common when the parameters change.

    Examples
    --------
    >>> triangular_ppf(np.array([0.0, 0.5, 0.999999]), 0.0, 0.0, 10.0).round(3).tolist()
    [0.0, 2.929, 9.99]
    >>> float(triangular_ppf(0.3, 5.0, 5.0, 5.0))
    5.0
    """
    u = np.asarray(u, dtype=float)
    a, c, b = float(low), float(mode), float(high)
    if not a <= c <= b:
        raise ValueError(f"verwacht min <= waarschijnlijk <= max, gekregen {a:g} / {c:g} / {b:g}")
    width = b - a
    if width == 0:
        return np.full(u.shape, a)
    fc = (c - a) / width
    left = a + np.sqrt(u * width * (c - a))
    right = b - np.sqrt((1.0 - u) * width * (b - c))
    return np.where(u < fc, left, right)


def _delay_weights(delay: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """The split of each delay as weights per whole-year offset: ``[(o, W_o), ...]``.

    ``W_o[m] = 1 - frac(d_m)`` where ``floor(d_m) == o``, plus ``frac(d_m)`` where
    ``floor(d_m) == o - 1``; for every column the weights add up to 1 (nothing is lost).
    The offsets are the distinct whole-year parts of the delays: a handful.
    """
    whole = np.floor(delay).astype(np.int64)
    frac = delay - whole
    weights: dict[int, np.ndarray] = {}
    for o in np.unique(whole).tolist():
        selected = whole == o
        weights[o] = weights.get(o, 0.0) + np.where(selected, 1.0 - frac, 0.0)
        if frac[selected].any():
            weights[o + 1] = weights.get(o + 1, 0.0) + np.where(selected, frac, 0.0)
    return sorted(weights.items())


def _sparse(weight: np.ndarray) -> np.ndarray | None:
    """The columns to touch when few are (fancy indexing beats a dense pass below ~1/8)."""
    count = int(np.count_nonzero(weight))
    if count == 0:
        return np.empty(0, dtype=np.int64)
    return np.flatnonzero(weight) if count * 8 < weight.size else None


def _delay_into(out: np.ndarray, src: np.ndarray, delay: np.ndarray) -> None:
    """Add ``src`` (years x M) delayed by ``delay`` (M,) into ``out`` (years' x M), in place.

    A flow of row ``y`` goes ``1 - frac(d)`` to ``y + floor(d)`` and ``frac(d)`` to ``y + floor(d) + 1``.
    """
    n_src = src.shape[0]
    if not delay.any():
        out[:n_src] += src
        return
    for o, weight in _delay_weights(delay):
        cols = _sparse(weight)
        if cols is None:
            out[o:o + n_src] += src * weight
        elif cols.size:
            out[o:o + n_src, cols] += src[:, cols] * weight[cols]


def delay_flows(flows, delay) -> np.ndarray:
    """Move yearly flows ``delay`` years later, split between the two whole years around it.

    Parameters
    ----------
    flows : array_like (..., years)
        Flows on a yearly grid (the last axis).
    delay : array_like (...) or scalar
        Delay per row [year], ``>= 0``; broadcast against ``flows.shape[:-1]``.

    Returns
    -------
    ndarray (..., years + ceil(max delay))
        The delayed flows; every row keeps its total (nothing falls off the grid).

    Examples
    --------
    1,000 in the first year delayed 1.25 years: 750 in the second year, 250 in the third.

    >>> delay_flows(np.array([1000.0, 0.0]), 1.25).tolist()
    [0.0, 750.0, 250.0, 0.0]
    """
    flows = np.asarray(flows, dtype=float)
    lead = flows.shape[:-1]
    delay = np.broadcast_to(np.asarray(delay, dtype=float), lead)
    if np.any(delay < 0) or not np.all(np.isfinite(delay)):
        raise ValueError("een vertraging moet een eindig getal >= 0 zijn")
    n_years = flows.shape[-1]
    extra = int(np.ceil(delay.max())) if delay.size else 0
    src = flows.reshape(-1, n_years).T
    out = np.zeros((n_years + extra, src.shape[1]))
    _delay_into(out, src, delay.reshape(-1))
    return out.T.reshape(lead + (n_years + extra,))


def risk_capacity_grade(ratio: float | None) -> tuple[str | None, str | None]:
    """The grade and Dutch reading of a risk-capacity ratio (:data:`GRADES`).

    >>> risk_capacity_grade(1.4), risk_capacity_grade(0.59), risk_capacity_grade(math.inf)
    (('B', 'ruim voldoende'), ('F', 'ruim onvoldoende'), ('A', 'uitstekend'))
    """
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return None, None
    for grade, lower, word in GRADES:
        if ratio >= lower:
            return grade, word
    return GRADES[-1][0], GRADES[-1][2]


# --------------------------------------------------------------------------- the model

@dataclass(frozen=True)
class _Model:
    """The future of each project as the kernel needs it (future grid ``j = year - V``)."""

    codes: list[str]
    V: int
    costs: np.ndarray   # (P, Yf) positive magnitudes
    sales: np.ndarray   # (P, Yf) verkoop
    other: np.ndarray   # (P, Yf) subsidies + overige_opbrengsten
    last: np.ndarray    # (P,) span end, relative to V (< 0: ended before V); -_NO_SPAN without span
    rev_last: np.ndarray  # (P,) last future index with a revenue; -1 when none
    book_value: np.ndarray  # (P,) BV at 1 January V
    base_rates: np.ndarray  # rate per future year [%] (the evaluation's, then the credit table's)
    tail_rate: float    # [%] the rate for years beyond base_rates
    discount_rate_pct: float

    def rates(self, n_years: int) -> np.ndarray:
        if n_years <= self.base_rates.size:
            return self.base_rates[:n_years]
        return np.concatenate([self.base_rates, np.full(n_years - self.base_rates.size, self.tail_rate)])

    def subset(self, rows: list[int]) -> "_Model":
        return replace(self, codes=[self.codes[i] for i in rows], costs=self.costs[rows], sales=self.sales[rows],
                       other=self.other[rows], last=self.last[rows],
                       rev_last=self.rev_last[rows], book_value=self.book_value[rows])


def _future_rates(portfolio: Portfolio, ev, n_years: int) -> tuple[np.ndarray, float]:
    """The rate of each future year as the evaluation used it; beyond the grid the credit table
    (its last year repeated), plus the stress the evaluation applied."""
    V = ev.valuation_year
    table = portfolio.rate_by_year().sort_index()
    grid = pd.Series(ev.rates_pct, index=ev.matrix.years)
    years = np.arange(V, V + n_years)
    shift = 0.0
    common = [y for y in grid.index if y >= V and y in table.index and np.isfinite(grid[y])]
    if common:
        shift = float(grid[common[0]] - table[common[0]])
    last_rate = float(table.iloc[-1]) if not table.empty else 0.0
    rates = []
    for y in years:
        if y in grid.index and np.isfinite(grid[y]):
            rates.append(float(grid[y]))
        elif y in table.index:
            rates.append(float(table[y]) + shift)
        elif not table.empty and y < table.index[0]:
            rates.append(float(table.iloc[0]) + shift)
        else:
            rates.append(last_rate + shift)
    return np.array(rates, dtype=float), last_rate + shift


def _build_model(portfolio: Portfolio, ev) -> _Model:
    V = ev.valuation_year
    codes = list(ev.matrix.codes)
    position = {c: i for i, c in enumerate(codes)}
    future = ev.flows[ev.flows["jaar"] >= V]
    n_f = max(1, int(future["jaar"].max()) - V + 1) if not future.empty else 1
    P = len(codes)
    costs, sales, other = np.zeros((P, n_f)), np.zeros((P, n_f)), np.zeros((P, n_f))
    if not future.empty:
        rows = future["project_code"].map(position).to_numpy(dtype=np.int64)
        cols = future["jaar"].to_numpy(dtype=np.int64) - V
        amount = future["bedrag"].to_numpy(dtype=float)
        category = future["categorie"]
        is_cost = category.isin(COST_CATEGORIES).to_numpy()
        is_sale = (category == "verkoop").to_numpy()
        is_other = category.isin(REVENUE_CATEGORIES).to_numpy() & ~is_sale
        np.add.at(costs, (rows[is_cost], cols[is_cost]), -amount[is_cost])
        np.add.at(sales, (rows[is_sale], cols[is_sale]), amount[is_sale])
        np.add.at(other, (rows[is_other], cols[is_other]), amount[is_other])
    fm = ev.matrix
    has = fm.first >= 0
    years = fm.years
    last = np.where(has, years[np.maximum(fm.last, 0)] - V if years.size else 0, -_NO_SPAN)
    revenue = (sales != 0) | (other != 0)
    rev_last = np.where(revenue.any(axis=1), n_f - 1 - np.argmax(revenue[:, ::-1], axis=1), -1)
    bv = ev.figures.set_index("project_code")["book_value"].reindex(codes).to_numpy(dtype=float)
    rates, tail = _future_rates(portfolio, ev, n_f + _RATE_HORIZON)
    return _Model(codes, V, costs, sales, other, last.astype(np.int64),
                  rev_last.astype(np.int64), bv, rates, tail, float(ev.discount_rate_pct))


def _discount_follows_credit(portfolio: Portfolio, ev) -> bool:
    """True when the evaluation's discount rate is the default (the credit rate of V)."""
    return portfolio.thresholds.disconteringsvoet_pct is None and _base_thresholds(
        portfolio, ev).disconteringsvoet_pct is None


def _add_revenue(cf: np.ndarray, sales: np.ndarray, sales_factor: np.ndarray, other: np.ndarray | None,
                 other_factor: np.ndarray, delay: np.ndarray) -> None:
    """Add the future revenues, scaled and delayed, into ``cf`` (Y x B x P), in place.

    ``sales``, ``other`` (Yf x P); the factors and ``delay`` (B x P). The revenue of each
    (iteration, project) is never built in full: per delay offset the scaled flows are added
    directly (:func:`_delay_weights`), densely or, for the few columns an offset touches, by index.
    """
    Y, B, P = cf.shape
    n_f = sales.shape[0]
    flat = cf.reshape(Y, B * P)
    buffer = None
    for o, weight in _delay_weights(delay.reshape(-1)) if delay.any() else [(0, None)]:
        ws = sales_factor if weight is None else sales_factor * weight.reshape(B, P)
        wo = None if other is None else (other_factor if weight is None else other_factor * weight.reshape(B, P))
        cols = None if weight is None else _sparse(weight)
        if cols is None:
            if buffer is None:
                buffer = np.empty((n_f, B, P), dtype=cf.dtype)
            np.multiply(sales[:, None, :], ws[None, :, :], out=buffer)
            cf[o:o + n_f] += buffer
            if wo is not None:
                np.multiply(other[:, None, :], wo[None, :, :], out=buffer)
                cf[o:o + n_f] += buffer
        elif cols.size:
            project = cols % P
            part = sales[:, project] * ws.reshape(-1)[cols]
            if wo is not None:
                part += other[:, project] * wo.reshape(-1)[cols]
            flat[o:o + n_f, cols] += part


def _run_batch(m: _Model, k, q, d, e, *, cost_ratio=None, revenue_ratio=None, rate_shift=None,
               discount_shift=None, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """The kernel: ``npv_forward`` and ``result_nominal`` (B x P) for a batch of effect draws.

    ``k, q, d, e`` (B x P): summed kosten_pct [%], prijs_pct [%], delay [year], one-off [EUR];
    ``cost_ratio``, ``revenue_ratio`` (B x P) multiply costs and revenues; ``rate_shift`` and
    ``discount_shift`` (B,) shift the future credit rates and the discount rate [%-points].
    """
    B, P = k.shape
    n_f = m.costs.shape[1]
    d = np.maximum(d, 0.0)
    max_delay = float(d.max()) if d.size else 0.0
    Y = n_f + int(math.ceil(max_delay))
    cost_factor = 1.0 + k / 100.0
    sales_factor = 1.0 - q / 100.0
    other_factor = np.ones((B, P))
    if cost_ratio is not None:
        cost_factor = cost_factor * cost_ratio
    if revenue_ratio is not None:
        sales_factor = sales_factor * revenue_ratio
        other_factor = revenue_ratio

    # half[j, b, p] = -CF / 2 of year V + j: minus half the future net flow, the term the interest
    # model needs (avg = BV - CF/2); years first, so each year is one contiguous slab.
    half = np.zeros((Y, B, P), dtype=dtype)
    np.multiply(m.costs.T[:, None, :], 0.5 * cost_factor[None, :, :], out=half[:n_f])
    half[0] += 0.5 * e
    _add_revenue(half, m.sales.T, -0.5 * sales_factor, m.other.T if m.other.any() else None,
                 -0.5 * other_factor, d)

    t = np.arange(Y) + 0.5
    base_r = m.discount_rate_pct / 100.0
    if discount_shift is None:
        factors = -2.0 * (1.0 + base_r) ** -t
        # einsum, not a BLAS product: no BLAS threads competing with the chunk threads.
        npv = np.einsum("y,ym->m", factors.astype(dtype), half.reshape(Y, B * P)).reshape(B, P)
    else:
        factors = -2.0 * (1.0 + base_r + discount_shift[None, :] / 100.0) ** -t[:, None]  # (Y, B)
        npv = np.einsum("ybp,yb->bp", half, factors.astype(dtype))

    # The cash-credit model over each (iteration, project) span: the loop runs over years only.
    # With h = -CF/2: avg = BV + h; I = rate * days/360 * max(avg, 0) within the span;
    # BV' = BV - CF + I = avg + h + I. Interest stops after the span's last year (a delay
    # lengthens it, a one-off in V reaches V). Before the span's first year nothing needs
    # masking: the book value is still 0 there and no flow falls in it, so max(avg, 0) is 0.
    whole = np.floor(d).astype(np.int64)
    last = np.maximum(m.last[None, :], np.where(m.rev_last[None, :] >= 0,
                                                 m.rev_last[None, :] + whole + (d > whole), -1))
    one_off = e != 0
    if one_off.any():
        last = np.where(one_off, np.maximum(last, 0), last)
    days = np.array([366.0 if calendar.isleap(m.V + j) else 365.0 for j in range(Y)]) / 360.0
    rate_factor = m.rates(Y) / 100.0 * days  # (Y,)
    if rate_shift is not None:
        rate_factor = rate_factor[:, None] + (rate_shift[None, :] / 100.0) * days[:, None]  # (Y, B)
    balance = np.broadcast_to(m.book_value[None, :], (B, P)).astype(np.float64)
    avg = np.empty((B, P))
    interest = np.empty((B, P))
    running = np.empty((B, P), dtype=bool)
    ends = int(last.min()) if last.size else 0  # every span still runs up to this year
    for j in range(min(Y, int(last.max()) + 1) if last.size else 0):
        h = half[j]
        np.add(balance, h, out=avg)
        np.maximum(avg, 0.0, out=interest)
        interest *= (rate_factor[j] if rate_shift is None else rate_factor[j][:, None])
        if j > ends:
            np.greater_equal(last, j, out=running)
            interest *= running
        np.add(avg, h, out=balance)
        balance += interest
    # Years after the loop's end hold no flow and no interest: the balance is final.
    return npv.astype(np.float64), -balance


def _workers() -> int:
    """Threads for the chunks: the cores not already busy (1-minute load average, this process
    counted as one), at most 4. On a shared, loaded machine a second thread only contends."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        busy = int(os.getloadavg()[0])
    except (AttributeError, OSError):
        busy = 0
    return max(1, min(4, cores, cores - busy + 1))


def _chunk_size(m: _Model, max_delay: float, iterations: int) -> int:
    Y = m.costs.shape[1] + int(math.ceil(max_delay))
    per_iteration = max(1, Y * len(m.codes) * 8)
    return int(max(1, min(iterations, _CHUNK_BYTES // per_iteration)))


# --------------------------------------------------------------------------- the simulation

@dataclass(frozen=True)
class Simulation:
    """The outcome of :func:`simulate`."""

    iterations: int
    seed: int  #: the entropy used (give it back to reproduce a run without a seed)
    valuation_year: int
    discount_rate_pct: float
    codes: list[str]
    projects: pd.DataFrame  #: :data:`SIM_PROJECT_COLUMNS`
    portfolio: dict
    """``iterations, seed, eigen_vermogen, loss_mean, loss_p50, loss_p90, loss_p99, loss_max,
    loss_total_p90 (before sharing), loss_municipality_p90, prob_portfolio_loss,
    risk_capacity_ratio, risk_capacity_grade, risk_capacity_label, reference_class, rate_spread_bp``."""
    npv_forward: np.ndarray = field(repr=False)  #: (iterations x projects) [EUR]
    result_nominal: np.ndarray = field(repr=False)  #: (iterations x projects) [EUR]
    loss_igemo: np.ndarray = field(repr=False)  #: (iterations,) IGEMO's portfolio loss [EUR]
    loss_municipality: np.ndarray = field(repr=False)  #: (iterations,) the municipalities' part [EUR]
    warnings: tuple[str, ...] = ()

    def prob_loss(self) -> pd.Series:
        """``prob_loss`` per project code [fraction], for ``evaluate(prob_loss=...)``."""
        return self.projects.set_index("project_code")["prob_loss"]


def _draw_effects(risks: pd.DataFrame, codes: list[str], iterations: int, entropy: int) -> dict[str, np.ndarray]:
    position = {c: i for i, c in enumerate(codes)}
    P = len(codes)
    sums = {kind: np.zeros((iterations, P)) for kind in ("kosten_pct", "prijs_pct", "vertraging_jaren",
                                                          "eenmalig_eur")}
    for row, risk in enumerate(risks.itertuples(index=False)):
        p = position.get(risk.project_code)
        if p is None:
            continue
        rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(_STREAM_RISK, row)))
        u = rng.random((iterations, 2))  # iteration-major: a longer run extends a shorter one
        happens = u[:, 0] < float(risk.kans_pct) / 100.0
        impact = triangular_ppf(u[:, 1], risk.min, risk.waarschijnlijk, risk.max)
        column = sums[risk.soort][:, p]
        column += np.where(happens, impact, 0.0)
    return sums


def _draw_reference(portfolio: Portfolio, codes: list[str], reference: pd.DataFrame, iterations: int,
                    entropy: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    from igemo_fin.postcalc.calculation import MIN_CLASS_SIZE, reference_pool

    small_pool_warned = False
    P = len(codes)
    cost, revenue, delay = np.ones((iterations, P)), np.ones((iterations, P)), np.zeros((iterations, P))
    warnings = []
    info = portfolio.projects.set_index("project_code")
    members = reference.copy()
    members[["cost_ratio", "revenue_ratio"]] = members[["cost_ratio", "revenue_ratio"]].fillna(1.0)
    members["delay_years"] = members["delay_years"].fillna(0.0)
    for p, code in enumerate(codes):
        if info.loc[code, "status"] != "actief":
            continue
        pool, fallback = reference_pool(members, info.loc[code, "type"])
        if pool.empty:
            warnings.append("Geen afgeronde projecten met een begroting: de referentieklasse is niet gebruikt.")
            break
        if len(pool) < MIN_CLASS_SIZE and not small_pool_warned:
            small_pool_warned = True
            warnings.append(f"De referentieklasse telt maar {len(pool)} afgerond(e) project(en) met een "
                            "begroting: de onzekerheid die ze toevoegt, is nauwelijks een verdeling.")
        rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(_STREAM_REFERENCE, p)))
        pick = rng.integers(len(pool), size=iterations)
        cost[:, p] = pool["cost_ratio"].to_numpy(dtype=float)[pick]
        revenue[:, p] = pool["revenue_ratio"].to_numpy(dtype=float)[pick]
        delay[:, p] = pool["delay_years"].to_numpy(dtype=float)[pick]
    return cost, revenue, delay, warnings


def simulate(portfolio: Portfolio, ev, *, iterations: int = DEFAULT_ITERATIONS, seed: int | None = DEFAULT_SEED,
             reference: pd.DataFrame | None = None, rate_spread_bp: float = 0.0,
             loss_statuses: tuple[str, ...] = OPEN_STATUSES, chunk_size: int | None = None,
             dtype=np.float64, threads: int | None = None) -> Simulation:
    """Monte Carlo over the risk register (see the module notes for every definition).

    Parameters
    ----------
    portfolio : Portfolio
        The workbook, with its risk register (``portfolio.risks``) and ``eigen_vermogen``.
    ev : Evaluation
        The evaluation to perturb: its flows, book values, rates and discount rate.
    iterations : int
        Number of iterations (default 10,000).
    seed : int or None
        Seed of the random streams (default 0); None draws fresh entropy, reported in
        :attr:`Simulation.seed`.
    reference : DataFrame, optional
        Reference-class members (:data:`~igemo_fin.postcalc.calculation.MEMBER_COLUMNS`, e.g.
        ``post_calculation(...).projects``) to add their uncertainty to active projects.
    rate_spread_bp : float
        Standard deviation of a per-iteration parallel shift of the future credit rates [bp].
    loss_statuses : tuple of str
        Statuses whose losses count in the portfolio loss (default ``actief``, ``stopgezet``).
    chunk_size : int, optional
        Iterations per chunk (default: about 64 MB per array). Does not change the figures.
    dtype : numpy dtype
        Of the flow arrays (``np.float32`` halves their memory; the interest runs in float64).
    threads : int, optional
        Worker threads over the chunks (default: the cores not already busy, at most 4). Does not
        change the figures.

    Returns
    -------
    Simulation
    """
    if iterations < 1:
        raise ValueError("het aantal simulaties moet minstens 1 zijn")
    if rate_spread_bp < 0:
        raise ValueError("de spreiding op de rente kan niet negatief zijn")
    entropy = int(np.random.SeedSequence(seed).entropy)
    model = _build_model(portfolio, ev)
    codes = model.codes
    N, P = iterations, len(codes)
    risks = portfolio.risks
    effects = _draw_effects(risks, codes, N, entropy)
    cost_ratio = revenue_ratio = None
    warnings: list[str] = []
    delay = effects["vertraging_jaren"]
    if reference is not None:
        cost_ratio, revenue_ratio, ref_delay, ref_warnings = _draw_reference(portfolio, codes, reference, N, entropy)
        warnings += ref_warnings
        delay = np.maximum(delay + ref_delay, 0.0)
    rate_shift = None
    discount_shift = None
    if rate_spread_bp > 0:
        rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(_STREAM_RATE,)))
        rate_shift = rng.normal(0.0, rate_spread_bp / 100.0, N)
        discount_shift = rate_shift if _discount_follows_credit(portfolio, ev) else None

    # Projects whose span ended before V and that draw no one-off cost keep their figures in every
    # iteration (npv_forward 0, the result of their past): only the others go through the kernel.
    live = np.flatnonzero((model.last >= 0) | (effects["eenmalig_eur"] != 0).any(axis=0))
    npv = np.zeros((N, P))
    result = np.empty((N, P))
    result[:] = -model.book_value[None, :]
    sub = model.subset(live.tolist())
    size = chunk_size or _chunk_size(sub, float(delay.max()) if delay.size else 0.0, N)

    columns = slice(None) if live.size == P else live  # a plain slice avoids copies when all are live

    def pick(values, s):
        return None if values is None else values[s, columns]

    def run(start: int) -> None:
        s = slice(start, min(N, start + size))
        npv[s, columns], result[s, columns] = _run_batch(
            sub, pick(effects["kosten_pct"], s), pick(effects["prijs_pct"], s), pick(delay, s),
            pick(effects["eenmalig_eur"], s), cost_ratio=pick(cost_ratio, s), revenue_ratio=pick(revenue_ratio, s),
            rate_shift=None if rate_shift is None else rate_shift[s],
            discount_shift=None if discount_shift is None else discount_shift[s], dtype=dtype)

    starts = range(0, N, size) if live.size else range(0)
    workers = min(len(starts), _workers() if threads is None else max(1, int(threads)))
    if workers > 1:
        # Chunks are independent (every draw is made up front) and numpy releases the GIL in its
        # loops: threads share the cores without changing a single figure.
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run, starts))
    else:
        for start in starts:
            run(start)

    projects = portfolio.projects.set_index("project_code").reindex(codes)
    status = projects["status"].to_numpy()
    share, cap = sharing_terms(portfolio.projects, codes)
    loss = loss_of(result)
    loss[:, ~np.isin(status, loss_statuses)] = 0.0
    municipality, igemo = split_loss(loss, share[None, :], cap[None, :])
    loss_igemo = igemo.sum(axis=1)
    loss_municipality = municipality.sum(axis=1)

    worst = max(1, int(math.ceil(0.1 * N)))
    p10, p50, p90 = np.percentile(npv, [10, 50, 90], axis=0)
    r10, r50, r90 = np.percentile(result, [10, 50, 90], axis=0)
    base = ev.figures.set_index("project_code").reindex(codes)
    counts = risks["project_code"].value_counts() if not risks.empty else pd.Series(dtype=int)
    frame = pd.DataFrame({
        "project_code": codes,
        "status": status,
        "type": projects["type"].to_numpy(),
        "risk_count": [int(counts.get(c, 0)) for c in codes],
        "npv_forward_base": base["npv_forward"].to_numpy(dtype=float),
        "npv_mean": npv.mean(axis=0),
        "prob_loss": (npv < 0).mean(axis=0),
        "npv_p10": p10, "npv_p50": p50, "npv_p90": p90,
        "expected_shortfall": np.partition(npv, worst - 1, axis=0)[:worst].mean(axis=0),
        "result_base": base["result_nominal"].to_numpy(dtype=float),
        "result_mean": result.mean(axis=0),
        "result_p10": r10, "result_p50": r50, "result_p90": r90,
        "prob_result_loss": (result < 0).mean(axis=0),
        "loss_igemo_mean": igemo.mean(axis=0),
        "loss_igemo_p90": np.percentile(igemo, 90, axis=0),
    }, columns=list(SIM_PROJECT_COLUMNS))

    equity = portfolio.settings.eigen_vermogen
    loss_p90 = float(np.percentile(loss_igemo, 90))
    if equity is None:
        ratio = math.nan
        warnings.append("Geen eigen vermogen opgegeven (instellingen: eigen_vermogen): geen weerstandsvermogen.")
    elif loss_p90 > 0:
        ratio = float(equity) / loss_p90
    else:
        ratio = math.inf if equity > 0 else math.nan
    grade, label = risk_capacity_grade(ratio)
    summary = {
        "iterations": N,
        "seed": entropy,
        "eigen_vermogen": None if equity is None else float(equity),
        "loss_mean": float(loss_igemo.mean()),
        "loss_p50": float(np.percentile(loss_igemo, 50)),
        "loss_p90": loss_p90,
        "loss_p99": float(np.percentile(loss_igemo, 99)),
        "loss_max": float(loss_igemo.max()),
        "loss_total_p90": float(np.percentile(loss.sum(axis=1), 90)),
        "loss_municipality_p90": float(np.percentile(loss_municipality, 90)),
        "prob_portfolio_loss": float((loss_igemo > 0).mean()),
        "risk_capacity_ratio": ratio,
        "risk_capacity_grade": grade,
        "risk_capacity_label": label,
        "reference_class": reference is not None,
        "rate_spread_bp": float(rate_spread_bp),
    }
    return Simulation(N, entropy, model.V, model.discount_rate_pct, codes, frame, summary, npv, result,
                      loss_igemo, loss_municipality, tuple(warnings))


# --------------------------------------------------------------------------- re-evaluation

def _base_thresholds(portfolio: Portfolio, ev):
    """The evaluation's thresholds with the discount rate left to its default when it was the default."""
    from igemo_fin.valuation.evaluate import resolve_discount_rate

    t = ev.thresholds
    if portfolio.thresholds.disconteringsvoet_pct is not None:
        return t
    default, _ = resolve_discount_rate(portfolio, ev.valuation_year, t.with_values(disconteringsvoet_pct=None))
    if t.disconteringsvoet_pct is not None and math.isclose(t.disconteringsvoet_pct, default, abs_tol=1e-12):
        return t.with_values(disconteringsvoet_pct=None)
    return t


def _actuals_of(ev) -> pd.DataFrame | None:
    """The ledger actuals the evaluation used (its flows marked ``werkelijk``)."""
    used = ev.flows[ev.flows["bron"] == "werkelijk"]
    return None if used.empty else used[["project_code", "jaar", "categorie", "bedrag"]].reset_index(drop=True)


def reevaluate(portfolio: Portfolio, ev, *, prob_loss: pd.Series | None = None, rate_shift_bp: float = 0.0,
               portfolio_override: Portfolio | None = None):
    """Evaluate again with the same valuation year, thresholds and actuals as ``ev``.

    Used to let the Monte Carlo's ``prob_loss`` take part in the verdict, and by the stress
    scenarios (``portfolio_override``: the stressed workbook; ``rate_shift_bp``).
    """
    from igemo_fin.valuation.evaluate import evaluate

    return evaluate(portfolio_override if portfolio_override is not None else portfolio,
                    valuation_year=ev.valuation_year, thresholds=_base_thresholds(portfolio, ev),
                    actuals=_actuals_of(ev), rate_shift_bp=rate_shift_bp, prob_loss=prob_loss)


# --------------------------------------------------------------------------- stress scenarios

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


def run_scenarios(portfolio: Portfolio, ev, *, scenarios: dict | None = None, iterations: int | None = None,
                  seed: int | None = DEFAULT_SEED) -> ScenarioResult:
    """Run the named stress scenarios and compare each with the basis.

    Each scenario is a full re-evaluation (:func:`reevaluate`: same valuation year, thresholds and
    actuals as ``ev``) of the stressed workbook (:func:`stress_portfolio`) with ``rate_shift_bp``.
    The basis is re-evaluated the same way, so verdicts compare like with like. With
    ``iterations`` the Monte Carlo runs in every scenario (same seed) and ``prob_loss`` takes part
    in the verdicts; without it the two loss-chance rules are not evaluated, in the basis too.
    """
    chosen = SCENARIOS if scenarios is None else scenarios
    if "basis" not in chosen:
        chosen = {"basis": SCENARIOS["basis"], **chosen}
    V = ev.valuation_year
    evaluations, summary, detail = {}, [], []
    base_fig = None
    for key, (label, bp, price, delay) in chosen.items():
        stressed = stress_portfolio(portfolio, V, price_change_pct=price, delay_years=delay)
        ev_s = reevaluate(portfolio, ev, rate_shift_bp=bp, portfolio_override=stressed)
        if iterations:
            sim = simulate(stressed, ev_s, iterations=iterations, seed=seed)
            ev_s = reevaluate(portfolio, ev, rate_shift_bp=bp, portfolio_override=stressed,
                              prob_loss=sim.prob_loss())
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


def scenarios(portfolio: Portfolio, ev, **kwargs) -> pd.DataFrame:
    """The stress scenarios' summary (:data:`SCENARIO_COLUMNS`); see :func:`run_scenarios`."""
    return run_scenarios(portfolio, ev, **kwargs).summary


# --------------------------------------------------------------------------- tornado

#: Columns of :func:`tornado`: one row per driver, the widest swing first.
TORNADO_COLUMNS = (
    "driver", "label",
    "low_setting", "high_setting",   # Dutch: the setting that gives npv_low / npv_high
    "npv_base", "npv_low", "npv_high",  # [EUR] npv_forward
    "swing",                         # [EUR] npv_high - npv_low
    "result_low", "result_high",     # [EUR] the projected full-life result at the same settings
)


def tornado(portfolio: Portfolio, ev, code: str) -> pd.DataFrame:
    """The drivers that move one project's ``npv_forward`` most, one at a time.

    Drivers: future costs -10 % / +10 %; sales prices -10 % / +10 %; every revenue 1 / 2 years
    later; rate -100 / +100 bp (the credit rate and the discount rate together: the forward NPV
    excludes interest, so the rate reaches it through the discount rate); and each risk of the
    register: not happening / happening at its maximum impact. Each setting goes through the same
    kernel as the Monte Carlo.

    Returns
    -------
    DataFrame
        :data:`TORNADO_COLUMNS`, sorted by ``swing`` descending.
    """
    model = _build_model(portfolio, ev)
    if code not in model.codes:
        raise KeyError(f"onbekend project '{code}'")
    m = model.subset([model.codes.index(code)])
    settings = [  # driver, label, (setting text, k, q, d, e, shift) x 2
        ("kosten", "Kosten", ("kosten -10 %", -10, 0, 0, 0, 0), ("kosten +10 %", 10, 0, 0, 0, 0)),
        ("verkoopprijs", "Verkoopprijzen", ("prijzen -10 %", 0, 10, 0, 0, 0), ("prijzen +10 %", 0, -10, 0, 0, 0)),
        ("vertraging", "Vertraging opbrengsten", ("1 jaar later", 0, 0, 1, 0, 0), ("2 jaar later", 0, 0, 2, 0, 0)),
        ("rente", "Rente en disconteringsvoet", ("-100 bp", 0, 0, 0, 0, -1), ("+100 bp", 0, 0, 0, 0, 1)),
    ]
    risks = portfolio.risks[portfolio.risks["project_code"] == code]
    for i, r in enumerate(risks.itertuples(index=False)):
        effect = {"kosten_pct": (r.max, 0, 0, 0), "prijs_pct": (0, r.max, 0, 0),
                  "vertraging_jaren": (0, 0, r.max, 0), "eenmalig_eur": (0, 0, 0, r.max)}[r.soort]
        settings.append((f"risico_{i + 1}", f"Risico: {r.risico or r.soort}", ("treedt niet op", 0, 0, 0, 0, 0),
                         (f"treedt op, maximale impact ({r.max:g})", *effect, 0)))
    cases = [("basis", 0, 0, 0, 0, 0)] + [case for s in settings for case in s[2:]]
    values = np.array([c[1:] for c in cases], dtype=float)
    shift = values[:, 4]
    npv, result = _run_batch(m, values[:, [0]], values[:, [1]], values[:, [2]], values[:, [3]],
                             rate_shift=shift, discount_shift=shift)
    npv, result = npv[:, 0], result[:, 0]
    rows = []
    for i, (driver, label, a, b) in enumerate(settings):
        ia, ib = 1 + 2 * i, 2 + 2 * i
        lo, hi = (ia, ib) if npv[ia] <= npv[ib] else (ib, ia)
        rows.append({"driver": driver, "label": label, "low_setting": cases[lo][0], "high_setting": cases[hi][0],
                     "npv_base": float(npv[0]), "npv_low": float(npv[lo]), "npv_high": float(npv[hi]),
                     "swing": float(npv[hi] - npv[lo]), "result_low": float(result[lo]),
                     "result_high": float(result[hi])})
    frame = pd.DataFrame(rows, columns=list(TORNADO_COLUMNS))
    return frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- reference-class uplift

#: Columns of :func:`reference_uplift`: one row per active project and level (``p50``, ``p80``).
UPLIFT_COLUMNS = (
    "project_code", "type", "level",
    "basis",                  # "type" or "alle types" (fewer than 3 finished projects of the type)
    "class_size",             # finished projects behind the figures
    "cost_ratio", "revenue_ratio", "delay_years",  # the level's figures of the reference class
    "npv_forward_base", "npv_forward",             # [EUR] without / with the uplift
    "result_base", "result_nominal",               # [EUR] projected full-life result without / with
)


def reference_uplift(portfolio: Portfolio, ev, reference: pd.DataFrame) -> pd.DataFrame:
    """Each active project's figures with the P50 and the P80 of its reference class applied.

    Parameters
    ----------
    portfolio, ev
        The workbook and its evaluation.
    reference : DataFrame
        :data:`~igemo_fin.postcalc.calculation.REFERENCE_COLUMNS` (``post_calculation(...).reference``).

    Returns
    -------
    DataFrame
        :data:`UPLIFT_COLUMNS`. The level's ``cost_ratio`` multiplies the future costs, its
        ``revenue_ratio`` the future revenues, and the future revenues move ``delay_years`` later
        (below 0 counts as 0), through the Monte Carlo's kernel. ``p80`` is the unfavourable level
        (:data:`~igemo_fin.postcalc.calculation.P80_PERCENTILE`). A type without a reference class (no
        finished project with a budget) gets NaN figures.
    """
    model = _build_model(portfolio, ev)
    ref = reference.set_index("type")
    info = portfolio.projects.set_index("project_code")
    base = ev.figures.set_index("project_code")
    rows = []
    for p, code in enumerate(model.codes):
        if info.loc[code, "status"] != "actief":
            continue
        kind = info.loc[code, "type"]
        r = ref.loc[kind] if kind in ref.index else None
        for level in ("p50", "p80"):
            row = {"project_code": code, "type": kind, "level": level,
                   "basis": None if r is None else r["basis"],
                   "class_size": 0 if r is None else int(r["cost_ratio_n"]),
                   "npv_forward_base": float(base.loc[code, "npv_forward"]),
                   "result_base": float(base.loc[code, "result_nominal"])}
            figures = (math.nan,) * 3 if r is None else (
                r[f"cost_ratio_{level}"], r[f"revenue_ratio_{level}"], r[f"delay_{level}"])
            cost, revenue, delay = (float(x) for x in figures)
            row |= {"cost_ratio": cost, "revenue_ratio": revenue, "delay_years": delay}
            if any(math.isnan(x) for x in (cost, revenue, delay)):
                row |= {"npv_forward": math.nan, "result_nominal": math.nan}
            else:
                zero = np.zeros((1, 1))
                npv, result = _run_batch(model.subset([p]), zero, zero, np.full((1, 1), max(delay, 0.0)), zero,
                                         cost_ratio=np.full((1, 1), cost), revenue_ratio=np.full((1, 1), revenue))
                row |= {"npv_forward": float(npv[0, 0]), "result_nominal": float(result[0, 0])}
            rows.append(row)
    return pd.DataFrame(rows, columns=list(UPLIFT_COLUMNS))
