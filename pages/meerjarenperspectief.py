"""Meerjarenperspectief: can IGEMO carry its portfolio year by year, and why the picture changed."""

import pandas as pd
import streamlit as st

from igemo_fin.fmt import eur, number, pct
from igemo_fin.outlook.report import outlook_alert
from igemo_fin.risk.capacity import capacity_moment, ratio_text
from ui import outlook_charts
from ui.outlook_state import comparison_choices, current_outlook, current_waterfall
from ui.state import current_basis, require_portfolio, show_basis
from ui.styled_table import show_table
from ui.shared import show_chart

require_portfolio()
o = current_outlook()
ev = o.evaluation
path, bands = o.path, o.bands
t = ev.thresholds

st.title("Meerjarenperspectief")
st.write("Kan IGEMO zijn portefeuille jaar na jaar dragen? Per jaar het opgenomen kaskrediet tegenover de limiet, "
         "het eigen vermogen en het weerstandsvermogen, met de onzekerheid uit de risicosimulatie.")
show_basis(ev)
alert = outlook_alert(o)
if alert:
    st.warning(alert, icon=":material/warning:")

last = path.iloc[-1]
c1, c2, c3, c4 = st.columns(4)
c1.metric(f"Hoogste krediet ({int(path.loc[path['credit_drawn'].idxmax(), 'jaar'])})", eur(path["credit_drawn"].max()),
          help="Het hoogste opgenomen bedrag op 31/12 in het basispad (de prognose zonder tegenvallers).")
c2.metric(f"Eigen vermogen eind {int(last['jaar'])}", eur(last["equity"]),
          delta=f"vandaag {eur(ev.basis.portfolio.settings.eigen_vermogen or 0)}", delta_color="off", delta_arrow="off")
c3.metric(f"Laagste eigen vermogen ({int(path.loc[path['equity'].idxmin(), 'jaar'])})", eur(path["equity"].min()),
          help=f"Tegenover de ondergrens van het bestuur: {eur(t.min_eigen_vermogen)}.")
opening = o.opening
c4.metric(f"Weerstandsvermogen {capacity_moment(ev.valuation_year)}", ratio_text(opening["risk_capacity_ratio"]),
          delta=f"klasse {opening['risk_capacity_grade']}: {opening['risk_capacity_label']}"
          if opening["risk_capacity_grade"] else None, delta_color="off", delta_arrow="off",
          help="Het eigen vermogen op 1 januari gedeeld door IGEMO's deel van het verlies dat in 1 op 10 "
               "toekomsten overschreden wordt (P90), voor alle open projecten: hetzelfde cijfer als op de pagina "
               "Risico. De tabel hieronder geeft het weerstandsvermogen op het einde van elk jaar: het eigen "
               "vermogen op 31/12 tegenover de projecten die dat jaar nog lopen.")

show_chart(outlook_charts.credit_path(path, bands, o.credit_ceiling), width="stretch", key="mpg_krediet")
show_chart(outlook_charts.equity_path(path, bands, float(t.min_eigen_vermogen)), width="stretch",
           key="mpg_vermogen")
if bands is None:
    st.info("De risicosimulatie staat uit: geen banden en geen kansen.")

table = pd.DataFrame({
    "Jaar": path["jaar"].astype(str),
    "Krediet 31/12": path["credit_drawn"], "Piek": path["credit_peak"], "Limiet": path["credit_limit"],
    "Gebruik": path["credit_use_pct"], "Rente": path["interest"],
    "Erkend resultaat": path["recognised_result"], "Waardeverminderingen": path["write_downs"],
    "Voorziening winstdeling": path["provision_movement"], "Buiten projecten": path["operating_result"],
    "Eigen vermogen": path["equity"],
    "EV / krediet": [number(x, 2) if pd.notna(x) else "–" for x in path["equity_to_credit"]],
    "Weerstandsvermogen eind jaar": [f"{g} ({number(r, 2)})" if g and pd.notna(r) and r != float("inf") else (g or "–")
                           for g, r in zip(path["risk_capacity_grade"], path["risk_capacity_ratio"])],
})
money = ["Krediet 31/12", "Piek", "Limiet", "Rente", "Erkend resultaat", "Waardeverminderingen",
         "Voorziening winstdeling", "Buiten projecten", "Eigen vermogen"]
st.subheader("Het pad per jaar")
show_table(table, money=money, percent=["Gebruik"], hide_index=True, width="stretch", key="mpg_pad")
st.caption("Eigen vermogen = het eigen vermogen van vandaag + het erkende resultaat (naar voortgang) − "
           "waardeverminderingen − de aangroei van de voorziening voor winstdeling + het resultaat buiten de "
           "projecten (blad exploitatie). Piek: als de kosten van het jaar vóór de opbrengsten vallen.")

if bands is not None:
    st.subheader("Onzekerheid per jaar (risicosimulatie)")
    chances = pd.DataFrame({
        "Jaar": bands["jaar"].astype(str),
        "Krediet P10": bands["credit_p10"], "Krediet P50": bands["credit_p50"], "Krediet P90": bands["credit_p90"],
        "Eigen vermogen P10": bands["equity_p10"], "Eigen vermogen P50": bands["equity_p50"],
        "Eigen vermogen P90": bands["equity_p90"],
        f"Kans boven {pct(t.max_kredietgebruik_pct, 0)} van de limiet": bands["prob_limit_exceeded"],
        f"Kans eigen vermogen onder {eur(t.min_eigen_vermogen)}": bands["prob_equity_below_floor"],
    })
    show_table(chances, money=[c for c in chances.columns if "P" in c and c != "Jaar"],
               fraction=list(chances.columns[-2:]), hide_index=True, width="stretch", key="mpg_banden")

st.subheader("Verschillenanalyse: waarom veranderde het beeld?")
choices = comparison_choices(current_basis())
label = st.selectbox("Vergelijk met", list(choices), key="mpg_vergelijk")
w = current_waterfall(choices[label])
steps = w.portfolio_steps()
start, end = w.totals(0), w.totals(len(steps))
st.caption(f"Van: {w.old.describe()}  \nNaar: {w.new.describe()}")
tab1, tab2 = st.tabs(["Waarde van wat nog komt", "Resultaat over de hele looptijd"])
for tab, measure, title in ((tab1, "npv_forward", "Contante waarde van wat nog komt"),
                            (tab2, "result_nominal", "Resultaat over de hele looptijd")):
    with tab:
        show_chart(outlook_charts.waterfall_chart(steps, measure, start[measure], end[measure], title),
                   width="stretch", key=f"mpg_waterval_{measure}")
step_table = steps.rename(columns={"label": "Stap", "npv_forward": "Contante waarde",
                                   "result_nominal": "Resultaat"}).drop(columns="step")
show_table(step_table, money=["Contante waarde", "Resultaat"], decimals=2, hide_index=True, width="stretch",
           key="mpg_stappen")
st.caption("Elke stap vervangt één groep gegevens van de vorige editie door de nieuwe en rekent opnieuw; de "
           "stappen tellen tot op de cent op tot het totale verschil. De volgorde en de betekenis van elke stap "
           "staan in docs/verschillenanalyse.md.")
