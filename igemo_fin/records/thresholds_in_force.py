"""Which thresholds are in force, where they come from, and how finance changes them.

The dashboard, the command line and the board pack decide with the same thresholds: the newest
version finance stored on the page Drempels (:func:`igemo_fin.records.audit.latest_thresholds`),
else the workbook's sheet ``drempels``. :func:`thresholds_in_force` says which, with its provenance;
:func:`change_thresholds` is the one way to store a new version, used by the page Drempels and by
``python -m igemo_fin thresholds set``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from igemo_fin.fmt import local_time
from igemo_fin.records.audit import AuditError, ThresholdVersion, latest_thresholds, record_thresholds, \
    validate_thresholds
from igemo_fin.records.store import Store
from igemo_fin.valuation.thresholds import Thresholds

__all__ = ["ThresholdsInForce", "thresholds_in_force", "change_thresholds"]


@dataclass(frozen=True)
class ThresholdsInForce:
    """The thresholds an evaluation uses and where they come from."""

    thresholds: Thresholds
    """Every threshold [its unit, see THRESHOLD_INFO]; the discount rate None means its default."""
    version: ThresholdVersion | None
    """The official version they come from; None: the workbook's sheet ``drempels``."""

    @property
    def override(self) -> Thresholds | None:
        """What to pass as ``evaluate(thresholds=...)``: the official ones, or None for the workbook's."""
        return None if self.version is None else self.thresholds

    def source_json(self) -> dict:
        """``{"kind": "werkboek"}`` or ``{"kind": "officieel", "version", "set_by", "set_at"}`` (ISO, UTC)."""
        if self.version is None:
            return {"kind": "werkboek"}
        return {"kind": "officieel", "version": self.version.id, "set_by": self.version.created_by,
                "set_at": self.version.created_at}

    def describe(self) -> str:
        """One Dutch phrase: ``"officiële drempels versie 2 (vastgelegd door An op 02/03/2026 10:15)"``."""
        if self.version is None:
            return "drempels van het werkboek (blad 'drempels'; geen officiële versie vastgelegd)"
        return (f"officiële drempels versie {self.version.id} (vastgelegd door {self.version.created_by} "
                f"op {local_time(self.version.created_at)})")


def thresholds_in_force(db: Store | str | os.PathLike | None, workbook_thresholds: Thresholds) -> ThresholdsInForce:
    """The newest official version in ``db``, else ``workbook_thresholds`` (the sheet ``drempels``).

    Parameters
    ----------
    db : Store, path or None
        The store; None (no database yet) means no official version.
    workbook_thresholds : Thresholds
        The thresholds of the workbook evaluated (``portfolio.thresholds``).
    """
    version = None if db is None else latest_thresholds(db)
    return ThresholdsInForce(workbook_thresholds if version is None else version.thresholds(), version)


def change_thresholds(db: Store | str | os.PathLike, in_force: ThresholdsInForce,
                      changes: Mapping[str, float | str | None], *, created_by: str, reason: str) -> ThresholdVersion:
    """Store a new official version: the thresholds in force with ``changes`` applied.

    Parameters
    ----------
    db : Store or path
    in_force : ThresholdsInForce
        What was in force when the change was proposed: the version's ``old_values``.
    changes : mapping
        New values by threshold name (the others stay); None gives the discount rate its default.
    created_by, reason : str
        Who sets them and why (both required).

    Raises
    ------
    AuditError
        An unknown name, a value that is no finite number or out of its range
        (:func:`~igemo_fin.records.audit.validate_thresholds`), a missing name or reason, or nothing changes.
    """
    current = in_force.thresholds.as_dict()
    proposed = validate_thresholds({**current, **changes})
    if proposed == current:
        raise AuditError("geen enkele drempel krijgt een andere waarde: er is niets vast te leggen")
    return record_thresholds(db, proposed, created_by=created_by, reason=reason, old_values=in_force.thresholds)
