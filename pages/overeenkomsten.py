"""Overeenkomsten: land funds, subsidies provisioned and invoicing terms, each with a what-if."""

import pandas as pd
import streamlit as st

from igemo_fin.fmt import eur, number
from igemo_fin.risk.capacity import capacity_moment
from ui import agreements_state as agreements
from ui.auth import require_role
from ui.plain import as_text
from ui.state import require_portfolio, show_basis
from ui.styled_table import show_table

# Reading page for bestuur and financien (the navigation hides it from the others; checked here too).
require_role("bestuur", "financien")
source, portfolio = require_portfolio()
view = agreements.view()
ev = view.ev
V = ev.valuation_year

st.title("Overeenkomsten")
show_basis(ev)
if view.empty:
    st.info("Het werkboek heeft geen grondfondsen, subsidies of facturatieafspraken. Voeg de bladen toe zoals "
            "docs/overeenkomsten.md beschrijft (ook in het lege sjabloon op de pagina Gegevens).")
    st.stop()
for warning in view.warnings:
    st.warning(as_text(warning))

totals = view.totals()
c1, c2, c3 = st.columns(3)
c1.metric("Aandeel IGEMO in de grondfondsen", eur(totals["igemo_share"]),
          help="Wat IGEMO bij de afrekening van de fondsen krijgt (+) of draagt (-), volgens de prognose.")
c2.metric("Cofinanciering nog te factureren", eur(totals["cofinancing_to_invoice"], 2))
c3.metric(f"Over te dragen subsidieopbrengsten 31/12/{V - 1}", eur(totals["deferred_income_closing"], 2))

fund_tab, subsidy_tab, terms_tab = st.tabs(["Grondfondsen", "Subsidies", "Facturatie"])

with fund_tab:
    if view.settlements.empty:
        st.info("Geen grondfondsen in het werkboek.")
    else:
        s = view.settlements
        show_table(pd.DataFrame({
            "Fonds": s["fonds"], "Naam": s["naam"], "Gemeente": s["gemeente"],
            "Projecten": s["projecten"], "Einde": s["eindjaar"].astype(str),
            "Eindsaldo": s["balance_end"], "IGEMO": s["igemo_share"], "Partner": s["partner_share"],
            "Blootstelling IGEMO": s["igemo_exposure"], "IGEMO P10": s["igemo_share_p10"],
            "IGEMO P90": s["igemo_share_p90"]}),
            money=["Eindsaldo", "IGEMO", "Partner", "Blootstelling IGEMO", "IGEMO P10", "IGEMO P90"],
            hide_index=True, width="stretch", key="overeenk_fondsen")
        # a fund has no balance before it starts: NaN, shown as "–"
        balances = view.balances.pivot(index="fonds", columns="jaar", values="balance_end").astype(float)
        balances.columns = [str(c) for c in balances.columns]
        st.caption("Saldo per jaar (einde jaar)")
        show_table(balances.reset_index().rename(columns={"fonds": "Fonds"}),
                   money=list(balances.columns), hide_index=True, width="stretch", key="overeenk_saldi")

        st.subheader("Wat als de voorwaarden herzien worden?")
        fonds = st.selectbox("Fonds", s["fonds"].tolist(), key="overeenk_fonds")
        row = portfolio.agreements.funds.set_index("fonds").loc[fonds]
        a, b, c = st.columns(3)
        share = a.slider("Aandeel in het projectresultaat (%)", 0, 100, int(row["aandeel_resultaat_pct"]),
                         key="overeenk_aandeel")
        cap = b.number_input("Plafond tekort gemeente (€)", min_value=0.0, step=50_000.0, key="overeenk_plafond",
                             value=float(row["tekort_plafond"]) if pd.notna(row["tekort_plafond"]) else 0.0)
        end = c.number_input("Eindjaar", min_value=int(row["beginjaar"]), max_value=2100, step=1,
                             value=int(row["eindjaar"]), key="overeenk_eindjaar")
        w = agreements.fund_revision(fonds, aandeel_resultaat_pct=float(share), tekort_plafond=float(cap),
                                     eindjaar=int(end))
        show_table(pd.DataFrame({
            "Versie": w["versie"], "Eindsaldo": w["balance_end"], "IGEMO": w["igemo_share"],
            "Gemeente": w["partner_share"], "Blootstelling IGEMO": w["igemo_exposure"],
            f"Weerstandsvermogen {capacity_moment(V)}": w["risk_capacity_ratio"].map(lambda r: number(r, 2))}),
            money=["Eindsaldo", "IGEMO", "Gemeente", "Blootstelling IGEMO"],
            hide_index=True, width="stretch", key="overeenk_fonds_watals")
        st.caption("Het weerstandsvermogen telt de blootstelling van IGEMO in alle fondsen bij het verlies van "
                   "de portefeuille (P90 met de simulatie, anders de prognose).")

