"""Portfolios and a proposal built in code for the tests of the proposals (igemo_fin.postcalc).

A flat 4 % cash credit and valuation year 2026; the figures of the proposal "T" are worked out by
hand in the comments.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from igemo_fin.columns import COST_CATEGORIES, PROJECT_COLUMNS, RISK_COLUMNS
from igemo_fin.postcalc.proposal_input import proposal_from_form
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.valuation.thresholds import Settings, Thresholds

V = 2026
R = 0.04
DAYS = 365 / 360  # 2026 and 2027 have 365 days (ACT/360)


def df(year):
    """Mid-year discount factor at 4 %."""
    return (1 + R) ** -(year - V + 0.5)


# The proposal "T": 1,000,000 of land in 2026, 1,100,000 of sales in 2027.
#   npv_forward = -1,000,000 * 1.04^-0.5 + 1,100,000 * 1.04^-1.5 = -980,580.68 + 1,037,152.64 = 56,571.96
#   interest 2026: avg = 0 + 1,000,000 / 2 = 500,000; I = 4 % * 365/360 * 500,000 = 20,277.78
#   BV 1/1/2027 = 1,020,277.78 (the peak book value)
#   interest 2027: avg = 1,020,277.78 - 1,100,000 / 2 = 470,277.78; I = 4 % * 365/360 * 470,277.78 = 19,072.38
#   result = 1,100,000 - 1,000,000 - 20,277.78 - 19,072.38 = 60,649.85
#   IRR = 10 %; interest on margin = 39,350.15 / 100,000 = 39.35 % (< 50 %)
T_NPV = -1_000_000 * df(2026) + 1_100_000 * df(2027)
I_2026 = R * DAYS * 500_000
I_2027 = R * DAYS * (1_000_000 + I_2026 - 550_000)
T_RESULT = 100_000 - I_2026 - I_2027


def project(code, *, status="actief", type_="bedrijventerrein", start=2015, end=2030, share=None):
    row = {c: np.nan for c in PROJECT_COLUMNS}
    row.update(project_code=code, naam=f"Project {code}", gemeente="Gemeente", type=type_, status=status,
               startjaar=start, eindjaar=end, bestemming_zeker=True,
               risicodeling_gemeente_pct=np.nan if share is None else share)
    return row


def make_portfolio(projects, flows, risks=(), *, equity=1_000_000.0, first=2010, last=2040):
    """``flows``: (code, versie, jaar, categorie, positive amount)."""
    cashflows = pd.DataFrame([(c, v, y, cat, -a if cat in COST_CATEGORIES else a) for c, v, y, cat, a in flows],
                             columns=["project_code", "versie", "jaar", "categorie", "bedrag"])
    cashflows = cashflows.astype({"jaar": "int64", "bedrag": float})
    credit = pd.DataFrame({"jaar": np.arange(first, last + 1, dtype=np.int64), "rentevoet_pct": 100 * R,
                           "kredietlimiet": 10_000_000.0, "rente_werkelijk": np.nan})
    return Portfolio(projects=pd.DataFrame(projects, columns=list(PROJECT_COLUMNS)), cashflows=cashflows,
                     credit=credit, thresholds=Thresholds(),
                     settings=Settings(eigen_vermogen=equity, waarderingsjaar=V),
                     risks=pd.DataFrame(list(risks), columns=list(RISK_COLUMNS)).astype(
                         {"kans_pct": float, "min": float, "waarschijnlijk": float, "max": float}))


def existing():
    """One active project A that runs until 2028 (so the credit table and the portfolio are not empty)."""
    return make_portfolio([project("A")], [("A", "prognose", 2020, "verwerving", 500_000),
                                           ("A", "prognose", 2028, "verkoop", 800_000)])


def with_finished(cost_ratios=(1.0, 1.0, 1.3)):
    """Three finished business parks: budget 1,000,000 of land in 2015 and 1,200,000 of sales in 2016; the
    actual land cost 1,000,000 x the ratio (so the reference class's cost ratios are ``cost_ratios``, the
    revenue ratio 1 and the delay 0)."""
    projects, flows = [], []
    for i, ratio in enumerate(cost_ratios, start=1):
        code = f"F{i}"
        projects.append(project(code, status="afgerond", start=2015, end=2016))
        flows += [(code, "begroting", 2015, "verwerving", 1_000_000), (code, "begroting", 2016, "verkoop", 1_200_000),
                  (code, "prognose", 2015, "verwerving", 1_000_000 * ratio),
                  (code, "prognose", 2016, "verkoop", 1_200_000)]
    return make_portfolio(projects, flows)


def t_flows():
    rows = [(2026, "verwerving", 1_000_000), (2027, "verkoop", 1_100_000)]
    return pd.DataFrame(rows, columns=["jaar", "categorie", "bedrag"])


def t_proposal(**kw):
    args = dict(naam="Voorstel T", gemeente="Lier", type="bedrijventerrein", startjaar=2026, flows=t_flows(),
                risicodeling_gemeente_pct=50.0)
    args.update(kw)
    return proposal_from_form(**args)
