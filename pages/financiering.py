"""Financiering: the portfolio's funding need and four ways to carry it, side by side under three rate scenarios."""

import pandas as pd
import streamlit as st

from igemo_fin.financing.parameters import PARAMETER_INFO, FinancingParams
from igemo_fin.errors import WorkbookError
from igemo_fin.fmt import eur, number, pct, years
from ui import obligations_charts as charts
from ui import obligations_state as obligations
from ui.auth import require_role
from ui.state import evaluation, require_portfolio
from ui.tables import show_refusal_table
from ui.styled_table import show_table
from ui.shared import show_chart

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHORT_LABELS = charts.ALTERNATIVE_SHORT
REPAYMENT_WORDS = {"lineair": "Lineair: elk jaar een gelijk deel", "bullet": "Alles op de eindvervaldag (bullet)"}
#: name -> (unit shown in the label, step, format); amounts may stay empty (the documented default).
INPUTS = {
    "kaskrediet_reservatiecommissie_pct": ("%", 0.05, "%.2f"),
    "depositorente_pct": ("%", 0.25, "%.2f"),
    "horizon_jaren": ("jaar", 1, "%d"),
    "scenario_schok_bp": ("basispunten", 25.0, "%.0f"),
    "lening_bedrag": ("€", 100_000.0, "%.0f"),
    "lening_rente_pct": ("%", 0.1, "%.2f"),
    "lening_looptijd_jaren": ("jaar", 1, "%d"),
    "gemeente_prefinanciering_pct": ("%", 5.0, "%.1f"),
    "gemeente_rente_pct": ("%", 0.1, "%.2f"),
    "mix_lening_bedrag": ("€", 100_000.0, "%.0f"),
    "mix_gemeente_prefinanciering_pct": ("%", 5.0, "%.1f"),
}
OPTIONAL = {"lening_bedrag", "mix_lening_bedrag", "mix_gemeente_prefinanciering_pct"}
LIMITS = {"%": (-5.0, 100.0), "€": (0.0, None), "jaar": (1, 50), "basispunten": (-2000.0, 2000.0)}
SHARES = {"kaskrediet_reservatiecommissie_pct", "gemeente_prefinanciering_pct", "mix_gemeente_prefinanciering_pct"}


def widget_value(params: FinancingParams, name: str):
    """The value a parameter's widget shows (the bp path as text, '0;150;300;350')."""
    value = getattr(params, name)
    if name == "scenario_pad_bp":
        return ";".join(f"{v:g}".replace(".", ",") for v in value)
    if value is None or name in ("lening_aflossing",):
        return value
    return int(value) if INPUTS[name][0] == "jaar" else float(value)


def set_widgets(params: FinancingParams) -> None:
    for name in FinancingParams.names():
        st.session_state[f"fin_{name}"] = widget_value(params, name)


def parameter_input(column, name: str, placeholders: dict[str, str]) -> None:
    label, unit, meaning = PARAMETER_INFO[name]
    key = f"fin_{name}"
    if name == "lening_aflossing":
        column.selectbox(label, list(REPAYMENT_WORDS), key=key, format_func=REPAYMENT_WORDS.get, help=meaning)
    elif name == "scenario_pad_bp":
        column.text_input(f"{label} (basispunten per jaar)", key=key, help=meaning)
    else:
        shown_unit, step, fmt = INPUTS[name]
        low, high = (0.0, 100.0) if name in SHARES else LIMITS[shown_unit]
        column.number_input(f"{label} ({shown_unit})", key=key, step=step, format=fmt, min_value=low, max_value=high,
                            placeholder=placeholders.get(name),
                            help=meaning + (" Maak het vak leeg voor de standaardwaarde." if name in OPTIONAL else ""))


def scenario_label(scenario, *, short: bool = False) -> str:
    """``'Renteschok: +200 basispunten vanaf 2026'``; short: ``'Renteschok +200 basispunten'``."""
    shifts = " / ".join(f"{'+' if v >= 0 else ''}{number(v)}" for v in scenario.shifts_bp)
    if scenario.name == "vlak":
        return "Vlakke rente" if short else "Vlakke rente (zoals in het blad kaskrediet)"
    if scenario.name == "schok":
        return f"Renteschok {shifts} basispunten" if short else f"Renteschok: {shifts} basispunten vanaf {V}"
    return "Rentepad zoals 2022-2024" if short else f"Rentepad zoals 2022-2024: {shifts} basispunten"


