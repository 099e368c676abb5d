"""Risico: the Monte Carlo over the risk register, per project and for the portfolio."""

import streamlit as st

from igemo_fin.fmt import eur, number, pct
from igemo_fin.risk.capacity import capacity_moment
from ui import risk_charts
from igemo_fin.valuation.basis import SimulationSettings
from ui.plain import as_text
from ui.risk_state import (ITERATION_CHOICES, chance_in_words, grade_style, grade_table,
                           ratio_text, register_table, risk_inputs, risk_view, scenario_changes, scenario_result,
                           scenario_table,
                           tornado_for, verdict_style, verdict_table)
from ui.state import show_basis
from ui.style import VERDICT_MEANING, verdict_label
from ui.styled_table import show_styled, show_table
from ui.shared import show_chart

inputs = risk_inputs()
V = inputs.year
official = inputs.basis.simulation
choices = sorted(set(ITERATION_CHOICES) | ({official.iterations} if official.enabled else set()))

st.title("Risico: wat kan er nog misgaan?")
st.write("Elk risico uit het risicoregister kan zich voordoen of niet, met zijn eigen kans en een onzekere impact. "
         "De computer speelt duizenden mogelijke toekomsten na (een Monte-Carlosimulatie) en telt hoe vaak een "
         "project geld kost en hoeveel IGEMO dan zelf moet dragen.")

c1, c2, c3 = st.columns([1, 1.3, 1.3])
iterations = c1.selectbox(
    "Aantal gesimuleerde toekomsten", choices,
    index=choices.index(official.iterations) if official.enabled else choices.index(10_000),
    key="risico_simulaties", format_func=number,
    help="Meer simulaties geven stabielere kansen, maar rekenen langer. Met dezelfde gegevens geven ze altijd "
         "dezelfde uitkomst (vaste startwaarde van het toeval).")
reference = c2.checkbox(
    "Lessen uit de nacalculatie meenemen", key="risico_referentieklasse", value=official.reference_class,
    help="Voegt per actief project de afwijkingen toe die afgeronde projecten van hetzelfde type hadden tegenover "
         "hun begroting (meerkosten, andere opbrengsten, vertraging). Zie de pagina Nacalculatie.")
spread = c3.slider(
    "Onzekerheid op de rente (basispunten)", min_value=0, max_value=200, step=25, value=int(official.rate_spread_bp),
    key="risico_rentespreiding",
    help="Elke simulatie verschuift alle toekomstige rentevoeten samen, willekeurig met deze spreiding "
         "(standaardafwijking). 100 basispunten = 1 procentpunt. 0 = de rente zoals in het werkboek.")

settings = SimulationSettings(int(iterations), official.seed, bool(reference), float(spread))
view = risk_view(inputs, settings)
sim = view.simulation
summary = sim.portfolio
show_basis(view.evaluation)
if view.evaluation.basis.simulation != official:
    st.info("Deze instellingen van de simulatie wijken af van de officiële (" + official.describe() + "): de "
            "oordelen hieronder zijn een wat-als. Het Overzicht en het bestuurspakket gebruiken de officiële.",
            icon=":material/science:")
for warning in sim.warnings:
    st.warning(warning, icon=":material/warning:")

# --------------------------------------------------------------------------- portfolio
st.header("De portefeuille: kan IGEMO de verliezen dragen?")
ratio = summary["risk_capacity_ratio"]
grade, label = summary["risk_capacity_grade"], summary["risk_capacity_label"]
m1, m2, m3 = st.columns(3)
m1.metric("Verlies voor IGEMO in een slecht geval (P90)", eur(summary["loss_p90"]),
          help="In 9 van de 10 gesimuleerde toekomsten is het verlies van IGEMO (na het deel dat de gemeenten "
               "dragen volgens de risicodeling) kleiner dan dit bedrag. Het telt alle projecten die nog open "
               "zijn, ook de verliezen die de prognose nu al verwacht.")
m1.caption(f"Gemiddeld verlies: {eur(summary['loss_mean'])}; het deel van de gemeenten in dat slechte geval: "
           f"{eur(summary['loss_municipality_p90'])}.")
equity = summary["eigen_vermogen"]
m2.metric(f"Eigen vermogen {capacity_moment(V)}", eur(equity) if equity is not None else "niet opgegeven",
          help="Wat IGEMO heeft om verliezen op te vangen (werkboek, blad instellingen: eigen_vermogen).")
m2.caption("Het geld waarmee IGEMO een verlies kan opvangen.")
m3.metric(f"Weerstandsvermogen {capacity_moment(V)}", ratio_text(ratio),
          delta=f"klasse {grade}: {label}" if grade else None, delta_color="off", delta_arrow="off",
          help="Eigen vermogen op 1 januari gedeeld door het verlies voor IGEMO in een slecht geval (P90) van "
               "alle open projecten. Boven 1 kan het eigen vermogen dat verlies dragen; de schaal eronder is die "
               "van de Vlaamse en Nederlandse gemeenten. Het Meerjarenperspectief toont hetzelfde cijfer, en "
               "daarnaast het weerstandsvermogen op het einde van elk jaar.")
