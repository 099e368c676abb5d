"""Benchmark: evaluate a generated portfolio of 1,000 projects over 30 years, end to end (read excluded).

The engine is timed with the Monte Carlo off (``SimulationSettings(iterations=0)``): ``evaluate``
runs the simulation by default, which ``bench_risk.py`` times on its own.

Baseline, measured in the same run: a plain per-project Python loop doing the same arithmetic
(interest year by year, forward NPV, IRR, the rules). Both must agree; the script checks every
project's forward NPV and verdict. The two take turns (the previous result freed and a
``gc.collect()`` before each timed call), so they see the same load; wall and CPU time
(``time.process_time``) are printed, with the load average. The pair runs in ``--processes`` fresh
interpreters one after the other; every process's medians are printed and the figures judged are
the median of those medians (the same code measures up to 30 % apart from one process to the next).
Goals: the engine at least 20 times faster than the loop, and under 25 ms.

    .venv/bin/python benchmarks/bench_engine.py [--projects 1000] [--years 30] [--repeat 11] [--processes 5]

What took the time, and what was done (cProfile, per-stage CPU timers, line_profiler, and
instruction counts: ``valgrind --tool=cachegrind``/``callgrind`` of N evaluations minus none, which
the shared machine's load does not disturb):

- first round, at ~77 ms: ``rules.decide`` ~60 % (a Python call per project and rule, ~16,000
  ``fmt.number`` calls), the IRR's bisection, groupbys, MultiIndex reindexes, merges. The rules were
  vectorised (numbers formatted once per array, sentences from shared templates joined by Arrow),
  flows summed with ``np.bincount``, frames built by indexing arrays: 23.9-35 ms, 6.3-8.8x.
- second and third rounds, at 12-24 ms: the IRR's Newton from the pooled break-even (63 -> 4-5
  steps) on the longest span's columns only; numbers formatted straight into Arrow buffers; the
  frames from arrays (no ``set_index``/``reindex``/``factorize`` on the hot path); ``versie``/
  ``status`` compared by Arrow: 12.2-12.4 ms, 16.1-16.2x.
- fourth round, at 10.4-11.0 ms: no placeholder rules frame, no copy of the figures between valuing
  and judging, the flow keys factorised by Arrow's hash (``text_arrays.factorize_text``), frames
  built without copying their new columns, the yearly frame's cells from the spans' bounds
  (``FlowMatrix.span_cells``), the IRR's bracket ends from one row of powers, the rules' names,
  labels and levels made once per portfolio size, numbers under 999.5 formatted without grouping:
  107.1 M -> 93.0 M instructions per evaluation, 9.5 ms median in one sitting.
- fifth round (measurement): the fresh processes above, and the previous turn's result freed before
  the timer starts (freeing an ``Evaluation`` costs ~0.14 ms, which the timed call used to pay).
  Tried and dropped, each exact but without a measurable gain: each column of the cash flows and the
  credit table read once, pandas' ``"str"`` dtype resolved once instead of per ``dtype="str"``, the
  IRR's windows zeroed and scaled in place (91.5 M -> 91.3 M instructions, -0.3 %; four alternating
  sittings of five processes each: 9.3/10.2/10.3/10.8 ms before, 10.6/9.6/10.2/10.3 ms after); glibc's
  ``MALLOC_TRIM_THRESHOLD_``/``MALLOC_MMAP_THRESHOLD_`` raised (a warm loop in some processes takes
  ~540 minor page faults, ~1 ms of system time, per evaluation, re-faulting the heap top that free()
  gave back; with the thresholds raised 7, but in the benchmark's alternation the faults are mostly
  absent already: 10.6/12.1 ms against 11.0/10.7 ms without). A run-length factorisation of the
  sorted project codes (a compare of neighbours instead of a hash) is ~0.1 ms faster warm: below
  what these runs can show.
- sixth round, at 8-11 ms: the numbers of the Dutch sentences written by numpy
  (:mod:`igemo_fin.digits`: the groups of three digits and the decimals from tables of 1,000
  four-byte words, into one byte matrix filled in place and compacted to the bytes of an Arrow string
  array, a dash for NaN; ``str.format`` only where a scaled value lies within 1e-6 of a half, so the
  rounding stays ``str.format``'s), 170-210 us -> 65-80 us per array of 1,000; Arrow text wrapped as
  pandas' ``str`` array directly (``text_arrays.str_array``, 13.6 -> 1.4 us a wrap, 14 wraps per
  evaluation); the zoning rules' years and start years as Arrow text, not a Python string per
  project: 93.0 M -> 82.2 M instructions per evaluation (callgrind, ``PYTHONHASHSEED=0``, 42
  evaluations less 2, so start-up cancels out). Every frame of the evaluation is unchanged, compared
  exactly on generated and demo portfolios with and without the simulation.

Where the time is now (per-stage timers, a fast minute, 8.3 ms in all before the last two steps): the
flows summed and put on the grid 1.8 ms (Arrow hashing the project codes and categories, the flows
frame), the IRR 1.2 ms (about 7 Newton steps of the slowest row, each an ``exp`` of 1,000 x 31), the
rules and their 9,000 sentences ~2.7 ms (Arrow's element-wise joins and takes, the numbers, the rules
frame), the project-year frame 0.5 ms, the interest loop over 31 years 0.5 ms, the credit frame
0.35 ms, the figures frame and the rest ~0.8 ms; no function above 8 %. An evaluation allocates ~3.5
MB at its peak, 2.8 MB of it its result. Tried and left: OpenBLAS threads (``OPENBLAS_NUM_THREADS=1``
made no difference in four alternating pairs); the past and future columns summed from slices instead
of masked copies (numpy then sums a strided view in another order: 10 % of the interest totals
differed in the last bit); a year-major interest loop and a run-length factorisation of sorted codes
(~0.1-0.2 ms each, below what these runs show).

Measured (2 shared cores, ``--repeat 11 --processes 5``, the median of the five processes' medians):

- 05/12/2026, the final code, eighteen sittings at 04:13-04:36 UTC, load 0.5-0.95, nothing else
  running: 7.9-9.4 ms, 20.2-23.5x a 184-197 ms loop, all eighteen OK. Alternating with the fifth
  round's code in the same minutes: 7.8/8.3/8.5 ms (23.6/22.4/21.8x) against 8.3/9.4/9.0 ms
  (22.3/19.8/21.3x).
- the same morning the machine moved between fast and slow minutes: in slow ones (03:55-04:10, load
  0.7-1.0) an intermediate state of this round measured 10.0-12.3 ms (17.1-20.6x) next to 8.9-9.3 ms
  (20.5-21.5x) a minute later. The engine (memory-bound numpy and Arrow work) slows by ~20 % there
  and the loop (the interpreter) by ~5 %, so the ratio moves with the minute.
- the fifth round's code, 24 sittings on 05/12 between 02:00 and 02:17 UTC at load 0.15-1.0: median
  10.35 ms (9.0-11.7), 17-22x a 195-202 ms loop.

The 25 ms goal is met. The 20x goal is met in every sitting of the machine's usual (fast) minutes,
with 5-17 % to spare; in its slow minutes the engine loses about 15 % more than the loop, which can
bring the ratio just under 20x. What remains is spread over text, Arrow string assembly, copies and
pandas frame construction, with no single step worth 1 ms.
"""

