"""Build ledger exports and hostile files in code, for the ledger, file-safety and store tests."""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from pathlib import Path

import openpyxl

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def xlsx_bytes(rows: list[list], *, sheet: str = "Grootboek", number_formats: dict[int, str] | None = None,
               extra_sheets: dict[str, list[list]] | None = None, first: str | None = None) -> bytes:
    """An .xlsx with ``rows`` written from A1 (``None`` leaves a cell empty).

    ``number_formats`` maps a 0-based column to an Excel number format (e.g. dates).
    ``first`` names an extra sheet to put before the ledger sheet.
    """
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for col, fmt in (number_formats or {}).items():
        for cells in ws.iter_rows(min_col=col + 1, max_col=col + 1):
            for cell in cells:
                cell.number_format = fmt
    for name, extra in (extra_sheets or {}).items():
        other = book.create_sheet(name, 0 if name == first else None)
        for row in extra:
            other.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, delimiter: str = ";", encoding: str = "utf-8", bom: bool = False) -> bytes:
    """A CSV export: every cell written as text, quoted where needed, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def rezip(data: bytes, replace: dict[str, bytes | str] | None = None, add: dict[str, bytes | str] | None = None,
          *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Copy an .xlsx, replacing and adding parts."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for name in src.namelist():
            dst.writestr(name, replace.get(name, src.read(name)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def minimal_xlsx() -> bytes:
    """A small valid workbook (one sheet, a few cells)."""
    return xlsx_bytes([["Boekdatum", "Rekening", "Projectcode", "Bedrag"], ["01/02/2024", 604000, "P1", 10]])


def with_sheet_xml(sheet_xml: str) -> bytes:
    """A valid workbook whose first worksheet is replaced by ``sheet_xml``."""
    return rezip(minimal_xlsx(), {"xl/worksheets/sheet1.xml": sheet_xml})


def sheet_xml(body: str, *, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{NS}">{dim}<sheetData>{body}</sheetData></worksheet>'


def with_shared_strings(sst_xml: str) -> bytes:
    """A valid workbook with a shared-strings part ``sst_xml`` referenced by cell A1."""
    base = minimal_xlsx()
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    sheet = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', dimension="A1")
    return rezip(base, {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels,
                        "xl/worksheets/sheet1.xml": sheet}, {"xl/sharedStrings.xml": sst_xml})


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)
    )
    + f']>\n<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)
"""The classic entity-expansion bomb (10^9 'lol's), as a shared-strings part."""


def patch_declared_size(data: bytes, part: str, size: int) -> bytes:
    """Make the zip directories declare ``size`` unpacked bytes for ``part`` (a lying zip bomb)."""
    buf = bytearray(data)
    name = part.encode()
    pos = 0
    while True:
        pos = buf.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46:pos + 46 + name_len]) == name:
            struct.pack_into("<I", buf, pos + 24, size)
            local = struct.unpack_from("<I", buf, pos + 42)[0]
            struct.pack_into("<I", buf, local + 22, size)
        pos += 4
    return bytes(buf)
