"""Tests of igemo_fin.postcalc.proposal: a proposed project tested as if it were in the portfolio.

The portfolios are built in code with a flat 4 % cash credit and valuation year 2026; the figures of
the proposal are worked out by hand in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from igemo_fin.columns import COST_CATEGORIES, PROJECT_COLUMNS, RISK_COLUMNS
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.postcalc.calculation import post_calculation
from igemo_fin.postcalc.proposal import (
    CREDIT_COMPARE_COLUMNS, PROPOSAL_CODE, UPLIFT_ROW_COLUMNS, ProposalError, add_proposal, apply_uplift,
    assess_proposal, credit_peak, extend_credit, free_code, proposal_from_form, proposal_from_workbook,
    proposal_sheets,
)
from igemo_fin.risk.montecarlo import simulate
from igemo_fin.risk.reference import reference_uplift
from igemo_fin.valuation.thresholds import Settings, Thresholds
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.exports.workbook_writer import workbook_bytes

from conftest import DEMO_WORKBOOK

V = 2026
R = 0.04
DAYS = 365 / 360  # 2026 and 2027 have 365 days (ACT/360)


def df(year):
    """Mid-year discount factor at 4 %."""
    return (1 + R) ** -(year - V + 0.5)


# The proposal "T": 1,000,000 of land in 2026, 1,100,000 of sales in 2027.
#   npv_forward = -1,000,000 * 1.04^-0.5 + 1,100,000 * 1.04^-1.5 = -980,580.68 + 1,037,152.64 = 56,571.96
#   interest 2026: avg = 0 + 1,000,000 / 2 = 500,000; I = 4 % * 365/360 * 500,000 = 20,277.78
#   BV 1/1/2027 = 1,020,277.78 (the peak book value)
#   interest 2027: avg = 1,020,277.78 - 1,100,000 / 2 = 470,277.78; I = 4 % * 365/360 * 470,277.78 = 19,072.38
#   result = 1,100,000 - 1,000,000 - 20,277.78 - 19,072.38 = 60,649.85
#   IRR = 10 %; interest on margin = 39,350.15 / 100,000 = 39.35 % (< 50 %)
T_NPV = -1_000_000 * df(2026) + 1_100_000 * df(2027)
I_2026 = R * DAYS * 500_000
I_2027 = R * DAYS * (1_000_000 + I_2026 - 550_000)
T_RESULT = 100_000 - I_2026 - I_2027


def project(code, *, status="actief", type_="bedrijventerrein", start=2015, end=2030, share=None):
    row = {c: np.nan for c in PROJECT_COLUMNS}
    row.update(project_code=code, naam=f"Project {code}", gemeente="Gemeente", type=type_, status=status,
               startjaar=start, eindjaar=end, bestemming_zeker=True,
               risicodeling_gemeente_pct=np.nan if share is None else share)
    return row


def make_portfolio(projects, flows, risks=(), *, equity=1_000_000.0, first=2010, last=2040):
    """``flows``: (code, versie, jaar, categorie, positive amount)."""
    cashflows = pd.DataFrame([(c, v, y, cat, -a if cat in COST_CATEGORIES else a) for c, v, y, cat, a in flows],
                             columns=["project_code", "versie", "jaar", "categorie", "bedrag"])
    cashflows = cashflows.astype({"jaar": "int64", "bedrag": float})
    credit = pd.DataFrame({"jaar": np.arange(first, last + 1, dtype=np.int64), "rentevoet_pct": 100 * R,
                           "kredietlimiet": 10_000_000.0, "rente_werkelijk": np.nan})
    return Portfolio(projects=pd.DataFrame(projects, columns=list(PROJECT_COLUMNS)), cashflows=cashflows,
                     credit=credit, thresholds=Thresholds(),
                     settings=Settings(eigen_vermogen=equity, waarderingsjaar=V),
                     risks=pd.DataFrame(list(risks), columns=list(RISK_COLUMNS)).astype(
                         {"kans_pct": float, "min": float, "waarschijnlijk": float, "max": float}))


def existing():
    """One active project A that runs until 2028 (so the credit table and the portfolio are not empty)."""
    return make_portfolio([project("A")], [("A", "prognose", 2020, "verwerving", 500_000),
                                           ("A", "prognose", 2028, "verkoop", 800_000)])


def with_finished(cost_ratios=(1.0, 1.0, 1.3)):
    """Three finished business parks: budget 1,000,000 of land in 2015 and 1,200,000 of sales in 2016; the
    actual land cost 1,000,000 x the ratio (so the reference class's cost ratios are ``cost_ratios``, the
    revenue ratio 1 and the delay 0)."""
    projects, flows = [], []
    for i, ratio in enumerate(cost_ratios, start=1):
        code = f"F{i}"
        projects.append(project(code, status="afgerond", start=2015, end=2016))
        flows += [(code, "begroting", 2015, "verwerving", 1_000_000), (code, "begroting", 2016, "verkoop", 1_200_000),
                  (code, "prognose", 2015, "verwerving", 1_000_000 * ratio),
                  (code, "prognose", 2016, "verkoop", 1_200_000)]
    return make_portfolio(projects, flows)


def t_flows():
    rows = [(2026, "verwerving", 1_000_000), (2027, "verkoop", 1_100_000)]
    return pd.DataFrame(rows, columns=["jaar", "categorie", "bedrag"])


def t_proposal(**kw):
    args = dict(naam="Voorstel T", gemeente="Lier", type="bedrijventerrein", startjaar=2026, flows=t_flows(),
                risicodeling_gemeente_pct=50.0)
    args.update(kw)
    return proposal_from_form(**args)


# --------------------------------------------------------------------------- building a proposal

class TestProposalFromForm:
    def test_signs_span_and_status(self):
        p = t_proposal()
        row = p.projects.iloc[0]
        assert p.code == PROPOSAL_CODE
        assert (row["status"], row["startjaar"], row["eindjaar"]) == ("actief", 2026, 2027)
        assert list(p.projects.columns) == list(PROJECT_COLUMNS)
        # The form's amounts are positive; the workbook's frame is signed: costs negative.
        assert p.cashflows[["jaar", "categorie", "bedrag"]].values.tolist() == [
            [2026, "verwerving", -1_000_000.0], [2027, "verkoop", 1_100_000.0]]
        assert set(p.cashflows["versie"]) == {"prognose"}
        assert p.risks.empty
        assert row["risicodeling_gemeente_pct"] == 50.0 and math.isnan(row["marktwaarde_huidige_staat"])

    def test_empty_and_zero_rows_are_skipped(self):
        flows = pd.concat([t_flows(), pd.DataFrame({"jaar": [None, 2028], "categorie": [None, "studies"],
                                                    "bedrag": [None, 0.0]})], ignore_index=True)
        assert len(t_proposal(flows=flows).cashflows) == 2

    def test_every_problem_with_its_row_and_column(self):
        flows = pd.DataFrame({"jaar": [2026, None, 2025, 2027],
                              "categorie": ["verwerving", "verkoop", "studies", "rente"],
                              "bedrag": [-5.0, 10.0, 10.0, 10.0]})
        with pytest.raises(ProposalError) as caught:
            t_proposal(naam=" ", risicodeling_gemeente_pct=120, flows=flows)
        found = {(p.row, p.column) for p in caught.value.problems}
        assert found == {(None, "naam"), (None, "risicodeling_gemeente_pct"), (1, "bedrag"), (2, "jaar"),
                         (3, "jaar"), (4, "categorie")}
        assert any("voor het startjaar 2026" in p.reason for p in caught.value.problems)

    def test_no_flow_at_all(self):
        with pytest.raises(ProposalError, match="minstens één kasstroom"):
            t_proposal(flows=pd.DataFrame(columns=["jaar", "categorie", "bedrag"]))


class TestWorkbookRoundTrip:
    def test_sheets_read_back_as_the_same_proposal(self):
        p = t_proposal()
        book = read_workbook(workbook_bytes(proposal_sheets(p, existing())), filename="voorstel.xlsx")
        back = proposal_from_workbook(book)
        pd.testing.assert_frame_equal(back.projects, p.projects, check_dtype=False)
        pd.testing.assert_frame_equal(back.cashflows, p.cashflows, check_dtype=False)
        assert back.notes == ()

    def test_several_projects_are_refused(self):
        pf = existing()
        both = add_proposal(pf, t_proposal())
        with pytest.raises(ProposalError, match="bevat er 2"):
            proposal_from_workbook(both)

    def test_a_finished_status_is_tested_as_active_with_a_note(self):
        p = t_proposal()
        p = type(p)(p.projects.assign(status="afgerond"), p.cashflows, p.risks)
        book = read_workbook(workbook_bytes(proposal_sheets(p, existing())))
        back = proposal_from_workbook(book)
        assert back.projects["status"].iloc[0] == "actief" and "actief" in back.notes[0]


# --------------------------------------------------------------------------- adding it to the portfolio

class TestAddProposal:
    def test_appended_after_the_existing_projects(self):
        pf = existing()
        out = add_proposal(pf, t_proposal())
        assert out.project_codes == ["A", PROPOSAL_CODE]
        assert len(out.cashflows) == len(pf.cashflows) + 2
        assert out.cashflows.iloc[: len(pf.cashflows)].equals(pf.cashflows)
        assert len(pf.projects) == 1  # the portfolio itself is untouched

    def test_a_taken_code_is_refused_and_free_code_finds_another(self):
        pf = add_proposal(existing(), t_proposal())
        with pytest.raises(ProposalError, match="bestaat al"):
            add_proposal(pf, t_proposal())
        assert free_code(pf.project_codes) == "NIEUW-2"

    def test_the_credit_table_grows_with_its_last_rate(self):
        pf = make_portfolio([project("A")], [("A", "prognose", 2026, "studies", 10)], last=2027)
        flows = pd.DataFrame({"jaar": [2026, 2029], "categorie": ["verwerving", "verkoop"], "bedrag": [1.0, 2.0]})
        out = add_proposal(pf, t_proposal(flows=flows))
        assert out.credit["jaar"].tolist() == [*range(2010, 2030)]
        assert out.credit.set_index("jaar").loc[2029, "rentevoet_pct"] == 4.0
        assert extend_credit(pf.credit, 2020) is pf.credit

    def test_flows_before_the_credit_table_are_refused(self):
        flows = pd.DataFrame({"jaar": [2005], "categorie": ["verwerving"], "bedrag": [1.0]})
        with pytest.raises(ProposalError, match="eerste jaar van het kaskrediet"):
            add_proposal(existing(), t_proposal(startjaar=2005, flows=flows))


class TestApplyUplift:
    def test_costs_revenues_and_a_split_delay(self):
        # Costs x 1.1, revenues x 0.9 and 1.5 years later: 1,100,000 of land in 2026; the 990,000 of
        # sales go half to 2028 and half to 2029.
        out = apply_uplift(add_proposal(existing(), t_proposal()), PROPOSAL_CODE, V, cost_ratio=1.1,
                           revenue_ratio=0.9, delay_years=1.5)
        mine = out.cashflows[out.cashflows["project_code"] == PROPOSAL_CODE].sort_values("jaar")
        np.testing.assert_allclose(mine[["jaar", "bedrag"]].to_numpy(dtype=float),
                                   [[2026, -1_100_000], [2028, 495_000], [2029, 495_000]])
        # The other project and the past are untouched.
        assert out.cashflows[out.cashflows["project_code"] == "A"]["bedrag"].tolist() == [-500_000.0, 800_000.0]

    def test_negative_delay_counts_as_zero(self):
        pf = add_proposal(existing(), t_proposal())
        a = apply_uplift(pf, PROPOSAL_CODE, V, delay_years=-0.4).cashflows
        assert sorted(a.loc[a["project_code"] == PROPOSAL_CODE, "jaar"]) == [2026, 2027]

    def test_agrees_with_the_monte_carlo_kernel_on_the_demo(self):
        # risk.reference_uplift runs the same transformation through the Monte Carlo's kernel.
        pf = read_workbook(DEMO_WORKBOOK)
        ev = evaluate(pf)
        reference = post_calculation(pf, evaluation=ev).reference
        kernel = reference_uplift(pf, ev, reference).set_index(["project_code", "level"])
        for code in ("BT-07", "WO-05", "RC-03"):
            for level in ("p50", "p80"):
                r = kernel.loc[(code, level)]
                up = apply_uplift(pf, code, ev.valuation_year, cost_ratio=r["cost_ratio"],
                                  revenue_ratio=r["revenue_ratio"], delay_years=r["delay_years"])
                f = evaluate(up, valuation_year=ev.valuation_year).figures.set_index("project_code").loc[code]
                assert f["npv_forward"] == pytest.approx(r["npv_forward"], abs=0.01)
                assert f["result_nominal"] == pytest.approx(r["result_nominal"], abs=0.01)


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


# --------------------------------------------------------------------------- the assessment

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
