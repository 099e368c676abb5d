"""The agreements as the workbook states them: six optional sheets as typed frames.

The sheets and their columns are documented for finance in ``docs/overeenkomsten.md``; they are read
and checked by :mod:`igemo_fin.inputs.agreement_sheets`. This module only holds them, so that the
portfolio can carry them without depending on the engine that computes from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

__all__ = ["Agreements", "FUND_COLUMNS", "FUND_MOVEMENT_COLUMNS", "SUBSIDY_COLUMNS", "RECEIPT_COLUMNS",
           "COFINANCING_COLUMNS", "TERM_COLUMNS", "SHEETS", "empty_frame"]

#: ``grondfondsen``: one row per land fund. ``projecten`` is a tuple of project codes.
FUND_COLUMNS = ("fonds", "naam", "gemeente", "projecten", "beginjaar", "eindjaar", "beginsaldo",
                "grondinbreng", "aandeel_resultaat_pct", "overschot_igemo_pct", "tekort_gemeente_pct",
                "tekort_plafond")
#: ``grondfonds_bewegingen``: agreed deposits (+) and withdrawals (-), signed [EUR].
FUND_MOVEMENT_COLUMNS = ("fonds", "jaar", "bedrag")
#: ``subsidies``: one row per grant decision.
SUBSIDY_COLUMNS = ("besluit", "subsidiegever", "project_code", "toegekend", "subsidiabele_kosten",
                   "beginjaar", "eindjaar")
#: ``subsidie_ontvangsten``: instalments received (past) or expected (future) [EUR].
RECEIPT_COLUMNS = ("besluit", "jaar", "bedrag")
#: ``cofinanciering``: the key per municipality of a decision, and what was invoiced so far [EUR].
COFINANCING_COLUMNS = ("besluit", "gemeente", "sleutel_pct", "gefactureerd")
#: ``facturatie``: invoicing moments per project and version (``afgesproken`` or ``voorstel``).
#: ``jaar`` is NaN for ``oplevering`` without a year (at the forecast's sales).
TERM_COLUMNS = ("project_code", "versie", "moment", "jaar", "pct", "betalingstermijn_dagen")

#: Sheet name -> (attribute of :class:`Agreements`, its columns).
SHEETS = {
    "grondfondsen": ("funds", FUND_COLUMNS),
    "grondfonds_bewegingen": ("fund_movements", FUND_MOVEMENT_COLUMNS),
    "subsidies": ("subsidies", SUBSIDY_COLUMNS),
    "subsidie_ontvangsten": ("receipts", RECEIPT_COLUMNS),
    "cofinanciering": ("cofinancing", COFINANCING_COLUMNS),
    "facturatie": ("terms", TERM_COLUMNS),
}


def empty_frame(columns) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass(frozen=True)
class Agreements:
    """The six sheets of ``docs/overeenkomsten.md``, each empty when the workbook lacks it."""

    funds: pd.DataFrame = field(default_factory=lambda: empty_frame(FUND_COLUMNS))
    fund_movements: pd.DataFrame = field(default_factory=lambda: empty_frame(FUND_MOVEMENT_COLUMNS))
    subsidies: pd.DataFrame = field(default_factory=lambda: empty_frame(SUBSIDY_COLUMNS))
    receipts: pd.DataFrame = field(default_factory=lambda: empty_frame(RECEIPT_COLUMNS))
    cofinancing: pd.DataFrame = field(default_factory=lambda: empty_frame(COFINANCING_COLUMNS))
    terms: pd.DataFrame = field(default_factory=lambda: empty_frame(TERM_COLUMNS))

    @property
    def empty(self) -> bool:
        return all(getattr(self, attribute).empty for attribute, _ in SHEETS.values())

    def for_municipality(self, gemeente: str, codes: set[str]) -> "Agreements":
        """What a partner municipality may see: its own funds, the grants of its projects (``codes``)
        with only its own co-financing key, and its projects' invoicing terms."""
        funds = self.funds[self.funds["gemeente"] == gemeente]
        grants = self.subsidies[self.subsidies["project_code"].isin(codes)]
        decisions = set(grants["besluit"])
        return replace(
            self,
            funds=funds.reset_index(drop=True),
            fund_movements=self.fund_movements[self.fund_movements["fonds"].isin(set(funds["fonds"]))]
            .reset_index(drop=True),
            subsidies=grants.reset_index(drop=True),
            receipts=self.receipts[self.receipts["besluit"].isin(decisions)].reset_index(drop=True),
            cofinancing=self.cofinancing[self.cofinancing["besluit"].isin(decisions)
                                         & (self.cofinancing["gemeente"] == gemeente)].reset_index(drop=True),
            terms=self.terms[self.terms["project_code"].isin(codes)].reset_index(drop=True),
        )
