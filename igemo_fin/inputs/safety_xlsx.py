"""Office Open XML workbooks (``.xlsx``, ``.xlsm``): structure, macros and absurd sheet sizes.

Beyond the zip and XML checks of :mod:`~igemo_fin.inputs.safety_zip`: the workbook must hold
``[Content_Types].xml`` and ``xl/workbook.xml``; a macro workbook is accepted only under a
``.xlsm`` name (its macros are never run, only its cells read); a worksheet's ``<dimension ref>``,
the real extent of its cell references and the shared-string count (python-calamine pre-allocates
memory for both) are checked against :data:`MAX_ROWS`, :data:`MAX_COLUMNS` and :data:`MAX_CELLS`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable

from igemo_fin.inputs.safety_refusal import ZIP_MAGIC, refuse, thousands, what_it_is
from igemo_fin.inputs.safety_zip import HeadTarget, inflate, local_name, open_zip, parse_small, stream_xml

__all__ = ["MAX_ROWS", "MAX_COLUMNS", "MAX_CELLS", "check_cell_extent", "check_xlsx"]

MAX_ROWS = 1_048_576
"""Rows of an Excel sheet."""
MAX_COLUMNS = 16_384
"""Columns of an Excel sheet (XFD)."""
MAX_CELLS = 50_000_000
"""Largest rectangle of cells a sheet may declare or span."""

_WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
}
_MACRO_TYPES = {
    "application/vnd.ms-excel.sheet.macroenabled.main+xml",
    "application/vnd.ms-excel.template.macroenabled.main+xml",
    "application/vnd.ms-excel.addin.macroenabled.main+xml",
}
_SHEET_REL_SUFFIXES = ("/worksheet", "/macrosheet", "/dialogsheet", "/chartsheet")
# A cell or row reference with 2+ column letters, or a row number of 7+ digits: cheap to find
# because ordinary ledgers (columns A-Z, < 1,000,000 rows) have none.
_WIDE_OR_DEEP = re.compile(rb'r="(?:([A-Z]{2,4})\d|[A-Z]{0,4}(\d{7,}))')
_REF = re.compile(r"^\$?([A-Z]{1,4})\$?(\d{1,8})$")


def check_xlsx(data: bytes, name: str, *, macros: bool = False,
               observe: Callable[[str, bytes], None] | None = None) -> None:
    """Refuse a hostile or mislabelled Office Open XML workbook; ``macros`` allows a macro workbook.

    ``observe(part, chunk)`` is given each worksheet's unpacked XML as it is scanned (a reader keeps
    what it needs of it instead of unpacking the sheet once more)."""
    label = ".xlsm" if macros else ".xlsx"
    if not data.startswith(ZIP_MAGIC):
        what = what_it_is(data) or "geen zip-archief (mogelijk tekst of een ander formaat)"
        raise refuse(name, f"dit is geen echt {label}-bestand: de inhoud is {what}")
    infos = open_zip(data, name, label)
    names = {i.filename for i in infos}
    for required in ("[Content_Types].xml", "xl/workbook.xml"):
        if required not in names:
            raise refuse(
                name,
                f"dit is geen Excel-werkmap ({label}): het onderdeel '{required}' ontbreekt "
                f"(mogelijk een ander Office-document met een {label}-naam)",
            )
    by_name = {i.filename: i for i in infos}
    content_types = parse_small(data, by_name["[Content_Types].xml"], name, label)
    sheets, shared = _declared_parts(content_types, name, macros)
    rels = by_name.get("xl/_rels/workbook.xml.rels")
    if rels is not None:
        sheets |= _sheet_targets(parse_small(data, rels, name, label))
    sheets |= {n for n in names if re.match(r"(?i)^xl/worksheets/[^/]+\.xml$", n)}
    for info in infos:
        if info.is_dir():
            continue
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            for _ in inflate(data, info, name, label):  # size and CRC only
                pass
        elif info.filename in sheets:
            _scan_sheet(data, info, name, label, observe)
        else:
            target = HeadTarget()
            for _, head_done in stream_xml(data, info, name, label, target):
                if head_done and info.filename in shared and target.root is not None:
                    _check_shared_count(target.root[1], info, name)


def _declared_parts(content_types, name: str, macros: bool) -> tuple[set[str], set[str]]:
    sheets: set[str] = set()
    shared: set[str] = set()
    workbook_type = None
    for node in content_types:
        if local_name(node.tag) != "Override":
            continue
        part = (node.get("PartName") or "").lstrip("/")
        ctype = (node.get("ContentType") or "").lower()
        if part == "xl/workbook.xml":
            workbook_type = ctype
        if ctype.endswith(("worksheet+xml", "macrosheet+xml", "dialogsheet+xml", "chartsheet+xml")):
            sheets.add(part)
        elif ctype.endswith("sharedstrings+xml"):
            shared.add(part)
    if workbook_type in _MACRO_TYPES and not macros:
        raise refuse(name, "de werkmap bevat macro's (.xlsm met een .xlsx-naam): bewaar als gewone .xlsx")
    allowed = _WORKBOOK_TYPES | (_MACRO_TYPES if macros else set())
    if workbook_type is not None and workbook_type not in allowed:
        raise refuse(name, f"dit is geen Excel-werkmap: het hoofdonderdeel heeft type '{workbook_type}'")
    return sheets, shared


def _sheet_targets(rels) -> set[str]:
    targets = set()
    for node in rels:
        if (node.get("Type") or "").endswith(_SHEET_REL_SUFFIXES):
            target = node.get("Target") or ""
            targets.add(target.lstrip("/") if target.startswith("/") else "xl/" + target)
    return targets


def _scan_sheet(data: bytes, info: zipfile.ZipInfo, name: str, label: str,
                observe: Callable[[str, bytes], None] | None) -> None:
    """A worksheet's declared dimension, then the extent of its cell references, as a stream."""
    target = HeadTarget(watch="dimension", stop="sheetData")
    max_col = 0
    max_row = 0
    tail = b""
    for chunk, head_done in stream_xml(data, info, name, label, target):
        if observe is not None:
            observe(info.filename, chunk)
        if head_done and target.watched and target.watched.get("ref"):
            _check_dimension(target.watched["ref"], info.filename, name)
        window = tail + chunk
        for letters, digits in _WIDE_OR_DEEP.findall(window):
            if letters:
                max_col = max(max_col, _column_number(letters.decode("ascii")))
            else:
                max_row = max(max_row, int(digits))
        tail = window[-24:]
    _check_extent(max_col, max_row, info, data, name, label)


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _parse_ref(ref: str) -> tuple[int, int] | None:
    m = _REF.match(ref.strip().upper())
    if not m:
        return None
    return _column_number(m.group(1)), int(m.group(2))


