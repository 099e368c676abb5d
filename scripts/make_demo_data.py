"""Generate the fictive demo portfolio workbooks (WORKBOOK.md layout).

Usage (from the repository root)::

    .venv/bin/python scripts/make_demo_data.py            # -> data/demo_portefeuille.xlsx
    .venv/bin/python scripts/make_demo_data.py --other    # -> tests/data/other_portfolio.xlsx
    .venv/bin/python scripts/make_demo_data.py --all      # both
    .venv/bin/python scripts/make_demo_data.py --out x.xlsx [--other]

Every project, name and amount is **fictive**: the sites and streets are invented; only the ranges
of land prices, servicing costs, selling prices, durations and the interest path follow public
Flemish sources (see ``data/README.md``). The script has no randomness: every amount is written
out below or computed from unit prices [EUR/m2] and areas [m2], so the output is the same on every
run, byte for byte (the workbook's creation date is pinned).

How a project is written down: a :class:`Plan` is a list of lines ``(categorie, total, first year,
last year[, weights])``; each total is spread over its years (evenly or by weight) in whole euros.
A project has a ``begroting`` (the plan approved at the go decision) and a ``prognose`` (the
latest whole-life forecast: for past years what actually happened, for the future the current
expectation; for a finished project its whole actual life).
"""

from __future__ import annotations

import argparse
import calendar
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from igemo_fin.exports.workbook_writer import write_workbook  # noqa: E402

__all__ = ["demo_sheets", "other_sheets", "write_sheets", "main", "DEMO_PATH", "OTHER_PATH",
           "EURIBOR_3M_PCT", "CREDIT_MARGIN_PCT"]

DEMO_PATH = ROOT / "data" / "demo_portefeuille.xlsx"
OTHER_PATH = ROOT / "tests" / "data" / "other_portfolio.xlsx"

#: Pinned creation date written into the workbook's properties (byte-stable output).
_FIXED_STAMP = "2026-01-01T00:00:00Z"

#: The valuation year of the demo workbook (setting ``waarderingsjaar``).
VALUATION_YEAR = 2026

# --------------------------------------------------------------------------- the cash credit

#: 3-month Euribor, yearly average [%]. 2010-2025: EMMI / ECB Statistical Data Warehouse (rounded
#: to 0.01); 2026 onwards: an assumption close to the forward curve of early 2026 (flat-ish,
#: rising slowly to 2.50 %). Negative from 2015 to 2021 and in the first half of 2022.
EURIBOR_3M_PCT: dict[int, float] = {
    2010: 0.81, 2011: 1.39, 2012: 0.57, 2013: 0.22, 2014: 0.21,
    2015: -0.02, 2016: -0.26, 2017: -0.33, 2018: -0.32, 2019: -0.36, 2020: -0.43, 2021: -0.55,
    2022: 0.35, 2023: 3.43, 2024: 3.57, 2025: 2.18,
    2026: 2.05, 2027: 2.15, 2028: 2.25, 2029: 2.35, 2030: 2.45,
    **{y: 2.50 for y in range(2031, 2046)},
}

#: The bank's margin on the cash credit [%]; the contract floors Euribor at 0 %.
CREDIT_MARGIN_PCT = 0.80


def credit_rate(year: int) -> float:
    """All-in rate of the cash credit [%]: ``max(0, Euribor 3M) + margin``."""
    return round(max(0.0, EURIBOR_3M_PCT[year]) + CREDIT_MARGIN_PCT, 4)


def credit_limit(year: int) -> float:
    """The credit line [EUR]: raised in 2020 as the portfolio grew."""
    return 60_000_000.0 if year < 2020 else 75_000_000.0


#: Actual interest paid / modelled interest, per past year: the bank charges on daily balances
#: and a commitment fee, so the actual bill differs a few percent from the yearly model.
_ACTUAL_INTEREST_FACTOR = {2019: 1.035, 2020: 1.028, 2021: 1.031, 2022: 1.062, 2023: 0.984, 2024: 1.012,
                           2025: 0.991}


# --------------------------------------------------------------------------- plans and projects

COSTS = ("verwerving", "studies", "infrastructuur", "overige_kosten")


@dataclass(frozen=True)
class Line:
    """One cash-flow item: ``total`` [EUR] spread over ``first``..``last`` (evenly or by weight)."""

    categorie: str
    total: float
    first: int
    last: int
    weights: tuple[float, ...] | None = None

    def yearly(self) -> dict[int, int]:
        years = list(range(self.first, self.last + 1))
        weights = list(self.weights) if self.weights else [1.0] * len(years)
        if len(weights) != len(years):
            raise ValueError(f"{self}: {len(weights)} weights for {len(years)} years")
        total = int(round(self.total))
        amounts = [int(total * w / sum(weights)) for w in weights]
        amounts[-1] += total - sum(amounts)  # whole euros that add up to the total exactly
        return {y: a for y, a in zip(years, amounts) if a}


def L(categorie: str, total: float, first: int, last: int | None = None, *weights: float) -> Line:  # noqa: N802
    return Line(categorie, total, first, first if last is None else last, tuple(weights) or None)


@dataclass(frozen=True)
class Project:
    project_code: str
    naam: str
    gemeente: str
    type: str
    status: str
    oppervlakte_m2: float
    bestemming_zeker: str
    begroting: tuple[Line, ...]
    prognose: tuple[Line, ...]
    marktwaarde_huidige_staat: float | None = None
    risicodeling_gemeente_pct: float | None = None
    risicodeling_plafond: float | None = None
    winstdeling_gemeente_pct: float | None = None
    winstdeling_drempel: float | None = None
    toelichting: str = ""
    risks: tuple[tuple, ...] = field(default=())

    def years(self) -> tuple[int, int]:
        spans = [(ln.first, ln.last) for ln in self.prognose]
        return min(a for a, _ in spans), max(b for _, b in spans)


def _projects_frame(projects: list[Project]) -> pd.DataFrame:
    rows = []
    for p in projects:
        start, end = p.years()
        rows.append({
            "project_code": p.project_code, "naam": p.naam, "gemeente": p.gemeente, "type": p.type,
            "status": p.status, "startjaar": start, "eindjaar": end, "oppervlakte_m2": p.oppervlakte_m2,
            "bestemming_zeker": p.bestemming_zeker,
            "marktwaarde_huidige_staat": p.marktwaarde_huidige_staat,
            "risicodeling_gemeente_pct": p.risicodeling_gemeente_pct,
            "risicodeling_plafond": p.risicodeling_plafond,
            "winstdeling_gemeente_pct": p.winstdeling_gemeente_pct,
            "winstdeling_drempel": p.winstdeling_drempel,
            "toelichting": p.toelichting,
        })
    return pd.DataFrame(rows)


