"""The kernel of the Monte Carlo: one batch of effect draws turned into ``npv_forward`` and the result.

DOMAIN.md, "Risk register": the effects of the risks act on each project's future flows (years
``>= V``) by category:

* ``kosten_pct``: every future cost times ``1 + x/100``;
* ``prijs_pct``: every future ``verkoop`` (sales only) times ``1 - x/100``;
* ``vertraging_jaren``: every future revenue (all revenue categories) ``d`` years later, a flow of
  year ``y`` split ``1 - frac(d)`` to ``y + floor(d)`` and ``frac(d)`` to ``y + floor(d) + 1``
  (:func:`delay_flows`; the year grid grows as needed, nothing is lost);
* ``eenmalig_eur``: a one-off cost in year ``V``.

Notes
-----
**Per iteration** the kernel (:func:`run_batch`) rebuilds the project's future flows and recomputes

* ``npv_forward`` (mid-year discounting at the evaluation's discount rate, as
  :func:`~igemo_fin.valuation.metrics.npv_forward`), and
* the projected full-life ``result_nominal``: the result of the past (flows and interest before
  ``V``, carried in the book value ``BV[V]``) plus the future flows minus the future interest,
  recomputed with the cash-credit model (DOMAIN.md "Interest (projected)") over the project's
  span, which a delay lengthens. Rates beyond the credit table repeat its last year.

A reference-class draw multiplies the future costs (``cost_ratio``) and revenues
(``revenue_ratio``); a rate shift moves every future credit rate and, when asked, the discount rate.

**Vectorised**: iterations x projects x years in numpy arrays; Python loops run only over distinct
whole-year delays and years. :class:`Model` holds the future of each project as the kernel needs
it, built once from the evaluation (:func:`build_model`).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, replace

import numpy as np

from igemo_fin.columns import COST_CATEGORIES, REVENUE_CATEGORIES
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["delay_flows", "Model", "build_model", "run_batch"]

_NO_SPAN = 1 << 30
_RATE_HORIZON = 100  # years beyond the last future flow for which the credit table is looked up

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


@dataclass(frozen=True)
class Model:
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
        """The credit rate of the first ``n_years`` future years [%]."""
        if n_years <= self.base_rates.size:
            return self.base_rates[:n_years]
        return np.concatenate([self.base_rates, np.full(n_years - self.base_rates.size, self.tail_rate)])

    def subset(self, rows: list[int]) -> "Model":
        """The model of the projects at positions ``rows`` only."""
        return replace(self, codes=[self.codes[i] for i in rows], costs=self.costs[rows], sales=self.sales[rows],
                       other=self.other[rows], last=self.last[rows],
                       rev_last=self.rev_last[rows], book_value=self.book_value[rows])


def future_rates(basis, n_years: int) -> tuple[np.ndarray, float]:
    """The cash-credit rate of each year ``V, V + 1, ...`` of the basis, with its rate stress.

    A year before the credit table takes its first rate, a year beyond it its last: a delay can push
    revenues past the years the workbook gives a rate for.

    Returns
    -------
    rates : ndarray (n_years,)
        [%] of the years ``V .. V + n_years - 1``.
    tail : float
        [%] the rate of every year beyond the credit table.
    """
    table = basis.portfolio.rate_by_year().sort_index()
    shift = basis.rate_shift_bp / 100.0
    if table.empty:
        return np.full(n_years, shift), shift
    years = np.arange(basis.valuation_year, basis.valuation_year + n_years)
    known = table.reindex(years).to_numpy(dtype=float)
    edge = np.where(years < table.index[0], float(table.iloc[0]), float(table.iloc[-1]))
    return np.where(np.isnan(known), edge, known) + shift, float(table.iloc[-1]) + shift


def build_model(portfolio: Portfolio, ev) -> Model:
    """The future of every project of the evaluation ``ev`` (workbook order), as the kernel needs it."""
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
    rates, tail = future_rates(ev.basis, n_f + _RATE_HORIZON)
    return Model(codes, V, costs, sales, other, last.astype(np.int64),
                 rev_last.astype(np.int64), bv, rates, tail, float(ev.discount_rate_pct))


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


def run_batch(m: Model, k, q, d, e, *, cost_ratio=None, revenue_ratio=None, rate_shift=None,
              discount_shift=None, dtype=np.float64, drawn: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The kernel: ``npv_forward`` and ``result_nominal`` (B x P) for a batch of effect draws.

    ``k, q, d, e`` (B x P): summed kosten_pct [%], prijs_pct [%], delay [year], one-off [EUR];
    ``cost_ratio``, ``revenue_ratio`` (B x P) multiply costs and revenues; ``rate_shift`` and
    ``discount_shift`` (B,) shift the future credit rates and the discount rate [%-points].
    ``drawn`` (B x H), when given, receives the cash credit drawn at the end of each year
    ``V .. V + H - 1``: the positive book values of the projects still running that year, as
    :attr:`~igemo_fin.valuation.evaluate.Evaluation.credit` counts them (it must hold zeros).
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
    # In the layout of ``last`` (which follows how the chunk's draws were sliced): the yearly sums add
    # in the same order as those of a fresh ``max(balance, 0) * (last >= j)``.
    positive = None if drawn is None else np.empty_like(last, dtype=np.float64)
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
        if drawn is not None and j < drawn.shape[1]:
            np.maximum(balance, 0.0, out=positive)
            if j > ends:
                positive *= running
            drawn[:, j] = positive.sum(axis=1)
    # Years after the loop's end hold no flow and no interest: the balance is final.
    return npv.astype(np.float64), -balance
