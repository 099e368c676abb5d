"""The cells of a one-sheet ``.xlsx`` ledger read as typed columns, when the sheet allows it.

python-calamine parses a sheet whole and then hands every cell over as a Python object, which
:class:`~igemo_fin.inputs.ledger_columns.SheetColumns` turns back into compact columns: for 200,000
lines about 1.2 s. fastexcel (calamine too, in Rust) gives the lines as typed Arrow columns in less
than half that, but only for a block of rows whose every column holds one type of cell: the title
rows and the header above the lines, and a totals row below them, are texts in number and date
columns. So the sheet is read in three blocks, with the same cells as python-calamine's:

* the top :data:`HEAD_ROWS` rows and the bottom :data:`TAIL_ROWS` rows by python-calamine itself, from
  two small copies of the workbook whose sheet holds only those rows (cut out of the sheet's XML,
  which the file-safety check unpacks anyway: :class:`SheetEnds` keeps its first and last chunks);
* every row between them by fastexcel with ``dtype_coercion="strict"`` over all rows, so a column of
  mixed cells is refused, not coerced; only texts, numbers and whole-day dates are taken
  (:meth:`~igemo_fin.inputs.ledger_columns.SheetColumns.from_blocks`). fastexcel also reads the
  last :data:`OVERLAP_ROWS` top rows, which must come out as python-calamine's cells, type and value
  (the two bundle their own calamine: a number format one of them took for a date would show).

Anything else (more than one sheet, a sheet that does not start in column A or row 1 of its top rows,
rows without their number, cells of a date type written as text, a block of mixed cells, any error
of either reader) gives None, and the caller reads the file as before: the same cells either way, so
the same lines, fingerprints and refusals (``tests/inputs/test_sheet_fast.py`` compares both).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile

from igemo_fin.inputs.ledger_columns import SheetColumns

__all__ = ["HEAD_ROWS", "MIN_BODY_ROWS", "OVERLAP_ROWS", "TAIL_ROWS", "SheetEnds", "read_sheet_fast"]

HEAD_ROWS = 50
"""Top rows read by python-calamine: at least every row searched for the header."""
TAIL_ROWS = 20
"""Bottom rows read by python-calamine: the totals rows and what follows the last line."""
OVERLAP_ROWS = 10
"""The last top rows, read by both readers and compared cell by cell (type and value)."""
MIN_BODY_ROWS = 1_000
"""Fewer rows between the top and the bottom are not worth a second reader."""

_KEEP_CHUNKS = 2  # the last chunks of a sheet's XML kept (the safety check's, 1 MiB): the bottom rows
_SHEET_DATA = re.compile(rb"<sheetData\s*>")
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_ROW_TAG = re.compile(rb"<row\b[^>]*>")
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_ISO_DATE_CELL = re.compile(rb"""t=["']d["']""")


class _EmptyColumnNotice(logging.Filter):
    """Drops fastexcel's warning for a column without a cell, which it reads as text: an empty column
    is ordinary in a ledger (an unused debit or credit column). A filter on its logger, not a level
    changed around the call: two imports at once (two sessions of the app) would race on the level."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Could not determine dtype")


logging.getLogger("fastexcel.types.dtype").addFilter(_EmptyColumnNotice())


class SheetEnds:
    """Keeps the start and the end of each worksheet's XML as the file-safety check unpacks it
    (pass it as ``observe`` to :func:`~igemo_fin.inputs.filesafety.check_upload`)."""

    def __init__(self):
        self.head: dict[str, bytes] = {}
        self._last: dict[str, list[bytes]] = {}
        self.iso_dates: set[str] = set()

    def __call__(self, part: str, chunk: bytes) -> None:
        if part not in self.head:
            self.head[part] = chunk
        last = self._last.setdefault(part, [])
        if _ISO_DATE_CELL.search(chunk) or (last and _ISO_DATE_CELL.search(last[-1][-8:] + chunk[:8])):
            self.iso_dates.add(part)  # python-calamine and fastexcel read these differently
        last.append(chunk)
        del last[:-_KEEP_CHUNKS]

    def tail(self, part: str) -> bytes:
        """The last chunks of the part's XML, up to its end."""
        return b"".join(self._last[part])


def read_sheet_fast(data: bytes, ends: SheetEnds, *, head_rows: int = HEAD_ROWS, tail_rows: int = TAIL_ROWS,
                    overlap_rows: int = OVERLAP_ROWS,
                    min_body_rows: int = MIN_BODY_ROWS) -> tuple[str, SheetColumns] | None:
    """The name and the cells of the one sheet of an ``.xlsx`` already checked with ``ends`` watching,
    or None when it has to be read the ordinary way (see the module's notes)."""
    if len(ends.head) != 1 or ends.iso_dates:
        return None
    part = next(iter(ends.head))
    head, tail = ends.head[part], ends.tail(part)
    opening = _SHEET_DATA.search(head)
    if opening is None:
        return None
    prefix = _DIMENSION.sub(b"", head[:opening.end()])  # calamine would reserve the whole sheet's cells
    head_cut = _first_row_after(head, opening.end(), head_rows)
    tail_at = _start_of_last_rows(tail, tail_rows)
    if head_cut is None or tail_at is None:
        return None
    first_tail = int(_ROW_NUMBER.search(_ROW_TAG.match(tail, tail_at).group()).group(1))
    if first_tail - 1 - head_rows < min_body_rows:
        return None
    try:
        return _read(data, part, prefix + head[opening.end():head_cut] + b"</sheetData></worksheet>",
                     prefix + tail[tail_at:], head_rows, overlap_rows, first_tail - 1)
    except Exception:  # noqa: BLE001 - any failure of the fast readers: the ordinary reader decides
        return None


def _row_numbers(xml: bytes, start: int = 0):
    for tag in _ROW_TAG.finditer(xml, start):
        number = _ROW_NUMBER.search(tag.group())
        yield tag.start(), None if number is None else int(number.group(1))


def _first_row_after(xml: bytes, start: int, rows: int) -> int | None:
    """Where the first row below Excel row ``rows`` starts; None when a row has no number or the
    chunk ends first."""
    last = 0
    for at, number in _row_numbers(xml, start):
        if number is None or number <= last:
            return None
        if number > rows:
            return at
        last = number
    return None


def _start_of_last_rows(xml: bytes, rows: int) -> int | None:
    """Where the last ``rows`` rows of the sheet's XML end start, all numbered and in order."""
    found = list(_row_numbers(xml))[-rows - 1:]
    if len(found) <= rows or any(n is None for _, n in found) or any(
            a[1] >= b[1] for a, b in zip(found, found[1:])):
        return None
    return found[1][0]


def _small_copy(data: bytes, part: str, xml: bytes) -> io.BytesIO:
    """The workbook with ``part`` replaced by ``xml``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for info in source.infolist():
            copy.writestr(info.filename, xml if info.filename == part else source.read(info))
    out.seek(0)
    return out


def _calamine_rows(data: bytes, part: str, xml: bytes) -> tuple[str, tuple[int, int], list[list]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(_small_copy(data, part, xml))
    (name,) = book.sheet_names
    sheet = book.get_sheet_by_name(name)
    if sheet.start is None:
        return name, (0, 0), []
    return name, sheet.start, sheet.to_python(skip_empty_area=True)


def _typed(row: list) -> list[tuple[type, object]]:
    return [(type(v), v) for v in row]


def _read(data: bytes, part: str, head_xml: bytes, tail_xml: bytes, head_rows: int, overlap_rows: int,
          body_end: int) -> tuple[str, SheetColumns] | None:
    """``body_end``: the 0-based row the bottom rows start at; fastexcel reads the last
    ``overlap_rows`` of the top rows too."""
    import fastexcel

    name, (top, left), head = _calamine_rows(data, part, head_xml)
    tail_name, (tail_top, tail_left), tail = _calamine_rows(data, part, tail_xml)
    if left != 0 or not head or not tail or tail_name != name or tail_top < body_end:
        return None  # fastexcel numbers the columns from the sheet's first one: it must be column A
    reader = fastexcel.read_excel(data)
    if reader.sheet_names != [name]:
        return None
    body = reader.load_sheet(0, header_row=None, skip_rows=head_rows - overlap_rows,
                             n_rows=body_end - head_rows + overlap_rows, dtype_coercion="strict",
                             schema_sample_rows=None, eager=True)
    del reader
    width = body.num_columns
    if body.num_rows != body_end - head_rows + overlap_rows or width < max(len(head[0]), tail_left + len(tail[0])):
        return None
    head = [[""] * width for _ in range(top)] + [row + [""] * (width - len(row)) for row in head]
    head += [[""] * width for _ in range(head_rows - len(head))]
    # the rows both readers read must be the same cells: a date format one calamine version
    # recognises and the other does not would otherwise change a column's type unseen
    both = SheetColumns.from_blocks([body.slice(0, overlap_rows)], width)
    if both is None or any(_typed(both[i]) != _typed(row) for i, row in enumerate(head[head_rows - overlap_rows:])):
        return None
    body = body.slice(overlap_rows)
    tail = [[""] * tail_left + row for row in tail]
    tail = [[""] * width for _ in range(tail_top - body_end)] + [row + [""] * (width - len(row)) for row in tail]
    columns = SheetColumns.from_blocks([head, body, tail], width)
    return None if columns is None else (name, columns)
