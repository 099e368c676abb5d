"""Benchmark: time and memory to refuse each hostile upload.

Builds the corpus of tests/test_hardening.py (zip bombs, billion laughs, XXE, renamed executables,
absurd sheet dimensions, a shared-string count bomb, broken CSV text, hostile .ods and .xls files)
and feeds every file to
``read_workbook`` and ``read_ledger``, each in a fresh interpreter that first reads valid files
(so imports and caches are in its baseline). Per file and reader it reports

* the wall time of the refusal,
* the peak of Python allocations during it (tracemalloc), and
* the growth of the process's peak RSS (``ru_maxrss``), which also counts python-calamine's Rust
  allocations and zlib's buffers.

The goal: every file refused within 1 s with under 64 MB extra memory. Run with::

    .venv/bin/python benchmarks/bench_hostile.py [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_hardening import MEMORY_LIMIT, TIME_LIMIT_S, hostile_corpus  # noqa: E402

ONE = r"""
import json, resource, sys, time, tracemalloc
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from igemo_fin.errors import InputError
from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.inputs.workbook import read_workbook
from ledger_files import csv_bytes, minimal_xlsx
import python_calamine

read = {"read_workbook": lambda d, n: read_workbook(d, filename=n),
        "read_ledger": lambda d, n: read_ledger(d, filename=n)}[sys.argv[2]]
for warm, name in ((minimal_xlsx(), "warm.xlsx"),
                   (csv_bytes([["Datum", "Rekening", "Projectcode", "Bedrag"], ["01/02/2024", "604000", "P1", "1"]]),
                    "warm.csv")):
    try:
        read(warm, name)
    except InputError:
        pass
data = open(sys.argv[3], "rb").read()
name = sys.argv[4]

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

base = rss()
t0 = time.perf_counter()
try:
    read(data, name)
    reason = None
except InputError as exc:
    reason = exc.problems[0].reason
seconds = time.perf_counter() - t0
growth = rss() - base
tracemalloc.start()
try:
    read(data, name)
except InputError:
    pass
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps({"seconds": seconds, "rss_growth": growth, "traced_peak": peak, "reason": reason}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for i, (label, (name, data, _why)) in enumerate(hostile_corpus().items()):
            path = Path(folder) / f"{i:02d}_{name}"
            path.write_bytes(data)
            for reader in ("read_workbook", "read_ledger"):
                done = subprocess.run([sys.executable, "-c", ONE, str(ROOT), reader, str(path), name],
                                      capture_output=True, text=True, timeout=300)
                if done.returncode != 0:
                    results.append({"label": label, "reader": reader, "size": len(data), "error": done.stderr[-500:]})
                    continue
                results.append({"label": label, "reader": reader, "size": len(data),
                                **json.loads(done.stdout.strip().splitlines()[-1])})
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        print(f"{'bestand':<62} {'lezer':<14} {'grootte':>9} {'tijd':>8} {'RSS+':>8} {'traced':>8}  geweigerd")
        for r in results:
            if "error" in r:
                print(f"{r['label']:<62} {r['reader']:<14} FOUT: {r['error']}")
                continue
            print(f"{r['label']:<62} {r['reader']:<14} {r['size'] / 1024:>7.0f}kB {1000 * r['seconds']:>6.1f}ms "
                  f"{r['rss_growth'] / 2**20:>6.1f}MB {r['traced_peak'] / 2**20:>6.1f}MB  "
                  f"{'ja' if r['reason'] else 'NEE'}")
    bad = [r for r in results if "error" in r or not r["reason"] or r["seconds"] >= TIME_LIMIT_S
           or r["rss_growth"] >= MEMORY_LIMIT or r["traced_peak"] >= MEMORY_LIMIT]
    if not args.json:
        print(f"\n{len(results) - len(bad)} van {len(results)} binnen {TIME_LIMIT_S:g} s en "
              f"{MEMORY_LIMIT // 2**20} MB")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
