"""Verplichtingen: who carries which loss, the profit share owed and its provision, the spread of the
return over the life, and the write-downs on the land stock."""

import pandas as pd
import streamlit as st

from igemo_fin.fmt import date_nl, eur
from igemo_fin.obligations.journal import JournalAccounts
from ui import obligations_charts as charts
from ui import obligations_state as obligations
from ui.auth import require_role
from ui.state import evaluation, require_portfolio, show_basis
from ui.style import STATUS_WORDS
from ui.styled_table import show_table
from ui.shared import show_chart

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The project's code and name stay in view while a wide table scrolls sideways.
PINNED = {"Code": st.column_config.TextColumn(pinned=True, width="small"),
          "Project": st.column_config.TextColumn(pinned=True, width=230),
          "Gemeente": st.column_config.TextColumn(pinned=True)}

# Reading page for bestuur and financien. The navigation hides it from other roles; checked here too, so it
# never shows data outside the navigation (Streamlit's pages-folder fallback can run a file of pages/ directly).
require_role("bestuur", "financien")
source, portfolio = require_portfolio()
ev = evaluation()
V = ev.valuation_year
ob = obligations.obligations()
totals = ob.totals
names = ev.figures.set_index("project_code")["naam"].to_dict()


def yes_no(flag: bool) -> str:
    return "ja" if flag else "nee"


def choose(key: str, options: list) -> list:
    """Keep a selection that no longer exists (another workbook or year) from breaking its selectbox."""
    if st.session_state.get(key) not in options and options:
        st.session_state[key] = options[0]
    return options


st.title("Verplichtingen tegenover de gemeenten")
st.write("Met elke gemeente is afgesproken wie een verlies draagt (risicodeling, tot een plafond) en welk deel van "
         "de winst naar de gemeente gaat (winstdeling). Deze pagina toont wat dat vandaag betekent: het verlies "
         "per partner, de voorziening voor de winstdeling, wanneer het resultaat in de boekhouding komt en de "
         "waardeverminderingen op de grondvoorraad.")
show_basis(ev)
st.caption("Verwachte waarden volgens de laatste prognose · tabellen tot op de cent, tegels afgerond op de euro.")

# --------------------------------------------------------------------------- risicodeling
st.header("Risicodeling: wie draagt welk verlies")
with_p90 = st.checkbox("met risicosimulatie (P90)", key="verpl_p90", disabled=ev.simulation is None,
                       help="Rekent per project ook het verlies in een pessimistisch geval: het verlies dat in 9 van "
                            "de 10 gesimuleerde toekomsten niet overschreden wordt. Dezelfde simulatie als het "
                            f"Overzicht en het bestuurspakket ({ev.basis.simulation.describe()})."
                            if ev.simulation is not None else "De risicosimulatie staat uit in de instellingen.")
loss_p90 = obligations.p90_losses() if with_p90 else None
shares, summary = obligations.sharing(loss_p90)

r1, r2, r3 = st.columns(3)
r1.metric("Verwacht verlies (alle projecten)", eur(totals["loss_total"]),
          help="Som van de verliezen van de projecten met een negatief resultaat over de hele looptijd "
               "(kosten, opbrengsten en rente).")
r2.metric("Gedragen door de gemeenten", eur(totals["loss_share_municipality_total"]),
          help="Per project: het afgesproken aandeel van de gemeente in het verlies, nooit meer dan het plafond.")
r3.metric("Gedragen door IGEMO", eur(totals["loss_share_igemo_total"]),
          help="De rest van het verlies. Dit deel vangt IGEMO op met zijn eigen vermogen.")
if with_p90:
    if portfolio.risks.empty:
        st.info("Het werkboek heeft geen risicoregister: het verlies P90 is gelijk aan het verwachte verlies.",
                icon=":material/info:")
    st.caption("Verlies P90: het verlies over de hele looptijd dat in 9 van de 10 gesimuleerde toekomsten niet "
               "overschreden wordt. Het wordt op dezelfde manier gedeeld als het verwachte verlies. Tel de "
               "P90-verliezen van de projecten niet op tot een verlies van de portefeuille: niet alle projecten "
               "vallen tegelijk tegen.")

