"""The board-set thresholds of the decision framework and the workbook's settings.

Both are frozen dataclasses with the defaults of DOMAIN.md; :func:`thresholds_from_rows` and
:func:`settings_from_rows` build them from the ``drempels`` and ``instellingen`` sheets.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, fields, replace

from igemo_fin.fmt import eur, number, pct

__all__ = [
    "Thresholds",
    "Settings",
    "THRESHOLD_INFO",
    "ThresholdInfo",
    "KNOWN_SETTINGS",
    "threshold_text",
    "changes_text",
    "MAX_SIMULATIONS",
    "PORTFOLIO_THRESHOLDS",
]


@dataclass(frozen=True)
class Thresholds:
    """Limits of the decision framework (sheet ``drempels``); see DOMAIN.md.

    ``disconteringsvoet_pct`` is ``None`` when the workbook leaves it to its default, the cash-credit
    rate of the valuation year, which only the evaluation knows.
    """

    disconteringsvoet_pct: float | None = None  #: discount rate for every NPV [%]
    bijsturen_npv_onder: float = 0.0  #: npv_forward below this -> BIJSTUREN [EUR]
    stop_npv_onder: float = -500_000.0  #: npv_forward below this -> STOPZETTEN [EUR]
    min_irr_pct: float = 3.0  #: full-life IRR below this (or none) -> BIJSTUREN [%]
    max_rente_op_marge_pct: float = 50.0  #: future interest / future net inflow above this -> BIJSTUREN [%]
    max_jaren_zonder_bestemming: float = 5.0  #: years without secured zoning above this -> BIJSTUREN [year]
    stop_jaren_zonder_bestemming: float = 10.0  #: same, above this -> STOPZETTEN [year]
    afstoten_voordeel_min: float = 100_000.0  #: market value minus npv_forward above this -> AFSTOTEN [EUR]
    max_kans_verlies_pct: float = 30.0  #: probability of a negative npv_forward above this -> BIJSTUREN [%]
    stop_kans_verlies_pct: float = 70.0  #: probability of npv_forward below stop_npv_onder above this -> STOPZETTEN [%]
    min_eigen_vermogen: float = 0.0  #: floor under the equity in every year of the multi-year outlook [EUR]
    max_kredietgebruik_pct: float = 100.0  #: most of the credit limit the drawn credit may use in any year [%]

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def with_values(self, **changes: float | None) -> "Thresholds":
        """A copy with some thresholds changed (the what-if of the board)."""
        return replace(self, **changes)

    def as_dict(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in self.names()}


@dataclass(frozen=True)
class ThresholdInfo:
    """What a threshold means, for the board: Dutch label, unit and why it matters."""

    label: str
    unit: str  #: "EUR", "%" or "jaar"
    meaning: str
    why: str


THRESHOLD_INFO: dict[str, ThresholdInfo] = {
    "disconteringsvoet_pct": ThresholdInfo(
        "Disconteringsvoet", "%",
        "De rentevoet waarmee toekomstige kasstromen naar vandaag worden omgerekend (contante waarde).",
        "Standaard de rente van het kaskrediet in het waarderingsjaar: geld dat later binnenkomt, kost "
        "tot dan rente.",
    ),
    "bijsturen_npv_onder": ThresholdInfo(
        "Bijsturen als de toekomstige contante waarde lager is dan", "EUR",
        "Wat het project vanaf vandaag nog oplevert, omgerekend naar vandaag (reeds gemaakte kosten tellen "
        "niet mee).",
        "Een project dat vanaf nu geld kost, moet worden herbekeken: prijzen, fasering of kosten.",
    ),
    "stop_npv_onder": ThresholdInfo(
        "Stopzetten als de toekomstige contante waarde lager is dan", "EUR",
        "Dezelfde contante waarde, met een strengere grens.",
        "Verder investeren in een project dat zoveel verlies maakt, vergroot het verlies: stoppen beperkt het.",
    ),
    "min_irr_pct": ThresholdInfo(
        "Minimaal intern rendement over de hele looptijd", "%",
        "Het rendement per jaar over het hele project, van de eerste kost tot de laatste verkoop.",
        "Een project moet minstens zijn financieringskost en risico terugverdienen.",
    ),
    "max_rente_op_marge_pct": ThresholdInfo(
        "Maximale rente als deel van de toekomstige netto-opbrengst", "%",
        "Hoeveel van wat het project nog netto oplevert, opgaat aan rente op het kaskrediet.",
        "Als de rente het grootste deel van de marge opeet, is het project kwetsbaar voor elke rentestijging.",
    ),
    "max_jaren_zonder_bestemming": ThresholdInfo(
        "Bijsturen na zoveel jaren zonder zekere bestemming", "jaar",
        "Het aantal jaren sinds de start van het project terwijl de bestemming juridisch nog niet zeker is.",
        "Grond zonder zekere bestemming kan niet verkocht worden en kost ondertussen rente.",
    ),
    "stop_jaren_zonder_bestemming": ThresholdInfo(
        "Stopzetten na zoveel jaren zonder zekere bestemming", "jaar",
        "Hetzelfde aantal jaren, met een strengere grens.",
        "Na zo lang is de kans klein dat het project nog zoals gepland doorgaat.",
    ),
    "afstoten_voordeel_min": ThresholdInfo(
        "Afstoten als verkopen in de huidige staat minstens zoveel meer oplevert", "EUR",
        "Het verschil tussen de marktwaarde van de grond vandaag en de contante waarde van verder ontwikkelen.",
        "Als verkopen zoals het is duidelijk meer oplevert dan doorgaan, is afstoten de betere keuze.",
    ),
    "max_kans_verlies_pct": ThresholdInfo(
        "Bijsturen als de kans op verlies groter is dan", "%",
        "De kans dat wat nog komt netto geld kost, volgens de risicosimulatie (Monte Carlo).",
        "Een project met een grote kans op verlies vraagt maatregelen, ook als het verwachte resultaat positief is.",
    ),
    "stop_kans_verlies_pct": ThresholdInfo(
        "Stopzetten als de kans op een verlies voorbij de stopdrempel groter is dan", "%",
        "De kans dat wat nog komt meer verlies maakt dan de stopdrempel van de contante waarde, volgens "
        "dezelfde risicosimulatie.",
        "Als het verlies waarbij het bestuur stopt waarschijnlijk wordt, is verder investeren niet te "
        "verantwoorden. Een project met een klein maar zeker verlies wordt zo bijgestuurd, niet gestopt.",
    ),
    "min_eigen_vermogen": ThresholdInfo(
        "Minimaal eigen vermogen in elk jaar van het meerjarenperspectief", "EUR",
        "Het eigen vermogen aan het einde van elk jaar: het vermogen van vandaag plus de erkende resultaten, "
        "min waardeverminderingen en voorzieningen, plus het resultaat buiten de projecten.",
        "Met te weinig eigen vermogen kan IGEMO een tegenvaller niet meer opvangen en daalt zijn "
        "kredietwaardigheid.",
    ),
    "max_kredietgebruik_pct": ThresholdInfo(
        "Maximaal gebruik van de kredietlimiet in elk jaar", "%",
        "Het opgenomen kaskrediet aan het einde van het jaar als deel van de kredietlimiet van dat jaar.",
        "Wie tegen zijn limiet aanzit, kan een vertraagde verkoop of een extra kost niet meer financieren.",
    ),
}

#: Thresholds of the portfolio as a whole (the multi-year outlook), not of a project: no rule of the
#: decision framework tests them, so they never enter a project's verdict.
PORTFOLIO_THRESHOLDS = ("min_eigen_vermogen", "max_kredietgebruik_pct")


def threshold_text(name: str, value: float | None) -> str:
    """A threshold's value in its unit; the discount rate's default in words.

    >>> threshold_text("stop_npv_onder", -500000), threshold_text("min_irr_pct", 3)
    ('€ -500.000', '3,00 %')
    >>> threshold_text("max_jaren_zonder_bestemming", 5), threshold_text("disconteringsvoet_pct", None)
    ('5 jaar', 'rente van het kaskrediet')
    """
    if value is None:
        return "rente van het kaskrediet" if name == "disconteringsvoet_pct" else "–"
    unit = THRESHOLD_INFO[name].unit
    return eur(value) if unit == "EUR" else pct(value) if unit == "%" else f"{number(value, 1 if value % 1 else 0)} jaar"


def changes_text(old: dict, new: dict) -> str:
    """What a threshold version changed, in words, or that nothing changed.

    >>> changes_text({"min_irr_pct": 3.0}, {"min_irr_pct": 4.0})
    'Minimaal intern rendement over de hele looptijd: 3,00 % → 4,00 %'
    """
    parts = [f"{THRESHOLD_INFO[k].label}: {threshold_text(k, old.get(k))} → {threshold_text(k, v)}"
             for k, v in new.items() if k in THRESHOLD_INFO and old.get(k) != v]
    return "; ".join(parts) or "geen waarde gewijzigd"


#: The most Monte Carlo iterations a workbook may ask for (``simulaties``): beyond it a page would wait
#: minutes for chances that no longer change in the first decimal.
MAX_SIMULATIONS = 200_000

#: Settings of the sheet ``instellingen`` the engine knows; other keys are kept and ignored.
KNOWN_SETTINGS = ("eigen_vermogen", "waarderingsjaar", "simulaties", "simulatie_seed", "simulatie_referentieklasse")


@dataclass(frozen=True)
class Settings:
    """Key/value settings (sheet ``instellingen``)."""

    eigen_vermogen: float | None = None  #: equity available to absorb losses [EUR]
    waarderingsjaar: int | None = None  #: valuation year; None means the current year
    simulaties: int | None = None  #: Monte Carlo iterations; 0 turns the simulation off; None: 10,000
    simulatie_seed: int | None = None  #: seed of the Monte Carlo; None: the fixed default
    simulatie_referentieklasse: bool | None = None  #: add the reference class's uncertainty; None: no
    extra: dict = field(default_factory=dict)  #: unknown keys, kept for extensions

    def valuation_year(self) -> int:
        return self.waarderingsjaar if self.waarderingsjaar is not None else _dt.date.today().year