def _cashflow_frame(projects: list[Project]) -> pd.DataFrame:
    rows = []
    for p in projects:
        for version in ("begroting", "prognose"):
            per_key: dict[tuple[int, str], int] = {}
            for line in getattr(p, version):
                for year, amount in line.yearly().items():
                    per_key[(year, line.categorie)] = per_key.get((year, line.categorie), 0) + amount
            for (year, categorie), amount in sorted(per_key.items()):
                rows.append({"project_code": p.project_code, "versie": version, "jaar": year,
                             "categorie": categorie, "bedrag": amount})
    return pd.DataFrame(rows, columns=["project_code", "versie", "jaar", "categorie", "bedrag"])


def _risk_frame(projects: list[Project]) -> pd.DataFrame:
    rows = [{"project_code": p.project_code, "risico": r[0], "soort": r[1], "kans_pct": r[2], "min": r[3],
             "waarschijnlijk": r[4], "max": r[5]} for p in projects for r in p.risks]
    return pd.DataFrame(rows, columns=["project_code", "risico", "soort", "kans_pct", "min", "waarschijnlijk",
                                       "max"])


def _modelled_interest(projects: list[Project], years: range) -> dict[int, float]:
    """Total interest per year of the prognose flows, computed as DOMAIN.md says (ACT/360, mid-year).

    Self-contained on purpose: the actual interest written into the workbook must not change when
    the engine changes.
    """
    total = {y: 0.0 for y in years}
    for p in projects:
        net: dict[int, float] = {}
        for line in p.prognose:
            sign = -1.0 if line.categorie in COSTS else 1.0
            for year, amount in line.yearly().items():
                net[year] = net.get(year, 0.0) + sign * amount
        first, last = p.years()
        balance = 0.0
        for year in range(first, last + 1):
            cf = net.get(year, 0.0)
            avg = balance - cf / 2.0
            days = 366 if calendar.isleap(year) else 365
            interest = credit_rate(year) / 100.0 * days / 360.0 * max(avg, 0.0)
            if year in total:
                total[year] += interest
            balance = balance - cf + interest
    return total


def _credit_frame(projects: list[Project], first: int = 2010, last: int = 2045,
                  actual_years: range = range(2019, 2026)) -> pd.DataFrame:
    modelled = _modelled_interest(projects, actual_years)
    rows = []
    for year in range(first, last + 1):
        actual = None
        if year in actual_years:
            actual = round(modelled[year] * _ACTUAL_INTEREST_FACTOR[year], 2)
        rows.append({
            "jaar": year,
            "rentevoet_pct": credit_rate(year),
            "kredietlimiet": credit_limit(year),
            "rente_werkelijk": actual,
            "euribor_3m_pct": EURIBOR_3M_PCT[year],
            "marge_pct": CREDIT_MARGIN_PCT,
            "toelichting": ("werkelijk betaalde rente (rekeninguittreksels)" if actual is not None else
                            "verleden: gemiddelde van het jaar" if year < VALUATION_YEAR else
                            "veronderstelling: Euribor-termijncurve begin 2026 + marge"),
        })
    return pd.DataFrame(rows)


def _threshold_frame(**overrides: float) -> pd.DataFrame:
    rows = [
        ("disconteringsvoet_pct", None,
         "Leeg = de rentevoet van het kaskrediet in het waarderingsjaar (de financieringskost)."),
        ("bijsturen_npv_onder", 0,
         "Bijsturen als de contante waarde van wat nog komt (toekomstige kasstromen) onder dit bedrag (EUR) ligt."),
        ("stop_npv_onder", -500_000,
         "Stopzetten als die contante waarde onder dit bedrag (EUR) ligt: verder investeren vergroot het verlies."),
        ("min_irr_pct", 3.0,
         "Bijsturen als het intern rendement over de hele looptijd lager is dan dit percentage (of niet bestaat)."),
        ("max_rente_op_marge_pct", 50,
         "Bijsturen als de nog te betalen rente meer dan dit percentage van de toekomstige netto-opbrengst opslorpt."),
        ("max_jaren_zonder_bestemming", 5,
         "Bijsturen als de bestemming na zoveel jaren sinds de start nog niet juridisch zeker is."),
        ("stop_jaren_zonder_bestemming", 10,
         "Stopzetten als de bestemming na zoveel jaren sinds de start nog niet juridisch zeker is."),
        ("afstoten_voordeel_min", 100_000,
         "Afstoten als verkopen in de huidige staat minstens zoveel euro meer oplevert dan verder ontwikkelen."),
        ("max_kans_verlies_pct", 30,
         "Bijsturen als de kans op verlies (risicosimulatie) groter is dan dit percentage."),
        ("stop_kans_verlies_pct", 70,
         "Stopzetten als de kans op verlies (risicosimulatie) groter is dan dit percentage."),
        ("min_eigen_vermogen", 10_000_000,
         "Meerjarenperspectief: het eigen vermogen mag in geen enkel jaar onder dit bedrag (EUR) zakken."),
        ("max_kredietgebruik_pct", 90,
         "Meerjarenperspectief: het opgenomen kaskrediet mag in geen enkel jaar meer dan dit percentage van de "
         "limiet gebruiken."),
    ]
    frame = pd.DataFrame(rows, columns=["parameter", "waarde", "toelichting"])
    for name, value in overrides.items():
        frame.loc[frame["parameter"] == name, "waarde"] = value
    return frame


def _accounts_frame() -> pd.DataFrame:
    return pd.DataFrame([
        ("6040", "infrastructuur", "Aanleg nutsleidingen en riolering (standaard 604 = overige kosten)"),
        ("6045", "verwerving", "Registratierechten en notariskosten bij aankoop van gronden"),
        ("6081", "overige_kosten", "Bodemsanering in opdracht van OVAM"),
        ("7430", "overige_opbrengsten", "Recuperatie van kosten bij aanpalende eigenaars (standaard 74 = subsidies)"),
        ("7460", "subsidies", "VLAIO-subsidie bedrijventerreinen (uitbetaalde schijven)"),
    ], columns=["rekening_prefix", "categorie", "toelichting"])


def _settings_frame(equity: float, note: str) -> pd.DataFrame:
    return pd.DataFrame([
        ("eigen_vermogen", equity, "Eigen vermogen dat verliezen kan opvangen (EUR)"),
        ("waarderingsjaar", VALUATION_YEAR, "Waardering op 1 januari van dit jaar"),
        ("omschrijving", note, "Fictieve demodata: geen echte projecten of bedragen van IGEMO"),
    ], columns=["parameter", "waarde", "toelichting"])


def _note_frame(lines: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"toelichting": lines})


