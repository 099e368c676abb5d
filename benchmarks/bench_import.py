"""Benchmark: the full command-line import of a generated 200,000-line ledger, and the same file again.

``bench_ledger.py`` times reading the file; this script times what finance actually runs::

    python -m igemo_fin ledger import grootboek_200k.xlsx --db PATH --json

in a fresh interpreter (start-up, safety checks, reading, validation, mapping, fingerprints, the
one-transaction insert into SQLite with ``synchronous=FULL``, and the JSON), first into an empty
database and then the same file again: the re-import, answered "already imported" from the stored
report after one SHA-256 look-up, without parsing the file, loading a workbook, the store or pandas.
A second, in-process run splits the time into reading and storing. The baselines, measured in the
same run: for the import, openpyxl's read-only reader only *parsing* the same file in a fresh
interpreter (no validation, nothing stored: what the cheapest pure-Python read of the file costs);
for the re-import, the first import. The file is the one ``bench_ledger.generate`` writes (title
rows, debit/credit columns, a totals row; 40 projects, 2 % of the lines without a project). Run with::

    .venv/bin/python benchmarks/bench_import.py [--rows 200000] [--keep PATH]

Goals (200,000 lines): the whole CLI import under 3 s and 250 MiB; the same file again under 0.3 s
through the CLI. The stored total must equal the file's to the cent and the re-import's JSON the first
import's (the script checks both).

Profile (cProfile, in process; figures on an idle machine unless said otherwise):

* Before the previous round (read 5.0 s + store 4.3 s): the file was parsed twice, the fingerprints
  joined six columns with ``Series.str.cat``, the rows for SQLite went through ``pd.isna`` per cell.
* Before this round (CLI 5.93 s wall / 5.94 s CPU, 512.6 MiB; read 2.55 s + store 2.19 s; the
  re-import 1.28 s): ``executemany`` 2.4 s (SQLite's 2 MiB page cache spilled: the unique index on the
  fingerprints takes its inserts at random places), calamine 1.6 s (``get_sheet_by_name`` parses the
  whole sheet; ``to_python``), the per-field list comprehensions over the rows 0.5 s, ``cell_text``
  0.96 s (one Python call per distinct description and document number, nearly one per line),
  ``json.dump`` 0.3-1.9 s (half a million separate writes to stdout), the skipped rows iterated as
  pandas Series 0.2 s, and the interpreter loading every command's modules (pandas, the engine,
  openpyxl, the PDF writer) 0.6-0.9 s, which was all of the re-import's 1.28 s.
* Done: ``ledger import`` loads only its own command module; a file imported before is found by a
  read-only ``sqlite3`` query on its SHA-256 (:mod:`igemo_fin.records.import_lookup`) and answered
  from the kept report with no pandas, reader or store loaded; the JSON is written in one piece;
  the store runs one ``executemany`` over plain values made a chunk of lines at a time, in one
  transaction with a 16 MiB page cache (``synchronous=FULL`` stays); the cells are copied out of the
  rows in one numpy call; texts that need no cleaning are recognised by one Arrow regex; openpyxl
  is loaded only to name the column of a refused file. The fingerprints (SHA-256 per line) are
  unchanged: lines stored earlier are still recognised (``tests/inputs/test_ledger.py`` pins them).
* Measured after, full size, one run (load average 2.8 at the start and 3.6 at the end on 2 CPUs,
  shared with three other benchmarks, so wall time is about twice the CPU time): CLI import 8.11 s
  wall / 4.26 s CPU (was 5.94 s CPU), peak 423.5 MiB (was 512.6); re-import 0.45 s wall / 0.23 s CPU
  (was 1.28 s), 87 MiB, 18x faster than the first import; openpyxl's bare parse of the same file
  20.4 s wall / 10.6 s CPU (the whole import takes 0.40x its CPU). Goals: import < 3 s MISSED (CPU
  4.26 s), < 250 MiB MISSED, re-import < 0.3 s OK on CPU, MISSED on wall under that load. What is
  left of the re-import's CPU is the interpreter's start, the SHA-256 of 8 MiB and the JSON of the
  47,534 rows not counted (``json`` encodes indented output in Python).
* Second round, profile before (cProfile, CLI, fresh database): calamine 1.0 s
  (``get_sheet_by_name`` 0.7 + ``to_python`` 0.3), ``executemany`` 1.0 s, loading modules 0.6 s of which psycopg 0.06-0.11 s and openpyxl 0.05 s (the preview's
  column letters), the commit 0.2 s, fingerprints 0.3 s, ``cell_text`` 0.35 s.
* Done in the second round: psycopg and the PostgreSQL half of the store are loaded only for a
  ``postgresql://`` URL (or when a caller asks for the error tuples); the column letters are computed
  without openpyxl; the workbook reader is loaded only when a stored workbook is read; the lines go into
  SQLite sorted by the unique key ``(fingerprint, occurrence)`` (one Arrow sort, 0.08 s), so the
  key's index, whose SHA-256 keys came at random places, grows at its end: the store 1.30-1.39 s to
  1.00-1.07 s CPU in process. Schema, triggers, ``synchronous=FULL``, the one transaction, the
  fingerprints and every refusal are unchanged (the insert order is not visible: every reader orders
  by ``import_id, row`` or sums).
* Measured after, full size, the CLI run alternately with the first round's code (main) in the same
  minutes (user+system cpu, wall, peak RSS), load average 1.3-1.4 on 2 CPUs: main 5.04 / 4.95 s cpu,
  5.11 / 4.94 s wall, 430.5 MiB; this round 3.99 / 4.08 s cpu, 4.10 / 4.07 s wall, 374.6 / 367.7 MiB
  (-19 % cpu, -58 MiB). This script in the same minutes (load 1.3): CLI import 4.69 s wall /
  4.64 s cpu, peak 365.6 MiB; re-import 0.27 s wall / 0.26 s cpu; openpyxl's bare parse 11.15 s
  wall / 11.13 s cpu (0.42x; that run's cpu figures were high across the board, openpyxl's too).
  Goals: < 3 s MISSED, < 250 MiB MISSED, re-import < 0.3 s OK.
* The lower peak comes from Arrow's allocator: the lines' text columns are Arrow arrays, and
  Arrow's default pool (mimalloc) keeps freed temporaries cached; the ``ledger import`` command
  switches this one-file process to the system's malloc (no cpu cost measured, -40 MiB).
* What remains (in process, per step: user / system cpu): loading the modules 0.33 / 0.07 s
  (pandas, numpy, pyarrow: the lines are pandas frames), reading the sheet 1.07 / 0.12 s (calamine,
  85,000 page faults), validation and the lines frame 0.9 / 0.25 s, the store 1.18 / 0.21 s
  (``executemany`` about 0.7 s for the table and three indexes the schema requires, the plain values
  made from the frame 0.3 s (Arrow's ``to_pylist`` instead measured no faster), the commit's WAL
  write and checkpoint with ``fsync``), the xlsx safety scan 0.2 s. System time (0.5-1.1 s of the
  CLI's cpu) is mostly page faults of the 400 MiB peak and the WAL's writes.
* Memory, measured per step (``VmRSS`` sampled every 5 ms): the imports 105-112 MiB; calamine's
  ``get_sheet_by_name`` alone peaks at 249 MiB (it parses the whole sheet into its own cells, 73 MiB
  kept, more while parsing); ``to_python`` 292 MiB; after the read 243 MiB (the Python cells of
  200,000 rows, about 130 MiB); validation 285 MiB; the lines frame and the fingerprints 390-411 MiB.
  So with python-calamine 0.9 the 250 MiB goal cannot be met by any reshaping on the Python side:
  the sheet's parse alone reaches it, and ``iter_rows`` walks a sheet already parsed whole (it
  saves the row lists, not the parse). Meeting it needs a reader that streams the sheet's XML into
  typed columns (a Rust/Arrow reader such as fastexcel would still parse whole sheets), or reading
  the lines in chunks into Arrow columns and validating chunk by chunk (the decimal mark of text
  amounts is decided over the whole column today, so that needs two passes). Chunking the
  fingerprints and grouping the occurrences by integer codes were measured and gave nothing
  (the peak is the cells, not these temporaries), so they were not kept; nor was an indented JSON
  writer on the C encoder: cProfile showed ``json.dumps(indent=1)`` at 0.4 s, but without the
  profiler it takes 0.10 s for this report (0.08 s the C-encoder layout).
* Third round, before (quiet machine, load 0.6-0.9): CLI 3.90-3.94 s wall / cpu, peak 358.9-363.6 MiB.
  ``VmRSS`` sampled every 2 ms per step: imports 113 MiB, calamine's parse 250, after the read 243
  (the Python cells), validation 270, the lines frame and fingerprints 357 (the joined texts, a
  ``bytes`` and a hex ``str`` per line, a groupby over the hex texts for the occurrences), the store
  and the JSON on top of what was left: freed memory was not given back. Two causes found with
  ``tracemalloc`` and ``malloc_trim``: only ~95 MiB was live after reading (42 MiB Python, 53 MiB
  Arrow) while the process held 174 MiB above its imports, because glibc's malloc raises its mmap
  threshold after each large free, so the later multi-MiB columns came from the heap and their holes
  were never returned; and a second copy of the lines (``actual_lines``) lived through the store.
* Done in the third round: the sheet is read with ``iter_rows`` 20,000 rows at a time into compact
  columns (:mod:`igemo_fin.inputs.ledger_columns`: Arrow texts, float64, datetime64, a blank mask;
  mixed columns as objects), each chunk's Python cells dying before the next is read; the validation
  gets whole columns with one object per distinct cell, the description, journal and document as
  Arrow texts straight into ``cell_text`` (only texts that need cleaning become Python objects); the
  fingerprints are joined and hashed a chunk at a time into one digest buffer, hex-encoded in one
  call into one Arrow column, and the occurrences are counted from the digests' first word (checked
  against the whole digest) instead of a groupby over the texts; ``LedgerRead.actual_lines`` is made
  when asked (a mask is kept); the ``ledger import`` process fixes glibc's mmap and trim thresholds
  (:mod:`igemo_fin.ingest.process_memory`; -40 MiB); store migration 8 drops the
  ``(project_code, year)`` index: ``EXPLAIN QUERY PLAN`` showed the actuals' ``GROUP BY`` searching
  through it, 0.29 s for 200,000 lines, 0.13 s as a table scan without it, and ``executemany``
  0.92 s to 0.76 s in cProfile. Each distinct date is converted once, cell types looked up once per
  type. Fingerprints, occurrences, refusals, ``synchronous=FULL``, the one transaction, the triggers
  and the PostgreSQL path are unchanged (``tests/inputs/test_ledger_columns.py`` compares the
  column form with calamine's rows and the lines read both ways; the lines of the 200,000-line file
  were compared equal to the previous code's, frame for frame).
* Then, still in this round: the import workflow releases the sheet's cells once they are validated
  (``ledger_from_tables(..., release=True)``), before the lines frame is made (the fingerprints'
  step 255 to 240 MiB); ``key_order`` sorts the fingerprints in their own Arrow type (no copy cast to
  ``string``); the import connection's page cache 16 to 4 MiB: the lines come in the unique key's
  order, and 4 MiB measured as fast (store 1.04-1.24 s cpu either way) with 3 MiB less at the peak,
  which was then the store's.
* Measured after, full size (load 0.8-1.0 on 2 CPUs): this script: CLI import 4.08 s wall / 4.11 s
  cpu, peak 249.5 MiB; in process read 2.19 s + store 1.05 s, the actuals read back 0.13 s;
  re-import 0.24 s; openpyxl's bare parse 10.79 s cpu (the import 0.38x of it). The CLI alternately
  with main in the same minutes: this round 3.91 / 3.59 s wall, 3.93 / 3.63 s cpu, 249.7 / 249.6 MiB;
  main 4.02 / 3.90 s wall, 4.03 / 3.93 s cpu, 359.1 / 364.0 MiB (-110 MiB, cpu -0.1 to -0.3 s; the
  first CLI run of this script, right after generating the file, is 0.2-0.4 s slower than the runs
  alone). Goals: < 250 MiB OK (by half a MiB: calamine's parse alone reaches ~250), < 3 s MISSED.
* What remains (cProfile in process, 3.1 s with the profiler): calamine's ``get_sheet_by_name``
  0.71 s, which also sets a floor of ~250 MiB (imports 113 + its whole-sheet parse, before any
  Python cell exists): only a reader that streams the sheet's XML could go lower; ``executemany``
  0.76 s (the table, the unique key and the import index; the plain values made per chunk 0.28 s of
  it); the commit's WAL write and checkpoint 0.2 s; the column form 0.34 s (``iter_rows`` itself
  ~0.19 s); the xlsx safety scan 0.23 s (it inflates every sheet once to bound its cell references
  before calamine allocates for them: it cannot be shared with calamine's own inflate, and stopping
  early would let a sheet hide a huge reference at its end); the interpreter and imports ~0.4 s.
  After the parse, the store (~250 MiB: the lines frame, the report, a chunk of plain values, the
  page cache) and the lines frame (~240 MiB) are the highest steps.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ledger import generate, run_child  # noqa: E402


# Runs ``python -m igemo_fin ARGS`` and writes the process's own peak RSS (VmHWM: counted from its
# exec, unlike ru_maxrss, which keeps the peak of the benchmark's forked image) as stderr's last line.
_RUN_CLI = """
import runpy, sys
sys.argv = ["igemo_fin", *sys.argv[1:]]
try:
    runpy.run_module("igemo_fin", run_name="__main__", alter_sys=True)
