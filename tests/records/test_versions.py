"""igemo_fin.records.versions: what changed between two workbook versions."""

from __future__ import annotations

import json

import pandas as pd

from igemo_fin.records.versions import SUMMARY_KEYS, describe_changes, version_totals, workbook_changes
from igemo_fin.inputs.workbook import read_workbook

from conftest import DEMO_WORKBOOK, flat_credit, flows, project, thresholds, TWO_PROJECT_FLOWS as BASE



class TestVersionTotals:
    def test_costs_and_revenues_in_cents(self, book):
        totals = version_totals(book())
        assert totals.loc[("A", "prognose")].tolist() == [105_000_025, 140_000_000]
        assert totals.loc[("A", "begroting")].tolist() == [100_000_000, 150_000_000]
        # B has no budget: zeros, not missing
        assert totals.loc[("B", "begroting")].tolist() == [0, 0]


class TestWorkbookChanges:
    def test_first_version(self, book):
        summary = workbook_changes(None, book())
        assert summary["first_version"] is True and summary["project_count"] == 2
        assert set(summary) == set(SUMMARY_KEYS)
        assert describe_changes(summary) == "Eerste versie: 2 projecten."

    def test_identical_versions_change_nothing(self, book):
        summary = workbook_changes(book(), book())
        assert summary["projects_added"] == summary["projects_removed"] == summary["totals_changed"] == []
        assert summary["project_fields_changed"] == summary["sheets_changed"] == []
        assert describe_changes(summary) == "Geen wijzigingen tegenover de vorige versie."

    def test_added_removed_and_totals_to_the_cent(self, book):
        before = book()
        new_flows = pd.concat([
            BASE[BASE["project_code"] == "A"].replace({"bedrag": {1_400_000: 1_350_000.10}}),
            flows(("C", "prognose", 2025, "studies", 10_000)),
        ], ignore_index=True)
        after = book([project("A"), project("C")], new_flows)
        summary = workbook_changes(before, after)
        assert summary["projects_added"] == ["C"] and summary["projects_removed"] == ["B"]
        # A's forecast revenue went from 1,400,000.00 to 1,350,000.10: net change -49,999.90; its budget did not change
        assert summary["totals_changed"] == [{
            "project_code": "A", "versie": "prognose",
            "costs_before": 1_050_000.25, "costs_after": 1_050_000.25,
            "revenues_before": 1_400_000.0, "revenues_after": 1_350_000.1,
            "net_before": 349_999.75, "net_after": 299_999.85, "net_change": -49_999.9,
        }]
        text = describe_changes(summary)
        assert text.startswith("1 project toegevoegd (C); 1 project verwijderd (B); prognose gewijzigd bij A")
        json.dumps(summary)  # JSON-ready

    def test_project_fields_and_other_sheets(self, book):
        before = book()
        after = book([project("A", status="afgerond", eindjaar=2025), project("B")],
                     credit=flat_credit(rate=3.5), drempels=thresholds(min_irr_pct=2.5))
        summary = workbook_changes(before, after)
        changed = {(c["project_code"], c["field"]): (c["before"], c["after"]) for c in summary["project_fields_changed"]}
        assert changed == {("A", "status"): ("actief", "afgerond"), ("A", "eindjaar"): (2026, 2025)}
        assert summary["sheets_changed"] == ["kaskrediet", "drempels"]
        assert "projectgegevens gewijzigd bij A" in describe_changes(summary)
        json.dumps(summary)

    def test_the_demo_against_itself_is_unchanged(self):
        demo = read_workbook(DEMO_WORKBOOK)
        summary = workbook_changes(demo, read_workbook(DEMO_WORKBOOK))
        assert not any(summary[k] for k in ("projects_added", "projects_removed", "totals_changed",
                                             "project_fields_changed", "sheets_changed"))
