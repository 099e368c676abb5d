"""Column names of the engine's frames, and the one helper that checks them at the door.

Workbook sheets keep the Dutch column names of WORKBOOK.md (finance's language); the frames the
engine computes use English names from the glossary in DOMAIN.md.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = [
    "PROJECT_COLUMNS",
    "CASHFLOW_COLUMNS",
    "CREDIT_COLUMNS",
    "RISK_COLUMNS",
    "ACCOUNT_COLUMNS",
    "ACTUALS_COLUMNS",
    "COST_CATEGORIES",
    "REVENUE_CATEGORIES",
    "CATEGORIES",
    "CATEGORY_LABELS",
    "CATEGORY_COLOURS",
    "VERSIONS",
    "PROJECT_TYPES",
    "PROJECT_STATUSES",
    "RISK_KINDS",
    "require_columns",
]

#: Sheet ``projecten`` after reading: one row per project.
PROJECT_COLUMNS = (
    "project_code",
    "naam",
    "gemeente",
    "type",
    "status",
    "startjaar",
    "eindjaar",
    "oppervlakte_m2",
    "bestemming_zeker",
    "marktwaarde_huidige_staat",
    "risicodeling_gemeente_pct",
    "risicodeling_plafond",
    "winstdeling_gemeente_pct",
    "winstdeling_drempel",
)

#: Sheet ``kasstromen`` after reading; ``bedrag`` is signed there: inflow +, outflow -.
CASHFLOW_COLUMNS = ("project_code", "versie", "jaar", "categorie", "bedrag")

#: Sheet ``kaskrediet`` after reading; ``rente_werkelijk`` is NaN where not given.
CREDIT_COLUMNS = ("jaar", "rentevoet_pct", "kredietlimiet", "rente_werkelijk")

#: Sheet ``risicos`` after reading.
RISK_COLUMNS = ("project_code", "risico", "soort", "kans_pct", "min", "waarschijnlijk", "max")

#: Sheet ``rekeningen`` after reading.
ACCOUNT_COLUMNS = ("rekening_prefix", "categorie")

#: Ledger actuals as the engine takes them: signed euros per project, year and category.
ACTUALS_COLUMNS = ("project_code", "jaar", "categorie", "bedrag")

COST_CATEGORIES = ("verwerving", "studies", "infrastructuur", "overige_kosten")
REVENUE_CATEGORIES = ("verkoop", "subsidies", "overige_opbrengsten")
CATEGORIES = COST_CATEGORIES + REVENUE_CATEGORIES
#: Dutch word of each category, for every table, chart and export.
CATEGORY_LABELS = {
    "verwerving": "Verwerving", "studies": "Studies", "infrastructuur": "Infrastructuur",
    "overige_kosten": "Overige kosten", "verkoop": "Verkoop", "subsidies": "Subsidies",
    "overige_opbrengsten": "Overige opbrengsten",
}
#: Colour of each category: browns for costs, greens for revenues (dashboard charts and the board pack alike).
CATEGORY_COLOURS = {
    "verwerving": "#8c510a", "studies": "#bf812d", "infrastructuur": "#dfc27d", "overige_kosten": "#a6a6a6",
    "verkoop": "#01665e", "subsidies": "#35978f", "overige_opbrengsten": "#80cdc1",
}
VERSIONS = ("begroting", "prognose")
PROJECT_TYPES = ("bedrijventerrein", "wonen", "reconversie", "gemengd")
PROJECT_STATUSES = ("actief", "afgerond", "stopgezet")
RISK_KINDS = ("kosten_pct", "prijs_pct", "vertraging_jaren", "eenmalig_eur")


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, name: str = "frame") -> None:
    """Raise ``ValueError`` naming every column of ``columns`` that ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} mist de kolom(men): {', '.join(missing)}")