with_loss = shares[(shares["loss"] > 0) | (shares["loss_p90"].fillna(0) > 0)]
if with_loss.empty:
    st.success("Geen enkel project verwacht een verlies: er is niets te delen.")
else:
    show_chart(charts.loss_by_municipality(summary, p90=False), width="stretch", key="verpl_grafiek_verlies")
    if with_p90:
        show_chart(charts.loss_by_municipality(summary, p90=True), width="stretch", key="verpl_grafiek_p90")
    st.subheader("Per project")
    table = pd.DataFrame({
        "Code": with_loss["project_code"],
        "Project": with_loss["naam"],
        "Verwacht verlies": with_loss["loss"],
        "Gemeente draagt": with_loss["loss_share_municipality"],
        "IGEMO draagt": with_loss["loss_share_igemo"],
        "Aandeel gemeente": with_loss["risicodeling_gemeente_pct"],
        "Plafond gemeente": with_loss["risicodeling_plafond"].map(
            lambda v: "geen plafond" if pd.isna(v) else eur(v, 2)),
        "Plafond bereikt": with_loss["cap_reached"].map(yes_no),
    })
    money = ["Verwacht verlies", "Gemeente draagt", "IGEMO draagt"]
    if with_p90:
        table["Verlies P90"] = with_loss["loss_p90"]
        table["Gemeente draagt (P90)"] = with_loss["loss_p90_municipality"]
        table["IGEMO draagt (P90)"] = with_loss["loss_p90_igemo"]
        money += ["Verlies P90", "Gemeente draagt (P90)", "IGEMO draagt (P90)"]
    table["Gemeente"] = with_loss["gemeente"]
    table["Status"] = with_loss["status"].map(STATUS_WORDS)
    show_table(table, money=money, percent=["Aandeel gemeente"], decimals=2, hide_index=True,
               width="stretch", key="verpl_tabel_risicodeling",
               column_config={k: v for k, v in PINNED.items() if k != "Gemeente"})
    st.caption(f"Enkel de {len(with_loss)} projecten met een verlies{' (verwacht of P90)' if with_p90 else ''} "
               "staan in de tabel. Verwacht verlies = het negatieve resultaat over de hele looptijd. De gemeente "
               "draagt haar aandeel (Aandeel gemeente × verlies), maar nooit meer dan het plafond uit de "
               "overeenkomst; IGEMO draagt de rest. Samen is dat precies het "
               "verlies, tot op de cent. 'Plafond bereikt' = ja: zonder plafond had de gemeente meer gedragen."
               + (" P90: hetzelfde voor het verlies in het pessimistische geval." if with_p90 else ""))

st.subheader("Per gemeente")
municipalities = pd.DataFrame({
    "Gemeente": summary["gemeente"],
    "Verwacht verlies": summary["loss"],
    "Gemeente draagt": summary["loss_share_municipality"],
    "IGEMO draagt": summary["loss_share_igemo"],
})
money = ["Verwacht verlies", "Gemeente draagt", "IGEMO draagt"]
if with_p90:
    municipalities["Verlies P90"] = summary["loss_p90"]
    municipalities["Gemeente draagt (P90)"] = summary["loss_p90_municipality"]
    money += ["Verlies P90", "Gemeente draagt (P90)"]
municipalities["Winstdeling verschuldigd"] = summary["profit_share_owed"]
municipalities["Voorziening winstdeling"] = summary["profit_share_provision"]
municipalities["Waardevermindering"] = summary["write_down"]
municipalities["Projecten"] = summary["project_count"]
municipalities["Met verlies"] = summary["loss_project_count"]
money += ["Winstdeling verschuldigd", "Voorziening winstdeling", "Waardevermindering"]
show_table(municipalities, money=money, decimals=2, hide_index=True, width="stretch",
           key="verpl_tabel_gemeenten", column_config={"Gemeente": PINNED["Gemeente"]})
