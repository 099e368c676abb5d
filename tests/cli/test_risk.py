"""Tests of igemo_fin.cli.risk: ``evaluate --simulations`` adds the Monte Carlo's figures."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.cli.main import main
from igemo_fin.exports.workbook_writer import write_workbook
from igemo_fin.inputs.workbook import read_workbook

from risk_portfolios import MIXED_RISKS, V, risk, tight, with_a


def write(pf: Portfolio, path, *, equity=2_000_000.0):
    projects = pf.projects.copy()
    projects["bestemming_zeker"] = projects["bestemming_zeker"].map({True: "ja", False: "nee"})
    flows = pf.cashflows.copy()
    flows["bedrag"] = flows["bedrag"].abs()
    write_workbook({
        "projecten": projects,
        "kasstromen": flows,
        "kaskrediet": pf.credit,
        "drempels": pd.DataFrame({"parameter": ["max_kans_verlies_pct"], "waarde": [30]}),
        "risicos": pf.risks,
        "instellingen": pd.DataFrame({"parameter": ["eigen_vermogen", "waarderingsjaar"], "waarde": [equity, V]}),
    }, path)
    return path


class TestCli:
    def test_evaluate_with_simulations(self, tmp_path, capsys):
        pf, _ = tight([risk("T", "eenmalig_eur", 37, 100_000)])
        path = write(pf, tmp_path / "p.xlsx")
        assert read_workbook(path).risks.shape[0] == 1
        code = main(["evaluate", str(path), "--simulations", "20000", "--seed", "3", "--json"])
        assert code == 0
        out = json.loads(capsys.readouterr().out)
        p = out["projects"][0]
        assert abs(100 * p["prob_loss"] - 37) < 1.5
        for key in ("npv_p10", "npv_p50", "npv_p90", "expected_shortfall"):
            assert isinstance(p[key], float)
        assert p["verdict"] == "BIJSTUREN"
        rule = {r["rule"]: r for r in p["rules"]}["max_kans_verlies_pct"]
        assert rule["evaluated"] and rule["fired"]
        for key in ("loss_p90", "risk_capacity_ratio", "risk_capacity_grade"):
            assert key in out["portfolio"]

    def test_same_seed_same_json(self, tmp_path, capsys):
        pf, _ = with_a(MIXED_RISKS)
        path = write(pf, tmp_path / "p.xlsx")
        outs = []
        for _ in range(2):
            assert main(["evaluate", str(path), "--simulations", "1000", "--seed", "5", "--json"]) == 0
            outs.append(capsys.readouterr().out)
        assert outs[0] == outs[1]

    def test_simulation_off_marks_the_chance_rules_not_evaluated(self, tmp_path, capsys):
        pf, _ = tight([risk("T", "eenmalig_eur", 37, 100_000)])
        path = write(pf, tmp_path / "p.xlsx")
        assert main(["evaluate", str(path), "--json", "--simulations", "0"]) == 0
        out = json.loads(capsys.readouterr().out)
        project = out["projects"][0]
        assert project["prob_loss"] is None and "npv_p10" not in project
        assert project["verdict"] == "DOORGAAN"
        chance = [r for r in project["rules"] if r["rule"] in ("max_kans_verlies_pct", "stop_kans_verlies_pct")]
        assert [r["evaluated"] for r in chance] == [False, False]
        assert out["basis"]["simulation"]["iterations"] == 0

    def test_the_simulation_runs_by_default(self, tmp_path, capsys):
        # 37 % chance that a one-off 100,000 turns the forward value negative > 30 %: BIJSTUREN, the same
        # verdict the dashboard gives with the workbook's default settings (10,000 futures, seed 0).
        pf, _ = tight([risk("T", "eenmalig_eur", 37, 100_000)])
        path = write(pf, tmp_path / "p.xlsx")
        assert main(["evaluate", str(path), "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["projects"][0]["verdict"] == "BIJSTUREN"
        assert out["projects"][0]["prob_loss"] == pytest.approx(0.37, abs=0.02)
        assert out["basis"]["simulation"] == {"iterations": 10_000, "seed": 0, "reference_class": False,
                                              "rate_spread_bp": 0.0}

    def test_invalid_workbook_exits_2(self, tmp_path, capsys):
        path = tmp_path / "bad.xlsx"
        write_workbook({"projecten": pd.DataFrame({"x": [1]})}, path)
        assert main(["evaluate", str(path), "--simulations", "100"]) == 2
        assert capsys.readouterr().out == ""

    def test_invalid_simulation_count(self, tmp_path):
        with pytest.raises(SystemExit) as exc:
            main(["evaluate", "x.xlsx", "--simulations", "-1"])
        assert exc.value.code == 2
