"""Land funds (grondfondsen): each fund's balance per year, its settlement and a what-if of its terms.

Notes
-----
A fund ``f`` runs from ``beginjaar`` ``b`` to ``eindjaar`` ``e``. Its balance at the end of year ``y``:

``B[y] = beginsaldo + grondinbreng + sum of movements up to y + sum of result shares up to y``

- ``grondinbreng``: the land the partner contributed, at its agreed value, counted in year ``b``;
- movements: the agreed deposits (+) and withdrawals (-) of ``grondfonds_bewegingen``;
- result share of a linked project ``p``: ``aandeel_resultaat_pct / 100 * result_nominal[p]`` (its
  forecast full-life result, a loss counting negative), in the year the project ends, brought within
  ``[b, e]`` (a project that runs past the fund's end is settled on its forecast).

Settlement at ``e`` of the closing balance ``B``: a surplus (``B >= 0``) goes ``overschot_igemo_pct``
to IGEMO and the rest to the partner; a deficit ``D = -B`` is covered by the partner for
``min(D * tekort_gemeente_pct / 100, tekort_plafond)`` (no cap when empty) and by IGEMO for the rest
(the same split as a project's risk sharing, :func:`~igemo_fin.obligations.sharing.split_loss`).
``igemo_share`` is what IGEMO gets (+) or carries (-); its exposure is ``max(0, -igemo_share)``.

With the simulation on, each iteration's projected results of the linked projects give a closing
balance and a settlement; P10/P90 are numpy's linear percentiles over the iterations. The effect on
the risk-capacity ratio adds IGEMO's fund exposure of each iteration to IGEMO's portfolio loss of
that iteration (:mod:`igemo_fin.risk.capacity`) before the P90 is taken.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from igemo_fin.agreements.register import Agreements
from igemo_fin.obligations.sharing import split_loss
from igemo_fin.risk.capacity import capacity_summary, shared_losses
from igemo_fin.valuation.evaluate import Evaluation

__all__ = ["FUND_YEAR_COLUMNS", "SETTLEMENT_COLUMNS", "REVISABLE_TERMS", "fund_balances", "settle",
           "fund_settlements", "revise_fund", "fund_what_if"]

#: :func:`fund_balances`: one row per fund and year of its term.
FUND_YEAR_COLUMNS = ("fonds", "gemeente", "jaar", "movements", "land_contribution", "result_share",
                     "balance_end")
#: :func:`fund_settlements`: one row per fund.
SETTLEMENT_COLUMNS = (
    "fonds", "naam", "gemeente", "eindjaar", "projecten",
    "balance_end",        # [EUR] forecast closing balance
    "igemo_share",        # [EUR] IGEMO gets (+) or carries (-)
    "partner_share",      # [EUR] the partner gets (+) or carries (-)
    "igemo_exposure",     # [EUR] max(0, -igemo_share)
    "balance_p10", "balance_p90", "igemo_share_p10", "igemo_share_p90",  # [EUR] NaN without simulation
)
#: The terms :func:`revise_fund` may change.
REVISABLE_TERMS = ("aandeel_resultaat_pct", "overschot_igemo_pct", "tekort_gemeente_pct", "tekort_plafond",
                   "eindjaar")


def settle(balance, surplus_igemo_pct: float, deficit_partner_pct: float, cap: float | None):
    """Split a closing balance between IGEMO and the partner: ``(igemo, partner)``, signed.

    >>> settle(np.array([1_000.0, -1_000.0, -10_000.0]), 40.0, 50.0, 2_000.0)
    (array([  400.,  -500., -8000.]), array([  600.,  -500., -2000.]))
    """
    balance = np.asarray(balance, dtype=float)
    surplus = np.clip(balance, 0, None)
    partner_cover, igemo_cover = split_loss(np.clip(-balance, 0, None), deficit_partner_pct,
                                            np.nan if cap is None or pd.isna(cap) else cap)
    igemo = surplus * surplus_igemo_pct / 100.0 - igemo_cover
    return igemo, (surplus - surplus * surplus_igemo_pct / 100.0) - partner_cover


def _result_years(ev: Evaluation) -> dict[str, tuple[int, float]]:
    f = ev.figures
    return {code: (int(last), float(result)) for code, last, result in
            zip(f["project_code"], f["last_year"], f["result_nominal"]) if last >= 0}


def fund_balances(agreements: Agreements, ev: Evaluation) -> pd.DataFrame:
    """Each fund's movements and balance per year of its term (see the module notes)."""
    results = _result_years(ev)
    rows = []
    moves = agreements.fund_movements
    for fund in agreements.funds.itertuples(index=False):
        b, e = int(fund.beginjaar), int(fund.eindjaar)
        shares: dict[int, float] = {}
        for code in fund.projecten:
            if code in results:
                year, result = results[code]
                year = min(max(year, b), e)
                shares[year] = shares.get(year, 0.0) + fund.aandeel_resultaat_pct / 100.0 * result
        own = moves[(moves["fonds"] == fund.fonds) & moves["jaar"].between(b, e)].groupby("jaar")["bedrag"].sum()
        balance = float(fund.beginsaldo)
        for year in range(b, e + 1):
            movement = float(own.get(year, 0.0))
            land = float(fund.grondinbreng) if year == b else 0.0
            share = shares.get(year, 0.0)
            balance += movement + land + share
            rows.append((fund.fonds, fund.gemeente, year, movement, land, share, balance))
    return pd.DataFrame(rows, columns=list(FUND_YEAR_COLUMNS))