m3.caption("Eigen vermogen ÷ verlies in een slecht geval.")

left, right = st.columns([1.9, 1.1])
with left:
    show_chart(risk_charts.loss_histogram(sim.loss_igemo, summary["loss_p90"], equity), width="stretch",
               key="risico_verliesverdeling")
    st.caption("Elke staaf telt de simulaties met een verlies in die schijf. Rechts van de stippellijn liggen de "
               "10 % slechtste toekomsten. Ligt de blauwe lijn (eigen vermogen) links van de stippellijn, dan "
               "kan het eigen vermogen een slecht geval niet dragen.")
with right:
    st.markdown("**Hoe lees je het weerstandsvermogen?**")
    table = grade_table(grade)
    show_styled(table, grade_style, hide_index=True, width="stretch", key="risico_schaal",
                column_config={"Klasse": st.column_config.TextColumn(width=60),
                               "Verhouding": st.column_config.TextColumn(
                                   width=110, help="Eigen vermogen gedeeld door het verlies in een slecht geval (P90)")})
    if grade:
        st.write(f"{capacity_moment(V).capitalize()}: **{ratio_text(ratio)}**, klasse **{grade}** ({label}).")

# --------------------------------------------------------------------------- verdicts with the chance of loss
st.header("Oordelen met de kans op verlies")
st.write("Twee regels van het beslissingskader kijken naar de simulatie: is de kans dat wat nog komt geld kost "
         f"groter dan {pct(view.evaluation.thresholds.max_kans_verlies_pct, 0)}, dan bijsturen; is de kans dat het "
         "meer verliest dan de stopdrempel toelaat groter dan "
         f"{pct(view.evaluation.thresholds.stop_kans_verlies_pct, 0)}, dan stopzetten. Het Overzicht, de "
         "projectpagina's en het bestuurspakket passen dezelfde regels toe met de officiële instellingen.")
verdicts = verdict_table(view)
changed = verdicts[verdicts["Op het Overzicht"] != "zelfde"]
if changed.empty:
    st.success("Elk oordeel hier is hetzelfde als op het Overzicht.", icon=":material/check:")
else:
    st.warning(f"Met deze instellingen van de simulatie verschillen {len(changed)} oordeel/oordelen van het Overzicht: "
               + "; ".join(f"{p}: {a.removeprefix('was ')} → {b}" for p, a, b in
                           zip(changed["Project"], changed["Op het Overzicht"], changed["Oordeel"])) + ".",
               icon=":material/warning:")
show_styled(verdicts, verdict_style, hide_index=True, width="stretch", key="risico_oordelen",
            height=38 + 35 * len(verdicts),
            column_config={"Project": st.column_config.TextColumn(width=290),
                           "Op het Overzicht": st.column_config.TextColumn(
                               help="Het oordeel op het Overzicht (officiële instellingen): 'zelfde' of wat het daar "
                                    "is")})
st.caption("Kans op verlies: het deel van de simulaties waarin wat nog komt geld kost. Kans voorbij stopdrempel: het "
           "deel waarin het meer verliest dan de stopdrempel van de contante waarde. Daarnaast de contante waarde "
           "van wat nog komt in een slecht (P10), middelmatig (P50) en goed geval (P90). 'Op het Overzicht': het "
           "oordeel met de officiële instellingen van de simulatie, als dat anders is.")

# --------------------------------------------------------------------------- per project
st.header("Per project")
figures = view.evaluation.figures.set_index("project_code")
active = [c for c in figures.index if figures.at[c, "status"] == "actief"]
if not active:
    st.info("Er zijn geen actieve projecten: er valt niets te simuleren.")
    st.stop()
if st.session_state.get("risico_project") not in active:
    st.session_state["risico_project"] = active[0]
code = st.selectbox("Project", active, key="risico_project",
                    format_func=lambda c: f"{c} – {figures.at[c, 'naam']} ({figures.at[c, 'gemeente']})")
row = sim.projects.set_index("project_code").loc[code]
i = sim.codes.index(code)
name = figures.at[code, "naam"]
verdict = figures.at[code, "verdict"]

st.markdown(f"**{chance_in_words(row['prob_loss'], sim.iterations)}** Oordeel met de kans op verlies: "
            f"**{verdict_label(verdict)}** ({VERDICT_MEANING[verdict]}).")
k1, k2, k3, k4 = st.columns(4)
k1.metric("Kans op verlies", pct(100 * row["prob_loss"], 1),
          help="Het deel van de gesimuleerde toekomsten waarin de contante waarde van wat nog komt onder nul ligt.")
