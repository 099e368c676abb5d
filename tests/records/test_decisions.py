"""igemo_fin.records.decisions: the board's decisions are recorded with their model verdict, motivation and data."""

from __future__ import annotations

import pytest

from igemo_fin.inputs.ledger import read_ledger
from igemo_fin.records.chain import GENESIS, DECISION_FIELDS, AuditError, canonical_json, entry_hash
from igemo_fin.records.decisions import data_version, decisions, record_decision
from igemo_fin.records.store import Store, file_sha256
from igemo_fin.records.threshold_versions import record_thresholds

from audit_support import SHA, decide
from ledger_files import csv_bytes


@pytest.fixture
def store(db):
    return Store(db)


class TestRecordDecision:
    def test_fields_and_chain(self, store):
        first = decide(store)
        second = decide(store, code="RC-04", engine="STOPZETTEN", adopted="BIJSTUREN", motivation="nieuwe koper")
        assert (first.id, first.prev_hash, first.overridden) == (1, GENESIS, False)
        assert (second.id, second.prev_hash, second.overridden) == (2, first.entry_hash, True)
        log = decisions(store)
        assert log["project_code"].tolist() == ["BT-05", "RC-04"]
        assert log["overridden"].tolist() == [False, True]
        assert log["entry_hash"].tolist() == [first.entry_hash, second.entry_hash]
        # the hash is the SHA-256 of the canonical JSON of the fields as stored
        row = {k: getattr(second, k) for k in DECISION_FIELDS}
        assert second.entry_hash == entry_hash("decisions", row)
        assert b'"table":"decisions"' in canonical_json("decisions", row)

    def test_override_needs_a_motivation(self, store):
        with pytest.raises(AuditError, match="motivering"):
            decide(store, engine="STOPZETTEN", adopted="DOORGAAN", motivation="  ")
        decide(store, motivation="")  # following the model needs none
        assert len(decisions(store)) == 1

    def test_refusals(self, store):
        with pytest.raises(AuditError, match="onbekend besluit"):
            decide(store, adopted="MISSCHIEN")
        with pytest.raises(AuditError, match="geen geldige datum"):
            record_decision(store, project_code="X", verdict_engine=None, verdict_adopted="DOORGAAN", motivation="m",
                            decided_by="an", meeting_date="31/02/2026", data_version=SHA, valuation_year=2026)
        with pytest.raises(AuditError, match="drempelversie 7 bestaat niet"):
            decide(store, thresholds_version=7)
        assert decisions(store).empty

    def test_tied_to_a_threshold_version_and_the_data(self, store):
        version = record_thresholds(store, {"min_irr_pct": 4.0}, created_by="fien", reason="raad 01/03")
        entry = decide(store, thresholds_version=version.id)
        assert entry.thresholds_version == version.id
        assert data_version(store, SHA) == SHA
        data = csv_bytes([["Boekdatum", "Rekening", "Projectcode", "Bedrag"], ["05/01/2023", "605000", "P1", "10,00"]])
        done = store.import_ledger(read_ledger(data, filename="g.csv"), file_sha256=file_sha256(data),
                                   filename="g.csv", uploader="fien")
        assert data_version(store, SHA) == f"{SHA}+grootboek-{done.import_id}"
