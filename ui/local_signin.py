"""Sign-in with a local account (``python -m igemo_fin users add``), for sites without an identity provider.

Used when there is no ``[auth]`` but the ``users`` table has any account (disabled ones count too, so
disabling everyone never reopens the demo). The signed-in username lives in the session's server-side
state, bound to the browser (:mod:`ui.browser_binding`), and is looked up again on every run (cached on the database's state, :mod:`ui.account_reads`), so
disabling an account ends its sessions; a reload of the browser tab starts a new session and asks
again. Wrong passwords are throttled in the store, per username, per client address and for all
sign-ins together (:mod:`igemo_fin.records.throttle`).

Behind a reverse proxy every browser comes from the proxy's address: with ``IGEMO_PROXY=1`` the
address the proxy puts in ``X-Real-IP`` counts instead (only when the peer is this computer, where
the proxy runs; see ``deploy/``).
"""

from __future__ import annotations

import os

import streamlit as st

from igemo_fin.records.store import Store
from igemo_fin.records.throttle import record_failure, record_success, wait_for
from igemo_fin.records.users import authenticate
from ui import browser_binding
from ui.account_reads import account
from ui.database import app_store
from ui.demo import is_loopback_peer
from ui.roles import AppUser, AuthState

__all__ = ["SESSION_KEY", "client_address", "local_login_page", "local_state", "sign_out"]

SESSION_KEY = "auth_gebruiker"
_SCOPE_WORDS = {"gebruiker": "voor deze gebruiker", "adres": "vanaf dit adres", "alle": "op deze toepassing"}


def local_state(store: Store) -> AuthState:
    """The account signed in in this session, if it still may and this browser signed it in."""
    name = st.session_state.get(SESSION_KEY)
    row = account(store, name) if name else None
    if row is None or not row.active or not row.has_password or not browser_binding.holds(row.username):
        sign_out()
        return AuthState("lokaal", None)
    return AuthState("lokaal", AppUser(row.username, frozenset({row.role}), row.gemeente, "lokaal"))


def sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)
    browser_binding.release()


def client_address() -> str:
    """The browser's address for throttling (``lokaal`` for this computer)."""
    peer = st.context.ip_address
    if os.environ.get("IGEMO_PROXY", "").strip() == "1" and is_loopback_peer(peer):
        forwarded = (st.context.headers.get("X-Real-Ip") or "").strip()
        if forwarded:
            return forwarded[:64]
    return peer if isinstance(peer, str) and peer else "lokaal"


def _minutes(seconds: float) -> str:
    if seconds < 60:
        return f"{int(seconds) + 1} seconden"
    minutes = int(seconds // 60) + 1
    return f"{minutes} minuten"


def local_login_page() -> None:
    st.title("Aanmelden")
    st.write("Meld u aan met uw gebruikersnaam en wachtwoord van de IGEMO-projectportefeuille.")
    with st.form("aanmelden_formulier", clear_on_submit=True):
        name = st.text_input("Gebruikersnaam", key="aanmelden_naam", autocomplete="username")
        password = st.text_input("Wachtwoord", type="password", key="aanmelden_wachtwoord",
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Aanmelden", type="primary")
    if not submitted:
        return
    store = app_store()
    key = name.strip().lower()
    if store is None or not key:
        st.error("Onbekende gebruiker of verkeerd wachtwoord.", icon=":material/lock:")
        return
    client = client_address()
    wait = wait_for(store, key, client)
    if wait is not None:
        st.error(f"Te veel mislukte pogingen {_SCOPE_WORDS[wait.scope]}. Probeer opnieuw over "
                 f"{_minutes(wait.seconds)}.", icon=":material/lock_clock:")
        return
    user = authenticate(store, name, password)
    if user is None:
        record_failure(store, key, client)
        st.error("Onbekende gebruiker of verkeerd wachtwoord.", icon=":material/lock:")
        return
    record_success(store, key)
    st.session_state[SESSION_KEY] = user.username
    browser_binding.bind(user.username)
    st.rerun()
