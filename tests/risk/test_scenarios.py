"""Tests of igemo_fin.risk.scenarios: the stressed workbook and the named stress scenarios."""

from __future__ import annotations

import pandas as pd
import pytest

from igemo_fin.valuation.basis import SimulationSettings
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.risk.scenarios import SCENARIO_COLUMNS, SCENARIOS, run_scenarios, scenarios, stress_portfolio

from risk_portfolios import (A_FLOWS, A_PV_OTHER, A_PV_SALES, MIXED_RISKS, V, make_portfolio, project, risk, tight,
                             with_a)


class TestScenarios:
    def test_named_scenarios(self):
        pf, ev = with_a()
        frame = scenarios(pf, ev)
        assert list(frame.columns) == list(SCENARIO_COLUMNS)
        assert frame["scenario"].tolist() == ["basis", "rente_plus_200bp", "verkoopprijs_min_15pct",
                                              "vertraging_2_jaar", "alles_samen"]
        s = frame.set_index("scenario")
        assert s.loc["basis", "npv_forward_change"] == 0
        assert s.loc["basis", "npv_forward_active"] == pytest.approx(ev.figures["npv_forward"].iloc[0])
        # sales -15 %: the forward value falls by 15 % of the sales' present value
        assert s.loc["verkoopprijs_min_15pct", "npv_forward_change"] == pytest.approx(-0.15 * A_PV_SALES)
        # two years' delay: revenues' PV times 1.03^-2
        assert s.loc["vertraging_2_jaar", "npv_forward_change"] == pytest.approx(
            (A_PV_SALES + A_PV_OTHER) * (1.03 ** -2 - 1))
        # +200 bp: discounting at 5 % instead of 3 %
        at5 = -500_000 * 1.05 ** -0.5 + 1_000_000 * 1.05 ** -1.5 + 1_000_000 * 1.05 ** -2.5
        assert s.loc["rente_plus_200bp", "npv_forward_active"] == pytest.approx(at5)
        assert s.loc["rente_plus_200bp", "interest_future"] > s.loc["basis", "interest_future"]
        assert s.loc["alles_samen", "npv_forward_change"] < s[["npv_forward_change"]].iloc[1:4].min().iloc[0]

    def test_verdicts_changed_are_listed(self):
        pf, ev = tight()
        result = run_scenarios(pf, ev)
        s = result.summary.set_index("scenario")
        # T earns 66,964 today; sales -15 % (-157,844 in PV) turns it negative: BIJSTUREN.
        assert s.loc["verkoopprijs_min_15pct", "verdicts_changed"] == 1
        assert s.loc["verkoopprijs_min_15pct", "changes"] == "T: DOORGAAN -> BIJSTUREN"
        detail = result.projects.set_index(["scenario", "project_code"])
        assert detail.loc[("verkoopprijs_min_15pct", "T"), "verdict"] == "BIJSTUREN"
        assert not detail.loc[("basis", "T"), "changed"]

    def test_with_monte_carlo(self):
        pf, ev = tight([risk("T", "eenmalig_eur", 37, 100_000)])
        s = scenarios(pf, ev, iterations=2_000).set_index("scenario")
        assert s.loc["basis", "n_bijsturen"] == 1   # the loss chance fires already in the basis

    def test_stress_extends_the_credit_table(self):
        pf = make_portfolio([project("A")], A_FLOWS, last=2027)
        stressed = stress_portfolio(pf, V, delay_years=2)
        assert stressed.credit["jaar"].max() == 2029
        assert stressed.cashflows.loc[stressed.cashflows["categorie"] == "verkoop", "jaar"].tolist() == [2028, 2029]


class TestSharedDraws:
    def _separately(self, pf, ev):
        """Each scenario evaluated on its own (no shared draws, the basis evaluated again)."""
        return {key: evaluate(ev.basis.with_(portfolio=stress_portfolio(pf, V, price_change_pct=price,
                                                                         delay_years=delay),
                                             rate_shift_bp=ev.basis.rate_shift_bp + bp))
                for key, (_, bp, price, delay) in SCENARIOS.items()}

    def test_the_same_figures_as_evaluating_each_scenario_alone(self):
        pf = make_portfolio([project("A")], A_FLOWS, MIXED_RISKS)
        ev = evaluate(pf, valuation_year=V, simulation=SimulationSettings(iterations=800, seed=3, rate_spread_bp=30))
        result = run_scenarios(pf, ev)
        assert result.evaluations["basis"] is ev  # nothing in it differs from ev's basis
        for key, alone in self._separately(pf, ev).items():
            shared = result.evaluations[key]
            pd.testing.assert_frame_equal(shared.figures, alone.figures, check_exact=True)
            pd.testing.assert_frame_equal(shared.simulation.projects, alone.simulation.projects, check_exact=True)
            assert shared.simulation.portfolio == alone.simulation.portfolio

    def test_the_scenarios_draw_once(self, monkeypatch):
        import igemo_fin.risk.draws as draws

        pf, ev = tight([risk("T", "eenmalig_eur", 37, 100_000)])
        calls = []
        real = draws.draw_effects
        monkeypatch.setattr(draws, "draw_effects", lambda *a: calls.append(1) or real(*a))
        run_scenarios(pf, ev, iterations=500)
        assert len(calls) == 1