def _sheets(projects: list[Project], *, equity: float, note: list[str], title: str,
            thresholds: dict | None = None) -> dict[str, pd.DataFrame]:
    codes = [p.project_code for p in projects]
    if len(set(codes)) != len(codes):
        raise ValueError("duplicate project codes")
    return {
        "toelichting": _note_frame(note),
        "projecten": _projects_frame(projects),
        "kasstromen": _cashflow_frame(projects),
        "kaskrediet": _credit_frame(projects),
        "drempels": _threshold_frame(**(thresholds or {})),
        "risicos": _risk_frame(projects),
        "rekeningen": _accounts_frame(),
        "instellingen": _settings_frame(equity, title),
    }


# --------------------------------------------------------------------------- the demo portfolio
# Unit prices [EUR/m2] are written in the amounts as area x price so they can be checked against
# the ranges of data/README.md. Gross area = oppervlakte_m2; net saleable = a share of it.
# Remediation (bodemsanering) is booked as overige_kosten, demolition with the acquisition.

def _demo_projects() -> list[Project]:
    P = Project
    return [
        # ---------------------------------------------------------------- finished (afgerond)
        P("BT-01", "Fictief bedrijventerrein Hoogveld-Zuid", "Sint-Katelijne-Waver", "bedrijventerrein",
          "afgerond", 180_000, "ja",
          begroting=(L("verwerving", 180_000 * 12, 2010, 2011), L("studies", 350_000, 2010, 2012),
                     L("infrastructuur", 180_000 * 48, 2012, 2014), L("subsidies", 2_590_000, 2013, 2015),
                     L("verkoop", 117_000 * 95, 2013, 2018)),
          prognose=(L("verwerving", 2_290_000, 2010, 2011), L("studies", 420_000, 2010, 2013),
                    L("infrastructuur", 180_000 * 55.2, 2013, 2015), L("subsidies", 2_590_000, 2014, 2016),
                    L("verkoop", 117_000 * 104, 2015, 2020, 1, 2, 3, 3, 2, 1)),
          risicodeling_gemeente_pct=25, risicodeling_plafond=750_000, winstdeling_gemeente_pct=30,
          winstdeling_drempel=500_000,
          toelichting="Infrastructuur +15 % en verkoop 2 jaar later dan begroot, maar 9 % hogere prijzen."),
        P("BT-02", "Fictieve kmo-zone Ravelshoek", "Duffel", "bedrijventerrein", "afgerond", 60_000, "ja",
          begroting=(L("verwerving", 60_000 * 15, 2011), L("studies", 150_000, 2011, 2012),
                     L("infrastructuur", 60_000 * 62, 2012, 2013), L("subsidies", 900_000, 2013, 2014),
                     L("verkoop", 39_600 * 110, 2013, 2019)),
          prognose=(L("verwerving", 880_000, 2011), L("studies", 140_000, 2011, 2012),
                    L("infrastructuur", 60_000 * 59, 2012, 2013), L("subsidies", 900_000, 2013, 2014),
                    L("verkoop", 39_600 * 118, 2013, 2018, 1, 2, 3, 3, 2, 1)),
          toelichting="Beter dan begroot: goedkoper aanbesteed en een jaar sneller verkocht."),
        P("BT-03", "Fictief bedrijventerrein Hulsthoek-Oost", "Heist-op-den-Berg", "bedrijventerrein",
          "afgerond", 220_000, "ja",
          begroting=(L("verwerving", 220_000 * 14, 2012, 2013), L("studies", 500_000, 2012, 2014),
                     L("infrastructuur", 220_000 * 52, 2014, 2016), L("subsidies", 3_200_000, 2015, 2017),
                     L("verkoop", 140_800 * 100, 2015, 2020)),
          prognose=(L("verwerving", 3_250_000, 2012, 2014), L("studies", 680_000, 2012, 2016),
                    L("infrastructuur", 220_000 * 65, 2015, 2018), L("subsidies", 3_200_000, 2016, 2018),
                    L("verkoop", 140_800 * 112, 2017, 2023, 1, 2, 2, 2, 2, 2, 1)),
          risicodeling_gemeente_pct=25, risicodeling_plafond=1_000_000,
          toelichting="Slechte draagkracht van de bodem: infrastructuur +25 %, verkoop 2 jaar later."),
        P("WO-01", "Fictieve woonwijk Bessemhof", "Bonheiden", "wonen", "afgerond", 45_000, "ja",
          begroting=(L("verwerving", 45_000 * 35, 2011, 2012), L("studies", 300_000, 2011, 2013),
                     L("infrastructuur", 45_000 * 85, 2014, 2015), L("verkoop", 26_100 * 260, 2015, 2019)),
          prognose=(L("verwerving", 1_620_000, 2011, 2012), L("studies", 380_000, 2011, 2015),
                    L("infrastructuur", 45_000 * 91, 2016, 2017), L("verkoop", 26_100 * 315, 2017, 2021)),
          winstdeling_gemeente_pct=50, winstdeling_drempel=750_000,
          toelichting="RUP 2 jaar later dan gepland, maar de bouwgrondprijzen stegen ruim 20 %."),
        P("WO-02", "Fictieve verkaveling Heibloemveld", "Berlaar", "wonen", "afgerond", 28_000, "ja",
          begroting=(L("verwerving", 28_000 * 40, 2013), L("studies", 200_000, 2013, 2014),
                     L("infrastructuur", 28_000 * 95, 2015, 2016), L("verkoop", 16_800 * 280, 2016, 2019)),
          prognose=(L("verwerving", 1_120_000, 2013), L("studies", 240_000, 2013, 2015),
                    L("infrastructuur", 28_000 * 104.5, 2016, 2017),
                    L("verkoop", 16_800 * 340, 2017, 2022, 1, 2, 2, 2, 2, 1)),
          winstdeling_gemeente_pct=50, winstdeling_drempel=500_000,
          toelichting="Infrastructuur +10 %, verkoop trager maar tegen hogere prijzen."),
        P("RC-01", "Fictieve reconversie Oude Steenbakkerij Kaaihoek", "Puurs-Sint-Amands", "reconversie",
          "afgerond", 52_000, "ja",
          begroting=(L("verwerving", 52_000 * 35, 2012, 2013), L("studies", 450_000, 2012, 2014),
                     L("overige_kosten", 52_000 * 35, 2014, 2015), L("infrastructuur", 52_000 * 60, 2015, 2016),
                     L("subsidies", 2_500_000, 2015, 2017), L("verkoop", 32_240 * 150, 2016, 2020)),
          prognose=(L("verwerving", 1_950_000, 2012, 2013), L("studies", 620_000, 2012, 2016),
                    L("overige_kosten", 52_000 * 58, 2015, 2018), L("infrastructuur", 52_000 * 63.5, 2018, 2019),
                    L("subsidies", 2_500_000, 2016, 2019), L("verkoop", 32_240 * 140, 2019, 2024)),
          risicodeling_gemeente_pct=50, risicodeling_plafond=1_500_000,
          toelichting="Bodemsanering +65 % (OVAM-saneringsplan uitgebreid), 4 jaar vertraging, verlies."),
        # ---------------------------------------------------------------- stopped (stopgezet)
        P("BT-04", "Fictieve kmo-zone Broekweide", "Putte", "bedrijventerrein", "stopgezet", 75_000, "nee",
          begroting=(L("verwerving", 75_000 * 12, 2014, 2015), L("studies", 250_000, 2014, 2016),
                     L("infrastructuur", 75_000 * 60, 2017, 2018), L("subsidies", 1_100_000, 2018, 2019),
                     L("verkoop", 49_500 * 105, 2018, 2022)),
          prognose=(L("verwerving", 930_000, 2014, 2015), L("studies", 410_000, 2014, 2018),
                    L("verkoop", 75_000 * 6.5, 2019), L("overige_opbrengsten", 30_000, 2015, 2019)),
          risicodeling_gemeente_pct=50,
          toelichting="RUP vernietigd door de Raad van State (2018); grond verkocht als landbouwgrond."),
        P("WO-03", "Fictief woonuitbreidingsgebied Kloosterakker", "Lier", "wonen", "stopgezet", 32_000, "nee",
          begroting=(L("verwerving", 32_000 * 38, 2012, 2013), L("studies", 220_000, 2012, 2014),
                     L("infrastructuur", 32_000 * 90, 2015, 2016), L("verkoop", 18_560 * 270, 2016, 2020)),
          prognose=(L("verwerving", 1_216_000, 2012, 2013), L("studies", 180_000, 2012, 2017),
                    L("verkoop", 950_000, 2020)),
          risicodeling_gemeente_pct=50, risicodeling_plafond=400_000,
          toelichting="De gemeente koos (bouwshift) om het WUG als open ruimte te bewaren en kocht de grond."),
        # ---------------------------------------------------------------- active: DOORGAAN
        P("BT-05", "Fictief bedrijventerrein Ringzone-Noord", "Mechelen", "bedrijventerrein", "actief",
          150_000, "ja",
          begroting=(L("verwerving", 150_000 * 18, 2017, 2018), L("studies", 400_000, 2017, 2020),
                     L("infrastructuur", 150_000 * 58, 2021, 2023), L("subsidies", 2_600_000, 2022, 2024),
                     L("verkoop", 99_000 * 135, 2022, 2028)),
          prognose=(L("verwerving", 2_840_000, 2017, 2018), L("studies", 470_000, 2017, 2021),
                    L("infrastructuur", 150_000 * 62.5, 2021, 2024), L("subsidies", 2_600_000, 2022, 2025),
                    L("verkoop", 99_000 * 145, 2023, 2030, 1, 2, 2, 2, 2, 2, 1.5, 1)),
          marktwaarde_huidige_staat=6_500_000, risicodeling_gemeente_pct=25, risicodeling_plafond=1_000_000,
          winstdeling_gemeente_pct=30, winstdeling_drempel=1_000_000,
          toelichting="Uitgeruste percelen verkopen vlot; marktwaarde = de resterende percelen in één keer.",
          risks=(("Prijsdaling regionale kmo-markt", "prijs_pct", 20, 3, 6, 12),
                 ("Tragere verkoop laatste fase", "vertraging_jaren", 25, 0.5, 1, 2),
                 ("Meerkosten nazorg wegenis", "kosten_pct", 20, 2, 5, 10))),
        P("WO-04", "Fictieve woonwijk Kouterhof", "Sint-Katelijne-Waver", "wonen", "actief", 38_000, "ja",
          begroting=(L("verwerving", 38_000 * 42, 2018, 2019), L("studies", 300_000, 2018, 2021),
                     L("infrastructuur", 38_000 * 95, 2022, 2024), L("verkoop", 22_800 * 320, 2023, 2028)),
          prognose=(L("verwerving", 1_640_000, 2018, 2019), L("studies", 360_000, 2018, 2022),
                    L("infrastructuur", 38_000 * 104, 2023, 2026), L("verkoop", 22_800 * 345, 2025, 2030)),
          marktwaarde_huidige_staat=4_200_000, winstdeling_gemeente_pct=50, winstdeling_drempel=1_000_000,
          toelichting="RUP goedgekeurd in 2021; eerste kavels verkocht in 2025.",
          risks=(("Aannemer vraagt prijsherziening", "kosten_pct", 25, 3, 6, 12),
                 ("Afkoeling bouwgrondmarkt (hypotheekrente)", "prijs_pct", 20, 2, 5, 10),
                 ("Archeologisch vooronderzoek", "eenmalig_eur", 15, 40_000, 80_000, 150_000))),
        P("GM-01", "Fictief stadsrandproject Hoevenveld", "Lier", "gemengd", "actief", 60_000, "ja",
          begroting=(L("verwerving", 60_000 * 45, 2020, 2021), L("studies", 550_000, 2020, 2023),
                     L("infrastructuur", 60_000 * 80, 2023, 2025),
                     L("verkoop", 22_000 * 390 + 14_000 * 150, 2024, 2030)),
          prognose=(L("verwerving", 2_850_000, 2020, 2021), L("studies", 620_000, 2020, 2024),
                    L("infrastructuur", 60_000 * 84, 2024, 2027),
                    L("verkoop", 22_000 * 410 + 14_000 * 155, 2025, 2031)),
          toelichting="Wonen (22.000 m² netto) en kmo-units (14.000 m² netto) op een stadsrandsite.",
          risks=(("Bijkomende bodemverontreiniging (oude stortplaats)", "eenmalig_eur", 30, 100_000, 250_000,
                  600_000),
                 ("Vertraging omgevingsvergunning (beroep buren)", "vertraging_jaren", 25, 0.5, 1, 3),
                 ("Meerkosten wegenis en riolering", "kosten_pct", 30, 3, 8, 15))),
        # ---------------------------------------------------------------- active: BIJSTUREN
        P("BT-06", "Fictief bedrijventerrein Kanaalweide-Oost", "Willebroek", "bedrijventerrein", "actief",
          140_000, "ja",
          begroting=(L("verwerving", 140_000 * 14, 2014, 2015), L("studies", 450_000, 2014, 2017),
                     L("infrastructuur", 140_000 * 52, 2018, 2021), L("subsidies", 2_200_000, 2019, 2022),
                     L("verkoop", 91_000 * 110, 2019, 2026)),
          prognose=(L("verwerving", 2_150_000, 2014, 2015), L("studies", 800_000, 2014, 2021),
                    L("infrastructuur", 140_000 * 20, 2021, 2023), L("infrastructuur", 140_000 * 45, 2026, 2029),
                    L("subsidies", 550_000, 2022, 2023), L("subsidies", 1_100_000, 2027, 2029),
                    L("verkoop", 13_000 * 105, 2024, 2025), L("verkoop", 78_000 * 100, 2029, 2033),
                    L("overige_opbrengsten", 180_000, 2016, 2027)),  # pacht en tijdelijke verhuur
          risicodeling_gemeente_pct=50, risicodeling_plafond=1_500_000,
          toelichting="RUP pas in 2019 (MER); fase 2 vraagt ophoging en waterbuffering: de rente eet de marge op.",
          risks=(("Logistieke vraag zwakt af", "vertraging_jaren", 30, 0.5, 1, 2),
                 ("Lagere prijzen grote percelen", "prijs_pct", 25, 3, 6, 12),
                 ("Ophoging en waterbuffering duurder", "kosten_pct", 25, 2, 5, 10))),
        P("WO-05", "Fictieve woonwijk Veldhoeve", "Putte", "wonen", "actief", 42_000, "nee",
          begroting=(L("verwerving", 42_000 * 40, 2020, 2021), L("studies", 350_000, 2020, 2022),
                     L("infrastructuur", 42_000 * 90, 2023, 2024), L("verkoop", 24_360 * 300, 2024, 2028)),
          prognose=(L("verwerving", 1_720_000, 2020, 2021), L("studies", 520_000, 2020, 2027),
                    L("infrastructuur", 42_000 * 96, 2028, 2029), L("verkoop", 24_360 * 330, 2029, 2033)),
          marktwaarde_huidige_staat=1_100_000,
          toelichting="Woonuitbreidingsgebied: het RUP ligt na een negatief advies opnieuw ter studie.",
          risks=(("RUP opnieuw vertraagd", "vertraging_jaren", 50, 1, 2, 4),
                 ("Bezwaarprocedure en bijkomende studies", "eenmalig_eur", 30, 50_000, 120_000, 250_000),
                 ("Lagere verkoopprijzen", "prijs_pct", 20, 3, 6, 12))),
        P("RC-02", "Fictieve reconversie Ververijsite", "Duffel", "reconversie", "actief", 35_000, "ja",
          begroting=(L("verwerving", 35_000 * 70, 2016, 2017), L("studies", 450_000, 2016, 2019),
                     L("overige_kosten", 35_000 * 35, 2018, 2020), L("infrastructuur", 35_000 * 100, 2020, 2022),
                     L("subsidies", 600_000, 2019, 2021), L("verkoop", 21_000 * 370, 2021, 2026)),
          prognose=(L("verwerving", 2_520_000, 2016, 2017), L("studies", 600_000, 2016, 2021),
                    L("overige_kosten", 35_000 * 62, 2018, 2023), L("infrastructuur", 35_000 * 105, 2022, 2026),
                    L("subsidies", 900_000, 2020, 2024), L("verkoop", 21_000 * 405, 2024, 2030)),
          risicodeling_gemeente_pct=50, risicodeling_plafond=1_000_000,
          toelichting="Oude ververij: sanering 75 % duurder dan begroot; de verkoop loopt wel.",
          risks=(("Restverontreiniging grondwater", "eenmalig_eur", 35, 200_000, 450_000, 1_000_000),
                 ("Lagere prijzen appartementsgrond", "prijs_pct", 20, 3, 6, 10))),
        P("RC-03", "Fictieve reconversie Papierfabriek Zennedal", "Zemst", "reconversie", "actief", 30_000, "ja",
          begroting=(L("verwerving", 30_000 * 45, 2019, 2020), L("studies", 400_000, 2019, 2022),
                     L("overige_kosten", 30_000 * 40, 2022, 2024), L("infrastructuur", 30_000 * 70, 2024, 2026),
                     L("subsidies", 900_000, 2023, 2026), L("verkoop", 18_600 * 230, 2025, 2030)),
          prognose=(L("verwerving", 1_400_000, 2019, 2020), L("studies", 620_000, 2019, 2026),
                    L("overige_kosten", 30_000 * 145, 2025, 2030), L("infrastructuur", 30_000 * 78, 2028, 2030),
                    L("subsidies", 900_000, 2026, 2030), L("verkoop", 18_600 * 195, 2029, 2034)),
          risicodeling_gemeente_pct=60, risicodeling_plafond=4_000_000,
          toelichting="Gechloreerde solventen diep in het grondwater (2025): sanering bovenaan de OVAM-range.",
          risks=(("Saneringsduur langer dan gepland", "kosten_pct", 50, 5, 15, 30),
                 ("Bijkomende verontreinigingskern", "eenmalig_eur", 40, 300_000, 700_000, 1_500_000),
                 ("Lagere prijzen door imago site", "prijs_pct", 30, 5, 10, 20))),
        P("WO-06", "Fictief woonuitbreidingsgebied Heidebloemveld", "Nijlen", "wonen", "actief", 55_000, "nee",
          begroting=(L("verwerving", 55_000 * 30, 2015, 2016), L("studies", 400_000, 2015, 2017),
                     L("infrastructuur", 55_000 * 85, 2018, 2020), L("verkoop", 31_900 * 270, 2019, 2024)),
          prognose=(L("verwerving", 1_700_000, 2015, 2016), L("studies", 750_000, 2015, 2028),
                    L("infrastructuur", 55_000 * 95, 2029, 2031), L("verkoop", 31_900 * 320, 2031, 2036),
                    L("overige_opbrengsten", 66_000, 2016, 2026)),  # pacht (landbouwgebruik)
          marktwaarde_huidige_staat=55_000 * 9,
          toelichting="WUG sinds 2015 zonder goedgekeurd RUP; de gemeente overweegt een bouwshift.",
          risks=(("Geen RUP: herbestemming naar open ruimte", "vertraging_jaren", 60, 2, 3, 6),
                 ("Planschade en bijkomende studies", "eenmalig_eur", 30, 100_000, 200_000, 400_000),
                 ("Lagere prijzen", "prijs_pct", 15, 3, 6, 12))),
        P("GM-02", "Fictief project Stationsomgeving-Zuid", "Heist-op-den-Berg", "gemengd", "actief", 40_000, "ja",
          begroting=(L("verwerving", 40_000 * 70, 2019, 2021), L("studies", 600_000, 2019, 2022),
                     L("overige_kosten", 3_000_000, 2023, 2024), L("infrastructuur", 40_000 * 65, 2023, 2025),
                     L("verkoop", 24_000 * 420, 2024, 2030)),
          prognose=(L("verwerving", 1_250_000, 2019, 2020), L("studies", 720_000, 2019, 2025),
                    L("verwerving", 1_850_000, 2026, 2027), L("overige_kosten", 3_700_000, 2027, 2029),
                    L("infrastructuur", 40_000 * 68, 2027, 2030), L("verkoop", 24_000 * 335, 2029, 2034)),
          risicodeling_gemeente_pct=60,
          toelichting="Ondergrondse parking en sociale last drukken de opbrengst; de resterende percelen zijn nog "
                      "niet gekocht.",
          risks=(("Meerkosten ondergrondse parking", "kosten_pct", 40, 5, 10, 20),
                 ("Verdere prijsdaling appartementen", "prijs_pct", 30, 3, 8, 15),
                 ("Onteigeningsvergoeding hoger", "eenmalig_eur", 30, 100_000, 250_000, 500_000))),
        P("BT-07", "Fictief bedrijventerrein Scheldebroek-West", "Bornem", "bedrijventerrein", "actief",
          90_000, "ja",
          begroting=(L("verwerving", 90_000 * 15, 2016, 2017), L("studies", 400_000, 2016, 2019),
                     L("infrastructuur", 90_000 * 65, 2020, 2022), L("subsidies", 1_500_000, 2021, 2023),
                     L("verkoop", 58_500 * 125, 2021, 2027)),
          prognose=(L("verwerving", 1_350_000, 2016, 2017), L("studies", 600_000, 2016, 2023),
                    L("infrastructuur", 90_000 * 80, 2026, 2029), L("subsidies", 1_500_000, 2027, 2030),
                    L("verkoop", 58_500 * 122, 2028, 2034)),
          marktwaarde_huidige_staat=2_600_000, risicodeling_gemeente_pct=50, risicodeling_plafond=1_000_000,
          toelichting="Signaalgebied: ophoging nodig. Een aanpalend bedrijf biedt 2,6 miljoen voor de grond zoals "
                      "ze is.",
          risks=(("Strengere overstromingsnormen", "kosten_pct", 35, 5, 10, 20),
                 ("Archeologische opgraving", "eenmalig_eur", 25, 80_000, 150_000, 300_000))),
        P("WO-07", "Fictieve woonwijk Bosveld-Oost", "Bonheiden", "wonen", "actief", 30_000, "ja",
          begroting=(L("verwerving", 30_000 * 48, 2020, 2021), L("studies", 280_000, 2020, 2023),
                     L("infrastructuur", 30_000 * 100, 2024, 2025), L("verkoop", 18_000 * 330, 2025, 2029)),
          prognose=(L("verwerving", 1_440_000, 2020, 2021), L("studies", 320_000, 2020, 2025),
                    L("infrastructuur", 30_000 * 110, 2027, 2028), L("verkoop", 18_000 * 330, 2028, 2032)),
          marktwaarde_huidige_staat=3_600_000, winstdeling_gemeente_pct=50, winstdeling_drempel=500_000,
          toelichting="Een private ontwikkelaar biedt 3,6 miljoen voor de vergunde, nog niet uitgeruste grond.",
          risks=(("Lagere prijzen", "prijs_pct", 20, 3, 5, 10),
                 ("Meerkosten infrastructuur", "kosten_pct", 20, 3, 6, 12))),
        P("RC-04", "Fictieve reconversie Oude Vlasweverij", "Mechelen", "reconversie", "actief", 16_000, "ja",
          begroting=(L("verwerving", 16_000 * 95, 2018, 2019), L("studies", 300_000, 2018, 2021),
                     L("overige_kosten", 16_000 * 50, 2021, 2023), L("infrastructuur", 16_000 * 90, 2023, 2025),
                     L("verkoop", 9_600 * 440, 2024, 2028)),
          prognose=(L("verwerving", 1_550_000, 2018, 2019), L("studies", 420_000, 2018, 2025),
                    L("overige_kosten", 16_000 * 140, 2026, 2028), L("infrastructuur", 16_000 * 100, 2027, 2029),
                    L("verkoop", 9_600 * 370, 2029, 2033)),
          marktwaarde_huidige_staat=750_000, risicodeling_gemeente_pct=50, risicodeling_plafond=1_500_000,
          toelichting="Sanering duurder dan begroot; een ontwikkelaar neemt de site over mét saneringsplicht.",
          risks=(("Bijkomende asbestverwijdering", "eenmalig_eur", 40, 300_000, 600_000, 1_500_000),
                 ("Lagere prijzen stadsappartementen", "prijs_pct", 20, 3, 6, 12))),
    ]


