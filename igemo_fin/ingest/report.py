"""What a ledger import reports: the counts (that add up), the rows left out, the totals per project.

The same report is printed by ``python -m igemo_fin ledger import`` (``--json``: :meth:`LedgerReport.as_json`)
and shown on the Gegevens page, with the same words (:data:`COUNT_LABELS`)::

    rows_read = rows_imported + len(rows_skipped)

``rows_imported`` are the lines that feed project actuals (a known project, an account of a real
category); ``rows_skipped`` every other row with its Excel row and Dutch reason (no project code, an
unknown one, an account under ``negeren`` or without category, subtotals, rows that are no booking).
Every booking line is still stored, whatever its project, so that a later workbook version can
re-classify it: ``rows_stored`` counts the lines this import added to the database (lines an earlier,
overlapping export already stored are not added again).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from igemo_fin.inputs.ledger import LedgerRead

# pandas, the ledger reader and the formatting are imported where they are used: a file imported
# before is answered from its kept report, and that answer should not wait for them to load.

__all__ = ["COUNT_LABELS", "LEDGER_JSON_KEYS", "LedgerReport", "totals_by_project"]

LEDGER_JSON_KEYS = ("file_sha256", "filename", "already_imported", "imported_at", "sheet", "profile",
                    "rows_read", "rows_imported", "rows_skipped", "rows_stored", "totals_by_project")
"""The keys of ``ledger import --json``, in order."""

COUNT_LABELS = {"rows_read": "Regels gelezen", "rows_imported": "Projectcijfers",
                "rows_skipped": "Niet meegeteld", "rows_stored": "Opgeslagen"}
"""The Dutch words for the counts, on the command line and on the Gegevens page alike."""

_KEPT = ("filename", "sheet", "profile", "rows_read", "rows_imported", "rows_skipped", "totals_by_project")


def totals_by_project(lines: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Signed totals [EUR] per project code and category of ledger lines (summed in cents).

    Parameters
    ----------
    lines : pandas.DataFrame
        ``project_code, category, amount_cents`` (e.g. :attr:`~igemo_fin.inputs.ledger.LedgerRead.actual_lines`).

    Returns
    -------
    dict
        ``{code: {categorie: amount}}``, codes sorted, categories in WORKBOOK.md's order.

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"project_code": ["B", "A", "A"], "category": ["verkoop", "studies", "verwerving"],
    ...                       "amount_cents": [100001, -2525, -100000]})
    >>> totals_by_project(lines)
    {'A': {'verwerving': -1000.0, 'studies': -25.25}, 'B': {'verkoop': 1000.01}}
    """
    from igemo_fin.columns import CATEGORIES

    if lines.empty:
        return {}
    sums = lines.groupby(["project_code", "category"], sort=True)["amount_cents"].sum()
    order = {c: i for i, c in enumerate(CATEGORIES)}
    out: dict[str, dict[str, float]] = {}
    for (code, category), cents in sorted(sums.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 99))):
        out.setdefault(str(code), {})[str(category)] = int(cents) / 100.0
    return out


