"""Excel 97-2003 workbooks (``.xls``): what the bytes really are, and a sound compound file.

Web packages often write an HTML table, an XML spreadsheet (Excel 2003) or plain text under an
``.xls`` name; Excel opens them with a warning, the reader behind does not, so they are refused
with what to do. A real ``.xls`` is an OLE compound file: its header, sector allocation table and
directory are checked before the reader sees it (sizes inside the file, no loops), it must hold a
``Workbook`` (or ``Book``) stream and no encrypted package, and the BIFF records that make the
reader reserve memory (``SST`` string count, ``DIMENSIONS``) must fit the file.
"""

from __future__ import annotations

import re
import struct

from igemo_fin.inputs.safety_refusal import OLE_MAGIC, ZIP_MAGIC, refuse, thousands, what_it_is

__all__ = ["check_xls"]

_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE
_SAVE_AS = "open het in Excel en bewaar het als Excel-werkmap (.xlsx) of als CSV (.csv)"
_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|table|meta|style)\b",
                   re.IGNORECASE | re.DOTALL)
_XML_2003 = re.compile(rb"urn:schemas-microsoft-com:office:spreadsheet")
_BIFF_SST, _BIFF_DIMENSIONS = 0x00FC, 0x0200
_XLS_ROWS, _XLS_COLUMNS = 65_536, 256


