"""Monte Carlo over the risk register: the chance of loss per project and the portfolio's loss.

Each iteration draws what happens to every risk of the register (:mod:`igemo_fin.risk.draws`) and
recomputes every project's ``npv_forward`` and projected full-life ``result_nominal`` with the
kernel (:mod:`igemo_fin.risk.kernel`); the portfolio's loss and the risk capacity at 1 January of
the valuation year follow (:func:`igemo_fin.risk.capacity.capacity_summary`).

Notes
-----
**Per project**: ``prob_loss`` = share of iterations with ``npv_forward < 0``;
``npv_p10/p50/p90`` = percentiles of ``npv_forward`` (numpy's linear interpolation);
``expected_shortfall`` = **the mean npv_forward over the worst 10 % of iterations** (the
``ceil(0.1 N)`` lowest), signed like ``npv_forward``: below zero is a loss.

**Rate spread** (optional, ``rate_spread_bp=s``): the discount rate moves with the drawn shift of
the credit rates when it is the default (the credit rate of ``V``), as in ``evaluate(rate_shift_bp=)``.

**Vectorised**: iterations x projects x years in numpy arrays, in chunks of iterations (about
2 MB per flow array); Python loops run only over risks, distinct whole-year delays and years.
Every draw is made up front, so the chunks are independent and may run in threads.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from igemo_fin.risk.capacity import OPEN_STATUSES, capacity_summary, shared_losses
from igemo_fin.risk.draws import DrawCache
from igemo_fin.risk.kernel import Model, build_model, run_batch
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["Simulation", "simulate", "SIM_PROJECT_COLUMNS", "DEFAULT_ITERATIONS", "DEFAULT_SEED"]

DEFAULT_ITERATIONS = 10_000
DEFAULT_SEED = 0
#: Bytes per flow array of a chunk (years x iterations x projects): ~40 iterations of 200 projects x
#: 33 years. A chunk's arrays then stay in the core's 2 MiB L2 / the shared L3 while the year loop
#: walks over them; smaller chunks pay numpy's per-call overhead (~20 calls a year per chunk), larger
#: ones spill out of the cache. Measured, one thread, 10,000 x 200 x 30: 20 iterations a chunk
#: 0.75 s CPU, 40 0.68 s, 80 0.67 s, 120 0.70 s, all 10,000 in one chunk 1.02 s. The figures do not
#: depend on it (each iteration is computed alone).
_CHUNK_BYTES = 2 * 2 ** 20

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


def _chunk_size(m: Model, max_delay: float, iterations: int) -> int:
    Y = m.costs.shape[1] + int(math.ceil(max_delay))
    per_iteration = max(1, Y * len(m.codes) * 8)
    return int(max(1, min(iterations, _CHUNK_BYTES // per_iteration)))


def _run_chunks(model: Model, drawn, discount_follows_credit: bool, *, chunk_size: int | None, dtype,
                threads: int | None, path_years: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The kernel over every chunk of iterations: ``npv_forward``, ``result_nominal`` (N x P) and the
    credit drawn per year (N x path_years, or None)."""
    N, P = drawn.iterations, len(model.codes)
    effects = drawn.effects
    cost_ratio = revenue_ratio = None
    delay = effects["vertraging_jaren"]
    if drawn.reference is not None:
        cost_ratio, revenue_ratio, ref_delay, _ = drawn.reference
        delay = np.maximum(delay + ref_delay, 0.0)
    rate_shift = drawn.rate_shift
    discount_shift = rate_shift if rate_shift is not None and discount_follows_credit else None

    # Projects whose span ended before V and that draw no one-off cost keep their figures in every
    # iteration (npv_forward 0, the result of their past): only the others go through the kernel.
    live = np.flatnonzero((model.last >= 0) | (effects["eenmalig_eur"] != 0).any(axis=0))
    npv = np.zeros((N, P))
    result = np.empty((N, P))
    result[:] = -model.book_value[None, :]
    sub = model.subset(live.tolist())
    size = chunk_size or _chunk_size(sub, float(delay.max()) if delay.size else 0.0, N)

    credit_drawn = np.zeros((N, max(0, int(path_years)))) if path_years else None
    columns = slice(None) if live.size == P else live  # a plain slice avoids copies when all are live

    def pick(values, s):
        return None if values is None else values[s, columns]

    def run(start: int) -> None:
        s = slice(start, min(N, start + size))
        npv[s, columns], result[s, columns] = run_batch(
            sub, pick(effects["kosten_pct"], s), pick(effects["prijs_pct"], s), pick(delay, s),
            pick(effects["eenmalig_eur"], s), cost_ratio=pick(cost_ratio, s), revenue_ratio=pick(revenue_ratio, s),
            rate_shift=None if rate_shift is None else rate_shift[s],
            discount_shift=None if discount_shift is None else discount_shift[s], dtype=dtype,
            drawn=None if credit_drawn is None else credit_drawn[s])

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

    return npv, result, credit_drawn


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
    credit_drawn: np.ndarray | None = field(default=None, repr=False)
    """(iterations x years) the cash credit drawn at the end of each year from ``V`` [EUR], when
    asked for (``simulate(path_years=...)``), else None."""

    def prob_loss(self) -> pd.Series:
        """``prob_loss`` per project code [fraction]."""
        return self.projects.set_index("project_code")["prob_loss"]


