"""A stored portfolio for the command-line tests, its verdicts worked out by hand from DOMAIN.md.

The expected verdicts come from the figures and DOMAIN.md's rules (mid-year discounting, ACT/360
interest on the book value, the most severe fired rule decides), computed here without the engine:
with the workbook's thresholds (:data:`DEFAULTS`) and with the official ones the tests set
(:data:`SET_ARGS`, meaning :data:`OFFICIAL`).
"""

from __future__ import annotations

import calendar
import sqlite3
import subprocess
import sys

from conftest import ROOT, build_sheets, flat_credit, flows, project

V = 2025
RATE_PCT = 4.0  # the cash credit's rate, every year
PROJECTS = [
    project("A"),
    project("B", startjaar=2024),
    project("C", startjaar=2024),
    project("D", startjaar=2019, bestemming_zeker="nee"),
    project("E", startjaar=2024, marktwaarde_huidige_staat=1_500_000),
]
FLOWS = flows(
    ("A", "prognose", 2023, "verwerving", 1_000_000), ("A", "prognose", 2024, "infrastructuur", 400_000),
    ("A", "prognose", 2025, "verkoop", 900_000), ("A", "prognose", 2026, "verkoop", 900_000),
    ("B", "prognose", 2024, "verwerving", 500_000), ("B", "prognose", 2025, "infrastructuur", 300_000),
    ("B", "prognose", 2026, "verkoop", 250_000),
    ("C", "prognose", 2024, "verwerving", 1_000_000), ("C", "prognose", 2025, "verkoop", 560_000),
    ("C", "prognose", 2026, "verkoop", 560_000),
    ("D", "prognose", 2019, "verwerving", 200_000), ("D", "prognose", 2026, "verkoop", 400_000),
    ("E", "prognose", 2024, "verwerving", 1_000_000), ("E", "prognose", 2025, "verkoop", 560_000),
    ("E", "prognose", 2026, "verkoop", 560_000),
)
#: DOMAIN.md's defaults: the workbook's sheet 'drempels' is empty.
DEFAULTS = {"disconteringsvoet_pct": None, "bijsturen_npv_onder": 0.0, "stop_npv_onder": -500_000.0,
            "min_irr_pct": 3.0, "max_rente_op_marge_pct": 50.0, "max_jaren_zonder_bestemming": 5.0,
            "stop_jaren_zonder_bestemming": 10.0, "afstoten_voordeel_min": 100_000.0}
#: What finance sets with ``thresholds set`` (as typed, Belgian numbers too) and what that means.
SET_ARGS = ["stop_npv_onder=-50.000", "min_irr_pct=10", "max_jaren_zonder_bestemming=8",
            "afstoten_voordeel_min=500000", "disconteringsvoet_pct=6,5"]
OFFICIAL = {**DEFAULTS, "stop_npv_onder": -50_000.0, "min_irr_pct": 10.0, "max_jaren_zonder_bestemming": 8.0,
            "afstoten_voordeel_min": 500_000.0, "disconteringsvoet_pct": 6.5}


# --------------------------------------------------------------------------- the independent calculation

def yearly_flows(code: str) -> dict[int, float]:
    """Net cash flow per year (revenues +, costs -) of a project's forecast."""
    out: dict[int, float] = {}
    for row in FLOWS[FLOWS["project_code"] == code].itertuples():
        out[row.jaar] = out.get(row.jaar, 0.0) + (row.bedrag if row.categorie == "verkoop" else -row.bedrag)
    return out


def irr(cf: list[float]) -> float | None:
    """The rate that makes the NPV of ``cf`` (t = 0, 1, ...) zero, by bisection; None without a sign change."""
    if min(cf) >= 0 or max(cf) <= 0:
        return None
    npv = lambda r: sum(c / (1 + r) ** t for t, c in enumerate(cf))  # noqa: E731
    lo, hi = -0.99, 10.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if npv(lo) * npv(mid) > 0 else (lo, mid)
    return (lo + hi) / 2


def expected_verdict(p: dict, t: dict) -> str:
    cf = yearly_flows(p["project_code"])
    years = range(min(cf), max(cf) + 1)
    r = (RATE_PCT if t["disconteringsvoet_pct"] is None else t["disconteringsvoet_pct"]) / 100
    npv_forward = sum(cf.get(y, 0.0) / (1 + r) ** (y - V + 0.5) for y in years if y >= V)
    book, future_interest = 0.0, 0.0
    for y in years:
        flow = cf.get(y, 0.0)
        interest = RATE_PCT / 100 * (366 if calendar.isleap(y) else 365) / 360 * max(book - flow / 2, 0.0)
        book = book - flow + interest
        future_interest += interest if y >= V else 0.0
    future_inflow = sum(cf.get(y, 0.0) for y in years if y >= V)
    rate = irr([cf.get(y, 0.0) for y in years])

    fired = set()
    if npv_forward < t["bijsturen_npv_onder"]:
        fired.add("BIJSTUREN")
    if npv_forward < t["stop_npv_onder"]:
        fired.add("STOPZETTEN")
    if rate is None or 100 * rate < t["min_irr_pct"]:
        fired.add("BIJSTUREN")
    if future_inflow <= 0:
        interest_fires = future_interest > 0
    else:
        interest_fires = 100 * future_interest / future_inflow > t["max_rente_op_marge_pct"]
    if interest_fires:
        fired.add("BIJSTUREN")
    if p["bestemming_zeker"] == "nee" and V - p["startjaar"] > t["max_jaren_zonder_bestemming"]:
        fired.add("BIJSTUREN")
    if p["bestemming_zeker"] == "nee" and V - p["startjaar"] > t["stop_jaren_zonder_bestemming"]:
        fired.add("STOPZETTEN")
    market = p["marktwaarde_huidige_staat"]
    if market is not None and market - npv_forward > t["afstoten_voordeel_min"]:
        fired.add("AFSTOTEN")
    for verdict in ("AFSTOTEN", "STOPZETTEN", "BIJSTUREN"):
        if verdict in fired:
            return verdict
    return "DOORGAAN"


def expected_verdicts(t: dict) -> dict[str, str]:
    return {p["project_code"]: expected_verdict(p, t) for p in PROJECTS}


# --------------------------------------------------------------------------- running the command line

def run(*args):
    return subprocess.run([sys.executable, "-m", "igemo_fin", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def ok(*args):
    out = run(*args)
    assert out.returncode == 0, out.stderr
    return out


def dump(db) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


def stored_database(write_book, tmp_path):
    """A database holding the workbook (no official thresholds yet); ``write_book`` is conftest's fixture."""
    book = write_book(build_sheets(PROJECTS, FLOWS, flat_credit(rate=RATE_PCT)))
    db = tmp_path / "igemo.db"
    ok("workbook", "import", book, "--db", db, "--uploader", "test")
    return db


def verdicts_of(payload: dict) -> dict[str, str]:
    return {p["project_code"]: p["verdict"] for p in payload["projects"]}
