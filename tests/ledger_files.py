"""Build ledger exports and hostile files in code, for the ledger, file-safety and store tests."""

from __future__ import annotations

import csv
import io
import os
import struct
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from igemo_fin.errors import FileRefused
from igemo_fin.inputs.filesafety import check_upload

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


ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    '</manifest:manifest>'
)


def _ods_cell(value) -> str:
    from xml.sax.saxutils import escape

    if value is None or value == "":
        return "<table:table-cell/>"
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value.strftime('%d/%m/%Y')}</text:p></table:table-cell>")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{value!r}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def ods_content(sheets: dict[str, list[list]], *, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>',
                tail_rows: str = "") -> str:
    """The content.xml of an OpenDocument spreadsheet; ``tail_rows`` is raw XML after the last row."""
    from xml.sax.saxutils import quoteattr

    tables = "".join(
        f"<table:table table:name={quoteattr(name)}>"
        + "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>" for row in rows)
        + tail_rows + "</table:table>"
        for name, rows in sheets.items()
    )
    return (f"{prolog}<office:document-content {_ODS_NS} office:version=\"1.2\">"
            f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
            "</office:document-content>")


def ods_bytes(rows: list[list] | None = None, *, sheet: str = "Grootboek",
              extra_sheets: dict[str, list[list]] | None = None, first: str | None = None,
              content: str | None = None, mimetype: str = ODS_MIMETYPE) -> bytes:
    """An .ods written by hand (a zip of XML, as LibreOffice stores it: ``mimetype`` first, stored).

    Like :func:`xlsx_bytes`; ``content`` replaces the whole content.xml.
    """
    order = [(sheet, rows or [])] + list((extra_sheets or {}).items())
    if first is not None:
        order.sort(key=lambda item: item[0] != first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content if content is not None else ods_content(dict(order)))
        z.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
    return out.getvalue()


def xls_bytes(rows: list[list], *, sheet: str = "Grootboek", extra_sheets: dict[str, list[list]] | None = None,
              first: str | None = None) -> bytes:
    """An Excel 97-2003 .xls written with xlwt (dates as real Excel dates)."""
    import datetime as dt

    import xlwt

    book = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    order = [(sheet, rows)] + list((extra_sheets or {}).items())
    if first is not None:
        order.sort(key=lambda item: item[0] != first)
    for name, content in order:
        ws = book.add_sheet(name)
        for i, row in enumerate(content):
            for j, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write(i, j, value, date_style)
                else:
                    ws.write(i, j, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload_refusal(data: bytes, filename: str, **kw) -> str:
    """Check that ``check_upload`` refuses ``data`` within a second; return the Dutch reason."""
    t0 = time.perf_counter()
    with pytest.raises(FileRefused) as info:
        check_upload(data, filename, **kw)
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.0, f"refusal took {elapsed:.2f} s"
    (problem,) = info.value.problems
    assert info.value.file == os.path.basename(filename)
    return problem.reason


def patch_xls_record(data: bytes, record: int, length: int | None, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite a field of the first BIFF record of type ``record`` (and ``length``, when given) in
    an .xls; ``offset`` counts from the start of the record's body."""
    buf = bytearray(data)
    pattern = struct.pack("<H", record) + (struct.pack("<H", length) if length is not None else b"")
    pos = buf.find(pattern, 512)
    while pos >= 0:
        found = struct.unpack_from("<H", buf, pos + 2)[0]
        if found >= offset + struct.calcsize(fmt) and found < 8300:
            struct.pack_into(fmt, buf, pos + 4 + offset, value)
            return bytes(buf)
        pos = buf.find(pattern, pos + 1)
    raise AssertionError(f"no record 0x{record:04X}")


def patch_xls_fat(data: bytes, index: int, value: int) -> bytes:
    """Set entry ``index`` of an .xls's first FAT sector (512-byte sectors) to ``value``."""
    buf = bytearray(data)
    fat_sector = struct.unpack_from("<I", buf, 76)[0]
    struct.pack_into("<I", buf, (fat_sector + 1) * 512 + 4 * index, value)
    return bytes(buf)