from __future__ import annotations

import argparse
import calendar
import gc
import json
import os
import statistics
import subprocess
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
            results.pop(name, None)  # freeing this run's previous result is not this call's work
            gc.collect()  # nor is the other run's garbage
            w0, c0 = time.perf_counter(), time.process_time()
            results[name] = fn()
            cpus[name].append(time.process_time() - c0)
            walls[name].append(time.perf_counter() - w0)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name]), results[name]) for name in runs}


def measure(projects: int, years: int, repeat: int) -> dict:
    """One process's figures: the engine and the loop taking turns, and whether they agree."""
    portfolio = generate(projects, years)
    V = portfolio.settings.valuation_year()
    off = SimulationSettings(iterations=0)  # the engine alone: bench_risk.py times the Monte Carlo
    evaluate(portfolio, simulation=off)  # warm-up: first-call imports and caches
    measured = timed({"engine": (lambda: evaluate(portfolio, simulation=off), 1),
                      "baseline": (lambda: baseline(portfolio, V), 2)}, repeat)
    (engine_s, engine_cpu, ev), (base_s, base_cpu, ref) = measured["engine"], measured["baseline"]
    figures = ev.figures.set_index("project_code")
    return {"lines": len(portfolio.cashflows), "engine_wall": engine_s, "engine_cpu": engine_cpu,
            "base_wall": base_s, "base_cpu": base_cpu,
            "npv_diff": max(abs(figures.at[c, "npv_forward"] - v[0]) for c, v in ref.items()),
            "same_verdicts": all(figures.at[c, "verdict"] == v[1] for c, v in ref.items())}


