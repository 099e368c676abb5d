"""What the board pack's workbook and PDF both say: Dutch words, colours and the order of the projects.

The verdict words and colours are the dashboard's (ui/style.py; a test keeps them equal). The
category words and colours are the engine's: :data:`igemo_fin.columns.CATEGORY_LABELS`.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from igemo_fin.exports.safe_export import as_text
from igemo_fin.valuation.rules import SEVERITY

__all__ = ["VERDICT_COLOURS", "VERDICT_SYMBOLS", "VERDICT_WORDS", "VERDICT_MEANING", "TYPE_WORDS", "finite",
           "active_sorted", "plain_text"]

#: Okabe-Ito colours per verdict, the same as the dashboard's (ui/style.py; a test keeps them equal).
VERDICT_COLOURS = {"DOORGAAN": "#009E73", "BIJSTUREN": "#E69F00", "STOPZETTEN": "#D55E00", "AFSTOTEN": "#7B3294"}
VERDICT_SYMBOLS = {"DOORGAAN": "✔", "BIJSTUREN": "▲", "STOPZETTEN": "■", "AFSTOTEN": "◆"}
VERDICT_WORDS = {"DOORGAAN": "Doorgaan", "BIJSTUREN": "Bijsturen", "STOPZETTEN": "Stopzetten",
                 "AFSTOTEN": "Afstoten"}
VERDICT_MEANING = {
    "DOORGAAN": "het project loopt zoals gepland verder",
    "BIJSTUREN": "het project gaat verder, maar moet worden aangepast",
    "STOPZETTEN": "niet verder investeren",
    "AFSTOTEN": "de grond verkopen zoals hij er nu bij ligt",
}
#: Colours per cash-flow category, the same as the dashboard's.
TYPE_WORDS = {"bedrijventerrein": "Bedrijventerrein", "wonen": "Wonen", "reconversie": "Reconversie",
              "gemengd": "Gemengd"}


def finite(value) -> float | None:
    """``value`` as a float, or None when it is missing, not a number or infinite.

    >>> finite("2.5"), finite(float("nan")), finite(None), finite("x")
    (2.5, None, None, None)
    """
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def active_sorted(figures: pd.DataFrame) -> pd.DataFrame:
    """Active projects, the most severe verdict first, then in workbook order."""
    active = figures[figures["status"] == "actief"].copy()
    active["_order"] = -active["verdict"].map(SEVERITY).fillna(0)
    active["_pos"] = np.arange(len(active))
    return active.sort_values(["_order", "_pos"]).drop(columns=["_order", "_pos"])


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def plain_text(value) -> str:
    """The text of ``value`` without control characters (which a PDF or a chart cannot draw).

    >>> plain_text("Oud\x07 & Nieuw")
    'Oud & Nieuw'
    """
    return _CONTROL.sub("", as_text(value))
