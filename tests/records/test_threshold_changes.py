"""igemo_fin.records.threshold_changes: a change keeps the other values, is validated, and is chained."""

from __future__ import annotations

import pytest

from igemo_fin.records.chain import AuditError, verify_chain
from igemo_fin.records.threshold_versions import threshold_versions
from igemo_fin.records.store import Store
from igemo_fin.records.threshold_changes import change_thresholds
from igemo_fin.valuation.thresholds import Thresholds

WORKBOOK = Thresholds(min_irr_pct=2.0, stop_npv_onder=-250_000.0)


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "t.db")


def test_a_change_keeps_the_other_values_and_records_what_was_in_force(store):
    first = change_thresholds(store, WORKBOOK, {"min_irr_pct": 4.0}, created_by="An", reason="1")
    assert first.old_values == WORKBOOK.as_dict()
    assert first.thresholds() == WORKBOOK.with_values(min_irr_pct=4.0)
    second = change_thresholds(store, first.thresholds(), {"disconteringsvoet_pct": 5}, created_by="Jan", reason="2")
    assert second.old_values == first.new_values
    assert second.new_values == WORKBOOK.with_values(min_irr_pct=4.0, disconteringsvoet_pct=5.0).as_dict()
    assert [v.id for v in threshold_versions(store)] == [1, 2]
    assert verify_chain(store).ok


@pytest.mark.parametrize("changes, reason", [
    ({"min_irr_pct": 2}, "geen enkele drempel krijgt een andere waarde"),
    ({"hoogte": 1}, "onbekende drempel"),
    ({"min_irr_pct": "veel"}, "geen getal"),
    ({"stop_kans_verlies_pct": 101}, "niet tussen 0 en 100"),
    ({"max_kredietgebruik_pct": 0}, "groter dan 0"),
])
def test_refused_changes_store_nothing(store, changes, reason):
    with pytest.raises(AuditError, match=reason):
        change_thresholds(store, WORKBOOK, changes, created_by="An", reason="x")
    assert threshold_versions(store) == []


def test_the_portfolio_thresholds_are_versioned_like_the_others(store):
    version = change_thresholds(store, WORKBOOK, {"min_eigen_vermogen": 8_000_000, "max_kredietgebruik_pct": 85},
                                created_by="An", reason="meerjarenperspectief")
    assert version.thresholds().min_eigen_vermogen == 8_000_000
    assert version.thresholds().max_kredietgebruik_pct == 85
    assert verify_chain(store).ok
