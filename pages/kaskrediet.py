"""Kaskrediet: drawn balance against the limit, the rate path, interest and its allocation; a rate stress."""

import streamlit as st

from igemo_fin.fmt import eur, pct
from igemo_fin.valuation.rate_stress import rate_stress
from ui import charts
from ui.state import evaluation, require_portfolio, show_basis
from ui.tables import verdict_changes
from ui.styled_table import show_table
from ui.shared import show_chart

source, portfolio = require_portfolio()
ev = evaluation()
V = ev.valuation_year
credit = ev.credit[ev.credit["drawn_end"].gt(0) | ev.credit["interest"].gt(0) | ev.credit["jaar"].between(V - 5, V + 10)]

st.title("Kaskrediet")
st.write("Alle projecten worden gefinancierd met één kaskrediet met variabele rente. Een project dat meer "
         "heeft uitgegeven dan ontvangen, gebruikt het krediet en betaalt er rente op; die rente komt bij "
         "de boekwaarde van het project.")
show_basis(ev)

totals = ev.portfolio_totals()
c1, c2, c3 = st.columns(3)
c1.metric(f"Opgenomen op 01/01/{V}", eur(totals["credit_drawn"]),
          help="Som van de positieve boekwaarden van de actieve projecten.")
c2.metric(f"Rentevoet {V}", pct(ev.credit.set_index("jaar")["rentevoet_pct"].get(V)))
c3.metric("Rente nog te betalen (alle projecten)", eur(totals["interest_future"]))

show_chart(charts.credit_usage(credit, V), width="stretch", key="kaskrediet_gebruik")
show_chart(charts.rate_path(credit, V), width="stretch", key="kaskrediet_rente")
names = ev.figures.set_index("project_code")["naam"].to_dict()
show_chart(charts.interest_by_project(ev.yearly[ev.yearly["interest"] != 0], names, V), width="stretch",
           key="kaskrediet_verdeling")
st.caption("Voor voorbije jaren met een gekende betaalde rente wordt dat bedrag tot op de cent verdeeld over de "
           "projecten, naar verhouding van hun gemiddeld opgenomen saldo. Voor de andere jaren berekent het "
           "model de rente (ACT/360).")

year_table = credit[["jaar", "rentevoet_pct", "kredietlimiet", "drawn_end", "interest", "interest_actual"]].rename(
    columns={"jaar": "Jaar", "rentevoet_pct": "Rentevoet", "kredietlimiet": "Limiet", "drawn_end": "Opgenomen 31/12",
             "interest": "Rente", "interest_actual": "Werkelijk betaald"})
year_table["Werkelijk betaald"] = year_table["Werkelijk betaald"].map({True: "ja", False: "nee (berekend)"})
year_table["Jaar"] = year_table["Jaar"].astype(str)
with st.expander("Cijfers per jaar"):
    show_table(year_table, money=["Limiet", "Opgenomen 31/12", "Rente"], percent=["Rentevoet"],
               hide_index=True, width="stretch")

st.subheader("Rentestress: wat als de rente stijgt?")
shift = st.radio("Stijging van de rente vanaf dit jaar", [100, 200, 300], horizontal=True, key="kaskrediet_stress",
                 format_func=lambda bp: f"+{bp} basispunten (+{bp / 100:.0f} procentpunt)".replace(".", ","))
stressed = evaluation(rate_shift_bp=shift)
stress = rate_stress(ev, stressed)
s1, s2 = st.columns(2)
s1.metric("Extra rente over de resterende looptijd", eur(stress.extra_interest))
s2.metric("Waarde van wat nog komt na stress", eur(stress.npv_forward_active),
          delta=eur(stress.npv_forward_change), delta_color="off",
          help="De disconteringsvoet volgt de rente van het kaskrediet, tenzij het bestuur er een vastlegde.")
by_project = stress.by_project[["naam", "extra_interest"]].rename(
    columns={"naam": "Project", "extra_interest": "Extra rente"})
changes = verdict_changes(ev, stressed)
if changes.empty:
    st.success(f"Bij +{shift} basispunten verandert geen enkel oordeel.")
else:
    st.write(f"**Bij +{shift} basispunten krijgen {len(changes)} project(en) een ander oordeel:**")
    show_table(changes, money=["Contante waarde voor", "Contante waarde na"], hide_index=True,
               width="stretch", key="kaskrediet_wijzigingen")
with st.expander("Extra rente per project"):
    show_table(by_project, money=["Extra rente"], hide_index=True, width="stretch")
