"""Reading a proposal: from the fields of a form or from a one-project workbook, and back to a workbook.

Every problem of a form is reported at once, with the row and column of its table of flows where
it concerns a line (:class:`~igemo_fin.postcalc.proposal.ProposalError`).
"""

from __future__ import annotations

import math

import pandas as pd

from igemo_fin.columns import (CASHFLOW_COLUMNS, CATEGORIES, COST_CATEGORIES, CREDIT_COLUMNS, PROJECT_COLUMNS,
                               PROJECT_TYPES, RISK_COLUMNS)
from igemo_fin.errors import Problem
from igemo_fin.postcalc.proposal import PROPOSAL_CODE, Proposal, ProposalError, extend_credit
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["FORM_FLOW_COLUMNS", "proposal_from_form", "proposal_from_workbook", "proposal_sheets"]

#: Columns of the form's cash-flow table: positive amounts, the category gives the direction.
FORM_FLOW_COLUMNS = ("jaar", "categorie", "bedrag")


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
    return Proposal.from_records([project], cashflows)


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
    return Proposal.from_records([record], flows, upload.risks, tuple(notes))


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
