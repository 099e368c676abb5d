"""The valuation on recognised subsidy income: an explicit option beside the cash valuation.

By default a subsidy is a cash flow in the year it is received (the workbook's ``subsidies`` lines
and the ledger's account 74). :func:`recognised_basis` gives the same basis with, for every project
that has a grant in the register, its subsidy income replaced by the income recognised by the
progress of the eligible costs (:func:`~igemo_fin.agreements.subsidies.subsidy_schedule`): in the
forecast and in the ledger's actuals alike, so both sources of a year say the same. Project results,
the spread of the return and the profit-share provision then follow the recognised income.

The valuation has one flow per year, so the interest it computes then also follows the recognised
income; the difference with the cash is the deferred or accrued income of the schedule. Without a
subsidy register the basis is returned unchanged.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from igemo_fin.agreements.subsidies import subsidy_schedule
from igemo_fin.fmt import eur
from igemo_fin.valuation.basis import Basis
from igemo_fin.valuation.evaluate import Evaluation, evaluate

__all__ = ["recognised_basis", "evaluate_recognised", "subsidy_mismatch"]

_SUBSIDIES = "subsidies"


def _recognised_lines(schedule: pd.DataFrame) -> pd.DataFrame:
    lines = schedule.groupby(["project_code", "jaar"], as_index=False)["recognised_in_year"].sum()
    lines = lines[lines["recognised_in_year"] != 0]
    return pd.DataFrame({"project_code": lines["project_code"], "jaar": lines["jaar"].astype("int64"),
                         "categorie": _SUBSIDIES, "bedrag": lines["recognised_in_year"].astype(float)})


def recognised_basis(basis: Basis, ev: Evaluation | None = None) -> Basis:
    """``basis`` with the subsidy income of the register's projects recognised instead of received.

    ``ev`` may pass the cash evaluation of ``basis`` (its costs give the progress).
    """
    portfolio = basis.portfolio
    grants = portfolio.agreements.subsidies
    if grants.empty:
        return basis
    ev = evaluate(basis.with_simulation(iterations=0)) if ev is None else ev
    lines = _recognised_lines(subsidy_schedule(portfolio.agreements, ev))
    codes = set(grants["project_code"])
    cf = portfolio.cashflows
    drop = (cf["versie"] == "prognose") & (cf["categorie"] == _SUBSIDIES) & cf["project_code"].isin(codes)
    cashflows = pd.concat([cf[~drop], lines.assign(versie="prognose")[list(cf.columns)]], ignore_index=True)
    actuals = basis.actuals
    if actuals is not None and not actuals.empty:
        keep = ~((actuals["categorie"] == _SUBSIDIES) & actuals["project_code"].isin(codes))
        # Only project-years the ledger covers: elsewhere the forecast's recognised lines apply.
        covered = actuals.loc[actuals["project_code"].isin(codes), ["project_code", "jaar"]].drop_duplicates()
        extra = lines.merge(covered, on=["project_code", "jaar"])
        actuals = pd.concat([actuals[keep], extra.reindex(columns=actuals.columns)], ignore_index=True)
    return basis.with_portfolio(replace(portfolio, cashflows=cashflows)).with_(actuals=actuals)


def evaluate_recognised(basis: Basis) -> Evaluation:
    """:func:`~igemo_fin.valuation.evaluate.evaluate` on :func:`recognised_basis`."""
    return evaluate(recognised_basis(basis))


def subsidy_mismatch(basis: Basis) -> list[str]:
    """Dutch warnings where the forecast's subsidy lines of a project differ from its grants."""
    p = basis.portfolio
    grants = p.agreements.subsidies.groupby("project_code")["toegekend"].sum()
    cf = p.cashflows[(p.cashflows["versie"] == "prognose") & (p.cashflows["categorie"] == _SUBSIDIES)]
    forecast = cf.groupby("project_code")["bedrag"].sum()
    out = []
    for code, granted in grants.items():
        planned = float(forecast.get(code, 0.0))
        if abs(planned - granted) >= 0.005:
            out.append(f"Project {code}: de prognose rekent op {eur(planned, 2)} subsidies, het register kent "
                       f"{eur(granted, 2)} toe; de erkende waardering volgt het register.")
    return out
