"""Refuse hostile or mislabelled uploads before any parser sees them.

:func:`check_upload` looks at the bytes, never trusts the extension, and answers within a second:

* size: at most ``max_bytes`` (20 MB by default);
* type: an ``.xlsx`` must be a zip holding ``[Content_Types].xml`` and ``xl/workbook.xml`` (no macros);
  a ``.csv`` must be text, UTF-8 or Windows-1252, without NUL bytes or other control codes;
* zip bombs: entry count, total unpacked size and compression ratio per entry, read from the zip
  central directory *before* anything is inflated; then every part is inflated as a stream, with a
  hard stop at its declared size, so a directory that lies is caught too;
* XML: every XML part's prolog is fed to a :mod:`defusedxml` parser that forbids DTDs, entity
  declarations and external references (``billion laughs``, XXE);
* absurd sizes: a worksheet's ``<dimension ref>``, the real extent of its cell references and the
  shared-string count (python-calamine pre-allocates memory for both) are checked against
  :data:`MAX_ROWS`, :data:`MAX_COLUMNS` and :data:`MAX_CELLS`.

Every refusal is a :class:`~igemo_fin.errors.FileRefused` with a Dutch reason for finance.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
import zlib
from pathlib import PurePath
from typing import Iterator

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, fromstring as defused_fromstring
from xml.etree.ElementTree import ParseError

from igemo_fin.errors import FileRefused, Problem

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
MAX_ZIP_ENTRIES = 1_000
"""Most parts an ``.xlsx`` may hold (a workbook of 100 sheets has about 300)."""
MAX_UNCOMPRESSED_TOTAL = 512 * 1024 * 1024
"""Largest total unpacked size of an ``.xlsx`` [bytes]."""
MAX_COMPRESSION_RATIO = 100
"""Largest unpacked/packed ratio of one part (real workbooks: 3 to 20)."""
RATIO_MIN_BYTES = 1024 * 1024
"""Parts smaller than this unpacked [bytes] are not held to the ratio (they cannot hurt)."""
MAX_ROWS = 1_048_576
"""Rows of an Excel sheet."""
MAX_COLUMNS = 16_384
"""Columns of an Excel sheet (XFD)."""
MAX_CELLS = 50_000_000
"""Largest rectangle of cells a sheet may declare or span."""

WORKBOOK_FORMATS = (".xlsx", ".csv")
"""Extensions :func:`check_upload` accepts by default (the portfolio workbook's door)."""
LEDGER_FORMATS = (".xlsx", ".csv", ".txt")
"""Extensions a ledger export may have."""

_PROLOG_LIMIT = 64 * 1024
_HEAD_LIMIT = 1024 * 1024
_SMALL_PART_LIMIT = 4 * 1024 * 1024
_CHUNK = 1024 * 1024

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
_MAGIC = (
    (b"MZ", "een uitvoerbaar Windows-programma (.exe/.dll)"),
    (b"\x7fELF", "een uitvoerbaar programma"),
    (b"%PDF", "een PDF-document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
     "een oud Excel-bestand (.xls) of een met wachtwoord beveiligde werkmap"),
    (b"PK\x03\x04", "een zip-archief (bv. een .xlsx-werkmap)"),
    (b"\x1f\x8b", "een gzip-archief"),
    (b"Rar!", "een RAR-archief"),
    (b"7z\xbc\xaf", "een 7-Zip-archief"),
    (b"\x89PNG", "een PNG-afbeelding"),
    (b"\xff\xd8\xff", "een JPEG-afbeelding"),
    (b"{\\rtf", "een RTF-document"),
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# A cell or row reference with 2+ column letters, or a row number of 7+ digits: cheap to find
# because ordinary ledgers (columns A-Z, < 1,000,000 rows) have none.
_WIDE_OR_DEEP = re.compile(rb'r="(?:([A-Z]{2,4})\d|[A-Z]{0,4}(\d{7,}))')
_REF = re.compile(r"^\$?([A-Z]{1,4})\$?(\d{1,8})$")


def _refuse(filename: str, reason: str) -> FileRefused:
    return FileRefused([Problem(None, None, None, reason)], file=filename)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def _looks_like(data: bytes) -> str | None:
    for magic, label in _MAGIC:
        if data.startswith(magic):
            return label
    return None


def check_upload(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES,
                 formats: tuple[str, ...] = WORKBOOK_FORMATS) -> str:
    """Check an uploaded file's bytes before any parsing.

    Parameters
    ----------
    data : bytes
        The whole file.
    filename : str
        Its name as uploaded; only the extension is used, and it must match the bytes.
    max_bytes : int, optional
        Largest size accepted [bytes], 20 MB by default.

    Returns
    -------
    str
        ``"xlsx"`` or ``"csv"``.

    Raises
    ------
    FileRefused
        With one Dutch reason: too large, empty, wrong type for its extension, damaged or
        hostile zip, forbidden XML (DTD/entities), absurd sheet size, undecodable text.

    Examples
    --------
    >>> check_upload("datum;rekening;bedrag\\n".encode(), "grootboek.csv")
    'csv'
    """
    name = PurePath(filename or "").name or "bestand"
    ext = PurePath(name).suffix.lower()
    if ext not in formats:
        hint = " Sla het op als .xlsx." if ext in (".xls", ".xlsm", ".xlsb", ".ods") else ""
        shown = f"'{ext}'" if ext else "zonder extensie"
        allowed = ", ".join(formats[:-1]) + " of " + formats[-1]
        raise _refuse(name, f"bestandstype {shown} wordt niet aanvaard: enkel {allowed}.{hint}")
    check_size(len(data), name, max_bytes=max_bytes)
    if ext == ".xlsx":
        _check_xlsx(data, name)
        return "xlsx"
    decode_csv(data, name)
    return "csv"


def check_size(size: int, filename: str, *, max_bytes: int = MAX_BYTES) -> None:
    """Refuse an empty file or one over ``max_bytes`` [bytes], e.g. from its size on disk before reading it.

    Raises
    ------
    FileRefused
        With the size and the limit in MB.
    """
    name = PurePath(filename or "").name or "bestand"
    if size == 0:
        raise _refuse(name, "het bestand is leeg")
    if size > max_bytes:
        raise _refuse(name, f"het bestand is te groot: {_mb(size)}, de grens is {_mb(max_bytes)}")


# --- CSV ---------------------------------------------------------------------------------------


def decode_csv(data: bytes, filename: str = "bestand.csv") -> tuple[str, str]:
    """Decode a CSV export as UTF-8 (with or without BOM) or else Windows-1252.

    Parameters
    ----------
    data : bytes
        The file.
    filename : str, optional
        For the messages.

    Returns
    -------
    text : str
        The decoded text, BOM removed.
    encoding : str
        ``"utf-8"`` or ``"cp1252"``.

    Raises
    ------
    FileRefused
        Binary content (NUL bytes, control codes, a known binary signature), a UTF-8 BOM followed
        by invalid UTF-8, a mix of UTF-8 and another encoding, or bytes that are neither.
    """
    what = _looks_like(data)
    if what is not None:
        raise _refuse(filename, f"dit is geen CSV-tekstbestand: de inhoud is {what}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _refuse(filename, "UTF-16-tekst wordt niet aanvaard: bewaar als CSV (UTF-8) of CSV (puntkomma)")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _refuse(filename, f"dit is geen tekstbestand: het bevat NUL-bytes (eerste op byte {nul})")
    if data.startswith(codecs.BOM_UTF8):
        try:
            text, encoding = data[3:].decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            raise _refuse(
                filename,
                f"het bestand zegt UTF-8 te zijn (BOM) maar bevat ongeldige UTF-8 op byte {exc.start + 3}",
            ) from None
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            bad = exc.start
            mixed = _UTF8_MULTIBYTE.search(data)
            if mixed is not None:
                raise _refuse(
                    filename,
                    "het bestand mengt tekstcoderingen: deels UTF-8 (byte "
                    f"{mixed.start()}), deels ongeldige UTF-8 (byte {bad}); bewaar het opnieuw als CSV",
                ) from None
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as exc2:
                raise _refuse(
                    filename,
                    f"geen geldige tekst: byte {exc2.start} (0x{data[exc2.start]:02X}) is geen UTF-8 "
                    "en geen Windows-1252",
                ) from None
    stripped = text.rstrip("\x1a")  # a DOS end-of-file mark is harmless
    control = _CONTROL.search(stripped)
    if control is not None:
        raise _refuse(
            filename,
            f"dit is geen tekstbestand: stuurcode 0x{ord(control.group()):02X} op teken {control.start()}",
        )
    return stripped, encoding


# --- XLSX --------------------------------------------------------------------------------------


def _check_xlsx(data: bytes, name: str) -> None:
    if not data.startswith(b"PK\x03\x04"):
        what = _looks_like(data) or "geen zip-archief (mogelijk tekst of een ander formaat)"
        raise _refuse(name, f"dit is geen echt .xlsx-bestand: de inhoud is {what}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _refuse(name, f"beschadigd .xlsx-bestand (zip onleesbaar: {exc})") from None
    _check_directory(infos, name)
    names = {i.filename for i in infos}
    for required in ("[Content_Types].xml", "xl/workbook.xml"):
        if required not in names:
            raise _refuse(
                name,
                f"dit is geen Excel-werkmap (.xlsx): het onderdeel '{required}' ontbreekt "
                "(mogelijk een ander Office-document met een .xlsx-naam)",
            )
    by_name = {i.filename: i for i in infos}
    content_types = _parse_small(data, by_name["[Content_Types].xml"], name)
    sheets, shared = _declared_parts(content_types, name)
    rels = by_name.get("xl/_rels/workbook.xml.rels")
    if rels is not None:
        sheets |= _sheet_targets(_parse_small(data, rels, name))
    sheets |= {n for n in names if re.match(r"(?i)^xl/worksheets/[^/]+\.xml$", n)}
    for info in infos:
        if info.is_dir():
            continue
        lower = info.filename.lower()
        is_xml = lower.endswith((".xml", ".rels", ".vml"))
        _scan_part(data, info, name, is_xml=is_xml, is_sheet=info.filename in sheets,
                   is_shared=info.filename in shared)


def _check_directory(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Zip-bomb limits from the central directory alone (nothing inflated)."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _refuse(
            name, f"verdacht .xlsx-bestand: {len(infos)} onderdelen (grens {MAX_ZIP_ENTRIES})"
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        key = info.filename.lower()
        if key in seen:
            raise _refuse(name, f"verdacht .xlsx-bestand: het onderdeel '{info.filename}' staat er twee keer in")
        seen.add(key)
        if info.flag_bits & 0x1:
            raise _refuse(name, "het .xlsx-bestand is versleuteld; bewaar het zonder wachtwoord")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(
                name, f"onbekende compressiemethode {info.compress_type} in '{info.filename}'"
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise _refuse(
                name,
                f"verdacht .xlsx-bestand (zipbom): '{info.filename}' pakt {ratio:.0f} keer uit "
                f"(grens {MAX_COMPRESSION_RATIO})",
            )
    if total > MAX_UNCOMPRESSED_TOTAL:
        raise _refuse(
            name,
            f"verdacht .xlsx-bestand (zipbom): uitgepakt {_mb(total)} (grens {_mb(MAX_UNCOMPRESSED_TOTAL)})",
        )


def _inflate(data: bytes, info: zipfile.ZipInfo, name: str) -> Iterator[bytes]:
    """Yield a part's unpacked bytes in chunks; refuse when it is larger than declared or damaged."""
    offset = info.header_offset
    header = data[offset:offset + zipfile.sizeFileHeader]
    if len(header) != zipfile.sizeFileHeader or header[:4] != zipfile.stringFileHeader:
        raise _refuse(name, f"beschadigd .xlsx-bestand: lokale kop van '{info.filename}' ontbreekt")
    fields = struct.unpack(zipfile.structFileHeader, header)
    name_len, extra_len = fields[zipfile._FH_FILENAME_LENGTH], fields[zipfile._FH_EXTRA_FIELD_LENGTH]
    raw_name = data[offset + zipfile.sizeFileHeader:offset + zipfile.sizeFileHeader + name_len]
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if raw_name.decode(encoding, errors="replace") != info.orig_filename:
        raise _refuse(name, f"verdacht .xlsx-bestand: de namen van '{info.filename}' spreken elkaar tegen")
    start = offset + zipfile.sizeFileHeader + name_len + extra_len
    packed = memoryview(data)[start:start + info.compress_size]
    if len(packed) != info.compress_size:
        raise _refuse(name, f"beschadigd .xlsx-bestand: '{info.filename}' is afgekapt")
    produced = 0
    crc = 0
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _refuse(name, f"beschadigd .xlsx-bestand: grootte van '{info.filename}' klopt niet")
        for i in range(0, len(packed), _CHUNK):
            chunk = bytes(packed[i:i + _CHUNK])
            crc = zlib.crc32(chunk, crc)
            yield chunk
    else:
        inflater = zlib.decompressobj(-15)
        pos = 0
        while not inflater.eof:
            if inflater.unconsumed_tail:
                feed = inflater.unconsumed_tail
            elif pos < len(packed):
                feed = packed[pos:pos + _CHUNK]
                pos += len(feed)
            else:
                feed = b""
            try:
                chunk = inflater.decompress(feed, _CHUNK)
            except zlib.error as exc:
                raise _refuse(name, f"beschadigd .xlsx-bestand: '{info.filename}' ({exc})") from None
            if not chunk and not feed:
                raise _refuse(name, f"beschadigd .xlsx-bestand: '{info.filename}' is afgekapt")
            produced += len(chunk)
            if produced > info.file_size:
                raise _refuse(
                    name,
                    f"verdacht .xlsx-bestand (zipbom): '{info.filename}' pakt groter uit dan "
                    f"opgegeven ({info.file_size} bytes)",
                )
            crc = zlib.crc32(chunk, crc)
            if chunk:
                yield chunk
        if produced != info.file_size:
            raise _refuse(name, f"beschadigd .xlsx-bestand: grootte van '{info.filename}' klopt niet")
    if crc != info.CRC:
        raise _refuse(name, f"beschadigd .xlsx-bestand: controlegetal (CRC) van '{info.filename}' klopt niet")


def _xml_refusal(name: str, part: str, exc: Exception) -> FileRefused:
    if isinstance(exc, DefusedXmlException):
        return _refuse(
            name,
            f"verdacht .xlsx-bestand: het onderdeel '{part}' bevat een DTD- of ENTITY-declaratie "
            "(mogelijk een 'billion laughs'- of XXE-aanval)",
        )
    return _refuse(name, f"beschadigd .xlsx-bestand: het onderdeel '{part}' is geen geldige XML ({exc})")


def _parse_small(data: bytes, info: zipfile.ZipInfo, name: str):
    """Parse a small structural part completely with defusedxml."""
    if info.file_size > _SMALL_PART_LIMIT:
        raise _refuse(name, f"verdacht .xlsx-bestand: '{info.filename}' is ongewoon groot")
    content = b"".join(_inflate(data, info, name))
    _check_xml_encoding(content, info.filename, name)
    try:
        return defused_fromstring(content, forbid_dtd=True)
    except (DefusedXmlException, ParseError) as exc:
        raise _xml_refusal(name, info.filename, exc) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _declared_parts(content_types, name: str) -> tuple[set[str], set[str]]:
    sheets: set[str] = set()
    shared: set[str] = set()
    workbook_type = None
    for node in content_types:
        if _local(node.tag) != "Override":
            continue
        part = (node.get("PartName") or "").lstrip("/")
        ctype = (node.get("ContentType") or "").lower()
        if part == "xl/workbook.xml":
            workbook_type = ctype
        if ctype.endswith(("worksheet+xml", "macrosheet+xml", "dialogsheet+xml", "chartsheet+xml")):
            sheets.add(part)
        elif ctype.endswith("sharedstrings+xml"):
            shared.add(part)
    if workbook_type in _MACRO_TYPES:
        raise _refuse(
            name, "de werkmap bevat macro's (.xlsm met een .xlsx-naam): bewaar als gewone .xlsx"
        )
    if workbook_type is not None and workbook_type not in _WORKBOOK_TYPES:
        raise _refuse(name, f"dit is geen Excel-werkmap: het hoofdonderdeel heeft type '{workbook_type}'")
    return sheets, shared


def _sheet_targets(rels) -> set[str]:
    targets = set()
    for node in rels:
        if (node.get("Type") or "").endswith(_SHEET_REL_SUFFIXES):
            target = node.get("Target") or ""
            targets.add(target.lstrip("/") if target.startswith("/") else "xl/" + target)
    return targets


def _check_xml_encoding(head: bytes, part: str, name: str) -> None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:256]:
        raise _refuse(name, f"het onderdeel '{part}' is niet in UTF-8 gecodeerd (niet aanvaard)")
    declared = _XML_ENCODING.match(head[:256])
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        enc = declared.group(1).decode("ascii")
        raise _refuse(name, f"het onderdeel '{part}' heeft tekstcodering '{enc}' (enkel UTF-8 aanvaard)")


class _Enough(Exception):
    """Raised from the parser target once the part's head has told all we need."""


class _HeadTarget:
    """Parser target that records the root element and a worksheet's ``dimension``."""

    def __init__(self, is_sheet: bool):
        self.is_sheet = is_sheet
        self.root: tuple[str, dict] | None = None
        self.dimension: str | None = None

    def start(self, tag, attrib):
        local = _local(tag)
        if self.root is None:
            self.root = (local, dict(attrib))
            if not self.is_sheet:
                raise _Enough
        if local == "dimension":
            self.dimension = attrib.get("ref")
            raise _Enough
        if local == "sheetData":
            raise _Enough

    def end(self, tag):
        pass

    def data(self, text):
        pass

    def close(self):
        return None


def _scan_part(data: bytes, info: zipfile.ZipInfo, name: str, *, is_xml: bool, is_sheet: bool,
               is_shared: bool) -> None:
    """Inflate one part as a stream: defused head parse for XML, extent scan for sheets."""
    target = _HeadTarget(is_sheet) if is_xml else None
    parser = DefusedXMLParser(target=target, forbid_dtd=True) if is_xml else None
    fed = 0
    head_done = not is_xml
    max_col = 0
    max_row = 0
    tail = b""
    for chunk in _inflate(data, info, name):
        if not head_done:
            if fed == 0:
                _check_xml_encoding(chunk, info.filename, name)
            piece = chunk[:_HEAD_LIMIT - fed]
            fed += len(piece)
            try:
                parser.feed(piece)
            except _Enough:
                head_done = True
            except (DefusedXmlException, ParseError) as exc:
                raise _xml_refusal(name, info.filename, exc) from None
            if not head_done:
                if target.root is None and fed >= _PROLOG_LIMIT:
                    raise _refuse(
                        name,
                        f"verdacht .xlsx-bestand: het onderdeel '{info.filename}' heeft een ongewoon "
                        "lange XML-aanhef",
                    )
                if fed >= _HEAD_LIMIT:
                    head_done = True
            if head_done and is_sheet and target.dimension:
                _check_dimension(target.dimension, info.filename, name)
            if head_done and is_shared and target.root is not None:
                _check_shared_count(target.root[1], info, name)
        if is_sheet:
            window = tail + chunk
            for letters, digits in _WIDE_OR_DEEP.findall(window):
                if letters:
                    max_col = max(max_col, _column_number(letters.decode("ascii")))
                else:
                    max_row = max(max_row, int(digits))
            tail = window[-24:]
    if is_xml and not head_done and target.root is None:
        raise _refuse(name, f"beschadigd .xlsx-bestand: het onderdeel '{info.filename}' bevat geen XML-element")
    if is_sheet:
        _check_extent(max_col, max_row, info, data, name)


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
        raise _refuse(name, f"ongeldige bladafmeting '{ref}' in '{part}'")
    cols = [c[0] for c in corners]
    rows = [c[1] for c in corners]
    _check_size(max(cols), max(rows), max(cols) - min(cols) + 1, max(rows) - min(rows) + 1,
                f"het blad '{part}' verklaart een onmogelijke afmeting '{ref}'", name)


def _check_size(last_col: int, last_row: int, width: int, height: int, what: str, name: str) -> None:
    if last_row > MAX_ROWS or last_col > MAX_COLUMNS:
        raise _refuse(name, f"verdacht .xlsx-bestand: {what} (meer dan {_n(MAX_ROWS)} rijen of "
                            f"{_n(MAX_COLUMNS)} kolommen)")
    if width * height > MAX_CELLS:
        raise _refuse(name, f"verdacht .xlsx-bestand: {what} ({_n(width * height)} cellen, grens "
                            f"{_n(MAX_CELLS)})")


def _n(number: int) -> str:
    """A whole number the Belgian way: ``1.048.576``."""
    return f"{number:,}".replace(",", ".")


def _check_extent(max_col: int, max_row: int, info: zipfile.ZipInfo, data: bytes, name: str) -> None:
    """Refuse a sheet whose cell references span an absurd rectangle.

    The fast pass only saw references with 2+ column letters or 7+ row digits. Below AV (48
    columns) and 1,000,000 rows no rectangle can exceed :data:`MAX_CELLS`; a wide sheet gets an
    exact second pass over its row numbers.
    """
    cols = max(max_col, 26)
    rows = max(max_row, 999_999)
    what = f"het blad '{info.filename}' gebruikt cellen tot kolom {_n(max_col)} en rij {_n(max_row)}"
    if max_row > MAX_ROWS or max_col > MAX_COLUMNS:
        _check_size(max_col, max_row, 1, 1, what, name)
    if cols * rows <= MAX_CELLS:
        return
    limit = MAX_CELLS // cols
    digits = len(str(limit))
    deep = re.compile(rb'r="[A-Z]{0,4}(\d{%d,})"' % digits)
    exact = max_row
    tail = b""
    for chunk in _inflate(data, info, name):
        window = tail + chunk
        for found in deep.findall(window):
            exact = max(exact, int(found))
        tail = window[-24:]
    what = f"het blad '{info.filename}' gebruikt cellen tot kolom {_n(cols)} en rij {_n(exact)}"
    _check_size(cols, exact, cols, exact, what, name)


def _check_shared_count(attrib: dict, info: zipfile.ZipInfo, name: str) -> None:
    """python-calamine reserves memory for ``uniqueCount`` strings: it must fit in the part."""
    raw = attrib.get("uniqueCount")
    if raw is None:
        return
    try:
        count = int(raw)
    except ValueError:
        raise _refuse(name, f"beschadigd .xlsx-bestand: ongeldig aantal teksten '{raw}'") from None
    # each string takes at least '<si/>' (5 bytes)
    if count < 0 or count > info.file_size // 5 + 1:
        raise _refuse(
            name,
            f"verdacht .xlsx-bestand: de tekstentabel verklaart {_n(count)} teksten, meer dan er in "
            f"{_n(info.file_size)} bytes passen",
        )
