"""Benchmark: read a generated 200,000-line ledger export (issue 4, point 9).

Generates an ``.xlsx`` ledger shaped like an accounting package's export (title rows, a header,
debit/credit columns, a final totals row) with XlsxWriter in constant-memory mode, then times

* ``read_ledger`` (the calamine path: safety check, parsing, validation, mapping, fingerprints), and
* a baseline that only *parses* the same file with openpyxl in read-only mode (no validation),

each with its peak Python memory (tracemalloc) and the process's peak RSS. Run with::

    .venv/bin/python benchmarks/bench_ledger.py [--rows 200000] [--keep PATH]

The goal is under 10 s for 200,000 lines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402
import xlsxwriter  # noqa: E402

from igemo_fin.ledger import read_ledger  # noqa: E402

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


def measure(label: str, fn):
    """Run ``fn`` once; return (result, seconds, peak traced MiB)."""
    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<34} {seconds:8.2f} s   peak Python memory {peak / 2**20:8.1f} MiB   "
          f"(process peak RSS so far {rss:7.1f} MiB)")
    return result, seconds, peak


def time_only(fn) -> float:
    """Wall time of ``fn`` without tracemalloc (whose hooks slow allocation-heavy code)."""
    gc.collect()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="write the generated file here and keep it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "grootboek_200k.xlsx"
        t0 = time.perf_counter()
        net = generate(path, args.rows)
        print(f"generated {args.rows:,} lines in {time.perf_counter() - t0:.1f} s: "
              f"{path.stat().st_size / 2**20:.1f} MiB")

        fast = time_only(lambda: read_ledger(path))
        base = time_only(lambda: openpyxl_baseline(path))
        print(f"{'read_ledger (calamine), wall':<34} {fast:8.2f} s")
        print(f"{'openpyxl read-only parse, wall':<34} {base:8.2f} s")
        read, _, fast_peak = measure("read_ledger, under tracemalloc", lambda: read_ledger(path))
        _, _, base_peak = measure("openpyxl, under tracemalloc", lambda: openpyxl_baseline(path))

        total = int(read.lines["amount_cents"].sum())
        assert read.rows_read == args.rows, read.rows_read
        assert total == net, (total, net)
        assert read.file_total_cents == net
        print(f"lines read {read.rows_read:,}; actual lines {len(read.actual_lines):,}; "
              f"skipped {len(read.skipped):,}; net total {total / 100:,.2f} EUR (matches the file)")
        print(f"speed-up vs openpyxl: {base / fast:.1f}x; peak memory ratio "
              f"read_ledger/openpyxl: {fast_peak / max(base_peak, 1):.2f}")
        print("goal (< 10 s for 200,000 lines):",
              "met" if fast < 10 * args.rows / 200_000 else "NOT met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
