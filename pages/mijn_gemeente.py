"""Mijn gemeente: a partner municipality's projects, their verdicts and the share of a loss it carries.

The evaluation comes through :func:`ui.state.evaluation`, which keeps only this municipality's projects
on the server (:func:`ui.auth.filter_for_user`); the page never sees the others.
"""

import pandas as pd
import streamlit as st

from igemo_fin.fmt import eur
from ui import agreements_state as agreements
from ui import obligations_state as obligations
from ui.auth import require_role
from ui.plain import as_text
from ui.state import evaluation, require_portfolio, show_basis
from ui.tables import MONEY_COLUMNS, PERCENT_COLUMNS, verdict_table
from ui.styled_table import show_table

user = require_role("gemeente")
source, portfolio = require_portfolio()
ev = evaluation()
V = ev.valuation_year

st.title(f"Projecten in {as_text(user.gemeente)}")
show_basis(ev)
if ev.figures.empty:
    st.info(f"Er zijn geen projecten van {as_text(user.gemeente)} in de portefeuille.")
    st.stop()

shares, totals = obligations.own_municipality()
c1, c2, c3 = st.columns(3)
c1.metric("Projecten", totals["project_count"])
c2.metric("Verlies dat de gemeente draagt", eur(totals["loss_share_municipality"], 2),
          help="Volgens de risicodeling in de overeenkomst: het aandeel van de gemeente in het verwachte verlies "
               "over de hele looptijd, begrensd door het plafond.")
c3.metric("Verlies dat IGEMO draagt", eur(totals["loss_share_igemo"], 2))

st.subheader("Oordeel per project")
table = verdict_table(ev, include_inactive=True)
show_table(table, money=MONEY_COLUMNS, percent=PERCENT_COLUMNS, verdict_column="Oordeel",
           hide_index=True, width="stretch", key="gemeente_tabel",
           column_config={"Waarom": st.column_config.TextColumn(width="large")})

st.subheader("Risicodeling: wie draagt een verlies?")
share_table = pd.DataFrame({
    "Code": shares["project_code"],
    "Project": shares["naam"],
    "Resultaat hele looptijd": shares["result_nominal"],
    "Verwacht verlies": shares["loss"],
    "Aandeel gemeente (%)": shares["risicodeling_gemeente_pct"],
    "Plafond": [eur(v, 2) if pd.notna(v) else "geen" for v in shares["risicodeling_plafond"]],
    "Gemeente draagt": shares["loss_share_municipality"],
    "IGEMO draagt": shares["loss_share_igemo"],
})
show_table(share_table, money=["Resultaat hele looptijd", "Verwacht verlies", "Gemeente draagt", "IGEMO draagt"],
           percent=["Aandeel gemeente (%)"], decimals=2,
           hide_index=True, width="stretch", key="gemeente_risicodeling")
st.caption("Een verlies is een negatief resultaat over de hele looptijd (na rente). De gemeente draagt het "
           "afgesproken percentage, nooit meer dan het plafond; IGEMO draagt de rest.")

funds, balances, cofinancing = agreements.own_agreements(user.gemeente)
if not funds.empty or not cofinancing.empty:
    st.subheader("Overeenkomsten: grondfondsen en cofinanciering")
    if not funds.empty:
        show_table(pd.DataFrame({
            "Fonds": funds["naam"], "Einde": funds["eindjaar"].astype(str), "Eindsaldo": funds["balance_end"],
            "Gemeente krijgt (+) of draagt (-)": funds["partner_share"]}),
            money=["Eindsaldo", "Gemeente krijgt (+) of draagt (-)"],
            hide_index=True, width="stretch", key="gemeente_fondsen")
    if not cofinancing.empty:
        show_table(pd.DataFrame({
            "Subsidiebesluit": cofinancing["besluit"], "Project": cofinancing["project_code"],
            "Sleutel (%)": cofinancing["sleutel_pct"], "Verschuldigd tot nu": cofinancing["owed_to_date"],
            "Gefactureerd": cofinancing["invoiced"], "Nog te factureren": cofinancing["to_invoice"]}),
            money=["Verschuldigd tot nu", "Gefactureerd", "Nog te factureren"], percent=["Sleutel (%)"], decimals=2,
            hide_index=True, width="stretch", key="gemeente_cofinanciering")
