"""Cell values as finance types them: Belgian amounts to exact cents, numbers, codes as text
(dates: :mod:`igemo_fin.inputs.dates`).

Vectorised over whole columns: every function takes a sequence of raw cells (what python-calamine
or the csv module gives: ``str``, ``float``, ``int``, ``bool``, ``datetime.date``/``datetime``, ``None``)
and returns NumPy arrays with a status per cell, so a reader can name every bad cell at once.
Distinct values are parsed once (ledgers repeat dates, accounts and codes a lot).

Status codes: :data:`BLANK` (empty cell), :data:`OK`, :data:`INVALID` (unreadable),
:data:`OUT_OF_RANGE` (a date outside :data:`YEAR_MIN`-:data:`YEAR_MAX`, an absurd amount).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "BLANK",
    "OK",
    "INVALID",
    "OUT_OF_RANGE",
    "YEAR_MIN",
    "YEAR_MAX",
    "MAX_ABS_CENTS",
    "blank_mask",
    "cell_text",
    "decimal_separator",
    "amounts_to_cents",
    "is_blank_cell",
    "parse_number",
]

BLANK, OK, INVALID, OUT_OF_RANGE = 0, 1, 2, 3
YEAR_MIN, YEAR_MAX = 1900, 2100
"""Dates outside these years are refused as typing errors."""
MAX_ABS_CENTS = 10**15
"""Largest amount accepted [cents] (10 000 000 000 000 EUR): beyond it a cell is a typing error."""

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_CURRENCY = re.compile(r"(?i)€|\beur\b|\beuro\b")
_COMMA_DECIMAL = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+|\d+)?(?:,\d+)?$")
_DOT_DECIMAL = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")


def is_blank_cell(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    return isinstance(v, float) and v != v


def blank_mask(values: Sequence) -> np.ndarray:
    """``True`` where a cell is empty: ``None``, NaN, ``""`` or only blanks.

    >>> blank_mask(["", " ", None, float("nan"), "x", 0.0]).tolist()
    [True, True, True, True, False, False]
    """
    arr = np.asarray(values, dtype=object)
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    flags = np.array([is_blank_cell(v) for v in uniques] + [True], dtype=bool)
    return flags[codes]


_RUNS_OF_BLANKS = re.compile(r"\s{2,}|[^\S ]")


def _one_text(v: object) -> str | None:
    if type(v) is str:
        text = v.strip()
        if _RUNS_OF_BLANKS.search(text):
            text = " ".join(text.split())
        return text or None
    if is_blank_cell(v):
        return None
    if isinstance(v, bool):
        return "WAAR" if v else "ONWAAR"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return " ".join(str(v).split())


def cell_text(values: Sequence, index: pd.Index | None = None) -> pd.Series:
    """Cells as text the way finance reads them (codes, descriptions).

    An Excel number ``604000.0`` becomes ``"604000"``; runs of blanks become one space and the ends
    are stripped; empty cells become missing (``NaN``).

    Parameters
    ----------
    values : sequence
        Raw cells.
    index : pandas.Index, optional
        Index of the result (default: a range, or the index of a Series passed in).

    Returns
    -------
    pandas.Series
        Text dtype.

    Examples
    --------
    >>> cell_text([604000.0, " 700100 ", "", None, "Erelonen  notaris"]).tolist()
    ['604000', '700100', nan, nan, 'Erelonen notaris']
    """
    if index is None and isinstance(values, pd.Series):
        index = values.index
    if isinstance(values, pa.StringArray):
        return _arrow_text(values, index)
    arr = np.asarray(values, dtype=object)
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    texts = np.empty(len(uniques) + 1, dtype=object)
    clean = _clean_texts(uniques)
    texts[:-1][clean] = uniques[clean]
    texts[:-1][~clean] = [_one_text(v) for v in uniques[~clean]]
    return pd.Series(texts[codes], index=index, dtype="str")


def _arrow_text(values: pa.StringArray, index: pd.Index | None) -> pd.Series:
    """:func:`cell_text` of a column of texts held by Arrow: only the texts that need cleaning
    become Python objects (a ledger's descriptions and document numbers mostly need none)."""
    dirty = pc.invert(pc.fill_null(pc.match_substring_regex(values, _CLEAN_TEXT), False))
    if pc.any(dirty).as_py():
        cleaned = [_one_text(v) for v in values.filter(dirty).to_pylist()]
        values = pc.replace_with_mask(values, dirty, pa.array(cleaned, type=values.type))
    return pd.Series(values, index=index, dtype="str")


# Plain printable ASCII, single spaces between words, none at the ends: text that _one_text returns
# as it is. RE2's classes are ASCII, so this never calls a text clean that Python would change.
_CLEAN_TEXT = r"^[!-~](?:[!-~]| [!-~])*$"


def _clean_texts(uniques: np.ndarray) -> np.ndarray:
    """Per distinct cell: a text :func:`cell_text` keeps unchanged (checked in bulk, by Arrow).

    A ledger's descriptions and document numbers differ on nearly every line; checking them in one
    Arrow call instead of one Python call each is most of :func:`cell_text`'s time saved.
    """
    is_text = np.fromiter((type(v) is str for v in uniques), dtype=bool, count=len(uniques))
    clean = np.zeros(len(uniques), dtype=bool)
    if is_text.any():
        matched = pc.match_substring_regex(pa.array(uniques[is_text], type=pa.string()), _CLEAN_TEXT)
        clean[is_text] = matched.to_numpy(zero_copy_only=False)
    return clean


_NONE, _FLOAT, _INT, _STR, _OTHER = 0, 1, 2, 3, 4
_KINDS = {type(None): _NONE, float: _FLOAT, np.float64: _FLOAT, np.float32: _FLOAT,
          int: _INT, np.int64: _INT, np.int32: _INT, str: _STR}


def _clean_amount_text(text: str) -> tuple[str, bool] | None:
    """Strip currency, blanks and the sign from an amount text; ``None`` when it is no amount."""
    s = _CURRENCY.sub("", text)
    s = _SPACES.sub("", s).replace("\u2212", "-")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    if s.startswith(("-", "+")):
        negative, s = negative ^ (s[0] == "-"), s[1:]
    elif s.endswith(("-", "+")):
        negative, s = negative ^ (s[-1] == "-"), s[:-1]
    if not s or not any(ch.isdigit() for ch in s):
        return None
    return s, negative


def decimal_separator(texts: Sequence[str]) -> str:
    """The decimal separator a column of amount texts uses: ``","`` (Belgian) unless clearly ``"."``.

    A text shows a decimal point when it ends in ``.`` plus one or two digits (``1234.5``,
    ``1,234.56``) or has a comma before its point; it shows a decimal comma the other way round.
    Only when some texts show a point and none shows a comma is the column read with a point:
    ``1.234`` alone stays one thousand two hundred thirty-four, as in Belgium.

    >>> decimal_separator(["1.234,56", "12,5"]), decimal_separator(["1234.56", "7"])
    (',', '.')
    >>> decimal_separator(["1.234"])
    ','
    """
    dot = comma = False
    for text in texts:
        cleaned = _clean_amount_text(text)
        if cleaned is None:
            continue
        s = cleaned[0]
        dots, commas = s.count("."), s.count(",")
        if dots and commas:
            if s.rfind(".") > s.rfind(","):
                dot = True
            else:
                comma = True
        elif dots > 1:
            comma = True  # 1.234.567: dots group thousands
        elif commas > 1:
            dot = True  # 1,234,567
        elif dots == 1 and len(s) - s.rfind(".") - 1 in (1, 2):
            dot = True
        elif commas == 1 and len(s) - s.rfind(",") - 1 != 3:
            comma = True
        # a single separator before exactly three digits (1.234, 1,234) says nothing
    return "." if dot and not comma else ","


def _text_to_decimal(text: str, separator: str) -> Decimal | None:
    cleaned = _clean_amount_text(text)
    if cleaned is None:
        return None
    s, negative = cleaned
    pattern = _COMMA_DECIMAL if separator == "," else _DOT_DECIMAL
    if not pattern.match(s) or s in (",", "."):
        return None
    thousands = "." if separator == "," else ","
    s = s.replace(thousands, "").replace(separator, ".")
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    return -value if negative else value


def _decimal_to_cents(value: Decimal) -> int:
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def amounts_to_cents(values: Sequence, *, separator: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Amounts in euros (numbers or Belgian text) to exact integer cents, rounding half up.

    Parameters
    ----------
    values : sequence
        Raw cells: numbers, or text such as ``1.234,56``, ``-1.234,56``, ``1 234,56``,
        ``€ 1.234,56``, ``1.234,56-`` or ``(1.234,56)``; blanks may be spaces or non-breaking spaces.
    separator : {",", "."}, optional
        Decimal separator of the text cells; by default :func:`decimal_separator` decides from the
        texts of this column.

    Returns
    -------
    cents : numpy.ndarray of int64
        Amount [cents]; 0 where the status is not OK.
    status : numpy.ndarray of int8
        :data:`BLANK`, :data:`OK`, :data:`INVALID` or :data:`OUT_OF_RANGE` per cell.

    Notes
    -----
    A number cell is read through its shortest decimal representation (the value Excel shows), so
    ``2.675`` gives 268 cents, not the 267 of its binary neighbour. Numbers whose cents are not
    half-way are rounded in bulk; the few half-way ones go through :class:`decimal.Decimal`.

    Examples
    --------
    >>> cents, status = amounts_to_cents(["1.234,56", "-1.234,56", "1\\u00a0234,56", "€ 1.234,56", 2.675, "x", ""])
    >>> cents.tolist(), status.tolist()
    ([123456, -123456, 123456, 123456, 268, 0, 0], [1, 1, 1, 1, 1, 2, 0])
    """
    arr = np.asarray(values, dtype=object)
    n = len(arr)
    cents = np.zeros(n, dtype=np.int64)
    status = np.full(n, INVALID, dtype=np.int8)
    # the cells' types found in C, looked up once per distinct type
    type_codes, types = pd.factorize(np.fromiter(map(type, arr), dtype=object, count=n))
    kinds = np.array([_KINDS.get(t, _OTHER) for t in types] + [_OTHER], dtype=np.int8)[type_codes]
    is_float, is_int, is_str = kinds == _FLOAT, kinds == _INT, kinds == _STR
    status[kinds == _NONE] = BLANK

    if is_float.any():
        floats = arr[is_float].astype(np.float64)
        c_vals, c_status = _floats_to_cents(floats)
        cents[is_float], status[is_float] = c_vals, c_status
    if is_int.any():
        ints = [int(v) for v in arr[is_int]]
        big = [abs(v) * 100 >= MAX_ABS_CENTS for v in ints]
        cents[is_int] = [0 if b else v * 100 for v, b in zip(ints, big)]
        status[is_int] = [OUT_OF_RANGE if b else OK for b in big]
    if is_str.any():
        texts = arr[is_str]
        codes, uniques = pd.factorize(texts)
        if separator is None:
            separator = decimal_separator(list(uniques))
        u_cents = np.zeros(len(uniques), dtype=np.int64)
        u_status = np.full(len(uniques), INVALID, dtype=np.int8)
        for i, text in enumerate(uniques):
            if not text.strip():
                u_status[i] = BLANK
                continue
            value = _text_to_decimal(text, separator)
            if value is None:
                continue
            c = _decimal_to_cents(value)
            if abs(c) >= MAX_ABS_CENTS:
                u_status[i] = OUT_OF_RANGE
            else:
                u_cents[i], u_status[i] = c, OK
        cents[is_str], status[is_str] = u_cents[codes], u_status[codes]
    return cents, status


def _floats_to_cents(floats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    out = np.zeros(len(floats), dtype=np.int64)
    status = np.full(len(floats), OK, dtype=np.int8)
    nan = np.isnan(floats)
    status[nan] = BLANK
    inf = np.isinf(floats)
    status[inf] = INVALID
    finite = ~nan & ~inf
    scaled = floats * 100.0
    big = finite & (np.abs(scaled) >= MAX_ABS_CENTS)
    status[big] = OUT_OF_RANGE
    good = finite & ~big
    frac = np.abs(scaled - np.trunc(scaled))
    # half-way cents (x.xx5) and large values need exact decimal arithmetic
    exact = good & ((np.abs(frac - 0.5) < 1e-6) | (np.abs(scaled) >= 1e13))
    bulk = good & ~exact
    out[bulk] = np.rint(scaled[bulk]).astype(np.int64)
    idx = np.flatnonzero(exact)
    for i in idx:
        out[i] = _decimal_to_cents(Decimal(repr(float(floats[i]))))
    return out, status


_PLAIN_DOT_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$")


def parse_number(value: object, *, separator: str | None = ",", accounting: bool = True) -> float:
    """One cell as a number, not rounded: a number cell as it is, a text in Belgian style.

    The texts are read as :func:`amounts_to_cents` reads them (currency and blanks dropped, dots or
    blanks between thousands), but the value keeps all its decimals: percentages and rates too.

    Parameters
    ----------
    value : object
        A raw cell. Booleans, dates, empty cells and non-finite numbers are no number.
    separator : {",", "."} or None
        Decimal separator of a text. None decides per text: a plain decimal with a point and no
        other separator (``4.25``, ``1.234``) is read with a point, every other text with a comma
        (``1.234,56``, ``4,25``).
    accounting : bool
        Accept the accounting notations of exported ledgers for a negative amount: a trailing sign
        (``1.234,56-``) and parentheses (``(1.234,56)``). False refuses them: only a leading sign.

    Raises
    ------
    ValueError
        When the cell is no finite number (Dutch message).

    Examples
    --------
    >>> parse_number("1.234,56"), parse_number("€ 1 234,5"), parse_number(4.25), parse_number("(12,5)")
    (1234.56, 1234.5, 4.25, -12.5)
    >>> parse_number("1.234"), parse_number("1.234", separator=None), parse_number("4,25", separator=None)
    (1234.0, 1.234, 4.25)
    >>> parse_number("12,5-", accounting=False)
    Traceback (most recent call last):
    ValueError: '12,5-' is geen getal
    """
    if isinstance(value, bool) or is_blank_cell(value):
        raise ValueError(f"'{value}' is geen getal")
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
    elif isinstance(value, str):
        number = float(_text_number(value, separator, accounting))
    else:
        raise ValueError(f"'{value}' is geen getal")
    if not math.isfinite(number):
        raise ValueError(f"'{value}' is geen eindig getal")
    return number


def _text_number(text: str, separator: str | None, accounting: bool) -> Decimal:
    bare = _SPACES.sub("", _CURRENCY.sub("", text)).replace("\u2212", "-")
    if not accounting and (bare.startswith("(") or bare.endswith(("-", "+", ")"))):
        raise ValueError(f"'{text}' is geen getal")
    if separator is None:
        separator = "." if _PLAIN_DOT_DECIMAL.match(bare) else ","
    number = _text_to_decimal(text, separator)
    if number is None:
        raise ValueError(f"'{text}' is geen getal")
    return number
