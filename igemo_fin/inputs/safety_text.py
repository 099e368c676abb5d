"""Decode a text export (``.csv``, ``.txt``) safely, or refuse it with a Dutch reason.

Accepted: UTF-8 with or without BOM, Windows-1252 (what Belgian Excel saves as "CSV"), and UTF-16
with a BOM (Excel's "Unicode text", tab-separated). Refused: known binary signatures, NUL bytes
and other control codes, UTF-16 without a BOM, and text that mixes encodings.
"""

from __future__ import annotations

import codecs
import re

from igemo_fin.inputs.safety_refusal import refuse, what_it_is

__all__ = ["decode_csv"]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_RESAVE = "bewaar het opnieuw als CSV (UTF-8) of CSV (puntkomma)"


def _decode_utf16(data: bytes, filename: str) -> tuple[str, str] | None:
    for bom, codec in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), "utf-16"
            except UnicodeDecodeError as exc:
                raise refuse(filename, f"het bestand zegt UTF-16 te zijn (BOM) maar bevat ongeldige UTF-16 op "
                                       f"byte {exc.start + len(bom)}; {_RESAVE}") from None
    return None


def _looks_like_utf16_without_bom(data: bytes) -> bool:
    head = data[:400]
    return len(head) >= 8 and (head[1::2].count(0) > 0.4 * len(head) / 2 or head[0::2].count(0) > 0.4 * len(head) / 2)


def _decode_8bit(data: bytes, filename: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            raise refuse(
                filename,
                f"het bestand zegt UTF-8 te zijn (BOM) maar bevat ongeldige UTF-8 op byte {exc.start + 3}; {_RESAVE}",
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        bad = exc.start
    mixed = _UTF8_MULTIBYTE.search(data)
    if mixed is not None:
        raise refuse(
            filename,
            "het bestand mengt tekstcoderingen: deels UTF-8 (byte "
            f"{mixed.start()}), deels ongeldige UTF-8 (byte {bad}); bewaar het opnieuw als CSV",
        )
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise refuse(
            filename,
            f"geen geldige tekst: byte {exc.start} (0x{data[exc.start]:02X}) is geen UTF-8 "
            f"en geen Windows-1252; {_RESAVE}",
        ) from None


def decode_csv(data: bytes, filename: str = "bestand.csv") -> tuple[str, str]:
    """Decode a text export as UTF-16 (with BOM), UTF-8 (with or without BOM) or else Windows-1252.

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
        ``"utf-8"``, ``"utf-16"`` or ``"cp1252"``.

    Raises
    ------
    FileRefused
        Binary content (NUL bytes, control codes, a known binary signature), a BOM followed by
        invalid text, UTF-16 without BOM, a mix of UTF-8 and another encoding, or bytes that are
        neither.

    Examples
    --------
    >>> decode_csv("Datum\\tBedrag\\r\\n".encode("utf-16"))
    ('Datum\\tBedrag\\r\\n', 'utf-16')
    """
    what = what_it_is(data)
    if what is not None:
        raise refuse(filename, f"dit is geen CSV-tekstbestand: de inhoud is {what}")
    decoded = _decode_utf16(data, filename)
    if decoded is None:
        nul = data.find(b"\x00")
        if nul >= 0:
            if _looks_like_utf16_without_bom(data):
                raise refuse(filename, f"UTF-16-tekst zonder BOM (NUL-bytes vanaf byte {nul}) wordt niet aanvaard; "
                                       f"{_RESAVE}, of als Unicode-tekst vanuit Excel")
            raise refuse(filename, f"dit is geen tekstbestand: het bevat NUL-bytes (eerste op byte {nul})")
        decoded = _decode_8bit(data, filename)
    text, encoding = decoded
    stripped = text.rstrip("\x1a")  # a DOS end-of-file mark is harmless
    control = _CONTROL.search(stripped)
    if control is not None:
        raise refuse(
            filename,
            f"dit is geen tekstbestand: stuurcode 0x{ord(control.group()):02X} op teken {control.start()}",
        )
    return stripped, encoding
