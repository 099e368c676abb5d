"""The app as served: ``streamlit run serve.py`` (Streamlit's ``st.App``: dashboard.py plus our routes).

The one route of our own sets the cookie that binds a sign-in to its browser (ui/browser_binding.py).
"""

import streamlit as st

from ui.browser_binding import routes

app = st.App("dashboard.py", routes=routes())
