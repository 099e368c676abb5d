"""Invoicing moments and payment terms: the prefinancing they imply, and a what-if of other terms.

Notes
-----
The forecast's ``verkoop`` of the years ``>= V`` (total ``S``, ``s[y]`` in year ``y``) is what the
terms invoice. Each row of ``facturatie`` (one version of one project) invoices ``pct`` of it:

- ``ondertekening`` / ``vergunning`` (and ``oplevering`` with a year): ``pct / 100 * S`` in its
  ``jaar``, or in ``V`` when that year has passed;
- ``oplevering`` without a year: ``pct / 100 * s[y]`` in every year ``y`` of the forecast's sales.

A payment term of ``d`` days moves the cash ``d / 365`` years later, split between the two whole
years around it as a delay of the risk register is (DOMAIN.md): ``1 - d/365`` stays in the year,
``d/365`` goes to the next. The project's other flows stay as they are; the valuation then gives the
book value path, its peak from ``V`` on (``prefinancing_peak``) and the interest on the cash credit.
A project without agreed terms keeps the forecast's own timing as its agreement. Years after the
cash credit's last year take its last rate.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from igemo_fin.valuation.basis import Basis
from igemo_fin.valuation.evaluate import Evaluation, evaluate

__all__ = ["PREFINANCING_COLUMNS", "invoiced_cash", "terms_basis", "prefinancing", "signing_proposal",
           "AGREED", "PROPOSAL"]

AGREED, PROPOSAL = "afgesproken", "voorstel"

#: :func:`prefinancing`: one row per project with terms.
PREFINANCING_COLUMNS = (
    "project_code", "naam", "gemeente",
    "prefinancing_peak",           # [EUR] largest book value from V on, agreed terms
    "interest",                    # [EUR] interest from V on, agreed terms
    "prefinancing_peak_proposed",  # [EUR] the same under the proposal; NaN without one
    "interest_proposed",           # [EUR]
    "interest_saved",              # [EUR] interest - interest_proposed
    "peak_lowered",                # [EUR] prefinancing_peak - prefinancing_peak_proposed
)


def invoiced_cash(rows: pd.DataFrame, sales: dict[int, float], valuation_year: int) -> dict[int, float]:
    """The cash of one project's sales under its invoicing terms ``rows``, per year (module notes).

    >>> rows = pd.DataFrame({"moment": ["ondertekening", "oplevering"], "jaar": [2026.0, float("nan")],
    ...                      "pct": [30.0, 70.0], "betalingstermijn_dagen": [0, 73]})
    >>> {y: round(v, 2) for y, v in invoiced_cash(rows, {2027: 600.0, 2028: 400.0}, 2026).items()}
    {2026: 300.0, 2027: 336.0, 2028: 308.0, 2029: 56.0}
    """
    total = sum(sales.values())
    cash: dict[int, float] = {}
    for row in rows.itertuples(index=False):
        share = row.pct / 100.0
        if pd.notna(row.jaar):
            base = {max(int(row.jaar), valuation_year): share * total}
        else:
            base = {y: share * s for y, s in sales.items()}
        delay = row.betalingstermijn_dagen / 365.0
        whole, frac = int(delay), delay - int(delay)
        for year, amount in base.items():
            for target, part in ((year + whole, 1.0 - frac), (year + whole + 1, frac)):
                if part:
                    cash[target] = cash.get(target, 0.0) + amount * part
    return dict(sorted(cash.items()))


def terms_basis(basis: Basis, version: str = AGREED, terms: pd.DataFrame | None = None) -> Basis:
    """``basis`` with the future sales of every project that has terms of ``version`` invoiced by them.

    ``terms`` may replace the workbook's ``facturatie`` (a what-if).
    """
    p, V = basis.portfolio, basis.valuation_year
    terms = p.agreements.terms if terms is None else terms
    chosen = terms[terms["versie"] == version]
    cf = p.cashflows
    future_sales = (cf["versie"] == "prognose") & (cf["categorie"] == "verkoop") & (cf["jaar"] >= V)
    replaced, added = pd.Series(False, index=cf.index), []
    for code, rows in chosen.groupby("project_code", sort=False):
        mine = future_sales & (cf["project_code"] == code)
        sales = cf[mine].groupby("jaar")["bedrag"].sum()
        replaced |= mine
        for year, amount in invoiced_cash(rows, {int(y): float(a) for y, a in sales.items()}, V).items():
            added.append((code, "prognose", year, "verkoop", amount))
    if not added and not replaced.any():
        return basis
    cashflows = pd.concat([cf[~replaced], pd.DataFrame(added, columns=list(cf.columns))], ignore_index=True)
    credit = p.credit
    last = int(credit["jaar"].max())
    beyond = sorted({int(y) for y in cashflows["jaar"]} - set(credit["jaar"]))
    beyond = [y for y in beyond if y > last]
    if beyond:
        tail = credit[credit["jaar"] == last]
        extra = pd.DataFrame({"jaar": beyond, "rentevoet_pct": float(tail["rentevoet_pct"].iloc[0]),
                              "kredietlimiet": tail["kredietlimiet"].iloc[0], "rente_werkelijk": float("nan")})
        credit = pd.concat([credit, extra], ignore_index=True)
    return basis.with_portfolio(replace(p, cashflows=cashflows, credit=credit))


def _future(ev: Evaluation) -> pd.DataFrame:
    y = ev.yearly[ev.yearly["jaar"] >= ev.valuation_year]
    return pd.DataFrame({
        "peak": y.assign(m=y[["book_value_start", "book_value_end"]].max(axis=1)).groupby("project_code")["m"].max(),
        "interest": y.groupby("project_code")["interest"].sum(),
    })


def prefinancing(basis: Basis, terms: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict[str, Evaluation]]:
    """Per project with terms: the peak and interest under the agreed terms and under the proposal.

    Returns the :data:`PREFINANCING_COLUMNS` frame and the two evaluations (``afgesproken``,
    ``voorstel``; simulation off) whose ``yearly`` holds the book value paths.
    """
    base = basis.with_simulation(iterations=0)
    terms = basis.portfolio.agreements.terms if terms is None else terms
    evs = {version: evaluate(terms_basis(base, version, terms)) for version in (AGREED, PROPOSAL)}
    agreed, proposed = _future(evs[AGREED]), _future(evs[PROPOSAL])
    with_proposal = set(terms.loc[terms["versie"] == PROPOSAL, "project_code"])
    figures = evs[AGREED].figures.set_index("project_code")
    rows = []
    for code in dict.fromkeys(terms["project_code"]):
        peak, interest = float(agreed.at[code, "peak"]), float(agreed.at[code, "interest"])
        if code in with_proposal:
            peak_p, interest_p = float(proposed.at[code, "peak"]), float(proposed.at[code, "interest"])
        else:
            peak_p = interest_p = float("nan")
        rows.append((code, figures.at[code, "naam"], figures.at[code, "gemeente"], peak, interest, peak_p,
                     interest_p, interest - interest_p, peak - peak_p))
    return pd.DataFrame(rows, columns=list(PREFINANCING_COLUMNS)), evs


def signing_proposal(terms: pd.DataFrame, project_code: str, pct: float, year: int,
                     payment_days: int | None = None) -> pd.DataFrame:
    """Terms with, for ``project_code``, a proposal: ``pct`` invoiced at signing in ``year`` and the
    agreed moments (or the forecast's sales) scaled to the rest; the agreed payment term unless
    ``payment_days`` is given.

    >>> t = pd.DataFrame({"project_code": ["P"], "versie": ["afgesproken"], "moment": ["oplevering"],
    ...                   "jaar": [float("nan")], "pct": [100.0], "betalingstermijn_dagen": [60]})
    >>> signing_proposal(t, "P", 30, 2026)[["versie", "moment", "pct", "betalingstermijn_dagen"]].values.tolist()
    [['afgesproken', 'oplevering', 100.0, 60], ['voorstel', 'ondertekening', 30.0, 60], ['voorstel', 'oplevering', 70.0, 60]]
    """
    if not 0 < pct <= 100:
        raise ValueError("het percentage bij ondertekening ligt tussen 0 en 100")
    agreed = terms[(terms["project_code"] == project_code) & (terms["versie"] == AGREED)]
    if agreed.empty:
        agreed = pd.DataFrame({"project_code": [project_code], "versie": [AGREED], "moment": ["oplevering"],
                               "jaar": [float("nan")], "pct": [100.0], "betalingstermijn_dagen": [0]})
    days = int(agreed["betalingstermijn_dagen"].max()) if payment_days is None else int(payment_days)
    rest = agreed.assign(versie=PROPOSAL, pct=agreed["pct"] * (100.0 - pct) / 100.0, betalingstermijn_dagen=days)
    signing = pd.DataFrame({"project_code": [project_code], "versie": [PROPOSAL], "moment": ["ondertekening"],
                            "jaar": [float(year)], "pct": [float(pct)], "betalingstermijn_dagen": [days]})
    keep = terms[~((terms["project_code"] == project_code) & (terms["versie"] == PROPOSAL))]
    new = pd.concat([signing, rest[rest["pct"] > 0]], ignore_index=True)
    return pd.concat([keep, new], ignore_index=True)[list(terms.columns)]
