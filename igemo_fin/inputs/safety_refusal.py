"""How the file-safety checks refuse a file, and how they name what the bytes really are."""

from __future__ import annotations

from igemo_fin.errors import FileRefused, Problem

__all__ = ["OLE_MAGIC", "ZIP_MAGIC", "megabytes", "refuse", "thousands", "what_it_is"]

ZIP_MAGIC = b"PK\x03\x04"
"""The first bytes of a zip archive (``.xlsx``, ``.xlsm``, ``.ods``)."""
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The first bytes of an OLE compound file (``.xls``, a password-protected workbook)."""

_MAGIC = (
    (b"MZ", "een uitvoerbaar Windows-programma (.exe/.dll)"),
    (b"\x7fELF", "een uitvoerbaar programma"),
    (b"%PDF", "een PDF-document"),
    (OLE_MAGIC, "een oud Excel-bestand (.xls) of een met wachtwoord beveiligde werkmap"),
    (ZIP_MAGIC, "een zip-archief (bv. een .xlsx-werkmap)"),
    (b"\x1f\x8b", "een gzip-archief"),
    (b"Rar!", "een RAR-archief"),
    (b"7z\xbc\xaf", "een 7-Zip-archief"),
    (b"\x89PNG", "een PNG-afbeelding"),
    (b"\xff\xd8\xff", "een JPEG-afbeelding"),
    (b"{\\rtf", "een RTF-document"),
)


def refuse(filename: str, reason: str) -> FileRefused:
    """A refusal of the whole file with one Dutch reason."""
    return FileRefused([Problem(None, None, None, reason)], file=filename)


def what_it_is(data: bytes) -> str | None:
    """What a known binary signature says the bytes are (Dutch), or ``None``."""
    for magic, label in _MAGIC:
        if data.startswith(magic):
            return label
    return None


def megabytes(n: int) -> str:
    """``'20,0 MB'`` for a size in bytes."""
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def thousands(number: int) -> str:
    """A whole number the Belgian way: ``1.048.576``."""
    return f"{number:,}".replace(",", ".")