finally:
    peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    sys.stderr.write("\\n" + peak)
"""


def cli_import(path: Path, db: Path) -> dict:
    """Run the CLI in a fresh interpreter: wall time, the child's own cpu time (``wait4``) and peak
    RSS, and the JSON it printed."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", _RUN_CLI, "ledger", "import", str(path), "--db", str(db),
                                  "--uploader", "benchmark", "--json"], stdout=out, stderr=err, cwd=ROOT,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        errors = err.read()
        if child.returncode != 0:
            raise RuntimeError(errors[-2000:])
        peak_kib = int(errors.strip().splitlines()[-1].split()[1])
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": peak_kib / 1024,
                "report": json.loads(out.read())}


def in_process(path: Path, db: Path) -> dict:
    """The same work in this process, timed per step, then the same file again (the re-import)."""
    from igemo_fin.ingest import prepare_ledger, store_ledger
    from igemo_fin.records.store import Store

    clock = time.perf_counter
    t0 = clock()
    data = path.read_bytes()
    upload = prepare_ledger(data, path.name, store=None)
    t1 = clock()
    store = Store(db)
    report = store_ledger(store, upload, uploader="benchmark")
    t2 = clock()
    report.as_json()
    t3 = clock()
    actuals = store.ledger_actuals()
    t4 = clock()
    again = prepare_ledger(path.read_bytes(), path.name, store=Store(db))
    t5 = clock()
    assert again.already_imported and again.read is None and again.report.rows_read == report.rows_read
    return {"read": t1 - t0, "store": t2 - t1, "report": t3 - t2, "actuals": t4 - t3, "reimport": t5 - t4,
            "actual_rows": len(actuals), "stored": report.rows_stored}


