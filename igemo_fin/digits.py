"""Numbers written out with Belgian separators by numpy, as the UTF-8 bytes of an Arrow string array.

The engine writes some ten thousand numbers into its Dutch sentences per evaluation. Python's
``str.format`` makes a string object per number and the texts must then be swapped to Belgian
separators and copied into Arrow; here every number's digits come from integer division of the whole
array at once, straight into the bytes an Arrow string array is made of.

:func:`decimal_bytes` gives exactly what ``f"{v:,.{decimals}f}"`` gives with the separators swapped,
or None where it cannot be sure of that; the caller then formats those numbers the slow way.
"""

from __future__ import annotations

import numpy as np

__all__ = ["decimal_bytes"]

_POW10 = 10 ** np.arange(19, dtype=np.int64)
_DOT, _COMMA, _MINUS, _ZERO = ord("."), ord(","), ord("-"), ord("0")
#: Scaled values up to here carry a rounding error of the product below 1e-7, so a distance of more
#: than :data:`_TIE_BAND` from a half says on which side of the tie the exact decimal value lies.
_SCALED_LIMIT = 1e9
_TIE_BAND = 1e-6


def decimal_bytes(values: np.ndarray, decimals: int, prefix: str = "", suffix: str = "", missing: str = "–",
                  ) -> tuple[np.ndarray, np.ndarray] | None:
    """``prefix + number + suffix`` of every value, ``missing`` for NaN, as UTF-8 bytes and the
    offsets an Arrow string array takes; the number has ``.`` between thousands and ``,`` before
    ``decimals`` decimals, as :func:`igemo_fin.fmt.number` writes it (a value that rounds to zero
    has no sign).

    The rounding is ``str.format``'s: half to even on the value's exact binary fraction. Whole
    numbers are rounded by ``np.rint``, which does just that (exactly, below 2**53). With decimals
    the value is scaled first, a product that may be off by a hair: None when any product lies that
    close to a half, or is too large for the hair to stay small.

    >>> data, offsets = decimal_bytes(np.array([1234567.891, -0.25, np.nan, 7.0]), 2, "€ ")
    >>> [bytes(data[a:b]).decode() for a, b in zip(offsets[:-1], offsets[1:])]
    ['€ 1.234.567,89', '€ -0,25', '–', '€ 7,00']
    >>> decimal_bytes(np.array([0.125]), 2) is None  # exactly a half: str.format must decide
    True
    """
    absent = np.isnan(values)
    some_absent = bool(absent.any())
    clean = (np.where(absent, 0.0, values) if some_absent else values) + 0.0  # -0.0 + 0.0 prints unsigned
    if decimals == 0:
        if clean.size and not np.abs(clean).max() < 2.0 ** 53:
            return None
        scaled = np.rint(clean)
    else:
        with np.errstate(over="ignore", invalid="ignore"):  # too large: refused just below
            product = clean * float(_POW10[decimals])
        if clean.size and not np.abs(product).max() < _SCALED_LIMIT:
            return None
        if (np.abs(product - np.floor(product) - 0.5) <= _TIE_BAND).any():
            return None
        scaled = np.rint(product)
    negative = scaled < 0  # -0.0, a small negative rounded, is not
    magnitude = np.abs(scaled).astype(np.int64)
    whole = magnitude // _POW10[decimals]
    whole_digits = np.searchsorted(_POW10, whole, side="right")
    whole_digits[whole == 0] = 1
    body = whole_digits + (whole_digits - 1) // 3  # the digits and a dot before every group of three
    n = values.size
    groups = max(-(-int(whole_digits.max(initial=1)) // 3), 1)

    # Each row: the dash of a missing value, the prefix, a minus sign, the whole number right-aligned
    # as groups of a dot and three digits (most significant first), the comma and the decimals, the
    # suffix. ``kept`` keeps the dash of the missing values only, the sign of the negatives and the
    # number's own places; everything else is the same in every row. One matrix, filled in place.
    dash = np.frombuffer(missing.encode(), np.uint8) if some_absent else _NO_BYTES
    head = np.frombuffer(prefix.encode(), np.uint8)
    tail = np.frombuffer(suffix.encode(), np.uint8)
    number_width = 4 * groups
    fraction_width = decimals + 1 if decimals else 0
    width = dash.size + head.size + 1 + number_width + fraction_width + tail.size
    matrix = np.empty((n, width), np.uint8)
    kept = np.ones((n, width), bool)
    at = dash.size
    if dash.size:
        matrix[:, :at] = dash
        kept[:, :at] = absent[:, None]
    matrix[:, at:at + head.size] = head
    at += head.size
    matrix[:, at] = _MINUS
    kept[:, at] = negative
    at += 1
    in_groups = (whole[:, None] // _POW1000[groups - 1::-1]) % 1000
    matrix[:, at:at + number_width] = _GROUP_WORDS[in_groups].view(np.uint8)  # a group's four bytes as one word
    place = np.arange(number_width - 1, -1, -1, dtype=np.int8)  # distance from the number's end
    np.less(place, body.astype(np.int8)[:, None], out=kept[:, at:at + number_width])
    at += number_width
    if decimals:
        fraction = magnitude % _POW10[decimals]
        if decimals <= 3:  # the comma and up to three digits as one word of the table
            words = _FRACTION_WORDS[fraction * _POW10[3 - decimals]].view(np.uint8).reshape(n, 4)
            matrix[:, at:at + fraction_width] = words[:, :fraction_width]
        else:
            matrix[:, at] = _COMMA
            matrix[:, at + 1:at + fraction_width] = (fraction[:, None] // _POW10[decimals - 1::-1]) % 10 + _ZERO
        at += fraction_width
    matrix[:, at:] = tail
    lengths = head.size + negative + body + fraction_width + tail.size
    if some_absent:
        kept[absent, dash.size:] = False
        lengths = np.where(absent, dash.size, lengths)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return matrix[kept], offsets


def _group_bytes(separator: int) -> np.ndarray:
    """Row g: ``separator`` and the three digits of ``g`` (0 <= g < 1000)."""
    g = np.arange(1000)
    return np.stack([np.full(1000, separator), g // 100 + _ZERO, g // 10 % 10 + _ZERO, g % 10 + _ZERO], axis=1) \
        .astype(np.uint8)


_POW1000 = 1000 ** np.arange(7, dtype=np.int64)
_GROUP_WORDS = _group_bytes(_DOT).view(np.uint32).ravel()
_FRACTION_WORDS = _group_bytes(_COMMA).view(np.uint32).ravel()
_NO_BYTES = np.zeros(0, np.uint8)
