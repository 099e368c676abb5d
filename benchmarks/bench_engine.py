"""Benchmark: evaluate a generated portfolio of 1,000 projects over 30 years, end to end (read excluded).

The engine is timed with the Monte Carlo off (``SimulationSettings(iterations=0)``): ``evaluate``
runs the simulation by default, which ``bench_risk.py`` times on its own.

Baseline, measured in the same run: a plain per-project Python loop doing the same arithmetic
(interest year by year, forward NPV, IRR, the rules). Both must agree; the script checks every
project's forward NPV and verdict. The two take turns (a ``gc.collect()`` before each timed call), so
they see the same load; wall and CPU time (``time.process_time``) are printed, with the load average.
Goals: the engine at least 20 times faster than the loop, and under 25 ms.

    .venv/bin/python benchmarks/bench_engine.py [--projects 1000] [--years 30] [--repeat 11]

Profile, first round (cProfile, before): of ~77 ms, ``rules.decide`` took ~60 % (a Python call per
project and rule, ~16,000 ``fmt.number`` calls, ``to_dict("records")``), then the IRR's bisection,
``yearly_flows``' groupby, the yearly frame's groupby and MultiIndex reindex, the credit frame's merge.
That round vectorised the rules (numbers formatted once per array, sentences from shared templates),
summed flows with ``np.bincount``, and built the frames by indexing arrays: 23.9-35 ms, 6.3-8.8x.

Profile, this round (cProfile with ``time.process_time`` and per-stage timers, at 23.9-35 ms):
the rules ~9 ms (object-array concatenation of 9,000 sentences, one pass per template field and
literal; formatting NaN cells; converting the 9,000 sentences to Arrow for the frame's str column),
the IRR ~3.3 ms (63 vectorised Newton/bisection steps: after converging, Newton's last correction
pointed outside the bracket and ~100 rows bisected the rest of it), the flows ~3.4 ms (three string
factorisations, a pandas ``get_indexer`` and ``np.isin`` per line), the yearly and credit frames
~3.3 ms (``set_index``/``reindex``), the figures frame and verdicts ~2 ms (column assignments, a
``map`` by project code, a factorize in ``verdicts``).

What was done:
- rules (``valuation/rule_table.py``): constant fields (word, threshold, verb) are written into each
  template once (``lru_cache``); the sentences are joined by Arrow (``binary_join_element_wise``) in
  the frame's own string type, and ordered by one ``take``; numbers go straight from one ``str.format``
  over the array into Arrow buffers (``fmt.*_texts(arrow=True)``), whole euros print as integers, NaN
  cells are not formatted; both zoning rules share their texts; the verdict comes from the rule
  columns (no lookup by code);
- IRR (``metrics.py``): Newton stops at the root, starts at the pooled break-even (exact for two
  flows), on the longest span's columns only; a cheaper one-sign-change test: 63 -> 4-5 steps;
- flows (``cashflow.flows_and_matrix``): the matrix is filled from the summing's own keys; years are
  coded by offset, project rows found by Arrow's ``index_in``, lines already in key order grouped at
  their boundaries;
- frames: the yearly and credit frames and the discount rate from arrays (no ``set_index``/
  ``reindex``/``factorize`` on the hot path); the figures frame built once from a dict.

What remains (per-stage CPU, isolated, idle-ish; inside ``evaluate`` each stage costs 20-50 % more,
its inputs being out of cache): the rules ~3.5 ms (formatting ~6,000 numbers ~1.2 ms, joining and
ordering ~9,000 sentences ~0.6 ms, the rules frame ~0.5 ms), the flows ~1.9 ms (two sorted string
factorisations, the flows frame), the IRR ~1.0 ms, the yearly frame ~0.7 ms, interest ~0.3 ms, the
figures frame and its reductions ~0.5 ms. The rest is pandas frame construction. Results are equal:
NPV and interest to the cent (tests/valuation/test_evaluate.py checks a per-project loop), the IRR
within 1e-12 of the previous solver, the sentences identical (tests/valuation/test_rule_table.py).

Measured (2 shared cores, other engineers' work on them; load average given):

- before this round, idle machine: engine 23.9 ms, loop 210 ms (8.8x); in this session's first run,
  load 0.4: engine 35.5 ms, loop 223 ms (6.3x).
- after, load 2.3-3.5, runs taking turns: engine 10.2-15.0 ms CPU (10.2-25 ms wall), loop 195-241 ms
  CPU: 14.5-19.2x by CPU time (the wall ratio swings from 13x to 33x with the load). The 25 ms goal
  is met; the 20x goal is not, by a margin smaller than the machine's noise: the engine would need
  ~10 ms of CPU, and what remains is formatting and assembling Dutch text and pandas frames.

Third round (cProfile of 50 evaluations, sorted by own time, plus isolated per-stage CPU timers): no
single hotspot. Per evaluate, isolated: the rules ~3.5 ms (of which the families ~2.4 ms: ten
``str.format`` passes over ~1,000 numbers at ~0.07-0.12 ms each, ~27 Arrow takes and ~25 joins for the
cases' sentences; the rules frame, interleaving and ordering ~0.3 ms), the flows ~1.8 ms (two sorted
string factorisations ~0.45 ms: Arrow's own dictionary encoding is no faster; the flows frame ~0.2 ms),
the IRR ~1.1 ms, the yearly frame ~0.7 ms, interest ~0.45 ms, the figures frame and its reductions.
Done: ``versie``/``status`` compared by Arrow (``valuation/text_arrays.equals_text``: half of pandas'
cost), the rules skip the row filter when every project is active, the IRR gathers only the longest
span's columns in one fancy index (~1.1 -> ~0.85 ms), the yearly frame recognises a single source (the
forecast alone) by one comparison instead of hashing every line. Tried and dropped: summing the past
and future through column slices (views sum in a different order: last-bit differences in
``interest_past``), the euro prefix written by ``str.format`` (non-ASCII ``translate`` is 3x slower).
Outputs identical (frames with dtypes, sentences, verdicts: compared exactly against the previous
commit on three portfolios, with and without the simulation).

Measured, load 1.8-1.9, the previous code and this one alternating in one sitting: before 13.0-14.2 ms
(14.4-15.2x), after 12.2-12.4 ms (16.1-16.2x), wall equal to CPU. The 20x goal is still missed: it
needs ~10 ms; what remains is spread over number formatting, Arrow string assembly and pandas frame
construction, each a few tenths of a millisecond.
"""

