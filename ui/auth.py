"""Sign-in: who uses this session, and the gate of the entry script.

Three ways in, chosen on every run (so a change of configuration or accounts counts at once):

1. **OIDC** (production, :mod:`ui.oidc`): ``.streamlit/secrets.toml`` has an ``[auth]`` section.
2. **Local accounts** (:mod:`ui.local_signin`): no ``[auth]``, but the ``users`` table has any account.
3. **Demo mode** (:mod:`ui.demo`): no sign-in configured at all; only on this computer.

Either sign-in is bound to the browser that made it (:mod:`ui.browser_binding`): a run that only
knows the session's id is signed out. Roles and the pages they may open are in :mod:`ui.roles`, what
each role may see of the evaluation in :mod:`ui.visibility`. Every write action calls
:func:`require_role` again before it writes.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from igemo_fin.records.store import Store
from igemo_fin.records.users import ROLE_WORDS
from ui.account_reads import account_count
from ui import browser_binding
from ui.database import app_store
from ui.demo import DEMO_BANNER, REFUSAL, demo_allowed, refused_page
from ui.local_signin import local_login_page, local_state, sign_out
from ui.oidc import oidc_configured, oidc_login_page, oidc_state
from ui.plain import as_text
from ui.roles import DEMO_ROLES, AppUser, AuthState, pages_for_role

__all__ = ["auth_state", "current_user", "navigation_pages", "require_entry_script", "require_role"]

#: Set in the session's state by the entry script's gate (:func:`navigation_pages`) on every run.
ENTRY_KEY = "_igemo_door_het_startscript"


# --------------------------------------------------------------------------- the pages/ folder

def _pages_folder_mode_off() -> None:
    """Streamlit (1.67) treats an app with a ``pages/`` folder beside its entry script as a "pages
    folder" app until the first ``st.navigation`` call in the process: until then a request for
    ``/kaskrediet`` runs ``pages/kaskrediet.py`` *without* ``dashboard.py``, so without its sign-in
    gate (the first requests after a restart). Switching the mode off here shortens that window to
    the first import of this module; :func:`require_entry_script` closes it."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # pragma: no cover - another Streamlit layout: nothing to switch off
        return
    PagesManager.uses_pages_directory = False


def require_entry_script() -> None:
    """Rerun through ``dashboard.py`` when this run did not pass its sign-in gate.

    Only a session's first run, started in "pages folder" mode right after a server start, can reach
    a page without the entry script (:func:`_pages_folder_mode_off`); its state then lacks
    :data:`ENTRY_KEY`, and the rerun goes through ``dashboard.py``. Called by :func:`require_role` and
    :func:`ui.state.current_source`, which every page calls before it shows data. This used to be a
    rerun raised while this module was imported, but two sessions importing it at once after a start
    then got a half-initialised module ("cannot import name 'navigation_pages'"): a rerun is an
    exception, and an import that raises leaves the module half-built for the thread that waited on it.
    """
    _pages_folder_mode_off()
    if ENTRY_KEY not in st.session_state and get_script_run_ctx() is not None:
        st.rerun()


_pages_folder_mode_off()


# --------------------------------------------------------------------------- who is signed in

def _bound_oidc_state(store: Store | None) -> AuthState:
    """The OIDC sign-in, bound to this browser on its first run.

    Streamlit resumes an OIDC session only for a connection that presents the same signed identity
    cookie; a later connection must also present the binding cookie, else it is signed out until the
    person signs in again (a new session, bound afresh).
    """
    state = oidc_state(store)
    if state.user is None:
        return state
    binding = st.session_state.get(browser_binding.BINDING_KEY)
    if binding is None:
        browser_binding.bind(state.user.name)
    elif not browser_binding.holds(state.user.name):
        browser_binding.release()
        st.session_state[browser_binding.BINDING_KEY] = "ongeldig"  # not re-bound in this session
        return AuthState("oidc", None, "Deze sessie is niet meer aan uw browser gebonden. Meld u opnieuw aan.")
    return state


def auth_state() -> AuthState:
    """Sign-in for this run, read from the configuration, the accounts and the session."""
    store = app_store()
    if oidc_configured():
        return _bound_oidc_state(store)
    if store is not None and account_count(store) > 0:
        return local_state(store)
    if demo_allowed():
        return AuthState("demo", AppUser("demo", DEMO_ROLES, None, "demo"))
    return AuthState("geweigerd", None, REFUSAL)


def current_user() -> AppUser | None:
    """The signed-in user of this session, or None."""
    return auth_state().user


# --------------------------------------------------------------------------- what a role may do

def require_role(*roles: str) -> AppUser:
    """The signed-in user when they hold one of ``roles``; else a Dutch message and the page stops.

    Call it right before every write (upload, thresholds, decision, accounts): it reads the
    sign-in again on the server, whatever the page showed before.
    """
    require_entry_script()
    user = current_user()
    if user is None or not (user.roles & set(roles)):
        needed = " of ".join(ROLE_WORDS[r] for r in roles)
        who = "U bent niet aangemeld" if user is None else f"U bent aangemeld met de rol {user.label}"
        st.error(f"{who}. Deze handeling vraagt de rol {needed}.", icon=":material/lock:")
        st.stop()
    return user


# --------------------------------------------------------------------------- the gate

def _sidebar(state: AuthState) -> None:
    user = state.user
    with st.sidebar:
        if state.mode == "demo":
            return  # the banner on top of the page says it
        st.caption(f"Aangemeld als {as_text(user.name)} · {as_text(user.label)}")
        browser_binding.deliver_cookie()
        if st.button("Afmelden", key="auth_afmelden", icon=":material/logout:"):
            sign_out()
            if state.mode == "oidc":
                st.logout()
            st.rerun()


def navigation_pages(pages: Mapping[str, list]) -> dict[str, list]:
    """The sign-in gate of the entry script: the pages the signed-in user may open.

    Without a user it shows the sign-in form (or the refusal) as the only page and stops the run,
    so nothing after it in the entry script (the data source, the valuation year) is shown. In demo
    mode it puts :data:`DEMO_BANNER` on top of every page.
    """
    st.session_state[ENTRY_KEY] = True
    _pages_folder_mode_off()
    state = auth_state()
    if state.user is None:
        def oidc_page() -> None:
            oidc_login_page(state)

        page = {"lokaal": local_login_page, "oidc": oidc_page}.get(state.mode, refused_page)
        st.navigation([st.Page(page, title="Aanmelden", icon=":material/login:", url_path="aanmelden")],
                      position="hidden").run()
        st.stop()
    if state.mode == "demo":  # a coloured line, not an alert: the pages' own alerts stay first in line
        st.markdown(f":orange-background[:material/info: **{DEMO_BANNER}**]")
    _sidebar(state)
    return pages_for_role(state.user.roles, pages)
