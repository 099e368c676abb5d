"""The review in one call, its JSON, and the demo (the workbook's sheets with the demo ledger)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from igemo_fin.inputs.example_running_costs import example_full_ledger
from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.review.yearly import empty_lines, yearly_review
from review_ledger import inputs, ledger_lines, portfolio

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo_portefeuille.xlsx"


def test_json_fields():
    review = yearly_review(portfolio(), ledger_lines(), 2026, inputs=inputs())
    payload = json.loads(json.dumps(review.as_json()))
    groups = {g["cost_group"]: g for g in payload["cost_groups"]}
    assert set(groups["ict_software"]) >= {"budget", "actual", "forecast", "difference", "difference_pct",
                                           "real_growth_pct", "flag"}
    assert (groups["ict_software"]["actual"], groups["ict_software"]["flag"]) == (14_000, True)
    assert groups["huisvesting"]["difference"] is None
    assert [line["row"] for line in payload["uncoded_lines"]] == [9]
    assert payload["uncoded_lines"][0]["date"] == "2026-04-10"
    assert [line["row"] for line in payload["misdirected_lines"]] == [10, 11]
    partners = {p["partner"]: p for p in payload["partners"]}
    assert partners["A"]["reindexation_gap"] == 4_000
    assert set(partners["A"]) >= {"contribution_nominal", "contribution_real", "reindexation_gap"}
    assert payload["through"] == "2026-06-30" and payload["year_complete"] is False


def test_the_counts_and_costs_the_page_shows():
    # Uncoded: line 9 (603000, no code), 7,500.00; misdirected: lines 10 (P-XX, unknown) and 11 (P-OLD,
    # afgerond), 1,200.00 + 800.00. Only ict_software grows faster than the index (test_json_fields).
    review = yearly_review(portfolio(), ledger_lines(), 2026, inputs=inputs())
    assert review.lines_outside_projects == 3
    assert (review.uncoded_cost, review.misdirected_cost) == (7_500.0, 2_000.0)
    assert review.groups_above_index == 1
    empty = yearly_review(portfolio(), empty_lines(), 2026, inputs=inputs())
    assert (empty.lines_outside_projects, empty.uncoded_cost, empty.misdirected_cost) == (0, 0.0, 0.0)


def test_without_lines():
    review = yearly_review(portfolio(), empty_lines(), 2026, inputs=inputs())
    assert review.budget["actual"].sum() == 0 and review.uncoded.empty and review.monthly.empty
    assert review.budget.set_index("group").loc["personeel", "forecast_method"] == "budget"


@pytest.fixture(scope="module")
def demo_review():
    return yearly_review(read_workbook(DEMO), read_ledger(example_full_ledger()).lines, 2026)


def test_demo_flags_ict_and_finds_the_overhead(demo_review):
    table = demo_review.budget.set_index("group")
    assert table.loc["ict_software", "flag"] is True
    assert table["flag"].sum() == 1
    assert demo_review.uncoded["document"].tolist() == ["AF26-0052", "AF26-0071"]
    assert demo_review.misdirected["document"].tolist() == ["AF26-0031", "AF26-0066"]
    # bank costs (6120) are 'overige' by the demo's sheet kostengroepen
    assert table.loc["overige", "same_period_last_year"] == 2_500 + 45.80 + 100


def test_demo_contributions_lost_value(demo_review):
    rows = demo_review.contributions.set_index("partner")
    assert len(rows) == 13
    assert (rows["contribution_real"] < rows["contribution_nominal"]).all()
    assert demo_review.coverage["gap_reindexed"] < demo_review.coverage["gap"]


def test_the_empty_template_has_the_review_s_sheets_and_they_say_nothing():
    from igemo_fin.exports.workbook_writer import empty_template
    from igemo_fin.inputs.review_sheets import sheet_of
    from igemo_fin.inputs.workbook import read_sheets

    sheets = read_sheets(empty_template())
    assert sheets["werkingsbijdrage"].headers == ["gemeente", "jaar", "bijdrage", "laatst_geindexeerd"]
    assert sheets["budget_werking"].headers == ["jaar", "kostengroep", "budget"]
    assert {"kostengroepen", "index"} <= set(sheets)
    assert sheet_of("index", []) is None