DEMO_NOTE = [
    "FICTIEVE DEMODATA - dit werkboek bevat geen echte projecten, namen of bedragen van IGEMO.",
    "Alle projectnamen, sites en straatnamen zijn verzonnen; de gemeenten zijn echte gemeenten van de regio "
    "Mechelen/Rivierenland.",
    "Grondprijzen, uitrustingskosten, verkoopprijzen en looptijden liggen in realistische Vlaamse vorken; "
    "de bronnen staan in data/README.md.",
    "Kaskrediet: rentevoet = max(0, 3-maands Euribor) + marge van 0,80 %; Euribor 2010-2025 is het "
    "jaargemiddelde (EMMI/ECB), vanaf 2026 een veronderstelling.",
    "Afgeronde projecten: de begroting is het plan bij de go-beslissing, de prognose is wat werkelijk gebeurde.",
    "Actieve projecten: de begroting is het plan bij de go-beslissing, de prognose is de laatste verwachting.",
    f"Waarderingsjaar {VALUATION_YEAR}. Opnieuw aanmaken: .venv/bin/python scripts/make_demo_data.py",
]


def _agreement_sheets() -> dict[str, pd.DataFrame]:
    """The demo's agreements (docs/overeenkomsten.md). They add no cash flow: the grants and their
    instalments are those the forecast already holds, so the cash valuation stays as it was."""
    def frame(columns: str, rows: list[tuple]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=columns.split())

    return {
        "grondfondsen": frame(
            "fonds naam gemeente projecten beginjaar eindjaar beginsaldo grondinbreng aandeel_resultaat_pct "
            "overschot_igemo_pct tekort_gemeente_pct tekort_plafond",
            [("GF-PUTTE", "Grondfonds Putte", "Putte", "WO-05; BT-04", 2014, 2034, 250_000, 400_000, 100, 50, 50,
              1_000_000),
             ("GF-LIER", "Grondfonds Lier", "Lier", "GM-01; WO-03", 2012, 2032, 0, 0, 50, 40, 60, 500_000)]),
        "grondfonds_bewegingen": frame(
            "fonds jaar soort bedrag toelichting",
            [("GF-PUTTE", 2020, "storting", 100_000, "Bijdrage gemeente bij de start van WO-05"),
             ("GF-PUTTE", 2028, "opname", 150_000, "Voorschot aan de gemeente voor wegenis"),
             ("GF-LIER", 2015, "storting", 200_000, "Inbreng bij de herziening van de overeenkomst")]),
        "subsidies": frame(
            "besluit subsidiegever project_code toegekend subsidiabele_kosten beginjaar eindjaar",
            [("AIO-2021-017", "Agentschap Innoveren & Ondernemen", "BT-05", 2_600_000, 9_375_000, 2021, 2024),
             ("OVAM-2020-112", "OVAM", "RC-02", 900_000, 2_170_000, 2018, 2023),
             ("AIO-2026-004", "Agentschap Innoveren & Ondernemen", "BT-07", 1_500_000, 7_200_000, 2026, 2029)]),
        "subsidie_ontvangsten": frame(
            "besluit jaar bedrag",
            [("AIO-2021-017", y, 650_000) for y in range(2022, 2026)]
            + [("OVAM-2020-112", y, 180_000) for y in range(2020, 2025)]
            + [("AIO-2026-004", y, 375_000) for y in range(2027, 2031)]),
        "cofinanciering": frame(
            "besluit gemeente sleutel_pct gefactureerd",
            [("AIO-2021-017", "Mechelen", 20, 1_000_000),
             ("OVAM-2020-112", "Duffel", 50, 300_000),
             ("AIO-2026-004", "Bornem", 25, 0)]),
        "facturatie": frame(
            "project_code versie moment jaar pct betalingstermijn_dagen",
            [("BT-07", "afgesproken", "oplevering", None, 100, 60),
             ("BT-07", "voorstel", "ondertekening", 2026, 30, 60),
             ("BT-07", "voorstel", "oplevering", None, 70, 60),
             ("WO-05", "afgesproken", "ondertekening", 2027, 10, 30),
             ("WO-05", "afgesproken", "vergunning", 2028, 20, 30),
             ("WO-05", "afgesproken", "oplevering", None, 70, 30)]),
    }


