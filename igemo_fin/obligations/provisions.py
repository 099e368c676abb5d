"""Obligations towards the municipalities: risk sharing, profit-sharing provisions, write-downs.

DOMAIN.md, "Risk, sharing and provisions". Every function takes the validated
:class:`~igemo_fin.valuation.portfolio.Portfolio` and its :class:`~igemo_fin.valuation.evaluate.Evaluation` and returns
a DataFrame whose columns a module constant lists, so the pages and the CLI only render.

Money
-----
Every amount this module reports is exact to the cent and rounded half up (EU rule). The engine's
valuation figures are floats; they enter here rounded to the cent once (the result, costs and
revenues *as reported*), and everything after that is integer cents or :class:`~decimal.Decimal`:

- ``result`` = ``result_nominal`` rounded to the cent; ``loss = max(0, -result)``;
- the municipality's share of a loss is rounded half up and capped, IGEMO carries the rest
  (:func:`~igemo_fin.obligations.sharing.split_loss_cents`), so the two shares add up to the loss exactly;
- ``profit_share_owed = pct / 100 * max(0, result - drempel)`` rounded half up;
- ``POC = (costs realised / total costs) * (revenues realised / total revenues)`` computed exactly
  from cent amounts (each factor clipped to 0..1; 0 when a total is 0 or less), and
  ``provision = owed * POC`` rounded half up: it never exceeds what is owed.

Choices where DOMAIN.md is silent (documented for finance)
-----------------------------------------------------------
- **Provision history** (:func:`provision_movements`): the provision that should stand at the end
  of year ``Y`` is today's owed amount times the POC at the end of ``Y`` (costs and revenues of the
  years ``<= Y``). It is a restatement with today's best estimate, not a replay of old forecasts
  (which the workbook does not keep); it shows how the provision builds up with progress, and its
  closing at the end of ``V - 1`` equals the provision that stands now.
- **Spread of the return** (:func:`return_spread`): a profitable project recognises
  ``result * POC(Y)`` cumulatively at the end of ``Y``; a loss-making one recognises its whole loss
  at once in the year it is foreseen: the year whose accounts this valuation closes (``V - 1``),
  brought within the project's span (its first year for a project that starts later, its last
  year for one that ended earlier).
- **Write-downs** (:func:`write_downs`): IGEMO's share of the loss after risk sharing (DOMAIN.md).
  Stock cannot be written below zero: the part above the book value is shown apart
  (``write_down_as_provision``: under Belgian GAAP a provision for risks and charges). The
  movement compares with the previous valuation year: a stored figure when the caller passes one,
  else the engine re-run on the same workbook with valuation year ``V - 1``.
- **Journal accounts** (Belgian minimum chart, after the 2016 reform of the MAR):
  164 *Voorzieningen voor andere risico's en kosten* against 6380 (addition) / 6381 (use and
  release); stock write-downs on 359 (*Onroerende goederen bestemd voor verkoop: geboekte
  waardeverminderingen*) against 6310 / 6311. Pre-2016 charts used 163-165 and 637: pass other
  :class:`JournalAccounts` to change them.
"""

from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import numpy as np
import pandas as pd

from igemo_fin.valuation.evaluate import Evaluation, evaluate
from igemo_fin.money import to_cents
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.exports.safe_export import header_footer_text, sheet_name
from igemo_fin.obligations.sharing import split_loss_cents

__all__ = [
    "LOSS_SHARING_COLUMNS",
    "MUNICIPALITY_COLUMNS",
    "PROFIT_SHARING_COLUMNS",
    "PROVISION_MOVEMENT_COLUMNS",
    "RETURN_SPREAD_COLUMNS",
    "RETURN_SPREAD_PORTFOLIO_COLUMNS",
    "WRITE_DOWN_COLUMNS",
    "OBLIGATION_COLUMNS",
    "JOURNAL_COLUMNS",
    "JournalAccounts",
    "percentage_of_completion",
    "profit_share_owed",
    "profit_share_provision",
    "loss_shares",
    "loss_sharing",
    "municipality_summary",
    "profit_sharing",
    "provision_movements",
    "return_spread",
    "return_spread_portfolio",
    "write_downs",
    "obligations",
    "obligation_totals",
    "provision_journal",
    "journal_xlsx",
    "provision_journal_xlsx",
    "municipality_statement_xlsx",
]

# --------------------------------------------------------------------------- column constants

#: :func:`loss_sharing`: one row per project (workbook order). Amounts [EUR], exact to the cent.
LOSS_SHARING_COLUMNS = (
    "project_code", "naam", "gemeente", "status",
    "result_nominal",            # [EUR] full-life result, rounded to the cent
    "loss",                      # [EUR] max(0, -result_nominal)
    "risicodeling_gemeente_pct",  # [%] 0 when empty
    "risicodeling_plafond",      # [EUR] NaN: no cap
    "loss_share_municipality",   # [EUR] min(loss * pct / 100, cap), half up
    "loss_share_igemo",          # [EUR] loss - municipality
    "cap_reached",               # bool: the cap limited the municipality's share
    "loss_p90",                  # [EUR] P90 loss from the Monte Carlo; NaN when not given
    "loss_p90_municipality",     # [EUR] its split; NaN when not given
    "loss_p90_igemo",            # [EUR]
)

#: :func:`municipality_summary`: one row per municipality (first appearance order).
MUNICIPALITY_COLUMNS = (
    "gemeente",
    "project_count",             # projects of this municipality
    "loss_project_count",        # of which with an expected loss
    "loss",                      # [EUR] sum of expected losses
    "loss_share_municipality",   # [EUR] what the municipality carries
    "loss_share_igemo",          # [EUR] what IGEMO carries
    "loss_p90",                  # [EUR] NaN when no P90 was given
    "loss_p90_municipality",
    "loss_p90_igemo",
    "profit_share_owed",         # [EUR] owed to the municipality over the full life
    "profit_share_provision",    # [EUR] provision that should stand now
    "write_down",                # [EUR] IGEMO's write-downs on its projects
)

#: :func:`profit_sharing`: one row per project.
PROFIT_SHARING_COLUMNS = (
    "project_code", "naam", "gemeente", "status",
    "result_nominal",            # [EUR] rounded to the cent
    "winstdeling_gemeente_pct",  # [%] 0 when empty
    "winstdeling_drempel",       # [EUR] 0 when empty
    "profit_above_threshold",    # [EUR] max(0, result - drempel)
    "profit_share_owed",         # [EUR] pct / 100 * profit_above_threshold, half up
    "costs_realised", "total_costs",        # [EUR] category costs of years < V / of the life
    "revenues_realised", "total_revenues",  # [EUR] category revenues, idem
    "poc_costs",                 # [fraction] costs_realised / total_costs, 0..1
    "poc_revenues",              # [fraction] revenues_realised / total_revenues, 0..1
    "poc",                       # [fraction] poc_costs * poc_revenues
    "profit_share_provision",    # [EUR] owed * poc, half up; <= owed
)

