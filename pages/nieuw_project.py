"""Nieuw project toetsen: a proposed project run through the framework as if it were in the portfolio."""

import pandas as pd
import streamlit as st

from igemo_fin.columns import CATEGORIES, PROJECT_TYPES
from igemo_fin.errors import InputError
from igemo_fin.fmt import eur, number, pct
from igemo_fin.risk.capacity import capacity_moment
from igemo_fin.postcalc.proposal import ProposalError
from igemo_fin.postcalc.proposal_input import proposal_from_form, proposal_sheets
from igemo_fin.exports.workbook_writer import workbook_bytes
from ui import risk_charts
from ui.plain import as_text, chart_text
from ui.styled_table import show_table
from ui.risk_state import (DEFAULT_ITERATIONS, EXAMPLE_PROPOSAL, ITERATION_CHOICES, chance_in_words,
                           example_flows, proposal_assessment, ratio_text, read_proposal_workbook,
                           risk_inputs, uplift_table)
from ui.tables import show_refusal_table
from ui.style import CATEGORY_WORDS, RULE_ICONS, TYPE_WORDS, VERDICT_COLOURS, VERDICT_MEANING, rule_icon, verdict_label
from ui.shared import show_chart

inputs = risk_inputs()
V = inputs.year
LABEL_TO_CATEGORY = {CATEGORY_WORDS[c]: c for c in CATEGORIES}


def show_problems(error: InputError, what: str) -> None:
    st.error(f"{what} kan niet getoetst worden: {len(error.problems)} probleem/problemen. Verbeter ze en probeer "
             "opnieuw.", icon=":material/error:")
    show_refusal_table(error.problems, key="nieuw_problemen")


st.title("Nieuw project toetsen")
st.write("Test een voorgesteld project vóór de beslissing om te starten. Het wordt doorgerekend alsof het al in de "
         "portefeuille zit: met alle regels van het beslissingskader, met de lessen uit afgeronde projecten, en "
         "met wat het doet met het kaskrediet en het weerstandsvermogen van IGEMO. Niets wordt opgeslagen.")

c_mode, c_iter = st.columns([2, 1])
MODES = {"formulier": "Formulier invullen", "werkboek": "Werkboek met één project opladen"}
mode = c_mode.radio("Hoe voert u het voorstel in?", list(MODES), horizontal=True, key="nieuw_bron",
                    format_func=MODES.get)
iterations = c_iter.selectbox("Aantal gesimuleerde toekomsten", ITERATION_CHOICES,
                              index=ITERATION_CHOICES.index(DEFAULT_ITERATIONS), key="nieuw_simulaties",
                              format_func=number)

