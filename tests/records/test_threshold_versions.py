"""igemo_fin.records.threshold_versions: who set which official thresholds, when and why; they outrank the workbook."""

from __future__ import annotations

import pytest

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.records.chain import GENESIS, AuditError
from igemo_fin.records.store import Store
from igemo_fin.valuation.basis import ThresholdSource
from igemo_fin.records.threshold_versions import (latest_thresholds, record_thresholds, thresholds_in_force,
                                                  threshold_versions)
from igemo_fin.valuation.thresholds import Thresholds

from conftest import DEMO_WORKBOOK


@pytest.fixture
def store(db):
    return Store(db)


class TestThresholdVersions:
    def test_versions_keep_who_why_old_and_new(self, store):
        workbook = Thresholds(min_irr_pct=3.5)
        v1 = record_thresholds(store, workbook.with_values(min_irr_pct=4.0), created_by="fien", reason="raad 1",
                               old_values=workbook)
        v2 = record_thresholds(store, {"min_irr_pct": 4.5, "disconteringsvoet_pct": 3.0}, created_by="fien",
                               reason="raad 2")
        assert (v1.old_values["min_irr_pct"], v1.new_values["min_irr_pct"]) == (3.5, 4.0)
        assert v2.old_values == v1.new_values  # by default the previous version
        assert v2.prev_hash == v1.entry_hash and v1.prev_hash == GENESIS
        assert set(v2.new_values) == set(Thresholds.names())
        assert [v.id for v in threshold_versions(store)] == [1, 2]
        assert latest_thresholds(store).thresholds() == Thresholds(min_irr_pct=4.5, disconteringsvoet_pct=3.0)

    def test_official_thresholds_prefer_the_stored_version(self, store):
        portfolio = read_workbook(DEMO_WORKBOOK)
        assert thresholds_in_force(store, portfolio) == (portfolio.thresholds, ThresholdSource("werkboek"))
        assert thresholds_in_force(None, portfolio)[1].kind == "werkboek"
        version = record_thresholds(store, portfolio.thresholds.with_values(stop_npv_onder=-1e6), created_by="fien",
                                    reason="r")
        thresholds, source = thresholds_in_force(store, portfolio)
        assert thresholds.stop_npv_onder == -1e6
        assert source == ThresholdSource("officieel", version.id, "fien", version.created_at)

    @pytest.mark.parametrize("values, message", [
        ({"max_kans_verlies_pct": 120}, "niet tussen 0 en 100"),
        ({"stop_jaren_zonder_bestemming": -1}, "niet negatief"),
        ({"min_irr_pct": float("nan")}, "geen eindig getal"),
        ({"min_irr_pct": None}, "heeft een waarde nodig"),
        ({"onbekend": 1}, "onbekende drempel"),
    ])
    def test_refusals(self, store, values, message):
        with pytest.raises(AuditError, match=message):
            record_thresholds(store, values, created_by="fien", reason="r")

    def test_who_and_why_are_required(self, store):
        with pytest.raises(AuditError, match="reden"):
            record_thresholds(store, {}, created_by="fien", reason=" ")
        with pytest.raises(AuditError, match="wie"):
            record_thresholds(store, {}, created_by="", reason="r")