def fast_and_ordinary(path: Path) -> dict:
    """The sheet read both ways in this process (cpu time), and the lines both give compared whole:
    every column, dtype and value, the fingerprints, the skipped rows and the totals."""
    from igemo_fin.inputs.ledger import ledger_from_tables
    from igemo_fin.inputs.ledger_tables import read_tables

    data = path.read_bytes()
    t0 = time.process_time()
    fast = read_tables(data, path.name)
    t1 = time.process_time()
    ordinary = read_tables(data, path.name, fast=False)
    t2 = time.process_time()
    quick, slow = (ledger_from_tables(tables, path.name) for tables in (fast, ordinary))
    assert quick.lines.dtypes.equals(slow.lines.dtypes) and quick.lines.equals(slow.lines)
    assert quick.skipped.equals(slow.skipped) and (quick.actual_mask == slow.actual_mask).all()
    assert (quick.rows_read, quick.file_total_cents, quick.net_total_cents, quick.header_signature) == \
        (slow.rows_read, slow.file_total_cents, slow.net_total_cents, slow.header_signature)
    return {"fast": t1 - t0, "ordinary": t2 - t1, "lines": len(quick.lines)}


def _verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


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
        assert report["rows_read"] == args.rows == report["rows_imported"] + len(report["rows_skipped"]), report
        assert report["rows_stored"] == args.rows, report["rows_stored"]
        totals = sum(round(v * 100) for cats in report["totals_by_project"].values() for v in cats.values())
        skipped = len(report["rows_skipped"])
        with sqlite3.connect(db) as conn:
            stored_cents = conn.execute("SELECT SUM(amount_cents) FROM ledger_lines").fetchone()[0]
        assert stored_cents == net, (stored_cents, net)
        second = cli_import(path, db)
        assert second["report"]["already_imported"] and second["report"]["rows_stored"] == 0
        assert {k: v for k, v in second["report"].items() if k not in ("already_imported", "rows_stored")} == \
            {k: v for k, v in report.items() if k not in ("already_imported", "rows_stored")}
        parse = run_child("openpyxl", path)
        assert parse["rows"] == args.rows + 4, parse["rows"]  # title rows, header and totals row too
        steps = in_process(path, tmp / "inproc.db")
        both = fast_and_ordinary(path)

        print(f"CLI import, empty database   wall {first['wall']:6.2f} s   cpu {first['cpu']:6.2f} s   "
              f"peak {first['peak_mib']:6.1f} MiB   ({report['rows_stored']:,} lines stored, "
              f"{report['rows_imported']:,} actuals + {skipped:,} not counted; stored total "
              f"{stored_cents / 100:,.2f} EUR = the file's)")
        print(f"  baseline: openpyxl read-only, parsing only   wall {parse['wall']:6.2f} s   cpu "
              f"{parse['cpu']:6.2f} s   peak +{parse['peak_extra_mib']:6.1f} MiB   (ratio, cpu: the whole "
              f"import takes {first['cpu'] / parse['cpu']:.2f}x openpyxl's bare parse)")
        print(f"  in process: read {steps['read']:.2f} s + store {steps['store']:.2f} s + JSON report "
              f"{steps['report']:.2f} s; reading the actuals back {steps['actuals']:.2f} s "
              f"({steps['actual_rows']:,} project-year-category rows); the re-import "
              f"{steps['reimport'] * 1000:.0f} ms")
        print(f"  reading the sheet (file-safety scan included), cpu: {both['fast']:.2f} s, python-calamine "
              f"alone {both['ordinary']:.2f} s in the same run ({both['fast'] / both['ordinary']:.2f}x); the "
              f"{both['lines']:,} lines read either way are equal (columns, dtypes, values, fingerprints, "
              "skipped rows, totals)")
        print(f"CLI re-import, same file     wall {second['wall']:6.2f} s   cpu {second['cpu']:6.2f} s   "
              f"peak {second['peak_mib']:6.1f} MiB   (already imported: the same JSON, nothing read or added)")
        print(f"  baseline: the first import, {first['wall']:.2f} s wall: {first['wall'] / second['wall']:,.0f}x "
              "faster")
        print(f"  actual lines' totals in the JSON: {totals / 100:,.2f} EUR over "
              f"{len(report['totals_by_project'])} projects")

        scale = args.rows / 200_000
        limit = 3 * scale
        print("goals (200,000 lines; scaled to the rows asked):")
        print(f"  whole CLI import < {limit:.2f} s: {_verdict(first['wall'] < limit)} on wall time "
              f"({first['wall']:.2f} s), {_verdict(first['cpu'] < limit)} on cpu time ({first['cpu']:.2f} s); "
              "a loaded machine stretches wall time, see the load average")
        print(f"  peak memory < 250 MiB: {_verdict(first['peak_mib'] < 250)} ({first['peak_mib']:.1f} MiB)")
        print(f"  same file again via the CLI < 0.3 s: {_verdict(second['wall'] < 0.3)} on wall time "
              f"({second['wall']:.2f} s), {_verdict(second['cpu'] < 0.3)} on cpu time ({second['cpu']:.2f} s)")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