st.caption("Per gemeente de som over haar projecten: het verwachte verlies en wie het draagt, de winstdeling die "
           "IGEMO haar over de hele looptijd verschuldigd is, de voorziening die daarvoor vandaag moet staan en de "
           "waardevermindering die IGEMO op haar projecten boekt (het deel van het verlies dat IGEMO draagt). "
           "Projecten: aantal projecten in de gemeente, waarvan 'Met verlies' een verlies verwachten."
           + (" Verlies P90 van een gemeente: de som van de P90-verliezen van haar projecten, een voorzichtige "
              "bovengrens (niet alle projecten vallen tegelijk tegen)." if with_p90 else ""))

if not summary.empty:
    gemeente = st.selectbox("Overzicht voor één gemeente", choose("verpl_gemeente", summary["gemeente"].tolist()),
                            key="verpl_gemeente",
                            help="Een Excel-bestand van één pagina om naar de gemeente te sturen: haar projecten, "
                                 "het verlies dat ze draagt en de winstdeling die haar toekomt, met toelichting.")
    st.download_button(f"Overzicht voor {gemeente} downloaden (Excel)",
                       obligations.municipality_statement(gemeente, loss_p90),
                       file_name=f"IGEMO_{gemeente.replace(' ', '_')}_{V}.xlsx", mime=XLSX,
                       icon=":material/download:", key="verpl_download_gemeente")
    if with_p90:
        st.caption("Het overzicht bevat ook het verlies P90 en het deel dat de gemeente daarvan draagt.")

# --------------------------------------------------------------------------- winstdeling
st.header("Winstdeling en de voorziening ervoor")
st.write("Maakt een project winst boven de afgesproken drempel, dan is IGEMO de gemeente een deel van die winst "
         "verschuldigd. IGEMO bouwt daarvoor een voorziening op naarmate het project vordert: verschuldigd bedrag "
         "× voltooiingsgraad.")
w1, w2 = st.columns(2)
w1.metric("Winstdeling verschuldigd (hele looptijd)", eur(totals["profit_share_owed_total"]),
          help="Som over de projecten van: aandeel gemeente × (verwacht resultaat − drempel), als dat positief is.")
w2.metric("Voorziening winstdeling", eur(totals["profit_share_provision_total"]),
          help=f"De voorziening die op 31/12/{V - 1} moet staan: per project het verschuldigde bedrag × de "
               "voltooiingsgraad. Ze is nooit groter dan wat verschuldigd is.")

profit = ob.profit_sharing
agreed = profit[(profit["winstdeling_gemeente_pct"] > 0) | (profit["profit_share_owed"] > 0)]
if agreed.empty:
    st.info("Geen enkel project heeft een winstdelingsafspraak met de gemeente: er is geen voorziening nodig.",
            icon=":material/info:")