def _operating_frame() -> pd.DataFrame:
    """IGEMO's result outside the projects (sheet exploitatie): overhead the projects do not carry."""
    return pd.DataFrame([
        (2026, -250_000, "Werkingskosten grondbeleid die niet aan projecten worden toegerekend (begroting)"),
        (2027, -200_000, "Idem, na de besparing op huisvesting"),
        (2028, -200_000, "Idem"),
        (2029, -150_000, "Idem, met inkomsten uit erfpacht"),
        (2030, -150_000, "Idem"),
    ], columns=["jaar", "resultaat_buiten_projecten", "toelichting"])


def demo_sheets() -> dict[str, pd.DataFrame]:
    """The demo portfolio workbook's sheets (name -> frame), in the order they are written."""
    return {**_sheets(_demo_projects(), equity=15_000_000, note=DEMO_NOTE,
                      title="Fictieve demoportefeuille regio Mechelen/Rivierenland"),
            "exploitatie": _operating_frame(), **_agreement_sheets(), **_review_sheets()}


# --------------------------------------------------------------------------- the yearly review (docs/werking.md)
# The running costs themselves are in the demo ledger (igemo_fin/inputs/example_running_costs.py).

#: A fictive index in the shape of the health index (2013 = 100).
DEMO_INDEX = {2018: 106.5, 2019: 108.0, 2020: 109.1, 2021: 111.8, 2022: 122.3, 2023: 127.9, 2024: 131.4,
              2025: 135.0, 2026: 137.7}

