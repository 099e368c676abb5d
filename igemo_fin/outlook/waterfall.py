"""Verschillenanalyse: why the portfolio's forward value and full-life result changed between two bases.

Notes
-----
**Sequential substitution.** From the old basis to the new one, each step swaps one group of inputs
from old to new and evaluates again (simulation off: these are the forecast's figures); a step's
amount is the change it causes. The last step lands on the new basis itself, so the steps telescope:
they add up to the total change exactly, per project and for the portfolio, because every value is
taken in whole cents before the differences are made. The order is fixed (``docs/verschillenanalyse.md``
explains it for the board); a different order would move amounts between steps, never the total.

1. ``tijd`` (time passing): the new valuation year on the old data. The old forecast of the years
   that became past is taken as realised; flows move closer to the valuation date.
2. ``werkelijk`` (realised versus forecast): the past (years ``< V`` new) of the continuing projects
   takes the new workbook's flows and the new ledger actuals; the credit takes the new actually paid
   interest (``rente_werkelijk``).
3. ``kosten`` (cost changes): each continuing project's future costs take the new total per cost
   category, spread over the old years in the old proportions (a category the old forecast did not
   have enters with its new years).
4. ``opbrengsten`` (price and revenue changes): the same for the revenue categories.
5. ``timing`` (timing shifts): the future flows take their new years (the totals are already new).
6. ``rente`` (interest-rate changes): the credit's rates and limits, the discount rate threshold and
   the rate stress become the new ones.
7. ``projecten`` (projects new, finished or stopped): the new basis itself. Projects only in the new
   basis enter, projects only in the old one leave, and projects whose status changed (finished or
   stopped) take all their changes here.

A continuing project is in both bases with the same status; steps 2-5 touch only those.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from igemo_fin.columns import COST_CATEGORIES, REVENUE_CATEGORIES
from igemo_fin.obligations.exact import cents_of
from igemo_fin.valuation.basis import Basis
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["STEPS", "STEP_LABELS", "MEASURES", "Waterfall", "waterfall", "substituted_basis"]

#: The steps, in their fixed order.
STEPS = ("tijd", "werkelijk", "kosten", "opbrengsten", "timing", "rente", "projecten")
#: Dutch labels of the steps, as the board reads them.
STEP_LABELS = {
    "tijd": "Verloop van de tijd",
    "werkelijk": "Werkelijk versus prognose",
    "kosten": "Kostenwijzigingen",
    "opbrengsten": "Prijs- en opbrengstwijzigingen",
    "timing": "Verschuivingen in de tijd",
    "rente": "Rentewijzigingen",
    "projecten": "Nieuwe, afgeronde en stopgezette projecten",
}
#: The two figures the waterfall explains: forward value and full-life result [EUR].
MEASURES = ("npv_forward", "result_nominal")


@dataclass(frozen=True)
class Waterfall:
    """The verschillenanalyse between ``old`` and ``new``.

    ``values``: the figures after each state, in cents: columns ``state`` (0 = old, 1..7 after each
    of :data:`STEPS`), ``project_code`` and one column per :data:`MEASURES`.
    """

    old: Basis
    new: Basis
    values: pd.DataFrame

    def project_steps(self) -> pd.DataFrame:
        """``project_code, step, label`` and the change of each measure [EUR], per project and step."""
        v = self.values.set_index(["state", "project_code"])[list(MEASURES)]
        rows = []
        for k, step in enumerate(STEPS, start=1):
            diff = v.loc[k] - v.loc[k - 1]
            for code, amounts in diff.iterrows():
                rows.append({"project_code": code, "step": step, "label": STEP_LABELS[step],
                             **{m: int(amounts[m]) / 100.0 for m in MEASURES}})
        return pd.DataFrame(rows, columns=["project_code", "step", "label", *MEASURES])

    def portfolio_steps(self) -> pd.DataFrame:
        """``step, label`` and the portfolio's change of each measure [EUR] (sums of whole cents)."""
        totals = self.values.groupby("state")[list(MEASURES)].sum()
        diff = totals.diff().iloc[1:]
        frame = pd.DataFrame({"step": list(STEPS), "label": [STEP_LABELS[s] for s in STEPS]})
        for m in MEASURES:
            frame[m] = diff[m].to_numpy(np.int64) / 100.0
        return frame

    def totals(self, state: int) -> dict[str, float]:
        """The portfolio's measures [EUR] in a state (0 = the old basis, 7 = the new one)."""
        part = self.values[self.values["state"] == state]
        return {m: int(part[m].sum()) / 100.0 for m in MEASURES}


