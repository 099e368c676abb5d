"""Nacalculatie: budget against actual for every finished project, and the lessons for the active ones."""

import pandas as pd
import streamlit as st

from igemo_fin.fmt import eur, pct, years
from igemo_fin.postcalc.calculation import MIN_CLASS_SIZE
from ui import risk_charts
from ui.plain import as_text
from ui.postcalc_tables import category_style, fallback_notes, postcalc_category_table, postcalc_summary_table, reference_table
from ui.risk_state import postcalc_view, risk_inputs
from ui.styled_table import show_styled, show_table
from ui.style import TYPE_WORDS
from ui.shared import show_chart

inputs = risk_inputs()
pc = postcalc_view(inputs)
projects = pc.projects

st.title("Nacalculatie: wat leerden de afgeronde projecten?")
st.write("Voor elk afgerond project: de begroting die bij de start werd goedgekeurd, tegenover wat er echt "
         "gebeurde. De afwijkingen per projecttype worden de lessen (referentieklasse) waarmee de actieve projecten "
         "en nieuwe voorstellen worden doorgerekend.")
st.caption(inputs.basis.describe())
for warning in pc.warnings:
    st.warning(warning, icon=":material/warning:")

if projects.empty:
    st.info("Er zijn nog geen afgeronde projecten (status 'afgerond' in het werkboek): er is nog niets na te "
            "calculeren.", icon=":material/info:")
    st.stop()

# --------------------------------------------------------------------------- all finished projects
st.header("Alle afgeronde projecten")
summary = postcalc_summary_table(pc)
show_table(summary, money=["Begroot", "Werkelijk", "Verschil"], years=["Vertraging"],
           hide_index=True, width="stretch", key="nacalculatie_overzicht",
           column_config={"Project": st.column_config.TextColumn(width=290),
                          "Looptijd": st.column_config.TextColumn(help="In jaar: gepland → werkelijk"),
                          "IRR": st.column_config.TextColumn(help="Intern rendement: gepland → werkelijk")})
st.caption("Begroot, werkelijk en verschil: het resultaat over de hele looptijd, alle opbrengsten min alle kosten "
           "en de rente op het kaskrediet. Looptijd in jaar, gepland → werkelijk. Vertraging: hoeveel jaar later de "
           "opbrengsten gemiddeld binnenkwamen dan begroot. IRR: het intern rendement per jaar, gepland → werkelijk.")
with_budget = projects[projects["has_budget"]]
if not with_budget.empty:
    show_chart(risk_charts.postcalc_ratios(projects), width="stretch", key="nacalculatie_verhoudingen")
    st.caption("Boven 100 %: meer dan begroot. Meer kosten is slecht nieuws, meer opbrengsten goed nieuws.")

# --------------------------------------------------------------------------- one project
st.header("Per project")
codes = projects["project_code"].tolist()
names = projects.set_index("project_code")["naam"].to_dict()
if st.session_state.get("nacalculatie_project") not in codes:
    st.session_state["nacalculatie_project"] = codes[0]
code = st.selectbox("Afgerond project", codes, key="nacalculatie_project",
                    format_func=lambda c: f"{c} – {names[c]}")
row = projects.set_index("project_code").loc[code]
st.subheader(as_text(row["naam"]))
st.caption(f"{TYPE_WORDS.get(row['type'], row['type'])} in {as_text(row['gemeente'])}")

if not row["has_budget"]:
    st.info("Voor dit project staat geen begroting in het werkboek (versie 'begroting'): er is niets om mee te "
            "vergelijken. Het telt niet mee in de lessen.", icon=":material/info:")