def check_xls(data: bytes, name: str) -> None:
    """Refuse anything under an ``.xls`` name that is not a sound Excel 97-2003 workbook."""
    if not data.startswith(OLE_MAGIC):
        raise refuse(name, _not_ole(data))
    if len(data) < 1024:
        raise refuse(name, "beschadigd .xls-bestand: te kort voor een Excel 97-2003-werkmap")
    (_minor, major, order, shift, mini_shift, _reserved, _n_dir, n_fat, dir_start, _signature, cutoff,
     _mini_start, _n_mini, difat_start, n_difat) = struct.unpack_from("<HHHHH6sIIIIIIIII", data, 24)
    if order != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
        raise refuse(name, "beschadigd .xls-bestand: de kop van het samengestelde bestand is ongeldig; " + _SAVE_AS)
    size = 1 << shift
    sectors = -(-(len(data) - size) // size)
    if n_fat > sectors or n_difat > sectors:
        raise refuse(name, f"verdacht .xls-bestand: de toewijzingstabel verklaart {thousands(n_fat)} sectoren, "
                           f"het bestand heeft er {thousands(sectors)}")
    fat = _fat(data, size, sectors, n_fat, difat_start, n_difat, name)
    directory = b"".join(_chain(data, fat, dir_start, size, sectors, name))
    entries = _entries(directory)
    names = {entry_name for entry_name, _, _ in entries}
    if names & {"EncryptedPackage", "EncryptionInfo"}:
        raise refuse(name, "de werkmap is met een wachtwoord beveiligd; bewaar ze zonder wachtwoord als .xlsx")
    book = next(((start, length) for n, start, length in entries if n in ("Workbook", "Book")), None)
    if book is None:
        raise refuse(name, "dit is geen Excel-werkmap (.xls): er zit geen werkboek in (mogelijk een ander "
                           "Office-document met een .xls-naam); " + _SAVE_AS)
    start, length = book
    if length > len(data):
        raise refuse(name, f"verdacht .xls-bestand: het werkboek verklaart {thousands(length)} bytes in een bestand "
                           f"van {thousands(len(data))}")
    if length >= cutoff:  # smaller streams live in the mini stream: too small to hurt
        stream = b"".join(_chain(data, fat, start, size, sectors, name))[:length]
        _check_records(stream, name)


def _not_ole(data: bytes) -> str:
    # UTF-16 pages too: their NUL bytes dropped, the ASCII of the tags is left
    head = data[:4096].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe")
    if _HTML.match(head):
        return f"dit .xls-bestand is eigenlijk een webpagina (HTML), geen Excel-werkmap; {_SAVE_AS}"
    if head.lstrip().startswith(b"<?xml") and _XML_2003.search(data[:8192]):
        return f"dit .xls-bestand is een XML-werkblad (Excel 2003), geen Excel 97-2003-werkmap; {_SAVE_AS}"
    if data.startswith(ZIP_MAGIC):
        return "dit is een nieuwere werkmap met een .xls-naam: hernoem het bestand naar .xlsx (of .ods)"
    what = what_it_is(data)
    if what is not None:
        return f"dit is geen echt .xls-bestand: de inhoud is {what}"
    return f"dit .xls-bestand is tekst, geen Excel-werkmap; hernoem het naar .csv of .txt, of {_SAVE_AS}"


def _sector(data: bytes, index: int, size: int, sectors: int, name: str) -> bytes:
    if index >= sectors:
        raise refuse(name, f"beschadigd .xls-bestand: sector {index} ligt buiten het bestand")
    offset = (index + 1) * size  # the header fills sector -1
    return data[offset:offset + size].ljust(size, b"\xff")  # some writers leave the last sector short


def _fat(data: bytes, size: int, sectors: int, n_fat: int, difat_start: int, n_difat: int, name: str) -> list[int]:
    per = size // 4
    difat = list(struct.unpack_from("<109I", data, 76))
    nxt = difat_start
    for _ in range(n_difat):
        if nxt in (_FREE, _END):
            break
        block = struct.unpack(f"<{per}I", _sector(data, nxt, size, sectors, name))
        difat.extend(block[:-1])
        nxt = block[-1]
    fat_sectors = [s for s in difat if s not in (_FREE, _END)][:n_fat]
    fat: list[int] = []
    for index in fat_sectors:
        fat.extend(struct.unpack(f"<{per}I", _sector(data, index, size, sectors, name)))
    return fat


def _chain(data: bytes, fat: list[int], start: int, size: int, sectors: int, name: str):
    seen = 0
    index = start
    while index not in (_END, _FREE):
        if index >= len(fat) or seen > sectors:
            raise refuse(name, "beschadigd .xls-bestand: de sectorketen loopt in een kring of buiten het bestand")
        yield _sector(data, index, size, sectors, name)
        seen += 1
        index = fat[index]


def _entries(directory: bytes) -> list[tuple[str, int, int]]:
    out = []
    for offset in range(0, len(directory) - 127, 128):
        entry = directory[offset:offset + 128]
        length = struct.unpack_from("<H", entry, 64)[0]
        kind = entry[66]
        if kind != 2 or not 2 <= length <= 64:
            continue
        label = entry[:length - 2].decode("utf-16-le", "replace")
        # the size's high half is unused in version 3 files and may hold anything
        start, size = struct.unpack_from("<II", entry, 116)
        out.append((label, start, size))
    return out


def _check_records(stream: bytes, name: str) -> None:
    pos = 0
    end = len(stream) - 4
    while pos <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4:pos + 4 + length]
        if kind == _BIFF_SST and len(body) >= 8:
            unique = struct.unpack_from("<I", body, 4)[0]
            if unique > len(stream) // 3 + 1:
                raise refuse(name, f"verdacht .xls-bestand: de tekstentabel verklaart {thousands(unique)} teksten, "
                                   f"meer dan er in {thousands(len(stream))} bytes passen")
        elif kind == _BIFF_DIMENSIONS and len(body) >= 12:
            _first_row, last_row, _first_col, last_col = struct.unpack_from("<IIHH", body, 0)
            if last_row > _XLS_ROWS or last_col > _XLS_COLUMNS:
                raise refuse(name, f"verdacht .xls-bestand: een blad verklaart een onmogelijke afmeting "
                                   f"({thousands(last_row)} rijen, {thousands(last_col)} kolommen; een .xls heeft "
                                   f"er hoogstens {thousands(_XLS_ROWS)} en {_XLS_COLUMNS})")
        pos += 4 + length
