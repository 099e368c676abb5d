"""Benchmark: every dashboard page on the demo data, first load (cold caches) and warm rerun.

Goals: warm rerun under 1 s and first load under 3 s per page. Measured with Streamlit's
AppTest in this process (script execution and engine work, not the browser's drawing); the baseline,
measured in the same run, is a page that only writes a title, so the ratios show what our pages add.

    .venv/bin/python benchmarks/bench_pages.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("IGEMO_WORKBOOK", str(ROOT / "data" / "demo_portefeuille.xlsx"))

import logging  # noqa: E402

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402


logging.getLogger("streamlit").setLevel(logging.ERROR)


def pages() -> list[str]:
    """Every page file dashboard.py registers (any layout of the PAGES dict)."""
    import re

    text = (ROOT / "dashboard.py").read_text()
    return re.findall(r'st\.Page\(\s*"([^"]+)"', text)


def measure(page: str | None) -> tuple[float, float]:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    if page is None:
        t0 = time.perf_counter()
        at.run()
        return time.perf_counter() - t0, 0.0
    at.run()  # the entry page, so switch_page works
    st.cache_data.clear()
    t0 = time.perf_counter()
    at.switch_page(page).run()
    first = time.perf_counter() - t0
    assert not at.exception, (page, [e.value for e in at.exception])
    t0 = time.perf_counter()
    at.run()
    warm = time.perf_counter() - t0
    return first, warm


def baseline() -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write("import streamlit as st\nst.title('Leeg')\n")
    times = []
    for _ in range(3):
        at = AppTest.from_file(f.name, default_timeout=60)
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    base = baseline()
    print(f"baseline (a page with only a title): {base * 1000:.0f} ms")
    print(f"{'page':32s} {'first load':>11s} {'warm rerun':>11s} {'warm/base':>10s}  goal")
    ok = True
    for page in pages():
        runs = [measure(page) for _ in range(args.repeat)]
        first = statistics.median(r[0] for r in runs)
        warm = statistics.median(r[1] for r in runs)
        met = first < 3 and warm < 1
        ok &= met
        print(f"{page:32s} {first:10.2f}s {warm:10.2f}s {warm / base:9.1f}x  {'OK' if met else 'MISSED'}")
    print("all goals met" if ok else "some goals missed")


if __name__ == "__main__":
    main()
