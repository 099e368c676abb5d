"""Subsidies provisioned: income recognised by the progress of the eligible costs, not on receipt.

Notes
-----
For a grant ``G`` of a project with eligible period ``[b, e]`` (``beginjaar``, ``eindjaar``):

- eligible costs of year ``y``: the project's category costs of ``y`` (the valuation's flows:
  actuals where the ledger has them, else the forecast) when ``b <= y <= e``, else 0;
- their total ``K``: the grant's ``subsidiabele_kosten`` when given, else the sum over the period;
- recognised up to the end of ``y``: ``R[y] = G * min(1, cumulative eligible costs to y / K)``, in
  cents, half up (so a grant is fully recognised once its eligible costs are spent);
- received up to the end of ``y``: the instalments of ``subsidie_ontvangsten`` up to ``y``;
- ``deferred_income = max(received - recognised, 0)`` (received, not yet earned: account 493) and
  ``accrued_income = max(recognised - received, 0)`` (earned, not yet received: account 491), at the
  end of each year.

The co-financing of a decision is the part of the eligible costs the grant does not cover; each
municipality owes its key (``cofinanciering.sleutel_pct``) of it, in step with the eligible costs
spent: owed up to ``y`` = ``key * (min(eligible costs to y, K) - R[y])``. Still to invoice = owed up to the
end of ``V - 1`` minus ``gefactureerd``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from igemo_fin.agreements.register import Agreements
from igemo_fin.obligations.exact import cents_of
from igemo_fin.valuation.evaluate import Evaluation

__all__ = ["SUBSIDY_YEAR_COLUMNS", "COFINANCING_OWED_COLUMNS", "subsidy_schedule", "cofinancing_owed",
           "recognised_fraction", "by_year"]

#: :func:`subsidy_schedule`: one row per grant decision and year.
SUBSIDY_YEAR_COLUMNS = (
    "besluit", "subsidiegever", "project_code", "jaar", "is_past",
    "eligible_costs",          # [EUR] eligible costs of the year
    "eligible_cumulative",     # [EUR]
    "recognised_in_year", "recognised_cumulative",  # [EUR]
    "received_in_year", "received_cumulative",      # [EUR]
    "deferred_income",         # [EUR] received - recognised at the year end, when positive
    "accrued_income",          # [EUR] recognised - received at the year end, when positive
)

#: :func:`cofinancing_owed`: one row per decision and municipality.
COFINANCING_OWED_COLUMNS = (
    "besluit", "project_code", "gemeente", "sleutel_pct",
    "cofinancing_total",   # [EUR] key * (eligible costs - grant), over the whole period
    "owed_to_date",        # [EUR] key * (eligible costs to V-1 - recognised to V-1)
    "invoiced",            # [EUR] gefactureerd
    "to_invoice",          # [EUR] owed_to_date - invoiced (negative: invoiced ahead)
)


def recognised_fraction(eligible_cumulative_c: int, eligible_total_c: int) -> Decimal:
    """``min(1, cumulative / total)``, exact; 0 without eligible costs.

    >>> recognised_fraction(300, 1_000), recognised_fraction(1_200, 1_000), recognised_fraction(5, 0)
    (Decimal('0.3'), Decimal('1'), Decimal('0'))
    """
    if eligible_total_c <= 0:
        return Decimal(0)
    return min(Decimal(1), Decimal(max(eligible_cumulative_c, 0)) / Decimal(eligible_total_c))


def _times(amount_c: int, fraction: Decimal) -> int:
    return int((Decimal(amount_c) * fraction).to_integral_value(rounding=ROUND_HALF_UP))


def _costs_by_year(ev: Evaluation, code: str) -> dict[int, int]:
    y = ev.yearly[ev.yearly["project_code"] == code]
    return {int(year): cents_of(cost) for year, cost in zip(y["jaar"], y["costs"])}


def subsidy_schedule(agreements: Agreements, ev: Evaluation) -> pd.DataFrame:
    """Per grant and year: eligible costs, income recognised and received, deferred and accrued income.

    The years run from the first of the eligible period, the project's span and the receipts to the
    last of them. See the module notes for the definitions.
    """
    V = ev.valuation_year
    rows = []
    receipts = agreements.receipts
    for grant in agreements.subsidies.itertuples(index=False):
        costs = _costs_by_year(ev, grant.project_code)
        paid = receipts[receipts["besluit"] == grant.besluit]
        paid_by = paid.groupby("jaar")["bedrag"].sum() if not paid.empty else pd.Series(dtype=float)
        years = [int(grant.beginjaar), int(grant.eindjaar), *costs, *(int(y) for y in paid_by.index)]
        eligible = {y: c for y, c in costs.items() if grant.beginjaar <= y <= grant.eindjaar}
        total_c = cents_of(grant.subsidiabele_kosten) if pd.notna(grant.subsidiabele_kosten) \
            else sum(eligible.values())
        granted_c = cents_of(grant.toegekend)
        cum_e = cum_rec = cum_paid = 0
        for year in range(min(years), max(years) + 1):
            e_c = eligible.get(year, 0)
            cum_e += e_c
            rec = _times(granted_c, recognised_fraction(cum_e, total_c))
            paid_c = cents_of(paid_by.get(year, 0.0))
            cum_paid += paid_c
            balance = cum_paid - rec
            rows.append((grant.besluit, grant.subsidiegever, grant.project_code, year, year < V, e_c / 100,
                         cum_e / 100, (rec - cum_rec) / 100, rec / 100, paid_c / 100, cum_paid / 100,
                         max(balance, 0) / 100, max(-balance, 0) / 100))
            cum_rec = rec
    return pd.DataFrame(rows, columns=list(SUBSIDY_YEAR_COLUMNS))


def cofinancing_owed(agreements: Agreements, ev: Evaluation, schedule: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per decision and municipality: the co-financing over the period, owed so far, invoiced, to invoice.

    ``schedule`` may pass an already computed :func:`subsidy_schedule`.
    """
    s = subsidy_schedule(agreements, ev) if schedule is None else schedule
    grants = agreements.subsidies.set_index("besluit")
    rows = []
    for key in agreements.cofinancing.itertuples(index=False):
        grant = grants.loc[key.besluit]
        g = s[s["besluit"] == key.besluit]
        past = g[g["jaar"] < ev.valuation_year]
        eligible_total = cents_of(grant["subsidiabele_kosten"]) if pd.notna(grant["subsidiabele_kosten"]) \
            else cents_of(g["eligible_costs"].sum())
        uncovered_total = max(eligible_total - cents_of(grant["toegekend"]), 0)
        uncovered_now = 0 if past.empty else max(
            min(cents_of(past["eligible_cumulative"].iloc[-1]), eligible_total)
            - cents_of(past["recognised_cumulative"].iloc[-1]), 0)
        fraction = Decimal(str(key.sleutel_pct)) / 100
        owed = _times(uncovered_now, fraction)
        invoiced = cents_of(key.gefactureerd)
        rows.append((key.besluit, grant["project_code"], key.gemeente, float(key.sleutel_pct),
                     _times(uncovered_total, fraction) / 100, owed / 100, invoiced / 100, (owed - invoiced) / 100))
    return pd.DataFrame(rows, columns=list(COFINANCING_OWED_COLUMNS))


def by_year(schedule: pd.DataFrame, column: str, decision: str) -> dict[str, float]:
    """``{year: amount}`` of one decision's column, leaving out zero years (for the JSON)."""
    g = schedule[schedule["besluit"] == decision]
    return {str(int(y)): float(v) for y, v in zip(g["jaar"], g[column]) if not np.isclose(v, 0.0)}
