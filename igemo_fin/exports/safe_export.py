"""Text cells of every export, neutralised against formula injection (CSV/Excel injection).

A spreadsheet turns a text that starts with ``=``, ``+``, ``-`` or ``@`` into a formula, and a tab
or carriage return in front of those is skipped by several CSV readers (OWASP, "CSV Injection").
A project name such as ``=HYPERLINK("http://…","klik")`` in an export would then run as a formula
on a board member's machine. Every text cell that an export writes goes through this module.

The convention
--------------
*Excel files* (XlsxWriter or openpyxl): a risky text is written as a **text cell with Excel's quote
prefix** (the cell style ``quotePrefix="1"``, what Excel itself sets when one types ``'=1+1``). The
stored text is the original, unchanged: the cell shows exactly what the workbook held, it is never
a formula, and editing the cell in Excel or LibreOffice keeps it text. Nothing is added to the text.

*Plain text* (CSV, clipboard, anything without cell styles): :func:`neutralise` puts one apostrophe
``'`` in front of a risky text (the OWASP advice); :func:`restore` takes it off again. A reader of
our CSV sees ``'=1+1`` where the source held ``=1+1``.

Risky means: the text starts with one of :data:`RISKY_START` (``= + - @``, tab, carriage return),
also when it starts with an OOXML escape of one (``_x003D_``): Excel decodes such escapes in a
text cell, and a writer that does not escape a literal ``_x003D_`` (openpyxl) would show ``=``.
Other texts, numbers and dates are written as they are.

Control characters: XlsxWriter stores them as OOXML escapes (``\x01`` as ``_x0001_``), which Excel
and LibreOffice show as the character again; openpyxl returns the escape as it is stored.

Examples
--------
>>> neutralise("=1+1"), neutralise("Kouterhof"), neutralise("-5 %"), neutralise("")
("'=1+1", 'Kouterhof', "'-5 %", '')
>>> restore(neutralise("@SUM(A1)")) == "@SUM(A1)"
True
"""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = ["RISKY_START", "is_risky", "neutralise", "restore", "as_text", "SafeXlsxWriter",
           "write_text", "requote_frame", "set_openpyxl_text", "sheet_name", "header_footer_text"]

#: First characters that make a spreadsheet read a text as a formula (or skip ahead to one).
RISKY_START = ("=", "+", "-", "@", "\t", "\r")

#: Prefix :func:`neutralise` adds to a risky plain text.
PREFIX = "'"


