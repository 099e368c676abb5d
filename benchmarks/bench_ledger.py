"""Benchmark: read a generated 200,000-line ledger export.

Generates an ``.xlsx`` ledger shaped like an accounting package's export (title rows, a header,
debit/credit columns, a final totals row) with XlsxWriter in constant-memory mode, then times

* ``read_ledger`` (the calamine path: safety check, parsing, validation, mapping, fingerprints), and
* a baseline that only *parses* the same file with openpyxl in read-only mode (no validation),

each in a fresh interpreter, reporting wall time, CPU time and peak memory (the growth of the
process's own peak RSS, ``VmHWM`` restarted just before the reader runs, which also counts
python-calamine's Rust allocations that tracemalloc cannot see; ``ru_maxrss`` is not used: it keeps
the peak of the benchmark's image the child was forked from). Run with::

    .venv/bin/python benchmarks/bench_ledger.py [--rows 200000] [--repeat 3] [--keep PATH]

The goal is under 10 s for 200,000 lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402
import xlsxwriter  # noqa: E402

from igemo_fin.inputs.ledger import read_ledger  # noqa: E402

ACCOUNTS = (
    (605000, "Aankoop gronden"),
    (602000, "Studies en ontwerp"),
    (613000, "Erelonen landmeter"),
    (603000, "Wegenis- en rioleringswerken"),
    (604000, "Allerlei aankopen"),
    (650000, "Rente kaskrediet"),
    (700000, "Verkoop percelen"),
    (740000, "Werkingssubsidie"),
    (550000, "Bank"),
)
PROJECTS = tuple(f"P{n:03d}" for n in range(1, 41))


def generate(path: Path, rows: int, seed: int = 4) -> int:
    """Write a ledger of ``rows`` lines to ``path``; return the net total in cents (credit - debit)."""
    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Grootboek")
    date_fmt = book.add_format({"num_format": "dd/mm/yyyy"})
    money = book.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, ["Grootboekkaart IGEMO"])
    sheet.write_row(1, 0, ["Periode 2015 - 2025"])
    header = ["Boekdatum", "Rekening", "Omschrijving", "Projectcode", "Dagboek", "Stuknummer",
              "Debet", "Credit"]
    sheet.write_row(3, 0, header)
    debit_total = credit_total = 0
    for i in range(rows):
        r = 4 + i
        account, label = ACCOUNTS[rng.randrange(len(ACCOUNTS))]
        cents = rng.randrange(1, 5_000_000)
        day = start + dt.timedelta(days=rng.randrange(0, 4000))
        sheet.write_datetime(r, 0, dt.datetime(day.year, day.month, day.day), date_fmt)
        sheet.write_number(r, 1, account)
        sheet.write_string(r, 2, f"{label} {i}")
        if rng.random() > 0.02:
            sheet.write_string(r, 3, PROJECTS[rng.randrange(len(PROJECTS))])
        sheet.write_string(r, 4, "AANK" if account < 700000 else "VERK")
        sheet.write_string(r, 5, f"2024/{i:06d}")
        if account >= 700000:
            sheet.write_number(r, 7, cents / 100, money)
            credit_total += cents
        else:
            sheet.write_number(r, 6, cents / 100, money)
            debit_total += cents
    last = 4 + rows
    sheet.write_string(last, 0, "Totaal")
    sheet.write_number(last, 6, debit_total / 100, money)
    sheet.write_number(last, 7, credit_total / 100, money)
    book.close()
    return credit_total - debit_total


def openpyxl_baseline(path: Path) -> int:
    """Parse every cell with openpyxl's read-only reader (values only); return the row count."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = 0
    for row in book.worksheets[0].iter_rows(values_only=True):
        if any(v is not None for v in row):
            count += 1
    book.close()
    return count


def _status_mib(field: str) -> float:
    """``VmRSS`` (resident now) or ``VmHWM`` (its peak) of this process [MiB], from /proc (Linux)."""
    with open("/proc/self/status") as handle:
        line = next(line for line in handle if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def _reset_peak() -> None:
    """Start ``VmHWM`` again from the current RSS (Linux 4.0+: writing 5 to clear_refs)."""
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")


def child(reader: str, path: Path) -> None:
    """Run one reader in this (fresh) process; print its figures as JSON.

    The peak is the process's own ``VmHWM``, restarted from the RSS before the reader runs:
    ``ru_maxrss`` would keep the larger peak of the benchmark's image the child was forked from.
    """
    gc.collect()
    before = _status_mib("VmRSS")
    _reset_peak()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    if reader == "read_ledger":
        read = read_ledger(path)
        result = {"rows": read.rows_read, "net_cents": int(read.lines["amount_cents"].sum()),
                  "file_total_cents": read.file_total_cents, "actual": len(read.actual_lines),
                  "skipped": len(read.skipped)}
    else:
        result = {"rows": openpyxl_baseline(path)}
    result["wall"] = time.perf_counter() - wall0
    result["cpu"] = time.process_time() - cpu0
    result["peak_mib"] = _status_mib("VmHWM")
    result["peak_extra_mib"] = result["peak_mib"] - before
    print(json.dumps(result))


def run_child(reader: str, path: Path) -> dict:
    """Measure one reader in a fresh interpreter, so peak RSS is its own (Rust allocations included)."""
    out = subprocess.run([sys.executable, __file__, "--child", reader, str(path)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs per reader; the fastest counts")
    parser.add_argument("--keep", type=Path, help="write the generated file here and keep it")
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "grootboek_200k.xlsx"
        t0 = time.perf_counter()
        net = generate(path, args.rows)
        print(f"generated {args.rows:,} lines in {time.perf_counter() - t0:.1f} s: "
              f"{path.stat().st_size / 2**20:.1f} MiB .xlsx")
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        runs = {name: [run_child(name, path) for _ in range(args.repeat)]
                for name in ("read_ledger", "openpyxl")}
        best = {name: min(rs, key=lambda r: r["wall"]) for name, rs in runs.items()}
        for name, label in (("read_ledger", "read_ledger (calamine, validated)"),
                            ("openpyxl", "openpyxl read-only parse only")):
            r = best[name]
            print(f"{label:<36} wall {r['wall']:6.2f} s   cpu {r['cpu']:6.2f} s   "
                  f"peak memory +{r['peak_extra_mib']:6.1f} MiB (process peak {r['peak_mib']:6.1f} MiB)")
        fast = best["read_ledger"]
        assert fast["rows"] == args.rows, fast
        assert fast["net_cents"] == net == fast["file_total_cents"], (fast, net)
        print(f"lines read {fast['rows']:,}; actual lines {fast['actual']:,}; skipped {fast['skipped']:,}; "
              f"net total {net / 100:,.2f} EUR (equals the file's totals row)")
        base = best["openpyxl"]
        print(f"read_ledger vs openpyxl: {base['wall'] / fast['wall']:.1f}x faster (wall), "
              f"{base['cpu'] / fast['cpu']:.1f}x (cpu); peak memory ratio "
              f"{fast['peak_extra_mib'] / max(base['peak_extra_mib'], 0.1):.1f}")
        limit = 10 * args.rows / 200_000
        print(f"goal (< {limit:.0f} s): {'met' if fast['wall'] < limit else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
