"""The load script (benchmarks/load_sessions.py): its percentile, its page list, and one short run."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
import re
import sys

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import load_sessions  # noqa: E402


@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=200), st.integers(1, 100))
def test_percentile_is_the_nearest_rank(values, q):
    # numpy's "inverted_cdf" is the nearest-rank definition: the smallest value with at least q % at or below it.
    assert load_sessions.percentile(values, q) == np.percentile(values, q, method="inverted_cdf")


def test_the_demo_user_visits_every_page_but_the_municipalitys():
    titles = [t for t, _ in load_sessions.demo_pages()]
    every = re.findall(r'st\.Page\("pages/\w+\.py", title="([^"]+)"', (ROOT / "dashboard.py").read_text("utf-8"))
    assert titles == [t for t in every if t != "Mijn gemeente"]


def test_a_short_protocol_run_reports_every_page(tmp_path):
    """Two sessions through Streamlit's websocket protocol against a real server: no failed session and a
    time for every page of every session (whether the goal is met depends on the machine)."""
    out = tmp_path / "load.json"
    argv = ["--protocol", "--sessions", "2", "--no-warmup", "--json", str(out), "--deadline", "240"]
    # Its own thread: the script runs its own event loop, and the browser tests' Playwright keeps one
    # running in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        code = pool.submit(load_sessions.main, argv).result()
    report = json.loads(out.read_text(encoding="utf-8"))
    assert code == (0 if report["goal_met"] else 1)
    assert report["failed_sessions"] == []
    assert report["page_loads"] == 2 * len(report["pages"])
    assert all(row["n"] == 2 and 0 < row["p50"] <= row["max"] for row in report["per_page"].values())
    assert report["server_cpu_s"] > 0