def composition(alt, params: FinancingParams) -> str:
    """What an alternative is made of, in words (for the tile's help text)."""
    parts = []
    if alt.loan_amount:
        parts.append(f"lening {eur(alt.loan_amount)} aan {pct(params.lening_rente_pct)} over "
                     f"{years(params.lening_looptijd_jaren)}, {REPAYMENT_WORDS[params.lening_aflossing].lower()}")
    if alt.prefinancing_pct:
        parts.append(f"{pct(alt.prefinancing_pct, 1)} van de behoefte voorgeschoten door de gemeenten aan "
                     f"{pct(params.gemeente_rente_pct)}")
    parts.append("de rest op het kaskrediet" if parts else "de hele behoefte op het kaskrediet")
    return "; ".join(parts)


# Reading page for bestuur and financien. The navigation hides it from other roles; checked here too, so it
# never shows data outside the navigation (Streamlit's pages-folder fallback can run a file of pages/ directly).
require_role("bestuur", "financien")
source, portfolio = require_portfolio()
ev = evaluation()
V = ev.valuation_year

st.title("Financiering: alternatieven voor het kaskrediet")
st.write("Alle projecten worden vandaag gefinancierd met één kaskrediet met variabele rente. Deze pagina vergelijkt "
         "wat dezelfde financieringsbehoefte kost met vier alternatieven: het kaskrediet zoals het is, een lening met "
         "vaste rente, prefinanciering door de gemeenten en een mix, telkens bij vlakke en bij stijgende rente.")

try:
    official = obligations.workbook_params()
    sheet_ok = True
except WorkbookError as error:
    official, sheet_ok = FinancingParams(), False
    st.error(f"Het blad 'financiering' in het werkboek '{error.file or source.name}' heeft {len(error.problems)} "
             "probleem/problemen. Deze pagina rekent voorlopig met de standaardwaarden; verbeter het blad en laad "
             "het werkboek opnieuw op.")
    show_refusal_table(error.problems)

# Start from the workbook's parameters, and again whenever another workbook is shown. Streamlit forgets
# a widget's value when its page is left, so a missing one starts again from the workbook.
if st.session_state.get("fin_bron") != source.sha256:
    set_widgets(official)
    st.session_state["fin_bron"] = source.sha256
for name in FinancingParams.names():
    st.session_state.setdefault(f"fin_{name}", widget_value(official, name))

# The parameters: the widgets' values (kept in the session), checked like the sheet.
values = {name: st.session_state[f"fin_{name}"] for name in FinancingParams.names()}
edited = any(value != widget_value(official, name) for name, value in values.items())
path_problem = None
try:
    params = official.with_values(**values)
except WorkbookError as error:
    # Only the free-text rate path can be invalid (the number inputs are bounded): keep the other edits.
    path_problem = "; ".join(p.reason for p in error.problems)
    try:
        params = official.with_values(**(values | {"scenario_pad_bp": official.scenario_pad_bp}))
    except WorkbookError:
        params = official
simulated = params != official
comparison = obligations.comparison(params)
alternatives = {a.name: a for a in comparison.alternatives}

# --------------------------------------------------------------------------- behoefte
st.header("Financieringsbehoefte")
need = comparison.need
peak = comparison.peak_need()
n1, n2, n3 = st.columns(3)
n1.metric(f"Behoefte {V}", eur(need["need_average"].iloc[0]) if len(need) else "–",
          help="Gemiddeld over het jaar: de som van de positieve boekwaarden van de projecten, waarop het kaskrediet "
               "rente aanrekent.")
n2.metric("Hoogste behoefte", eur(peak["need_average"]) if peak is not None else "–",
          delta=f"in {int(peak['jaar'])}" if peak is not None else None, delta_color="off", delta_arrow="off",
          help="Het jaar binnen de horizon waarin de projecten het meeste geld vastzetten.")
n3.metric(f"Rentevoet kaskrediet {V}", pct(need["rentevoet_pct"].iloc[0]) if len(need) else "–",
          help="De rentevoet uit het blad kaskrediet (alles inbegrepen). Na de laatste rij van dat blad blijft de "
               "laatste rentevoet gelden.")
show_chart(charts.funding_need(need), width="stretch", key="fin_grafiek_behoefte")
st.caption("Per jaar het bedrag dat gefinancierd moet worden: de boekwaarde van de projecten die meer uitgaven dan "
           "ontvingen, gemiddeld over het jaar, volgens de huidige prognose. Wat een goedkoper alternatief aan rente "
           "bespaart, verkleint de behoefte nog een beetje; dat effect is niet meegerekend.")