#: :func:`provision_movements`: one row per project and year of its span.
PROVISION_MOVEMENT_COLUMNS = (
    "project_code", "gemeente", "jaar",
    "is_past",                   # year < V (booked or to be booked); else projected
    "poc_cumulative",            # [fraction] POC at the end of the year
    "profit_share_owed",         # [EUR] today's owed amount
    "opening",                   # [EUR] provision at 1 January
    "addition",                  # [EUR] toevoeging (>= 0)
    "release",                   # [EUR] terugneming (>= 0)
    "closing",                   # [EUR] provision at 31 December = owed * poc_cumulative
)

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

#: :func:`write_downs`: one row per project.
WRITE_DOWN_COLUMNS = (
    "project_code", "naam", "gemeente", "status",
    "result_nominal",            # [EUR]
    "loss",                      # [EUR]
    "loss_share_municipality",   # [EUR]
    "write_down",                # [EUR] IGEMO's share of the loss (0 without loss)
    "book_value",                # [EUR] stock value at 1 January V (capital tied up)
    "write_down_on_stock",       # [EUR] min(write_down, max(book_value, 0))
    "write_down_as_provision",   # [EUR] the part above the stock value
    "previous_valuation_year",   # V - 1 (or the stored valuation's year); NaN when unknown
    "write_down_previous",       # [EUR] NaN when unknown
    "movement",                  # [EUR] write_down - write_down_previous; NaN when unknown
    "addition",                  # [EUR] max(movement, 0)
    "release",                   # [EUR] max(-movement, 0)
)

#: :func:`obligations`: the per-project figures the CLI adds to ``evaluate --json``.
OBLIGATION_COLUMNS = (
    "project_code", "naam", "gemeente", "status", "result_nominal", "loss",
    "loss_share_municipality", "loss_share_igemo",
    "profit_share_owed", "poc", "profit_share_provision", "write_down",
)

#: :func:`provision_journal`: two or more lines per entry (debit and credit balance per ``boeking``).
JOURNAL_COLUMNS = (
    "boeking",        # entry number, 1..n
    "boekjaar",       # financial year of the entry
    "datum",          # datetime.date: 31 December of the financial year
    "project_code", "gemeente",
    "soort",          # "winstdeling" (profit-share provision) or "waardevermindering"
    "rekening",       # account number (text)
    "rekening_naam",  # account name (Dutch)
    "debet",          # [EUR] 0 on a credit line
    "credit",         # [EUR] 0 on a debit line
    "omschrijving",   # what the entry does, in Dutch
    "opmerking",      # a caveat for finance, or ""
)

_CENT = Decimal(1)


@dataclass(frozen=True)
class JournalAccounts:
    """Accounts of the proposed journal (Belgian minimum chart, MAR after 2016).

    Each field is ``(account number, Dutch name)``.
    """

    provision: tuple[str, str] = ("164", "Voorzieningen voor andere risico's en kosten")
    provision_addition: tuple[str, str] = (
        "6380", "Voorzieningen voor andere risico's en kosten: toevoeging")
    provision_release: tuple[str, str] = (
        "6381", "Voorzieningen voor andere risico's en kosten: besteding en terugneming")
    stock_write_down: tuple[str, str] = (
        "359", "Onroerende goederen bestemd voor verkoop: geboekte waardeverminderingen")
    stock_write_down_addition: tuple[str, str] = ("6310", "Waardeverminderingen op voorraden: toevoeging")
    stock_write_down_release: tuple[str, str] = ("6311", "Waardeverminderingen op voorraden: terugneming")


# --------------------------------------------------------------------------- exact helpers

def _cents_of(value) -> int:
    """A float/Decimal amount [EUR] -> int cents, half up; NaN/None -> 0."""
    if value is None:
        return 0
    if isinstance(value, float) and np.isnan(value):
        return 0
    if isinstance(value, (np.floating, np.integer)):
        value = float(value)
        if np.isnan(value):
            return 0
    return to_cents(value)


def _eur(cents) -> float:
    return int(cents) / 100.0


def _ratio(part: int, total: int) -> Decimal:
    """``part / total`` clipped to 0..1; 0 when ``total <= 0``."""
    if total <= 0:
        return Decimal(0)
    value = Decimal(int(part)) / Decimal(int(total))
    return min(max(value, Decimal(0)), Decimal(1))


def _poc_decimal(costs_realised: int, total_costs: int, revenues_realised: int, total_revenues: int) -> Decimal:
    return _ratio(costs_realised, total_costs) * _ratio(revenues_realised, total_revenues)


def _owed_cents(result_c: int, pct: float, threshold_c: int) -> int:
    above = max(0, int(result_c) - int(threshold_c))
    if above == 0 or not pct:
        return 0
    return int((Decimal(above) * Decimal(repr(float(pct))) / Decimal(100)).quantize(_CENT, ROUND_HALF_UP))


def _times_poc(amount_c: int, poc: Decimal) -> int:
    return int((Decimal(int(amount_c)) * poc).quantize(_CENT, ROUND_HALF_UP))


def _num_or_zero(value) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


# --------------------------------------------------------------------------- pure functions

def percentage_of_completion(costs_realised, total_costs, revenues_realised, total_revenues) -> np.ndarray:
    """Percentage of completion (DOMAIN.md, "Profit sharing") [fraction 0..1], elementwise.

    Parameters
    ----------
    costs_realised, total_costs, revenues_realised, total_revenues : array_like
        Category costs and revenues (interest excluded) of the years ``< V`` and of the whole life
        [EUR], positive magnitudes. They are rounded to the cent first.

    Notes
    -----
    ``POC = clip(costs_realised / total_costs, 0, 1) * clip(revenues_realised / total_revenues, 0, 1)``,
    a factor being 0 when its total is 0 or less (so zero while nothing is sold).

    Examples
    --------
    >>> percentage_of_completion(300_000, 1_000_000, 500_000, 1_000_000).tolist()
    [0.15]
    """
    arrays = np.broadcast_arrays(*(np.atleast_1d(np.asarray(a, dtype=float)) for a in
                                   (costs_realised, total_costs, revenues_realised, total_revenues)))
    out = [float(_poc_decimal(_cents_of(a), _cents_of(b), _cents_of(c), _cents_of(d)))
           for a, b, c, d in zip(*(x.reshape(-1) for x in arrays))]
    return np.asarray(out, dtype=float).reshape(arrays[0].shape)


