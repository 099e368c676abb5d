"""A proposed project, tested before the go decision as if it were in the portfolio.

The business plan wants every future investment to carry a thorough risk analysis. A proposal is
one project (its row of ``projecten``, its ``prognose`` flows and, when given, its risks) entered
in a form (:func:`proposal_from_form`) or read from a one-project workbook
(:func:`proposal_from_workbook`). :func:`add_proposal` puts it in the portfolio;
:func:`assess_proposal` runs the whole framework on the result and compares it with the portfolio
without the proposal.

Notes
-----
**Adding** (:func:`add_proposal`): the project is appended (status ``actief``) after the existing
projects, its flows after theirs and its risks after theirs. Because the Monte Carlo draws every
risk and every project's reference class from its own stream (by row and position, see
:mod:`igemo_fin.risk.draws`), the existing projects get exactly the same draws with and without the
proposal: any difference in the portfolio's figures is the proposal's. The cash-credit table is
extended with its last year's rate and limit when the proposal runs beyond it.

**Reference-class uplift** (:func:`apply_uplift`): the level's ``cost_ratio`` multiplies every
future cost (years ``>= V``) of the project, its ``revenue_ratio`` every future revenue, and every
future revenue moves ``delay_years`` later (below 0 counts as 0), a flow of year ``y`` split
``1 - frac(d)`` to ``y + floor(d)`` and ``frac(d)`` to ``y + floor(d) + 1``: the same
transformation as :func:`igemo_fin.risk.reference.reference_uplift`, but on the workbook, so the full
evaluation (IRR, interest, verdict) can run on it.

**Cash credit** (:func:`credit_peak`): the drawn balance at 31 December (the sum of the positive
book values of running projects, :attr:`Evaluation.credit`) over the years ``>= V``; its peak,
that year's limit and the years in which the balance exceeds the limit.

**Risk capacity** before and after: two simulations with the same seed and iterations (by
default with the reference class, the proposal's only uncertainty when it brings no risks).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from igemo_fin.columns import (CASHFLOW_COLUMNS, COST_CATEGORIES, CREDIT_COLUMNS, PROJECT_COLUMNS, PROJECT_TYPES,
                      REVENUE_CATEGORIES, RISK_COLUMNS, CATEGORIES)
from igemo_fin.errors import InputError, Problem
from igemo_fin.valuation.portfolio import Portfolio

__all__ = [
    "Proposal", "ProposalError", "ProposalAssessment", "PROPOSAL_CODE", "FORM_FLOW_COLUMNS",
    "UPLIFT_LEVELS", "UPLIFT_ROW_COLUMNS", "CREDIT_COMPARE_COLUMNS",
    "proposal_from_form", "proposal_from_workbook", "proposal_sheets", "free_code", "add_proposal",
    "extend_credit", "apply_uplift", "credit_peak", "assess_proposal",
]

#: The code a proposal gets unless it brings one (``NIEUW``, ``NIEUW-2``, ... when taken).
PROPOSAL_CODE = "NIEUW"

#: Columns of the form's cash-flow table: positive amounts, the category gives the direction.
FORM_FLOW_COLUMNS = ("jaar", "categorie", "bedrag")

#: The levels of :attr:`ProposalAssessment.uplift`, in order.
UPLIFT_LEVELS = ("zonder", "p50", "p80")

#: Columns of :attr:`ProposalAssessment.uplift`: one row per level.
UPLIFT_ROW_COLUMNS = (
    "level",                 # "zonder", "p50", "p80"
    "basis",                 # "type" or "alle types"; None for "zonder" or without a reference class
    "class_size",            # finished projects behind the level's figures
    "cost_ratio", "revenue_ratio", "delay_years",   # the level's figures (1, 1, 0 for "zonder")
    "npv_forward", "irr_full_life", "result_nominal", "interest_total", "peak_book_value",  # [EUR], [fraction]
    "verdict",               # with the simulation's prob_loss, as the main verdict
)

#: Columns of :attr:`ProposalAssessment.credit`: one row per year >= V.
CREDIT_COMPARE_COLUMNS = ("jaar", "kredietlimiet", "drawn_before", "drawn_after", "extra")


class ProposalError(InputError):
    """A proposal that cannot be tested: every problem, with row and column where they apply."""

    kind = "voorstel"


@dataclass(frozen=True)
class Proposal:
    """One proposed project in the workbook's frames (see :class:`~igemo_fin.valuation.portfolio.Portfolio`)."""

    projects: pd.DataFrame   #: one row, :data:`~igemo_fin.columns.PROJECT_COLUMNS`, status ``actief``
    cashflows: pd.DataFrame  #: :data:`~igemo_fin.columns.CASHFLOW_COLUMNS`, ``bedrag`` signed [EUR]
    risks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(RISK_COLUMNS)))
    notes: tuple[str, ...] = ()  #: Dutch remarks on how it was read (renamed code, status set, ...)

    @property
    def code(self) -> str:
        return str(self.projects["project_code"].iloc[0])

    def renamed(self, code: str) -> "Proposal":
        """The same proposal under another project code (in every frame)."""
        old = self.code
        frames = []
        for frame in (self.projects, self.cashflows, self.risks):
            frame = frame.copy()
            frame.loc[frame["project_code"] == old, "project_code"] = code
            frames.append(frame)
        return replace(self, projects=frames[0], cashflows=frames[1], risks=frames[2])


