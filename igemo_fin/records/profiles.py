"""Mapping profiles: named column mappings of ledger exports, applied to the next file with the same header.

Table ``mapping_profiles`` (migration 6 of :data:`igemo_fin.records.store.MIGRATIONS`): a name finance
chooses ("Octopus - grootboekkaart"), the :class:`~igemo_fin.inputs.ledger_mapping.ColumnMapping` as
JSON (``ColumnMapping.as_json()``), the header signature it applies to
(:func:`~igemo_fin.inputs.ledger_mapping.header_signature`), who saved it and when (UTC). A signature
belongs to one profile at most, so the profile applied to a file is never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from igemo_fin.inputs.ledger_mapping import ColumnMapping
from igemo_fin.records.store import Store

__all__ = [
    "MappingProfile",
    "ProfileError",
    "find_profile",
    "get_profile",
    "list_profiles",
    "remove_profile",
    "save_profile",
    "update_profile",
]

NAME_MAX = 80
"""Longest profile name [characters]."""


class ProfileError(ValueError):
    """A profile that cannot be saved, found, changed or removed; the message is Dutch."""


@dataclass(frozen=True)
class MappingProfile:
    """One saved column mapping."""

    name: str
    signature: str
    """The header signature the mapping applies to."""
    mapping: ColumnMapping
    saved_by: str
    saved_at: str
    """When it was saved or last changed: ISO 8601, UTC."""


def _clean_name(name: str) -> str:
    text = " ".join(str(name or "").split())
    if not text:
        raise ProfileError("geef het profiel een naam, bv. 'Octopus - grootboekkaart'")
    if len(text) > NAME_MAX:
        raise ProfileError(f"de naam van een profiel is hoogstens {NAME_MAX} tekens lang")
    return text


def _clean_by(saved_by: str) -> str:
    text = " ".join(str(saved_by or "").split())
    if not text:
        raise ProfileError("zeg wie het profiel bewaart (uw naam)")
    return text


_COLUMNS = "name, signature, mapping, saved_by, saved_at"


def _profile(row) -> MappingProfile:
    name, signature, mapping, saved_by, saved_at = row
    return MappingProfile(name, signature, ColumnMapping.from_json(mapping), saved_by, saved_at)


def _signature_owner(conn, signature: str) -> str | None:
    row = conn.execute("SELECT name FROM mapping_profiles WHERE signature = ?", (signature,)).fetchone()
    return None if row is None else row[0]


def save_profile(store: Store, name: str, mapping: ColumnMapping, signature: str, *,
                 saved_by: str) -> MappingProfile:
    """Save a new profile.

    Raises
    ------
    ProfileError
        No name or no author, a name already used, or a header that already has a profile.
    """
    name, saved_by = _clean_name(name), _clean_by(saved_by)
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM mapping_profiles WHERE name = ?", (name,)).fetchone():
            raise ProfileError(f"er bestaat al een profiel '{name}': kies een andere naam of pas dat profiel aan")
        owner = _signature_owner(conn, signature)
        if owner is not None:
            raise ProfileError(f"voor deze kolomkoppen bestaat al het profiel '{owner}': pas dat profiel aan")
        conn.execute(f"INSERT INTO mapping_profiles ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                     (name, signature, mapping.as_json(), saved_by, store.now()))
    return get_profile(store, name)


def list_profiles(store: Store) -> list[MappingProfile]:
    """Every profile, by name."""
    with store.connect() as conn:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM mapping_profiles ORDER BY LOWER(name), name").fetchall()
    return [_profile(r) for r in rows]


def find_profile(store: Store, signature: str) -> MappingProfile | None:
    """The profile for a header signature, or None."""
    with store.connect() as conn:
        row = conn.execute(f"SELECT {_COLUMNS} FROM mapping_profiles WHERE signature = ?", (signature,)).fetchone()
    return None if row is None else _profile(row)


def get_profile(store: Store, name: str) -> MappingProfile:
    """The profile with this name.

    Raises
    ------
    ProfileError
        No such profile (the message lists the ones there are).
    """
    with store.connect() as conn:
        row = conn.execute(f"SELECT {_COLUMNS} FROM mapping_profiles WHERE name = ?",
                           (" ".join(str(name).split()),)).fetchone()
    if row is None:
        names = [p.name for p in list_profiles(store)]
        known = ("bewaarde profielen: " + ", ".join(f"'{n}'" for n in names)) if names else \
            "er zijn nog geen profielen bewaard (dat kan op de pagina Gegevens)"
        raise ProfileError(f"geen profiel '{name}'; {known}")
    return _profile(row)


def update_profile(store: Store, name: str, *, saved_by: str, mapping: ColumnMapping | None = None,
                   signature: str | None = None, new_name: str | None = None) -> MappingProfile:
    """Change a profile's mapping, the header it applies to, or its name; records who and when.

    Raises
    ------
    ProfileError
        No such profile, the new name is taken, or the new header has another profile.
    """
    current = get_profile(store, name)
    renamed = current.name if new_name is None else _clean_name(new_name)
    signature = current.signature if signature is None else signature
    mapping = current.mapping if mapping is None else mapping
    saved_by = _clean_by(saved_by)
    with store.transaction() as conn:
        if renamed != current.name and conn.execute("SELECT 1 FROM mapping_profiles WHERE name = ?",
                                                    (renamed,)).fetchone():
            raise ProfileError(f"er bestaat al een profiel '{renamed}': kies een andere naam")
        owner = _signature_owner(conn, signature)
        if owner not in (None, current.name):
            raise ProfileError(f"voor deze kolomkoppen bestaat al het profiel '{owner}'")
        conn.execute("UPDATE mapping_profiles SET name = ?, signature = ?, mapping = ?, saved_by = ?, saved_at = ? "
                     "WHERE name = ?", (renamed, signature, mapping.as_json(), saved_by, store.now(), current.name))
    return get_profile(store, renamed)


def remove_profile(store: Store, name: str) -> None:
    """Remove a profile (files with its header are then asked about again).

    Raises
    ------
    ProfileError
        No such profile.
    """
    current = get_profile(store, name)
    with store.transaction() as conn:
        conn.execute("DELETE FROM mapping_profiles WHERE name = ?", (current.name,))
