"""Tests of igemo_fin.postcalc.proposal: a proposed project added to the portfolio, and the reference class
applied to its forecast."""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.postcalc.calculation import post_calculation
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.postcalc.proposal import PROPOSAL_CODE, ProposalError, add_proposal, apply_uplift, extend_credit, free_code
from igemo_fin.risk.reference import reference_uplift

from conftest import DEMO_WORKBOOK
from proposal_portfolios import V, existing, make_portfolio, project, t_proposal


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