def as_text(value: Any) -> str:
    """The text of a cell value: ``None`` and NaN become ``''``, anything else ``str(value)``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def is_risky(text: Any) -> bool:
    """True when ``text`` is a string that a spreadsheet could take for a formula.

    Excel decodes OOXML escapes (``_x003D_`` is ``=``) in the text of a cell, so a text that
    *shows* a risky first character after decoding counts as risky too.

    >>> is_risky("=A1"), is_risky("\\t=A1"), is_risky("A=1"), is_risky(-5), is_risky("_x003D_A1")
    (True, True, False, False, True)
    """
    if not isinstance(text, str):
        return False
    return text.startswith(RISKY_START) or _shown_start(text).startswith(RISKY_START)


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _shown_start(text: str) -> str:
    """The start of ``text`` with its OOXML escapes ``_xHHHH_`` decoded (what Excel shows)."""
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text[:64])


def neutralise(text: Any) -> str:
    """The text to write in a plain-text export: ``"'"`` + text when risky, else the text itself.

    For Excel files use :class:`SafeXlsxWriter` (or :func:`write_text`), which keeps the text as is
    and sets the quote prefix instead.
    """
    text = as_text(text)
    # A text that already starts with apostrophes before a risky character gets one more, so
    # that :func:`restore` gives it back unchanged.
    return PREFIX + text if is_risky(text.lstrip(PREFIX)) else text


def restore(text: str) -> str:
    """Undo :func:`neutralise`: the original text.

    Only an apostrophe in front of a risky text (or of apostrophes before one) was added by
    :func:`neutralise`; any other apostrophe belongs to the text (``"'t Veld"`` stays ``"'t Veld"``).
    """
    if text.startswith(PREFIX) and is_risky(text.lstrip(PREFIX)):
        return text[len(PREFIX):]
    return text


# --------------------------------------------------------------------------- XlsxWriter

class SafeXlsxWriter:
    """Text cells and a format cache for one XlsxWriter workbook.

    Formats are made from property dicts (``fmt(bold=True)``) and cached, so a risky text can get
    the same look plus ``quote_prefix``. The workbook must be opened with
    ``{"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}``
    (:meth:`open` does so).

    Examples
    --------
    >>> import io
    >>> buffer = io.BytesIO()
    >>> safe = SafeXlsxWriter.open(buffer)
    >>> sheet = safe.book.add_worksheet("Blad")
    >>> safe.text(sheet, 0, 0, '=HYPERLINK("http://example.invalid","klik")', bold=True)
    >>> safe.book.close()
    """

    OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

    def __init__(self, book) -> None:
        self.book = book
        self._formats: dict = {}

    @classmethod
    def open(cls, target, **options) -> "SafeXlsxWriter":
        import xlsxwriter

        return cls(xlsxwriter.Workbook(target, {**cls.OPTIONS, "in_memory": True, **options}))

    def fmt(self, **props):
        """The cached XlsxWriter format with these properties (None for none)."""
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.book.add_format(dict(props)) if props else None
        return self._formats[key]

    def text(self, sheet, row: int, col: int, value: Any, **props) -> None:
        """Write ``value`` as a text cell; a risky text also gets the quote prefix."""
        text = as_text(value)
        if is_risky(text):
            props = {**props, "quote_prefix": True}
        if text == "":
            sheet.write_blank(row, col, None, self.fmt(**props))
        else:
            sheet.write_string(row, col, text, self.fmt(**props))

    def merged_text(self, sheet, row: int, first_col: int, last_col: int, value: Any, *,
                    last_row: int | None = None, **props) -> None:
        """:meth:`text` over merged cells."""
        text = as_text(value)
        if is_risky(text):
            props = {**props, "quote_prefix": True}
        sheet.merge_range(row, first_col, row if last_row is None else last_row, last_col, text,
                          self.fmt(**props))

    def comment(self, sheet, row: int, col: int, value: Any, **options) -> None:
        """A cell note; notes are never evaluated, but stay plain text (no prefix needed)."""
        sheet.write_comment(row, col, as_text(value), options)


def write_text(book, sheet, row: int, col: int, value: Any, cell_format=None) -> None:
    """Write one text cell with XlsxWriter, with the quote prefix when risky.

    For a one-off cell; ``cell_format`` (an XlsxWriter Format) is used as is for safe texts, and
    for a risky text a format with ``quote_prefix`` (a copy of ``cell_format``'s properties is not
    possible in XlsxWriter, so use :class:`SafeXlsxWriter` when risky cells need a look).
    """
    text = as_text(value)
    if is_risky(text):
        cell_format = _quote_format(book)
    sheet.write_string(row, col, text, cell_format)


def _quote_format(book):
    cached = getattr(book, "_igemo_quote_format", None)
    if cached is None:
        cached = book.add_format({"quote_prefix": True})
        book._igemo_quote_format = cached
    return cached


def requote_frame(book, sheet, frame, *, startrow: int = 0, startcol: int = 0, header: bool = True,
                  index: bool = False) -> int:
    """After ``frame.to_excel(writer, ...)`` with XlsxWriter: rewrite every risky text with the quote prefix.

    pandas writes strings with ``write_string`` when ``strings_to_formulas`` is off, but without
    the quote prefix. This rewrites the risky header and body cells (XlsxWriter keeps the last write
    of a cell). Returns the number of cells rewritten.

    Parameters
    ----------
    book : xlsxwriter.Workbook
        ``writer.book``.
    sheet : xlsxwriter.Worksheet
        ``writer.sheets[name]``.
    frame : DataFrame
        The frame that was written, with the same ``startrow``, ``startcol``, ``header`` and
        ``index`` (a plain ``RangeIndex`` is assumed when ``index`` is True).
    """
    rewritten = 0
    col0 = startcol + (1 if index else 0)
    if header:
        for j, name in enumerate(frame.columns):
            if is_risky(name):
                write_text(book, sheet, startrow, col0 + j, name)
                rewritten += 1
    first = startrow + (1 if header else 0)
    for j, column in enumerate(frame.columns):
        for i, value in enumerate(frame.iloc[:, j].tolist()):
            if is_risky(value):
                write_text(book, sheet, first + i, col0 + j, value)
                rewritten += 1
    return rewritten


# --------------------------------------------------------------------------- openpyxl

#: Characters XML 1.0 cannot hold (and CR, which an XML reader turns into LF); written as OOXML
#: escapes, as XlsxWriter does.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")


def set_openpyxl_text(cell, value: Any) -> None:
    """Put ``value`` in an openpyxl cell as text, never as a formula (openpyxl makes ``"=..."`` one).

    A risky text keeps its characters and gets the quote prefix. As XlsxWriter does and openpyxl
    does not: control characters are written as OOXML escapes (``_x0001_``), which Excel shows as
    the character, and a literal escape-like text gets its underscore escaped (``_x005F_x003D_``),
    so Excel shows ``_x003D_`` and not ``=``.
    """
    text = _OOXML_ESCAPE.sub(lambda m: "_x005F" + m.group(), as_text(value))  # a literal '_x0041_' stays literal
    text = _ILLEGAL_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    cell.value = text
    cell.data_type = "s"
    if is_risky(text):
        cell.quotePrefix = True


# --------------------------------------------------------------------------- sheet names, headers and footers

_SHEET_FORBIDDEN = re.compile("[\\[\\]:*?/\\\\\x00-\x1f\x7f-\x9f\ufffe\uffff]")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, units: int) -> str:
    """``text`` cut to at most ``units`` UTF-16 code units (Excel counts those; an emoji is two)."""
    while _utf16_len(text) > units:
        text = text[:-1]
    return text


def sheet_name(text: Any, used: set[str] | None = None, *, fallback: str = "Blad") -> str:
    """A valid Excel sheet name from any text, unique within ``used`` (lower-case names, updated).

    Removes ``[ ] : * ? / \\`` and control characters (which would make the workbook unreadable),
    strips apostrophes at the ends, cuts to 31 UTF-16 code units, avoids the reserved ``History``,
    and adds `` (2)``, `` (3)`` ... to a name already used.

    >>> used = set()
    >>> sheet_name("BT-05", used), sheet_name("bt-05", used), sheet_name("a/b\\x1b", used), sheet_name("", used)
    ('BT-05', 'bt-05 (2)', 'a_b', 'Blad')
    """
    base = _SHEET_FORBIDDEN.sub(lambda m: "_" if m.group() in "[]:*?/\\" else "", as_text(text))
    base = _cut(base.strip().strip("'").strip(), 31).strip() or fallback
    used = set() if used is None else used
    name, n = base, 1
    while name.lower() in used or name.lower() == "history":
        n += 1
        suffix = f" ({n})"
        name = _cut(base, 31 - len(suffix)) + suffix
    used.add(name.lower())
    return name


def header_footer_text(text: Any, limit: int = 60) -> str:
    """Text for an Excel page header or footer: ``&`` doubled (it starts a code), control characters
    removed (they would make the workbook unreadable), at most ``limit`` characters.

    >>> header_footer_text("Putte & Bonheiden\\x07")
    'Putte && Bonheiden'
    """
    cleaned = _SHEET_FORBIDDEN.sub(lambda m: m.group() if m.group() in "[]:*?/\\" else "", as_text(text))
    return _cut(cleaned, limit).replace("&", "&&")
