"""Beslissingskader: every threshold explained, and a what-if that never touches the official ones."""

import pandas as pd
import streamlit as st

from igemo_fin.fmt import eur, number, pct
from igemo_fin.valuation.thresholds import THRESHOLD_INFO
from ui.state import evaluation, require_portfolio, show_basis
from ui.style import VERDICT_WORDS, verdict_label
from ui.tables import verdict_changes
from ui.styled_table import show_table

source, portfolio = require_portfolio()
official = evaluation()
thresholds = official.thresholds  # discount rate resolved


def shown(name: str, value) -> str:
    unit = THRESHOLD_INFO[name].unit
    if value is None:
        return "–"
    return eur(value) if unit == "EUR" else pct(value) if unit == "%" else f"{number(value)} jaar"


st.title("Beslissingskader")
st.write("Het bestuur legt vooraf drempels vast. Elk actief project wordt aan elke drempel getoetst; de "
         "zwaarste overschreden drempel bepaalt het oordeel: "
         + " < ".join(verdict_label(v) for v in VERDICT_WORDS)
         + ". Afstoten weegt zwaarder dan stopzetten: verkopen is beter dan vasthouden.")
show_basis(official)

st.subheader("De officiële drempels")
default_note = "" if portfolio.thresholds.disconteringsvoet_pct is not None else \
    " (standaard: de rente van het kaskrediet in het waarderingsjaar)"
info = pd.DataFrame([{
    "Drempel": THRESHOLD_INFO[name].label,
    "Waarde": shown(name, value) + (default_note if name == "disconteringsvoet_pct" else ""),
    "Wat het meet": THRESHOLD_INFO[name].meaning,
    "Waarom het ertoe doet": THRESHOLD_INFO[name].why,
} for name, value in thresholds.as_dict().items()])
st.dataframe(info, hide_index=True, width="stretch",
             column_config={c: st.column_config.TextColumn(width="large")
                            for c in ("Wat het meet", "Waarom het ertoe doet")})

st.subheader("Wat als? Drempels simuleren")
st.warning("**Simulatie.** Wat u hieronder wijzigt, verandert de officiële drempels niet. Die legt de dienst "
           "financiën vast op de pagina Drempels (met wie, wanneer en waarom).", icon=":material/science:")

steps = {"EUR": 50_000.0, "%": 0.5, "jaar": 1.0}
values = {}
cols = st.columns(3)
for i, (name, value) in enumerate(thresholds.as_dict().items()):
    meta = THRESHOLD_INFO[name]
    key = f"kader_{name}"
    st.session_state.setdefault(key, float(value))
    values[name] = cols[i % 3].number_input(
        f"{meta.label} ({'€' if meta.unit == 'EUR' else meta.unit})", key=key, step=steps[meta.unit],
        format="%.2f" if meta.unit == "%" else "%.0f", help=meta.meaning)
if st.button("Terug naar de officiële drempels", key="kader_reset"):
    for name, value in thresholds.as_dict().items():
        st.session_state[f"kader_{name}"] = float(value)
    st.rerun()

simulated_thresholds = thresholds.with_values(**values)
if simulated_thresholds == thresholds:
    st.info("De simulatie gebruikt nu de officiële drempels: wijzig een waarde hierboven.")
else:
    simulated = evaluation(thresholds=simulated_thresholds)
    changes = verdict_changes(official, simulated)
    counts_before = official.portfolio_totals()["verdict_counts"]
    counts_after = simulated.portfolio_totals()["verdict_counts"]
    cols = st.columns(4)
    for col, verdict in zip(cols, VERDICT_WORDS):
        col.metric(verdict_label(verdict), counts_after[verdict], delta=counts_after[verdict] - counts_before[verdict],
                   delta_color="off")
    if changes.empty:
        st.success("Met deze drempels krijgt geen enkel project een ander oordeel.")
    else:
        st.write(f"**{len(changes)} project(en) krijgen een ander oordeel in de simulatie:**")
        show_table(changes, money=["Contante waarde voor", "Contante waarde na"], hide_index=True,
                   width="stretch", key="kader_wijzigingen")
