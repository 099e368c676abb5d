"""The portfolio as the engine sees it: the workbook's sheets as typed frames."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from igemo_fin.agreements.register import Agreements
from igemo_fin.valuation.thresholds import Settings, Thresholds

__all__ = ["Portfolio"]


@dataclass(frozen=True)
class Portfolio:
    """Everything read from one portfolio workbook (WORKBOOK.md), validated.

    Frames keep the workbook's Dutch column names (see :mod:`igemo_fin.columns`).
    """

    projects: pd.DataFrame
    """One row per project, in workbook order: :data:`~igemo_fin.columns.PROJECT_COLUMNS`.
    ``bestemming_zeker`` is bool; optional numbers are NaN when empty (the engine applies the
    defaults: 0 % sharing, no cap, 0 profit threshold)."""
    cashflows: pd.DataFrame
    """``project_code, versie, jaar, categorie, bedrag`` with ``bedrag`` signed [EUR]: inflow +, outflow -."""
    credit: pd.DataFrame
    """``jaar, rentevoet_pct, kredietlimiet, rente_werkelijk`` sorted by year; NaN where not given."""
    thresholds: Thresholds = field(default_factory=Thresholds)
    settings: Settings = field(default_factory=Settings)
    risks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["project_code", "risico", "soort", "kans_pct", "min", "waarschijnlijk", "max"]))
    """The risk register (``risicos``), empty when the sheet is absent."""
    accounts: pd.DataFrame | None = None
    """``rekening_prefix, categorie`` from ``rekeningen``; None when the sheet is absent."""
    extra_sheets: dict = field(default_factory=dict)
    """Optional sheets that extensions read (name -> list of row dicts), e.g. ``financiering``."""
    agreements: Agreements = field(default_factory=Agreements)
    """Land funds, subsidies and invoicing terms (``docs/overeenkomsten.md``); empty without those sheets."""
    warnings: tuple[str, ...] = ()
    source_name: str | None = None

    @property
    def project_codes(self) -> list[str]:
        return self.projects["project_code"].tolist()

    def rate_by_year(self) -> pd.Series:
        """The cash credit's all-in rate per year [%], indexed by year."""
        return self.credit.set_index("jaar")["rentevoet_pct"]