else:
    show_table(pd.DataFrame({
        "Code": agreed["project_code"],
        "Project": agreed["naam"],
        "Verschuldigd aan de gemeente": agreed["profit_share_owed"],
        "Voltooiingsgraad": agreed["poc"],
        "Voorziening": agreed["profit_share_provision"],
        "Verwacht resultaat": agreed["result_nominal"],
        "Drempel": agreed["winstdeling_drempel"],
        "Winst boven de drempel": agreed["profit_above_threshold"],
        "Aandeel gemeente": agreed["winstdeling_gemeente_pct"],
        "Kosten gerealiseerd": agreed["poc_costs"],
        "Opbrengsten gerealiseerd": agreed["poc_revenues"],
        "Gemeente": agreed["gemeente"],
        "Status": agreed["status"].map(STATUS_WORDS),
    }), money=["Verwacht resultaat", "Drempel", "Winst boven de drempel", "Verschuldigd aan de gemeente",
               "Voorziening"],
        percent=["Aandeel gemeente"], fraction=["Kosten gerealiseerd", "Opbrengsten gerealiseerd", "Voltooiingsgraad"],
        decimals=2, hide_index=True, width="stretch", key="verpl_tabel_winstdeling",
        column_config={k: v for k, v in PINNED.items() if k != "Gemeente"})
    st.caption(f"Enkel projecten met een winstdelingsafspraak. Verschuldigd = Aandeel gemeente × Winst boven de "
               f"drempel. Kosten gerealiseerd = kosten vóór {V} / alle kosten; Opbrengsten gerealiseerd idem voor de "
               "opbrengsten (zonder rente). Voltooiingsgraad = het product van beide: zolang er niets verkocht is, "
               "is ze nul. Voorziening = Verschuldigd × Voltooiingsgraad.")

    # Active projects first: their provision still moves.
    owed = agreed[agreed["profit_share_owed"] > 0].sort_values("status", key=lambda s: s != "actief", kind="stable")
    if owed.empty:
        st.info("Geen enkel project met een afspraak haalt winst boven de drempel: er is niets verschuldigd.",
                icon=":material/info:")
    else:
        st.subheader("Hoe de voorziening per jaar opbouwt")
        code = st.selectbox("Project", choose("verpl_ws_project", owed["project_code"].tolist()),
                            key="verpl_ws_project",
                            format_func=lambda c: f"{c} – {names.get(c, c)}")
        moves = ob.movements[ob.movements["project_code"] == code]
        show_chart(charts.provision_movement(moves, V, f"Voorziening winstdeling van {names.get(code, code)} "
                                                         "per boekjaar"),
                   width="stretch", key="verpl_grafiek_voorziening")
        st.caption(f"De lijn is de voorziening op 31 december; de staven zijn wat er dat jaar bij komt (toevoeging) "
                   f"of af gaat (terugneming). Vóór {V} (lichter): wat in de boeken hoort te staan; vanaf {V}: hoe "
                   "ze verder opbouwt volgens de prognose. Elk jaar: verschuldigd bedrag van vandaag × de "
                   "voltooiingsgraad op het einde van dat jaar.")
        with st.expander("Cijfers per jaar"):
            show_table(pd.DataFrame({
                "Boekjaar": moves["jaar"].astype(str),
                "Periode": moves["is_past"].map({True: "verleden", False: "vooruitzicht"}),
                "Voltooiingsgraad eind jaar": moves["poc_cumulative"],
                "Begin (01/01)": moves["opening"],
                "Toevoeging": moves["addition"],
                "Terugneming": moves["release"],
                "Einde (31/12)": moves["closing"],
            }), money=["Begin (01/01)", "Toevoeging", "Terugneming", "Einde (31/12)"],
                fraction=["Voltooiingsgraad eind jaar"], decimals=2, hide_index=True, width="stretch",
                key="verpl_tabel_beweging")
            st.caption("Begin + Toevoeging − Terugneming = Einde; het einde van een jaar is het begin van het "
                       "volgende.")

# --------------------------------------------------------------------------- journaal
st.header("Voorgesteld journaal van de voorzieningen")
scope = st.radio("Welke boekjaren", ["afsluiting", "alles"], horizontal=True, key="verpl_journaal_jaren",
                 format_func=lambda s: f"Alleen boekjaar {V - 1} (de afsluiting die nu voorbereid wordt)"
                 if s == "afsluiting" else f"Alle boekjaren vóór {V} (de hele opbouw)")
entries, journal_xlsx = obligations.journal([V - 1] if scope == "afsluiting" else None)
accounts = JournalAccounts()
if entries.empty:
    st.info("Er is voor deze boekjaren niets te boeken: de voorzieningen en waardeverminderingen veranderen niet.",
            icon=":material/info:")
