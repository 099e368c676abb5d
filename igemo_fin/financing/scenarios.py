"""The rate scenarios and the four ways to finance the funding need.

Scenarios shift the variable rates (cash credit and deposit) of the year ``V + k`` by
``shifts_bp[k]`` basis points, the last shift holding afterwards: flat (``vlak``), a parallel shock
(``schok``) and a path (``pad``, by default the rise of 2022-2024). The alternatives are the cash
credit as it is, a fixed-rate term loan, prefinancing by the municipalities and a mix of the two
(:mod:`igemo_fin.financing.comparison` prices them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from igemo_fin.financing.parameters import FinancingParams

__all__ = ["ALTERNATIVES", "ALTERNATIVE_LABELS", "RateScenario", "rate_scenarios", "Alternative",
           "resolve_alternatives"]

ALTERNATIVES = ("kaskrediet", "vaste_lening", "prefinanciering", "mix")
ALTERNATIVE_LABELS = {
    "kaskrediet": "Kaskrediet (zoals nu)",
    "vaste_lening": "Lening met vaste rente",
    "prefinanciering": "Prefinanciering door de gemeenten",
    "mix": "Mix: lening, prefinanciering en kaskrediet",
}


@dataclass(frozen=True)
class RateScenario:
    """A shift of the variable rates: ``shifts_bp[k]`` for the year ``V + k``, the last one holding."""

    name: str
    label: str
    shifts_bp: tuple[float, ...] = (0.0,)

    def shift(self, k: int) -> float:
        """The shift [bp] of the ``k``-th horizon year (0 = the valuation year)."""
        if not self.shifts_bp:
            return 0.0
        return float(self.shifts_bp[min(max(k, 0), len(self.shifts_bp) - 1)])


def rate_scenarios(params: FinancingParams = FinancingParams()) -> tuple[RateScenario, ...]:
    """The three scenarios: flat (``vlak``), a parallel shock (``schok``) and a path (``pad``)."""
    shock = params.scenario_schok_bp
    path = params.scenario_pad_bp
    return (
        RateScenario("vlak", "Vlak: rentevoeten zoals in het kaskrediet", (0.0,)),
        RateScenario("schok", f"Schok: {shock:+g} bp vanaf het waarderingsjaar", (float(shock),)),
        RateScenario("pad", "Rentepad zoals 2022-2024: " + " / ".join(f"{v:+g}" for v in path) + " bp",
                     tuple(float(v) for v in path)),
    )


@dataclass(frozen=True)
class Alternative:
    """One way to finance the need: a term loan of ``loan_amount`` and a prefinanced share."""

    name: str
    label: str
    loan_amount: float = 0.0        #: [EUR]
    prefinancing_pct: float = 0.0   #: [%] share of the need prefinanced by the municipalities


def resolve_alternatives(params: FinancingParams, need: pd.DataFrame) -> tuple[Alternative, ...]:
    """The four alternatives with their defaults resolved against the funding need."""
    loan = params.lening_bedrag
    if loan is None:
        first = float(need["need_average"].iloc[0]) if len(need) else 0.0
        loan = math.floor(max(first, 0.0) / 100_000.0) * 100_000.0
    mix_loan = params.mix_lening_bedrag if params.mix_lening_bedrag is not None else loan / 2.0
    share = params.gemeente_prefinanciering_pct
    mix_share = (params.mix_gemeente_prefinanciering_pct if params.mix_gemeente_prefinanciering_pct is not None
                 else share / 2.0)
    return (
        Alternative("kaskrediet", ALTERNATIVE_LABELS["kaskrediet"]),
        Alternative("vaste_lening", ALTERNATIVE_LABELS["vaste_lening"], loan_amount=float(loan)),
        Alternative("prefinanciering", ALTERNATIVE_LABELS["prefinanciering"], prefinancing_pct=float(share)),
        Alternative("mix", ALTERNATIVE_LABELS["mix"], loan_amount=float(mix_loan), prefinancing_pct=float(mix_share)),
    )