def in_fresh_processes(args: argparse.Namespace) -> list[dict]:
    """:func:`measure` in ``args.processes`` fresh interpreters, one after the other: the same code
    measures several percent apart from one process to the next (memory layout), so one process
    decides nothing."""
    command = [sys.executable, str(Path(__file__).resolve()), "--one-process", "--projects", str(args.projects),
               "--years", str(args.years), "--repeat", str(args.repeat)]
    return [json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            for _ in range(args.processes)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--one-process", action="store_true", help=argparse.SUPPRESS)  # a child's own run
    args = parser.parse_args()
    if args.one_process:
        print(json.dumps(measure(args.projects, args.years, args.repeat)))
        return
    runs = in_fresh_processes(args)
    print(f"portfolio: {args.projects} projects, {args.years} years, {runs[0]['lines']:,} flow lines")
    for i, run in enumerate(runs, 1):
        print(f"process {i}: engine {run['engine_wall'] * 1000:.1f} ms wall, {run['engine_cpu'] * 1000:.1f} ms CPU; "
              f"loop {run['base_wall'] * 1000:.1f} ms wall, {run['base_cpu'] * 1000:.1f} ms CPU; "
              f"{run['base_cpu'] / run['engine_cpu']:.1f}x CPU")
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    def middle(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    engine_s, engine_cpu, base_s, base_cpu = (middle(k) for k in ("engine_wall", "engine_cpu", "base_wall", "base_cpu"))
    each = f"the median over {args.processes} fresh processes of each one's median"
    print(f"engine (vectorised evaluate, simulation off): {engine_s * 1000:.1f} ms wall, {engine_cpu * 1000:.1f} ms CPU "
          f"({each} of {args.repeat})")
    print(f"baseline (per-project Python loop): {base_s * 1000:.1f} ms wall, {base_cpu * 1000:.1f} ms CPU "
          f"({each} of {(args.repeat + 1) // 2}, taking turns with the engine)")
    ratio, cpu_ratio = base_s / engine_s, base_cpu / engine_cpu
    print(f"speed-up: {ratio:.1f}x wall, {cpu_ratio:.1f}x CPU (goal >= 20x: {'OK' if ratio >= 20 else 'MISSED'} wall, "
          f"{'OK' if cpu_ratio >= 20 else 'MISSED'} CPU); engine < 25 ms: {'OK' if engine_s < 0.025 else 'MISSED'} wall, "
          f"{'OK' if engine_cpu < 0.025 else 'MISSED'} CPU")
    npv_diff, same_verdicts = max(run["npv_diff"] for run in runs), all(run["same_verdicts"] for run in runs)
    print(f"agreement: max |npv difference| = {npv_diff:.2e} EUR, same verdicts: {same_verdicts}")
    if npv_diff > 0.01 or not same_verdicts:
        sys.exit("engine and baseline disagree")


if __name__ == "__main__":
    main()