def profit_share_owed(result_nominal, share_pct, threshold=0.0) -> np.ndarray:
    """Profit share owed to the municipality [EUR], exact to the cent, half up; elementwise.

    ``owed = share_pct / 100 * max(0, result_nominal - threshold)``, with ``result_nominal`` and
    ``threshold`` rounded to the cent first; NaN share or threshold means 0.

    Examples
    --------
    50 % of a profit of 100,000.01 is 50,000.005, which rounds half up to 50,000.01:

    >>> profit_share_owed(100_000.01, 50.0).tolist()
    [50000.01]
    """
    r, p, t = np.broadcast_arrays(*(np.atleast_1d(np.asarray(a, dtype=float)) for a in
                                    (result_nominal, share_pct, threshold)))
    out = [_eur(_owed_cents(_cents_of(a), _num_or_zero(b), _cents_of(c)))
           for a, b, c in zip(r.reshape(-1), p.reshape(-1), t.reshape(-1))]
    return np.asarray(out, dtype=float).reshape(r.shape)


def profit_share_provision(owed, costs_realised, total_costs, revenues_realised, total_revenues) -> np.ndarray:
    """The provision that should stand: ``owed * POC`` [EUR], half up to the cent; elementwise.

    The POC is computed exactly from the cent amounts (not from a rounded float), so
    ``0 <= provision <= owed`` always.

    Examples
    --------
    Owed 10,000.10 at POC 0.3 * 0.5 = 0.15: 1,500.015, half up 1,500.02.

    >>> profit_share_provision(10_000.10, 300_000, 1_000_000, 500_000, 1_000_000).tolist()
    [1500.02]
    """
    arrays = np.broadcast_arrays(*(np.atleast_1d(np.asarray(a, dtype=float)) for a in
                                   (owed, costs_realised, total_costs, revenues_realised, total_revenues)))
    out = []
    for o, a, b, c, d in zip(*(x.reshape(-1) for x in arrays)):
        owed_c = max(_cents_of(o), 0)
        out.append(_eur(_times_poc(owed_c, _poc_decimal(_cents_of(a), _cents_of(b), _cents_of(c), _cents_of(d)))))
    return np.asarray(out, dtype=float).reshape(arrays[0].shape)


def loss_shares(loss, share_pct, cap=None) -> tuple[np.ndarray, np.ndarray]:
    """Split losses [EUR] to the cent: ``(municipality, igemo)``, adding up to the loss exactly.

    The loss is rounded to the cent, the municipality's ``min(L * pct / 100, cap)`` half up, and
    IGEMO carries the rest (:func:`~igemo_fin.obligations.sharing.split_loss_cents`).

    Examples
    --------
    >>> m, i = loss_shares(100.01, 50.0)
    >>> m.tolist(), i.tolist()
    ([50.01], [50.0])
    """
    loss = np.atleast_1d(np.asarray(loss, dtype=float))
    cents = np.array([_cents_of(x) for x in loss.reshape(-1)], dtype=np.int64).reshape(loss.shape)
    municipality, igemo = split_loss_cents(cents, share_pct, cap)
    return municipality / 100.0, igemo / 100.0


# --------------------------------------------------------------------------- per-project base

@dataclass(frozen=True)
class _Base:
    """Per-project inputs in exact cents, in the order of ``ev.figures``."""

    frame: pd.DataFrame        # project_code, naam, gemeente, status + terms
    result_c: np.ndarray       # int64
    loss_c: np.ndarray
    municipality_c: np.ndarray
    igemo_c: np.ndarray
    owed_c: np.ndarray
    costs_past_c: np.ndarray
    total_costs_c: np.ndarray
    revenues_past_c: np.ndarray
    total_revenues_c: np.ndarray
    poc: list                  # Decimal per project
    provision_c: np.ndarray
    book_value: np.ndarray     # float [EUR]
    first_year: np.ndarray
    last_year: np.ndarray


def _base(portfolio: Portfolio, ev: Evaluation) -> _Base:
    f = ev.figures
    codes = f["project_code"].tolist()
    terms = portfolio.projects.set_index("project_code").reindex(codes)
    share = pd.to_numeric(terms["risicodeling_gemeente_pct"], errors="coerce").fillna(0.0).to_numpy(float)
    cap = pd.to_numeric(terms["risicodeling_plafond"], errors="coerce").to_numpy(float)
    ws_pct = pd.to_numeric(terms["winstdeling_gemeente_pct"], errors="coerce").fillna(0.0).to_numpy(float)
    ws_threshold = pd.to_numeric(terms["winstdeling_drempel"], errors="coerce").fillna(0.0).to_numpy(float)

    result_c = np.array([_cents_of(x) for x in f["result_nominal"]], dtype=np.int64)
    loss_c = np.maximum(-result_c, 0)
    if len(codes):
        municipality_c, igemo_c = split_loss_cents(loss_c, share, cap)
    else:
        municipality_c = igemo_c = np.zeros(0, dtype=np.int64)
    threshold_c = np.array([_cents_of(x) for x in ws_threshold], dtype=np.int64)
    owed_c = np.array([_owed_cents(r, p, t) for r, p, t in zip(result_c, ws_pct, threshold_c)], dtype=np.int64)

    # Costs and revenues per year in cents, so the POC now and the POC of each year end agree.
    yearly = _yearly_cents(ev)
    past = yearly[yearly["jaar"] < ev.valuation_year]
    total = yearly.groupby("project_code")[["costs_c", "revenues_c"]].sum()
    realised = past.groupby("project_code")[["costs_c", "revenues_c"]].sum()
    total = total.reindex(codes, fill_value=0)
    realised = realised.reindex(codes, fill_value=0)
    costs_past_c = realised["costs_c"].to_numpy(np.int64)
    revenues_past_c = realised["revenues_c"].to_numpy(np.int64)
    total_costs_c = total["costs_c"].to_numpy(np.int64)
    total_revenues_c = total["revenues_c"].to_numpy(np.int64)
    poc = [_poc_decimal(a, b, c, d) for a, b, c, d in
           zip(costs_past_c, total_costs_c, revenues_past_c, total_revenues_c)]
    provision_c = np.array([_times_poc(o, p) for o, p in zip(owed_c, poc)], dtype=np.int64)

    frame = pd.DataFrame({
        "project_code": codes,
        "naam": f["naam"].to_numpy(),
        "gemeente": f["gemeente"].to_numpy(),
        "status": f["status"].to_numpy(),
        "risicodeling_gemeente_pct": share,
        "risicodeling_plafond": cap,
        "winstdeling_gemeente_pct": ws_pct,
        "winstdeling_drempel": threshold_c / 100.0,
    })
    return _Base(frame, result_c, loss_c, np.asarray(municipality_c, np.int64), np.asarray(igemo_c, np.int64),
                 owed_c, costs_past_c, total_costs_c, revenues_past_c, total_revenues_c, poc, provision_c,
                 f["book_value"].to_numpy(float), f["first_year"].to_numpy(), f["last_year"].to_numpy())


