"""Colours, verdict badges and the Belgian number formatting of tables and charts."""

from __future__ import annotations

import pandas as pd

from igemo_fin.columns import CATEGORY_COLOURS as CATEGORY_COLOURS  # re-exported for the charts
from igemo_fin.columns import CATEGORY_LABELS
from igemo_fin.fmt import eur, pct

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies; every verdict also
# carries a symbol and its word, so colour is never the only cue.
VERDICT_COLOURS = {
    "DOORGAAN": "#009E73",
    "BIJSTUREN": "#E69F00",
    "STOPZETTEN": "#D55E00",
    "AFSTOTEN": "#7B3294",
}
VERDICT_SYMBOLS = {"DOORGAAN": "✔", "BIJSTUREN": "▲", "STOPZETTEN": "■", "AFSTOTEN": "◆"}
PLOTLY_SYMBOLS = {"DOORGAAN": "circle", "BIJSTUREN": "triangle-up", "STOPZETTEN": "square", "AFSTOTEN": "diamond"}
VERDICT_WORDS = {
    "DOORGAAN": "Doorgaan",
    "BIJSTUREN": "Bijsturen",
    "STOPZETTEN": "Stopzetten",
    "AFSTOTEN": "Afstoten",
}
VERDICT_MEANING = {
    "DOORGAAN": "het project loopt zoals gepland verder",
    "BIJSTUREN": "het project gaat verder, maar moet worden aangepast",
    "STOPZETTEN": "niet verder investeren",
    "AFSTOTEN": "de grond verkopen zoals hij er nu bij ligt",
}
STATUS_WORDS = {"actief": "Actief", "afgerond": "Afgerond", "stopgezet": "Stopgezet"}
TYPE_WORDS = {"bedrijventerrein": "Bedrijventerrein", "wonen": "Wonen", "reconversie": "Reconversie",
              "gemengd": "Gemengd"}
#: The engine's Dutch words of the cash-flow categories, under the name the dashboard uses.
CATEGORY_WORDS = CATEGORY_LABELS

#: Plotly layout shared by every chart: Belgian separators, readable on a projector.
PLOTLY_LAYOUT = dict(separators=",.", font=dict(size=14), margin=dict(l=10, r=10, t=60, b=10),
                     legend=dict(orientation="h", yanchor="top", y=-0.2, x=0), hoverlabel=dict(font_size=14))


def verdict_label(verdict: str | None) -> str:
    """``'▲ Bijsturen'``; finished and stopped projects have none."""
    if verdict is None or (isinstance(verdict, float) and pd.isna(verdict)):
        return "–"
    return f"{VERDICT_SYMBOLS[verdict]} {VERDICT_WORDS[verdict]}"


def colour_verdict_cell(value: str) -> str:
    for verdict, word in VERDICT_WORDS.items():
        if isinstance(value, str) and value.endswith(word):
            return f"background-color: {VERDICT_COLOURS[verdict]}; color: white; font-weight: 600"
    return ""


def money_format(columns, decimals: int = 0) -> dict:
    return {c: (lambda v, d=decimals: eur(v, d)) for c in columns}


def pct_format(columns, decimals: int = 1) -> dict:
    return {c: (lambda v, d=decimals: pct(v, d)) for c in columns}


def fraction_format(columns, decimals: int = 1) -> dict:
    """Fractions (0.15) shown as percentages (``15,0 %``)."""
    return {c: (lambda v, d=decimals: pct(None if v is None else 100 * v, d)) for c in columns}


def styled(frame: pd.DataFrame, *, money=(), percent=(), fraction=(), verdict_column: str | None = None,
           decimals: int = 0):
    """A pandas Styler that shows Belgian numbers while the table still sorts on the numbers.

    ``percent`` columns hold percentages (15.0), ``fraction`` columns fractions (0.15); both show ``15,0 %``.
    """
    formats = money_format(money, decimals) | pct_format(percent) | fraction_format(fraction)
    styler = frame.style.format(formats, na_rep="–")
    if verdict_column:
        styler = styler.map(colour_verdict_cell, subset=[verdict_column])
    return styler


#: Icons before each rule's sentence: shape and colour differ, so neither alone carries the meaning.
RULE_ICONS = {
    "ok": ":green[:material/check_circle:]",
    "BIJSTUREN": ":orange[:material/warning:]",
    "STOPZETTEN": ":red[:material/cancel:]",
    "AFSTOTEN": ":violet[:material/sell:]",
    "niet": ":gray[:material/help:]",
}


def rule_icon(rule) -> str:
    if not rule.evaluated:
        return RULE_ICONS["niet"]
    return RULE_ICONS[rule.level] if rule.fired else RULE_ICONS["ok"]
