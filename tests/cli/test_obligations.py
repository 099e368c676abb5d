"""python -m igemo_fin evaluate: the obligations per project, also from the risk model's P90 loss."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, build_sheets, flat_credit, flows, project


def run(*args):
    return subprocess.run([sys.executable, "-m", "igemo_fin", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_evaluate_json_has_the_obligations(write_book):
    # W: 50 % above 100,000 of a 300,000.02 result (0 %) -> owed 100,000.01; POC 1 * 300/1,300.00002
    # L: loss 500,000 at 40 % capped at 150,000 -> IGEMO 350,000 = write-down
    sheets = build_sheets(
        [project("W", winstdeling_gemeente_pct=50, winstdeling_drempel=100_000),
         project("L", risicodeling_gemeente_pct=40, risicodeling_plafond=150_000)],
        flows(("W", "prognose", 2023, "verwerving", 1_000_000), ("W", "prognose", 2024, "verkoop", 300_000),
              ("W", "prognose", 2025, "verkoop", 1_000_000.02),
              ("L", "prognose", 2023, "verwerving", 1_000_000), ("L", "prognose", 2026, "verkoop", 500_000)),
        flat_credit(rate=0.0))
    out = run("evaluate", write_book(sheets), "--year", 2025, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    w, l_p = data["projects"]
    assert w["profit_share_owed"] == 100_000.01
    assert w["poc"] == pytest.approx(300_000 / 1_300_000.02, abs=1e-9)
    assert w["profit_share_provision"] == 23_076.93  # 100,000.01 * 300,000 / 1,300,000.02 = 23,076.925...
    assert (w["write_down"], w["loss_share_municipality"], w["loss_share_igemo"]) == (0.0, 0.0, 0.0)
    assert (l_p["write_down"], l_p["loss_share_municipality"], l_p["loss_share_igemo"]) == (
        350_000.0, 150_000.0, 350_000.0)
    assert (l_p["profit_share_owed"], l_p["poc"], l_p["profit_share_provision"]) == (0.0, 0.0, 0.0)
    assert data["portfolio"]["write_down_total"] == 350_000.0
    assert data["portfolio"]["profit_share_provision_total"] == 23_076.93


class TestP90FromTheRiskModel:
    def test_evaluate_with_simulations_splits_the_p90_loss(self, write_book):
        # no risk register: every iteration gives the deterministic result -500,000 -> P90 loss 500,000,
        # 40 % = 200,000 capped at 150,000 -> IGEMO 350,000
        sheets = build_sheets([project("L", risicodeling_gemeente_pct=40, risicodeling_plafond=150_000)],
                              flows(("L", "prognose", 2023, "verwerving", 1_000_000),
                                    ("L", "prognose", 2026, "verkoop", 500_000)), flat_credit(rate=0.0))
        out = run("evaluate", write_book(sheets), "--year", 2025, "--simulations", 50, "--json")
        assert out.returncode == 0, out.stderr
        entry = json.loads(out.stdout)["projects"][0]
        assert (entry["loss_p90_municipality"], entry["loss_p90_igemo"]) == (150_000.0, 350_000.0)
        assert entry["write_down"] == 350_000.0
