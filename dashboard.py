"""IGEMO projectportefeuille: the entry point. Sets up navigation and the shared sidebar.

Run with ``streamlit run dashboard.py``; it opens on the demo portfolio (fictive data) unless a
workbook was uploaded on the Gegevens page or ``IGEMO_WORKBOOK`` points to one.
"""

from __future__ import annotations

import streamlit as st

from igemo_fin.errors import InputError
from ui.auth import navigation_pages
from ui.plain import as_text
from ui.state import current_source, load_portfolio

st.set_page_config(page_title="IGEMO – projectportefeuille", page_icon=":material/domain:", layout="wide")

# The overview is served at the root; its url path is "start" so that /overzicht can be an address of
# its own (Streamlit serves a default page only at "/"), which sends the browser to the overview.
OVERVIEW = st.Page("pages/overzicht.py", title="Overzicht", icon=":material/dashboard:", default=True, url_path="start")


def _overview_address() -> None:
    st.switch_page(OVERVIEW)


PAGES = {
    "Bestuur": [
        OVERVIEW,
        st.Page("pages/project.py", title="Project", icon=":material/folder_open:"),
        st.Page("pages/kader.py", title="Beslissingskader", icon=":material/balance:"),
        st.Page("pages/kaskrediet.py", title="Kaskrediet", icon=":material/account_balance:"),
        st.Page("pages/meerjarenperspectief.py", title="Meerjarenperspectief", icon=":material/timeline:"),
    ],
    "Verplichtingen en financiering": [
        st.Page("pages/verplichtingen.py", title="Verplichtingen", icon=":material/handshake:"),
        st.Page("pages/financiering.py", title="Financiering", icon=":material/payments:"),
        st.Page("pages/overeenkomsten.py", title="Overeenkomsten", icon=":material/contract:"),
        st.Page("pages/werking.py", title="Werking en budget", icon=":material/receipt_long:"),
    ],
    "Financiën": [st.Page("pages/gegevens.py", title="Gegevens", icon=":material/upload_file:")],
    "Bestuur en beheer": [
        st.Page("pages/besluiten.py", title="Besluiten", icon=":material/gavel:"),
        st.Page("pages/drempels_beheer.py", title="Drempels", icon=":material/tune:"),
        st.Page("pages/gebruikers.py", title="Gebruikers", icon=":material/manage_accounts:"),
    ],
    "Gemeente": [st.Page("pages/mijn_gemeente.py", title="Mijn gemeente", icon=":material/location_city:")],
    "Risico": [
        st.Page("pages/risico.py", title="Risico", icon=":material/casino:"),
        st.Page("pages/nacalculatie.py", title="Nacalculatie", icon=":material/fact_check:"),
        st.Page("pages/nieuw_project.py", title="Nieuw project toetsen", icon=":material/add_business:"),
        st.Page(_overview_address, title="Overzicht", url_path="overzicht", visibility="hidden"),
    ],
}

# Sign-in first: without a user only the sign-in page runs; each role sees its own pages (ui/auth.py).
navigation = st.navigation(navigation_pages(PAGES), expanded=True)

with st.sidebar:
    source = current_source()
    if source is not None:
        st.caption(f"Gegevens: {as_text(source.label)}")  # the demo workbook's label says its data are fictive
        try:
            portfolio = load_portfolio(source.content, source.name, source.sha256)
        except InputError:
            portfolio = None
        if portfolio is not None:
            default_year = portfolio.settings.valuation_year()
            st.session_state.setdefault("waarderingsjaar", default_year)
            st.number_input("Waarderingsjaar", min_value=1990, max_value=2100, step=1, key="waarderingsjaar",
                            help="De waardering gebeurt op 1 januari van dit jaar. Eerdere jaren zijn verleden "
                                 f"(werkelijke cijfers), dit en latere jaren prognose. Standaard {default_year}.")

navigation.run()
