"""The portfolio-workbook import workflow, called by ``python -m igemo_fin workbook import`` and the Gegevens page.

A workbook identical to the latest stored version (same SHA-256, looked up before the file is read) is
not stored again. Otherwise it is read and validated against WORKBOOK.md
(:func:`~igemo_fin.inputs.workbook.read_workbook`), compared with the latest version
(:func:`~igemo_fin.records.versions.workbook_changes`), and stored as a new version with that summary.
A refused workbook raises before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from igemo_fin.errors import InputError
from igemo_fin.inputs.filesafety import check_size
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.records.database import file_sha256
from igemo_fin.records.store import Store
from igemo_fin.records.versions import describe_changes, workbook_changes
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["WorkbookImport", "WorkbookUpload", "prepare_workbook", "store_workbook"]


@dataclass(frozen=True)
class WorkbookUpload:
    """A workbook read and compared with the latest stored version, ready to store."""

    filename: str
    file_sha256: str
    content: bytes
    portfolio: Portfolio | None
    """None when the file is the latest version already (then it is not read)."""
    latest_id: int | None
    """The latest stored version, the one compared with."""
    summary: dict | None
    """What changed against ``latest_id`` (:func:`~igemo_fin.records.versions.workbook_changes`)."""

    @property
    def same_as_latest(self) -> bool:
        return self.portfolio is None

    @property
    def project_counts(self) -> tuple[int, int]:
        """The workbook's projects and how many of them are ``actief`` (0, 0 when it was not read)."""
        if self.portfolio is None:
            return 0, 0
        status = self.portfolio.projects["status"]
        return len(status), int((status == "actief").sum())


@dataclass(frozen=True)
class WorkbookImport:
    """What ``workbook import`` did."""

    version: int
    """Id of the stored version (the latest one when ``already_latest``)."""
    file_sha256: str
    already_latest: bool
    """The file is identical to the latest version: nothing was stored."""
    previous_version: int | None
    summary: dict
    """What changed against the previous version (:func:`igemo_fin.records.versions.workbook_changes`)."""

    @property
    def message(self) -> str:
        if self.already_latest:
            return f"Dit werkboek is identiek aan de nieuwste versie (versie {self.version}): niets opgeslagen."
        return f"Opgeslagen als versie {self.version}. {describe_changes(self.summary)}"

    def as_json(self) -> dict:
        return {"version": self.version, "file_sha256": self.file_sha256, "already_latest": self.already_latest,
                "previous_version": self.previous_version, "summary": self.summary, "message": self.message}


def prepare_workbook(data: bytes, filename: str, *, store: Store | None) -> WorkbookUpload:
    """Everything a workbook import does before it writes.

    Parameters
    ----------
    store : Store or None
        The database when it exists (for the latest version); never written here.

    Raises
    ------
    WorkbookError, FileRefused
        The workbook is refused, with every problem's sheet, row and column.
    """
    name = PurePath(filename).name
    check_size(len(data), name)
    sha = file_sha256(data)
    versions = None if store is None else store.workbook_versions()
    if versions is None or versions.empty:
        portfolio = read_workbook(data, filename=name)
        return WorkbookUpload(name, sha, data, portfolio, None, workbook_changes(None, portfolio))
    latest = versions.iloc[0]
    latest_id = int(latest["id"])
    if latest["sha256"] == sha:
        return WorkbookUpload(name, sha, data, None, latest_id, latest["summary"])
    portfolio = read_workbook(data, filename=name)
    try:
        previous = read_workbook(store.workbook_content(latest_id), filename=str(latest["filename"]))
    except InputError:
        previous = None  # a version this reader no longer accepts: compare with nothing
    return WorkbookUpload(name, sha, data, portfolio, latest_id, workbook_changes(previous, portfolio))


def store_workbook(store: Store, upload: WorkbookUpload, *, uploader: str | None) -> WorkbookImport:
    """Store a prepared workbook as a new version (nothing when it is the latest version already)."""
    if upload.same_as_latest:
        return WorkbookImport(upload.latest_id, upload.file_sha256, True, upload.latest_id, upload.summary)
    summary = dict(upload.summary)
    summary["previous_version"] = upload.latest_id
    version = store.add_workbook_version(upload.content, upload.filename, uploader, summary)
    return WorkbookImport(int(version), upload.file_sha256, False, upload.latest_id, summary)
