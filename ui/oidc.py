"""Sign-in through the organisation's identity provider (OIDC), for production.

``.streamlit/secrets.toml`` has an ``[auth]`` section. Streamlit's own ``st.login`` / ``st.user`` do the
sign-in (``Authlib>=1.3.2`` must be installed); the e-mail the identity provider gives is mapped to a
role by the ``users`` table (username = e-mail; a disabled row refuses) or, when it has no row, by a
``[roles]`` table in the secrets::

    [roles]
    "an.peeters@igemo.be" = "bestuur"
    "financien@igemo.be" = "financien"
    "jan.janssens@mechelen.be" = "gemeente:Mechelen"

An address with ``email_verified = false`` or without a role is refused.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from igemo_fin.records.store import Store
from igemo_fin.records.users import ROLES
from ui.account_reads import account
from ui.plain import as_text
from ui.roles import AppUser, AuthState

__all__ = ["oidc_configured", "oidc_login_page", "oidc_state"]


def _secret_section(name: str) -> Mapping | None:
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        section = st.secrets.get(name)
    except Exception:  # a broken secrets file: treated as absent, Streamlit logs it
        return None
    return section if isinstance(section, Mapping) else None


def oidc_configured() -> bool:
    """``[auth]`` is configured in the secrets."""
    return _secret_section("auth") is not None


def _oidc_provider() -> str | None:
    """The provider name for ``st.login`` when ``[auth]`` names exactly one provider section."""
    section = _secret_section("auth") or {}
    providers = [k for k, v in section.items() if isinstance(v, Mapping)]
    return providers[0] if len(providers) == 1 else None


def _role_from_secrets(email: str) -> AppUser | None:
    roles = _secret_section("roles") or {}
    for key, value in roles.items():
        if str(key).strip().lower() != email:
            continue
        role, _, gemeente = str(value).partition(":")
        role = role.strip()
        if role not in ROLES or (role == "gemeente") != bool(gemeente.strip()):
            return None
        return AppUser(email, frozenset({role}), gemeente.strip() or None, "oidc")
    return None


def oidc_state(store: Store | None) -> AuthState:
    """Who the identity provider signed in for this browser, and the role they hold here."""
    info = st.user
    if not info.get("is_logged_in"):
        return AuthState("oidc", None)
    email = str(info.get("email") or "").strip().lower()
    if not email:
        return AuthState("oidc", None, "De identiteitsprovider gaf geen e-mailadres door.")
    if info.get("email_verified") is False:
        return AuthState("oidc", None, f"Het e-mailadres {as_text(email)} is niet bevestigd bij de identiteitsprovider.")
    row = account(store, email) if store is not None else None
    if row is not None:
        if not row.active:
            return AuthState("oidc", None, f"De toegang van {as_text(email)} is uitgeschakeld.")
        return AuthState("oidc", AppUser(email, frozenset({row.role}), row.gemeente, "oidc"))
    user = _role_from_secrets(email)
    if user is None:
        return AuthState("oidc", None, f"U bent aangemeld als {as_text(email)}, maar hebt nog geen toegang tot deze "
                                       "toepassing. Vraag het beheer om u een rol te geven.")
    return AuthState("oidc", user)


def oidc_login_page(state: AuthState) -> None:
    """The sign-in page: the provider's button, or why the signed-in address has no access."""
    st.title("Aanmelden")
    if state.problem:
        st.error(state.problem, icon=":material/lock:")  # addresses in it are escaped
        if st.button("Afmelden", key="aanmelden_afmelden"):
            st.logout()
        return
    st.write("Meld u aan met uw account van de organisatie.")
    if st.button("Aanmelden", key="aanmelden_oidc", type="primary"):
        provider = _oidc_provider()
        if provider:
            st.login(provider)
        else:
            st.login()
