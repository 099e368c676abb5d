"""A proposed project and the portfolio with it: adding it and applying the reference class to it.

The business plan wants every future investment to carry a thorough risk analysis. A proposal is
one project (its row of ``projecten``, its ``prognose`` flows and, when given, its risks), read from
a form or a one-project workbook (:mod:`igemo_fin.postcalc.proposal_input`) and assessed as if it
were in the portfolio (:mod:`igemo_fin.postcalc.assessment`).

Notes
-----
**Adding** (:func:`add_proposal`): the project is appended (status ``actief``) after the existing
projects, its flows after theirs and its risks after theirs. Because the Monte Carlo draws every
risk and every project's reference class from its own stream (by row and position, see
:mod:`igemo_fin.risk.draws`), the existing projects get exactly the same draws with and without the
proposal: any difference in the portfolio's figures is the proposal's. The cash-credit table is
extended with its last year's rate and limit when the proposal runs beyond it.

**Reference-class uplift** (:func:`apply_uplift`): the level's ``cost_ratio`` multiplies every
future cost (years ``>= V``) of the project, its ``revenue_ratio`` every future revenue, and every
future revenue moves ``delay_years`` later (below 0 counts as 0), a flow of year ``y`` split
``1 - frac(d)`` to ``y + floor(d)`` and ``frac(d)`` to ``y + floor(d) + 1``: the same
transformation as :func:`igemo_fin.risk.reference.reference_uplift`, but on the workbook, so the full
evaluation (IRR, interest, verdict) can run on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from igemo_fin.columns import CASHFLOW_COLUMNS, COST_CATEGORIES, PROJECT_COLUMNS, REVENUE_CATEGORIES, RISK_COLUMNS
from igemo_fin.errors import InputError, Problem
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["Proposal", "ProposalError", "PROPOSAL_CODE", "free_code", "extend_credit", "add_proposal",
           "apply_uplift"]

#: The code a proposal gets unless it brings one (``NIEUW``, ``NIEUW-2``, ... when taken).
PROPOSAL_CODE = "NIEUW"


class ProposalError(InputError):
    """A proposal that cannot be tested: every problem, with row and column where they apply."""

    kind = "voorstel"


@dataclass(frozen=True)
class Proposal:
    """One proposed project in the workbook's frames (see :class:`~igemo_fin.valuation.portfolio.Portfolio`)."""

    projects: pd.DataFrame   #: one row, :data:`~igemo_fin.columns.PROJECT_COLUMNS`, status ``actief``
    cashflows: pd.DataFrame  #: :data:`~igemo_fin.columns.CASHFLOW_COLUMNS`, ``bedrag`` signed [EUR]
    risks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(RISK_COLUMNS)))
    notes: tuple[str, ...] = ()  #: Dutch remarks on how it was read (renamed code, status set, ...)

    @property
    def code(self) -> str:
        return str(self.projects["project_code"].iloc[0])

    def renamed(self, code: str) -> "Proposal":
        """The same proposal under another project code (in every frame)."""
        old = self.code
        frames = []
        for frame in (self.projects, self.cashflows, self.risks):
            frame = frame.copy()
            frame.loc[frame["project_code"] == old, "project_code"] = code
            frames.append(frame)
        return replace(self, projects=frames[0], cashflows=frames[1], risks=frames[2])

    @classmethod
    def from_records(cls, projects: list[dict], cashflows: pd.DataFrame, risks: pd.DataFrame | None = None,
                     notes: tuple[str, ...] = ()) -> "Proposal":
        """A proposal whose frames carry the workbook's columns and types (risks: none when None)."""
        return cls(_project_frame(projects), _cashflow_frame(cashflows), _risk_frame(risks), tuple(notes))


