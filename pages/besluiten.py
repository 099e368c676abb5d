"""Besluiten: the board records its decision per project, tied to the figures and thresholds it saw."""

import datetime as dt

import pandas as pd
import streamlit as st

from igemo_fin.fmt import local_time
from igemo_fin.records.chain import AuditError
from igemo_fin.records.decisions import data_version, decisions, record_decision
from igemo_fin.records.threshold_versions import latest_thresholds
from ui.auth import require_role
from ui.database import app_store
from ui.governance import date_text, log_badge
from ui.plain import as_text
from ui.state import evaluation, require_portfolio
from ui.style import VERDICT_WORDS, verdict_label
from ui.tables import fired_reasons

user = require_role("bestuur", "financien")
source, portfolio = require_portfolio()
ev = evaluation()
V = ev.valuation_year
store = app_store()

st.title("Besluiten van het bestuur")
st.write("Per project legt het bestuur vast wat het beslist: het oordeel van het beslissingskader volgen, of "
         "ervan afwijken met een motivering. Elk besluit wordt bewaard met de cijfers en de drempels waarop "
         "het steunt. Het logboek kan alleen aangevuld worden: niemand kan een besluit achteraf wijzigen of "
         "wissen, en elke regel is met een hash aan de vorige gekoppeld.")
log_badge(store)

for text in st.session_state.pop("besluiten_melding", []):
    st.success(text, icon=":material/check_circle:")
if st.session_state.pop("besluiten_wissen", False):
    st.session_state["besluiten_motivering"] = ""
    st.session_state["besluiten_keuze"] = "volgen"

st.subheader("Besluit vastleggen")
active = ev.figures[ev.figures["verdict"].notna()].set_index("project_code")
version = latest_thresholds(store) if store is not None else None
if "bestuur" not in user.roles:
    st.info("Alleen het bestuur legt besluiten vast; u kunt het logboek hieronder lezen.", icon=":material/lock:")
elif active.empty:
    st.info("Er zijn geen actieve projecten met een oordeel.")
else:
    codes = active.index.tolist()
    code = st.selectbox("Project", codes, key="besluiten_project",
                        format_func=lambda c: f"{c} – {active.at[c, 'naam']} ({active.at[c, 'gemeente']})")
    engine = active.at[code, "verdict"]
    reasons = fired_reasons(ev).get(code, "Geen enkele drempel overschreden.")
    st.markdown(f"**Oordeel van het beslissingskader:** {verdict_label(engine)}. {as_text(reasons)}")
    choice = st.radio("Besluit", ["volgen", "afwijken"], key="besluiten_keuze", horizontal=True,
                      format_func=lambda c: {"volgen": f"Het oordeel volgen ({VERDICT_WORDS[engine]})",
                                             "afwijken": "Afwijken van het oordeel"}[c])
    adopted = engine
    if choice == "afwijken":
        others = [v for v in VERDICT_WORDS if v != engine]
        adopted = st.selectbox("Besluit van het bestuur", others, key="besluiten_besluit", format_func=verdict_label)
    meeting = st.date_input("Datum van de vergadering", key="besluiten_datum", value=dt.date.today(),
                            max_value=dt.date.today(), format="DD/MM/YYYY")
    motivation = st.text_area("Motivering" + (" (verplicht bij afwijken)" if choice == "afwijken" else ""),
                              key="besluiten_motivering", max_chars=4000)
    thresholds_label = (f"drempelversie {version.id} van {local_time(version.created_at)}" if version
                        else "de drempels van het werkboek")
    st.caption(f"Grondslag: {source.label} (SHA-256 {source.sha256[:12]}…), waardering op 01/01/{V}, "
               f"{thresholds_label}.")
    if st.button("Besluit vastleggen", key="besluiten_vastleggen", type="primary"):
        signed = require_role("bestuur")  # checked again on the server, right before writing
        store = app_store(create=True)
        try:
            entry = record_decision(
                store, project_code=code, verdict_engine=engine, verdict_adopted=adopted, motivation=motivation,
                decided_by=signed.name, meeting_date=meeting, data_version=data_version(store, source.sha256),
                valuation_year=V, thresholds_version=version.id if version else None)
        except AuditError as error:
            st.error(f"Niet vastgelegd: {error}.", icon=":material/error:")
        else:
            st.session_state["besluiten_melding"] = [
                f"Besluit {entry.id} vastgelegd: {code} – {verdict_label(adopted)}"
                + (" (afgeweken van het oordeel)" if entry.overridden else "") + "."]
            st.session_state["besluiten_wissen"] = True
            st.rerun()

st.subheader("Logboek")
log = decisions(store) if store is not None else pd.DataFrame()
if log.empty:
    st.info("Er zijn nog geen besluiten vastgelegd.")
else:
    names = ev.figures.set_index("project_code")["naam"]
    table = pd.DataFrame({
        "Nr": log["id"],
        "Vergadering": log["meeting_date"].map(date_text),
        "Code": log["project_code"],
        "Project": log["project_code"].map(names).fillna("–"),
        "Oordeel model": log["verdict_engine"].map(verdict_label),
        "Besluit": log["verdict_adopted"].map(verdict_label),
        "Afgeweken": log["overridden"].map({True: "ja", False: "nee"}),
        "Motivering": log["motivation"],
        "Door": log["decided_by"],
        "Vastgelegd": log["decided_at"].map(local_time),
        "Waardering": log["valuation_year"].astype(str),
        "Gegevens": log["data_version"].str.slice(0, 12) + "…",
        "Drempels": log["thresholds_version"].map(lambda v: "werkboek" if pd.isna(v) else f"versie {int(v)}"),
        "Hash": log["entry_hash"].str.slice(0, 12) + "…",
    }).iloc[::-1].reset_index(drop=True)
    st.dataframe(table, hide_index=True, width="stretch", key="besluiten_logboek",
                 column_config={"Motivering": st.column_config.TextColumn(width="large")})
    st.caption("Nieuwste bovenaan. 'Gegevens' is het begin van de vingerafdruk (SHA-256) van het werkboek waarop "
               "het besluit steunt; 'Hash' die van de regel zelf. `python -m igemo_fin audit log` toont alles.")