# --------------------------------------------------------------------------- parameters
placeholders = {  # what an empty field means now (the help text gives the rule)
    "lening_bedrag": f"leeg = {eur(alternatives['vaste_lening'].loan_amount)}",
    "mix_lening_bedrag": f"leeg = {eur(alternatives['mix'].loan_amount)}",
    "mix_gemeente_prefinanciering_pct": f"leeg = {pct(alternatives['mix'].prefinancing_pct, 1)}",
}
with st.expander("Parameters van de alternatieven bekijken of aanpassen", icon=":material/tune:"):
    c1, c2, c3 = st.columns(3)
    c1.markdown("**Kaskrediet en rentescenario's**")
    for name in ("kaskrediet_reservatiecommissie_pct", "depositorente_pct", "horizon_jaren", "scenario_schok_bp",
                 "scenario_pad_bp"):
        parameter_input(c1, name, placeholders)
    c2.markdown("**Lening met vaste rente**")
    for name in ("lening_bedrag", "lening_rente_pct", "lening_looptijd_jaren", "lening_aflossing"):
        parameter_input(c2, name, placeholders)
    c3.markdown("**Prefinanciering door de gemeenten en mix**")
    for name in ("gemeente_prefinanciering_pct", "gemeente_rente_pct", "mix_lening_bedrag",
                 "mix_gemeente_prefinanciering_pct"):
        parameter_input(c3, name, placeholders)

if path_problem:
    st.warning(f"Het rentepad is ongeldig ({path_problem}). De vergelijking gebruikt daarom het rentepad van het "
               "werkboek.", icon=":material/warning:")
if simulated:
    st.warning("**Simulatie.** De vergelijking hieronder gebruikt parameters die u op deze pagina aanpaste. Het "
               "werkboek verandert daardoor niet: download het blad 'financiering' hieronder en neem het op in het "
               "werkboek om ze te bewaren.", icon=":material/science:")
elif sheet_ok and obligations.has_financing_sheet(portfolio):
    st.info("De vergelijking gebruikt de parameters uit het blad 'financiering' van het werkboek.",
            icon=":material/info:")
else:
    st.info("Het werkboek heeft geen (geldig) blad 'financiering': de vergelijking gebruikt de standaardwaarden, "
            "voorbeeldwaarden voor een eerste vergelijking. Pas ze hierboven aan naar de voorwaarden die banken en "
            "gemeenten werkelijk aanbieden.", icon=":material/info:")
b1, b2 = st.columns(2)
b1.button("Terug naar het werkboek", key="fin_reset", icon=":material/undo:", disabled=not edited,
          on_click=set_widgets, args=(official,),
          help="Zet alle parameters terug op de waarden uit het werkboek (of de standaardwaarden).")
b2.download_button("Blad 'financiering' downloaden (Excel)", obligations.params_xlsx(params),
                   file_name="financiering.xlsx", mime=XLSX, icon=":material/download:", key="fin_download",
                   help="Een Excel-bestand met één blad 'financiering' met deze parameters. Kopieer het blad in het "
                        "portefeuillewerkboek (vervang een bestaand blad 'financiering') om ze te bewaren; de "
                        "gebruikershandleiding (docs/financiering.md) beschrijft het blad.")

# --------------------------------------------------------------------------- vergelijking
ranges = comparison.range
horizon = years(len(comparison.need))
first, last = int(comparison.need["jaar"].iloc[0]), int(comparison.need["jaar"].iloc[-1])
st.header(f"Vergelijking over {horizon} ({first}-{last})")
cols = st.columns(len(ranges))
for col, row in zip(cols, ranges.itertuples(index=False)):
    col.metric(SHORT_LABELS.get(row.alternative, row.label), eur(row.cost_flat),
               delta=f"tot {eur(row.cost_max)} bij stijgende rente", delta_color="off", delta_arrow="off",
               help=f"{row.label}: {composition(alternatives[row.alternative], params)}. Totale kost over {horizon} "
                    "bij vlakke rente; eronder de hoogste kost over de rentescenario's.")
cheapest_flat = comparison.cheapest()
cheapest_worst = comparison.cheapest(worst_case=True)
st.caption(f"Kost = rente kaskrediet + reservatiecommissie + rente lening + rente prefinanciering − depositorente, "
           f"opgeteld over {horizon}. Goedkoopst bij vlakke rente: **{cheapest_flat['label']}**; goedkoopst als de "
           f"rente het sterkst stijgt: **{cheapest_worst['label']}**.")

