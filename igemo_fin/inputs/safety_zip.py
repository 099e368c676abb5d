"""Zip containers (``.xlsx``, ``.xlsm``, ``.ods``): zip bombs and hostile XML, before any parser.

* zip bombs: entry count, total unpacked size and compression ratio per entry, read from the zip
  central directory *before* anything is inflated; then every part is inflated as a stream, with a
  hard stop at its declared size, so a directory that lies is caught too;
* XML: every XML part's prolog is fed to a :mod:`defusedxml` parser that forbids DTDs, entity
  declarations and external references (``billion laughs``, XXE), and must be UTF-8.

``label`` (``".xlsx"``, ``".ods"``...) names the format in the Dutch reasons.
"""

from __future__ import annotations

import codecs
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, fromstring as defused_fromstring

from igemo_fin.errors import FileRefused
from igemo_fin.inputs.safety_refusal import megabytes, refuse

__all__ = [
    "MAX_ZIP_ENTRIES",
    "MAX_UNCOMPRESSED_TOTAL",
    "MAX_COMPRESSION_RATIO",
    "RATIO_MIN_BYTES",
    "HeadTarget",
    "check_xml_encoding",
    "inflate",
    "local_name",
    "open_zip",
    "parse_small",
    "stream_xml",
]

MAX_ZIP_ENTRIES = 1_000
"""Most parts a zipped workbook may hold (a workbook of 100 sheets has about 300)."""
MAX_UNCOMPRESSED_TOTAL = 512 * 1024 * 1024
"""Largest total unpacked size of a zipped workbook [bytes]."""
MAX_COMPRESSION_RATIO = 100
"""Largest unpacked/packed ratio of one part (real workbooks: 3 to 20)."""
RATIO_MIN_BYTES = 1024 * 1024
"""Parts smaller than this unpacked [bytes] are not held to the ratio (they cannot hurt)."""

_PROLOG_LIMIT = 64 * 1024
_HEAD_LIMIT = 1024 * 1024
_SMALL_PART_LIMIT = 4 * 1024 * 1024
_CHUNK = 1024 * 1024
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def open_zip(data: bytes, name: str, label: str) -> list[zipfile.ZipInfo]:
    """The zip's directory, checked against the zip-bomb limits (nothing inflated yet)."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise refuse(name, f"beschadigd {label}-bestand (zip onleesbaar: {exc})") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise refuse(name, f"verdacht {label}-bestand: {len(infos)} onderdelen (grens {MAX_ZIP_ENTRIES})")
    seen: set[str] = set()
    total = 0
    for info in infos:
        key = info.filename.lower()
        if key in seen:
            raise refuse(name, f"verdacht {label}-bestand: het onderdeel '{info.filename}' staat er twee keer in")
        seen.add(key)
        if info.flag_bits & 0x1:
            raise refuse(name, f"het {label}-bestand is versleuteld; bewaar het zonder wachtwoord")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse(name, f"onbekende compressiemethode {info.compress_type} in '{info.filename}'")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise refuse(
                name,
                f"verdacht {label}-bestand (zipbom): '{info.filename}' pakt {ratio:.0f} keer uit "
                f"(grens {MAX_COMPRESSION_RATIO})",
            )
    if total > MAX_UNCOMPRESSED_TOTAL:
        raise refuse(
            name,
            f"verdacht {label}-bestand (zipbom): uitgepakt {megabytes(total)} "
            f"(grens {megabytes(MAX_UNCOMPRESSED_TOTAL)})",
        )
    return infos


def inflate(data: bytes, info: zipfile.ZipInfo, name: str, label: str) -> Iterator[bytes]:
    """Yield a part's unpacked bytes in chunks; refuse when it is larger than declared or damaged."""
    offset = info.header_offset
    header = data[offset:offset + zipfile.sizeFileHeader]
    if len(header) != zipfile.sizeFileHeader or header[:4] != zipfile.stringFileHeader:
        raise refuse(name, f"beschadigd {label}-bestand: lokale kop van '{info.filename}' ontbreekt")
    fields = struct.unpack(zipfile.structFileHeader, header)
    name_len, extra_len = fields[zipfile._FH_FILENAME_LENGTH], fields[zipfile._FH_EXTRA_FIELD_LENGTH]
    raw_name = data[offset + zipfile.sizeFileHeader:offset + zipfile.sizeFileHeader + name_len]
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if raw_name.decode(encoding, errors="replace") != info.orig_filename:
        raise refuse(name, f"verdacht {label}-bestand: de namen van '{info.filename}' spreken elkaar tegen")
    start = offset + zipfile.sizeFileHeader + name_len + extra_len
    packed = memoryview(data)[start:start + info.compress_size]
    if len(packed) != info.compress_size:
        raise refuse(name, f"beschadigd {label}-bestand: '{info.filename}' is afgekapt")
    produced = 0
    crc = 0
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise refuse(name, f"beschadigd {label}-bestand: grootte van '{info.filename}' klopt niet")
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
                raise refuse(name, f"beschadigd {label}-bestand: '{info.filename}' ({exc})") from None
            if not chunk and not feed:
                raise refuse(name, f"beschadigd {label}-bestand: '{info.filename}' is afgekapt")
            produced += len(chunk)
            if produced > info.file_size:
                raise refuse(
                    name,
                    f"verdacht {label}-bestand (zipbom): '{info.filename}' pakt groter uit dan "
                    f"opgegeven ({info.file_size} bytes)",
                )
            crc = zlib.crc32(chunk, crc)
            if chunk:
                yield chunk
        if produced != info.file_size:
            raise refuse(name, f"beschadigd {label}-bestand: grootte van '{info.filename}' klopt niet")
    if crc != info.CRC:
        raise refuse(name, f"beschadigd {label}-bestand: controlegetal (CRC) van '{info.filename}' klopt niet")


