"""The board's decision log: every decision on a project, append-only and hash-chained.

Table ``decisions`` (migration 2 of :data:`igemo_fin.records.store.MIGRATIONS`); the chain, the triggers
that refuse ``UPDATE`` and ``DELETE`` and the verification are those of :mod:`igemo_fin.records.chain`.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pandas as pd

from igemo_fin.records.chain import AuditError, append, as_store, checked_date, checked_text
from igemo_fin.records.store import Store
from igemo_fin.valuation.rules import VERDICTS

__all__ = ["Decision", "record_decision", "data_version", "decisions"]


@dataclass(frozen=True)
class Decision:
    """One entry of the decision log (a row of ``decisions``)."""

    id: int
    project_code: str
    decided_at: str  #: ISO 8601, UTC
    meeting_date: str  #: yyyy-mm-dd
    valuation_year: int
    verdict_engine: str | None  #: what the model said (None: the project had no verdict)
    verdict_adopted: str  #: what the board decided
    overridden: bool  #: the board did not follow the model
    motivation: str
    decided_by: str
    data_version: str  #: SHA-256 of the workbook, ``+grootboek-N`` when ledger imports counted
    thresholds_version: int | None  #: id in ``threshold_versions``; None: the workbook's thresholds
    prev_hash: str
    entry_hash: str


# --------------------------------------------------------------------------- decisions

def record_decision(db: Store | str | os.PathLike, *, project_code: str, verdict_engine: str | None,
                    verdict_adopted: str, motivation: str, decided_by: str, meeting_date: dt.date | str,
                    data_version: str, valuation_year: int, thresholds_version: int | None = None) -> Decision:
    """Append a board decision to the log.

    Parameters
    ----------
    db : Store or path
        The store (or its database file).
    project_code : str
    verdict_engine : str or None
        The model's verdict the board saw (None for a project without one).
    verdict_adopted : str
        The board's decision: one of DOORGAAN, BIJSTUREN, STOPZETTEN, AFSTOTEN.
    motivation : str
        Why; required when the board deviates from the model (``overridden``).
    decided_by : str
        Who recorded it (the signed-in user).
    meeting_date : date or 'yyyy-mm-dd'
        The board meeting.
    data_version : str
        The figures it was based on: the workbook's SHA-256 (and the ledger import).
    valuation_year : int
        ``V`` of the evaluation the board saw.
    thresholds_version : int, optional
        Id of the threshold version in force (:func:`latest_thresholds`); None when the workbook's
        own ``drempels`` applied (they are then part of ``data_version``).

    Returns
    -------
    Decision
        The stored entry, with its id and hashes. ``overridden`` is derived: the adopted verdict
        differs from the model's.

    Raises
    ------
    AuditError
        An unknown verdict, an empty motivation for an override, an unknown threshold version.
    """
    if verdict_adopted not in VERDICTS:
        raise AuditError(f"onbekend besluit '{verdict_adopted}' (kies uit {', '.join(VERDICTS)})")
    if verdict_engine is not None and verdict_engine not in VERDICTS:
        raise AuditError(f"onbekend oordeel van het model '{verdict_engine}'")
    overridden = verdict_adopted != verdict_engine
    code = checked_text(project_code, "de projectcode", limit=100)
    reason = checked_text(motivation, "een motivering bij een afwijkend besluit", required=overridden)
    who = checked_text(decided_by, "wie het besluit vastlegt", limit=200)
    version = checked_text(data_version, "de gegevensversie", limit=200)
    meeting = checked_date(meeting_date, "de vergaderdatum")
    store = as_store(db)
    if thresholds_version is not None:
        with store.connect() as conn:
            if conn.execute("SELECT 1 FROM threshold_versions WHERE id = ?", (int(thresholds_version),)).fetchone() is None:
                raise AuditError(f"drempelversie {thresholds_version} bestaat niet")
    row = append(store, "decisions", lambda _conn: {
        "project_code": code, "decided_at": store.now(), "meeting_date": meeting,
        "valuation_year": int(valuation_year), "verdict_engine": verdict_engine,
        "verdict_adopted": verdict_adopted, "overridden": overridden, "motivation": reason,
        "decided_by": who, "data_version": version,
        "thresholds_version": None if thresholds_version is None else int(thresholds_version),
    })
    return Decision(**{**row, "overridden": bool(row["overridden"])})


def data_version(db: Store | str | os.PathLike, workbook_sha256: str) -> str:
    """What figures a decision is based on: the workbook's SHA-256, and ``+grootboek-N`` when ledger
    imports exist (N: the newest import, whose actuals the evaluation used).

    >>> import tempfile, pathlib
    >>> data_version(pathlib.Path(tempfile.mkdtemp()) / "d.db", "ab" * 32)[-6:]
    'ababab'
    """
    store = as_store(db)
    with store.connect() as conn:
        newest = conn.execute("SELECT MAX(id) FROM ledger_imports").fetchone()[0]
    return workbook_sha256 if newest is None else f"{workbook_sha256}+grootboek-{newest}"


def decisions(db: Store | str | os.PathLike) -> pd.DataFrame:
    """The decision log, oldest first: the columns of ``decisions`` (``overridden`` as bool)."""
    store = as_store(db)
    frame = store.query_frame("SELECT * FROM decisions ORDER BY id")
    frame["overridden"] = frame["overridden"].astype(bool)
    return frame

