"""The load script (benchmarks/load_sessions.py): its percentile, its page list, and one short run."""

from __future__ import annotations

import json
import re
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, in_own_thread

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
    code = in_own_thread(load_sessions.main, argv)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert code == (0 if report["goal_met"] else 1)
    assert report["failed_sessions"] == []
    assert report["page_loads"] == 2 * len(report["pages"])
    assert all(row["n"] == 2 and 0 < row["p50"] <= row["max"] for row in report["per_page"].values())
    assert report["server_cpu_s"] > 0


def test_sessions_arriving_together_right_after_a_start_all_run(tmp_path):
    """Right after a server start, sessions that open "/" and pages at the same moment all get their page.

    Regression: the first run used to rerun through dashboard.py by raising inside an import, and a
    second session importing the same module at that moment got it half-built ("cannot import name
    'navigation_pages' from 'ui.auth'"). Three fresh servers, four first requests each.
    """
    import asyncio

    from tests.e2e.conftest import _start_app

    pages = load_sessions.demo_pages()
    by_path = dict((path, title) for title, path in pages)
    firsts = ["", "kaskrediet", "risico", "gegevens"]

    async def together(url):
        return await asyncio.gather(*(load_sessions.run_protocol_session(
            url, [(by_path.get(path, "Overzicht"), path), pages[1]], i, 60.0) for i, path in enumerate(firsts)))

    for attempt in range(3):
        proc, url = _start_app({"IGEMO_WORKBOOK": str(ROOT / "data" / "demo_portefeuille.xlsx"),
                                "IGEMO_DB": str(tmp_path / f"start{attempt}.db"), "IGEMO_DEMO": ""})
        try:
            results = in_own_thread(asyncio.run, together(url))
        finally:
            proc.terminate()
            proc.wait(10)
        assert [r.error for r in results] == [None] * len(firsts), f"start {attempt}"
        assert all(len(r.times) == 2 for r in results)


def test_a_server_elsewhere_is_measured_by_url(tmp_path):
    """``--url``: the script measures a server it did not start (here one on this machine) and reports no
    server CPU time for it; the JSON stays strict (null, not NaN)."""
    from tests.e2e.conftest import _start_app

    proc, url = _start_app({"IGEMO_WORKBOOK": str(ROOT / "data" / "demo_portefeuille.xlsx"),
                            "IGEMO_DB": str(tmp_path / "elders.db"), "IGEMO_DEMO": ""})
    out = tmp_path / "load.json"
    try:
        argv = ["--protocol", "--sessions", "2", "--no-warmup", "--url", url + "/", "--json", str(out)]
        in_own_thread(load_sessions.main, argv)
        assert proc.poll() is None, "the script leaves a server it did not start running"
    finally:
        proc.terminate()
        proc.wait(10)
    text = out.read_text(encoding="utf-8")
    report = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))
    assert report["url"] == url and report["server_cpu_s"] is None
    assert report["failed_sessions"] == [] and report["page_loads"] == 2 * len(report["pages"])
