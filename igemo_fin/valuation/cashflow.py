"""Budget, forecast and actuals -> yearly flows per project (DOMAIN.md, "Time" and "Net flow").

Past years (``< V``) take the ledger's actuals where the ledger has lines for that project in that
year, else the forecast; years ``>= V`` take the forecast (``prognose``). The budget (``begroting``)
is kept apart for the post-calculation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from igemo_fin.columns import COST_CATEGORIES, REVENUE_CATEGORIES
from igemo_fin.valuation.text_arrays import arrow_text, equals_text, factorize_text, str_array

__all__ = ["yearly_flows", "FlowMatrix", "flow_matrix", "flows_and_matrix"]

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
    return _flows_and_keys(cashflows, valuation_year, version, actuals)[0]


def flows_and_matrix(cashflows: pd.DataFrame, valuation_year: int, codes: list[str], *,
                     actuals: pd.DataFrame | None = None) -> tuple[pd.DataFrame, FlowMatrix]:
    """``yearly_flows(...)`` of the forecast and its ``flow_matrix(flows, codes)`` at once: the
    matrix is filled from the keys the summing found instead of reading the frame back.

    >>> import pandas as pd
    >>> lines = pd.DataFrame({"project_code": ["B", "A", "A"], "versie": "prognose", "jaar": [2025, 2024, 2026],
    ...                       "categorie": ["verkoop", "verwerving", "verkoop"], "bedrag": [5.0, -3.0, 4.0]})
    >>> flows, fm = flows_and_matrix(lines, 2025, ["A", "B"])
    >>> fm.net.tolist(), fm.first.tolist(), fm.last.tolist()
    ([[-3.0, 0.0, 4.0], [0.0, 5.0, 0.0]], [0, 1], [2, 1])
    """
    flows, keys = _flows_and_keys(cashflows, valuation_year, "prognose", actuals)
    if keys is None:  # actuals replaced part of the forecast: the frame is the one source
        return flows, flow_matrix(flows, codes)
    projects, project_of, years, categories, category_of = keys
    grid = np.arange(int(years.min()), int(years.max()) + 1, dtype=np.int64) if years.size else np.zeros(0, np.int64)
    rows = np.append(_positions(projects, codes), -1)[project_of] if years.size else np.zeros(0, np.int64)
    is_cost = np.append(np.isin(categories, COST_CATEGORIES), False)[category_of]
    is_revenue = np.append(np.isin(categories, REVENUE_CATEGORIES), False)[category_of]
    cols = years - (grid[0] if grid.size else 0)
    return flows, _matrix(codes, grid, rows, cols, flows["bedrag"].to_numpy(dtype=float), is_cost, is_revenue)


def _flows_and_keys(cashflows: pd.DataFrame, valuation_year: int, version: str, actuals: pd.DataFrame | None):
    """:func:`yearly_flows` and, when the frame is one summing, its keys (see :func:`_summed`)."""
    flows, keys = _summed(cashflows, equals_text(cashflows["versie"], version), version)
    if actuals is not None and version == "prognose" and not actuals.empty:
        past = _summed(actuals, (actuals["jaar"] < valuation_year).to_numpy(), "werkelijk")[0]
        replaced = pd.MultiIndex.from_frame(past[["project_code", "jaar"]].drop_duplicates())
        keep = ~pd.MultiIndex.from_frame(flows[["project_code", "jaar"]]).isin(replaced)
        flows = pd.concat([flows[keep], past], ignore_index=True)
        return flows.sort_values(list(_KEYS), kind="stable").reset_index(drop=True), None
    return flows, keys


_KEYS = ("project_code", "jaar", "categorie")


def _summed(table: pd.DataFrame, chosen: np.ndarray, source: str) -> tuple[pd.DataFrame, tuple]:
    """``bedrag`` of the ``chosen`` lines summed per project, year and category, sorted by them;
    ``bron`` is ``source``. With the frame, its keys: the distinct projects, each row's position
    among them, each row's year, the distinct categories and each row's position among them.

    What ``groupby(_KEYS, sort=True).sum()`` gives (lines with a missing key are left out, a missing
    amount counts as 0), with one integer key per line instead of a pandas groupby on three columns.
    """
    codes, uniques = [], []
    for key in _KEYS:
        code, unique = _factorized(table[key], chosen)
        codes.append(code)
        uniques.append(unique)
    valid = np.logical_and.reduce([c >= 0 for c in codes]) if chosen.any() else np.zeros(0, dtype=bool)
    sizes = tuple(max(len(u), 1) for u in uniques)
    flat = np.ravel_multi_index(tuple(c[valid] for c in codes), sizes)
    amounts = np.nan_to_num(table["bedrag"].to_numpy(dtype=float)[chosen][valid])
    key_space = int(np.prod(sizes))
    step = np.diff(flat)
    if (step >= 0).all():
        # Lines already in key order (a workbook sorted by project and year): each new key starts a group.
        starts = np.concatenate(([True], step > 0)) if flat.size else np.zeros(0, dtype=bool)
        groups = flat[starts]
        totals = np.bincount(np.cumsum(starts) - 1, weights=amounts, minlength=groups.size)
    elif key_space <= 16 * flat.size + 65_536:
        # Few possible keys (projects x years x categories): a count per key instead of a sort.
        present = np.zeros(key_space, dtype=bool)
        present[flat] = True
        groups = np.flatnonzero(present)
        totals = np.bincount(flat, weights=amounts, minlength=key_space)[groups]
    else:
        groups, inverse = np.unique(flat, return_inverse=True)
        totals = np.bincount(inverse, weights=amounts, minlength=groups.size)
    at = np.unravel_index(groups, sizes)
    # Every line a key of its own, already in key order (one line per project, year and category):
    # the keys are the lines' own, copied instead of taken from the distinct values line by line.
    own = len(table) == flat.size == groups.size and bool((step > 0).all())
    summed = {key: table[key].array.copy() if own and table[key].dtype == unique.dtype else unique.take(i)
              for key, unique, i in zip(_KEYS, uniques, at)}
    # the source as Arrow repeats it: pandas broadcasts a scalar through a Python object per line
    sources = str_array(pa.repeat(pa.scalar(source, pa.large_string()), totals.size))
    frame = pd.DataFrame({**summed, "bedrag": totals, "bron": sources}, columns=list(FLOW_COLUMNS),
                         copy=False)  # every column is new here: nothing to copy
    return frame, (uniques[0], at[0], frame["jaar"].to_numpy().astype(np.int64), uniques[2], at[2])


def _factorized(column: pd.Series, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray | pd.Index]:
    """``pd.factorize(column[chosen], sort=True)``; whole years are coded by their offset from the
    first year instead (their sorted uniques are a range, with years no line has left unused)."""
    if pd.api.types.is_integer_dtype(column.dtype):
        values = column.to_numpy()[chosen].astype(np.int64)
        if values.size == 0:
            return values, np.zeros(0, dtype=np.int64)
        first = int(values.min())
        return values - first, np.arange(first, int(values.max()) + 1, dtype=np.int64)
    return factorize_text(column, chosen)


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
    line_cells: np.ndarray | None = field(default=None, repr=False)
    """Per line of the flows the matrix was built from, its cell ``row * len(years) + column``
    (-1 for a project not in ``codes``); None when the matrix was not built from lines."""

    def has_span(self) -> np.ndarray:
        return self.first >= 0

    def in_span(self) -> np.ndarray:
        """Boolean (projects x years): the year lies within the project's span."""
        idx = np.arange(self.years.size)
        return (idx[None, :] >= self.first[:, None]) & (idx[None, :] <= self.last[:, None])

    def span_cells(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of every cell within a span, project by project: ``np.nonzero(self.in_span())``
        counted from the spans' bounds instead of scanning the matrix.

        >>> fm = FlowMatrix(["A", "B", "C"], np.arange(4), *[np.zeros((3, 4))] * 3, np.array([1, -1, 0]),
        ...                 np.array([2, -1, 0]))
        >>> [c.tolist() for c in fm.span_cells()]
        [[0, 0, 2], [1, 2, 0]]
        """
        lengths = np.where(self.first >= 0, self.last - self.first + 1, 0)
        rows = np.repeat(np.arange(lengths.size), lengths)
        starts = np.cumsum(lengths) - lengths  # each span's first position among the cells
        return rows, np.arange(rows.size) - np.repeat(starts - self.first, lengths)


def flow_matrix(flows: pd.DataFrame, codes: list[str], *, years: np.ndarray | None = None) -> FlowMatrix:
    """Pivot long flows into a :class:`FlowMatrix` on a year grid covering every span.

    A project's span runs from its first to its last year with a flow line (even one of zero).
    """
    if years is None:
        if flows.empty:
            years = np.arange(0, dtype=np.int64)
        else:
            years = np.arange(int(flows["jaar"].min()), int(flows["jaar"].max()) + 1, dtype=np.int64)
    if flows.empty:
        none = np.zeros(0, dtype=np.int64)
        return _matrix(codes, years, none, none, np.zeros(0), none.astype(bool), none.astype(bool))
    # categories are few: test each distinct one, not each line
    category, categories = pd.factorize(flows["categorie"])
    return _matrix(codes, years, _positions(flows["project_code"], codes),
                   flows["jaar"].to_numpy().astype(np.int64) - (int(years[0]) if years.size else 0),
                   flows["bedrag"].to_numpy(dtype=float),
                   np.append(np.isin(categories, COST_CATEGORIES), False)[category],
                   np.append(np.isin(categories, REVENUE_CATEGORIES), False)[category])


def _matrix(codes: list[str], years: np.ndarray, rows: np.ndarray, cols: np.ndarray, amounts: np.ndarray,
            is_cost: np.ndarray, is_revenue: np.ndarray) -> FlowMatrix:
    """The matrix of flow lines given as each line's row (-1: not a project of ``codes``), column,
    signed amount and whether it is a cost or a revenue."""
    n_p, n_y = len(codes), years.size
    first = np.full(n_p, -1, dtype=np.int64)
    last = np.full(n_p, -1, dtype=np.int64)
    line_cells = np.full(rows.size, -1, dtype=np.int64)
    if not (n_y and rows.size):
        net, costs, revenues = np.zeros((n_p, n_y)), np.zeros((n_p, n_y)), np.zeros((n_p, n_y))
    else:
        known = rows >= 0
        rows, cols, amounts = rows[known].astype(np.int64), cols[known], amounts[known]
        is_cost, is_revenue = is_cost[known], is_revenue[known]
        cell = rows * n_y + cols
        line_cells[known] = cell
        size = n_p * n_y
        # bincount adds in line order, as np.add.at would, at a fraction of its cost
        net = np.bincount(cell, weights=amounts, minlength=size).reshape(n_p, n_y)
        costs = np.bincount(cell[is_cost], weights=-amounts[is_cost], minlength=size).reshape(n_p, n_y)
        revenues = np.bincount(cell[is_revenue], weights=amounts[is_revenue], minlength=size).reshape(n_p, n_y)
        first_col = np.full(n_p, np.iinfo(np.int64).max)
        last_col = np.full(n_p, -1)
        np.minimum.at(first_col, rows, cols)
        np.maximum.at(last_col, rows, cols)
        has = last_col >= 0
        first[has] = first_col[has]
        last[has] = last_col[has]
    return FlowMatrix(list(codes), years, net, costs, revenues, first, last, line_cells)


def _positions(values: pd.Series | pd.Index, codes: list[str]) -> np.ndarray:
    """The position of each value in ``codes`` (-1 when absent)."""
    strings = arrow_text(values)
    if strings is not None:  # Arrow's own hash lookup, without Python objects
        found = pc.index_in(strings, value_set=pa.array(codes, type=strings.type))
        return pc.fill_null(found, -1).to_numpy().astype(np.int64)
    which, distinct = pd.factorize(values)  # one hash per distinct value
    return np.append(pd.Index(codes).get_indexer(distinct), -1)[which]