def _yearly_cents(ev: Evaluation) -> pd.DataFrame:
    y = ev.yearly
    return pd.DataFrame({
        "project_code": y["project_code"].to_numpy(),
        "jaar": y["jaar"].to_numpy(np.int64),
        "costs_c": np.array([_cents_of(x) for x in y["costs"]], dtype=np.int64),
        "revenues_c": np.array([_cents_of(x) for x in y["revenues"]], dtype=np.int64),
    })


# --------------------------------------------------------------------------- risk sharing

def _p90_cents(loss_p90: pd.Series | None, codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """P90 losses in cents and a mask of the projects that have one."""
    if loss_p90 is None:
        return np.zeros(len(codes), dtype=np.int64), np.zeros(len(codes), dtype=bool)
    values = pd.to_numeric(pd.Series(loss_p90), errors="coerce").reindex(codes).to_numpy(float)
    known = ~np.isnan(values)
    cents = np.array([_cents_of(max(x, 0.0)) if k else 0 for x, k in zip(values, known)], dtype=np.int64)
    return cents, known


def loss_sharing(portfolio: Portfolio, ev: Evaluation, *, loss_p90: pd.Series | None = None) -> pd.DataFrame:
    """Split each project's expected loss (and P90 loss) between the municipality and IGEMO.

    Parameters
    ----------
    portfolio, ev
        The workbook and its evaluation.
    loss_p90 : Series, optional
        P90 loss per project code [EUR, positive = loss] from the Monte Carlo (e.g.
        ``max(0, -npv_p10)``); negative values count as no loss, missing codes get NaN.

    Returns
    -------
    DataFrame
        :data:`LOSS_SHARING_COLUMNS`, one row per project; the two shares add up to the loss to
        the cent and the municipality's never exceeds the cap.

    Notes
    -----
    ``L = max(0, -result_nominal)``; municipality ``min(L * pct / 100, plafond)`` half up to the cent
    (no cap when ``plafond`` is empty), IGEMO ``L - municipality``.
    """
    b = _base(portfolio, ev)
    codes = b.frame["project_code"].tolist()
    p90_c, known = _p90_cents(loss_p90, codes)
    if len(codes):
        p90_m, p90_i = split_loss_cents(p90_c, b.frame["risicodeling_gemeente_pct"].to_numpy(),
                                        b.frame["risicodeling_plafond"].to_numpy())
    else:
        p90_m = p90_i = np.zeros(0, dtype=np.int64)
    cap = b.frame["risicodeling_plafond"].to_numpy(float)
    uncapped = np.array([to_cents(Decimal(int(l_c)) / 100 * Decimal(repr(float(s))) / 100)
                         for l_c, s in zip(b.loss_c, b.frame["risicodeling_gemeente_pct"])], dtype=np.int64)
    out = b.frame[["project_code", "naam", "gemeente", "status"]].copy()
    out["result_nominal"] = b.result_c / 100.0
    out["loss"] = b.loss_c / 100.0
    out["risicodeling_gemeente_pct"] = b.frame["risicodeling_gemeente_pct"].to_numpy()
    out["risicodeling_plafond"] = cap
    out["loss_share_municipality"] = b.municipality_c / 100.0
    out["loss_share_igemo"] = b.igemo_c / 100.0
    out["cap_reached"] = (~np.isnan(cap)) & (b.loss_c > 0) & (uncapped > b.municipality_c)
    out["loss_p90"] = np.where(known, p90_c / 100.0, np.nan)
    out["loss_p90_municipality"] = np.where(known, np.asarray(p90_m) / 100.0, np.nan)
    out["loss_p90_igemo"] = np.where(known, np.asarray(p90_i) / 100.0, np.nan)
    return out[list(LOSS_SHARING_COLUMNS)].reset_index(drop=True)


def municipality_summary(portfolio: Portfolio, ev: Evaluation, *,
                         loss_p90: pd.Series | None = None) -> pd.DataFrame:
    """What each municipality carries across its projects, and what is owed to it.

    Returns
    -------
    DataFrame
        :data:`MUNICIPALITY_COLUMNS`, one row per municipality in order of first appearance. Sums of
        cent amounts, so exact. The P90 columns are NaN when no P90 was given for any of its projects.
    """
    shares = loss_sharing(portfolio, ev, loss_p90=loss_p90)
    obligations_ = obligations(portfolio, ev)
    merged = shares.merge(obligations_[["project_code", "profit_share_owed", "profit_share_provision",
                                        "write_down"]], on="project_code", how="left")
    rows = []
    for gemeente, g in merged.groupby("gemeente", sort=False):
        has_p90 = g["loss_p90"].notna().any()

        def total(column: str, frame=g) -> float:
            return int(sum(_cents_of(x) for x in frame[column].fillna(0.0))) / 100.0

        rows.append({
            "gemeente": gemeente,
            "project_count": int(len(g)),
            "loss_project_count": int((g["loss"] > 0).sum()),
            "loss": total("loss"),
            "loss_share_municipality": total("loss_share_municipality"),
            "loss_share_igemo": total("loss_share_igemo"),
            "loss_p90": total("loss_p90") if has_p90 else np.nan,
            "loss_p90_municipality": total("loss_p90_municipality") if has_p90 else np.nan,
            "loss_p90_igemo": total("loss_p90_igemo") if has_p90 else np.nan,
            "profit_share_owed": total("profit_share_owed"),
            "profit_share_provision": total("profit_share_provision"),
            "write_down": total("write_down"),
        })
    return pd.DataFrame(rows, columns=list(MUNICIPALITY_COLUMNS))


# --------------------------------------------------------------------------- profit sharing

def profit_sharing(portfolio: Portfolio, ev: Evaluation) -> pd.DataFrame:
    """Profit share owed to each municipality, the percentage of completion and the provision.

    Returns
    -------
    DataFrame
        :data:`PROFIT_SHARING_COLUMNS`, one row per project.

    Notes
    -----
    ``owed = winstdeling_gemeente_pct / 100 * max(0, result_nominal - winstdeling_drempel)``;
    ``POC = (costs < V / total costs) * (revenues < V / total revenues)`` on the category flows
    (interest excluded); ``provision = owed * POC``. All half up to the cent.
    """
    b = _base(portfolio, ev)
    out = b.frame[["project_code", "naam", "gemeente", "status"]].copy()
    out["result_nominal"] = b.result_c / 100.0
    out["winstdeling_gemeente_pct"] = b.frame["winstdeling_gemeente_pct"].to_numpy()
    out["winstdeling_drempel"] = b.frame["winstdeling_drempel"].to_numpy()
    threshold_c = np.array([_cents_of(x) for x in out["winstdeling_drempel"]], dtype=np.int64)
    out["profit_above_threshold"] = np.maximum(b.result_c - threshold_c, 0) / 100.0
    out["profit_share_owed"] = b.owed_c / 100.0
    out["costs_realised"] = b.costs_past_c / 100.0
    out["total_costs"] = b.total_costs_c / 100.0
    out["revenues_realised"] = b.revenues_past_c / 100.0
    out["total_revenues"] = b.total_revenues_c / 100.0
    out["poc_costs"] = [float(_ratio(a, t)) for a, t in zip(b.costs_past_c, b.total_costs_c)]
    out["poc_revenues"] = [float(_ratio(a, t)) for a, t in zip(b.revenues_past_c, b.total_revenues_c)]
    out["poc"] = [float(p) for p in b.poc]
    out["profit_share_provision"] = b.provision_c / 100.0
    return out[list(PROFIT_SHARING_COLUMNS)].reset_index(drop=True)


def _year_end_poc(ev: Evaluation) -> pd.DataFrame:
    """Per project and year of its span: the POC at the end of that year (exact Decimal)."""
    y = _yearly_cents(ev).sort_values(["project_code", "jaar"], kind="stable")
    parts = []
    for code, g in y.groupby("project_code", sort=False):
        cum_c = np.cumsum(g["costs_c"].to_numpy())
        cum_r = np.cumsum(g["revenues_c"].to_numpy())
        tc, tr = int(cum_c[-1]), int(cum_r[-1])
        parts.append(pd.DataFrame({
            "project_code": code,
            "jaar": g["jaar"].to_numpy(),
            "poc_dec": [_poc_decimal(int(a), tc, int(b), tr) for a, b in zip(cum_c, cum_r)],
        }))
    if not parts:
        return pd.DataFrame({"project_code": pd.Series(dtype=object), "jaar": pd.Series(dtype="int64"),
                             "poc_dec": pd.Series(dtype=object)})
    return pd.concat(parts, ignore_index=True)


def provision_movements(portfolio: Portfolio, ev: Evaluation) -> pd.DataFrame:
    """How the profit-share provision builds up: opening, addition, release, closing per year.

    Returns
    -------
    DataFrame
        :data:`PROVISION_MOVEMENT_COLUMNS`, one row per project and year of its span (past and
        projected; ``is_past`` marks the years before ``V``). The closing of the year ``V - 1`` is
        the provision of :func:`profit_sharing`; after the last year it equals what is owed.

    Notes
    -----
    ``closing[Y] = owed * POC(end of Y)``, with today's ``owed`` (the module docstring explains this
    choice); ``opening[Y] = closing[Y - 1]`` (0 before the first year); the difference is an
    addition when positive, a release when negative. All in cents.
    """
    b = _base(portfolio, ev)
    owed = dict(zip(b.frame["project_code"], b.owed_c))
    gemeente = dict(zip(b.frame["project_code"], b.frame["gemeente"]))
    poc = _year_end_poc(ev)
    V = ev.valuation_year
    rows = []
    for code, g in poc.groupby("project_code", sort=False):
        opening = 0
        o = int(owed.get(code, 0))
        for year, p in zip(g["jaar"], g["poc_dec"]):
            closing = _times_poc(o, p)
            diff = closing - opening
            rows.append((code, gemeente.get(code), int(year), int(year) < V, float(p), o / 100.0,
                         opening / 100.0, max(diff, 0) / 100.0, max(-diff, 0) / 100.0, closing / 100.0))
            opening = closing
    frame = pd.DataFrame(rows, columns=list(PROVISION_MOVEMENT_COLUMNS))
    order = {c: i for i, c in enumerate(b.frame["project_code"])}
    frame = frame.sort_values(["project_code", "jaar"], key=lambda s: s.map(order) if s.name == "project_code" else s,
                              kind="stable")
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------- spread of the return

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
    b = _base(portfolio, ev)
    V = ev.valuation_year
    info = {code: i for i, code in enumerate(b.frame["project_code"])}
    poc = _year_end_poc(ev)
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
            costs_c, revenues_c = _cents_of(rec.costs), _cents_of(rec.revenues)
            interest_c = _cents_of(rec.interest)
            net_c = revenues_c - costs_c
            cash_c = net_c - interest_c
            cash_cum += cash_c
            provision_c = _times_poc(owed_c, p)
            if result_c >= 0:
                rec_cum = _times_poc(result_c, p)
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
        cents[column] = [_cents_of(x) for x in s[column]]
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


# --------------------------------------------------------------------------- write-downs

def _previous_actuals(ev: Evaluation) -> pd.DataFrame | None:
    """The ledger actuals an evaluation used, rebuilt from its valued flows (``bron == werkelijk``)."""
    flows = ev.flows
    if "bron" not in flows.columns:
        return None
    actual = flows.loc[flows["bron"] == "werkelijk", ["project_code", "jaar", "categorie", "bedrag"]]
    return None if actual.empty else actual.reset_index(drop=True)


def _previous_write_downs(portfolio: Portfolio, ev: Evaluation, previous) -> tuple[pd.Series, float]:
    """Previous write-down per code [EUR] and its valuation year (NaN when unknown)."""
    codes = ev.figures["project_code"].tolist()
    unknown = pd.Series(np.nan, index=pd.Index(codes, dtype=object)), np.nan
    if previous is None:
        return unknown
    if isinstance(previous, str):
        if previous != "auto":
            raise ValueError("previous moet een Evaluation, een DataFrame, None of 'auto' zijn")
        try:
            previous = evaluate(portfolio, valuation_year=ev.valuation_year - 1, thresholds=ev.thresholds,
                                actuals=_previous_actuals(ev))
        except (ValueError, KeyError, IndexError):
            return unknown
    if isinstance(previous, Evaluation):
        prev = _base(portfolio, previous)
        series = pd.Series(prev.igemo_c / 100.0, index=pd.Index(prev.frame["project_code"], dtype=object))
        return series.reindex(codes), float(previous.valuation_year)
    if isinstance(previous, pd.DataFrame):
        if not {"project_code", "write_down"} <= set(previous.columns):
            raise ValueError("een vorige waardering heeft de kolommen project_code en write_down nodig")
        series = previous.set_index("project_code")["write_down"].astype(float)
        year = float(previous["valuation_year"].iloc[0]) if "valuation_year" in previous.columns and len(previous) \
            else float(ev.valuation_year - 1)
        return series.reindex(codes), year
    raise TypeError("previous moet een Evaluation, een DataFrame, None of 'auto' zijn")


def write_downs(portfolio: Portfolio, ev: Evaluation, *,
                previous: Evaluation | pd.DataFrame | None | Literal["auto"] = "auto") -> pd.DataFrame:
    """Write-downs on the land stock: IGEMO's share of each expected loss, and its movement.

    Parameters
    ----------
    portfolio, ev
        The workbook and its evaluation.
    previous : Evaluation, DataFrame, None or "auto"
        The previous valuation to compare with: an :class:`Evaluation`, a stored frame with
        ``project_code, write_down`` (and optionally ``valuation_year``), ``None`` for no
        comparison, or ``"auto"`` (default): the engine re-run on this workbook with valuation year
        ``V - 1`` (the ledger actuals of ``ev`` are reused); when that fails the movement is NaN.

    Returns
    -------
    DataFrame
        :data:`WRITE_DOWN_COLUMNS`, one row per project. The total is the column's sum.

    Notes
    -----
    ``write_down = loss - min(loss * pct / 100, plafond)`` when ``result_nominal < 0``, else 0.
    ``write_down_on_stock = min(write_down, max(book_value, 0))``; the rest would turn the stock
    negative and is a provision for risks and charges.
    """
    b = _base(portfolio, ev)
    prev, prev_year = _previous_write_downs(portfolio, ev, previous)
    out = b.frame[["project_code", "naam", "gemeente", "status"]].copy()
    out["result_nominal"] = b.result_c / 100.0
    out["loss"] = b.loss_c / 100.0
    out["loss_share_municipality"] = b.municipality_c / 100.0
    out["write_down"] = b.igemo_c / 100.0
    book_c = np.array([_cents_of(x) for x in b.book_value], dtype=np.int64)
    out["book_value"] = book_c / 100.0
    on_stock = np.minimum(b.igemo_c, np.maximum(book_c, 0))
    out["write_down_on_stock"] = on_stock / 100.0
    out["write_down_as_provision"] = (b.igemo_c - on_stock) / 100.0
    prev_values = prev.to_numpy(float)
    known = ~np.isnan(prev_values)
    prev_c = np.array([_cents_of(x) if k else 0 for x, k in zip(prev_values, known)], dtype=np.int64)
    movement = b.igemo_c - prev_c
    out["previous_valuation_year"] = np.where(known, prev_year, np.nan)
    out["write_down_previous"] = np.where(known, prev_c / 100.0, np.nan)
    out["movement"] = np.where(known, movement / 100.0, np.nan)
    out["addition"] = np.where(known, np.maximum(movement, 0) / 100.0, np.nan)
    out["release"] = np.where(known, np.maximum(-movement, 0) / 100.0, np.nan)
    return out[list(WRITE_DOWN_COLUMNS)].reset_index(drop=True)


# --------------------------------------------------------------------------- the CLI's figures

def obligations(portfolio: Portfolio, ev: Evaluation) -> pd.DataFrame:
    """Per project, the obligation figures of ``evaluate --json`` (:data:`OBLIGATION_COLUMNS`)."""
    b = _base(portfolio, ev)
    out = b.frame[["project_code", "naam", "gemeente", "status"]].copy()
    out["result_nominal"] = b.result_c / 100.0
    out["loss"] = b.loss_c / 100.0
    out["loss_share_municipality"] = b.municipality_c / 100.0
    out["loss_share_igemo"] = b.igemo_c / 100.0
    out["profit_share_owed"] = b.owed_c / 100.0
    out["poc"] = [float(p) for p in b.poc]
    out["profit_share_provision"] = b.provision_c / 100.0
    out["write_down"] = b.igemo_c / 100.0
    return out[list(OBLIGATION_COLUMNS)].reset_index(drop=True)


def obligation_totals(portfolio: Portfolio, ev: Evaluation) -> dict[str, float]:
    """Portfolio totals of :func:`obligations` [EUR], exact sums of cents."""
    b = _base(portfolio, ev)
    return {
        "loss_total": int(b.loss_c.sum()) / 100.0,
        "loss_share_municipality_total": int(b.municipality_c.sum()) / 100.0,
        "loss_share_igemo_total": int(b.igemo_c.sum()) / 100.0,
        "profit_share_owed_total": int(b.owed_c.sum()) / 100.0,
        "profit_share_provision_total": int(b.provision_c.sum()) / 100.0,
        "write_down_total": int(b.igemo_c.sum()) / 100.0,
    }


# --------------------------------------------------------------------------- journal

def provision_journal(portfolio: Portfolio, ev: Evaluation, *, years: list[int] | None = None,
                      write_down_frame: pd.DataFrame | None = None,
                      accounts: JournalAccounts = JournalAccounts()) -> pd.DataFrame:
    """A proposed journal of the provision entries (Belgian minimum chart), for finance to book.

    Parameters
    ----------
    portfolio, ev
        The workbook and its evaluation.
    years : list of int, optional
        Financial years to journal; default every year before ``V`` (the whole build-up of
        :func:`provision_movements`). ``[V - 1]`` gives only the closing being prepared.
    write_down_frame : DataFrame, optional
        A :func:`write_downs` frame: its movements are journalled in year ``V - 1`` (when the
        previous write-down is unknown, the whole write-down, with a remark).
    accounts : JournalAccounts
        The accounts to use.

    Returns
    -------
    DataFrame
        :data:`JOURNAL_COLUMNS`; every ``boeking`` balances (debit = credit).

    Notes
    -----
    Addition to the profit-share provision: debit 6380, credit 164. Release: debit 164, credit 6381.
    Stock write-down: debit 6310, credit 359; its reversal: debit 359, credit 6311.
    """
    V = ev.valuation_year
    wanted = set(years) if years is not None else None
    moves = provision_movements(portfolio, ev)
    moves = moves[moves["is_past"]]
    if wanted is not None:
        moves = moves[moves["jaar"].isin(wanted)]
    lines: list[tuple] = []
    entry = 0

    def book(year, code, gemeente, kind, debit, credit, cents, text, remark=""):
        nonlocal entry
        entry += 1
        date = _dt.date(int(year), 12, 31)
        lines.append((entry, int(year), date, code, gemeente, kind, debit[0], debit[1], cents / 100.0, 0.0,
                      text, remark))
        lines.append((entry, int(year), date, code, gemeente, kind, credit[0], credit[1], 0.0, cents / 100.0,
                      text, remark))

    for m in moves.itertuples(index=False):
        add_c, rel_c = _cents_of(m.addition), _cents_of(m.release)
        if add_c > 0:
            book(m.jaar, m.project_code, m.gemeente, "winstdeling", accounts.provision_addition,
                 accounts.provision, add_c,
                 f"Winstdeling gemeente {m.gemeente}, project {m.project_code}: toevoeging aan de voorziening "
                 f"({m.jaar})")
        if rel_c > 0:
            book(m.jaar, m.project_code, m.gemeente, "winstdeling", accounts.provision,
                 accounts.provision_release, rel_c,
                 f"Winstdeling gemeente {m.gemeente}, project {m.project_code}: terugneming van de voorziening "
                 f"({m.jaar})")
    if write_down_frame is not None and (wanted is None or V - 1 in wanted):
        for w in write_down_frame.itertuples(index=False):
            current_c = _cents_of(w.write_down)
            known = not pd.isna(w.write_down_previous)
            movement_c = current_c - (_cents_of(w.write_down_previous) if known else 0)
            remark = "" if known else "vorige waardevermindering onbekend: volledig bedrag voorgesteld"
            if _cents_of(w.write_down_as_provision) > 0:
                extra = ("de waardevermindering is groter dan de boekwaarde: het deel erboven "
                         f"({_cents_of(w.write_down_as_provision) / 100:.2f} EUR) hoort als voorziening "
                         f"({accounts.provision[0]}/{accounts.provision_addition[0]})")
                remark = f"{remark}; {extra}" if remark else extra
            if movement_c > 0:
                book(V - 1, w.project_code, w.gemeente, "waardevermindering", accounts.stock_write_down_addition,
                     accounts.stock_write_down, movement_c,
                     f"Waardevermindering grondvoorraad project {w.project_code} (aandeel IGEMO in het verwachte "
                     "verlies)", remark)
            elif movement_c < 0:
                book(V - 1, w.project_code, w.gemeente, "waardevermindering", accounts.stock_write_down,
                     accounts.stock_write_down_release, -movement_c,
                     f"Terugneming waardevermindering grondvoorraad project {w.project_code}", remark)
    frame = pd.DataFrame(lines, columns=list(JOURNAL_COLUMNS))
    return frame


_TITLE = {"bold": True, "font_size": 14}
_EUR_FMT = '[$€-813] #,##0.00;[$€-813] -#,##0.00'
_PCT_FMT = "0.00%"
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


class _Book:
    """An XlsxWriter workbook in memory that never writes formulas from text.

    Text goes in with ``write_string``; text that starts with ``= + - @`` (a formula to Excel) also
    gets Excel's quote prefix, so editing the cell keeps it text. Formats are cached by properties.
    """

    def __init__(self) -> None:
        import xlsxwriter

        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"strings_to_formulas": False, "strings_to_urls": False,
                                                      "strings_to_numbers": False, "in_memory": True})
        self._formats: dict = {}

    def fmt(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.book.add_format(props) if props else None
        return self._formats[key]

    def text(self, sheet, row: int, col: int, value, **props) -> None:
        text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
        if text.startswith(_RISKY_START):
            props = {**props, "quote_prefix": True}
        sheet.write_string(row, col, text, self.fmt(**props))

    def merged_text(self, sheet, row: int, first: int, last: int, value, **props) -> None:
        text = str(value)
        if text.startswith(_RISKY_START):
            props = {**props, "quote_prefix": True}
        sheet.merge_range(row, first, row, last, text, self.fmt(**props))

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def journal_xlsx(journal: pd.DataFrame, *, title: str = "Voorgesteld journaal van de voorzieningen") -> bytes:
    """A :func:`provision_journal` frame as an Excel file (Dutch headers, Belgian formats).

    Amounts use the format ``[$€-813] #,##0.00`` (euro, nl-BE), which Excel shows with the viewer's
    separators; text cells are never formulas.
    """
    b = _Book()
    sheet = b.book.add_worksheet("Journaal")
    head = {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"}
    money = b.fmt(num_format=_EUR_FMT)
    money_total = b.fmt(num_format=_EUR_FMT, bold=True, top=1)
    b.text(sheet, 0, 0, title, **_TITLE)
    headers = ["Boeking", "Boekjaar", "Datum", "Project", "Gemeente", "Soort", "Rekening", "Rekeningnaam",
               "Debet", "Credit", "Omschrijving", "Opmerking"]
    for c, h in enumerate(headers):
        b.text(sheet, 2, c, h, **head)
    r = 3
    for line in journal.itertuples(index=False):
        sheet.write_number(r, 0, int(line.boeking))
        sheet.write_number(r, 1, int(line.boekjaar))
        sheet.write_datetime(r, 2, _dt.datetime.combine(line.datum, _dt.time()), b.fmt(num_format="dd/mm/yyyy"))
        for c, value in ((3, line.project_code), (4, line.gemeente), (5, line.soort), (6, line.rekening),
                         (7, line.rekening_naam)):
            b.text(sheet, r, c, value)
        sheet.write_number(r, 8, float(line.debet), money)
        sheet.write_number(r, 9, float(line.credit), money)
        b.text(sheet, r, 10, line.omschrijving)
        b.text(sheet, r, 11, line.opmerking)
        r += 1
    b.text(sheet, r, 7, "Totaal", bold=True, top=1)
    sheet.write_number(r, 8, int(sum(_cents_of(x) for x in journal["debet"])) / 100.0, money_total)
    sheet.write_number(r, 9, int(sum(_cents_of(x) for x in journal["credit"])) / 100.0, money_total)
    for c, width in enumerate([8, 9, 11, 12, 16, 18, 9, 52, 15, 15, 70, 50]):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(3, 0)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
    return b.close()


def provision_journal_xlsx(portfolio: Portfolio, ev: Evaluation, **kwargs) -> bytes:
    """:func:`provision_journal` as Excel bytes (same keyword arguments)."""
    journal = provision_journal(portfolio, ev, **kwargs)
    return journal_xlsx(journal, title=f"Voorgesteld journaal van de voorzieningen (waardering 1 januari "
                                       f"{ev.valuation_year})")


# --------------------------------------------------------------------------- statement per municipality

def municipality_statement_xlsx(portfolio: Portfolio, ev: Evaluation, gemeente: str, *,
                                loss_p90: pd.Series | None = None) -> bytes:
    """A one-page Excel for one municipality: its projects, the loss it carries, profit share owed.

    Parameters
    ----------
    portfolio, ev
        The workbook and its evaluation.
    gemeente : str
        The municipality as written in ``projecten.gemeente``.
    loss_p90 : Series, optional
        P90 loss per project code (as in :func:`loss_sharing`); adds two columns.

    Raises
    ------
    ValueError
        When no project belongs to ``gemeente`` (message in Dutch).
    """
    shares = loss_sharing(portfolio, ev, loss_p90=loss_p90)
    profit = profit_sharing(portfolio, ev)
    mine = shares[shares["gemeente"] == gemeente]
    if mine.empty:
        known = ", ".join(sorted(set(shares["gemeente"].dropna())))
        raise ValueError(f"geen projecten voor gemeente '{gemeente}' (gekend: {known})")
    data = mine.merge(profit.drop(columns=["naam", "gemeente", "status", "result_nominal"]), on="project_code")
    with_p90 = data["loss_p90"].notna().any()
    V = ev.valuation_year

    b = _Book()
    sheet = b.book.add_worksheet(_sheet_name(gemeente))
    head = {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF4"}
    money = b.fmt(num_format=_EUR_FMT)
    money_total = b.fmt(num_format=_EUR_FMT, bold=True, top=1)
    pct_fmt = b.fmt(num_format=_PCT_FMT)
    pct_num = b.fmt(num_format='0.00" %"')
    note = {"italic": True, "font_color": "#555555", "text_wrap": True, "valign": "top"}

    b.text(sheet, 0, 0, f"IGEMO – risicodeling en winstdeling met gemeente {gemeente}", **_TITLE)
    b.text(sheet, 1, 0, f"Toestand bij de waardering op 1 januari {V}; bedragen in euro, verwachte waarden "
                        "volgens de laatste prognose.")
    columns = [
        ("Project", "project_code", "text"), ("Naam", "naam", "text"), ("Status", "status", "text"),
        ("Verwacht resultaat", "result_nominal", "money"), ("Verwacht verlies", "loss", "money"),
        ("Risicodeling gemeente", "risicodeling_gemeente_pct", "pct_num"),
        ("Plafond", "risicodeling_plafond", "money_or_none"),
        ("Verlies gedragen door de gemeente", "loss_share_municipality", "money"),
        ("Verlies gedragen door IGEMO", "loss_share_igemo", "money"),
    ]
    if with_p90:
        columns += [("Verlies P90 (pessimistisch)", "loss_p90", "money"),
                    ("Verlies P90 voor de gemeente", "loss_p90_municipality", "money")]
    columns += [
        ("Winstdeling gemeente", "winstdeling_gemeente_pct", "pct_num"),
        ("Winstdrempel", "winstdeling_drempel", "money"),
        ("Winstdeling verschuldigd aan de gemeente", "profit_share_owed", "money"),
        ("Voltooiingsgraad", "poc", "pct"),
        ("Voorziening winstdeling", "profit_share_provision", "money"),
    ]
    summed = {"loss", "loss_share_municipality", "loss_share_igemo", "loss_p90", "loss_p90_municipality",
              "profit_share_owed", "profit_share_provision"}
    header_row = 3
    for c, (label, _, _) in enumerate(columns):
        b.text(sheet, header_row, c, label, **head)
    sheet.set_row(header_row, 45)
    r = header_row + 1
    for rec in data.to_dict("records"):
        for c, (_, key, kind) in enumerate(columns):
            value = rec[key]
            if kind == "text":
                b.text(sheet, r, c, value)
            elif kind == "money_or_none" and (value is None or pd.isna(value)):
                b.text(sheet, r, c, "geen")
            elif value is None or pd.isna(value):
                sheet.write_blank(r, c, None)
            elif kind == "pct":
                sheet.write_number(r, c, float(value), pct_fmt)
            elif kind == "pct_num":
                sheet.write_number(r, c, float(value), pct_num)
            else:
                sheet.write_number(r, c, float(value), money)
        r += 1
    b.text(sheet, r, 0, "Totaal", bold=True, top=1)
    for c, (_, key, _) in enumerate(columns[1:], start=1):
        if key in summed:
            total_c = sum(_cents_of(x) for x in data[key].fillna(0.0))
            sheet.write_number(r, c, total_c / 100.0, money_total)
        else:
            sheet.write_blank(r, c, None, b.fmt(top=1))
    r += 2
    notes = [
        "Verwacht verlies = het negatieve verwachte resultaat over de hele looptijd (kosten, opbrengsten en rente).",
        "De gemeente draagt haar aandeel in het verlies (risicodeling) tot het plafond; IGEMO draagt de rest.",
        "Winstdeling verschuldigd = het aandeel van de gemeente in de winst boven de drempel.",
        "Voltooiingsgraad = gerealiseerde kosten / totale kosten × gerealiseerde opbrengsten / totale opbrengsten "
        "(jaren vóór het waarderingsjaar, zonder rente).",
        "Voorziening winstdeling = winstdeling verschuldigd × voltooiingsgraad: wat IGEMO vandaag als voorziening "
        "aanhoudt.",
        "Alle bedragen zijn tot op de cent afgerond (half naar boven).",
    ]
    if with_p90:
        notes.insert(2, "Verlies P90: het verlies dat in 9 op 10 gesimuleerde gevallen niet wordt overschreden "
                        "(risicosimulatie).")
    b.text(sheet, r, 0, "Toelichting", bold=True)
    last_col = len(columns) - 1
    for text in notes:
        r += 1
        b.merged_text(sheet, r, 0, last_col, text, **note)
    widths = {"text": 14, "money": 16, "money_or_none": 14, "pct": 12, "pct_num": 12}
    for c, (_, key, kind) in enumerate(columns):
        sheet.set_column(c, c, 30 if key == "naam" else widths[kind])
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.set_footer(f"&L{_footer(gemeente)}&RIGEMO – waardering 1/1/{V}")
    return b.close()


def _sheet_name(gemeente: str) -> str:
    return sheet_name(gemeente, fallback="Gemeente")


def _footer(text: str) -> str:
    return header_footer_text(text)