if mode == "formulier":
    example = example_flows(V)
    with st.form("nieuw_formulier", border=True):
        c1, c2, c3 = st.columns(3)
        naam = c1.text_input("Naam van het project", value=EXAMPLE_PROPOSAL["naam"], key="nieuw_naam")
        gemeente = c2.text_input("Gemeente (partner)", value=EXAMPLE_PROPOSAL["gemeente"], key="nieuw_gemeente")
        kind = c3.selectbox("Type", PROJECT_TYPES, index=PROJECT_TYPES.index(EXAMPLE_PROPOSAL["type"]),
                            format_func=TYPE_WORDS.get, key="nieuw_type")
        c4, c5, c6 = st.columns(3)
        start = c4.number_input("Startjaar (eerste kost)", min_value=V, max_value=V + 30, value=V, step=1,
                                key="nieuw_startjaar")
        area = c5.number_input("Oppervlakte (m²)", min_value=0.0, value=EXAMPLE_PROPOSAL["oppervlakte_m2"],
                               step=1_000.0, format="%.0f", key="nieuw_oppervlakte")
        zoning = c6.radio("Bestemming juridisch zeker?", ["ja", "nee"], horizontal=True, key="nieuw_bestemming")
        c7, c8, c9 = st.columns(3)
        market = c7.number_input("Marktwaarde in de huidige staat (€)", min_value=0.0, value=None, step=10_000.0,
                                 format="%.0f", key="nieuw_marktwaarde", placeholder="leeg: grond nog niet in bezit",
                                 help="Wat de grond zou opbrengen als IGEMO hem verkoopt zoals hij nu is. Laat leeg "
                                      "als IGEMO de grond nog niet bezit: dan wordt afstoten niet beoordeeld.")
        sharing = c8.number_input("Risicodeling: deel van een verlies voor de gemeente (%)", min_value=0.0,
                                  max_value=100.0, value=EXAMPLE_PROPOSAL["risicodeling_gemeente_pct"], step=5.0,
                                  format="%.0f", key="nieuw_risicodeling")
        profit = c9.number_input("Winstdeling: deel van de winst voor de gemeente (%)", min_value=0.0,
                                 max_value=100.0, value=EXAMPLE_PROPOSAL["winstdeling_gemeente_pct"], step=5.0,
                                 format="%.0f", key="nieuw_winstdeling")
        st.markdown("**Kasstromen per jaar.** Bedragen positief: de categorie zegt of het een kost (verwerving, "
                    "studies, infrastructuur, overige kosten) of een opbrengst (verkoop, subsidies, overige "
                    "opbrengsten) is. Voeg onderaan rijen toe of verwijder ze.")
        shown = pd.DataFrame({"Jaar": example["jaar"], "Categorie": example["categorie"].map(CATEGORY_WORDS),
                              "Bedrag (€)": example["bedrag"]})
        edited = st.data_editor(
            shown, num_rows="dynamic", hide_index=True, width="stretch", key="nieuw_kasstromen",
            column_config={
                "Jaar": st.column_config.NumberColumn("Jaar", min_value=1990, max_value=2100, step=1, format="%d",
                                                      required=True),
                "Categorie": st.column_config.SelectboxColumn("Categorie", options=list(LABEL_TO_CATEGORY),
                                                              required=True),
                "Bedrag (€)": st.column_config.NumberColumn("Bedrag (€)", min_value=0, step=1_000,
                                                            format="localized", required=True),
            })
        st.form_submit_button("Voorstel toetsen", type="primary", icon=":material/play_arrow:")
    flows = pd.DataFrame({"jaar": edited["Jaar"], "categorie": edited["Categorie"].map(LABEL_TO_CATEGORY),
                          "bedrag": edited["Bedrag (€)"]})
    flows.loc[edited["Categorie"].notna() & flows["categorie"].isna(), "categorie"] = edited["Categorie"]
    try:
        proposal = proposal_from_form(naam=naam, gemeente=gemeente, type=kind, startjaar=int(start), flows=flows,
                                      oppervlakte_m2=area, bestemming_zeker=zoning == "ja",
                                      marktwaarde_huidige_staat=market, risicodeling_gemeente_pct=sharing,
                                      winstdeling_gemeente_pct=profit)
    except ProposalError as error:
        show_problems(error, "Het voorstel")
        st.stop()
