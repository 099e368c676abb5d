"""Dates as finance's files hold them: real Excel dates, Excel serial numbers, ``yyyymmdd`` numbers
and text ``dd/mm/yyyy`` (or ``-`` / ``.``) or ``yyyy-mm-dd``, vectorised over a column like
:mod:`igemo_fin.inputs.cells` (status per cell, distinct values parsed once)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Sequence

import numpy as np
import pandas as pd

from igemo_fin.inputs.cells import BLANK, INVALID, OK, OUT_OF_RANGE, YEAR_MAX, YEAR_MIN, is_blank_cell

__all__ = ["parse_dates"]

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MAX_SERIAL = 2_958_465  # 31/12/9999
_DMY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?$")
_YMD = re.compile(r"^(\d{4})([/-])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL_TEXT = re.compile(r"^\d{1,7}(?:[.,]\d+)?$")


def _serial_to_date(serial: float) -> dt.date | None:
    if not 1 <= serial <= _MAX_SERIAL:
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def _compact_to_date(number: int) -> dt.date | None:
    m = _COMPACT.match(str(number))
    if not m:
        return None
    return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _one_date(v: object) -> tuple[dt.date | None, int]:
    if is_blank_cell(v):
        return None, BLANK
    if isinstance(v, dt.datetime):
        day = v.date()
    elif isinstance(v, dt.date):
        day = v
    elif isinstance(v, bool):
        return None, INVALID
    elif isinstance(v, (int, float, np.integer, np.floating)):
        number = float(v)
        day = _compact_to_date(int(number)) if number.is_integer() and number >= 10**7 else _serial_to_date(number)
    elif isinstance(v, str):
        day = _text_to_date(v.strip())
    else:
        return None, INVALID
    if day is None:
        return None, INVALID
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        return day, OUT_OF_RANGE
    return day, OK


def _text_to_date(text: str) -> dt.date | None:
    m = _DMY.match(text)
    if m:
        return _make_date(int(m.group(4)), int(m.group(3)), int(m.group(1)))
    m = _YMD.match(text)
    if m:
        return _make_date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    m = _COMPACT.match(text)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if _SERIAL_TEXT.match(text):
        return _serial_to_date(float(text.replace(",", ".")))
    return None


def parse_dates(values: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """Dates from real Excel dates, Excel serials or text.

    Parameters
    ----------
    values : sequence
        Raw cells: ``datetime.date``/``datetime`` (the time is dropped), Excel serial numbers
        (1900 system: 45292 is 01/01/2024), ``yyyymmdd`` numbers, or text ``dd/mm/yyyy``,
        ``dd-mm-yyyy``, ``dd.mm.yyyy``, ``yyyy-mm-dd`` (an optional time after it is ignored).

    Returns
    -------
    dates : numpy.ndarray of datetime64[D]
        ``NaT`` where the status is not OK.
    status : numpy.ndarray of int8
        :data:`BLANK`, :data:`OK`, :data:`INVALID` (unreadable or impossible, e.g. 31/02/2024) or
        :data:`OUT_OF_RANGE` (year outside :data:`YEAR_MIN`-:data:`YEAR_MAX`).

    Examples
    --------
    >>> dates, status = parse_dates(["31/12/2024", "01-02-2024", "2024-03-04", 45292.0, "31/02/2024", ""])
    >>> [str(d) for d in dates], status.tolist()
    (['2024-12-31', '2024-02-01', '2024-03-04', '2024-01-01', 'NaT', 'NaT'], [1, 1, 1, 1, 2, 0])
    """
    arr = np.asarray(values, dtype=object)
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    u_dates = np.full(len(uniques) + 1, np.datetime64("NaT"), dtype="datetime64[D]")
    u_status = np.full(len(uniques) + 1, BLANK, dtype=np.int8)
    for i, v in enumerate(uniques):
        day, state = _one_date(v)
        u_status[i] = state
        if state == OK:
            u_dates[i] = np.datetime64(day, "D")
    return u_dates[codes], u_status[codes]
