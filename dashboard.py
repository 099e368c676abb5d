"""IGEMO projectportefeuille: the entry point. Sets up navigation and the shared sidebar.

Run with ``streamlit run dashboard.py``; it opens on the demo portfolio (fictive data) unless a
workbook was uploaded on the Gegevens page or ``IGEMO_WORKBOOK`` points to one.
"""

from __future__ import annotations

import streamlit as st

from igemo_fin.errors import InputError
from ui.state import current_source, load_portfolio

st.set_page_config(page_title="IGEMO – projectportefeuille", page_icon=":material/domain:", layout="wide")

PAGES = {
    "Bestuur": [
        st.Page("pages/overzicht.py", title="Overzicht", icon=":material/dashboard:", default=True),
        st.Page("pages/project.py", title="Project", icon=":material/folder_open:"),
        st.Page("pages/kader.py", title="Beslissingskader", icon=":material/balance:"),
        st.Page("pages/kaskrediet.py", title="Kaskrediet", icon=":material/account_balance:"),
    ],
}

navigation = st.navigation(PAGES)

with st.sidebar:
    source = current_source()
    if source is not None:
        st.caption(f"Gegevens: {source.label}")
        if source.is_demo:
            st.info("Demo: alle projecten en bedragen zijn fictief.", icon=":material/info:")
        try:
            portfolio = load_portfolio(source.content, source.name)
        except InputError:
            portfolio = None
        if portfolio is not None:
            default_year = portfolio.settings.valuation_year()
            st.session_state.setdefault("waarderingsjaar", default_year)
            st.number_input("Waarderingsjaar", min_value=1990, max_value=2100, step=1, key="waarderingsjaar",
                            help="De waardering gebeurt op 1 januari van dit jaar. Eerdere jaren zijn verleden "
                                 f"(werkelijke cijfers), dit en latere jaren prognose. Standaard {default_year}.")

navigation.run()