k2.metric("Slecht geval (P10)", eur(row["npv_p10"]),
          help="In 1 van de 10 simulaties is de contante waarde van wat nog komt lager dan dit bedrag.")
k3.metric("Middelste uitkomst (P50)", eur(row["npv_p50"]),
          help="De helft van de simulaties ligt lager, de helft hoger.")
k4.metric("Goed geval (P90)", eur(row["npv_p90"]),
          help="In 1 van de 10 simulaties is de contante waarde van wat nog komt hoger dan dit bedrag.")
st.caption(f"Zonder risico's (de prognose): {eur(row['npv_forward_base'])}. Gemiddeld over de simulaties: "
           f"{eur(row['npv_mean'])}. Gemiddelde over de 10 % slechtste toekomsten: {eur(row['expected_shortfall'])}.")

samples = sim.npv_forward[:, i]
risks = inputs.portfolio.risks[inputs.portfolio.risks["project_code"] == code]
if samples.min() == samples.max():
    st.info(f"Elke simulatie geeft voor dit project dezelfde contante waarde, {eur(samples[0])}: "
            + ("het heeft geen risico's in het risicoregister." if risks.empty else
               "geen enkel risico uit het register verandert wat nog komt.")
            + " Er is dus geen spreiding om te tonen.", icon=":material/info:")
else:
    show_chart(risk_charts.npv_histogram(samples, row["npv_p10"], row["npv_p50"], row["npv_p90"],
                                      f"{name}: contante waarde van wat nog komt, over "
                                      f"{number(sim.iterations)} simulaties"),
               width="stretch", key="risico_histogram")
    st.caption("Elke staaf telt de simulaties met een contante waarde in die schijf. Een hoge staaf bij de prognose "
               "betekent dat in veel toekomsten geen enkel risico zich voordoet."
               + (" Gearceerde staven links van € 0: toekomsten waarin wat nog komt geld kost."
                  if row["prob_loss"] > 0 else ""))

st.subheader("Wat beweegt de waarde het meest?")
drivers = tornado_for(inputs, code)
moving = drivers[drivers["swing"].abs() > 0.5]
show_chart(risk_charts.tornado_chart(moving, name), width="stretch", key="risico_tornado")
still = drivers.loc[drivers["swing"].abs() <= 0.5, "label"].tolist()
st.caption("Elke balk toont de contante waarde als één factor verandert en de rest zoals in de prognose blijft: "
           "kosten en verkoopprijzen ±10 %, opbrengsten 1 of 2 jaar later, rente ±1 procentpunt, en elk risico "
           "uit het register: niet of wel met zijn grootste impact. Bovenaan de factor met de grootste invloed."
           + (f" Geen invloed op dit project (bv. omdat er geen toekomstige kosten meer zijn): {', '.join(still)}."
              if still else ""))

st.subheader("Risico's uit het register")
if risks.empty:
    st.info("Voor dit project staan geen risico's in het risicoregister (werkboek, blad risicos).")
else:
    show_table(register_table(risks), percent=["Kans"], hide_index=True, width="stretch",
               key="risico_register")
    st.caption("Kans: hoe waarschijnlijk het risico zich voordoet. Doet het zich voor, dan ligt de impact tussen "
               "het minimum en het maximum, meestal dicht bij de meest waarschijnlijke waarde.")

# --------------------------------------------------------------------------- scenarios
st.header("Stressscenario's")
st.write("Wat als de rente, de verkoopprijzen of de timing tegenvallen, voor alle projecten tegelijk? Elk "
         "scenario rekent de hele portefeuille opnieuw door, met de risicosimulatie, en vergelijkt met de basis.")
scen_summary, scen_projects = scenario_result(inputs, settings)
show_table(scenario_table(scen_summary),
           money=["Waarde van wat nog komt", "Verschil met basis", "Rente nog te betalen"],
           hide_index=True, width="stretch", key="risico_scenarios")
changes = scenario_changes(scen_summary, scen_projects, {c: as_text(n) for c, n in figures["naam"].items()})
if changes:
    st.markdown("**Oordelen die veranderen:**\n"
                + "\n".join(f"- **{label}**: {text}" for label, text in changes.items()))
else:
    st.write("In geen enkel scenario verandert een oordeel.")
st.caption("Waarde van wat nog komt: de som van de contante waarde van de actieve projecten. Rente +200 bp: alle "
           "toekomstige rentevoeten 2 procentpunt hoger. Verkoopprijzen -15 %: elke toekomstige verkoop 15 % lager. "
           f"Twee jaar vertraging: elke toekomstige opbrengst twee jaar later. De scenario's gebruiken het "
           f"risicoregister met {number(sim.iterations)} simulaties, zonder de lessen uit de nacalculatie en zonder "
           "renteonzekerheid.")
