"""Everything about the agreements of one basis, for the page, the board pack and the command line.

:func:`agreements_view` computes each part once (:mod:`~igemo_fin.agreements.land_funds`,
:mod:`~igemo_fin.agreements.subsidies`, :mod:`~igemo_fin.agreements.invoicing`, the recognised
valuation and the spread of the return on it); :meth:`AgreementsView.as_json` is the JSON contract of
``python -m igemo_fin agreements``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from igemo_fin.agreements.invoicing import PREFINANCING_COLUMNS, prefinancing
from igemo_fin.agreements.journal import subsidy_journal
from igemo_fin.agreements.land_funds import fund_balances, fund_settlements
from igemo_fin.agreements.recognised import evaluate_recognised, subsidy_mismatch
from igemo_fin.agreements.subsidies import by_year, cofinancing_owed, subsidy_schedule
from igemo_fin.obligations.spread import return_spread_portfolio
from igemo_fin.valuation.evaluate import Evaluation

__all__ = ["AgreementsView", "agreements_view", "RESULT_COLUMNS", "SUBSIDY_TOTAL_COLUMNS"]

#: :attr:`AgreementsView.results`: per project with a grant, the result on cash and on recognised income.
RESULT_COLUMNS = ("project_code", "naam", "gemeente", "result_cash", "result_recognised")

#: :meth:`AgreementsView.subsidies_by_year`: what adds up over the grants of a year.
SUBSIDY_TOTAL_COLUMNS = ("recognised_in_year", "received_in_year", "deferred_income", "accrued_income")


@dataclass(frozen=True)
class AgreementsView:
    """The agreements' figures of one evaluation (frames documented where they are computed)."""

    ev: Evaluation = field(repr=False)
    balances: pd.DataFrame       #: :data:`~igemo_fin.agreements.land_funds.FUND_YEAR_COLUMNS`
    settlements: pd.DataFrame    #: :data:`~igemo_fin.agreements.land_funds.SETTLEMENT_COLUMNS`
    schedule: pd.DataFrame       #: :data:`~igemo_fin.agreements.subsidies.SUBSIDY_YEAR_COLUMNS`
    cofinancing: pd.DataFrame    #: :data:`~igemo_fin.agreements.subsidies.COFINANCING_OWED_COLUMNS`
    journal: pd.DataFrame        #: :data:`~igemo_fin.obligations.journal.JOURNAL_COLUMNS`
    prefinancing: pd.DataFrame   #: :data:`~igemo_fin.agreements.invoicing.PREFINANCING_COLUMNS`
    results: pd.DataFrame        #: :data:`RESULT_COLUMNS`
    spread_cash: pd.DataFrame    #: the portfolio's spread of the return on received subsidies
    spread_recognised: pd.DataFrame  #: the same on recognised subsidy income
    warnings: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return self.ev.basis.portfolio.agreements.empty

    def totals(self) -> dict[str, float]:
        """The page's tiles: IGEMO's share in the funds' forecast settlements, the co-financing still to
        invoice and the subsidy income deferred at the close of the year before ``V`` (account 493)."""
        V = self.ev.valuation_year
        closing = self.schedule[self.schedule["jaar"] == V - 1]
        return {"igemo_share": float(self.settlements["igemo_share"].sum()),
                "cofinancing_to_invoice": float(self.cofinancing["to_invoice"].sum()),
                "deferred_income_closing": float(closing["deferred_income"].sum())}

    def subsidies_by_year(self) -> pd.DataFrame:
        """Every grant's schedule summed per year: ``jaar`` and :data:`SUBSIDY_TOTAL_COLUMNS`."""
        return (self.schedule.groupby("jaar")[list(SUBSIDY_TOTAL_COLUMNS)].sum().reset_index()
                if not self.schedule.empty else pd.DataFrame(columns=["jaar", *SUBSIDY_TOTAL_COLUMNS]))

    def for_municipality(self, gemeente: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """A partner's own part: its funds' settlements and balances and its co-financing rows."""
        def mine(frame: pd.DataFrame) -> pd.DataFrame:
            same = frame["gemeente"].astype(str).str.strip().str.casefold() == str(gemeente).strip().casefold()
            return frame[same].reset_index(drop=True)

        return mine(self.settlements), mine(self.balances), mine(self.cofinancing)

    def as_json(self) -> dict:
        """The JSON of ``agreements --json``: per fund, per grant and per project with terms."""
        s = self.schedule
        V = self.ev.valuation_year
        funds = []
        for f in self.settlements.itertuples(index=False):
            b = self.balances[self.balances["fonds"] == f.fonds]
            funds.append({
                "fonds": f.fonds, "naam": f.naam, "gemeente": f.gemeente, "projecten": f.projecten.split(", "),
                "eindjaar": f.eindjaar,
                "balance_by_year": {str(int(y)): float(v) for y, v in zip(b["jaar"], b["balance_end"])},
                "settlement_forecast": {"balance_end": f.balance_end, "igemo": f.igemo_share,
                                        "partner": f.partner_share, "balance_p10": _num(f.balance_p10),
                                        "balance_p90": _num(f.balance_p90), "igemo_p10": _num(f.igemo_share_p10),
                                        "igemo_p90": _num(f.igemo_share_p90)},
                "igemo_share": f.igemo_share, "igemo_exposure": f.igemo_exposure,
            })
        grants = []
        for g in self.ev.basis.portfolio.agreements.subsidies.itertuples(index=False):
            own = self.cofinancing[self.cofinancing["besluit"] == g.besluit]
            closing = s[(s["besluit"] == g.besluit) & (s["jaar"] == V - 1)]
            grants.append({
                "besluit": g.besluit, "subsidiegever": g.subsidiegever, "project_code": g.project_code,
                "toegekend": float(g.toegekend),
                "recognised_by_year": by_year(s, "recognised_in_year", g.besluit),
                "received_by_year": by_year(s, "received_in_year", g.besluit),
                "deferred_income": float(closing["deferred_income"].sum()),
                "accrued_income": float(closing["accrued_income"].sum()),
                "deferred_income_by_year": by_year(s, "deferred_income", g.besluit),
                "cofinancing_by_municipality": {
                    c.gemeente: {"sleutel_pct": c.sleutel_pct, "total": c.cofinancing_total,
                                 "owed_to_date": c.owed_to_date, "invoiced": c.invoiced, "to_invoice": c.to_invoice}
                    for c in own.itertuples(index=False)},
            })
        projects = [{k: _num(v) if isinstance(v, float) else v for k, v in row.items()}
                    for row in self.prefinancing.to_dict("records")]
        results = [{k: _num(v) if isinstance(v, float) else v for k, v in row.items()}
                   for row in self.results.to_dict("records")]
        return {"basis": self.ev.basis.as_dict(), "funds": funds, "subsidies": grants, "projects": projects,
                "results": results, "warnings": list(self.warnings)}


def _num(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def agreements_view(ev: Evaluation) -> AgreementsView:
    """Every agreements figure on the basis of ``ev`` (its simulation gives the funds' P10/P90)."""
    basis = ev.basis
    agreements = basis.portfolio.agreements
    schedule = subsidy_schedule(agreements, ev)
    recognised = evaluate_recognised(basis.with_simulation(iterations=0)) if not agreements.subsidies.empty else ev
    cash = ev.figures.set_index("project_code")
    rec = recognised.figures.set_index("project_code")
    codes = list(dict.fromkeys(agreements.subsidies["project_code"]))
    results = pd.DataFrame({"project_code": codes, "naam": [cash.at[c, "naam"] for c in codes],
                            "gemeente": [cash.at[c, "gemeente"] for c in codes],
                            "result_cash": [float(cash.at[c, "result_nominal"]) for c in codes],
                            "result_recognised": [float(rec.at[c, "result_nominal"]) for c in codes]},
                           columns=list(RESULT_COLUMNS))
    terms = prefinancing(basis)[0] if not agreements.terms.empty else pd.DataFrame(columns=list(PREFINANCING_COLUMNS))
    return AgreementsView(
        ev=ev,
        balances=fund_balances(agreements, ev),
        settlements=fund_settlements(agreements, ev),
        schedule=schedule,
        cofinancing=cofinancing_owed(agreements, ev, schedule),
        journal=subsidy_journal(schedule),
        prefinancing=terms,
        results=results,
        spread_cash=return_spread_portfolio(basis.portfolio, ev),
        spread_recognised=return_spread_portfolio(recognised.basis.portfolio, recognised),
        warnings=tuple(subsidy_mismatch(basis)),
    )