def _xml_refusal(name: str, label: str, part: str, exc: Exception) -> FileRefused:
    if isinstance(exc, DefusedXmlException):
        return refuse(
            name,
            f"verdacht {label}-bestand: het onderdeel '{part}' bevat een DTD- of ENTITY-declaratie "
            "(mogelijk een 'billion laughs'- of XXE-aanval)",
        )
    return refuse(name, f"beschadigd {label}-bestand: het onderdeel '{part}' is geen geldige XML ({exc})")


def check_xml_encoding(head: bytes, part: str, name: str) -> None:
    """Refuse an XML part that is not UTF-8 (the readers behind assume it)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:256]:
        raise refuse(name, f"het onderdeel '{part}' is niet in UTF-8 gecodeerd (niet aanvaard)")
    declared = _XML_ENCODING.match(head[:256])
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        enc = declared.group(1).decode("ascii")
        raise refuse(name, f"het onderdeel '{part}' heeft tekstcodering '{enc}' (enkel UTF-8 aanvaard)")


def parse_small(data: bytes, info: zipfile.ZipInfo, name: str, label: str):
    """Parse a small structural part completely with defusedxml."""
    if info.file_size > _SMALL_PART_LIMIT:
        raise refuse(name, f"verdacht {label}-bestand: '{info.filename}' is ongewoon groot")
    content = b"".join(inflate(data, info, name, label))
    check_xml_encoding(content, info.filename, name)
    try:
        return defused_fromstring(content, forbid_dtd=True)
    except (DefusedXmlException, ParseError) as exc:
        raise _xml_refusal(name, label, info.filename, exc) from None


def local_name(tag: str) -> str:
    """An XML tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


class _Enough(Exception):
    """Raised from the parser target once the part's head has told all we need."""


class HeadTarget:
    """Parser target that records the root element and, for a sheet, the first element named in
    ``watch`` (e.g. ``dimension``); it stops the parse at ``stop`` or once the root is seen."""

    def __init__(self, watch: str | None = None, stop: str | None = None):
        self.watch = watch
        self.stop = stop
        self.root: tuple[str, dict] | None = None
        self.watched: dict | None = None

    def start(self, tag, attrib):
        local = local_name(tag)
        if self.root is None:
            self.root = (local, dict(attrib))
            if self.watch is None:
                raise _Enough
        if local == self.watch:
            self.watched = dict(attrib)
            raise _Enough
        if local == self.stop:
            raise _Enough

    def end(self, tag):
        pass

    def data(self, text):
        pass

    def close(self):
        return None


def stream_xml(data: bytes, info: zipfile.ZipInfo, name: str, label: str,
               target: HeadTarget) -> Iterator[tuple[bytes, bool]]:
    """Inflate an XML part as a stream, its head parsed with defusedxml into ``target``.

    Yields ``(chunk, head_done)``; ``head_done`` turns true on the chunk that finished the head.
    """
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    fed = 0
    head_done = False
    for chunk in inflate(data, info, name, label):
        just_done = False
        if not head_done:
            if fed == 0:
                check_xml_encoding(chunk, info.filename, name)
            piece = chunk[:_HEAD_LIMIT - fed]
            fed += len(piece)
            try:
                parser.feed(piece)
            except _Enough:
                head_done = just_done = True
            except (DefusedXmlException, ParseError) as exc:
                raise _xml_refusal(name, label, info.filename, exc) from None
            if not head_done:
                if target.root is None and fed >= _PROLOG_LIMIT:
                    raise refuse(name, f"verdacht {label}-bestand: het onderdeel '{info.filename}' heeft een "
                                       "ongewoon lange XML-aanhef")
                if fed >= _HEAD_LIMIT:
                    head_done = just_done = True
        yield chunk, just_done
    if not head_done and target.root is None:
        raise refuse(name, f"beschadigd {label}-bestand: het onderdeel '{info.filename}' bevat geen XML-element")