# --------------------------------------------------------------------------- building a proposal

def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_number(value) -> float | None:
    if _blank(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def proposal_from_form(*, naam: str, gemeente: str, type: str, startjaar: int, flows: pd.DataFrame,
                       oppervlakte_m2: float | None = None, bestemming_zeker: bool = True,
                       marktwaarde_huidige_staat: float | None = None,
                       risicodeling_gemeente_pct: float | None = None, risicodeling_plafond: float | None = None,
                       winstdeling_gemeente_pct: float | None = None, winstdeling_drempel: float | None = None,
                       code: str = PROPOSAL_CODE) -> Proposal:
    """A proposal from the fields of a form and a table of yearly amounts.

    Parameters
    ----------
    naam, gemeente : str
        Project name and municipality (required).
    type : str
        One of :data:`~igemo_fin.columns.PROJECT_TYPES`.
    startjaar : int
        Year of the first cost [year].
    flows : DataFrame
        :data:`FORM_FLOW_COLUMNS`: ``jaar``, ``categorie`` (a workbook category) and ``bedrag``
        **positive** [EUR]; the category gives the direction. Rows left wholly empty are skipped;
        rows with an amount of 0 too.
    oppervlakte_m2 : float, optional
        Gross area [m2].
    bestemming_zeker : bool
        Is the zoning legally secured?
    marktwaarde_huidige_staat : float, optional
        What the land would fetch as it is [EUR]; empty when IGEMO does not own it yet.
    risicodeling_gemeente_pct, winstdeling_gemeente_pct : float, optional
        [%] between 0 and 100.
    risicodeling_plafond, winstdeling_drempel : float, optional
        [EUR], not negative.
    code : str
        The project code (default :data:`PROPOSAL_CODE`).

    Returns
    -------
    Proposal
        Status ``actief``; ``eindjaar`` is the last year with a flow; the flows as ``prognose``,
        signed (costs negative).

    Raises
    ------
    ProposalError
        With every problem: the row of ``flows`` (1-based) and its column (``jaar``, ``categorie``,
        ``bedrag``) where it concerns a line, else the field.
    """
    problems: list[Problem] = []

    def add(row, column, reason):
        problems.append(Problem(None, row, column, reason))

    if _blank(naam):
        add(None, "naam", "geef het project een naam")
    if _blank(gemeente):
        add(None, "gemeente", "geef de gemeente (partner) op")
    if type not in PROJECT_TYPES:
        add(None, "type", f"'{type}' is geen projecttype (kies uit {', '.join(PROJECT_TYPES)})")
    start = _as_number(startjaar)
    if start is None or not start.is_integer() or not 1900 <= start <= 2200:
        add(None, "startjaar", f"'{startjaar}' is geen geldig jaartal")
        start = None
    for column, value in (("risicodeling_gemeente_pct", risicodeling_gemeente_pct),
                          ("winstdeling_gemeente_pct", winstdeling_gemeente_pct)):
        number = _as_number(value)
        if number is not None and not 0 <= number <= 100:
            add(None, column, f"{number:g} % ligt niet tussen 0 en 100")
    for column, value in (("oppervlakte_m2", oppervlakte_m2), ("risicodeling_plafond", risicodeling_plafond),
                          ("winstdeling_drempel", winstdeling_drempel)):
        number = _as_number(value)
        if number is not None and number < 0:
            add(None, column, f"{number:g} mag niet negatief zijn")

    missing = [c for c in FORM_FLOW_COLUMNS if c not in flows.columns]
    lines = []
    if missing:
        add(None, None, f"de tabel met kasstromen mist de kolom(men): {', '.join(missing)}")
    else:
        for i, row in enumerate(flows[list(FORM_FLOW_COLUMNS)].itertuples(index=False), start=1):
            year, category, amount = row
            if all(_blank(v) for v in row):
                continue
            y = _as_number(year)
            if y is None or not y.is_integer() or not 1900 <= y <= 2200:
                add(i, "jaar", "geen geldig jaartal" if _blank(year) else f"'{year}' is geen geldig jaartal")
                y = None
            if category not in CATEGORIES:
                add(i, "categorie", "kies een categorie" if _blank(category)
                    else f"'{category}' is geen categorie (kies uit {', '.join(CATEGORIES)})")
            a = _as_number(amount)
            if a is None:
                add(i, "bedrag", "geen geldig bedrag" if _blank(amount) else f"'{amount}' is geen geldig bedrag")
            elif a < 0:
                add(i, "bedrag", "een bedrag is positief: de categorie bepaalt of het een kost of een opbrengst is")
            if y is not None and start is not None and y < start:
                add(i, "jaar", f"{int(y)} ligt voor het startjaar {int(start)}")
            if y is not None and category in CATEGORIES and a is not None and a > 0:
                lines.append((int(y), category, float(a)))
        if not lines and not any(p.row is not None for p in problems):
            add(None, None, "vul minstens één kasstroom in (jaar, categorie en bedrag)")
    if problems:
        raise ProposalError(problems, file="voorstel")

    last = max(y for y, _, _ in lines)
    project = {
        "project_code": code, "naam": str(naam).strip(), "gemeente": str(gemeente).strip(), "type": type,
        "status": "actief", "startjaar": int(start), "eindjaar": max(last, int(start)),
        "oppervlakte_m2": _as_number(oppervlakte_m2), "bestemming_zeker": bool(bestemming_zeker),
        "marktwaarde_huidige_staat": _as_number(marktwaarde_huidige_staat),
        "risicodeling_gemeente_pct": _as_number(risicodeling_gemeente_pct),
        "risicodeling_plafond": _as_number(risicodeling_plafond),
        "winstdeling_gemeente_pct": _as_number(winstdeling_gemeente_pct),
        "winstdeling_drempel": _as_number(winstdeling_drempel),
    }
    cashflows = pd.DataFrame(
        [(code, "prognose", y, c, -a if c in COST_CATEGORIES else a) for y, c, a in lines],
        columns=list(CASHFLOW_COLUMNS))
    return Proposal(_project_frame([project]), _cashflow_frame(cashflows), _risk_frame(None))


def _project_frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(PROJECT_COLUMNS))
    for column in ("oppervlakte_m2", "marktwaarde_huidige_staat", "risicodeling_gemeente_pct",
                   "risicodeling_plafond", "winstdeling_gemeente_pct", "winstdeling_drempel"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["bestemming_zeker"] = frame["bestemming_zeker"].astype(bool)
    return frame


def _cashflow_frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[list(CASHFLOW_COLUMNS)].reset_index(drop=True)
    return frame.astype({"jaar": "int64", "bedrag": float})


def _risk_frame(frame: pd.DataFrame | None) -> pd.DataFrame:
    if frame is None:
        frame = pd.DataFrame(columns=list(RISK_COLUMNS))
    return frame[list(RISK_COLUMNS)].reset_index(drop=True).astype(
        {"kans_pct": float, "min": float, "waarschijnlijk": float, "max": float})


def proposal_from_workbook(upload: Portfolio) -> Proposal:
    """The proposal of a one-project workbook (read with :func:`~igemo_fin.inputs.workbook.read_workbook`).

    Its ``projecten`` must hold exactly one project; its ``prognose`` lines and its risks are
    taken (its ``begroting`` lines too, as they are). Its cash credit, thresholds and settings are
    ignored: the portfolio's apply. A status other than ``actief`` is set to ``actief`` (noted).

    Raises
    ------
    ProposalError
        When the workbook holds no or several projects, or no ``prognose`` for its project.
    """
    name = upload.source_name or "werkboek"
    projects = upload.projects
    if len(projects) != 1:
        raise ProposalError([Problem("projecten", None, None,
                                     f"een voorstel is één project; dit werkboek bevat er {len(projects)}")],
                            file=name)
    code = str(projects["project_code"].iloc[0])
    flows = upload.cashflows[upload.cashflows["project_code"] == code]
    if not (flows["versie"] == "prognose").any():
        raise ProposalError([Problem("kasstromen", None, "versie",
                                     f"project '{code}' heeft geen kasstromen met versie 'prognose'")], file=name)
    notes = []
    record = projects.iloc[0].to_dict()
    if record["status"] != "actief":
        notes.append(f"De status '{record['status']}' van het voorstel is als 'actief' behandeld: een voorstel "
                     "wordt getoetst als een lopend project.")
        record["status"] = "actief"
    return Proposal(_project_frame([record]), _cashflow_frame(flows), _risk_frame(upload.risks), tuple(notes))


def proposal_sheets(proposal: Proposal, portfolio: Portfolio | None = None) -> dict[str, pd.DataFrame]:
    """The proposal as a one-project workbook (WORKBOOK.md), for :func:`~igemo_fin.exports.workbook_writer.workbook_bytes`.

    Amounts are written positive (the workbook's convention); the cash credit is the portfolio's
    (so the file reads without problems), ``drempels`` is left empty (the defaults), ``risicos``
    holds the proposal's risks (or only the header, to fill in).
    """
    projects = proposal.projects.copy()
    projects["bestemming_zeker"] = projects["bestemming_zeker"].map({True: "ja", False: "nee"})
    flows = proposal.cashflows.copy()
    flows["bedrag"] = flows["bedrag"].abs()
    credit = (portfolio.credit if portfolio is not None
              else pd.DataFrame(columns=list(CREDIT_COLUMNS)))[list(CREDIT_COLUMNS)]
    credit = extend_credit(credit, int(flows["jaar"].max())) if not credit.empty and not flows.empty else credit
    return {
        "projecten": projects[list(PROJECT_COLUMNS)],
        "kasstromen": flows[list(CASHFLOW_COLUMNS)],
        "kaskrediet": credit,
        "drempels": pd.DataFrame(columns=["parameter", "waarde", "toelichting"]),
        "risicos": proposal.risks[list(RISK_COLUMNS)],
    }


# --------------------------------------------------------------------------- adding it to the portfolio

def free_code(existing, wanted: str = PROPOSAL_CODE) -> str:
    """``wanted`` when no project has it, else ``wanted-2``, ``wanted-3``, ...

    >>> free_code(["A", "NIEUW"]), free_code(["A"], "X")
    ('NIEUW-2', 'X')
    """
    taken = set(map(str, existing))
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def extend_credit(credit: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """The credit table with its last row's rate and limit repeated up to ``last_year`` (no actual interest).

    >>> c = pd.DataFrame({"jaar": [2026, 2027], "rentevoet_pct": [3.0, 3.5], "kredietlimiet": [1e6, 2e6],
    ...                   "rente_werkelijk": [float("nan")] * 2})
    >>> extend_credit(c, 2029)[["jaar", "rentevoet_pct"]].values.tolist()
    [[2026.0, 3.0], [2027.0, 3.5], [2028.0, 3.5], [2029.0, 3.5]]
    """
    if credit.empty or last_year <= int(credit["jaar"].max()):
        return credit
    tail = credit.sort_values("jaar").iloc[-1]
    extra = pd.DataFrame({"jaar": np.arange(int(tail["jaar"]) + 1, last_year + 1, dtype=np.int64),
                          "rentevoet_pct": float(tail["rentevoet_pct"]), "kredietlimiet": tail["kredietlimiet"],
                          "rente_werkelijk": np.nan})
    return pd.concat([credit, extra], ignore_index=True)


def add_proposal(portfolio: Portfolio, proposal: Proposal) -> Portfolio:
    """The portfolio with the proposal appended (projects, cash flows, risks); see the module notes.

    Raises
    ------
    ProposalError
        When the proposal's code is already a project of the portfolio (use :func:`free_code` and
        :meth:`Proposal.renamed`), or when its flows start before the cash-credit table.
    """
    code = proposal.code
    if code in set(portfolio.project_codes):
        raise ProposalError([Problem("projecten", None, "project_code",
                                     f"de code '{code}' bestaat al in de portefeuille")], file="voorstel")
    credit = portfolio.credit
    flows = proposal.cashflows
    if not flows.empty and not credit.empty and int(flows["jaar"].min()) < int(credit["jaar"].min()):
        raise ProposalError([Problem("kasstromen", None, "jaar",
                                     f"het voorstel heeft kasstromen in {int(flows['jaar'].min())}, voor het "
                                     f"eerste jaar van het kaskrediet ({int(credit['jaar'].min())})")],
                            file="voorstel")
    if not flows.empty:
        credit = extend_credit(credit, int(flows["jaar"].max()))
    projects = pd.concat([portfolio.projects, proposal.projects], ignore_index=True)
    cashflows = pd.concat([portfolio.cashflows, flows], ignore_index=True)
    risks = proposal.risks if portfolio.risks.empty else (
        portfolio.risks if proposal.risks.empty else pd.concat([portfolio.risks, proposal.risks], ignore_index=True))
    return replace(portfolio, projects=projects, cashflows=cashflows, credit=credit,
                   risks=risks.reset_index(drop=True))


def apply_uplift(portfolio: Portfolio, code: str, valuation_year: int, *, cost_ratio: float = 1.0,
                 revenue_ratio: float = 1.0, delay_years: float = 0.0) -> Portfolio:
    """The portfolio with one project's future forecast scaled and delayed (see the module notes).

    Examples
    --------
    Costs x 1.2, revenues x 0.9 and 0.5 year of delay on 1,000 of cost in 2026 and 2,000 of sales
    in 2027: 1,200 of cost in 2026, 900 of sales in 2027 and 900 in 2028.

    >>> from igemo_fin.valuation.portfolio import Portfolio
    >>> cf = pd.DataFrame({"project_code": ["P", "P"], "versie": ["prognose"] * 2, "jaar": [2026, 2027],
    ...                    "categorie": ["studies", "verkoop"], "bedrag": [-1000.0, 2000.0]})
    >>> credit = pd.DataFrame({"jaar": [2026, 2027], "rentevoet_pct": [3.0, 3.0], "kredietlimiet": [1e6] * 2,
    ...                        "rente_werkelijk": [float("nan")] * 2})
    >>> pf = Portfolio(pd.DataFrame({"project_code": ["P"]}), cf, credit)
    >>> out = apply_uplift(pf, "P", 2026, cost_ratio=1.2, revenue_ratio=0.9, delay_years=0.5)
    >>> out.cashflows[["jaar", "bedrag"]].values.round(2).tolist()
    [[2026.0, -1200.0], [2027.0, 900.0], [2028.0, 900.0]]
    >>> int(out.credit["jaar"].max())
    2028
    """
    for name, value in (("cost_ratio", cost_ratio), ("revenue_ratio", revenue_ratio), ("delay_years", delay_years)):
        if value is None or not math.isfinite(float(value)):
            raise ValueError(f"{name} moet een eindig getal zijn")
    V = int(valuation_year)
    delay = max(float(delay_years), 0.0)
    cf = portfolio.cashflows
    target = (cf["project_code"] == code) & (cf["versie"] == "prognose") & (cf["jaar"] >= V)
    moving = cf[target].copy()
    costs = moving[moving["categorie"].isin(COST_CATEGORIES)].copy()
    costs["bedrag"] = costs["bedrag"] * float(cost_ratio)
    revenues = moving[moving["categorie"].isin(REVENUE_CATEGORIES)].copy()
    revenues["bedrag"] = revenues["bedrag"] * float(revenue_ratio)
    whole = int(math.floor(delay))
    frac = delay - whole
    early = revenues.assign(jaar=revenues["jaar"] + whole, bedrag=revenues["bedrag"] * (1.0 - frac))
    parts = [cf[~target], costs, early]
    if frac:
        parts.append(revenues.assign(jaar=revenues["jaar"] + whole + 1, bedrag=revenues["bedrag"] * frac))
    out = pd.concat(parts, ignore_index=True)
    out = out.groupby(["project_code", "versie", "jaar", "categorie"], as_index=False, sort=False)["bedrag"].sum()
    out = out.sort_values(["project_code", "versie", "jaar"], kind="stable").reset_index(drop=True)
    credit = extend_credit(portfolio.credit, int(out["jaar"].max())) if not out.empty else portfolio.credit
    return replace(portfolio, cashflows=_cashflow_frame(out), credit=credit)


def credit_peak(ev) -> dict:
    """The largest drawn balance at 31 December over the years ``>= V`` and that year's limit.

    Returns ``{"year", "drawn", "limit", "headroom", "over_limit_years"}`` (``limit`` and
    ``headroom`` None when the credit table gives no limit that year).
    """
    credit = ev.credit[ev.credit["jaar"] >= ev.valuation_year]
    if credit.empty:
        return {"year": None, "drawn": 0.0, "limit": None, "headroom": None, "over_limit_years": []}
    row = credit.loc[credit["drawn_end"].idxmax()]
    limit = None if pd.isna(row["kredietlimiet"]) else float(row["kredietlimiet"])
    over = credit[credit["kredietlimiet"].notna() & (credit["drawn_end"] > credit["kredietlimiet"])]
    return {"year": int(row["jaar"]), "drawn": float(row["drawn_end"]), "limit": limit,
            "headroom": None if limit is None else limit - float(row["drawn_end"]),
            "over_limit_years": [int(y) for y in over["jaar"]]}


# --------------------------------------------------------------------------- the assessment

@dataclass(frozen=True)
class ProposalAssessment:
    """Everything :func:`assess_proposal` computes."""

    code: str                 #: the proposal's code in the portfolio (renamed when it was taken)
    valuation_year: int
    figures: pd.Series        #: the proposal's row of :data:`~igemo_fin.valuation.evaluate.FIGURE_COLUMNS` (with prob_loss)
    rules: pd.DataFrame       #: its rules (:data:`~igemo_fin.valuation.rules.RULE_COLUMNS`), the loss-chance rules included
    verdict: str
    prob_loss: float          #: [fraction] share of iterations with npv_forward < 0
    npv_percentiles: dict     #: ``p10, p50, p90, expected_shortfall`` [EUR]
    npv_samples: np.ndarray = field(repr=False)  #: (iterations,) its npv_forward per iteration [EUR]
    uplift: pd.DataFrame = field(default=None)   #: :data:`UPLIFT_ROW_COLUMNS`
    reference_type: dict = field(default_factory=dict)  #: ``basis, finished_count, class_size, type``
    credit: pd.DataFrame = field(default=None)   #: :data:`CREDIT_COMPARE_COLUMNS`
    credit_before: dict = field(default_factory=dict)  #: :func:`credit_peak` without the proposal
    credit_after: dict = field(default_factory=dict)   #: and with it
    capacity_before: dict = field(default_factory=dict)  #: ``loss_p90, risk_capacity_ratio, _grade, _label``
    capacity_after: dict = field(default_factory=dict)
    iterations: int = 0
    seed: int = 0
    reference_class: bool = True
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


_CAPACITY_KEYS = ("eigen_vermogen", "loss_p90", "risk_capacity_ratio", "risk_capacity_grade", "risk_capacity_label")


def assess_proposal(portfolio: Portfolio, proposal: Proposal, *, valuation_year: int | None = None,
                    thresholds=None, actuals: pd.DataFrame | None = None, iterations: int = 10_000,
                    seed: int = 2026, reference_class: bool = True, post_calc=None,
                    simulation_before=None) -> ProposalAssessment:
    """Run the framework on the portfolio with the proposal and compare it with the portfolio without.

    Parameters
    ----------
    portfolio : Portfolio
        The current portfolio.
    proposal : Proposal
        The proposed project (its code is changed with :func:`free_code` when it is taken).
    valuation_year, thresholds, actuals
        As :func:`~igemo_fin.valuation.evaluate.evaluate` (the thresholds the board set; the ledger actuals).
    iterations, seed : int
        Of both simulations (the same, so the existing projects get the same draws).
    reference_class : bool
        Add the reference class's uncertainty (post-calculation of the finished projects) to the
        simulations (default True: a proposal without risks has no other uncertainty).
    post_calc : PostCalculation, optional
        The portfolio's post-calculation, to reuse; computed when not given.
    simulation_before : Simulation, optional
        The simulation of the portfolio without the proposal with the same ``iterations``, ``seed``
        and ``reference_class``, to reuse; computed when not given.

    Returns
    -------
    ProposalAssessment

    Raises
    ------
    ProposalError
        When the proposal has flows before the valuation year (a proposal is a future project) or
        before the cash-credit table.
    """
    from igemo_fin.valuation.evaluate import evaluate
    from igemo_fin.postcalc.calculation import post_calculation
    from igemo_fin.risk.montecarlo import simulate

    V = int(valuation_year if valuation_year is not None else portfolio.settings.valuation_year())
    early = proposal.cashflows[(proposal.cashflows["versie"] == "prognose") & (proposal.cashflows["jaar"] < V)]
    if not early.empty:
        raise ProposalError([Problem(None, None, "jaar",
                                     f"het voorstel heeft kasstromen in {int(early['jaar'].min())}, voor het "
                                     f"waarderingsjaar {V}: een voorstel kijkt alleen vooruit")], file="voorstel")
    notes = list(proposal.notes)
    code = free_code(portfolio.project_codes, proposal.code)
    if code != proposal.code:
        notes.append(f"De code '{proposal.code}' bestaat al in de portefeuille; het voorstel is getoetst als '{code}'.")
        proposal = proposal.renamed(code)
    after = add_proposal(portfolio, proposal)
    if int(after.credit["jaar"].max()) > int(portfolio.credit["jaar"].max()):
        notes.append(f"Het kaskrediet loopt tot {int(portfolio.credit['jaar'].max())}; voor de latere jaren van het "
                     "voorstel is de rentevoet en de limiet van dat laatste jaar gebruikt.")

    ev_before = evaluate(portfolio, valuation_year=V, thresholds=thresholds, actuals=actuals)
    ev_after = evaluate(after, valuation_year=V, thresholds=thresholds, actuals=actuals)
    pc = post_calc if post_calc is not None else post_calculation(portfolio, evaluation=ev_before)
    members = pc.projects if reference_class else None
    sim_before = simulation_before if simulation_before is not None else simulate(
        portfolio, ev_before, iterations=iterations, seed=seed, reference=members)
    sim_after = simulate(after, ev_after, iterations=iterations, seed=seed, reference=members)
    prob = sim_after.prob_loss()
    ev_after = evaluate(after, valuation_year=V, thresholds=thresholds, actuals=actuals, prob_loss=prob)

    figures = ev_after.figures.set_index("project_code").loc[code]
    rules = ev_after.rules[ev_after.rules["project_code"] == code].reset_index(drop=True)
    sim_row = sim_after.projects.set_index("project_code").loc[code]
    position = sim_after.codes.index(code)

    # Figures with and without the reference-class uplift: the full evaluation on the uplifted forecast.
    ref = pc.reference.set_index("type")
    kind = str(proposal.projects["type"].iloc[0])
    r = ref.loc[kind] if kind in ref.index else None
    rows = []
    for level in UPLIFT_LEVELS:
        if level == "zonder":
            ratios, basis, size = (1.0, 1.0, 0.0), None, 0
            ev_level = ev_after
        else:
            ratios = (math.nan,) * 3 if r is None else tuple(float(r[f"{m}_{level}"]) for m in (
                "cost_ratio", "revenue_ratio", "delay"))
            basis = None if r is None else r["basis"]
            size = 0 if r is None else int(r["cost_ratio_n"])
            if any(math.isnan(x) for x in ratios):
                rows.append({"level": level, "basis": basis, "class_size": size, "cost_ratio": ratios[0],
                             "revenue_ratio": ratios[1], "delay_years": ratios[2], "npv_forward": math.nan,
                             "irr_full_life": math.nan, "result_nominal": math.nan, "interest_total": math.nan,
                             "peak_book_value": math.nan, "verdict": None})
                continue
            uplifted = apply_uplift(after, code, V, cost_ratio=ratios[0], revenue_ratio=ratios[1],
                                    delay_years=ratios[2])
            ev_level = evaluate(uplifted, valuation_year=V, thresholds=thresholds, actuals=actuals, prob_loss=prob)
        f = ev_level.figures.set_index("project_code").loc[code]
        rows.append({"level": level, "basis": basis, "class_size": size, "cost_ratio": ratios[0],
                     "revenue_ratio": ratios[1], "delay_years": ratios[2],
                     "npv_forward": float(f["npv_forward"]), "irr_full_life": float(f["irr_full_life"]),
                     "result_nominal": float(f["result_nominal"]), "interest_total": float(f["interest_total"]),
                     "peak_book_value": float(f["peak_book_value"]), "verdict": f["verdict"]})
    uplift = pd.DataFrame(rows, columns=list(UPLIFT_ROW_COLUMNS))
    reference_type = {"type": kind, "basis": None if r is None else r["basis"],
                      "finished_count": 0 if r is None else int(r["finished_count"]),
                      "class_size": 0 if r is None else int(r["cost_ratio_n"])}

    before_credit = ev_before.credit.set_index("jaar")
    after_credit = ev_after.credit.set_index("jaar")
    years = [int(y) for y in after_credit.index if y >= V]
    drawn_before = before_credit["drawn_end"].reindex(years).fillna(0.0).to_numpy(dtype=float)
    drawn_after = after_credit["drawn_end"].reindex(years).to_numpy(dtype=float)
    credit = pd.DataFrame({"jaar": years, "kredietlimiet": after_credit["kredietlimiet"].reindex(years).to_numpy(),
                           "drawn_before": drawn_before, "drawn_after": drawn_after,
                           "extra": drawn_after - drawn_before}, columns=list(CREDIT_COMPARE_COLUMNS))

    return ProposalAssessment(
        code=code, valuation_year=V, figures=figures, rules=rules, verdict=figures["verdict"],
        prob_loss=float(sim_row["prob_loss"]),
        npv_percentiles={k: float(sim_row[k]) for k in ("npv_p10", "npv_p50", "npv_p90", "expected_shortfall")},
        npv_samples=sim_after.npv_forward[:, position].copy(), uplift=uplift, reference_type=reference_type,
        credit=credit, credit_before=credit_peak(ev_before), credit_after=credit_peak(ev_after),
        capacity_before={k: sim_before.portfolio[k] for k in _CAPACITY_KEYS},
        capacity_after={k: sim_after.portfolio[k] for k in _CAPACITY_KEYS},
        iterations=int(iterations), seed=int(seed), reference_class=bool(reference_class), notes=tuple(notes),
        warnings=tuple(dict.fromkeys(sim_after.warnings + ev_after.warnings)))