#: Fictive contributions per partner [EUR per year] and the year each was last indexed.
DEMO_CONTRIBUTIONS = (
    ("Mechelen", 240_000, 2019), ("Sint-Katelijne-Waver", 72_000, 2019), ("Duffel", 58_000, 2019),
    ("Lier", 120_000, 2023), ("Bonheiden", 54_000, 2019), ("Berlaar", 36_000, 2019),
    ("Putte", 64_000, 2019), ("Heist-op-den-Berg", 118_000, 2019), ("Willebroek", 85_000, 2019),
    ("Zemst", 76_000, 2019), ("Nijlen", 74_000, 2019), ("Bornem", 70_000, 2019),
    ("Puurs-Sint-Amands", 80_000, 2019),
)

#: Budget of the running per cost group [EUR] for 2024, 2025 and 2026.
DEMO_BUDGET = {
    "personeel": (1_250_000, 1_300_000, 1_380_000), "ict_software": (70_000, 75_000, 90_000),
    "huisvesting": (66_000, 68_000, 70_000), "voertuigen": (24_000, 25_000, 25_500),
    "erelonen": (10_000, 10_500, 12_000), "overige": (10_000, 10_500, 11_000),
}


def _review_sheets() -> dict[str, pd.DataFrame]:
    groups = pd.DataFrame([
        ("6120", "overige", "Bankkosten (in dit rekeningstelsel; standaard 612 = energie, huisvesting)"),
        ("6131", "erelonen", "Erelonen bedrijfsrevisor en advocaten"),
    ], columns=["rekening_prefix", "kostengroep", "toelichting"])
    budget = pd.DataFrame([(year, group, amounts[i]) for group, amounts in DEMO_BUDGET.items()
                           for i, year in enumerate((2024, 2025, 2026))], columns=["jaar", "kostengroep", "budget"])
    index = pd.DataFrame([(year, value, "Fictieve reeks in de vorm van de gezondheidsindex (2013 = 100)")
                          for year, value in DEMO_INDEX.items()], columns=["jaar", "waarde", "toelichting"])
    contributions = pd.DataFrame([(name, year, amount, indexed) for year in (2024, 2025, 2026)
                                  for name, amount, indexed in DEMO_CONTRIBUTIONS],
                                 columns=["gemeente", "jaar", "bijdrage", "laatst_geindexeerd"])
    return {"kostengroepen": groups, "budget_werking": budget, "index": index, "werkingsbijdrage": contributions}


