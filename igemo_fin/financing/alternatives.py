"""Financing alternatives for the portfolio's projected funding need.

The business plan asks to study alternatives to the cash credit whose interest has risen. This
module prices four ways to carry the same funding need over a horizon of years, under rate
scenarios:

``kaskrediet``
    The cash credit as it is: the rate path of the sheet ``kaskrediet`` on the need, plus a
    commitment fee (reservatiecommissie) on the undrawn part of the credit limit.
``vaste_lening``
    A fixed-rate term loan (amount, rate, term, bullet or linear repayment) drawn on 1 January of
    the valuation year; the need above the loan's balance is drawn on the cash credit, a balance
    above the need is surplus cash that earns the deposit rate.
``prefinanciering``
    The municipalities prefinance a share of the need at an agreed rate; the cash credit carries
    the rest.
``mix``
    A smaller term loan plus a smaller municipal prefinancing; the cash credit carries the rest.

Conventions
-----------
- **Funding need** of year ``y``: the sum over projects of their positive average book value
  ``max(avg[p, y], 0)`` (DOMAIN.md, "Interest (projected)"), i.e. the balance on which the engine
  charges the cash credit's interest; so the ``kaskrediet`` alternative in the flat scenario and
  without fee reproduces the engine's interest. The need is the engine's path under the current
  cash credit; the (second-order) effect of a cheaper or dearer alternative on the capitalised
  interest, and so on the need itself, is left out.
- **Day counts.** Cash credit, commitment fee, deposit and prefinancing: ``rate * days/360`` on the
  year's average balance (ACT/360, as the sheet ``kaskrediet`` quotes). Term loan: a yearly coupon
  ``rate * balance on 1 January`` (a year counts as a year), repayment on 31 December; linear
  repayment is ``amount / term`` per year in cents, the last year taking the rounding remainder.
- **Scenarios** shift the variable rates (cash credit and deposit) of the year ``V + k`` by
  ``shifts_bp[k]`` basis points (the last shift holds afterwards); the term loan and the
  prefinancing are fixed-rate and do not move: that is the protection they buy.
- Years beyond the sheet ``kaskrediet`` keep its last rate and limit. The credit limit available
  to the cash credit is reduced by what the loan and the prefinancing take over (never below 0).
- Every yearly amount is rounded half up to the cent; totals are sums of those cents.

The parameters are a frozen :class:`FinancingParams`, read from the optional workbook sheet
``financiering`` (``docs/financiering.md``) by :func:`financing_params`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd

from igemo_fin.errors import Problem, WorkbookError
from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.valuation.interest import days_in_year
from igemo_fin.money import to_cents
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.inputs.workbook import _number  # the workbook's own number parser (Belgian text numbers too)

__all__ = [
    "SHEET",
    "ALTERNATIVES",
    "ALTERNATIVE_LABELS",
    "PARAMETER_INFO",
    "NEED_COLUMNS",
    "LOAN_COLUMNS",
    "COST_COLUMNS",
    "TOTAL_COLUMNS",
    "RANGE_COLUMNS",
    "FinancingParams",
    "RateScenario",
    "Alternative",
    "FinancingComparison",
    "financing_params",
    "params_from_rows",
    "params_sheet",
    "rate_scenarios",
    "resolve_alternatives",
    "funding_need",
    "loan_schedule",
    "financing_costs",
    "financing_totals",
    "financing_range",
    "compare_financing",
]

#: The optional workbook sheet with the parameters.
SHEET = "financiering"

ALTERNATIVES = ("kaskrediet", "vaste_lening", "prefinanciering", "mix")
ALTERNATIVE_LABELS = {
    "kaskrediet": "Kaskrediet (zoals nu)",
    "vaste_lening": "Lening met vaste rente",
    "prefinanciering": "Prefinanciering door de gemeenten",
    "mix": "Mix: lening, prefinanciering en kaskrediet",
}

#: :func:`funding_need`: one row per horizon year.
NEED_COLUMNS = (
    "jaar",
    "need_average",   # [EUR] sum of positive average book values: what has to be financed
    "need_end",       # [EUR] sum of positive book values at 31 December (Evaluation.credit.drawn_end)
    "rentevoet_pct",  # [%] the cash credit's rate (sheet kaskrediet; last rate after the table)
    "kredietlimiet",  # [EUR] the credit limit (NaN when not given)
)

#: :func:`loan_schedule`: one row per year.
LOAN_COLUMNS = (
    "jaar",
    "outstanding_start",  # [EUR] balance on 1 January
    "interest",           # [EUR] rate * outstanding_start, half up
    "repayment",          # [EUR] paid on 31 December
    "outstanding_end",    # [EUR] balance on 31 December
)

#: :func:`financing_costs`: one row per scenario, alternative and horizon year. Amounts [EUR].
COST_COLUMNS = (
    "scenario", "alternative", "jaar",
    "shift_bp",               # [bp] the scenario's shift of the variable rates that year
    "need_average",           # [EUR] the funding need (the same for every alternative)
    "loan_outstanding",       # [EUR] term loan balance on 1 January
    "prefinanced",            # [EUR] average prefinanced by the municipalities
    "cash_credit_drawn",      # [EUR] average drawn on the cash credit
    "surplus",                # [EUR] average surplus cash placed on deposit
    "rate_cash_credit_pct",   # [%] cash credit rate after the shift
    "interest_cash_credit",   # [EUR]
    "commitment_fee",         # [EUR] fee on the undrawn limit
    "interest_loan",          # [EUR]
    "interest_prefinancing",  # [EUR]
    "deposit_income",         # [EUR] earned on the surplus (subtracted)
    "cost_total",             # [EUR] interest + fee - deposit income
)

#: :func:`financing_totals`: one row per alternative and scenario.
TOTAL_COLUMNS = ("alternative", "label", "scenario", "cost_total")

#: :func:`financing_range`: one row per alternative.
RANGE_COLUMNS = (
    "alternative", "label",
    "cost_flat",       # [EUR] total over the horizon in the flat scenario
    "cost_min",        # [EUR] lowest total over the scenarios
    "cost_max",        # [EUR] highest total over the scenarios
    "scenario_min",    # name of the scenario with the lowest total
    "scenario_max",    # name of the scenario with the highest total
)

_REPAYMENTS = ("bullet", "lineair")
_CENT = Decimal(1)


# --------------------------------------------------------------------------- parameters

@dataclass(frozen=True)
class FinancingParams:
    """Parameters of the financing alternatives (sheet ``financiering``); defaults documented.

    The defaults are example values for a first comparison; finance sets its own in the sheet or
    on the page.
    """

    kaskrediet_reservatiecommissie_pct: float = 0.0
    """Commitment fee on the undrawn credit limit [% per year, ACT/360]; 0: none."""
    lening_bedrag: float | None = None
    """Term loan amount [EUR]; None: the funding need of the valuation year, rounded down to a
    multiple of 100,000."""
    lening_rente_pct: float = 3.0
    """Fixed rate of the term loan [% per year]."""
    lening_looptijd_jaren: int = 10
    """Term of the loan [years], 1-50."""
    lening_aflossing: str = "lineair"
    """Repayment: ``lineair`` (equal parts each 31 December) or ``bullet`` (all at the end)."""
    depositorente_pct: float = 1.5
    """Rate earned on surplus cash [% per year, ACT/360]; moves with the scenarios."""
    gemeente_prefinanciering_pct: float = 25.0
    """Share of the funding need the municipalities prefinance [%]."""
    gemeente_rente_pct: float = 2.0
    """Fixed rate the municipalities charge on the prefinancing [% per year, ACT/360]."""
    mix_lening_bedrag: float | None = None
    """Term loan of the mix [EUR]; None: half of the loan amount."""
    mix_gemeente_prefinanciering_pct: float | None = None
    """Prefinanced share in the mix [%]; None: half of ``gemeente_prefinanciering_pct``."""
    horizon_jaren: int = 10
    """Years compared, from the valuation year on, 1-50."""
    scenario_schok_bp: float = 200.0
    """The parallel shock scenario [basis points], from the valuation year on."""
    scenario_pad_bp: tuple[float, ...] = (0.0, 150.0, 300.0, 350.0)
    """The path scenario: shift of the years V, V+1, ... [basis points]; the last value holds
    (default: the rise of 2022-2024)."""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def with_values(self, **changes: Any) -> "FinancingParams":
        """A copy with some parameters changed (the page's what-if); validated like the sheet."""
        rows = [{"parameter": k, "waarde": _sheet_value(v), "_row": None} for k, v in changes.items()]
        parsed = _parse_rows(rows, base=self)
        return parsed

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["scenario_pad_bp"] = list(self.scenario_pad_bp)
        return data


#: Dutch label, unit and explanation of each parameter, for the page and the sheet's toelichting.
PARAMETER_INFO: dict[str, tuple[str, str, str]] = {
    "kaskrediet_reservatiecommissie_pct": (
        "Reservatiecommissie kaskrediet", "%", "Jaarlijkse vergoeding op het niet-opgenomen deel van de kredietlimiet."),
    "lening_bedrag": (
        "Bedrag vaste lening", "EUR", "Leeg: de financieringsbehoefte van het waarderingsjaar, naar beneden "
        "afgerond op 100.000 euro."),
    "lening_rente_pct": ("Rente vaste lening", "%", "Vaste rentevoet per jaar op het uitstaande bedrag."),
    "lening_looptijd_jaren": ("Looptijd vaste lening", "jaar", "Aantal jaren, 1 tot 50."),
    "lening_aflossing": ("Aflossing vaste lening", "", "'lineair' (elk jaar een gelijk deel) of 'bullet' "
                         "(alles op de eindvervaldag)."),
    "depositorente_pct": ("Depositorente", "%", "Rente op overtollige kas; beweegt mee met de scenario's."),
    "gemeente_prefinanciering_pct": (
        "Prefinanciering door gemeenten", "%", "Deel van de financieringsbehoefte dat de gemeenten voorschieten."),
    "gemeente_rente_pct": ("Rente prefinanciering", "%", "Vaste rentevoet die de gemeenten aanrekenen."),
    "mix_lening_bedrag": ("Lening in de mix", "EUR", "Leeg: de helft van het bedrag van de vaste lening."),
    "mix_gemeente_prefinanciering_pct": (
        "Prefinanciering in de mix", "%", "Leeg: de helft van het prefinancieringsaandeel."),
    "horizon_jaren": ("Horizon", "jaar", "Aantal jaren dat vergeleken wordt, vanaf het waarderingsjaar (1 tot 50)."),
    "scenario_schok_bp": ("Renteschok", "bp", "Parallelle stijging van de variabele rente in het schokscenario."),
    "scenario_pad_bp": ("Rentepad", "bp", "Stijging per jaar vanaf het waarderingsjaar, gescheiden door ';' "
                        "(bv. 0;150;300;350 zoals 2022-2024); de laatste waarde blijft gelden."),
}


def _sheet_value(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return ";".join(_g(v) for v in value)
    return value


def _g(value: float) -> str:
    return f"{float(value):g}"


def financing_params(portfolio: Portfolio) -> FinancingParams:
    """The parameters of the workbook's optional sheet ``financiering``, or the defaults.

    Raises
    ------
    WorkbookError
        With every problem of the sheet: sheet, Excel row, column and a Dutch reason.
    """
    rows = portfolio.extra_sheets.get(SHEET)
    if not rows:
        return FinancingParams()
    return params_from_rows(rows, file=portfolio.source_name)


def params_from_rows(rows: list[dict], *, file: str | None = None) -> FinancingParams:
    """Validate ``parameter`` / ``waarde`` rows (dicts with ``_row`` = Excel row) into parameters.

    An empty ``waarde`` keeps the default; an unknown or repeated parameter, or a bad value, is an
    error. All problems are reported at once.
    """
    return _parse_rows(rows, base=FinancingParams(), file=file)


def _parse_rows(rows: list[dict], *, base: FinancingParams, file: str | None = None) -> FinancingParams:
    problems: list[Problem] = []
    known = FinancingParams.names()
    if rows:
        present = set().union(*(set(r) for r in rows))
        missing = [c for c in ("parameter", "waarde") if c not in present]
        if missing:
            raise WorkbookError([Problem(SHEET, 1, c, "verplichte kolom ontbreekt in de kopregel") for c in missing],
                                file=file)
    values: dict[str, Any] = {}
    seen: dict[str, Any] = {}
    for row in rows:
        r = row.get("_row")
        raw_name = row.get("parameter")
        if _empty(raw_name):
            if not _empty(row.get("waarde")):
                problems.append(Problem(SHEET, r, "parameter", "verplichte waarde ontbreekt (lege cel)"))
            continue
        name = str(raw_name).strip().lower()
        if name not in known:
            problems.append(Problem(SHEET, r, "parameter",
                                    f"onbekende parameter '{_show(raw_name)}' (gekend: {', '.join(known)})"))
            continue
        if name in seen:
            where = f" (ook op rij {seen[name]})" if seen[name] is not None else ""
            problems.append(Problem(SHEET, r, "parameter", f"parameter '{name}' komt dubbel voor{where}"))
            continue
        seen[name] = r
        raw = row.get("waarde")
        if _empty(raw):
            if name in ("lening_bedrag", "mix_lening_bedrag", "mix_gemeente_prefinanciering_pct"):
                values[name] = None
            continue  # an empty value keeps the documented default
        try:
            values[name] = _PARSERS[name](raw)
        except ValueError as exc:
            problems.append(Problem(SHEET, r, "waarde", f"'{_show(raw)}': {exc}"))
    if problems:
        raise WorkbookError(problems, file=file)
    return replace(base, **values)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _as_number(raw: Any) -> float:
    try:
        return _number(raw)
    except (ValueError, TypeError):
        raise ValueError("is geen getal") from None


def _pct(low: float, high: float):
    def parse(raw: Any) -> float:
        value = _as_number(raw)
        if not low <= value <= high:
            raise ValueError(f"percentage {_g(value)} ligt niet tussen {_g(low)} en {_g(high)}")
        return value
    return parse


def _amount(raw: Any) -> float:
    value = _as_number(raw)
    if value < 0:
        raise ValueError(f"bedrag {_g(value)} mag niet negatief zijn")
    return value


def _whole_years(raw: Any) -> int:
    value = _as_number(raw)
    if not float(value).is_integer() or not 1 <= value <= 50:
        raise ValueError("moet een geheel aantal jaren tussen 1 en 50 zijn")
    return int(value)


def _repayment(raw: Any) -> str:
    text = str(raw).strip().lower()
    aliases = {"lineair": "lineair", "linear": "lineair", "bullet": "bullet", "eindaflossing": "bullet"}
    if text not in aliases:
        raise ValueError("kies 'lineair' of 'bullet'")
    return aliases[text]


def _bp(raw: Any) -> float:
    value = _as_number(raw)
    if abs(value) > 2000:
        raise ValueError(f"{_g(value)} basispunten is niet aannemelijk (verwacht -2000 tot 2000)")
    return value


def _bp_path(raw: Any) -> tuple[float, ...]:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return (_bp(raw),)
    parts = [p for p in str(raw).replace("/", ";").replace("|", ";").split(";")]
    parts = [p.strip() for p in parts]
    if len(parts) == 1 and " " in parts[0]:
        parts = parts[0].split()
    if not parts or any(p == "" for p in parts):
        raise ValueError("verwacht basispunten per jaar gescheiden door ';', bv. 0;150;300;350")
    try:
        return tuple(_bp(p) for p in parts)
    except ValueError as exc:
        if "aannemelijk" in str(exc):
            raise
        raise ValueError("verwacht basispunten per jaar gescheiden door ';', bv. 0;150;300;350") from None


_PARSERS = {
    "kaskrediet_reservatiecommissie_pct": _pct(0, 100),
    "lening_bedrag": _amount,
    "lening_rente_pct": _pct(-5, 100),
    "lening_looptijd_jaren": _whole_years,
    "lening_aflossing": _repayment,
    "depositorente_pct": _pct(-5, 100),
    "gemeente_prefinanciering_pct": _pct(0, 100),
    "gemeente_rente_pct": _pct(-5, 100),
    "mix_lening_bedrag": _amount,
    "mix_gemeente_prefinanciering_pct": _pct(0, 100),
    "horizon_jaren": _whole_years,
    "scenario_schok_bp": _bp,
    "scenario_pad_bp": _bp_path,
}
assert set(_PARSERS) == set(FinancingParams.names()) == set(PARAMETER_INFO)


def params_sheet(params: FinancingParams) -> pd.DataFrame:
    """The sheet ``financiering`` for ``params`` (``parameter, waarde, toelichting``), to store them.

    Write it with :func:`igemo_fin.exports.workbook_writer.write_workbook` next to the other sheets.
    """
    rows = []
    for name in FinancingParams.names():
        value = getattr(params, name)
        rows.append({"parameter": name, "waarde": _sheet_value(value) if value is not None else None,
                     "toelichting": PARAMETER_INFO[name][2]})
    return pd.DataFrame(rows, columns=["parameter", "waarde", "toelichting"])


# --------------------------------------------------------------------------- scenarios, alternatives

@dataclass(frozen=True)
class RateScenario:
    """A shift of the variable rates: ``shifts_bp[k]`` for the year ``V + k``, the last one holding."""

    name: str
    label: str
    shifts_bp: tuple[float, ...] = (0.0,)

    def shift(self, k: int) -> float:
        """The shift [bp] of the ``k``-th horizon year (0 = the valuation year)."""
        if not self.shifts_bp:
            return 0.0
        return float(self.shifts_bp[min(max(k, 0), len(self.shifts_bp) - 1)])


def rate_scenarios(params: FinancingParams = FinancingParams()) -> tuple[RateScenario, ...]:
    """The three scenarios: flat (``vlak``), a parallel shock (``schok``) and a path (``pad``)."""
    shock = params.scenario_schok_bp
    path = params.scenario_pad_bp
    return (
        RateScenario("vlak", "Vlak: rentevoeten zoals in het kaskrediet", (0.0,)),
        RateScenario("schok", f"Schok: {shock:+g} bp vanaf het waarderingsjaar", (float(shock),)),
        RateScenario("pad", "Rentepad zoals 2022-2024: " + " / ".join(f"{v:+g}" for v in path) + " bp",
                     tuple(float(v) for v in path)),
    )


@dataclass(frozen=True)
class Alternative:
    """One way to finance the need: a term loan of ``loan_amount`` and a prefinanced share."""

    name: str
    label: str
    loan_amount: float = 0.0        #: [EUR]
    prefinancing_pct: float = 0.0   #: [%] share of the need prefinanced by the municipalities


def resolve_alternatives(params: FinancingParams, need: pd.DataFrame) -> tuple[Alternative, ...]:
    """The four alternatives with their defaults resolved against the funding need."""
    loan = params.lening_bedrag
    if loan is None:
        first = float(need["need_average"].iloc[0]) if len(need) else 0.0
        loan = math.floor(max(first, 0.0) / 100_000.0) * 100_000.0
    mix_loan = params.mix_lening_bedrag if params.mix_lening_bedrag is not None else loan / 2.0
    share = params.gemeente_prefinanciering_pct
    mix_share = (params.mix_gemeente_prefinanciering_pct if params.mix_gemeente_prefinanciering_pct is not None
                 else share / 2.0)
    return (
        Alternative("kaskrediet", ALTERNATIVE_LABELS["kaskrediet"]),
        Alternative("vaste_lening", ALTERNATIVE_LABELS["vaste_lening"], loan_amount=float(loan)),
        Alternative("prefinanciering", ALTERNATIVE_LABELS["prefinanciering"], prefinancing_pct=float(share)),
        Alternative("mix", ALTERNATIVE_LABELS["mix"], loan_amount=float(mix_loan), prefinancing_pct=float(mix_share)),
    )


# --------------------------------------------------------------------------- the need and a loan

def funding_need(portfolio: Portfolio, ev: Evaluation, *, horizon_years: int = 10) -> pd.DataFrame:
    """The portfolio's funding need per year from ``V`` over ``horizon_years`` (:data:`NEED_COLUMNS`).

    ``need_average`` is ``sum_p max(avg[p, y], 0)``, the balance the engine charges interest on;
    ``need_end`` is ``Evaluation.credit.drawn_end``. Years outside the engine's grid have no need.
    """
    V = ev.valuation_year
    years = np.arange(V, V + int(horizon_years), dtype=np.int64)
    grid = ev.matrix.years
    average = np.clip(ev.interest.average_balance, 0.0, None).sum(axis=0) if grid.size else np.zeros(0)
    by_year = pd.Series(average, index=grid)
    drawn = ev.credit.set_index("jaar")["drawn_end"]
    credit = portfolio.credit.set_index("jaar").sort_index()
    rates = _extend(credit["rentevoet_pct"], years)
    limits = _extend(credit["kredietlimiet"], years)
    return pd.DataFrame({
        "jaar": years,
        "need_average": [to_cents(float(by_year.get(y, 0.0))) / 100.0 for y in years],
        "need_end": [to_cents(float(drawn.get(y, 0.0))) / 100.0 for y in years],
        "rentevoet_pct": rates,
        "kredietlimiet": limits,
    })


def _extend(series: pd.Series, years: np.ndarray) -> np.ndarray:
    """``series`` (indexed by year) on ``years``; after its last year its last value, before its first its first."""
    series = series.sort_index()
    if series.empty:
        return np.full(years.size, np.nan)
    out = series.reindex(years)
    out[years > series.index.max()] = series.iloc[-1]
    out[years < series.index.min()] = series.iloc[0]
    return out.to_numpy(float)


def _interest_cents(balance_c: int, rate_pct: float, factor: Decimal = Decimal(1)) -> int:
    """``balance * rate / 100 * factor`` in cents, half up (exact decimal arithmetic)."""
    if balance_c == 0 or rate_pct == 0:
        return 0
    value = Decimal(int(balance_c)) * Decimal(repr(float(rate_pct))) / Decimal(100) * factor
    return int(value.quantize(_CENT, ROUND_HALF_UP))


def _loan_rows(amount_c: int, rate_pct: float, term: int, repayment: str) -> list[tuple[int, int, int, int]]:
    """(outstanding_start, interest, repayment, outstanding_end) in cents for each year of the term."""
    if repayment not in _REPAYMENTS:
        raise ValueError(f"aflossing moet 'lineair' of 'bullet' zijn, niet '{repayment}'")
    if term < 1:
        raise ValueError("de looptijd moet minstens 1 jaar zijn")
    rows = []
    outstanding = amount_c
    part = amount_c // term
    for k in range(term):
        last = k == term - 1
        if repayment == "bullet":
            pay = outstanding if last else 0
        else:
            pay = outstanding if last else part
        interest = _interest_cents(outstanding, rate_pct)
        rows.append((outstanding, interest, pay, outstanding - pay))
        outstanding -= pay
    return rows


def loan_schedule(amount: float, rate_pct: float, term_years: int, repayment: str = "lineair", *,
                  start_year: int) -> pd.DataFrame:
    """The amortisation schedule of a fixed-rate term loan drawn on 1 January of ``start_year``.

    Parameters
    ----------
    amount : float
        Principal [EUR].
    rate_pct : float
        Fixed rate [% per year].
    term_years : int
        Term [years].
    repayment : {"lineair", "bullet"}
        Linear: ``amount / term`` each 31 December (in cents; the last year takes the remainder);
        bullet: everything on the last 31 December.
    start_year : int
        Year of the first coupon.

    Returns
    -------
    DataFrame
        :data:`LOAN_COLUMNS`, one row per year of the term.

    Examples
    --------
    1,000,000 at 3 % over 4 years, linear: coupons 30,000 / 22,500 / 15,000 / 7,500.

    >>> loan_schedule(1_000_000, 3.0, 4, "lineair", start_year=2026)["interest"].tolist()
    [30000.0, 22500.0, 15000.0, 7500.0]
    """
    rows = _loan_rows(to_cents(float(amount)), float(rate_pct), int(term_years), repayment)
    return pd.DataFrame({
        "jaar": np.arange(start_year, start_year + len(rows), dtype=np.int64),
        "outstanding_start": [r[0] / 100.0 for r in rows],
        "interest": [r[1] / 100.0 for r in rows],
        "repayment": [r[2] / 100.0 for r in rows],
        "outstanding_end": [r[3] / 100.0 for r in rows],
    }, columns=list(LOAN_COLUMNS))


# --------------------------------------------------------------------------- costs

def financing_costs(portfolio: Portfolio, ev: Evaluation, params: FinancingParams | None = None, *,
                    scenarios: tuple[RateScenario, ...] | None = None,
                    alternatives: tuple[Alternative, ...] | None = None) -> pd.DataFrame:
    """The cost of each alternative per year of the horizon, under each rate scenario.

    Parameters
    ----------
    portfolio, ev
        The workbook and its evaluation (valuation year ``V`` starts the horizon).
    params : FinancingParams, optional
        Default: the workbook's sheet ``financiering`` (:func:`financing_params`).
    scenarios, alternatives : optional
        Default: :func:`rate_scenarios` and :func:`resolve_alternatives` of ``params``.

    Returns
    -------
    DataFrame
        :data:`COST_COLUMNS`, scenario-major, then alternative, then year.

    Notes
    -----
    For year ``y = V + k`` with ``d = days_in_year(y) / 360``, need ``N``, loan balance ``B`` and
    prefinanced ``P = s * N``: cash credit ``C = max(N - B - P, 0)`` at ``(r + shift) * d``;
    commitment fee ``f * d * max(max(limit - B - P, 0) - C, 0)``; loan coupon ``r_loan * B``;
    prefinancing ``r_gem * d * P``; deposit income ``(r_dep + shift) * d * max(B + P - N, 0)``;
    ``cost = interest + fee + coupon + prefinancing - deposit income``.
    """
    params = params if params is not None else financing_params(portfolio)
    need = funding_need(portfolio, ev, horizon_years=params.horizon_jaren)
    scenarios = scenarios if scenarios is not None else rate_scenarios(params)
    alternatives = alternatives if alternatives is not None else resolve_alternatives(params, need)
    rows = []
    for scenario in scenarios:
        for alt in alternatives:
            term = int(params.lening_looptijd_jaren)
            schedule = (_loan_rows(to_cents(alt.loan_amount), params.lening_rente_pct, term, params.lening_aflossing)
                        if alt.loan_amount > 0 else [])
            for k, rec in enumerate(need.itertuples(index=False)):
                year = int(rec.jaar)
                factor = Decimal(days_in_year(year)) / Decimal(360)
                shift = scenario.shift(k)
                need_c = to_cents(float(rec.need_average))
                loan_c, coupon_c = (schedule[k][0], schedule[k][1]) if k < len(schedule) else (0, 0)
                prefin_c = int((Decimal(need_c) * Decimal(repr(float(alt.prefinancing_pct))) / Decimal(100))
                               .quantize(_CENT, ROUND_HALF_UP))
                drawn_c = max(need_c - loan_c - prefin_c, 0)
                surplus_c = max(loan_c + prefin_c - need_c, 0)
                rate = float(rec.rentevoet_pct) + shift / 100.0
                interest_c = _interest_cents(drawn_c, rate, factor)
                if pd.isna(rec.kredietlimiet):
                    fee_c = 0
                else:
                    available_c = max(to_cents(float(rec.kredietlimiet)) - loan_c - prefin_c, 0)
                    fee_c = _interest_cents(max(available_c - drawn_c, 0), params.kaskrediet_reservatiecommissie_pct,
                                            factor)
                prefin_interest_c = _interest_cents(prefin_c, params.gemeente_rente_pct, factor)
                deposit_c = _interest_cents(surplus_c, params.depositorente_pct + shift / 100.0, factor)
                total_c = interest_c + fee_c + coupon_c + prefin_interest_c - deposit_c
                rows.append((scenario.name, alt.name, year, shift, need_c / 100.0, loan_c / 100.0, prefin_c / 100.0,
                             drawn_c / 100.0, surplus_c / 100.0, rate, interest_c / 100.0, fee_c / 100.0,
                             coupon_c / 100.0, prefin_interest_c / 100.0, deposit_c / 100.0, total_c / 100.0))
    return pd.DataFrame(rows, columns=list(COST_COLUMNS))


def _sum_cents(values) -> float:
    return int(sum(to_cents(float(v)) for v in values)) / 100.0


def financing_totals(costs: pd.DataFrame) -> pd.DataFrame:
    """Total cost over the horizon per alternative and scenario (:data:`TOTAL_COLUMNS`)."""
    rows = []
    for (alt, scenario), g in costs.groupby(["alternative", "scenario"], sort=False):
        rows.append((alt, ALTERNATIVE_LABELS.get(alt, alt), scenario, _sum_cents(g["cost_total"])))
    frame = pd.DataFrame(rows, columns=list(TOTAL_COLUMNS))
    order = {a: i for i, a in enumerate(dict.fromkeys(costs["alternative"]))}
    s_order = {s: i for i, s in enumerate(dict.fromkeys(costs["scenario"]))}
    frame["_a"] = frame["alternative"].map(order)
    frame["_s"] = frame["scenario"].map(s_order)
    return frame.sort_values(["_a", "_s"]).drop(columns=["_a", "_s"]).reset_index(drop=True)


def financing_range(costs: pd.DataFrame, *, flat: str = "vlak") -> pd.DataFrame:
    """Per alternative: its total in the flat scenario and its range over the scenarios (:data:`RANGE_COLUMNS`)."""
    totals = financing_totals(costs)
    rows = []
    for alt, g in totals.groupby("alternative", sort=False):
        low = g.loc[g["cost_total"].idxmin()]
        high = g.loc[g["cost_total"].idxmax()]
        base = g.loc[g["scenario"] == flat, "cost_total"]
        rows.append((alt, ALTERNATIVE_LABELS.get(alt, alt), float(base.iloc[0]) if len(base) else np.nan,
                     float(low["cost_total"]), float(high["cost_total"]), low["scenario"], high["scenario"]))
    return pd.DataFrame(rows, columns=list(RANGE_COLUMNS))


@dataclass(frozen=True)
class FinancingComparison:
    """Everything :func:`compare_financing` computes."""

    valuation_year: int
    params: FinancingParams
    scenarios: tuple[RateScenario, ...]
    alternatives: tuple[Alternative, ...]
    need: pd.DataFrame = field(repr=False)    #: :data:`NEED_COLUMNS`
    costs: pd.DataFrame = field(repr=False)   #: :data:`COST_COLUMNS`
    totals: pd.DataFrame = field(repr=False)  #: :data:`TOTAL_COLUMNS`
    range: pd.DataFrame = field(repr=False)   #: :data:`RANGE_COLUMNS`

    def as_json(self) -> dict:
        """The JSON object of ``python -m igemo_fin financing --json``."""
        alternatives = []
        for alt in self.alternatives:
            mine = self.costs[self.costs["alternative"] == alt.name]
            per_scenario = {}
            for scenario in self.scenarios:
                g = mine[mine["scenario"] == scenario.name]
                per_scenario[scenario.name] = {
                    "total": _sum_cents(g["cost_total"]),
                    "by_year": {str(int(y)): float(v) for y, v in zip(g["jaar"], g["cost_total"])},
                    "interest_cash_credit": _sum_cents(g["interest_cash_credit"]),
                    "commitment_fee": _sum_cents(g["commitment_fee"]),
                    "interest_loan": _sum_cents(g["interest_loan"]),
                    "interest_prefinancing": _sum_cents(g["interest_prefinancing"]),
                    "deposit_income": _sum_cents(g["deposit_income"]),
                }
            rng = self.range.set_index("alternative").loc[alt.name]
            flat = self.scenarios[0].name
            alternatives.append({
                "alternative": alt.name,
                "label": alt.label,
                "loan_amount": alt.loan_amount,
                "prefinancing_pct": alt.prefinancing_pct,
                "total": per_scenario[flat]["total"],
                "by_year": per_scenario[flat]["by_year"],
                "scenarios": per_scenario,
                "range": {"min": float(rng["cost_min"]), "max": float(rng["cost_max"]),
                          "scenario_min": rng["scenario_min"], "scenario_max": rng["scenario_max"]},
            })
        return {
            "valuation_year": self.valuation_year,
            "horizon": [int(y) for y in self.need["jaar"]],
            "parameters": self.params.as_dict(),
            "funding_need": {str(int(y)): float(v) for y, v in zip(self.need["jaar"], self.need["need_average"])},
            "funding_need_end": {str(int(y)): float(v) for y, v in zip(self.need["jaar"], self.need["need_end"])},
            "scenarios": [{"name": s.name, "label": s.label, "shifts_bp": list(s.shifts_bp)} for s in self.scenarios],
            "alternatives": alternatives,
        }


def compare_financing(portfolio: Portfolio, ev: Evaluation, params: FinancingParams | None = None) -> FinancingComparison:
    """Price the four alternatives under the three scenarios (the Financiering page's one call)."""
    params = params if params is not None else financing_params(portfolio)
    need = funding_need(portfolio, ev, horizon_years=params.horizon_jaren)
    scenarios = rate_scenarios(params)
    alternatives = resolve_alternatives(params, need)
    costs = financing_costs(portfolio, ev, params, scenarios=scenarios, alternatives=alternatives)
    return FinancingComparison(ev.valuation_year, params, scenarios, alternatives, need, costs,
                               financing_totals(costs), financing_range(costs, flat=scenarios[0].name))