def _linked(fund, codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    index = {c: i for i, c in enumerate(codes)}
    cols = np.array([index[c] for c in fund.projecten if c in index], dtype=int)
    return cols, np.full(cols.size, fund.aandeel_resultaat_pct / 100.0)


def _outcomes(ev: Evaluation) -> tuple[list[str], np.ndarray]:
    """The project codes and the results per iteration: the simulation's, or the forecast as one row."""
    sim = ev.simulation
    if sim is not None:
        return list(sim.codes), np.asarray(sim.result_nominal, dtype=float)
    return ev.figures["project_code"].tolist(), ev.figures["result_nominal"].to_numpy(float)[None, :]


def _closing(agreements: Agreements, ev: Evaluation) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    balances = fund_balances(agreements, ev)
    codes, outcomes = _outcomes(ev)
    base = ev.figures.set_index("project_code").reindex(codes)["result_nominal"].to_numpy(float)
    closing, per_iteration = {}, {}
    for fund in agreements.funds.itertuples(index=False):
        rows = balances[balances["fonds"] == fund.fonds]
        closing[fund.fonds] = float(rows["balance_end"].iloc[-1])
        cols, share = _linked(fund, codes)
        delta = (outcomes[:, cols] - base[cols]) @ share if cols.size else np.zeros(outcomes.shape[0])
        per_iteration[fund.fonds] = closing[fund.fonds] + delta
    frame = agreements.funds.assign(balance_end=agreements.funds["fonds"].map(closing))
    return frame, per_iteration


def fund_settlements(agreements: Agreements, ev: Evaluation) -> pd.DataFrame:
    """Per fund: the forecast closing balance, its settlement and, with a simulation, its P10/P90."""
    frame, per_iteration = _closing(agreements, ev)
    simulated = ev.simulation is not None
    rows = []
    for fund in frame.itertuples(index=False):
        igemo, partner = settle(fund.balance_end, fund.overschot_igemo_pct, fund.tekort_gemeente_pct,
                                fund.tekort_plafond)
        spread = [np.nan] * 4
        if simulated:
            b = per_iteration[fund.fonds]
            ig, _ = settle(b, fund.overschot_igemo_pct, fund.tekort_gemeente_pct, fund.tekort_plafond)
            spread = [*np.percentile(b, [10, 90]), *np.percentile(ig, [10, 90])]
        rows.append((fund.fonds, fund.naam, fund.gemeente, int(fund.eindjaar), ", ".join(fund.projecten),
                     fund.balance_end, float(igemo), float(partner), max(0.0, -float(igemo)), *map(float, spread)))
    return pd.DataFrame(rows, columns=list(SETTLEMENT_COLUMNS))


def revise_fund(agreements: Agreements, fonds: str, **changes) -> Agreements:
    """The agreements with some terms of fund ``fonds`` changed (:data:`REVISABLE_TERMS`)."""
    unknown = set(changes) - set(REVISABLE_TERMS)
    if unknown:
        raise ValueError(f"onbekende voorwaarde(n): {', '.join(sorted(unknown))}")
    funds = agreements.funds.copy()
    at = funds.index[funds["fonds"] == fonds]
    if at.empty:
        raise ValueError(f"onbekend fonds '{fonds}'")
    for column, value in changes.items():
        if column == "eindjaar" and int(value) < int(funds.loc[at[0], "beginjaar"]):
            raise ValueError("het eindjaar ligt voor het beginjaar van het fonds")
        funds.loc[at, column] = value
    return replace(agreements, funds=funds)


def _capacity(agreements: Agreements, ev: Evaluation) -> float:
    """The risk-capacity ratio with IGEMO's fund exposure added to its portfolio loss (module notes)."""
    portfolio = ev.basis.portfolio
    codes, outcomes = _outcomes(ev)
    _, _, igemo = shared_losses(portfolio, codes, outcomes)
    loss = igemo.sum(axis=1)
    frame, per_iteration = _closing(agreements, ev)
    for fund in frame.itertuples(index=False):
        ig, _ = settle(per_iteration[fund.fonds], fund.overschot_igemo_pct, fund.tekort_gemeente_pct,
                       fund.tekort_plafond)
        loss = loss + np.clip(-ig, 0, None)
    return capacity_summary(portfolio.settings.eigen_vermogen, loss)["risk_capacity_ratio"]


def fund_what_if(agreements: Agreements, ev: Evaluation, fonds: str, **changes) -> pd.DataFrame:
    """The current agreement of fund ``fonds`` beside revised terms: one row each (``versie``).

    Columns: ``versie`` (``huidig``, ``herzien``), the :data:`SETTLEMENT_COLUMNS` of that fund and
    ``risk_capacity_ratio`` (the whole portfolio's, with every fund's exposure).
    """
    revised = revise_fund(agreements, fonds, **changes)
    out = []
    for label, version in (("huidig", agreements), ("herzien", revised)):
        row = fund_settlements(version, ev)
        row = row[row["fonds"] == fonds].assign(versie=label, risk_capacity_ratio=_capacity(version, ev))
        out.append(row)
    frame = pd.concat(out, ignore_index=True)
    return frame[["versie", *SETTLEMENT_COLUMNS, "risk_capacity_ratio"]]