else:
    st.write("Laad een werkboek op in het gewone formaat (bladen projecten, kasstromen, kaskrediet, drempels en "
             "eventueel risicos) met **één** project. Van dat werkboek tellen alleen het project, zijn prognose en "
             "zijn risico's; het kaskrediet en de drempels van de huidige portefeuille blijven gelden.")
    template = proposal_from_form(**{k: v for k, v in EXAMPLE_PROPOSAL.items()}, startjaar=V, flows=example_flows(V))
    st.download_button("Voorbeeldwerkboek downloaden (het voorbeeld van het formulier)",
                       data=lambda: workbook_bytes(proposal_sheets(template, inputs.portfolio)),
                       file_name="voorstel_voorbeeld.xlsx", key="nieuw_sjabloon", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    upload = st.file_uploader("Werkboek met één project (.xlsx)", type=["xlsx"], key="nieuw_werkboek")
    if upload is None:
        st.info("Nog geen werkboek opgeladen.", icon=":material/upload_file:")
        st.stop()
    try:
        proposal = read_proposal_workbook(upload.getvalue(), upload.name)
    except InputError as error:
        show_problems(error, f"Het werkboek '{upload.name}'")
        st.stop()

try:
    result = proposal_assessment(inputs, proposal, iterations=int(iterations))
except ProposalError as error:
    show_problems(error, "Het voorstel")
    st.stop()

f = result.figures
for note in result.notes:
    st.info(note, icon=":material/info:")
for warning in result.warnings:
    st.warning(warning, icon=":material/warning:")

# --------------------------------------------------------------------------- verdict
st.header(f"Oordeel over {as_text(f['naam'])}")
st.caption(f"{TYPE_WORDS[f['type']]} in {as_text(f['gemeente'])} · {f['first_year']}–{f['last_year']} · getoetst als "
           f"project {result.code} op 01/01/{V}, met de drempels van de portefeuille")
verdict = result.verdict
st.markdown(f"<div style='background:{VERDICT_COLOURS[verdict]};color:white;padding:0.6rem 1rem;"
            f"border-radius:0.4rem;font-size:1.4rem;font-weight:700'>Oordeel: {verdict_label(verdict)}</div>",
            unsafe_allow_html=True)  # fixed text and colours only, no data from the form
st.write(f"Dat betekent: {VERDICT_MEANING[verdict]}.")
for rule in result.rules.itertuples():
    st.markdown(f"{rule_icon(rule)} {rule.sentence}")
st.caption(f"{RULE_ICONS['ok']} binnen de drempel · {RULE_ICONS['BIJSTUREN']} bijsturen · "
           f"{RULE_ICONS['STOPZETTEN']} stopzetten · {RULE_ICONS['AFSTOTEN']} afstoten · "
           f"{RULE_ICONS['niet']} niet beoordeeld")

k1, k2, k3, k4 = st.columns(4)
k1.metric("Contante waarde", eur(f["npv_forward"]),
          help="Alle kasstromen van het voorstel, omgerekend naar 1 januari met de disconteringsvoet.")
k1.caption("Wat het project oplevert, in euro van vandaag.")
k2.metric("Intern rendement", pct(100 * f["irr_full_life"]) if pd.notna(f["irr_full_life"]) else "geen",
          help="Het rendement per jaar over het hele project.")
k2.caption("Rendement per jaar over de hele looptijd.")
k3.metric("Resultaat na rente", eur(f["result_nominal"]),
          help="Alle opbrengsten min alle kosten en de rente op het kaskrediet, niet verdisconteerd.")
k3.caption(f"Waarvan rente op het kaskrediet: {eur(f['interest_total'])}.")
k4.metric("Hoogste boekwaarde", eur(f["peak_book_value"]),
          help="Het meeste kapitaal dat het project ooit vastzet (kosten en rente min verkopen).")
k4.caption("Het meeste geld dat er tegelijk in vastzit.")

# --------------------------------------------------------------------------- lessons
st.header("Met de lessen uit afgeronde projecten")
ref = result.reference_type
if ref.get("class_size", 0) == 0:
    st.info("Er zijn nog geen afgeronde projecten met een begroting: er zijn geen lessen om toe te passen.",
            icon=":material/info:")
else:
    word = TYPE_WORDS[ref["type"]].lower()
    own = ref["finished_count"]
    if ref["basis"] == "type":
        basis = f"de {ref['class_size']} afgeronde projecten van het type {word}"
    else:
        pool = ("het enige afgeronde project" if ref["class_size"] == 1
                else f"alle {ref['class_size']} afgeronde projecten samen")
        mine = ("is er nog geen enkel" if own == 0 else "is er maar 1" if own == 1 else f"zijn er maar {own}")
        basis = f"{pool}, van alle types (van het type {word} {mine}, minder dan 3)"
    st.write(f"Afgeronde projecten weken af van hun begroting. Hier zijn die afwijkingen toegepast op het voorstel, "
             f"volgens {basis}. Kosten en opbrengsten in % van wat ingevuld is; vertraging: hoeveel jaar later de "
             "opbrengsten komen.")
    show_table(uplift_table(result), money=["Contante waarde", "Resultaat na rente"],
               percent=["Kosten", "Opbrengsten", "IRR"], years=["Vertraging (jaar)"], verdict_column="Oordeel",
               hide_index=True, width="stretch", key="nieuw_lessen")
    st.caption("P50: de helft van de afgeronde projecten deed het beter, de helft slechter. P80: 8 op de 10 deden het "
               "beter. Het oordeel houdt telkens ook rekening met de kans op verlies hieronder.")

# --------------------------------------------------------------------------- chance of loss
st.header("Kans op verlies")
st.markdown(f"**{chance_in_words(result.prob_loss, result.iterations)}**")
p = result.npv_percentiles
c1, c2, c3, c4 = st.columns(4)
c1.metric("Kans op verlies", pct(100 * result.prob_loss, 1),
          help="Het deel van de gesimuleerde toekomsten waarin de contante waarde van het voorstel onder nul ligt.")
c2.metric("Slecht geval (P10)", eur(p["npv_p10"]), help="In 1 van de 10 simulaties is de contante waarde lager.")
c3.metric("Middelste uitkomst (P50)", eur(p["npv_p50"]), help="De helft van de simulaties ligt lager.")
c4.metric("Goed geval (P90)", eur(p["npv_p90"]), help="In 1 van de 10 simulaties is de contante waarde hoger.")
samples = result.npv_samples
own_risks = len(proposal.risks)
if samples.min() == samples.max():
    st.info(f"Elke simulatie geeft dezelfde contante waarde, {eur(samples[0])}: "
            + ("er is maar één afgerond project om uit te leren" if ref.get("class_size", 0) == 1 else
               "er zijn geen lessen uit afgeronde projecten" if ref.get("class_size", 0) == 0 else
               "de afgeronde projecten wijken allemaal even veel af")
            + (" en het voorstel heeft geen eigen risico's." if not own_risks else "."), icon=":material/info:")
else:
    show_chart(risk_charts.npv_histogram(samples, p["npv_p10"], p["npv_p50"], p["npv_p90"],
                                      f"{chart_text(f['naam'])}: contante waarde over {number(result.iterations)} "
                                      "simulaties"), width="stretch", key="nieuw_histogram")
    st.caption("De simulatie trekt voor elke toekomst de afwijkingen van een afgerond project uit de lessen hierboven"
               + (f", en laat de {own_risks} risico's uit het opgeladen werkboek zich voordoen of niet" if own_risks
                  else "; het voorstel heeft zelf geen risicoregister")
               + f" ({number(result.iterations)} simulaties, startwaarde {result.seed}). Weinig afgeronde projecten geven "
                 "weinig verschillende uitkomsten: dan staan de staven ver uit elkaar.")

# --------------------------------------------------------------------------- cash credit
st.header("Wat doet het voorstel met het kaskrediet?")
b, a = result.credit_before, result.credit_after
d1, d2, d3 = st.columns(3)
d1.metric("Hoogste opname zonder voorstel", eur(b["drawn"]),
          delta=f"in {b['year']}, limiet {eur(b['limit'])}" if b["year"] else None, delta_color="off",
          delta_arrow="off", help="Het grootste bedrag dat op 31 december van een komend jaar opgenomen is.")
d2.metric("Hoogste opname met voorstel", eur(a["drawn"]),
          delta=f"in {a['year']}, limiet {eur(a['limit'])}" if a["year"] else None, delta_color="off",
          delta_arrow="off")
extra_peak = float(result.credit["extra"].max()) if not result.credit.empty else 0.0
d3.metric("Extra opname door het voorstel (hoogste)", eur(extra_peak),
          help="Het meeste dat het voorstel in één jaar extra van het kaskrediet vraagt: zijn boekwaarde op 31/12.")
if a["over_limit_years"]:
    st.error(f"Met het voorstel gaat het kaskrediet boven de limiet in {', '.join(map(str, a['over_limit_years']))}.",
             icon=":material/warning:")
elif a["headroom"] is not None:
    st.success(f"Het kaskrediet blijft binnen de limiet: in het drukste jaar ({a['year']}) blijft er "
               f"{eur(a['headroom'])} ruimte.", icon=":material/check:")
show_chart(risk_charts.credit_compare(result.credit[result.credit["jaar"] <= max(
    int(f["last_year"]) + 2, V + 5)]), width="stretch", key="nieuw_kaskrediet")

# --------------------------------------------------------------------------- risk capacity
st.header("Wat doet het voorstel met het weerstandsvermogen?")
cb, ca = result.capacity_before, result.capacity_after
w1, w2, w3 = st.columns(3)
w1.metric(f"Weerstandsvermogen {capacity_moment(V)} zonder voorstel", ratio_text(cb["risk_capacity_ratio"]),
          delta=f"klasse {cb['risk_capacity_grade']}: {cb['risk_capacity_label']}" if cb["risk_capacity_grade"]
          else None, delta_color="off", delta_arrow="off",
          help="Eigen vermogen gedeeld door het verlies voor IGEMO in een slecht geval (P90); zie de pagina Risico.")
w2.metric(f"Weerstandsvermogen {capacity_moment(V)} met voorstel", ratio_text(ca["risk_capacity_ratio"]),
          delta=f"klasse {ca['risk_capacity_grade']}: {ca['risk_capacity_label']}" if ca["risk_capacity_grade"]
          else None, delta_color="off", delta_arrow="off")
w3.metric("Verlies voor IGEMO in een slecht geval (P90)", eur(ca["loss_p90"]),
          delta=f"{eur(ca['loss_p90'] - cb['loss_p90'])} door het voorstel", delta_color="off", delta_arrow="off",
          help="Na het deel van de gemeenten volgens de risicodeling.")
st.caption("Beide met de lessen uit afgeronde projecten voor alle actieve projecten en dezelfde gesimuleerde "
           "toekomsten, zodat het verschil alleen van het voorstel komt. De pagina Risico toont het "
           "weerstandsvermogen standaard zonder die lessen; daarom kan het daar anders zijn.")
