"""Belgian (nl-BE) formatting of money, percentages, numbers and dates.

Pure functions, used by the engine's Dutch sentences, the CLI and the dashboard alike.
"""

from __future__ import annotations

import datetime as _dt
import math
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from igemo_fin.digits import decimal_bytes

__all__ = ["eur", "pct", "number", "date_nl", "years", "change", "BRUSSELS", "local_time",
           "number_texts", "eur_texts", "pct_texts", "year_texts"]

BRUSSELS = ZoneInfo("Europe/Brussels")
"""The time zone every moment is shown in; the store keeps moments in UTC."""


def number(value: float | None, decimals: int = 0) -> str:
    """``1234567.891 -> '1.234.567,89'`` (thousands with a dot, decimals with a comma).

    >>> number(1234567.891, 2), number(-0.4), number(None)
    ('1.234.567,89', '0', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def eur(value: float | None, decimals: int = 0) -> str:
    """``-175196.4 -> '€ -175.196'``; ``decimals=2`` gives ``'€ 1.234.567,89'``.

    >>> eur(-175196.4), eur(1234567.891, 2)
    ('€ -175.196', '€ 1.234.567,89')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"€ {number(value, decimals)}"


def pct(value: float | None, decimals: int = 2) -> str:
    """``4.25 -> '4,25 %'`` (the value is already in percent).

    >>> pct(4.25), pct(30, 0)
    ('4,25 %', '30 %')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{number(value, decimals)} %"


def years(value: float | None) -> str:
    """``1 -> '1 jaar'``, ``7 -> '7 jaar'``, ``2.5 -> '2,5 jaar'`` (Dutch keeps 'jaar' after numbers)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    decimals = 0 if float(value).is_integer() else 1
    return f"{number(value, decimals)} jaar"


# --------------------------------------------------------------------------- whole arrays at once
# The engine writes a sentence per project and rule; formatting number by number costs more than all
# the arithmetic behind them. These give exactly what the scalar functions above give, element by element.

_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})


def number_texts(values, decimals: int = 0, *, arrow: bool = False) -> np.ndarray | pa.Array:
    """:func:`number` of every element, as an object array (an Arrow string array with ``arrow``,
    the strings a DataFrame's ``str`` column holds, made without a Python string per number).

    >>> number_texts([1234567.891, -0.4, float("nan")]).tolist()
    ['1.234.568', '0', '–']
    >>> number_texts([1234567.891, float("nan")], arrow=True).to_pylist()
    ['1.234.568', '–']
    """
    return _texts(values, decimals, arrow=arrow)


def eur_texts(values, decimals: int = 0, *, arrow: bool = False) -> np.ndarray | pa.Array:
    """:func:`eur` of every element, as an object array (an Arrow string array with ``arrow``).

    >>> eur_texts([-175196.4, float("nan")]).tolist()
    ['€ -175.196', '–']
    """
    return _texts(values, decimals, "€ ", arrow=arrow)


def pct_texts(values, decimals: int = 2, *, arrow: bool = False) -> np.ndarray | pa.Array:
    """:func:`pct` of every element, as an object array (an Arrow string array with ``arrow``)."""
    return _texts(values, decimals, suffix=" %", arrow=arrow)


def year_texts(values, *, arrow: bool = False) -> np.ndarray | pa.Array:
    """:func:`years` of every element, as an object array (an Arrow string array with ``arrow``).

    >>> year_texts([7, 2.5, float("nan")]).tolist()
    ['7 jaar', '2,5 jaar', '–']
    >>> year_texts([7, 2.5], arrow=True).to_pylist()
    ['7 jaar', '2,5 jaar']
    """
    arr = np.asarray(values, dtype=float).ravel()
    texts = _texts(arr, 0, suffix=" jaar", arrow=arrow)
    fraction = ~np.isnan(arr) & (arr != np.floor(arr))
    if not fraction.any():
        return texts
    if arrow:
        return pc.if_else(pa.array(fraction), _texts(arr, 1, suffix=" jaar", arrow=True), texts)
    texts[fraction] = _texts(arr[fraction], 1, suffix=" jaar")
    return texts


_ARROW_TEXT = pa.large_string()  # what pandas' str dtype holds