else:
    show_table(pd.DataFrame({
        "Boeking": entries["boeking"],
        "Datum": entries["datum"].map(date_nl),
        "Project": entries["project_code"],
        "Soort": entries["soort"].map({"winstdeling": "Winstdeling", "waardevermindering": "Waardevermindering"}),
        "Rekening": entries["rekening"],
        "Rekeningnaam": entries["rekening_naam"],
        "Debet": entries["debet"],
        "Credit": entries["credit"],
        "Omschrijving": entries["omschrijving"],
        "Opmerking": entries["opmerking"],
        "Gemeente": entries["gemeente"],
    }), money=["Debet", "Credit"], decimals=2, hide_index=True, width="stretch", key="verpl_tabel_journaal",
        column_config={"Omschrijving": st.column_config.TextColumn(width="large"),
                       "Rekeningnaam": st.column_config.TextColumn(width="medium")})
st.caption(f"Een voorstel voor de dienst financiën (minimumindeling van het rekeningenstelsel): toevoeging aan de "
           f"voorziening winstdeling {accounts.provision_addition[0]} aan {accounts.provision[0]}, terugneming "
           f"{accounts.provision[0]} aan {accounts.provision_release[0]}; waardevermindering op de grondvoorraad "
           f"{accounts.stock_write_down_addition[0]} aan {accounts.stock_write_down[0]}, terugneming "
           f"{accounts.stock_write_down[0]} aan {accounts.stock_write_down_release[0]}. Elke boeking is in "
           f"evenwicht (debet = credit). De waardeverminderingen worden geboekt in {V - 1}, als het verschil met de "
           "waardering van een jaar eerder.")
st.download_button("Journaal downloaden (Excel)", journal_xlsx, file_name=f"IGEMO_journaal_voorzieningen_{V}.xlsx",
                   mime=XLSX, icon=":material/download:", key="verpl_download_journaal")

# --------------------------------------------------------------------------- spreiding
st.header("Spreiding van het rendement over de looptijd")
st.write("Wanneer komt het resultaat van een project in de boekhouding, en wanneer komt het geld binnen? Een "
         "winstgevend project neemt zijn resultaat stap voor stap, naar de voltooiingsgraad. Een verlieslatend project "
         f"neemt zijn hele verlies meteen, in het jaar waarin het voorzien wordt ({V - 1}).")
PORTFOLIO = "__portefeuille__"
choice = st.selectbox("Project of hele portefeuille",
                      choose("verpl_spreiding", [PORTFOLIO] + ev.figures["project_code"].tolist()),
                      key="verpl_spreiding",
                      format_func=lambda c: "Hele portefeuille" if c == PORTFOLIO else f"{c} – {names.get(c, c)}")
if choice == PORTFOLIO:
    spread, title = ob.spread_portfolio, "Hele portefeuille: resultaat in de boekhouding tegenover de kas"
else:
    spread = ob.spread[ob.spread["project_code"] == choice]
    title = f"{names.get(choice, choice)}: resultaat in de boekhouding tegenover de kas"
if spread.empty:
    st.info("Voor deze keuze zijn er geen kasstromen.", icon=":material/info:")
