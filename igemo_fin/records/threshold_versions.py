"""The versions of the official thresholds: set by finance in the app, append-only and hash-chained.

Table ``threshold_versions`` (migration 2 of :data:`igemo_fin.records.store.MIGRATIONS`); the chain, the
triggers that refuse ``UPDATE`` and ``DELETE`` and the verification are those of
:mod:`igemo_fin.records.chain`. The newest version outranks the ``drempels`` sheet of every workbook
(:func:`thresholds_in_force`).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from igemo_fin.records.chain import AuditError, append, as_store, checked_text
from igemo_fin.records.store import Store
from igemo_fin.valuation.basis import OFFICIAL, WORKBOOK, ThresholdSource
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.thresholds import Thresholds

__all__ = [
    "ThresholdVersion",
    "validate_thresholds",
    "record_thresholds",
    "threshold_versions",
    "latest_thresholds",
    "stored_thresholds",
    "thresholds_in_force",
    "in_force",
]


@dataclass(frozen=True)
class ThresholdVersion:
    """One version of the official thresholds (a row of ``threshold_versions``)."""

    id: int
    created_at: str  #: ISO 8601, UTC
    created_by: str
    reason: str
    old_values: dict  #: every threshold before [its unit, see THRESHOLD_INFO]; None = default
    new_values: dict  #: every threshold after
    prev_hash: str
    entry_hash: str

    def thresholds(self) -> Thresholds:
        return Thresholds(**{k: v for k, v in self.new_values.items() if k in Thresholds.names()})


# --------------------------------------------------------------------------- thresholds

def validate_thresholds(values: Mapping[str, float | None]) -> dict[str, float | None]:
    """Every threshold as a plain float (or None for the discount rate's default), checked.

    Unknown names, non-finite numbers, percentages outside 0-100 and negative years are refused
    with the same rules as the workbook's ``drempels`` sheet.

    >>> validate_thresholds({"min_irr_pct": 4})["min_irr_pct"]
    4.0
    """
    known = Thresholds.names()
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise AuditError(f"onbekende drempel(s): {', '.join(unknown)}")
    out = Thresholds().as_dict()
    for name, value in values.items():
        if value is None:
            if name != "disconteringsvoet_pct":
                raise AuditError(f"drempel '{name}' heeft een waarde nodig")
            out[name] = None
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise AuditError(f"drempel '{name}': '{value}' is geen getal") from None
        if not math.isfinite(number):
            raise AuditError(f"drempel '{name}': {value} is geen eindig getal")
        if name in ("max_kans_verlies_pct", "stop_kans_verlies_pct") and not 0 <= number <= 100:
            raise AuditError(f"drempel '{name}': percentage {number:g} ligt niet tussen 0 en 100")
        if name.endswith("jaren_zonder_bestemming") and number < 0:
            raise AuditError(f"drempel '{name}': aantal jaren {number:g} mag niet negatief zijn")
        if name == "max_kredietgebruik_pct" and number <= 0:
            raise AuditError(f"drempel '{name}': percentage {number:g} moet groter dan 0 zijn")
        out[name] = number
    return out


def _values_json(values: Mapping[str, float | None]) -> str:
    return json.dumps(dict(values), sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _version(row: Mapping) -> ThresholdVersion:
    return ThresholdVersion(
        id=int(row["id"]), created_at=row["created_at"], created_by=row["created_by"], reason=row["reason"],
        old_values=json.loads(row["old_values"]), new_values=json.loads(row["new_values"]),
        prev_hash=row["prev_hash"], entry_hash=row["entry_hash"])


def record_thresholds(db: Store | str | os.PathLike, new_values: Thresholds | Mapping[str, float | None], *,
                      created_by: str, reason: str,
                      old_values: Thresholds | Mapping[str, float | None] | None = None) -> ThresholdVersion:
    """Store a new version of the official thresholds.

    Parameters
    ----------
    new_values : Thresholds or mapping
        The thresholds that are official from now on; names missing from a mapping get the
        documented defaults.
    created_by, reason : str
        Who sets them and why (both required).
    old_values : Thresholds or mapping, optional
        What was official before. Default: the previous version's ``new_values``; for the first
        version the caller passes the workbook's thresholds (the page does), else the defaults.

    Returns
    -------
    ThresholdVersion
    """
    new = validate_thresholds(new_values.as_dict() if isinstance(new_values, Thresholds) else new_values)
    who = checked_text(created_by, "wie de drempels vastlegt", limit=200)
    why = checked_text(reason, "de reden van de wijziging")
    given_old = None if old_values is None else validate_thresholds(
        old_values.as_dict() if isinstance(old_values, Thresholds) else old_values)
    store = as_store(db)

    def build(conn) -> dict:
        old = given_old
        if old is None:  # read inside the append's transaction: no other version can slip in between
            last = conn.execute("SELECT new_values FROM threshold_versions ORDER BY id DESC LIMIT 1").fetchone()
            old = json.loads(last[0]) if last else Thresholds().as_dict()
        return {"created_at": store.now(), "created_by": who, "reason": why,
                "old_values": _values_json(old), "new_values": _values_json(new)}

    return _version(append(store, "threshold_versions", build))


def threshold_versions(db: Store | str | os.PathLike) -> list[ThresholdVersion]:
    """Every threshold version, oldest first."""
    frame = as_store(db).query_frame("SELECT * FROM threshold_versions ORDER BY id")
    return [_version(r) for r in frame.to_dict("records")]


def latest_thresholds(db: Store | str | os.PathLike) -> ThresholdVersion | None:
    """The threshold version in force (the newest), or None when none was ever stored."""
    store = as_store(db)
    frame = store.query_frame("SELECT * FROM threshold_versions ORDER BY id DESC LIMIT 1")
    return None if frame.empty else _version(frame.iloc[0].to_dict())


def stored_thresholds(db: Store | str | os.PathLike) -> Thresholds | None:
    """The official thresholds from the database, or None when none were stored (the workbook's apply)."""
    latest = latest_thresholds(db)
    return None if latest is None else latest.thresholds()


def thresholds_in_force(db: Store | str | os.PathLike | None,
                        portfolio: Portfolio) -> tuple[Thresholds, ThresholdSource]:
    """The thresholds every evaluation uses, and where they come from: the newest version finance
    stored (official version N), else the workbook's ``drempels``.

    A version stored with :func:`record_thresholds` outranks the ``drempels`` sheet of every workbook
    uploaded after it: finance sets the official thresholds once, in the app.
    """
    return in_force(None if db is None else latest_thresholds(db), portfolio.thresholds)


def in_force(latest: ThresholdVersion | None, workbook: Thresholds) -> tuple[Thresholds, ThresholdSource]:
    """:func:`thresholds_in_force` from the newest stored version (or None) and the workbook's thresholds."""
    if latest is None:
        return workbook, ThresholdSource(WORKBOOK)
    return latest.thresholds(), ThresholdSource(OFFICIAL, int(latest.id), latest.created_by, latest.created_at)