# --------------------------------------------------------------------------- another portfolio

def _other_projects() -> list[Project]:
    """A second, smaller fictive portfolio in other municipalities (Kempen and Pajottenland, say)."""
    P = Project
    return [
        P("K-101", "Fictief bedrijventerrein Kanaaloever", "Herentals", "bedrijventerrein", "afgerond", 80_000, "ja",
          begroting=(L("verwerving", 80_000 * 13, 2011, 2012), L("studies", 200_000, 2011, 2013),
                     L("infrastructuur", 80_000 * 50, 2013, 2014), L("subsidies", 1_200_000, 2014, 2015),
                     L("verkoop", 52_000 * 100, 2014, 2018)),
          prognose=(L("verwerving", 1_100_000, 2011, 2012), L("studies", 260_000, 2011, 2014),
                    L("infrastructuur", 80_000 * 57, 2014, 2016), L("subsidies", 1_200_000, 2015, 2016),
                    L("verkoop", 52_000 * 108, 2015, 2020)),
          toelichting="Infrastructuur +14 %, verkoop 2 jaar later, prijzen +8 %."),
        P("K-102", "Fictieve woonwijk Lindeveld", "Geel", "wonen", "actief", 36_000, "ja",
          begroting=(L("verwerving", 36_000 * 35, 2019, 2020), L("studies", 250_000, 2019, 2021),
                     L("infrastructuur", 36_000 * 90, 2022, 2023), L("verkoop", 21_600 * 260, 2023, 2028)),
          prognose=(L("verwerving", 1_300_000, 2019, 2020), L("studies", 290_000, 2019, 2022),
                    L("infrastructuur", 36_000 * 98, 2023, 2025), L("verkoop", 21_600 * 285, 2024, 2029)),
          winstdeling_gemeente_pct=40, winstdeling_drempel=400_000,
          risks=(("Lagere prijzen", "prijs_pct", 20, 3, 5, 10),)),
        P("K-103", "Fictief woonuitbreidingsgebied Zandberg", "Kasterlee", "wonen", "actief", 48_000, "nee",
          begroting=(L("verwerving", 48_000 * 28, 2018, 2019), L("studies", 300_000, 2018, 2021),
                     L("infrastructuur", 48_000 * 85, 2022, 2023), L("verkoop", 27_800 * 250, 2023, 2028)),
          prognose=(L("verwerving", 1_380_000, 2018, 2019), L("studies", 480_000, 2018, 2027),
                    L("infrastructuur", 48_000 * 92, 2028, 2029), L("verkoop", 27_800 * 270, 2029, 2034)),
          toelichting="RUP nog niet goedgekeurd na 8 jaar.",
          risks=(("RUP opnieuw vertraagd", "vertraging_jaren", 50, 1, 2, 3),)),
        P("K-104", "Fictieve reconversie Oude Melkerij", "Dilbeek", "reconversie", "actief", 22_000, "ja",
          begroting=(L("verwerving", 22_000 * 80, 2020, 2021), L("studies", 300_000, 2020, 2022),
                     L("overige_kosten", 22_000 * 40, 2022, 2023), L("infrastructuur", 22_000 * 90, 2023, 2024),
                     L("verkoop", 13_200 * 400, 2024, 2028)),
          prognose=(L("verwerving", 1_800_000, 2020, 2021), L("studies", 420_000, 2020, 2025),
                    L("overige_kosten", 22_000 * 130, 2026, 2028), L("infrastructuur", 22_000 * 100, 2027, 2029),
                    L("verkoop", 13_200 * 360, 2029, 2032)),
          risicodeling_gemeente_pct=50, risicodeling_plafond=500_000,
          toelichting="Asbest en stookolie in de bodem: de sanering kost meer dan de site opbrengt.",
          risks=(("Bijkomende sanering", "eenmalig_eur", 40, 100_000, 300_000, 800_000),)),
        P("K-105", "Fictieve kmo-zone Molenakker", "Lennik", "bedrijventerrein", "actief", 40_000, "ja",
          begroting=(L("verwerving", 40_000 * 16, 2021), L("studies", 180_000, 2021, 2023),
                     L("infrastructuur", 40_000 * 70, 2024, 2025), L("subsidies", 600_000, 2025, 2026),
                     L("verkoop", 26_000 * 120, 2025, 2029)),
          prognose=(L("verwerving", 660_000, 2021), L("studies", 210_000, 2021, 2024),
                    L("infrastructuur", 40_000 * 82, 2027, 2028), L("subsidies", 600_000, 2027, 2028),
                    L("verkoop", 26_000 * 115, 2028, 2032)),
          marktwaarde_huidige_staat=1_500_000,
          toelichting="Een landbouwbedrijf en een aannemer bieden samen 1,5 miljoen voor de grond zoals ze is.",
          risks=(("Meerkosten infrastructuur", "kosten_pct", 30, 3, 8, 15),)),
        P("K-106", "Fictief gemengd project Dorpskern-Noord", "Mol", "gemengd", "stopgezet", 15_000, "ja",
          begroting=(L("verwerving", 15_000 * 60, 2015, 2016), L("studies", 150_000, 2015, 2017),
                     L("infrastructuur", 15_000 * 90, 2018, 2019), L("verkoop", 9_000 * 300, 2019, 2022)),
          prognose=(L("verwerving", 900_000, 2015, 2016), L("studies", 210_000, 2015, 2018),
                    L("verkoop", 820_000, 2019)),
          toelichting="Stopgezet na een negatieve verkeersstudie; grond doorverkocht aan een sociale "
                      "huisvestingsmaatschappij."),
    ]


