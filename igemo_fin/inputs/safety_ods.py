"""OpenDocument spreadsheets (``.ods``): the same zip and XML checks as ``.xlsx``, and repeats.

An ``.ods`` is a zip whose ``mimetype`` part names an OpenDocument *spreadsheet* and whose
``content.xml`` holds the sheets. Beyond :mod:`~igemo_fin.inputs.safety_zip` (zip bombs, DTDs
and entities in every XML part), one thing is particular to the format: a row or a cell may say
it repeats (``table:number-rows-repeated``, ``table:number-columns-repeated``), and the reader
behind expands repeated cells that hold a value. An 800-byte file can so ask for a billion cells,
so ``content.xml`` is scanned as a stream: the rectangle of cells *with a value* is held to the
same limits as a worksheet's (:data:`~igemo_fin.inputs.safety_xlsx.MAX_CELLS`), and the cells with
a value that repetition adds beyond those written out to :data:`MAX_REPEATED_CELLS`. Empty
repeated rows and cells, which LibreOffice writes to the end of every sheet, cost nothing and pass.
"""

from __future__ import annotations

import re
import zipfile

from igemo_fin.inputs.safety_refusal import ZIP_MAGIC, refuse, thousands, what_it_is
from igemo_fin.inputs.safety_xlsx import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, check_cell_extent
from igemo_fin.inputs.safety_zip import HeadTarget, inflate, open_zip, stream_xml

__all__ = ["MAX_REPEATED_CELLS", "ODS_MIMETYPE", "check_ods"]

MAX_REPEATED_CELLS = 1_000_000
"""Most cells with a value an ``.ods`` may add by repeating rows and cells (honest files: a few)."""

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
"""The ``mimetype`` part of an OpenDocument spreadsheet."""

_LABEL = ".ods"
_TAG = re.compile(
    rb"<(/?)(?:[\w.-]+:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>"
)
_ROWS_REPEATED = re.compile(rb'(?:[\w.-]+:)?number-rows-repeated\s*=\s*["\'](\d+)')
_COLUMNS_REPEATED = re.compile(rb'(?:[\w.-]+:)?number-columns-repeated\s*=\s*["\'](\d+)')
_VALUE_TYPE = re.compile(rb"(?:[\w.-]+:)?value-type\s*=")
_MAX_TAG = 1024 * 1024


def check_ods(data: bytes, name: str) -> None:
    """Refuse a hostile or mislabelled ``.ods``."""
    if not data.startswith(ZIP_MAGIC):
        what = what_it_is(data) or "geen zip-archief (mogelijk tekst of een ander formaat)"
        raise refuse(name, f"dit is geen echt .ods-bestand: de inhoud is {what}")
    infos = open_zip(data, name, _LABEL)
    by_name = {i.filename: i for i in infos}
    mimetype = by_name.get("mimetype")
    declared = b"".join(inflate(data, mimetype, name, _LABEL)).strip() if mimetype is not None else b""
    if declared != ODS_MIMETYPE or "content.xml" not in by_name:
        shown = declared.decode("ascii", "replace")[:80] or "geen"
        raise refuse(name, f"dit is geen OpenDocument-rekenblad (.ods): het type is '{shown}'; open het in "
                           "LibreOffice of Excel en bewaar het als .ods, .xlsx of .csv")
    for info in infos:
        if info.is_dir() or info is mimetype:
            continue
        if not info.filename.lower().endswith((".xml", ".rdf")):
            for _ in inflate(data, info, name, _LABEL):  # size and CRC only
                pass
        elif info.filename == "content.xml":
            _scan_content(data, info, name)
        else:
            for _ in stream_xml(data, info, name, _LABEL, HeadTarget()):
                pass


class _Extent:
    """The rectangle of cells with a value in the sheet being scanned, and the largest so far."""

    def __init__(self, name: str):
        self.name = name
        self.row = 0          # rows before the current one, repeats counted
        self.repeat = 1       # repeats of the current row
        self.column = 0       # columns before the current cell, repeats counted
        self.valued_width = 0  # columns up to the last cell with a value in the current row
        self.valued = 0       # cells with a value in the current row, repeats counted
        self.written = 0      # cell elements with a value in the current row
        self.added = 0        # cells with a value that repetition added, whole file
        self.width = 0
        self.height = 0

    def start_table(self) -> None:
        self.row = 0

    def start_row(self, attrs: bytes, closed: bool) -> None:
        found = _ROWS_REPEATED.search(attrs)
        self.repeat = int(found.group(1)) if found else 1
        self.column = 0
        self.valued_width = 0
        self.valued = self.written = 0
        if closed:
            self.end_row()

    def cell(self, attrs: bytes, closed: bool) -> None:
        found = _COLUMNS_REPEATED.search(attrs)
        repeat = int(found.group(1)) if found else 1
        self.column += repeat
        if _VALUE_TYPE.search(attrs) or not closed:
            self.valued_width = self.column
            self.valued += repeat
            self.written += 1
            if self.column > MAX_COLUMNS:
                self._refuse()

    def end_row(self) -> None:
        self.row += self.repeat
        if self.valued_width:
            self.width = max(self.width, self.valued_width)
            self.height = max(self.height, self.row)
            self.added += self.valued * self.repeat - self.written
            if self.added > MAX_REPEATED_CELLS:
                raise refuse(self.name, f"verdacht .ods-bestand: 'content.xml' laat {thousands(self.added)} cellen "
                                        f"met een waarde herhalen (grens {thousands(MAX_REPEATED_CELLS)})")
            if self.height > MAX_ROWS or self.width * self.height > MAX_CELLS:
                self.check()
        self.repeat = 1

    def check(self) -> None:
        if self.height > MAX_ROWS or self.width > MAX_COLUMNS:
            self._refuse()
        check_cell_extent(self.width, self.height, self.width, self.height, self._what(), self.name, _LABEL)

    def _what(self) -> str:
        return (f"'content.xml' herhaalt cellen met een waarde tot kolom {thousands(self.width)} en "
                f"rij {thousands(self.height)}")

    def _refuse(self) -> None:
        check_cell_extent(max(self.width, self.valued_width), max(self.height, self.row + self.repeat),
                          1, 1, self._what(), self.name, _LABEL)


def _scan_content(data: bytes, info: zipfile.ZipInfo, name: str) -> None:
    extent = _Extent(name)
    tail = b""
    for chunk, _ in stream_xml(data, info, name, _LABEL, HeadTarget()):
        window = tail + chunk
        cut = window.rfind(b"<")
        if cut < 0 or window.find(b">", cut) >= 0:
            cut = len(window)
        for closing, tag, attrs in _TAG.findall(window[:cut]):
            closed = attrs.endswith(b"/")
            if tag == b"table":
                if not closing:
                    extent.start_table()
            elif tag == b"table-row":
                if closing:
                    extent.end_row()
                else:
                    extent.start_row(attrs, closed)
            elif not closing:
                extent.cell(attrs, closed)
        tail = window[cut:]
        if len(tail) > _MAX_TAG:
            raise refuse(name, "verdacht .ods-bestand: 'content.xml' bevat een ongewoon lange XML-tag")
    extent.check()
