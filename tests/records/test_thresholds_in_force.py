"""igemo_fin.records.thresholds_in_force: the thresholds in force, their provenance, and changing them."""

from __future__ import annotations

import pytest

from igemo_fin.records.audit import AuditError, threshold_versions
from igemo_fin.records.store import Store
from igemo_fin.records.thresholds_in_force import ThresholdsInForce, change_thresholds, thresholds_in_force
from igemo_fin.valuation.thresholds import Thresholds

WORKBOOK = Thresholds(min_irr_pct=2.0, stop_npv_onder=-250_000.0)


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "t.db")


def test_without_database_or_version_the_workbooks_apply(store):
    for db in (None, store):
        in_force = thresholds_in_force(db, WORKBOOK)
        assert in_force.thresholds == WORKBOOK and in_force.version is None and in_force.override is None
        assert in_force.source_json() == {"kind": "werkboek"}
        assert in_force.describe().startswith("drempels van het werkboek")


def test_a_stored_version_outranks_the_workbook(store):
    first = change_thresholds(store, thresholds_in_force(store, WORKBOOK), {"min_irr_pct": 4.0},
                              created_by="An", reason="RvB")
    in_force = thresholds_in_force(store, WORKBOOK)
    assert in_force.version == first and in_force.override == in_force.thresholds
    assert in_force.thresholds == WORKBOOK.with_values(min_irr_pct=4.0)
    assert in_force.source_json() == {"kind": "officieel", "version": 1, "set_by": "An", "set_at": first.created_at}
    assert in_force.describe().startswith("officiële drempels versie 1 (vastgelegd door An op ")


def test_a_change_keeps_the_other_values_and_records_what_was_in_force(store):
    change_thresholds(store, thresholds_in_force(store, WORKBOOK), {"min_irr_pct": 4.0}, created_by="An", reason="1")
    second = change_thresholds(store, thresholds_in_force(store, WORKBOOK), {"disconteringsvoet_pct": 5},
                               created_by="Jan", reason="2")
    assert second.old_values == WORKBOOK.with_values(min_irr_pct=4.0).as_dict()
    assert second.new_values == WORKBOOK.with_values(min_irr_pct=4.0, disconteringsvoet_pct=5.0).as_dict()
    assert [v.id for v in threshold_versions(store)] == [1, 2]


@pytest.mark.parametrize("changes, reason", [
    ({"min_irr_pct": 2}, "geen enkele drempel krijgt een andere waarde"),
    ({"hoogte": 1}, "onbekende drempel"),
    ({"min_irr_pct": "veel"}, "geen getal"),
    ({"stop_kans_verlies_pct": 101}, "niet tussen 0 en 100"),
])
def test_refused_changes_store_nothing(store, changes, reason):
    in_force = ThresholdsInForce(WORKBOOK, None)
    with pytest.raises(AuditError, match=reason):
        change_thresholds(store, in_force, changes, created_by="An", reason="x")
    assert threshold_versions(store) == []
