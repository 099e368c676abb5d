"""Drempels: finance sets the official thresholds; every change is a version (who, when, why, old, new)."""

import pandas as pd
import streamlit as st

from igemo_fin.records.chain import AuditError
from igemo_fin.records.threshold_changes import change_thresholds
from igemo_fin.records.threshold_versions import latest_thresholds, threshold_versions
from igemo_fin.valuation.thresholds import THRESHOLD_INFO, Thresholds
from igemo_fin.fmt import local_time
from ui.auth import require_role
from ui.database import app_store
from ui.governance import changes_text, log_badge, threshold_text
from ui.state import evaluation, require_portfolio
from ui.style import VERDICT_WORDS, verdict_label
from ui.tables import verdict_changes
from ui.styled_table import show_table

user = require_role("financien", "bestuur")
source, portfolio = require_portfolio()
store = app_store()
version = latest_thresholds(store) if store is not None else None
official: Thresholds = version.thresholds() if version else portfolio.thresholds
ev = evaluation()

st.title("Officiële drempels")
st.write("De drempels van het beslissingskader bepalen elk oordeel. De financiële dienst legt ze hier vast; "
         "elke wijziging wordt een nieuwe versie met wie, wanneer, waarom en de oude en nieuwe waarden. Een "
         "besluit van het bestuur verwijst naar de versie die toen gold.")
log_badge(store)
for text in st.session_state.pop("drempels_melding", []):
    st.success(text, icon=":material/check_circle:")

if version:
    st.info(f"Van kracht: versie {version.id}, vastgelegd op {local_time(version.created_at)} door "
            f"{version.created_by}: {version.reason}. Deze versie gaat voor op het blad 'drempels' van het werkboek.",
            icon=":material/verified:")
else:
    st.info("Er is nog geen versie vastgelegd in de toepassing: de drempels van het blad 'drempels' van het "
            "werkboek gelden.", icon=":material/info:")
st.dataframe(pd.DataFrame([{"Drempel": THRESHOLD_INFO[n].label, "Waarde": threshold_text(n, v)}
                           for n, v in official.as_dict().items()]), hide_index=True, width="stretch")

st.subheader("Nieuwe drempels voorstellen en vastleggen")
if "financien" not in user.roles:
    st.info("Alleen de financiële dienst legt de officiële drempels vast.", icon=":material/lock:")
else:
    steps = {"EUR": 50_000.0, "%": 0.5, "jaar": 1.0}
    values: dict = {}
    standard = st.checkbox("Disconteringsvoet: de rente van het kaskrediet in het waarderingsjaar (standaard)",
                           value=official.disconteringsvoet_pct is None, key="drempels_standaard_rente")
    cols = st.columns(3)
    for i, (name, value) in enumerate(official.as_dict().items()):
        meta = THRESHOLD_INFO[name]
        if name == "disconteringsvoet_pct":
            if standard:
                values[name] = None
                continue
            value = ev.discount_rate_pct if value is None else value
        values[name] = cols[i % 3].number_input(
            f"{meta.label} ({'€' if meta.unit == 'EUR' else meta.unit})", value=float(value),
            key=f"drempels_{name}", step=steps[meta.unit], format="%.2f" if meta.unit == "%" else "%.0f",
            help=meta.meaning)
    proposed = Thresholds(**values)
    if proposed == official:
        st.caption("Wijzig een waarde hierboven om te zien wat ze verandert.")
    else:
        simulated = evaluation(thresholds=proposed)
        changes = verdict_changes(ev, simulated)
        counts = simulated.portfolio_totals()["verdict_counts"]
        st.write("**Met deze drempels:** " + ", ".join(f"{verdict_label(v)} {counts[v]}" for v in VERDICT_WORDS)
                 + f"; {len(changes)} project(en) krijgen een ander oordeel.")
        if not changes.empty:
            show_table(changes, money=["Contante waarde voor", "Contante waarde na"], hide_index=True,
                       width="stretch", key="drempels_wijzigingen")
    reason = st.text_area("Reden van de wijziging (bv. het besluit van de raad van bestuur)", key="drempels_reden",
                          max_chars=4000)
    if st.button("Als officiële drempels vastleggen", key="drempels_vastleggen", type="primary",
                 disabled=proposed == official):
        signed = require_role("financien")  # checked again on the server, right before writing
        try:
            saved = change_thresholds(app_store(create=True), official, proposed.as_dict(), created_by=signed.name,
                                      reason=reason)
        except AuditError as error:
            st.error(f"Niet vastgelegd: {error}.", icon=":material/error:")
        else:
            st.session_state["drempels_melding"] = [f"Drempelversie {saved.id} vastgelegd: "
                                                    f"{changes_text(saved.old_values, saved.new_values)}."]
            for name in Thresholds.names():
                st.session_state.pop(f"drempels_{name}", None)
            st.session_state.pop("drempels_reden", None)
            st.rerun()

st.subheader("Geschiedenis")
versions = threshold_versions(store) if store is not None else []
if not versions:
    st.info("Nog geen versies.")
else:
    st.dataframe(pd.DataFrame([{
        "Versie": v.id, "Vastgelegd": local_time(v.created_at), "Door": v.created_by, "Reden": v.reason,
        "Wijzigingen": changes_text(v.old_values, v.new_values), "Hash": v.entry_hash[:12] + "…",
    } for v in reversed(versions)]), hide_index=True, width="stretch", key="drempels_geschiedenis",
        column_config={"Wijzigingen": st.column_config.TextColumn(width="large")})
