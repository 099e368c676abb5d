"""The ledger against the portfolio: realised this year, past years, and what does not fit.

DOMAIN.md ("Time"): ledger lines dated in the valuation year ``V`` are shown as *realised this
year* against the forecast of year ``V`` (they are not used in the valuation); lines of years
``< V`` replace the forecast of that project and year. Finance checks both here, and sees which
ledger lines do not reach any project (unknown project codes, lines without a code, accounts that are
ignored or map to no category).

Every function is pure: it takes the store's lines or actuals and a :class:`~igemo_fin.valuation.portfolio.Portfolio`
and returns a frame the Gegevens page only renders.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from igemo_fin.inputs.accounts import IGNORE, categorize_accounts
from igemo_fin.columns import ACTUALS_COLUMNS, CATEGORIES, COST_CATEGORIES, REVENUE_CATEGORIES, require_columns
from igemo_fin.inputs.ledger import actuals_by_year, match_project_codes
from igemo_fin.valuation.portfolio import Portfolio

__all__ = [
    "REALISED_COLUMNS",
    "PAST_COLUMNS",
    "LedgerQuality",
    "as_actuals",
    "realised_this_year",
    "actuals_against_forecast",
    "ledger_quality",
]

REALISED_COLUMNS = (
    "project_code", "naam", "status",
    "forecast_costs", "realised_costs", "costs_pct",            # [EUR] positive magnitudes; [%]
    "forecast_revenues", "realised_revenues", "revenues_pct",   # [EUR] positive magnitudes; [%]
    "forecast_net", "realised_net",                             # [EUR] revenues - costs
)
"""Columns of :func:`realised_this_year`."""

PAST_COLUMNS = (
    "project_code", "naam", "jaar",
    "forecast_costs", "actual_costs", "forecast_revenues", "actual_revenues",  # [EUR] magnitudes
    "forecast_net", "actual_net", "difference",  # [EUR] net = revenues - costs; difference = actual - forecast
)
"""Columns of :func:`actuals_against_forecast`."""

_LINE_NEEDS = ("project_code", "year", "category", "amount_cents")


def as_actuals(data: pd.DataFrame, portfolio: Portfolio | None = None) -> pd.DataFrame:
    """Ledger actuals (``project_code, jaar, categorie, bedrag``) from lines or from actuals.

    Parameters
    ----------
    data : pandas.DataFrame
        Either actuals already (:data:`~igemo_fin.columns.ACTUALS_COLUMNS`, as
        :meth:`~igemo_fin.records.store.Store.ledger_actuals` returns them), or ledger lines
        (``project_code, year, category, amount_cents``, as :meth:`~igemo_fin.records.store.Store.ledger_lines`
        or :attr:`~igemo_fin.inputs.ledger.LedgerRead.lines` hold them): lines on a real category with a
        project code are summed per project, year and category.
    portfolio : Portfolio, optional
        When given, only its projects are kept, in its spelling of the codes.

    Returns
    -------
    pandas.DataFrame
        :data:`~igemo_fin.columns.ACTUALS_COLUMNS`, ``bedrag`` signed [EUR] (inflow +).
    """
    known = None if portfolio is None else portfolio.project_codes
    if all(c in data.columns for c in ACTUALS_COLUMNS):
        frame = data[list(ACTUALS_COLUMNS)]
        codes, mask = match_project_codes(frame["project_code"].astype("str"), known)
        return frame.assign(project_code=codes)[mask].reset_index(drop=True)
    require_columns(data, _LINE_NEEDS, name="ledger_lines")
    lines = data.loc[data["category"].isin(CATEGORIES) & data["project_code"].notna(), list(_LINE_NEEDS)]
    codes, mask = match_project_codes(lines["project_code"].astype("str"), known)
    return actuals_by_year(lines.assign(project_code=codes)[mask])


def _split(frame: pd.DataFrame, keys: list[str], prefix: str) -> pd.DataFrame:
    """Signed amounts per key -> positive cost and revenue magnitudes."""
    cost = frame["categorie"].isin(COST_CATEGORIES)
    revenue = frame["categorie"].isin(REVENUE_CATEGORIES)
    parts = frame[keys].copy()
    parts[f"{prefix}_costs"] = np.where(cost, -frame["bedrag"].to_numpy(dtype=float), 0.0)
    parts[f"{prefix}_revenues"] = np.where(revenue, frame["bedrag"].to_numpy(dtype=float), 0.0)
    return parts.groupby(keys, sort=False)[[f"{prefix}_costs", f"{prefix}_revenues"]].sum()


def _pct(part: pd.Series, whole: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(whole > 0, 100.0 * part / whole, np.nan), index=part.index)


def realised_this_year(ledger: pd.DataFrame, portfolio: Portfolio, valuation_year: int) -> pd.DataFrame:
    """Per project: the forecast of year ``V`` and what the ledger has realised of it so far.

    Parameters
    ----------
    ledger : pandas.DataFrame
        The store's lines or actuals (see :func:`as_actuals`); only year ``V`` is used.
    portfolio : Portfolio
    valuation_year : int
        ``V``.

    Returns
    -------
    pandas.DataFrame
        :data:`REALISED_COLUMNS`, one row per project (workbook order) with a forecast or a
        realised amount in ``V``. ``costs_pct`` and ``revenues_pct`` are realised / forecast [%],
        NaN when the forecast is zero.

    Notes
    -----
    The forecast is the ``prognose`` of year ``V``; realised amounts are the ledger lines dated in
    ``V`` on known projects and real categories (ignored accounts and unknown codes left out, as for
    the valuation).

    Examples
    --------
    >>> projects = pd.DataFrame({"project_code": ["A"], "naam": ["Alfa"], "status": ["actief"]})
    >>> flows = pd.DataFrame({"project_code": ["A", "A"], "versie": ["prognose"] * 2, "jaar": [2026, 2026],
    ...                       "categorie": ["infrastructuur", "verkoop"], "bedrag": [-400.0, 1000.0]})
    >>> lines = pd.DataFrame({"project_code": ["A", "A"], "year": [2026, 2025],
    ...                       "category": ["infrastructuur", "verkoop"], "amount_cents": [-10000, 99900]})
    >>> row = realised_this_year(lines, Portfolio(projects, flows, pd.DataFrame()), 2026).iloc[0]
    >>> [float(row[c]) for c in ("realised_costs", "costs_pct", "realised_revenues")]
    [100.0, 25.0, 0.0]
    """
    V = int(valuation_year)
    actual = as_actuals(ledger, portfolio)
    actual = actual[actual["jaar"] == V]
    flows = portfolio.cashflows
    forecast = flows[(flows["versie"] == "prognose") & (flows["jaar"] == V)]
    keys = ["project_code"]
    f = _split(forecast, keys, "forecast")
    r = _split(actual, keys, "realised")
    projects = portfolio.projects.set_index("project_code")
    codes = [c for c in portfolio.project_codes if c in f.index or c in r.index]
    out = pd.DataFrame({"project_code": codes})
    out["naam"] = [projects.at[c, "naam"] if "naam" in projects.columns else c for c in codes]
    out["status"] = [projects.at[c, "status"] if "status" in projects.columns else None for c in codes]
    for name in ("forecast_costs", "forecast_revenues"):
        out[name] = f[name].reindex(codes).fillna(0.0).to_numpy() if len(f) else 0.0
    for name in ("realised_costs", "realised_revenues"):
        out[name] = r[name].reindex(codes).fillna(0.0).to_numpy() if len(r) else 0.0
    out = out.astype({c: float for c in ("forecast_costs", "forecast_revenues", "realised_costs",
                                         "realised_revenues")})
    out["costs_pct"] = _pct(out["realised_costs"], out["forecast_costs"])
    out["revenues_pct"] = _pct(out["realised_revenues"], out["forecast_revenues"])
    out["forecast_net"] = out["forecast_revenues"] - out["forecast_costs"]
    out["realised_net"] = out["realised_revenues"] - out["realised_costs"]
    return out[list(REALISED_COLUMNS)]


def actuals_against_forecast(ledger: pd.DataFrame, portfolio: Portfolio, valuation_year: int) -> pd.DataFrame:
    """Per project and past year with ledger actuals: the actuals against the forecast they replace.

    Parameters
    ----------
    ledger : pandas.DataFrame
        The store's lines or actuals (see :func:`as_actuals`).
    portfolio : Portfolio
    valuation_year : int
        ``V``: only years ``< V`` (those the actuals replace in the valuation).

    Returns
    -------
    pandas.DataFrame
        :data:`PAST_COLUMNS`, by project (workbook order) and year. ``difference = actual_net -
        forecast_net`` [EUR]: positive when the ledger shows more net inflow (or less net cost) than
        the forecast assumed.
    """
    V = int(valuation_year)
    actual = as_actuals(ledger, portfolio)
    actual = actual[actual["jaar"] < V]
    if actual.empty:
        return pd.DataFrame({c: pd.Series(dtype="float" if c not in ("project_code", "naam", "jaar") else "object")
                             for c in PAST_COLUMNS}).astype({"jaar": "int64"})
    flows = portfolio.cashflows
    forecast = flows[(flows["versie"] == "prognose") & (flows["jaar"] < V)]
    keys = ["project_code", "jaar"]
    a = _split(actual, keys, "actual")
    f = _split(forecast, keys, "forecast").reindex(a.index).fillna(0.0)
    out = pd.concat([f, a], axis=1).reset_index()
    order = {c: i for i, c in enumerate(portfolio.project_codes)}
    out = out.sort_values(["project_code", "jaar"], key=lambda s: s.map(order) if s.name == "project_code" else s,
                          kind="stable").reset_index(drop=True)
    names = portfolio.projects.set_index("project_code")["naam"] if "naam" in portfolio.projects else None
    out["naam"] = out["project_code"].map(names) if names is not None else out["project_code"]
    out["jaar"] = out["jaar"].astype("int64")
    out["forecast_net"] = out["forecast_revenues"] - out["forecast_costs"]
    out["actual_net"] = out["actual_revenues"] - out["actual_costs"]
    out["difference"] = out["actual_net"] - out["forecast_net"]
    return out[list(PAST_COLUMNS)]


@dataclass(frozen=True)
class LedgerQuality:
    """Stored ledger lines that do not reach a project of the portfolio."""

    unknown_projects: pd.DataFrame
    """``project_code, lines, amount`` [EUR, signed], ``first_date, last_date``: codes on real categories
    that the portfolio does not know, largest absolute amount first."""
    accounts: pd.DataFrame
    """``account, category`` (``negeren`` or ``geen categorie``), ``lines, amount`` [EUR]: accounts
    whose lines are ignored or map to no category, largest absolute amount first."""
    no_project: pd.DataFrame
    """``account, category, lines, amount`` [EUR]: lines on a real category without a project code."""
    recategorised: pd.DataFrame
    """``account, category`` (as stored), ``current`` (what the portfolio's ``rekeningen`` and the
    defaults give today), ``lines, amount`` [EUR]: accounts stored under another category than the
    current mapping gives (the mapping changed after the import, or the import had no portfolio).
    The valuation uses the stored category."""
    lines_total: int
    """Stored lines."""
    lines_used: int
    """Lines that reach a project of the portfolio (on a real category)."""
    lines_without_project: int
    """Lines on a real category without a project code (the lines of :attr:`no_project`)."""


def _group(lines: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if lines.empty:
        return pd.DataFrame(columns=[*keys, "lines", "amount"]).astype({"lines": "int64", "amount": "float"})
    grouped = lines.groupby(keys, sort=False, dropna=False).agg(
        lines=("amount_cents", "size"), cents=("amount_cents", "sum")).reset_index()
    grouped["amount"] = grouped["cents"].astype(np.int64) / 100.0
    grouped = grouped.drop(columns="cents")
    order = grouped["amount"].abs().sort_values(ascending=False, kind="stable").index
    return grouped.loc[order].reset_index(drop=True)


def ledger_quality(lines: pd.DataFrame, portfolio: Portfolio | None) -> LedgerQuality:
    """What of the stored ledger does not reach the portfolio's projects.

    Parameters
    ----------
    lines : pandas.DataFrame
        Stored lines (:meth:`~igemo_fin.records.store.Store.ledger_lines`): ``project_code, account,
        category, amount_cents`` and ``date``.
    portfolio : Portfolio or None
        Without one, every project code counts as known.

    Returns
    -------
    LedgerQuality
    """
    require_columns(lines, ("project_code", "account", "category", "amount_cents"), name="ledger_lines")
    category = lines["category"]
    real = category.isin(CATEGORIES).to_numpy()
    has_code = lines["project_code"].notna().to_numpy()
    codes, known = match_project_codes(lines["project_code"].astype("str"),
                                       None if portfolio is None else portfolio.project_codes)
    unknown = lines[real & has_code & ~known]
    unknown_frame = _group(unknown, ["project_code"])
    if not unknown.empty and "date" in lines.columns:
        dates = unknown.groupby("project_code")["date"].agg(["min", "max"])
        unknown_frame["first_date"] = unknown_frame["project_code"].map(dates["min"])
        unknown_frame["last_date"] = unknown_frame["project_code"].map(dates["max"])
    else:
        unknown_frame["first_date"] = pd.Series(dtype="datetime64[ns]")
        unknown_frame["last_date"] = pd.Series(dtype="datetime64[ns]")
    off = lines[~real].assign(category=category[~real].where(category[~real] == IGNORE, "geen categorie"))
    no_project = lines[real & ~has_code]
    accounts = lines["account"].astype("str")
    uniques = pd.Series(pd.unique(accounts.dropna()), dtype="str")
    current = pd.Series(categorize_accounts(uniques, None if portfolio is None else portfolio.accounts).to_numpy(),
                        index=uniques.to_numpy())
    now = accounts.map(current)
    differs = (now.fillna("geen categorie") != category.fillna("geen categorie")).to_numpy()
    moved = lines[differs].assign(current=now[differs].fillna("geen categorie"),
                                  category=category[differs].fillna("geen categorie"))
    return LedgerQuality(
        unknown_projects=unknown_frame,
        accounts=_group(off, ["account", "category"]),
        no_project=_group(no_project, ["account", "category"]),
        recategorised=_group(moved, ["account", "category", "current"]),
        lines_total=int(len(lines)),
        lines_used=int((real & has_code & known).sum()),
        lines_without_project=int((real & ~has_code).sum()),
    )
