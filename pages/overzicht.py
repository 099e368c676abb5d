"""Overzicht: the portfolio at a glance, every verdict with its reasons."""

import streamlit as st

from igemo_fin.fmt import change, eur, pct
from ui import charts, review_state
from ui.board_pack import pack_pdf, pack_xlsx
from ui.plain import as_text
from ui.outlook_state import show_outlook_alert
from ui.state import evaluation, require_portfolio, show_basis
from ui.style import VERDICT_MEANING, VERDICT_WORDS, styled, verdict_label
from ui.tables import MONEY_COLUMNS, PERCENT_COLUMNS, verdict_changes, verdict_table
from ui.visibility import portfolio_for_user
from ui.styled_table import show_table
from ui.shared import show_chart

source, portfolio = require_portfolio()
ev = evaluation()
totals = ev.portfolio_totals()
V = ev.valuation_year

st.title("Projectportefeuille in één oogopslag")
show_basis(ev)
show_outlook_alert()
for warning in ev.warnings:
    st.warning(as_text(warning))

c1, c2, c3, c4 = st.columns(4)
c1.metric("Waarde van wat nog komt", eur(totals["npv_forward_active"]),
          help="Som van de contante waarde van alle toekomstige kasstromen van de actieve projecten, "
               "omgerekend naar 1 januari. Reeds gemaakte kosten tellen niet mee.")
c2.metric("Kapitaal vast in projecten", eur(totals["book_value_active"]),
          help="Boekwaarde van de actieve projecten: wat erin geïnvesteerd is (met rente), min wat al "
               "verkocht is. Projecten die al winst maakten, tellen negatief mee.")
limit = totals["credit_limit"]
c3.metric("Kaskrediet opgenomen", pct(100 * totals["credit_drawn"] / limit, 0) if limit else eur(totals["credit_drawn"]),
          delta=f"{eur(totals['credit_drawn'])} van {eur(limit)}" if limit else None, delta_color="off",
          delta_arrow="off",
          help="Het deel van de kredietlijn dat de projecten op 1 januari gebruiken: de som van de positieve "
               "boekwaarden, tegenover de kredietlimiet van dit jaar.")
c4.metric(f"Rente {V}", eur(totals["interest_this_year"]), delta=f"{V + 1}: {eur(totals['interest_next_year'])}",
          delta_color="off", delta_arrow="off",
          help="De rente op het kaskrediet die de projecten dit jaar veroorzaken; eronder die van volgend jaar.")

counts = totals["verdict_counts"]
cols = st.columns(4)
for col, verdict in zip(cols, VERDICT_WORDS):
    col.metric(verdict_label(verdict), f"{counts[verdict]} project{'en' if counts[verdict] != 1 else ''}",
               help=f"{VERDICT_WORDS[verdict]}: {VERDICT_MEANING[verdict]}.")

st.subheader("Oordeel per project")
st.caption("Klik op een rij om het project te openen. Klik op een kolomtitel om te sorteren; zoek met het "
           "vergrootglas boven de tabel of met het zoekveld.")
table = verdict_table(ev)
query = st.text_input("Zoeken op naam, code of gemeente", key="overzicht_zoek", placeholder="bv. Mechelen")
if query:
    mask = table[["Code", "Project", "Gemeente"]].apply(
        lambda col: col.str.contains(query, case=False, regex=False)).any(axis=1)
    table = table[mask].reset_index(drop=True)
event = st.dataframe(
    styled(table, money=MONEY_COLUMNS, percent=PERCENT_COLUMNS, verdict_column="Oordeel"),
    hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="overzicht_tabel",
    column_config={"Waarom": st.column_config.TextColumn(width="large")},
)
if event and event.selection.rows:
    st.session_state["project_code"] = table.loc[event.selection.rows[0], "Code"]
    st.switch_page("pages/project.py")

show_chart(charts.risk_return(ev.figures), width="stretch", key="overzicht_risico_rendement")
st.caption("Rechtsboven: projecten die veel opleveren met een goed rendement. Linksonder: projecten die "
           "geld kosten. Projecten zonder intern rendement staan helemaal links.")

st.subheader(f"Wat veranderde sinds de waardering van {V - 1}")
first_year = int(portfolio.cashflows["jaar"].min()) if not portfolio.cashflows.empty else V
if V - 1 < first_year:
    st.info("Er is geen vorig waarderingsjaar om mee te vergelijken.")
else:
    previous = evaluation(year=V - 1)
    changes = verdict_changes(previous, ev)
    if changes.empty:
        st.success(f"Geen enkel project kreeg een ander oordeel dan bij de waardering op 01/01/{V - 1}.")
    else:
        show_table(changes, money=["Contante waarde voor", "Contante waarde na"], hide_index=True,
                   width="stretch")
    delta = totals["npv_forward_active"] - previous.portfolio_totals()["npv_forward_active"]
    st.caption(f"De waarde van wat nog komt {change(delta)} tegenover 01/01/{V - 1} "
               "(door het verstrijken van de tijd, nieuwe cijfers en de rente).")

st.subheader("Bestuurspakket")
st.caption("Alles voor de vergadering in twee bestanden: een Excel-werkboek waarin elk kerncijfer een formule "
           "over de kasstromen is (zodat iedereen de berekening kan nakijken) en een afdrukbare PDF met "
           "grafieken. Ze worden gemaakt op het moment dat u klikt.")
pack_portfolio = portfolio_for_user(portfolio, ev)  # a municipality: its own projects, nothing of IGEMO's own
pack_review = review_state.board_review(source, portfolio)  # the running: bestuur and financien only
b1, b2 = st.columns(2)
b1.download_button("Bestuurspakket als Excel", data=lambda: pack_xlsx(pack_portfolio, ev, pack_review),
                   file_name=f"bestuurspakket_{V}.xlsx", key="overzicht_pakket_xlsx", icon=":material/table_view:",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
b2.download_button("Bestuurspakket als PDF", data=lambda: pack_pdf(pack_portfolio, ev, pack_review),
                   file_name=f"bestuurspakket_{V}.pdf", key="overzicht_pakket_pdf", icon=":material/picture_as_pdf:",
                   mime="application/pdf")