else:
    show_chart(charts.return_spread(spread, V, title), width="stretch", key="verpl_grafiek_spreiding")
    last = spread.sort_values("jaar").iloc[-1]
    st.caption("Staven (linkeras): het resultaat dat elk jaar in de boekhouding komt (groen winst, oranje "
               "verlies; lichter = verleden). Blauwe lijn (rechteras): het kasresultaat opgeteld sinds de start "
               "(ontvangsten − uitgaven − rente); zwarte stippellijn: het erkende resultaat opgeteld. Op het einde "
               "komen beide op "
               f"{eur(last['recognised_cumulative'])} en {eur(last['cash_result_cumulative'])}: hetzelfde resultaat, "
               "enkel het moment verschilt.")
    with st.expander("Cijfers per jaar"):
        show_table(pd.DataFrame({
            "Jaar": spread["jaar"].astype(str),
            "Kosten": spread["costs"],
            "Opbrengsten": spread["revenues"],
            "Rente": spread["interest"],
            "Kasresultaat van het jaar": spread["cash_result"],
            "Kasresultaat opgeteld": spread["cash_result_cumulative"],
            "Erkend in het jaar": spread["recognised_in_year"],
            "Erkend opgeteld": spread["recognised_cumulative"],
            "Voorziening winstdeling 31/12": spread["profit_share_provision"],
            "Voor IGEMO erkend in het jaar": spread["recognised_igemo_in_year"],
        }), money=["Kosten", "Opbrengsten", "Rente", "Kasresultaat van het jaar", "Kasresultaat opgeteld",
                   "Erkend in het jaar", "Erkend opgeteld", "Voorziening winstdeling 31/12",
                   "Voor IGEMO erkend in het jaar"], decimals=2, hide_index=True, width="stretch",
            key="verpl_tabel_spreiding")
        st.caption("Kasresultaat van het jaar = opbrengsten − kosten − rente. 'Voor IGEMO erkend' = het erkende "
                   "resultaat na de winstdeling met de gemeente (winst) of na haar aandeel in het verlies (verlies).")

# --------------------------------------------------------------------------- waardeverminderingen
st.header("Waardeverminderingen op de grondvoorraad")
st.write("Verwacht een project over zijn hele looptijd verlies, dan boekt IGEMO zijn deel van dat verlies (na de "
         "risicodeling) meteen af op de waarde van de grond (voorraad tegen de laagste van kostprijs en "
         "opbrengstwaarde).")
downs = ob.write_downs
d1, d2 = st.columns(2)
d1.metric("Waardevermindering totaal", eur(totals["write_down_total"]),
          help="Som over de projecten met verlies van het deel dat IGEMO draagt.")
if ob.write_down_movement_total is None:
    d2.metric(f"Beweging tegenover {V - 1}", "onbekend",
              help="Er is geen vorige waardering om mee te vergelijken.")
else:
    d2.metric(f"Beweging tegenover {V - 1}", eur(ob.write_down_movement_total),
              delta=f"bij de waardering van 01/01/{V - 1}: {eur(ob.write_down_previous_total)}", delta_color="off",
              delta_arrow="off",
              help=f"Waardevermindering nu min die bij de waardering op 01/01/{V - 1} (hetzelfde werkboek, een jaar "
                   "eerder gewaardeerd). Positief: extra waardevermindering; negatief: terugneming.")
written = downs[(downs["write_down"] > 0) | (downs["write_down_previous"].fillna(0) > 0)]
if written.empty:
    st.success("Geen enkel project verwacht een verlies: er is geen waardevermindering nodig.")
else:
    table = pd.DataFrame({
        "Code": written["project_code"],
        "Project": written["naam"],
        "Waardevermindering": written["write_down"],
        f"Waardevermindering {V - 1}": written["write_down_previous"],
        "Beweging": written["movement"],
        "Verwacht verlies": written["loss"],
        "Gemeente draagt": written["loss_share_municipality"],
        f"Boekwaarde 01/01/{V}": written["book_value"],
        "Op de voorraad": written["write_down_on_stock"],
        "Als voorziening": written["write_down_as_provision"],
        "Status": written["status"].map(STATUS_WORDS),
    })
    show_table(table, money=[c for c in table.columns if c not in ("Code", "Project", "Status")],
               decimals=2, hide_index=True, width="stretch", key="verpl_tabel_waardevermindering",
               column_config={k: v for k, v in PINNED.items() if k != "Gemeente"})
    st.caption("Waardevermindering = Verwacht verlies − wat de gemeente draagt (risicodeling). Ze komt op de "
               "voorraad zolang de boekwaarde volstaat; wat erboven uitkomt, is een voorziening voor risico's en "
               f"kosten ('Als voorziening'). Waardevermindering {V - 1}: hetzelfde werkboek gewaardeerd op "
               f"01/01/{V - 1}. "
               "Beweging: positief = extra waardevermindering, negatief = terugneming; '–' = niet gekend.")
