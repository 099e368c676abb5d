"""igemo_fin.records.profiles: named column mappings, found by the header they apply to."""

from __future__ import annotations

import datetime as dt

import pytest

from igemo_fin.inputs.ledger_mapping import ColumnMapping, header_signature
from igemo_fin.records.profiles import (
    ProfileError,
    find_profile,
    get_profile,
    list_profiles,
    remove_profile,
    save_profile,
    update_profile,
)
from igemo_fin.records.store import MIGRATIONS, Store

OCTOPUS = ColumnMapping(date="Dag", account="Rek", project="Proj", debit="D", credit="C", decimal_mark=".")
SIGNATURE = header_signature(["Dag", "Rek", "Proj", "D", "C"])


def clock(*moments):
    queue = list(moments)
    return lambda: queue.pop(0) if len(queue) > 1 else queue[0]


@pytest.fixture
def store(db):
    first = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone.utc)
    later = dt.datetime(2026, 3, 2, 16, 0, tzinfo=dt.timezone.utc)
    return Store(db, clock=clock(*[first] * (len(MIGRATIONS) + 1), later))


def test_save_find_and_list(store):
    saved = save_profile(store, "  Octopus -  grootboekkaart ", OCTOPUS, SIGNATURE, saved_by="An Peeters")
    assert saved.name == "Octopus - grootboekkaart"  # spaces tidied
    assert (saved.saved_by, saved.saved_at) == ("An Peeters", "2026-03-01T09:30:00+00:00")
    assert saved.mapping == OCTOPUS  # the mapping comes back exactly, through its JSON
    assert find_profile(store, SIGNATURE) == saved
    assert find_profile(store, header_signature(["Datum", "Rekening"])) is None
    save_profile(store, "Exact", ColumnMapping("Datum", "Rekening", amount="Bedrag"), "datum|rekening|bedrag",
                 saved_by="Bo")
    assert [p.name for p in list_profiles(store)] == ["Exact", "Octopus - grootboekkaart"]


def test_a_name_and_a_header_belong_to_one_profile(store):
    save_profile(store, "Octopus", OCTOPUS, SIGNATURE, saved_by="An")
    with pytest.raises(ProfileError, match="er bestaat al een profiel 'Octopus'"):
        save_profile(store, "Octopus", OCTOPUS, "andere|koppen", saved_by="An")
    with pytest.raises(ProfileError, match="voor deze kolomkoppen bestaat al het profiel 'Octopus'"):
        save_profile(store, "Octopus 2", OCTOPUS, SIGNATURE, saved_by="An")
    assert len(list_profiles(store)) == 1


@pytest.mark.parametrize("name, by, message", [("", "An", "geef het profiel een naam"),
                                               ("x" * 81, "An", "hoogstens 80 tekens"),
                                               ("Octopus", " ", "wie het profiel bewaart")])
def test_name_and_author_are_required(store, name, by, message):
    with pytest.raises(ProfileError, match=message):
        save_profile(store, name, OCTOPUS, SIGNATURE, saved_by=by)
    assert list_profiles(store) == []


def test_update_records_who_and_when(store):
    save_profile(store, "Octopus", OCTOPUS, SIGNATURE, saved_by="An")
    comma = ColumnMapping(date="Dag", account="Rek", project="Proj", debit="D", credit="C", decimal_mark=",")
    changed = update_profile(store, "Octopus", mapping=comma, new_name="Octopus (komma)", saved_by="Bo")
    assert (changed.name, changed.mapping.decimal_mark, changed.saved_by) == ("Octopus (komma)", ",", "Bo")
    assert changed.saved_at == "2026-03-02T16:00:00+00:00" and changed.signature == SIGNATURE
    assert find_profile(store, SIGNATURE).name == "Octopus (komma)"
    with pytest.raises(ProfileError, match="geen profiel 'Octopus'; bewaarde profielen: 'Octopus \\(komma\\)'"):
        get_profile(store, "Octopus")


def test_update_refuses_a_taken_name_or_header(store):
    save_profile(store, "A", OCTOPUS, SIGNATURE, saved_by="An")
    save_profile(store, "B", OCTOPUS, "b|koppen", saved_by="An")
    with pytest.raises(ProfileError, match="er bestaat al een profiel 'A'"):
        update_profile(store, "B", new_name="A", saved_by="An")
    with pytest.raises(ProfileError, match="bestaat al het profiel 'A'"):
        update_profile(store, "B", signature=SIGNATURE, saved_by="An")
    assert get_profile(store, "B").signature == "b|koppen"


def test_remove(store):
    save_profile(store, "Octopus", OCTOPUS, SIGNATURE, saved_by="An")
    remove_profile(store, "Octopus")
    assert list_profiles(store) == [] and find_profile(store, SIGNATURE) is None
    with pytest.raises(ProfileError, match="er zijn nog geen profielen bewaard"):
        remove_profile(store, "Octopus")
