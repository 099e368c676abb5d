"""Portfolio-workbook versions in the store: every uploaded workbook, with what it changed.

Table ``workbook_versions`` (migration 1 of :data:`igemo_fin.records.store.MIGRATIONS`). The summary of
changes is made by :func:`igemo_fin.records.versions.workbook_changes`.
"""

from __future__ import annotations

import json

import pandas as pd

from igemo_fin.records.database import Database, file_sha256

__all__ = ["WorkbookVersions"]


class WorkbookVersions(Database):
    """The workbook half of :class:`igemo_fin.records.store.Store`."""

    def add_workbook_version(self, content: bytes, filename: str, uploader: str | None,
                             summary: dict) -> int:
        """Store an uploaded portfolio workbook as a new version; return its id.

        ``summary`` (what changed against the previous version) is stored as JSON.
        """
        text = json.dumps(summary, ensure_ascii=False, default=str, sort_keys=True)
        with self.transaction() as conn:
            return conn.execute(
                "INSERT INTO workbook_versions (uploaded_at, uploader, sha256, filename, content, summary) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (self.now(), uploader, file_sha256(content), filename, bytes(content), text),
            ).fetchone()[0]

    def latest_workbook(self) -> tuple[int, bytes] | None:
        """The newest workbook version as ``(id, content)``, or None when none is stored."""
        with self.connect() as conn:
            row = conn.execute("SELECT id, content FROM workbook_versions ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else (row[0], bytes(row[1]))

    def workbook_versions(self) -> pd.DataFrame:
        """Every version without its content, newest first: ``id, uploaded_at`` (UTC), ``uploader,
        sha256, filename, size`` [bytes] and ``summary`` (a dict)."""
        frame = self.query_frame("SELECT id, uploaded_at, uploader, sha256, filename, LENGTH(content) AS size, "
                                 "summary FROM workbook_versions ORDER BY id DESC")
        frame["uploaded_at"] = pd.to_datetime(frame["uploaded_at"], utc=True)
        frame["summary"] = [json.loads(s) for s in frame["summary"]]
        return frame

    def workbook_content(self, version_id: int) -> bytes:
        """The bytes of one workbook version.

        Raises
        ------
        KeyError
            No version with that id.
        """
        with self.connect() as conn:
            row = conn.execute("SELECT content FROM workbook_versions WHERE id = ?", (int(version_id),)).fetchone()
        if row is None:
            raise KeyError(f"geen portefeuilleversie met nummer {version_id}")
        return bytes(row[0])
