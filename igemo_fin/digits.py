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

    # Each row: the prefix, a minus sign, the whole number right-aligned as groups of a dot and three
    # digits (most significant first), the comma and the decimals, the suffix. The mask keeps the
    # sign of the negatives and the number's own places; everything else is the same in every row.
    head = np.frombuffer(prefix.encode(), np.uint8)
    tail = np.frombuffer(suffix.encode(), np.uint8)
    in_groups = (whole[:, None] // _POW1000[groups - 1::-1]) % 1000
    number = _GROUP_WORDS[in_groups].view(np.uint8)  # four bytes a group, taken as one word
    place = np.arange(4 * groups - 1, -1, -1, dtype=np.int64)  # distance from the number's end
    blocks = [np.broadcast_to(head, (n, head.size)), np.full((n, 1), _MINUS, np.uint8), number]
    kept = [np.ones((n, head.size), bool), negative[:, None], place[None, :] < body[:, None]]
    if decimals:
        fraction = magnitude % _POW10[decimals]
        blocks += [np.full((n, 1), _COMMA, np.uint8),
                   ((fraction[:, None] // _POW10[decimals - 1::-1]) % 10 + _ZERO).astype(np.uint8)]
        kept.append(np.ones((n, decimals + 1), bool))
    blocks.append(np.broadcast_to(tail, (n, tail.size)))
    kept.append(np.ones((n, tail.size), bool))
    lengths = head.size + negative + body + (decimals + 1 if decimals else 0) + tail.size
    if some_absent:  # those rows keep the first block alone
        dash = np.frombuffer(missing.encode(), np.uint8)
        blocks.insert(0, np.broadcast_to(dash, (n, dash.size)))
        kept.insert(0, np.broadcast_to(absent[:, None], (n, dash.size)))
        lengths = np.where(absent, dash.size, lengths)
    kept_bytes = np.concatenate(kept, axis=1)
    if some_absent:
        kept_bytes[absent, len(missing.encode()):] = False
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return np.concatenate(blocks, axis=1)[kept_bytes], offsets


def _group_bytes() -> np.ndarray:
    """Row g: a dot and the three digits of ``g`` (0 <= g < 1000)."""
    g = np.arange(1000)
    return np.stack([np.full(1000, _DOT), g // 100 + _ZERO, g // 10 % 10 + _ZERO, g % 10 + _ZERO], axis=1) \
        .astype(np.uint8)


_POW1000 = 1000 ** np.arange(7, dtype=np.int64)
_GROUP_WORDS = _group_bytes().view(np.uint32).ravel()
