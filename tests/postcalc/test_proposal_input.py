"""Tests of igemo_fin.postcalc.proposal_input: a proposal read from a form or a workbook, and written back."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from igemo_fin.columns import PROJECT_COLUMNS
from igemo_fin.exports.workbook_writer import workbook_bytes
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.postcalc.proposal import PROPOSAL_CODE, ProposalError, add_proposal
from igemo_fin.postcalc.proposal_input import proposal_from_workbook, proposal_sheets

from proposal_portfolios import existing, t_flows, t_proposal


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
