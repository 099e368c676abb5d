"""Project: one project's verdict with every rule in words, its cash flows, book value and interest."""

import pandas as pd
import streamlit as st

from igemo_fin.fmt import eur, pct
from igemo_fin.exports.project_export import project_workbook
from igemo_fin.postcalc.variance import budget_against_forecast
from ui import charts
from ui.plain import as_text
from ui.state import evaluation, require_portfolio, show_basis
from ui.style import RULE_ICONS, STATUS_WORDS, TYPE_WORDS, VERDICT_COLOURS, VERDICT_MEANING, rule_icon, verdict_label
from ui.shared import show_chart

require_portfolio()  # stops the page with a clear message when there is no workbook
ev = evaluation()
V = ev.valuation_year
figures = ev.figures.set_index("project_code")

codes = figures.index.tolist()
# Active projects first: those are the ones the board decides on.
codes = sorted(codes, key=lambda c: figures.at[c, "status"] != "actief")
if st.session_state.get("project_code") not in codes:
    st.session_state["project_code"] = codes[0]
code = st.selectbox("Project", codes, key="project_code",
                    format_func=lambda c: f"{c} – {figures.at[c, 'naam']} ({figures.at[c, 'gemeente']})")
f = figures.loc[code]

st.title(as_text(f["naam"]))
st.caption(f"{TYPE_WORDS[f['type']]} in {as_text(f['gemeente'])} · {STATUS_WORDS[f['status']]} · start {f['startjaar']}, "
           f"einde {f['eindjaar']}")
show_basis(ev)

verdict = f["verdict"]
if verdict is None:
    st.info(f"Dit project is {STATUS_WORDS[f['status']].lower()}: het krijgt geen oordeel. "
            "Afgeronde projecten komen in de nacalculatie.")
else:
    st.markdown(f"<div style='background:{VERDICT_COLOURS[verdict]};color:white;padding:0.6rem 1rem;"
                f"border-radius:0.4rem;font-size:1.4rem;font-weight:700'>Oordeel: {verdict_label(verdict)}</div>",
                unsafe_allow_html=True)  # fixed text and colours only, no data from the workbook
    st.write(f"Dat betekent: {VERDICT_MEANING[verdict]}.")
    rules = ev.rules[ev.rules["project_code"] == code]
    st.subheader("Waarom: elke regel van het beslissingskader")
    for rule in rules.itertuples():
        st.markdown(f"{rule_icon(rule)} {rule.sentence}")
    st.caption(f"{RULE_ICONS['ok']} binnen de drempel · {RULE_ICONS['BIJSTUREN']} bijsturen · "
               f"{RULE_ICONS['STOPZETTEN']} stopzetten · {RULE_ICONS['AFSTOTEN']} afstoten · "
               f"{RULE_ICONS['niet']} niet beoordeeld")

st.subheader("Kerncijfers")
k1, k2, k3 = st.columns(3)
k1.metric("Contante waarde van wat nog komt", eur(f["npv_forward"]),
          help="Alle kasstromen vanaf 1 januari, omgerekend naar vandaag. Wat al uitgegeven is, telt niet mee.")
k1.caption("Wat doorgaan vanaf vandaag nog oplevert, in euro van vandaag.")
k2.metric("Intern rendement (hele looptijd)", pct(100 * f["irr_full_life"]) if pd.notna(f["irr_full_life"])
          else "geen", help="Het jaarlijkse rendement over het hele project, van de eerste kost tot de laatste verkoop.")
k2.caption("Rendement per jaar over het hele project.")
k3.metric("Resultaat over de hele looptijd", eur(f["result_nominal"]),
          help="Alle opbrengsten min alle kosten en alle rente, niet verdisconteerd.")
k3.caption("Winst (of verlies) na rente, in gewone euro.")
k4, k5, k6 = st.columns(3)
k4.metric("Boekwaarde op 1 januari", eur(f["book_value"]))
k4.caption("Wat nu in het project vastzit (kosten en rente min verkopen).")
k5.metric("Hoogste boekwaarde", eur(f["peak_book_value"]))
k5.caption("Het meeste kapitaal dat het project ooit vastzet.")
k6.metric(f"Rente vanaf {V}", eur(f["interest_future"]), help=f"Rente totaal: {eur(f['interest_total'])}")
k6.caption(f"Rente op het kaskrediet die nog volgt (totaal over de looptijd {eur(f['interest_total'])}).")

project_flows = ev.flows[ev.flows["project_code"] == code]
show_chart(charts.flows_by_category(project_flows, V, "Kasstromen per jaar en soort (gearceerd = verleden)"),
           width="stretch", key="project_kasstromen")
project_years = ev.yearly[ev.yearly["project_code"] == code]
show_chart(charts.book_value_and_interest(project_years, V), width="stretch", key="project_boekwaarde")

against = budget_against_forecast(ev, code)
if against.empty:
    st.info("Voor dit project is geen begroting opgenomen in het werkboek.")
else:
    show_chart(charts.budget_vs_forecast(against), width="stretch", key="project_begroting")
    st.caption(f"Begroting netto {eur(against['budget_cumulative'].iloc[-1])} tegenover prognose netto "
               f"{eur(against['forecast_cumulative'].iloc[-1])} (zonder rente).")

st.download_button("Berekening van dit project downloaden (Excel)", data=lambda: project_workbook(ev, code),
                   file_name=f"berekening_{code}_{V}.xlsx", key="project_download",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