def _check_dimension(ref: str, part: str, name: str) -> None:
    corners = [_parse_ref(r) for r in ref.split(":")]
    if not corners or any(c is None for c in corners) or len(corners) > 2:
        raise refuse(name, f"ongeldige bladafmeting '{ref}' in '{part}'")
    cols = [c[0] for c in corners]
    rows = [c[1] for c in corners]
    check_cell_extent(max(cols), max(rows), max(cols) - min(cols) + 1, max(rows) - min(rows) + 1,
                      f"het blad '{part}' verklaart een onmogelijke afmeting '{ref}'", name)


def check_cell_extent(last_col: int, last_row: int, width: int, height: int, what: str, name: str,
                      label: str = ".xlsx") -> None:
    """Refuse a sheet reaching past Excel's last row or column, or spanning over :data:`MAX_CELLS`."""
    if last_row > MAX_ROWS or last_col > MAX_COLUMNS:
        raise refuse(name, f"verdacht {label}-bestand: {what} (meer dan {thousands(MAX_ROWS)} rijen of "
                           f"{thousands(MAX_COLUMNS)} kolommen)")
    if width * height > MAX_CELLS:
        raise refuse(name, f"verdacht {label}-bestand: {what} ({thousands(width * height)} cellen, grens "
                           f"{thousands(MAX_CELLS)})")


def _check_extent(max_col: int, max_row: int, info: zipfile.ZipInfo, data: bytes, name: str, label: str) -> None:
    """Refuse a sheet whose cell references span an absurd rectangle.

    The fast pass only saw references with 2+ column letters or 7+ row digits. Below AV (48
    columns) and 1,000,000 rows no rectangle can exceed :data:`MAX_CELLS`; a wide sheet gets an
    exact second pass over its row numbers.
    """
    cols = max(max_col, 26)
    rows = max(max_row, 999_999)
    what = f"het blad '{info.filename}' gebruikt cellen tot kolom {thousands(max_col)} en rij {thousands(max_row)}"
    if max_row > MAX_ROWS or max_col > MAX_COLUMNS:
        check_cell_extent(max_col, max_row, 1, 1, what, name, label)
    if cols * rows <= MAX_CELLS:
        return
    limit = MAX_CELLS // cols
    digits = len(str(limit))
    deep = re.compile(rb'r="[A-Z]{0,4}(\d{%d,})"' % digits)
    exact = max_row
    tail = b""
    for chunk in inflate(data, info, name, label):
        window = tail + chunk
        for found in deep.findall(window):
            exact = max(exact, int(found))
        tail = window[-24:]
    what = f"het blad '{info.filename}' gebruikt cellen tot kolom {thousands(cols)} en rij {thousands(exact)}"
    check_cell_extent(cols, exact, cols, exact, what, name, label)


def _check_shared_count(attrib: dict, info: zipfile.ZipInfo, name: str) -> None:
    """python-calamine reserves memory for ``uniqueCount`` strings: it must fit in the part."""
    raw = attrib.get("uniqueCount")
    if raw is None:
        return
    try:
        count = int(raw)
    except ValueError:
        raise refuse(name, f"beschadigd .xlsx-bestand: ongeldig aantal teksten '{raw}'") from None
    # each string takes at least '<si/>' (5 bytes)
    if count < 0 or count > info.file_size // 5 + 1:
        raise refuse(
            name,
            f"verdacht .xlsx-bestand: de tekstentabel verklaart {thousands(count)} teksten, meer dan er in "
            f"{thousands(info.file_size)} bytes passen",
        )