OTHER_NOTE = [
    "FICTIEVE TESTDATA - een tweede, kleinere portefeuille voor de tests ('een ander werkboek').",
    "Gemeenten buiten de regio Mechelen; alle projecten, namen en bedragen zijn verzonnen.",
    "Opnieuw aanmaken: .venv/bin/python scripts/make_demo_data.py --other",
]


def other_sheets() -> dict[str, pd.DataFrame]:
    """A second, smaller fictive portfolio (6 projects, other municipalities, stricter IRR threshold)."""
    return _sheets(_other_projects(), equity=4_000_000, note=OTHER_NOTE,
                   title="Fictieve testportefeuille (ander werkboek)", thresholds={"min_irr_pct": 2.5})


# --------------------------------------------------------------------------- writing

def _pin_timestamps(data: bytes) -> bytes:
    """Rewrite the .xlsx with a fixed creation date in docProps/core.xml (byte-stable output)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>" + _FIXED_STAMP.encode() + rb"\g<3>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()


def write_sheets(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """Write ``sheets`` as an .xlsx at ``path`` (directories created), byte-stable."""
    buffer = io.BytesIO()
    write_workbook(sheets, buffer)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_pin_timestamps(buffer.getvalue()))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Schrijf de fictieve demo-portefeuille (en het tweede testwerkboek).")
    parser.add_argument("--out", type=Path, default=None, help="doelbestand (standaard data/demo_portefeuille.xlsx, "
                        "of tests/data/other_portfolio.xlsx met --other)")
    parser.add_argument("--other", action="store_true", help="schrijf het tweede, kleinere testwerkboek")
    parser.add_argument("--all", action="store_true", help="schrijf beide werkboeken op hun standaardplaats")
    args = parser.parse_args(argv)
    if args.all:
        targets = [(demo_sheets, DEMO_PATH), (other_sheets, OTHER_PATH)]
    elif args.other:
        targets = [(other_sheets, args.out or OTHER_PATH)]
    else:
        targets = [(demo_sheets, args.out or DEMO_PATH)]
    for build, path in targets:
        written = write_sheets(build(), path)
        print(f"geschreven: {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