@dataclass(frozen=True)
class LedgerReport:
    """One ledger export: what was (or would be) imported, and what was left out of the actuals."""

    file_sha256: str
    filename: str
    already_imported: bool
    """The same file (same SHA-256) was imported before: nothing was read or added this time; the
    counts are those of that first import."""
    imported_at: str | None
    """When the file was (first) stored, ISO 8601 UTC; None while it is only read (a preview)."""
    sheet: str | None
    """The sheet the lines were read from (None for a text file)."""
    profile: str | None
    """The mapping profile applied, when one was."""
    rows_read: int
    rows_imported: int
    """Lines that feed project actuals."""
    rows_skipped: tuple[dict, ...]
    """``{"row", "reason"}`` for every row left out of the actuals, in file order."""
    rows_stored: int
    """Lines this import added to the database (0 before storing and when already imported)."""
    totals_by_project: dict
    """:func:`totals_by_project` of the lines that feed the actuals."""
    rows_already_present: int = 0
    """Lines an earlier, overlapping export had already stored (not added again)."""

    def __post_init__(self):
        if self.rows_read != self.rows_imported + len(self.rows_skipped):
            raise ValueError(f"tellingen kloppen niet: {self.rows_read} gelezen, {self.rows_imported} "
                             f"projectcijfers en {len(self.rows_skipped)} niet meegeteld")

    @classmethod
    def of_read(cls, read: LedgerRead, *, file_sha256: str, filename: str, profile: str | None) -> LedgerReport:
        """The report of a file read but not stored yet."""
        skipped = tuple({"row": int(r), "reason": str(reason)}
                        for r, reason in zip(read.skipped["row"].tolist(), read.skipped["reason"].tolist()))
        return cls(file_sha256, filename, False, None, read.sheet, profile, int(read.rows_read),
                   read.rows_imported, skipped, 0,
                   totals_by_project(read.lines.loc[read.actual_mask, ["project_code", "category", "amount_cents"]]))

    @classmethod
    def of_earlier_import(cls, found: dict) -> LedgerReport | None:
        """The report of a file imported before, from its ``ledger_imports`` row (None without a kept report)."""
        kept = found.get("report")
        if not kept:
            return None
        return cls(str(found["file_sha256"]), kept["filename"], True, str(found["imported_at"]), kept["sheet"],
                   kept["profile"], int(kept["rows_read"]), int(kept["rows_imported"]),
                   tuple(kept["rows_skipped"]), 0, kept["totals_by_project"])

    def kept(self) -> dict:
        """What the store keeps of this report, to answer the same file again without reading it."""
        out = self.as_json(copy_rows=False)  # serialised at once: no second copy of 47,000 rows' dicts
        return {k: out[k] for k in _KEPT}

    def stored(self, *, imported_at: str, rows_stored: int, rows_already_present: int) -> LedgerReport:
        """This report once its lines are stored."""
        return dataclasses.replace(self, imported_at=imported_at, rows_stored=int(rows_stored),
                                   rows_already_present=int(rows_already_present))

    def as_json(self, *, copy_rows: bool = True) -> dict:
        """The JSON object of ``ledger import --json`` (keys :data:`LEDGER_JSON_KEYS`); ``copy_rows``
        False shares the report's own ``rows_skipped`` dicts (for a caller that only serialises it)."""
        return {"file_sha256": self.file_sha256, "filename": self.filename,
                "already_imported": bool(self.already_imported), "imported_at": self.imported_at,
                "sheet": self.sheet, "profile": self.profile, "rows_read": int(self.rows_read),
                "rows_imported": int(self.rows_imported),
                "rows_skipped": [dict(s) for s in self.rows_skipped] if copy_rows else list(self.rows_skipped),
                "rows_stored": int(self.rows_stored), "totals_by_project": self.totals_by_project}

    @property
    def counts(self) -> str:
        """The counts in words: ``'7 regels gelezen: 4 projectcijfers, 3 niet meegeteld'``."""
        return (f"{self.rows_read} {COUNT_LABELS['rows_read'].lower()}: {self.rows_imported} "
                f"{COUNT_LABELS['rows_imported'].lower()}, {len(self.rows_skipped)} "
                f"{COUNT_LABELS['rows_skipped'].lower()}")

    @property
    def message(self) -> str:
        """One Dutch sentence for finance after the import."""
        if self.already_imported:
            from igemo_fin.fmt import local_time

            when = local_time(self.imported_at, joiner=' om ') if self.imported_at else "eerder"
            return f"{self.filename}: al geïmporteerd op {when}, niets toegevoegd ({self.counts})."
        text = f"{self.filename}: {self.counts}; {self.rows_stored} {COUNT_LABELS['rows_stored'].lower()}"
        if self.rows_already_present:
            text += f", {self.rows_already_present} al aanwezig uit een eerdere export"
        return text + (f" (profiel '{self.profile}')." if self.profile else ".")