with subsidy_tab:
    if view.schedule.empty:
        st.info("Geen subsidies in het register.")
    else:
        per_year = view.subsidies_by_year()
        show_table(pd.DataFrame({
            "Jaar": per_year["jaar"].astype(str), "Erkend": per_year["recognised_in_year"],
            "Ontvangen": per_year["received_in_year"], "Over te dragen (493)": per_year["deferred_income"],
            "Verkregen (491)": per_year["accrued_income"]}),
            money=["Erkend", "Ontvangen", "Over te dragen (493)", "Verkregen (491)"], decimals=2,
            hide_index=True, width="stretch", key="overeenk_subsidies")
        st.caption("Subsidie-inkomsten worden erkend naarmate de subsidiabele kosten gemaakt worden, niet bij "
                   "ontvangst. Het verschil staat op de balans als over te dragen of verkregen opbrengst.")
        co = view.cofinancing
        st.subheader("Cofinanciering door de gemeenten")
        show_table(pd.DataFrame({
            "Besluit": co["besluit"], "Project": co["project_code"],
            "Gemeente": co["gemeente"], "Sleutel (%)": co["sleutel_pct"],
            "Totaal": co["cofinancing_total"], "Verschuldigd tot nu": co["owed_to_date"],
            "Gefactureerd": co["invoiced"], "Nog te factureren": co["to_invoice"]}),
            money=["Totaal", "Verschuldigd tot nu", "Gefactureerd", "Nog te factureren"], percent=["Sleutel (%)"],
            decimals=2, hide_index=True, width="stretch", key="overeenk_cofin")
        st.subheader("Resultaat en spreiding met erkende subsidies")
        r = view.results
        show_table(pd.DataFrame({
            "Project": r["project_code"], "Naam": r["naam"],
            "Resultaat (ontvangen)": r["result_cash"], "Resultaat (erkend)": r["result_recognised"]}),
            money=["Resultaat (ontvangen)", "Resultaat (erkend)"], hide_index=True, width="stretch",
            key="overeenk_resultaat")
        spread = view.spread_cash[["jaar", "recognised_in_year"]].merge(
            view.spread_recognised[["jaar", "recognised_in_year"]], on="jaar", how="outer",
            suffixes=("_cash", "_erkend")).fillna(0.0)
        show_table(pd.DataFrame({
            "Jaar": spread["jaar"].astype(int).astype(str), "Erkend resultaat (ontvangen subsidies)":
            spread["recognised_in_year_cash"], "Erkend resultaat (erkende subsidies)": spread["recognised_in_year_erkend"]}),
            money=["Erkend resultaat (ontvangen subsidies)", "Erkend resultaat (erkende subsidies)"],
            hide_index=True, width="stretch", key="overeenk_spreiding")
        st.subheader("Voorgestelde boekingen")
        j = view.journal
        show_table(pd.DataFrame({
            "Boeking": j["boeking"], "Boekjaar": j["boekjaar"].astype(str), "Rekening": j["rekening"],
            "Rekeningnaam": j["rekening_naam"], "Debet": j["debet"], "Credit": j["credit"],
            "Omschrijving": j["omschrijving"]}), money=["Debet", "Credit"], decimals=2,
            hide_index=True, width="stretch", key="overeenk_journaal")

with terms_tab:
    p = view.prefinancing
    if p.empty:
        st.info("Geen facturatieafspraken in het werkboek.")
    else:
        show_table(pd.DataFrame({
            "Project": p["project_code"], "Naam": p["naam"],
            "Piek voorfinanciering": p["prefinancing_peak"], "Rente": p["interest"],
            "Piek (voorstel)": p["prefinancing_peak_proposed"], "Rente (voorstel)": p["interest_proposed"],
            "Rente bespaard": p["interest_saved"]}),
            money=["Piek voorfinanciering", "Rente", "Piek (voorstel)", "Rente (voorstel)", "Rente bespaard"],
            hide_index=True, width="stretch", key="overeenk_facturatie")
        st.subheader("Wat als er meer bij ondertekening gefactureerd wordt?")
        a, b, c, d = st.columns(4)
        code = a.selectbox("Project", p["project_code"].tolist(), key="overeenk_project")
        pct = b.slider("Bij ondertekening (%)", 5, 100, 30, step=5, key="overeenk_pct")
        year = c.number_input("Jaar van ondertekening", min_value=V, max_value=2100, value=V, step=1,
                              key="overeenk_jaar")
        days = d.number_input("Betalingstermijn (dagen)", min_value=0, max_value=365, value=30, step=15,
                              key="overeenk_dagen")
        w = agreements.terms_what_if(code, pct, year, days).iloc[0]
        st.metric("Rente bespaard", eur(w["interest_saved"]))
        st.write(f"Factureren van {number(pct)} % bij ondertekening in {int(year)} bespaart {eur(w['interest_saved'])} "
                 f"rente en verlaagt de piek met {eur(w['peak_lowered'])}.")