def _project_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(PROJECT_COLUMNS))
    for column in ("oppervlakte_m2", "marktwaarde_huidige_staat", "risicodeling_gemeente_pct",
                   "risicodeling_plafond", "winstdeling_gemeente_pct", "winstdeling_drempel"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["bestemming_zeker"] = frame["bestemming_zeker"].astype(bool)
    return frame


def _cashflow_frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[list(CASHFLOW_COLUMNS)].reset_index(drop=True)
    return frame.astype({"jaar": "int64", "bedrag": float})


def _risk_frame(frame: pd.DataFrame | None) -> pd.DataFrame:
    if frame is None:
        frame = pd.DataFrame(columns=list(RISK_COLUMNS))
    return frame[list(RISK_COLUMNS)].reset_index(drop=True).astype(
        {"kans_pct": float, "min": float, "waarschijnlijk": float, "max": float})


# --------------------------------------------------------------------------- adding it to the portfolio

def free_code(existing, wanted: str = PROPOSAL_CODE) -> str:
    """``wanted`` when no project has it, else ``wanted-2``, ``wanted-3``, ...

    >>> free_code(["A", "NIEUW"]), free_code(["A"], "X")
    ('NIEUW-2', 'X')
    """
    taken = set(map(str, existing))
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def extend_credit(credit: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """The credit table with its last row's rate and limit repeated up to ``last_year`` (no actual interest).

    >>> c = pd.DataFrame({"jaar": [2026, 2027], "rentevoet_pct": [3.0, 3.5], "kredietlimiet": [1e6, 2e6],
    ...                   "rente_werkelijk": [float("nan")] * 2})
    >>> extend_credit(c, 2029)[["jaar", "rentevoet_pct"]].values.tolist()
    [[2026.0, 3.0], [2027.0, 3.5], [2028.0, 3.5], [2029.0, 3.5]]
    """
    if credit.empty or last_year <= int(credit["jaar"].max()):
        return credit
    tail = credit.sort_values("jaar").iloc[-1]
    extra = pd.DataFrame({"jaar": np.arange(int(tail["jaar"]) + 1, last_year + 1, dtype=np.int64),
                          "rentevoet_pct": float(tail["rentevoet_pct"]), "kredietlimiet": tail["kredietlimiet"],
                          "rente_werkelijk": np.nan})
    return pd.concat([credit, extra], ignore_index=True)


def add_proposal(portfolio: Portfolio, proposal: Proposal) -> Portfolio:
    """The portfolio with the proposal appended (projects, cash flows, risks); see the module notes.

    Raises
    ------
    ProposalError
        When the proposal's code is already a project of the portfolio (use :func:`free_code` and
        :meth:`Proposal.renamed`), or when its flows start before the cash-credit table.
    """
    code = proposal.code
    if code in set(portfolio.project_codes):
        raise ProposalError([Problem("projecten", None, "project_code",
                                     f"de code '{code}' bestaat al in de portefeuille")], file="voorstel")
    credit = portfolio.credit
    flows = proposal.cashflows
    if not flows.empty and not credit.empty and int(flows["jaar"].min()) < int(credit["jaar"].min()):
        raise ProposalError([Problem("kasstromen", None, "jaar",
                                     f"het voorstel heeft kasstromen in {int(flows['jaar'].min())}, voor het "
                                     f"eerste jaar van het kaskrediet ({int(credit['jaar'].min())})")],
                            file="voorstel")
    if not flows.empty:
        credit = extend_credit(credit, int(flows["jaar"].max()))
    projects = pd.concat([portfolio.projects, proposal.projects], ignore_index=True)
    cashflows = pd.concat([portfolio.cashflows, flows], ignore_index=True)
    risks = proposal.risks if portfolio.risks.empty else (
        portfolio.risks if proposal.risks.empty else pd.concat([portfolio.risks, proposal.risks], ignore_index=True))
    return replace(portfolio, projects=projects, cashflows=cashflows, credit=credit,
                   risks=risks.reset_index(drop=True))


def apply_uplift(portfolio: Portfolio, code: str, valuation_year: int, *, cost_ratio: float = 1.0,
                 revenue_ratio: float = 1.0, delay_years: float = 0.0) -> Portfolio:
    """The portfolio with one project's future forecast scaled and delayed (see the module notes).

    Examples
    --------
    Costs x 1.2, revenues x 0.9 and 0.5 year of delay on 1,000 of cost in 2026 and 2,000 of sales
    in 2027: 1,200 of cost in 2026, 900 of sales in 2027 and 900 in 2028.

    >>> from igemo_fin.valuation.portfolio import Portfolio
    >>> cf = pd.DataFrame({"project_code": ["P", "P"], "versie": ["prognose"] * 2, "jaar": [2026, 2027],
    ...                    "categorie": ["studies", "verkoop"], "bedrag": [-1000.0, 2000.0]})
    >>> credit = pd.DataFrame({"jaar": [2026, 2027], "rentevoet_pct": [3.0, 3.0], "kredietlimiet": [1e6] * 2,
    ...                        "rente_werkelijk": [float("nan")] * 2})
    >>> pf = Portfolio(pd.DataFrame({"project_code": ["P"]}), cf, credit)
    >>> out = apply_uplift(pf, "P", 2026, cost_ratio=1.2, revenue_ratio=0.9, delay_years=0.5)
    >>> out.cashflows[["jaar", "bedrag"]].values.round(2).tolist()
    [[2026.0, -1200.0], [2027.0, 900.0], [2028.0, 900.0]]
    >>> int(out.credit["jaar"].max())
    2028
    """
    for name, value in (("cost_ratio", cost_ratio), ("revenue_ratio", revenue_ratio), ("delay_years", delay_years)):
        if value is None or not math.isfinite(float(value)):
            raise ValueError(f"{name} moet een eindig getal zijn")
    V = int(valuation_year)
    delay = max(float(delay_years), 0.0)
    cf = portfolio.cashflows
    target = (cf["project_code"] == code) & (cf["versie"] == "prognose") & (cf["jaar"] >= V)
    moving = cf[target].copy()
    costs = moving[moving["categorie"].isin(COST_CATEGORIES)].copy()
    costs["bedrag"] = costs["bedrag"] * float(cost_ratio)
    revenues = moving[moving["categorie"].isin(REVENUE_CATEGORIES)].copy()
    revenues["bedrag"] = revenues["bedrag"] * float(revenue_ratio)
    whole = int(math.floor(delay))
    frac = delay - whole
    early = revenues.assign(jaar=revenues["jaar"] + whole, bedrag=revenues["bedrag"] * (1.0 - frac))
    parts = [cf[~target], costs, early]
    if frac:
        parts.append(revenues.assign(jaar=revenues["jaar"] + whole + 1, bedrag=revenues["bedrag"] * frac))
    out = pd.concat(parts, ignore_index=True)
    out = out.groupby(["project_code", "versie", "jaar", "categorie"], as_index=False, sort=False)["bedrag"].sum()
    out = out.sort_values(["project_code", "versie", "jaar"], kind="stable").reset_index(drop=True)
    credit = extend_credit(portfolio.credit, int(out["jaar"].max())) if not out.empty else portfolio.credit
    return replace(portfolio, cashflows=_cashflow_frame(out), credit=credit)
