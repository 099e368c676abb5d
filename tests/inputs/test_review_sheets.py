"""The optional sheets of the yearly review: read, and refused with sheet, row and column."""

from __future__ import annotations

import pytest

from igemo_fin.errors import WorkbookError
from igemo_fin.inputs.review_sheets import DEFAULT_MARGIN_PCT, review_inputs
from igemo_fin.valuation.thresholds import Settings
from review_ledger import portfolio


def rows(*records):
    return [dict(r, _row=i) for i, r in enumerate(records, start=2)]


def test_absent_sheets_give_empty_inputs():
    given = review_inputs(portfolio())
    assert given.group_mapping is None and given.budget.empty and given.index.empty
    assert given.contributions.empty and given.margin_pct == DEFAULT_MARGIN_PCT


def test_the_template_s_empty_sheets_say_nothing():
    given = review_inputs(portfolio({"budget_werking": [], "index": [], "kostengroepen": []}))
    assert given.group_mapping is None and given.budget.empty


def test_sheets_read():
    given = review_inputs(portfolio({
        "kostengroepen": rows({"rekening_prefix": 6120, "kostengroep": "Overige"}),
        "budget_werking": rows({"jaar": 2026, "kostengroep": "personeel", "budget": "1.250.000,00"}),
        "index": rows({"jaar": 2026, "waarde": 137.7}, {"jaar": 2025, "waarde": "135"}),
        "werkingsbijdrage": rows({"gemeente": "Lier", "jaar": 2026, "bijdrage": 120000, "laatst_geindexeerd": 2023}),
    }, Settings(extra={"werking_marge_pct": "1,5"})))
    assert given.group_mapping.to_dict("records") == [{"rekening_prefix": "6120", "kostengroep": "overige"}]
    assert given.budget.to_dict("records") == [{"jaar": 2026, "kostengroep": "personeel", "budget": 1_250_000.0}]
    assert given.index.to_dict() == {2025: 135.0, 2026: 137.7}
    assert given.contributions.iloc[0]["laatst_geindexeerd"] == 2023
    assert given.margin_pct == 1.5


def test_every_problem_at_once():
    with pytest.raises(WorkbookError) as refused:
        review_inputs(portfolio({
            "kostengroepen": rows({"rekening_prefix": "61a", "kostengroep": "feest"}),
            "budget_werking": rows({"jaar": 2026, "kostengroep": "personeel", "budget": -5},
                                   {"jaar": 2026, "kostengroep": "project", "budget": 5},
                                   {"jaar": 2026, "kostengroep": "personeel", "budget": 5},
                                   {"jaar": 2026, "kostengroep": "personeel", "budget": 6}),
            "index": rows({"jaar": 2026, "waarde": 0}),
            "werkingsbijdrage": rows({"gemeente": "Lier", "jaar": 2026, "bijdrage": 1, "laatst_geindexeerd": 2027},
                                     {"gemeente": "Lier", "jaar": 2026}),
        }, Settings(extra={"werking_marge_pct": "veel"})))
    found = {(p.sheet, p.row, p.column) for p in refused.value.problems}
    assert found == {
        ("kostengroepen", 2, "rekening_prefix"), ("kostengroepen", 2, "kostengroep"),
        ("budget_werking", 2, "budget"), ("budget_werking", 3, "kostengroep"), ("budget_werking", 5, "kostengroep"),
        ("index", 2, "waarde"),
        ("werkingsbijdrage", 2, "laatst_geindexeerd"), ("werkingsbijdrage", 3, "bijdrage"),
        ("werkingsbijdrage", 3, "laatst_geindexeerd"),
        ("instellingen", None, "werking_marge_pct"),
    }


def test_missing_column():
    with pytest.raises(WorkbookError) as refused:
        review_inputs(portfolio({"index": rows({"jaar": 2026})}))
    assert [(p.sheet, p.row, p.column) for p in refused.value.problems] == [("index", 1, "waarde")]
