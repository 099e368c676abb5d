"""Tests of igemo_fin.postcalc.assessment: a proposed project tested as if it were in the portfolio.

The figures of the proposal are worked out by hand in ``proposal_portfolios``."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.postcalc.calculation import post_calculation
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.postcalc.assessment import CREDIT_COMPARE_COLUMNS, UPLIFT_ROW_COLUMNS, assess_proposal, credit_peak
from igemo_fin.postcalc.proposal import PROPOSAL_CODE, ProposalError, add_proposal, apply_uplift
from igemo_fin.risk.montecarlo import simulate

from conftest import DEMO_WORKBOOK
from proposal_portfolios import I_2026, I_2027, T_NPV, T_RESULT, V, df, existing, t_proposal, with_finished


def test_credit_peak_by_hand():
    # Project A draws 500,000 from 2020 plus interest; with T the drawn balance of 2026 rises by T's
    # book value at 31/12/2026 (1,020,277.78) and falls back in 2027 (T has then paid back).
    pf = existing()
    before = evaluate(pf, valuation_year=V)
    after = evaluate(add_proposal(pf, t_proposal()), valuation_year=V)
    b, a = credit_peak(before), credit_peak(after)
    drawn = before.credit.set_index("jaar")["drawn_end"]
    assert b["drawn"] == pytest.approx(drawn.loc[V:].max()) and b["limit"] == 10_000_000.0
    assert a["year"] == 2026
    assert a["drawn"] == pytest.approx(drawn.loc[2026] + 1_000_000 + I_2026)
    assert a["headroom"] == pytest.approx(10_000_000.0 - a["drawn"]) and a["over_limit_years"] == []


class TestAssessByHand:
    @pytest.fixture(scope="class")
    def result(self):
        return assess_proposal(existing(), t_proposal(), valuation_year=V, iterations=2_000, seed=7,
                               reference_class=False)

    def test_figures(self, result):
        f = result.figures
        assert f["npv_forward"] == pytest.approx(T_NPV, abs=0.01)  # 56,571.96
        assert f["result_nominal"] == pytest.approx(T_RESULT, abs=0.01)  # 60,649.85
        assert f["interest_total"] == pytest.approx(I_2026 + I_2027, abs=0.01)  # 39,350.15
        assert f["peak_book_value"] == pytest.approx(1_000_000 + I_2026, abs=0.01)  # 1,020,277.78
        assert f["irr_full_life"] == pytest.approx(0.10)

    def test_verdict_with_every_rule_and_the_chance_of_loss(self, result):
        # No risk and no reference class: every simulation is the forecast, so the chance of loss is 0
        # and the two loss-chance rules are evaluated (not "niet beoordeeld").
        assert result.verdict == "DOORGAAN"
        assert result.prob_loss == 0.0
        rules = result.rules.set_index("rule")
        assert rules.loc["max_kans_verlies_pct", "evaluated"] and not rules["fired"].any()
        assert rules.loc["max_rente_op_marge_pct", "value"] == pytest.approx(100 * (I_2026 + I_2027) / 100_000)
        assert len(result.npv_samples) == 2_000 and np.allclose(result.npv_samples, T_NPV)

    def test_cash_credit_before_and_after(self, result):
        assert list(result.credit.columns) == list(CREDIT_COMPARE_COLUMNS)
        extra = result.credit.set_index("jaar")["extra"]
        assert extra.loc[2026] == pytest.approx(1_000_000 + I_2026)
        assert extra.loc[2027] == pytest.approx(0.0)
        assert result.credit_after["year"] == 2026

    def test_the_portfolio_is_not_changed(self, result):
        assert result.code == PROPOSAL_CODE and result.notes == ()


class TestAssessWithTheReferenceClass:
    """Three finished business parks overran their costs by 0 %, 0 % and 30 %: the proposal's forward NPV
    is 56,571.96 when the land costs as planned and -1,300,000 x 1.04^-0.5 + 1,037,152.64 = -237,602.24
    with 30 % more; a bootstrap picks each of the three with chance 1/3, so the chance of loss is 1/3."""

    @pytest.fixture(scope="class")
    def result(self):
        return assess_proposal(with_finished(), t_proposal(), valuation_year=V, iterations=20_000, seed=2026)

    def test_chance_of_loss_is_one_third(self, result):
        assert result.prob_loss == pytest.approx(1 / 3, abs=0.015)
        assert set(np.round(np.unique(result.npv_samples), 2)) == {
            round(T_NPV, 2), round(-1_300_000 * df(2026) + 1_100_000 * df(2027), 2)}
        # 33 % is above the 30 % of max_kans_verlies_pct: adjust.
        assert result.verdict == "BIJSTUREN"
        assert result.rules.set_index("rule").loc["max_kans_verlies_pct", "fired"]

    def test_figures_with_and_without_the_uplift(self, result):
        u = result.uplift.set_index("level")
        assert list(result.uplift.columns) == list(UPLIFT_ROW_COLUMNS)
        assert u.loc["zonder", "npv_forward"] == pytest.approx(T_NPV, abs=0.01)
        # P50 of (1, 1, 1.3) = 1; P80 = 1 + 0.6 x 0.3 = 1.18 (numpy's linear interpolation).
        assert u.loc["p50", "cost_ratio"] == pytest.approx(1.0)
        assert u.loc["p50", "npv_forward"] == pytest.approx(T_NPV, abs=0.01)
        assert u.loc["p80", "cost_ratio"] == pytest.approx(1.18)
        assert (u.loc["p80", "revenue_ratio"], u.loc["p80", "delay_years"]) == (pytest.approx(1.0), pytest.approx(0.0))
        # -1,180,000 x 1.04^-0.5 + 1,037,152.64 = -119,932.56: below 0, above -500,000: adjust.
        assert u.loc["p80", "npv_forward"] == pytest.approx(-119_932.56, abs=0.01)
        assert u.loc["p80", "verdict"] == "BIJSTUREN"
        assert (u.loc["p80", "basis"], u.loc["p80", "class_size"]) == ("type", 3)
        assert result.reference_type == {"type": "bedrijventerrein", "basis": "type", "finished_count": 3,
                                         "class_size": 3}

    def test_risk_capacity_before_and_after(self, result):
        # Before: only finished projects, no open loss: nothing to cover. After: in 1 of 3 futures the
        # proposal loses its result at 130 % of the costs; IGEMO carries half (risicodeling 50 %),
        # and that is the P90 of the loss.
        assert result.capacity_before["loss_p90"] == 0.0 and result.capacity_before["risk_capacity_grade"] == "A"
        pf = add_proposal(with_finished(), t_proposal())
        worst = evaluate(apply_uplift(pf, PROPOSAL_CODE, V, cost_ratio=1.3), valuation_year=V)
        loss = -worst.figures.set_index("project_code").loc[PROPOSAL_CODE, "result_nominal"]
        assert result.capacity_after["loss_p90"] == pytest.approx(0.5 * loss, rel=1e-9)
        assert result.capacity_after["risk_capacity_ratio"] == pytest.approx(1_000_000 / (0.5 * loss))


def test_existing_projects_get_the_same_draws_with_and_without_the_proposal():
    # The module's promise: any difference in the portfolio's figures is the proposal's.
    pf = read_workbook(DEMO_WORKBOOK)
    ev = evaluate(pf)
    members = post_calculation(pf, evaluation=ev).projects
    after = add_proposal(pf, t_proposal())
    before_sim = simulate(pf, ev, iterations=1_000, seed=5, reference=members)
    after_sim = simulate(after, evaluate(after), iterations=1_000, seed=5, reference=members)
    n = len(pf.project_codes)
    np.testing.assert_array_equal(after_sim.npv_forward[:, :n], before_sim.npv_forward)


def test_a_taken_code_is_renamed_with_a_note():
    pf = add_proposal(existing(), t_proposal())
    result = assess_proposal(pf, t_proposal(), valuation_year=V, iterations=200, reference_class=False)
    assert result.code == "NIEUW-2" and "NIEUW-2" in result.notes[0]


def test_flows_before_the_valuation_year_are_refused():
    flows = pd.DataFrame({"jaar": [2025, 2027], "categorie": ["verwerving", "verkoop"], "bedrag": [1.0, 2.0]})
    with pytest.raises(ProposalError, match="voor het waarderingsjaar 2026"):
        assess_proposal(existing(), t_proposal(startjaar=2025, flows=flows), valuation_year=V, iterations=10)
