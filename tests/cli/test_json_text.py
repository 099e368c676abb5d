"""The fast indented JSON writes exactly what ``json.dumps(..., indent=...)`` writes."""

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igemo_fin.cli.json_text import indented_json

_plain = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text())
_json = st.recursive(_plain, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.tuples(inner, inner),
    st.dictionaries(st.text(max_size=5), inner, max_size=4),
    st.dictionaries(st.one_of(st.integers(), st.none(), st.booleans()), inner, max_size=3),
), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_json, st.integers(min_value=0, max_value=3))
def test_same_text_as_json(value, indent):
    assert indented_json(value, indent=indent) == json.dumps(value, ensure_ascii=False, indent=indent)


def test_ledger_report_shape():
    # the shape of ``ledger import --json``: counts, nested totals, a long list of flat rows, a date
    report = {"rows_read": 3, "already_imported": False, "total": -12.5,
              "totals_by_project": {"P001": {"grond": -1.25, "verkoop": 2.0}, "P002": {}},
              "rows_skipped": [{"row": 5, "reason": "geen project: \"x\"\n", "amount_cents": -10, "code": None},
                               {"row": 9, "reason": "négeren", "amount_cents": 0, "code": "negeren"}],
              "columns": ["date", "account"], "imported_at": dt.date(2025, 12, 31), "empty": []}
    expected = json.dumps(report, ensure_ascii=False, indent=1, default=str)
    assert indented_json(report, indent=1, default=str) == expected


def test_unencodable_without_default_fails_like_json():
    with pytest.raises(TypeError):
        json.dumps({"a": [dt.date(2025, 1, 1)]}, indent=1)
    with pytest.raises(TypeError):
        indented_json({"a": [dt.date(2025, 1, 1)]})