def _texts(values, decimals: int, prefix: str = "", suffix: str = "", *, arrow: bool = False):
    """``prefix + number(v, decimals) + suffix`` of every element, a dash for NaN.

    The digits are written by numpy (:func:`igemo_fin.digits.decimal_bytes`) into an Arrow array;
    where that cannot be sure to round as ``str.format`` does, one ``str.format`` and one
    ``translate`` over all the numbers instead (``suffix`` must then hold no ``.`` or ``,``: they are
    swapped).
    """
    arr = np.asarray(values, dtype=float).ravel()
    shown = ~np.isnan(arr)  # NaN prints as a dash: nothing to format
    if not shown.any():  # a figure nobody has (the chances without a simulation)
        return pa.repeat(_DASH, arr.size) if arrow else np.full(arr.size, "–", dtype=object)
    written = decimal_bytes(arr, decimals, prefix, suffix, "–")
    if written is not None:
        data, offsets = written
        texts = pa.LargeStringArray.from_buffers(arr.size, pa.py_buffer(offsets), pa.py_buffer(data))
        return texts if arrow else texts.to_numpy(zero_copy_only=False)
    # The rare array numpy cannot be sure of: one str.format over its numbers, and the scalar path
    # for small negative values that may print as "-0" (it strips the sign).
    shown = np.flatnonzero(shown)
    rare = np.flatnonzero((arr < 0) & (arr > -(10.0 ** -decimals)))
    out = np.full(arr.size, "–", dtype=object)
    texts = np.array(_joined(arr[shown], decimals, suffix).split("\x00")[:-1], dtype=object)
    out[shown] = prefix + texts if prefix else texts
    for i in rare:
        out[i] = f"{prefix}{number(float(arr[i]), decimals)}{suffix}"
    return pa.array(out, type=_ARROW_TEXT) if arrow else out


def _joined(values: np.ndarray, decimals: int, suffix: str) -> str:
    """The numbers formatted with Belgian separators, each followed by ``suffix`` and a NUL."""
    clean = values + 0.0  # -0.0 + 0.0 is 0.0, which prints without a sign
    largest = np.abs(clean).max(initial=0.0)
    # Below 999.5 no number rounds to four digits before the decimal point: nothing to group, and
    # grouping costs a third of the format (percentages and years are such numbers).
    grouping = "," if largest >= 999.5 else ""
    return (f"{{:{grouping}.{decimals}f}}{suffix}\x00" * clean.size).format(*clean.tolist()) \
        .translate(_SWAP_SEPARATORS)


_DASH = pa.scalar("–", _ARROW_TEXT)


def date_nl(value: _dt.date | _dt.datetime | None) -> str:
    """``date(2025, 12, 31) -> '31/12/2025'``."""
    if value is None:
        return "–"
    return value.strftime("%d/%m/%Y")


def change(delta: float) -> str:
    """A change in euros as Dutch words: the direction as a verb, the amount without a sign.

    >>> change(-2_193_139.4), change(1500), change(0.2)
    ('daalde met € 2.193.139', 'steeg met € 1.500', 'bleef gelijk')
    """
    if round(delta) == 0:
        return "bleef gelijk"
    return f"{'steeg' if delta > 0 else 'daalde'} met {eur(abs(delta))}"


def local_time(moment: str | _dt.datetime | None, *, joiner: str = " ") -> str:
    """A stored UTC moment (ISO 8601 text or datetime) as Brussels time ``dd/mm/yyyy hh:mm``.

    A moment without a time zone is taken as UTC, as the store writes them; ``joiner`` stands
    between the date and the time (``" om "`` in a sentence). Winter and summer time follow the
    Belgian calendar: on 29/03/2026 the clocks go from 02:00 to 03:00.

    >>> local_time("2026-03-28T23:30:00+00:00"), local_time("2026-03-29T01:30:00+00:00")
    ('29/03/2026 00:30', '29/03/2026 03:30')
    >>> local_time(_dt.datetime(2026, 7, 1, 8, 0), joiner=" om "), local_time(None)
    ('01/07/2026 om 10:00', '–')
    """
    if moment is None or moment != moment:  # None, NaN or NaT
        return "–"
    if not isinstance(moment, _dt.datetime):
        moment = _dt.datetime.fromisoformat(str(moment))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    return moment.astimezone(BRUSSELS).strftime(f"%d/%m/%Y{joiner}%H:%M")
