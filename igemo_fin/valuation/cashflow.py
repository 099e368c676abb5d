"""Budget, forecast and actuals -> yearly flows per project (DOMAIN.md, "Time" and "Net flow").

Past years (``< V``) take the ledger's actuals where the ledger has lines for that project in that
year, else the forecast; years ``>= V`` take the forecast (``prognose``). The budget (``begroting``)
is kept apart for the post-calculation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from igemo_fin.columns import COST_CATEGORIES, REVENUE_CATEGORIES

__all__ = ["yearly_flows", "FlowMatrix", "flow_matrix"]

#: Columns of :func:`yearly_flows`: signed amounts [EUR] per project, year and category, and
#: where they come from (``prognose``, ``werkelijk`` or ``begroting``).
FLOW_COLUMNS = ("project_code", "jaar", "categorie", "bedrag", "bron")


def yearly_flows(cashflows: pd.DataFrame, valuation_year: int, *, version: str = "prognose",
                 actuals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The flows the valuation uses, summed per project, year and category.

    Parameters
    ----------
    cashflows : DataFrame
        ``project_code, versie, jaar, categorie, bedrag`` (signed) from the workbook.
    valuation_year : int
        ``V``: years before it are the past.
    version : {"prognose", "begroting"}
        The version to read. Actuals replace only the forecast, never the budget.
    actuals : DataFrame, optional
        ``project_code, jaar, categorie, bedrag`` (signed) from the ledger. Only years ``< V``
        are used; a project-year with any actual line replaces that year's forecast entirely.

    Returns
    -------
    DataFrame
        :data:`FLOW_COLUMNS`, sorted by project and year.
    """
    chosen = cashflows.loc[cashflows["versie"] == version, ["project_code", "jaar", "categorie", "bedrag"]]
    flows = chosen.groupby(["project_code", "jaar", "categorie"], as_index=False, sort=True)["bedrag"].sum()
    flows["bron"] = version
    if actuals is not None and version == "prognose" and not actuals.empty:
        past = actuals.loc[actuals["jaar"] < valuation_year, ["project_code", "jaar", "categorie", "bedrag"]]
        past = past.groupby(["project_code", "jaar", "categorie"], as_index=False, sort=True)["bedrag"].sum()
        past["bron"] = "werkelijk"
        replaced = pd.MultiIndex.from_frame(past[["project_code", "jaar"]].drop_duplicates())
        keep = ~pd.MultiIndex.from_frame(flows[["project_code", "jaar"]]).isin(replaced)
        flows = pd.concat([flows[keep], past], ignore_index=True)
    return flows.sort_values(["project_code", "jaar", "categorie"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class FlowMatrix:
    """Yearly flows of a set of projects on one grid of calendar years.

    ``net``, ``costs`` and ``revenues`` are (projects x years) arrays [EUR]; ``costs`` are positive
    magnitudes. ``first`` and ``last`` are the column indices of each project's span (-1 when a
    project has no flows).
    """

    codes: list[str]
    years: np.ndarray
    net: np.ndarray
    costs: np.ndarray
    revenues: np.ndarray
    first: np.ndarray
    last: np.ndarray

    def has_span(self) -> np.ndarray:
        return self.first >= 0

    def in_span(self) -> np.ndarray:
        """Boolean (projects x years): the year lies within the project's span."""
        idx = np.arange(self.years.size)
        return (idx[None, :] >= self.first[:, None]) & (idx[None, :] <= self.last[:, None])


def flow_matrix(flows: pd.DataFrame, codes: list[str], *, years: np.ndarray | None = None) -> FlowMatrix:
    """Pivot long flows into a :class:`FlowMatrix` on a year grid covering every span.

    A project's span runs from its first to its last year with a flow line (even one of zero).
    """
    if years is None:
        if flows.empty:
            years = np.arange(0, dtype=np.int64)
        else:
            years = np.arange(int(flows["jaar"].min()), int(flows["jaar"].max()) + 1, dtype=np.int64)
    n_p, n_y = len(codes), years.size
    net = np.zeros((n_p, n_y))
    costs = np.zeros((n_p, n_y))
    revenues = np.zeros((n_p, n_y))
    first = np.full(n_p, -1, dtype=np.int64)
    last = np.full(n_p, -1, dtype=np.int64)
    if n_y and not flows.empty:
        position = pd.Series(np.arange(n_p), index=pd.Index(codes))
        rows = position.reindex(flows["project_code"]).to_numpy()
        known = ~np.isnan(rows.astype(float))
        rows = rows[known].astype(np.int64)
        cols = flows["jaar"].to_numpy()[known].astype(np.int64) - int(years[0])
        amounts = flows["bedrag"].to_numpy(dtype=float)[known]
        is_cost = flows["categorie"].isin(COST_CATEGORIES).to_numpy()[known]
        is_revenue = flows["categorie"].isin(REVENUE_CATEGORIES).to_numpy()[known]
        np.add.at(net, (rows, cols), amounts)
        np.add.at(costs, (rows[is_cost], cols[is_cost]), -amounts[is_cost])
        np.add.at(revenues, (rows[is_revenue], cols[is_revenue]), amounts[is_revenue])
        first_col = np.full(n_p, np.iinfo(np.int64).max)
        last_col = np.full(n_p, -1)
        np.minimum.at(first_col, rows, cols)
        np.maximum.at(last_col, rows, cols)
        has = last_col >= 0
        first[has] = first_col[has]
        last[has] = last_col[has]
    return FlowMatrix(list(codes), years, net, costs, revenues, first, last)
