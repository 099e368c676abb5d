"""Belgian (nl-BE) formatting of money, percentages, numbers and dates.

Pure functions, used by the engine's Dutch sentences, the CLI and the dashboard alike.
"""

from __future__ import annotations

import datetime as _dt
import math
from zoneinfo import ZoneInfo

__all__ = ["eur", "pct", "number", "date_nl", "years", "local_time", "change"]

_LOCAL = ZoneInfo("Europe/Brussels")


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


def date_nl(value: _dt.date | _dt.datetime | None) -> str:
    """``date(2025, 12, 31) -> '31/12/2025'``."""
    if value is None:
        return "–"
    return value.strftime("%d/%m/%Y")


def local_time(iso: str) -> str:
    """A stored UTC moment in Brussels time: ``'2026-03-02T09:15:00+00:00' -> '02/03/2026 10:15'``.

    >>> local_time("2026-07-01T22:30:00+00:00")
    '02/07/2026 00:30'
    """
    return _dt.datetime.fromisoformat(iso).astimezone(_LOCAL).strftime("%d/%m/%Y %H:%M")


def change(delta: float) -> str:
    """A change in euros as Dutch words: the direction as a verb, the amount without a sign.

    >>> change(-2_193_139.4), change(1500), change(0.2)
    ('daalde met € 2.193.139', 'steeg met € 1.500', 'bleef gelijk')
    """
    if round(delta) == 0:
        return "bleef gelijk"
    return f"{'steeg' if delta > 0 else 'daalde'} met {eur(abs(delta))}"