else:
    k1, k2, k3, k4 = st.columns(4)
    k1.metric("Resultaat begroot", eur(row["result_budget"]),
              help="Opbrengsten min kosten min rente volgens de begroting; de rente berekend met de rentevoeten van "
                   "de begrote jaren.")
    worse = row["result_variance"] < 0
    k2.metric("Resultaat werkelijk", eur(row["result_actual"]), delta=f"{eur(row['result_variance'])} t.o.v. begroot",
              delta_color="orange" if worse else "blue", delta_arrow="down" if worse else "up",
              help="Opbrengsten min kosten min de werkelijk toegerekende rente. Eronder: het verschil met de "
                   "begroting.")
    planned = f"{int(row['planned_first_year'])}–{int(row['planned_last_year'])}"
    actual = f"{int(row['actual_first_year'])}–{int(row['actual_last_year'])}"
    k3.metric("Looptijd", years(row["actual_span_years"]), delta=f"gepland {years(row['planned_span_years'])}",
              delta_color="off", delta_arrow="off",
              help="Van het eerste tot het laatste jaar met een kasstroom, werkelijk; eronder volgens de begroting.")
    k3.caption(f"Gepland {planned}, werkelijk {actual}.")
    k4.metric("Vertraging van de opbrengsten", years(round(row["delay_years"], 1)),
              help="Het gemiddelde jaar waarin de opbrengsten binnenkwamen (gewogen naar het bedrag), werkelijk "
                   "min begroot. Negatief: sneller dan begroot.")
    irr_p = pct(100 * row["irr_planned"]) if pd.notna(row["irr_planned"]) else "geen"
    irr_a = pct(100 * row["irr_actual"]) if pd.notna(row["irr_actual"]) else "geen"
    st.write(f"Intern rendement over de hele looptijd: gepland **{irr_p}**, werkelijk **{irr_a}**.")

    table = postcalc_category_table(pc, code)
    show_styled(table, category_style, hide_index=True, width="stretch", key="nacalculatie_posten")
    st.caption("Kosten en opbrengsten als positieve bedragen; 'Verschil' is werkelijk min begroot. 'Effect op het "
               "resultaat' zegt wat dat verschil deed met de winst: meer kosten of rente verlaagt ze, meer "
               "opbrengsten verhogen ze.")

    show_chart(risk_charts.postcalc_waterfall(row), width="stretch", key="nacalculatie_waterval")
    parts = [row["variance_costs"], row["variance_revenues"], row["variance_interest"], row["variance_timing"]]
    st.caption(f"{eur(row['result_budget'], 2)} begroot, plus kosten {eur(parts[0], 2)}, opbrengsten "
               f"{eur(parts[1], 2)}, rente {eur(parts[2], 2)} en timing {eur(parts[3], 2)}, geeft precies "
               f"{eur(row['result_actual'], 2)} werkelijk. Timing is de rente die alleen door het verschuiven in de "
               "tijd meer of minder werd; rente is wat de andere bedragen en de werkelijk betaalde rentevoet "
               "daaraan veranderden.")

# --------------------------------------------------------------------------- lessons
st.header("Lessen voor de actieve projecten en nieuwe voorstellen")
st.write("Per projecttype: hoe de werkelijke kosten en opbrengsten zich verhielden tot de begroting, en hoeveel "
         "later de opbrengsten kwamen. **P50**: de helft van de projecten deed het beter, de helft slechter. "
         "**P80**: 8 op de 10 projecten bleven binnen deze waarde (voor de opbrengsten: 8 op de 10 haalden minstens "
         "dit). De pagina's Risico en Nieuw project toetsen gebruiken deze lessen.")
notes = fallback_notes(pc)
if notes:
    st.info("\n".join(f"- {note}" for note in notes), icon=":material/info:")
ref = reference_table(pc)
show_table(ref, percent=["Kosten P50", "Kosten P80", "Opbrengsten P50", "Opbrengsten P80"],
           years=["Vertraging P50", "Vertraging P80"], hide_index=True, width="stretch", key="nacalculatie_lessen")
st.caption("Kosten en opbrengsten: werkelijk in % van de begroting (110 % kosten = 10 % meer uitgegeven dan begroot). "
           "Vertraging: hoeveel jaar later de opbrengsten gemiddeld binnenkwamen. 'Lessen uit': met minder dan "
           f"{MIN_CLASS_SIZE} afgeronde projecten van een type zijn de cijfers te wankel; dan gelden alle afgeronde "
           "projecten samen. Tussen haakjes: hoeveel afgeronde projecten achter de cijfers staan.")
