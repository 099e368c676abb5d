"""How finance changes the official thresholds: one operation for the page Drempels and for
``python -m igemo_fin thresholds set``.

The thresholds in force and their provenance come from
:func:`igemo_fin.records.stored_basis.thresholds_in_force`; :func:`change_thresholds` applies some
changes to them, validates the result (:func:`igemo_fin.records.threshold_versions.validate_thresholds`) and stores it
as a new version in the hash-chained history (:func:`igemo_fin.records.threshold_versions.record_thresholds`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from igemo_fin.records.chain import AuditError
from igemo_fin.records.threshold_versions import ThresholdVersion, record_thresholds, validate_thresholds
from igemo_fin.records.store import Store
from igemo_fin.valuation.thresholds import Thresholds

__all__ = ["change_thresholds"]


def change_thresholds(db: Store | str | os.PathLike, in_force: Thresholds, changes: Mapping[str, float | str | None],
                      *, created_by: str, reason: str) -> ThresholdVersion:
    """Store a new official version: the thresholds in force with ``changes`` applied.

    Parameters
    ----------
    db : Store or path
    in_force : Thresholds
        What was in force when the change was proposed: the version's ``old_values``.
    changes : mapping
        New values by threshold name (the others stay); None gives the discount rate its default.
    created_by, reason : str
        Who sets them and why (both required).

    Raises
    ------
    AuditError
        An unknown name, a value that is no finite number or out of its range, a missing name or
        reason, or nothing changes; nothing is stored then.
    """
    current = in_force.as_dict()
    proposed = validate_thresholds({**current, **changes})
    if proposed == current:
        raise AuditError("geen enkele drempel krijgt een andere waarde: er is niets vast te leggen")
    return record_thresholds(db, proposed, created_by=created_by, reason=reason, old_values=in_force)
