"""The parameters of the financing alternatives and the optional workbook sheet ``financiering``.

The parameters are a frozen :class:`FinancingParams` with documented defaults, read from the sheet
``financiering`` (``parameter``, ``waarde``; ``docs/financiering.md``) by :func:`financing_params` and
written back by :func:`params_sheet`. Numbers in the sheet are read as the rest of the workbook reads
them (:func:`igemo_fin.inputs.workbook_cells.as_number`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import pandas as pd

from igemo_fin.errors import Problem, WorkbookError
from igemo_fin.inputs.workbook_cells import as_number, is_empty, show
from igemo_fin.valuation.portfolio import Portfolio

__all__ = [
    "SHEET",
    "PARAMETER_INFO",
    "FinancingParams",
    "financing_params",
    "params_from_rows",
    "params_sheet",
]

#: The optional workbook sheet with the parameters.
SHEET = "financiering"


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
        if is_empty(raw_name):
            if not is_empty(row.get("waarde")):
                problems.append(Problem(SHEET, r, "parameter", "verplichte waarde ontbreekt (lege cel)"))
            continue
        name = str(raw_name).strip().lower()
        if name not in known:
            problems.append(Problem(SHEET, r, "parameter",
                                    f"onbekende parameter '{show(raw_name)}' (gekend: {', '.join(known)})"))
            continue
        if name in seen:
            where = f" (ook op rij {seen[name]})" if seen[name] is not None else ""
            problems.append(Problem(SHEET, r, "parameter", f"parameter '{name}' komt dubbel voor{where}"))
            continue
        seen[name] = r
        raw = row.get("waarde")
        if is_empty(raw):
            if name in ("lening_bedrag", "mix_lening_bedrag", "mix_gemeente_prefinanciering_pct"):
                values[name] = None
            continue  # an empty value keeps the documented default
        try:
            values[name] = _PARSERS[name](raw)
        except ValueError as exc:
            problems.append(Problem(SHEET, r, "waarde", f"'{show(raw)}': {exc}"))
    if problems:
        raise WorkbookError(problems, file=file)
    return replace(base, **values)


def _sheet_number(raw: Any) -> float:
    try:
        return as_number(raw)
    except (ValueError, TypeError):
        raise ValueError("is geen getal") from None


def _pct(low: float, high: float):
    def parse(raw: Any) -> float:
        value = _sheet_number(raw)
        if not low <= value <= high:
            raise ValueError(f"percentage {_g(value)} ligt niet tussen {_g(low)} en {_g(high)}")
        return value
    return parse


def _amount(raw: Any) -> float:
    value = _sheet_number(raw)
    if value < 0:
        raise ValueError(f"bedrag {_g(value)} mag niet negatief zijn")
    return value


def _whole_years(raw: Any) -> int:
    value = _sheet_number(raw)
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
    value = _sheet_number(raw)
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