def _split_future(flows: pd.DataFrame, V: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    future = flows["jaar"] >= V
    return flows[~future], flows[future]


def _rescaled(old: pd.DataFrame, new: pd.DataFrame, categories) -> pd.DataFrame:
    """``old``'s rows of ``categories`` scaled per project and category to ``new``'s totals; a
    project-category ``old`` does not have comes from ``new`` as it is."""
    o = old[old["categorie"].isin(categories)]
    n = new[new["categorie"].isin(categories)]
    o_tot = o.groupby(["project_code", "categorie"])["bedrag"].sum()
    n_tot = n.groupby(["project_code", "categorie"])["bedrag"].sum()
    key = pd.MultiIndex.from_frame(o[["project_code", "categorie"]])
    old_total = o_tot.reindex(key).to_numpy(float)
    new_total = n_tot.reindex(key).fillna(0.0).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(old_total != 0, new_total / old_total, 0.0)
    scaled = o.assign(bedrag=o["bedrag"].to_numpy(float) * factor)
    # A category whose old total is zero has no proportions to keep: the new rows enter as they are,
    # and the old rows (zero in total) leave.
    empty = set(o_tot[o_tot == 0].index) | (set(n_tot.index) - set(o_tot.index))
    from_new = n[[pair in empty for pair in zip(n["project_code"], n["categorie"])]]
    scaled = scaled[[pair not in empty for pair in zip(scaled["project_code"], scaled["categorie"])]]
    return pd.concat([scaled, from_new], ignore_index=True)


def _continuing(old: Basis, new: Basis) -> list[str]:
    o = old.portfolio.projects.set_index("project_code")["status"]
    n = new.portfolio.projects.set_index("project_code")["status"]
    return [c for c in o.index if c in n.index and o[c] == n[c]]


def _actuals(frame: pd.DataFrame | None, codes, keep: bool, before: int | None = None) -> pd.DataFrame | None:
    if frame is None:
        return None
    rows = frame["project_code"].isin(codes) == keep
    if before is not None:
        rows &= frame["jaar"] < before
    return frame[rows]


def substituted_basis(old: Basis, new: Basis, k: int) -> Basis:
    """The basis after the first ``k`` steps of :data:`STEPS` (0: ``old``, 7: ``new``), simulation off."""
    if k <= 0:
        return old.with_simulation(iterations=0)
    if k >= len(STEPS):
        return new.with_simulation(iterations=0)
    V_old, V = old.valuation_year, new.valuation_year
    po, pn = old.portfolio, new.portfolio
    cont = _continuing(old, new)
    credit = po.credit.set_index("jaar").combine_first(pn.credit.set_index("jaar")).reset_index()
    if k == 1:
        credit["rente_werkelijk"] = credit["rente_werkelijk"].where(credit["jaar"] < V_old)
        actuals = _actuals(old.actuals, [], keep=False, before=V_old)
    else:
        paid = pn.credit.set_index("jaar")["rente_werkelijk"]
        credit["rente_werkelijk"] = credit["jaar"].map(paid).astype(float)
        parts = [_actuals(new.actuals, cont, keep=True), _actuals(old.actuals, cont, keep=False, before=V_old)]
        parts = [p for p in parts if p is not None and not p.empty]
        actuals = pd.concat(parts, ignore_index=True) if parts else None
    if k >= 6:
        credit = pn.credit
    cashflows = po.cashflows
    if k >= 2:
        mine_o = po.cashflows["project_code"].isin(cont) & (po.cashflows["versie"] == "prognose")
        mine_n = pn.cashflows["project_code"].isin(cont) & (pn.cashflows["versie"] == "prognose")
        _, future_o = _split_future(po.cashflows[mine_o], V)
        past_n, future_n = _split_future(pn.cashflows[mine_n], V)
        if k == 2:
            future = future_o
        elif k < 5:
            costs = _rescaled(future_o, future_n, COST_CATEGORIES)
            revenues = (_rescaled(future_o, future_n, REVENUE_CATEGORIES) if k == 4
                        else future_o[future_o["categorie"].isin(REVENUE_CATEGORIES)])
            future = pd.concat([costs, revenues], ignore_index=True)
        else:
            future = future_n
        cashflows = pd.concat([po.cashflows[~mine_o], past_n, future], ignore_index=True)
    later = k >= 6
    portfolio = Portfolio(**{**po.__dict__, "cashflows": cashflows[list(po.cashflows.columns)],
                             "credit": credit[list(po.credit.columns)]})
    return old.with_(portfolio=portfolio, valuation_year=V, actuals=actuals,
                     thresholds=new.thresholds if later else old.thresholds,
                     rate_shift_bp=new.rate_shift_bp if later else old.rate_shift_bp).with_simulation(iterations=0)


def waterfall(old: Basis, new: Basis) -> Waterfall:
    """The verschillenanalyse from ``old`` (e.g. last year's edition) to ``new`` (module notes)."""
    codes = list(dict.fromkeys(old.portfolio.project_codes + new.portfolio.project_codes))
    frames = []
    for k in range(len(STEPS) + 1):
        f = evaluate(substituted_basis(old, new, k)).figures.set_index("project_code").reindex(codes)
        frame = pd.DataFrame({"state": k, "project_code": codes})
        for m in MEASURES:
            frame[m] = np.array([cents_of(x) for x in f[m].fillna(0.0)], dtype=np.int64)
        frames.append(frame)
    return Waterfall(old, new, pd.concat(frames, ignore_index=True))