scenarios = {s.name: s for s in comparison.scenarios}
scenario = st.radio("Rentescenario voor de kost per jaar", list(scenarios), horizontal=True, key="fin_scenario",
                    format_func=lambda s: scenario_label(scenarios[s]))
costs = comparison.costs[comparison.costs["scenario"] == scenario]
show_chart(charts.cost_per_year(costs, scenario_label(scenarios[scenario], short=True).lower()), width="stretch",
           key="fin_grafiek_per_jaar")
st.caption("Wat elk alternatief per jaar kost. Een lening met vaste rente kost in het begin meer als er overtollige "
           "kas is (die brengt enkel depositorente op), maar beschermt tegen een stijgende rente. Enkel de variabele "
           "rente (kaskrediet en deposito) beweegt met het scenario.")

show_chart(charts.total_and_range(ranges, horizon), width="stretch", key="fin_grafiek_totaal")
st.caption("Staaf: de totale kost bij vlakke rente. Zwarte streep: de vork van de laagste tot de hoogste totale kost "
           "over de drie rentescenario's. Hoe korter de streep, hoe minder het alternatief van de rente afhangt.")

totals = comparison.totals.pivot(index="alternative", columns="scenario", values="cost_total")
table = pd.DataFrame({"Alternatief": ranges["alternative"].map(SHORT_LABELS)})
for name, s in scenarios.items():
    table[scenario_label(s, short=True)] = totals.loc[ranges["alternative"], name].to_numpy()
table["Laagste"] = ranges["cost_min"].to_numpy()
table["Hoogste"] = ranges["cost_max"].to_numpy()
table["Lening"] = [alternatives[a].loan_amount for a in ranges["alternative"]]
table["Prefinanciering"] = [alternatives[a].prefinancing_pct for a in ranges["alternative"]]
money = [c for c in table.columns if c not in ("Alternatief", "Prefinanciering")]
show_table(table, money=money, percent=["Prefinanciering"], decimals=2, hide_index=True, width="stretch",
           key="fin_tabel_totaal", column_config={"Alternatief": st.column_config.TextColumn(pinned=True)})
st.caption(f"Totale kost over {horizon} per alternatief en rentescenario, tot op de cent; Laagste en Hoogste: de vork "
           f"over de drie scenario's. Lening = bedrag van de "
           f"lening met vaste rente, opgenomen op 01/01/{V}; Prefinanciering = deel van de behoefte dat de gemeenten "
           "voorschieten.")

with st.expander(f"Kost per jaar en per onderdeel ({scenario_label(scenarios[scenario], short=True).lower()})"):
    show_table(pd.DataFrame({
        "Alternatief": costs["alternative"].map(SHORT_LABELS),
        "Jaar": costs["jaar"].astype(str),
        "Behoefte": costs["need_average"],
        "Lening uitstaand 1/1": costs["loan_outstanding"],
        "Voorgeschoten door gemeenten": costs["prefinanced"],
        "Op het kaskrediet": costs["cash_credit_drawn"],
        "Overtollige kas": costs["surplus"],
        "Rentevoet kaskrediet": costs["rate_cash_credit_pct"],
        "Rente kaskrediet": costs["interest_cash_credit"],
        "Reservatiecommissie": costs["commitment_fee"],
        "Rente lening": costs["interest_loan"],
        "Rente prefinanciering": costs["interest_prefinancing"],
        "Depositorente (opbrengst)": costs["deposit_income"],
        "Kost": costs["cost_total"],
    }), money=["Behoefte", "Lening uitstaand 1/1", "Voorgeschoten door gemeenten", "Op het kaskrediet",
               "Overtollige kas", "Rente kaskrediet", "Reservatiecommissie", "Rente lening", "Rente prefinanciering",
               "Depositorente (opbrengst)", "Kost"], percent=["Rentevoet kaskrediet"], decimals=2,
        hide_index=True, width="stretch", key="fin_tabel_per_jaar")
    st.caption("Behoefte, voorschot, kaskrediet en overtollige kas zijn gemiddelden over het jaar. Kaskrediet, "
               "reservatiecommissie, deposito en prefinanciering: rentevoet × dagen van het jaar / 360. Lening: "
               "rentevoet × uitstaand saldo op 1 januari, aflossing op 31 december. Kost = rente + commissie − "
               "depositorente.")
