"""What each role may see of the evaluation, cut on the server.

bestuur and financien see the whole portfolio; a municipality (role ``gemeente``) only its own
projects: the pages it may open read the evaluation through :func:`ui.state.evaluation`, which passes
it through :func:`filter_for_user`, so the other projects never leave the server.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np

from igemo_fin.records.users import same_gemeente
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio
from ui.auth import current_user
from ui.roles import READ_ROLES

__all__ = ["filter_for_user", "portfolio_for_user", "visible_projects"]


def visible_projects(role: str | Iterable[str], gemeente: str | None, evaluation: Evaluation) -> Evaluation:
    """The evaluation as ``role`` may see it.

    bestuur and financien: all of it. gemeente: only the projects of ``gemeente`` (every frame and
    array cut to them; the cash-credit table holds only what their projects draw and pay, without
    the credit limit and the interest IGEMO paid in total; warnings naming other projects dropped; no
    simulation, no file name in the basis).
    Any other role: no project at all.
    """
    roles = frozenset({role}) if isinstance(role, str) else frozenset(role)
    if roles & set(READ_ROLES):
        return evaluation
    f = evaluation.figures
    if "gemeente" in roles and gemeente:
        keep = np.array([same_gemeente(g, gemeente) for g in f["gemeente"]], dtype=bool)
    else:
        keep = np.zeros(len(f), dtype=bool)
    return _cut(evaluation, keep)


def _cut(ev: Evaluation, keep: np.ndarray) -> Evaluation:
    f = ev.figures
    codes = f["project_code"][keep].tolist()
    others = f["project_code"][~keep].tolist()
    wanted = set(codes)
    index = {c: i for i, c in enumerate(ev.matrix.codes)}
    rows = np.array([index[c] for c in codes], dtype=int)
    matrix = replace(ev.matrix, codes=codes, net=ev.matrix.net[rows], costs=ev.matrix.costs[rows],
                     revenues=ev.matrix.revenues[rows], first=ev.matrix.first[rows], last=ev.matrix.last[rows])
    interest = replace(ev.interest, book_value=ev.interest.book_value[rows], interest=ev.interest.interest[rows],
                       average_balance=ev.interest.average_balance[rows],
                       unallocated=np.zeros_like(ev.interest.unallocated))
    yearly = ev.yearly[ev.yearly["project_code"].isin(wanted)].reset_index(drop=True)
    credit = ev.credit.copy()
    # yearly holds the years within each project's span only: what it draws is its positive book value
    by_year = yearly.assign(drawn=yearly["book_value_end"].clip(lower=0)).groupby("jaar")[["drawn", "interest"]].sum()
    credit["drawn_end"] = credit["jaar"].map(by_year["drawn"]).fillna(0.0).to_numpy()
    credit["interest"] = credit["jaar"].map(by_year["interest"]).fillna(0.0).to_numpy()
    credit["unallocated_interest"] = 0.0
    credit["kredietlimiet"] = np.nan
    credit["rente_werkelijk"] = np.nan
    warnings = tuple(w for w in ev.warnings if not any(c and str(c) in w for c in others))
    return replace(
        ev,
        figures=f[keep].reset_index(drop=True),
        rules=ev.rules[ev.rules["project_code"].isin(wanted)].reset_index(drop=True),
        yearly=yearly,
        flows=ev.flows[ev.flows["project_code"].isin(wanted)].reset_index(drop=True),
        credit=credit,
        matrix=matrix,
        interest=interest,
        warnings=warnings,
        # The simulation holds every project's futures and the portfolio's loss: not for a partner. The
        # basis line names the data version by its fingerprint, not by IGEMO's file name.
        simulation=None,
        basis=replace(ev.basis, data=replace(ev.basis.data, workbook_name=None)),
    )


def filter_for_user(ev: Evaluation) -> Evaluation:
    """The evaluation the signed-in user may see (:func:`visible_projects`); nothing without a user."""
    user = current_user()
    if user is None:
        return _cut(ev, np.zeros(len(ev.figures), dtype=bool))
    return visible_projects(user.roles, user.gemeente, ev)



def portfolio_for_user(portfolio: Portfolio, ev: Evaluation) -> Portfolio:
    """The workbook as the signed-in user may see it, beside :func:`filter_for_user`'s evaluation ``ev``.

    bestuur and financien: all of it. Anyone else: only the projects in ``ev``, and nothing about IGEMO
    itself: no equity, no workbook description or other free settings, no file name, no other sheets.
    """
    user = current_user()
    if user is not None and user.roles & set(READ_ROLES):
        return portfolio
    codes = set(ev.figures["project_code"])

    def own(frame):
        return frame[frame["project_code"].isin(codes)].reset_index(drop=True) if "project_code" in frame else frame

    settings = replace(portfolio.settings, eigen_vermogen=None, extra={})
    agreements = portfolio.agreements.for_municipality(user.gemeente if user is not None else None, codes)
    return replace(portfolio, projects=own(portfolio.projects), cashflows=own(portfolio.cashflows),
                   risks=own(portfolio.risks), settings=settings, source_name=None, extra_sheets={},
                   agreements=agreements,
                   accounts=None, warnings=tuple(w for w in portfolio.warnings if w in ev.warnings))
