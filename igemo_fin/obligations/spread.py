"""The spread of the return: the result recognised per year against the cash of that year.

DOMAIN.md, "Risk, sharing and provisions". A choice where DOMAIN.md is silent (documented for
finance): a profitable project recognises ``result * POC(Y)`` cumulatively at the end of ``Y``; a
loss-making one recognises its whole loss at once in the year it is foreseen: the year whose
accounts this valuation closes (``V - 1``), brought within the project's span (its first year for
a project that starts later, its last year for one that ended earlier).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from igemo_fin.obligations.basis import project_basis
from igemo_fin.obligations.exact import cents_of, times_poc
from igemo_fin.obligations.recognition import year_end_poc
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["RETURN_SPREAD_COLUMNS", "RETURN_SPREAD_PORTFOLIO_COLUMNS", "return_spread", "return_spread_portfolio"]

#: :func:`return_spread`: one row per project and year of its span.
RETURN_SPREAD_COLUMNS = (
    "project_code", "gemeente", "jaar", "is_past",
    "costs", "revenues",         # [EUR] category flows of the year (positive magnitudes)
    "net_flow",                  # [EUR] revenues - costs (interest excluded)
    "interest",                  # [EUR] interest carried that year
    "cash_result",               # [EUR] net_flow - interest: the cash result of the year
    "cash_result_cumulative",    # [EUR] running sum of cash_result (= -book value at year end)
    "poc_cumulative",            # [fraction] POC at the end of the year
    "recognised_cumulative",     # [EUR] result recognised up to the year end
    "recognised_in_year",        # [EUR] result recognised in the year
    "profit_share_provision",    # [EUR] provision standing at the year end
    "recognised_igemo_cumulative",  # [EUR] IGEMO's part: after profit share, after risk sharing
    "recognised_igemo_in_year",  # [EUR]
)

#: :func:`return_spread_portfolio`: one row per year, summed over the projects.
RETURN_SPREAD_PORTFOLIO_COLUMNS = (
    "jaar", "is_past", "costs", "revenues", "net_flow", "interest", "cash_result", "cash_result_cumulative",
    "recognised_in_year", "recognised_cumulative", "recognised_igemo_in_year", "recognised_igemo_cumulative",
    "profit_share_provision",
)


def return_spread(portfolio: Portfolio, ev: Evaluation) -> pd.DataFrame:
    """The result recognised per year by percentage of completion, against the cash of that year.

    Returns
    -------
    DataFrame
        :data:`RETURN_SPREAD_COLUMNS`, one row per project and year of its span. Over the whole
        life ``recognised_in_year`` adds up to the result, as ``cash_result`` does: the two only
        differ in timing.

    Notes
    -----
    Profitable project: ``recognised_cumulative[Y] = result * POC(end of Y)``. Loss-making
    project: the whole result is recognised in the year ``F = clamp(V - 1, first year, last year)``
    (the write-down rule: a foreseen loss is taken at once) and nothing before. IGEMO's part:
    for a profit, the recognised result minus the profit-share provision standing at the year end;
    for a loss, minus IGEMO's share of the loss only (the municipality carries the rest).
    """
    b = project_basis(portfolio, ev)
    V = ev.valuation_year
    info = {code: i for i, code in enumerate(b.frame["project_code"])}
    poc = year_end_poc(ev)
    poc_by = {(c, int(y)): p for c, y, p in zip(poc["project_code"], poc["jaar"], poc["poc_dec"])}
    y = ev.yearly.sort_values(["project_code", "jaar"], kind="stable")
    rows = []
    for code, g in y.groupby("project_code", sort=False):
        i = info[code]
        result_c, owed_c = int(b.result_c[i]), int(b.owed_c[i])
        first, last = int(b.first_year[i]), int(b.last_year[i])
        foreseen = min(max(V - 1, first), last)
        prev_rec = prev_igemo = 0
        cash_cum = 0
        for rec in g.itertuples(index=False):
            year = int(rec.jaar)
            p = poc_by.get((code, year), Decimal(0))
            costs_c, revenues_c = cents_of(rec.costs), cents_of(rec.revenues)
            interest_c = cents_of(rec.interest)
            net_c = revenues_c - costs_c
            cash_c = net_c - interest_c
            cash_cum += cash_c
            provision_c = times_poc(owed_c, p)
            if result_c >= 0:
                rec_cum = times_poc(result_c, p)
                igemo_cum = rec_cum - provision_c
            else:
                rec_cum = result_c if year >= foreseen else 0
                igemo_cum = -int(b.igemo_c[i]) if year >= foreseen else 0
            rows.append((code, b.frame["gemeente"].iat[i], year, year < V, costs_c / 100.0, revenues_c / 100.0,
                         net_c / 100.0, interest_c / 100.0, cash_c / 100.0, cash_cum / 100.0, float(p),
                         rec_cum / 100.0, (rec_cum - prev_rec) / 100.0, provision_c / 100.0,
                         igemo_cum / 100.0, (igemo_cum - prev_igemo) / 100.0))
            prev_rec, prev_igemo = rec_cum, igemo_cum
    frame = pd.DataFrame(rows, columns=list(RETURN_SPREAD_COLUMNS))
    frame = frame.sort_values(["project_code", "jaar"],
                              key=lambda s: s.map(info) if s.name == "project_code" else s, kind="stable")
    return frame.reset_index(drop=True)


def return_spread_portfolio(portfolio: Portfolio, ev: Evaluation,
                            spread: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`return_spread` summed over the projects per year (:data:`RETURN_SPREAD_PORTFOLIO_COLUMNS`).

    ``spread`` may pass an already computed :func:`return_spread`. The cumulative columns run over
    the portfolio's years; a project's provision stands until its last year.
    """
    s = return_spread(portfolio, ev) if spread is None else spread
    columns = ["costs", "revenues", "net_flow", "interest", "cash_result", "recognised_in_year",
               "recognised_igemo_in_year", "profit_share_provision"]
    if s.empty:
        return pd.DataFrame(columns=list(RETURN_SPREAD_PORTFOLIO_COLUMNS))
    cents = s[["jaar"]].copy()
    for column in columns:
        cents[column] = [cents_of(x) for x in s[column]]
    by_year = cents.groupby("jaar", sort=True)[columns].sum()
    years = np.arange(int(by_year.index.min()), int(by_year.index.max()) + 1)
    by_year = by_year.reindex(years, fill_value=0)
    out = pd.DataFrame({"jaar": years, "is_past": years < ev.valuation_year})
    for column in columns:
        out[column] = by_year[column].to_numpy(np.int64) / 100.0
    out["cash_result_cumulative"] = np.cumsum(by_year["cash_result"].to_numpy(np.int64)) / 100.0
    out["recognised_cumulative"] = np.cumsum(by_year["recognised_in_year"].to_numpy(np.int64)) / 100.0
    out["recognised_igemo_cumulative"] = np.cumsum(by_year["recognised_igemo_in_year"].to_numpy(np.int64)) / 100.0
    return out[list(RETURN_SPREAD_PORTFOLIO_COLUMNS)]