def simulate(portfolio: Portfolio, ev, *, iterations: int = DEFAULT_ITERATIONS, seed: int | None = DEFAULT_SEED,
             reference: pd.DataFrame | None = None, rate_spread_bp: float = 0.0,
             loss_statuses: tuple[str, ...] = OPEN_STATUSES, chunk_size: int | None = None,
             dtype=np.float64, threads: int | None = None, path_years: int = 0,
             draws: DrawCache | None = None) -> Simulation:
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
        Statuses whose losses count in the portfolio loss (default
        :data:`~igemo_fin.risk.capacity.OPEN_STATUSES`: ``actief``, ``stopgezet``).
    chunk_size : int, optional
        Iterations per chunk (default: about 2 MB per flow array). Does not change the figures.
    dtype : numpy dtype
        Of the flow arrays (``np.float32`` halves their memory; the interest runs in float64).
    threads : int, optional
        Worker threads over the chunks (default: the cores not already busy, at most 4). Does not
        change the figures.
    path_years : int
        Keep the cash credit drawn at the end of each of the first ``path_years`` years from ``V``
        in every iteration (:attr:`Simulation.credit_drawn`); 0 (default) keeps none. Does not
        change the other figures.
    draws : DrawCache, optional
        Shared by runs that draw the same numbers (same register, projects, iterations, seed,
        reference class and rate spread: the stress scenarios), so they are drawn once. Does not
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
    model = build_model(portfolio, ev)
    codes = model.codes
    N = iterations
    risks = portfolio.risks
    drawn = (draws or DrawCache()).get(portfolio, codes, N, entropy, reference, rate_spread_bp)
    warnings: list[str] = [] if drawn.reference is None else list(drawn.reference[3])
    npv, result, credit_drawn = _run_chunks(model, drawn, ev.basis.discount_follows_credit, chunk_size=chunk_size,
                                            dtype=dtype, threads=threads, path_years=path_years)
    # The draws (four iterations x projects arrays) are not needed for the statistics: released here
    # unless the caller's cache keeps them for another run, which lowers the peak memory.
    del drawn

    projects = portfolio.projects.set_index("project_code").reindex(codes)
    status = projects["status"].to_numpy()
    loss, municipality, igemo = shared_losses(portfolio, codes, result, loss_statuses)
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
    if equity is None:
        warnings.append("Geen eigen vermogen opgegeven (instellingen: eigen_vermogen): geen weerstandsvermogen.")
    capacity = capacity_summary(equity, loss_igemo)
    summary = {
        "iterations": N,
        "seed": entropy,
        "eigen_vermogen": capacity["eigen_vermogen"],
        "loss_mean": float(loss_igemo.mean()),
        "loss_p50": float(np.percentile(loss_igemo, 50)),
        "loss_p90": capacity["loss_p90"],
        "loss_p99": float(np.percentile(loss_igemo, 99)),
        "loss_max": float(loss_igemo.max()),
        "loss_total_p90": float(np.percentile(loss.sum(axis=1), 90)),
        "loss_municipality_p90": float(np.percentile(loss_municipality, 90)),
        "prob_portfolio_loss": float((loss_igemo > 0).mean()),
        "risk_capacity_ratio": capacity["risk_capacity_ratio"],
        "risk_capacity_grade": capacity["risk_capacity_grade"],
        "risk_capacity_label": capacity["risk_capacity_label"],
        "reference_class": reference is not None,
        "rate_spread_bp": float(rate_spread_bp),
    }
    return Simulation(N, entropy, model.V, model.discount_rate_pct, codes, frame, summary, npv, result,
                      loss_igemo, loss_municipality, tuple(warnings), credit_drawn)

