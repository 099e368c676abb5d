"""Refuse hostile or mislabelled uploads before any parser sees them.

:func:`check_upload` looks at the bytes, never trusts the extension, and answers within a second.
It is the door; each format's checks live in their own module:

* size: at most ``max_bytes`` (20 MB by default), here;
* ``.xlsx``/``.xlsm``: zip bombs and defused XML (:mod:`~igemo_fin.inputs.safety_zip`), workbook
  structure, macros and absurd sheet sizes (:mod:`~igemo_fin.inputs.safety_xlsx`);
* ``.ods``: the same zip and XML checks, the mimetype, repeated cells
  (:mod:`~igemo_fin.inputs.safety_ods`);
* ``.xls``: an HTML page, XML spreadsheet or text under an ``.xls`` name, and a sound compound
  file (:mod:`~igemo_fin.inputs.safety_xls`);
* ``.csv``/``.txt``: text without binary content, in UTF-8, Windows-1252 or UTF-16 with BOM
  (:mod:`~igemo_fin.inputs.safety_text`).

Which extensions are welcome depends on the door: the portfolio workbook takes ``.xlsx`` (and
``.csv`` to say why not), a ledger export every format above. Every refusal is a
:class:`~igemo_fin.errors.FileRefused` with a Dutch reason for finance.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from igemo_fin.inputs.safety_ods import check_ods
from igemo_fin.inputs.safety_refusal import megabytes, refuse
from igemo_fin.inputs.safety_text import decode_csv
from igemo_fin.inputs.safety_xls import check_xls
from igemo_fin.inputs.safety_xlsx import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, check_xlsx
from igemo_fin.inputs.safety_zip import MAX_COMPRESSION_RATIO, MAX_UNCOMPRESSED_TOTAL, MAX_ZIP_ENTRIES

__all__ = [
    "MAX_BYTES",
    "MAX_ZIP_ENTRIES",
    "MAX_UNCOMPRESSED_TOTAL",
    "MAX_COMPRESSION_RATIO",
    "MAX_ROWS",
    "MAX_COLUMNS",
    "MAX_CELLS",
    "LEDGER_FORMATS",
    "WORKBOOK_FORMATS",
    "check_upload",
    "check_size",
    "decode_csv",
]

MAX_BYTES = 20 * 1024 * 1024
"""Largest upload accepted [bytes]."""

WORKBOOK_FORMATS = (".xlsx", ".csv")
"""Extensions :func:`check_upload` accepts by default (the portfolio workbook's door)."""
LEDGER_FORMATS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")
"""Extensions a ledger export may have."""

_KINDS = {".xlsx": "xlsx", ".xlsm": "xlsm", ".xls": "xls", ".ods": "ods", ".csv": "csv", ".txt": "csv"}
_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".ods")


def check_upload(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES,
                 formats: tuple[str, ...] = WORKBOOK_FORMATS,
                 observe: Callable[[str, bytes], None] | None = None) -> str:
    """Check an uploaded file's bytes before any parsing.

    Parameters
    ----------
    data : bytes
        The whole file.
    filename : str
        Its name as uploaded; only the extension is used, and it must match the bytes.
    max_bytes : int, optional
        Largest size accepted [bytes], 20 MB by default.
    formats : tuple of str, optional
        The extensions accepted (:data:`WORKBOOK_FORMATS` by default, :data:`LEDGER_FORMATS` for
        a ledger export).
    observe : callable, optional
        ``observe(part, chunk)`` gets each worksheet's unpacked XML of an ``.xlsx``/``.xlsm`` as it is
        checked (see :func:`~igemo_fin.inputs.safety_xlsx.check_xlsx`).

    Returns
    -------
    str
        ``"xlsx"``, ``"xlsm"``, ``"xls"``, ``"ods"`` or ``"csv"`` (any text export).

    Raises
    ------
    FileRefused
        With one Dutch reason: too large, empty, wrong type for its extension, damaged or
        hostile zip or compound file, forbidden XML (DTD/entities), absurd sheet size,
        undecodable text.

    Examples
    --------
    >>> check_upload("datum;rekening;bedrag\\n".encode(), "grootboek.csv")
    'csv'
    >>> check_upload("datum\\tbedrag\\n".encode("utf-16"), "grootboek.txt", formats=LEDGER_FORMATS)
    'csv'
    """
    name = PurePath(filename or "").name or "bestand"
    ext = PurePath(name).suffix.lower()
    if ext not in formats or ext not in _KINDS:
        hint = " Sla het op als .xlsx." if ext in _SPREADSHEETS and ".xlsx" in formats else ""
        shown = f"'{ext}'" if ext else "zonder extensie"
        allowed = ", ".join(formats[:-1]) + " of " + formats[-1] if len(formats) > 1 else formats[0]
        raise refuse(name, f"bestandstype {shown} wordt niet aanvaard: enkel {allowed}.{hint}")
    check_size(len(data), name, max_bytes=max_bytes)
    kind = _KINDS[ext]
    if kind in ("xlsx", "xlsm"):
        check_xlsx(data, name, macros=kind == "xlsm", observe=observe)
    elif kind == "ods":
        check_ods(data, name)
    elif kind == "xls":
        check_xls(data, name)
    else:
        decode_csv(data, name)
    return kind


def check_size(size: int, filename: str, *, max_bytes: int = MAX_BYTES) -> None:
    """Refuse an empty file or one over ``max_bytes`` [bytes], e.g. from its size on disk before reading it.

    Raises
    ------
    FileRefused
        With the size and the limit in MB.
    """
    name = PurePath(filename or "").name or "bestand"
    if size == 0:
        raise refuse(name, "het bestand is leeg")
    if size > max_bytes:
        raise refuse(name, f"het bestand is te groot: {megabytes(size)}, de grens is {megabytes(max_bytes)}")
