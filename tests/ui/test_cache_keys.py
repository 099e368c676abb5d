"""The short cache keys that stand for heavy objects (ui.state.basis_key, the workbook file's source):
whatever the data they stand for changes, the key changes, so a changed store, basis or upload never
gets an earlier result."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.valuation.basis import Basis, DataVersion, SimulationSettings, ThresholdSource
from ui import state

from conftest import DEMO_WORKBOOK

ACTUALS = pd.DataFrame({"project_code": ["P1", "P1"], "jaar": [2024, 2025], "categorie": ["verkoop", "studies"],
                        "bedrag": [1000.0, 250.0]})


@pytest.fixture(scope="module")
def demo():
    content = DEMO_WORKBOOK.read_bytes()
    source = state.Source(content, DEMO_WORKBOOK.name, "demo", hashlib.sha256(content).hexdigest())
    portfolio = read_workbook(content, filename=DEMO_WORKBOOK.name)
    basis = Basis.of(portfolio, actuals=ACTUALS,
                     data=DataVersion(source.sha256, source.name, 3, ("a" * 64,)))
    return source, basis


def changed_actuals(frame: pd.DataFrame) -> pd.DataFrame:
    changed = frame.copy()
    changed.loc[1, "bedrag"] = 250.01
    return changed


CHANGES = {
    "year": lambda b: b.with_(valuation_year=b.valuation_year + 1),
    "threshold": lambda b: b.with_(thresholds=b.thresholds.with_values(min_irr_pct=b.thresholds.min_irr_pct + 0.5)),
    "threshold source": lambda b: b.with_(threshold_source=ThresholdSource("officieel", 2)),
    "rate stress": lambda b: b.with_(rate_shift_bp=100.0),
    "iterations": lambda b: b.with_simulation(iterations=2_000),
    "seed": lambda b: b.with_simulation(seed=7),
    "reference class": lambda b: b.with_simulation(reference_class=True),
    "rate spread": lambda b: b.with_(simulation=SimulationSettings(b.simulation.iterations, b.simulation.seed,
                                                                   b.simulation.reference_class, 50.0)),
    "ledger import": lambda b: b.with_(data=DataVersion(b.data.workbook_sha256, b.data.workbook_name,
                                                        b.data.workbook_version, b.data.ledger_imports + ("b" * 64,))),
    "workbook version": lambda b: b.with_(data=DataVersion(b.data.workbook_sha256, b.data.workbook_name, 4,
                                                           b.data.ledger_imports)),
    "actuals cell": lambda b: b.with_(actuals=changed_actuals(b.actuals)),
    "actuals row": lambda b: b.with_(actuals=b.actuals.iloc[:1]),
    "no actuals": lambda b: b.with_(actuals=None),
}


def test_an_equal_basis_has_the_same_key(demo):
    source, basis = demo
    again = basis.with_(actuals=basis.actuals.copy(), simulation=SimulationSettings(**basis.simulation.as_dict()))
    assert state.basis_key(source, again) == state.basis_key(source, basis)


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_every_change_of_a_basis_changes_its_key(demo, change):
    source, basis = demo
    assert state.basis_key(source, CHANGES[change](basis)) != state.basis_key(source, basis)


def test_another_workbook_changes_the_key(demo):
    source, basis = demo
    other = state.Source(source.content + b" ", source.name, source.label, hashlib.sha256(source.content + b" ").hexdigest())
    assert state.basis_key(other, basis) != state.basis_key(source, basis)
    renamed = state.Source(source.content, "ander.xlsx", source.label, source.sha256)
    assert state.basis_key(renamed, basis) != state.basis_key(source, basis)


def test_the_shared_evaluation_follows_its_key(demo):
    """Two bases that differ only in their actuals give two evaluations, each that of its own basis."""
    source, basis = demo
    state.evaluate_shared.clear()
    plain = basis.with_simulation(iterations=0)
    changed = plain.with_(actuals=changed_actuals(plain.actuals))
    first = state.evaluate_shared(state.basis_key(source, plain), source, plain)
    second = state.evaluate_shared(state.basis_key(source, changed), source, changed)
    pd.testing.assert_frame_equal(first.basis.actuals, plain.actuals)
    pd.testing.assert_frame_equal(second.basis.actuals, changed.actuals)
    state.evaluate_shared.clear()


def test_a_workbook_file_is_read_again_when_it_changes(tmp_path):
    path = tmp_path / "portefeuille.xlsx"
    path.write_bytes(b"eerste inhoud")
    first = state.file_source(path, "Werkboek", False)
    assert state.file_source(path, "Werkboek", False) is first, "unchanged: not read again"
    path.write_bytes(b"tweede inhoud, langer")
    second = state.file_source(path, "Werkboek", False)
    assert second.content == b"tweede inhoud, langer"
    assert second.sha256 == hashlib.sha256(b"tweede inhoud, langer").hexdigest()
    path.write_bytes(b"derde  inhoud, langer")  # same size: the modification time tells
    assert state.file_source(path, "Werkboek", False).content == b"derde  inhoud, langer"


@pytest.mark.parametrize("kind", [ThresholdSource, SimulationSettings, DataVersion])
def test_every_field_of_the_small_basis_parts_is_in_the_key(kind):
    """basis_key writes these with repr: a field left out of repr would be left out of the key."""
    import dataclasses

    assert all(f.repr for f in dataclasses.fields(kind))


def test_the_actuals_key_follows_every_cell():
    assert state.actuals_key(None) is None
    assert state.actuals_key(ACTUALS) == state.actuals_key(ACTUALS.copy())
    assert state.actuals_key(changed_actuals(ACTUALS)) != state.actuals_key(ACTUALS)
    assert state.actuals_key(ACTUALS.iloc[:0]) not in (None, state.actuals_key(ACTUALS))
