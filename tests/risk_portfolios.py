"""Portfolios built in code for the tests of igemo_fin.risk, with their reference values.

Every rate is 3 % and the valuation year 2025. Reference values are worked out in the comments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from igemo_fin.columns import COST_CATEGORIES, PROJECT_COLUMNS, RISK_COLUMNS
from igemo_fin.valuation.basis import SimulationSettings
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.thresholds import Settings, Thresholds

V = 2025
R = 0.03  # every rate of the fixtures: 3 %


# --------------------------------------------------------------------------- builders

def project(code, *, status="actief", type_="bedrijventerrein", start=2020, end=2030, share=None, cap=None,
            zoning=True, market=None):
    row = {c: np.nan for c in PROJECT_COLUMNS}
    row.update(project_code=code, naam=f"Project {code}", gemeente="Gemeente", type=type_, status=status,
               startjaar=start, eindjaar=end, bestemming_zeker=zoning,
               marktwaarde_huidige_staat=np.nan if market is None else market,
               risicodeling_gemeente_pct=np.nan if share is None else share,
               risicodeling_plafond=np.nan if cap is None else cap)
    return row


def make_portfolio(projects, flows, risks=(), *, equity=None, thresholds=None, first=2015, last=2045):
    """``flows``: (code, versie, jaar, categorie, positive amount); ``risks``: RISK_COLUMNS tuples."""
    cashflows = pd.DataFrame(
        [(c, v, y, cat, -a if cat in COST_CATEGORIES else a) for c, v, y, cat, a in flows],
        columns=["project_code", "versie", "jaar", "categorie", "bedrag"])
    cashflows["jaar"] = cashflows["jaar"].astype("int64")
    credit = pd.DataFrame({"jaar": np.arange(first, last + 1, dtype=np.int64), "rentevoet_pct": 100 * R,
                           "kredietlimiet": 1e8, "rente_werkelijk": np.nan})
    return Portfolio(
        projects=pd.DataFrame(projects, columns=list(PROJECT_COLUMNS)),
        cashflows=cashflows, credit=credit, thresholds=thresholds or Thresholds(),
        settings=Settings(eigen_vermogen=equity, waarderingsjaar=V),
        risks=pd.DataFrame(list(risks), columns=list(RISK_COLUMNS)).astype(
            {"kans_pct": float, "min": float, "waarschijnlijk": float, "max": float}))


def df(year):
    """Mid-year discount factor of a year at 3 %."""
    return (1 + R) ** -(year - V + 0.5)


# Project T ("tight"): 1,000,000 of works in 2025, 1,100,000 of sales in 2026.
# npv_forward = -1,000,000 * 1.03^-0.5 + 1,100,000 * 1.03^-1.5 = -985,329.28 + 1,052,293.40 = 66,964.13
T_FLOWS = [("T", "prognose", 2025, "infrastructuur", 1_000_000), ("T", "prognose", 2026, "verkoop", 1_100_000)]
T_NPV = -1_000_000 * df(2025) + 1_100_000 * df(2026)

# Project A: land bought in 2022 (past, sunk), works in 2025, sales in 2026-2027 and a subsidy.
A_FLOWS = [
    ("A", "prognose", 2022, "verwerving", 1_000_000),
    ("A", "prognose", 2025, "infrastructuur", 500_000),
    ("A", "prognose", 2026, "verkoop", 1_000_000),
    ("A", "prognose", 2027, "verkoop", 900_000),
    ("A", "prognose", 2027, "subsidies", 100_000),
]
A_PV_COSTS = 500_000 * df(2025)
A_PV_SALES = 1_000_000 * df(2026) + 900_000 * df(2027)
A_PV_OTHER = 100_000 * df(2027)


def risk(code, kind, chance, low, mode=None, high=None, name="risico"):
    mode = low if mode is None else mode
    high = mode if high is None else high
    return (code, name, kind, float(chance), float(low), float(mode), float(high))


#: The tests of the simulation run it themselves: the evaluations they start from have it off.
NO_SIMULATION = SimulationSettings(iterations=0)


def tight(risks=(), **kw):
    pf = make_portfolio([project("T")], T_FLOWS, risks, **kw)
    return pf, evaluate(pf, valuation_year=V, simulation=NO_SIMULATION)


def with_a(risks=(), **kw):
    pf = make_portfolio([project("A")], A_FLOWS, risks, **kw)
    return pf, evaluate(pf, valuation_year=V, simulation=NO_SIMULATION)


#: One risk of each kind on project A, none certain: draws that exercise every part of the kernel.
MIXED_RISKS = [risk("A", "kosten_pct", 40, 0, 5, 30), risk("A", "vertraging_jaren", 30, 0.5, 1, 3),
               risk("A", "prijs_pct", 20, 0, 10, 25), risk("A", "eenmalig_eur", 10, 1e5, 2e5, 5e5)]