from __future__ import annotations

import argparse
import calendar
import gc
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from igemo_fin.valuation.rules import RULES, verdict_of  # noqa: E402
from igemo_fin.valuation.basis import SimulationSettings  # noqa: E402
from igemo_fin.valuation.evaluate import evaluate  # noqa: E402
from igemo_fin.valuation.metrics import irr  # noqa: E402
from igemo_fin.valuation.portfolio import Portfolio  # noqa: E402
from igemo_fin.valuation.thresholds import Settings, Thresholds  # noqa: E402


def generate(n_projects: int, n_years: int, seed: int = 1) -> Portfolio:
    rng = np.random.default_rng(seed)
    first_year = 2000
    codes = [f"P{i:05d}" for i in range(n_projects)]
    starts = rng.integers(first_year, first_year + n_years // 2, n_projects)
    lengths = rng.integers(6, n_years // 2 + 1, n_projects)
    rows = []
    for code, start, length in zip(codes, starts, lengths):
        area = rng.uniform(1e4, 2e5)
        rows.append((code, "prognose", int(start), "verwerving", area * rng.uniform(8, 40)))
        for k in range(1, length // 2):
            rows.append((code, "prognose", int(start + k), "infrastructuur", area * rng.uniform(5, 20)))
        for k in range(length // 2, length):
            rows.append((code, "prognose", int(start + k), "verkoop", area * rng.uniform(10, 45)))
    cf = pd.DataFrame(rows, columns=["project_code", "versie", "jaar", "categorie", "bedrag"])
    cf["bedrag"] = np.where(cf["categorie"] == "verkoop", cf["bedrag"], -cf["bedrag"])
    projects = pd.DataFrame({
        "project_code": codes, "naam": codes, "gemeente": "Mechelen", "type": "bedrijventerrein",
        "status": "actief", "startjaar": starts, "eindjaar": starts + lengths - 1, "oppervlakte_m2": np.nan,
        "bestemming_zeker": rng.random(n_projects) < 0.7,
        "marktwaarde_huidige_staat": np.where(rng.random(n_projects) < 0.5, rng.uniform(1e5, 5e6, n_projects), np.nan),
        "risicodeling_gemeente_pct": np.nan, "risicodeling_plafond": np.nan, "winstdeling_gemeente_pct": np.nan,
        "winstdeling_drempel": np.nan})
    years = np.arange(first_year, first_year + n_years + 1)
    credit = pd.DataFrame({"jaar": years, "rentevoet_pct": rng.uniform(0.5, 5, years.size), "kredietlimiet": 1e9,
                           "rente_werkelijk": np.nan})
    return Portfolio(projects=projects, cashflows=cf, credit=credit, thresholds=Thresholds(),
                     settings=Settings(waarderingsjaar=first_year + n_years // 2))


def baseline(portfolio: Portfolio, V: int) -> dict[str, tuple[float, str]]:
    """Per project: plain Python loops over its years, as a spreadsheet would."""
    rates = dict(zip(portfolio.credit["jaar"], portfolio.credit["rentevoet_pct"]))
    r = rates[V] / 100
    thresholds = Thresholds(disconteringsvoet_pct=rates[V])
    out = {}
    grouped = portfolio.cashflows.groupby("project_code")
    info = portfolio.projects.set_index("project_code")
    for code, group in grouped:
        by_year: dict[int, float] = {}
        for y, amount in zip(group["jaar"], group["bedrag"]):
            by_year[int(y)] = by_year.get(int(y), 0.0) + float(amount)
        first, last = min(by_year), max(by_year)
        bv, interest_future, net = 0.0, 0.0, []
        npv_fwd, inflow = 0.0, 0.0
        for y in range(first, last + 1):
            cf = by_year.get(y, 0.0)
            net.append(cf)
            avg = bv - cf / 2
            i = rates[y] / 100 * (366 if calendar.isleap(y) else 365) / 360 * max(avg, 0.0)
            bv = bv - cf + i
            if y >= V:
                interest_future += i
                inflow += cf
                npv_fwd += cf / (1 + r) ** (y - V + 0.5)
        p = info.loc[code]
        figures = {"npv_forward": npv_fwd, "irr_full_life": irr(net), "interest_future": interest_future,
                   "future_net_inflow": inflow, "bestemming_zeker": p["bestemming_zeker"],
                   "startjaar": p["startjaar"], "valuation_year": V,
                   "marktwaarde_huidige_staat": p["marktwaarde_huidige_staat"]}
        out[code] = (npv_fwd, verdict_of([rule(figures, thresholds) for rule in RULES.values()]))
    return out


def timed(runs: dict, repeat: int) -> dict[str, tuple[float, float, object]]:
    """Median wall and CPU seconds per run, and its last result. The runs take turns (the engine
    ``repeat`` times, the slower baseline every other turn), so both see the same load on a shared
    machine; the CPU time is the steadier figure there, as other work stretches the wall time."""
    walls = {name: [] for name in runs}
    cpus = {name: [] for name in runs}
    results = {}
    for turn in range(repeat):
        for name, (fn, every) in runs.items():
            if turn % every:
                continue
            gc.collect()  # the other run's garbage is not this run's work
            w0, c0 = time.perf_counter(), time.process_time()
            results[name] = fn()
            cpus[name].append(time.process_time() - c0)
            walls[name].append(time.perf_counter() - w0)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name]), results[name]) for name in runs}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    portfolio = generate(args.projects, args.years)
    V = portfolio.settings.valuation_year()
    off = SimulationSettings(iterations=0)  # the engine alone: bench_risk.py times the Monte Carlo
    evaluate(portfolio, simulation=off)  # warm-up: first-call imports and caches
    measured = timed({"engine": (lambda: evaluate(portfolio, simulation=off), 1),
                      "baseline": (lambda: baseline(portfolio, V), 2)}, args.repeat)
    (engine_s, engine_cpu, ev), (base_s, base_cpu, ref) = measured["engine"], measured["baseline"]
    figures = ev.figures.set_index("project_code")
    npv_diff = max(abs(figures.at[c, "npv_forward"] - v[0]) for c, v in ref.items())
    same_verdicts = all(figures.at[c, "verdict"] == v[1] for c, v in ref.items())
    print(f"portfolio: {args.projects} projects, {args.years} years, {len(portfolio.cashflows):,} flow lines")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"engine (vectorised evaluate, simulation off): {engine_s * 1000:.1f} ms wall, {engine_cpu * 1000:.1f} ms CPU "
          f"(median of {args.repeat})")
    print(f"baseline (per-project Python loop): {base_s * 1000:.1f} ms wall, {base_cpu * 1000:.1f} ms CPU "
          f"(median of {(args.repeat + 1) // 2}, taking turns with the engine)")
    ratio, cpu_ratio = base_s / engine_s, base_cpu / engine_cpu
    print(f"speed-up: {ratio:.1f}x wall, {cpu_ratio:.1f}x CPU (goal >= 20x: {'OK' if ratio >= 20 else 'MISSED'} wall, "
          f"{'OK' if cpu_ratio >= 20 else 'MISSED'} CPU); engine < 25 ms: {'OK' if engine_s < 0.025 else 'MISSED'} wall, "
          f"{'OK' if engine_cpu < 0.025 else 'MISSED'} CPU")
    print(f"agreement: max |npv difference| = {npv_diff:.2e} EUR, same verdicts: {same_verdicts}")
    if npv_diff > 0.01 or not same_verdicts:
        sys.exit("engine and baseline disagree")


if __name__ == "__main__":
    main()
