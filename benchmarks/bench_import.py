"""Benchmark: the full command-line import of a generated 200,000-line ledger.

``bench_ledger.py`` times reading the file; this script times what finance actually runs::

    python -m igemo_fin ledger import grootboek_200k.xlsx --db PATH --json

in a fresh interpreter (start-up, safety checks, reading, validation, mapping, fingerprints, the
one-transaction insert into SQLite with ``synchronous=FULL``, and the JSON), first into an empty
database and then the same file again (answered "already imported"). A second, in-process run splits
the time into reading and storing. The file is the one ``bench_ledger.generate`` writes (title rows,
debit/credit columns, a totals row; 40 projects, 2 % of the lines without a project). Run with::

    .venv/bin/python benchmarks/bench_import.py [--rows 200000] [--keep PATH]

Goal: the whole import under 10 s for 200,000 lines.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ledger import generate  # noqa: E402


def cli_import(path: Path, db: Path) -> dict:
    """Run the CLI in a fresh interpreter; wall time, peak RSS of the child and the JSON it printed."""
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage0.ru_maxrss
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "igemo_fin", "ledger", "import", str(path), "--db", str(db),
                          "--uploader", "benchmark", "--json"], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage.ru_utime + usage.ru_stime) - (usage0.ru_utime + usage0.ru_stime)
    return {"wall": wall, "cpu": cpu, "peak_mib": max(usage.ru_maxrss, before) / 1024,
            "report": json.loads(out.stdout)}


def in_process(path: Path, db: Path) -> dict:
    """The same work in this process, timed per step."""
    from igemo_fin.cli.data import import_ledger_bytes, ledger_report, read_ledger_bytes
    from igemo_fin.records.store import Store

    clock = time.process_time
    t0 = clock()
    data = path.read_bytes()
    read = read_ledger_bytes(data, path.name, None)
    t1 = clock()
    store = Store(db)
    _, result = import_ledger_bytes(store, data, path.name, portfolio=None, uploader="benchmark", read=read)
    t2 = clock()
    ledger_report(read, result)
    t3 = clock()
    actuals = store.ledger_actuals()
    t4 = clock()
    return {"read": t1 - t0, "store": t2 - t1, "report": t3 - t2, "actuals": t4 - t3,
            "actual_rows": len(actuals), "imported": result.rows_imported}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="write the generated file here and keep it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = args.keep or tmp / "grootboek_200k.xlsx"
        t0 = time.perf_counter()
        net = generate(path, args.rows)
        print(f"generated {args.rows:,} lines in {time.perf_counter() - t0:.1f} s: "
              f"{path.stat().st_size / 2**20:.1f} MiB .xlsx")
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

        db = tmp / "cli.db"
        first = cli_import(path, db)
        report = first["report"]
        assert report["rows_read"] == args.rows and report["rows_imported"] == args.rows, report["rows_read"]
        totals = sum(round(v * 100) for cats in report["totals_by_project"].values() for v in cats.values())
        skipped = len(report["rows_skipped"])
        with sqlite3.connect(db) as conn:
            stored_cents = conn.execute("SELECT SUM(amount_cents) FROM ledger_lines").fetchone()[0]
        assert stored_cents == net, (stored_cents, net)
        print(f"CLI import, empty database      wall {first['wall']:6.2f} s   cpu {first['cpu']:6.2f} s   "
              f"peak memory {first['peak_mib']:6.1f} MiB"
              f"   ({report['rows_imported']:,} lines stored, {skipped:,} not counted as actuals; stored total "
              f"{stored_cents / 100:,.2f} EUR = the file's)")
        second = cli_import(path, db)
        assert second["report"]["already_imported"] and second["report"]["rows_imported"] == 0
        print(f"CLI import, same file again     wall {second['wall']:6.2f} s   cpu {second['cpu']:6.2f} s   "
              "(already imported, nothing added)")
        print(f"  actual lines' totals in the JSON: {totals / 100:,.2f} EUR over "
              f"{len(report['totals_by_project'])} projects")

        steps = in_process(path, tmp / "inproc.db")
        print(f"in process (cpu time): read {steps['read']:.2f} s + store {steps['store']:.2f} s + JSON report "
              f"{steps['report']:.2f} s; reading the actuals back {steps['actuals']:.2f} s "
              f"({steps['actual_rows']:,} project-year-category rows)")
        limit = 10 * args.rows / 200_000
        print(f"goal (< {limit:.0f} s for the whole CLI import): {'met' if first['wall'] < limit else 'NOT met'} "
              f"on wall time; {'met' if first['cpu'] < limit else 'NOT met'} on cpu time (a loaded machine "
              "stretches wall time, see the load average above)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
