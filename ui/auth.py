"""Sign-in, roles, and what each role may see and do.

Three ways in, chosen on every run (so a change of configuration or accounts counts at once):

1. **OIDC** (production): ``.streamlit/secrets.toml`` has an ``[auth]`` section. Streamlit's own
   ``st.login`` / ``st.user`` do the sign-in (``Authlib>=1.3.2`` must be installed); the e-mail the
   identity provider gives is mapped to a role by the ``users`` table (username = e-mail; a disabled
   row refuses) or, when it has no row, by a ``[roles]`` table in the secrets::

       [roles]
       "an.peeters@igemo.be" = "bestuur"
       "financien@igemo.be" = "financien"
       "jan.janssens@mechelen.be" = "gemeente:Mechelen"

   An address with ``email_verified = false`` or without a role is refused.
2. **Local accounts**: no ``[auth]``, but the ``users`` table has any account (``python -m igemo_fin
   users add``; disabled ones count too, so disabling everyone never reopens the demo): a sign-in
   form. The signed-in username lives in the session's server-side state and is looked up again on
   every run, so disabling an account ends its sessions; a reload of the browser tab starts a new
   session and asks again. After :data:`MAX_FAILURES` wrong passwords for one username within
   :data:`FAILURE_WINDOW_S`, that username is refused for :data:`LOCKOUT_S` (in this process).
3. **Demo mode**: no sign-in configured at all (no ``[auth]``, no account). Allowed only on this
   computer:

   - ``server.address`` is a loopback address (``localhost``, ``127.0.0.1``, ``::1``), or
   - ``server.address`` is empty, Streamlit's default, which listens on *every* interface: then
     only a browser on this computer (``st.context.ip_address`` is None for a loopback peer) gets
     the demo; a browser from elsewhere gets the refusal, or
   - ``IGEMO_DEMO=1`` says explicitly that the demo may be shown on the given address.

   Any other case (another address, a Unix socket behind a proxy) shows no data, only a Dutch
   message saying how to set up sign-in. In demo mode every page starts with the banner
   :data:`DEMO_BANNER`, and the demo user holds the roles bestuur, financien and beheer.

Roles (:data:`igemo_fin.records.users.ROLES`): ``bestuur`` reads everything and records decisions,
``financien`` reads everything, uploads data and sets the official thresholds, ``beheer`` manages the
accounts (and sees only that page), ``gemeente`` sees only its own projects: the pages it may open
(:data:`GEMEENTE_PAGES`) read the evaluation through :func:`ui.state.evaluation`, which passes it
through :func:`filter_for_user`, so the other projects never leave the server. Navigation shows each
role its pages (:func:`pages_for_role`); a page not in the navigation cannot be opened by URL, and
every write action calls :func:`require_role` again before it writes.
"""

from __future__ import annotations

import ipaddress
import os
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.records.store import Store, default_db_path
from igemo_fin.records.users import ROLE_WORDS, ROLES, authenticate, count_users, get_user, same_gemeente

__all__ = [
    "DEMO_BANNER",
    "AppUser",
    "AuthState",
    "app_store",
    "auth_state",
    "current_user",
    "demo_allowed",
    "filter_for_user",
    "navigation_pages",
    "pages_for_role",
    "require_role",
    "visible_projects",
]

DEMO_BANNER = "Demomodus: geen aanmelding, alleen op deze computer"
LOOPBACK = ("localhost", "127.0.0.1", "::1")
READ_ROLES = ("bestuur", "financien")
"""Roles that see every project and every reading page."""
DEMO_ROLES = frozenset({"bestuur", "financien", "beheer"})

#: Pages that only some roles may open, by the page's file name (url path). Every other page is
#: a reading page for :data:`READ_ROLES`; a new page is therefore closed to gemeente and beheer
#: until it is listed here.
PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "besluiten": ("bestuur", "financien"),       # recording: bestuur only (require_role on the page)
    "drempels_beheer": ("financien", "bestuur"),  # setting: financien only (require_role on the page)
    "gebruikers": ("beheer",),
    "gegevens": ("financien",),                  # uploads
    "mijn_gemeente": ("gemeente",),
}
#: Pages a municipality may open: they read the (filtered) evaluation only.
GEMEENTE_PAGES = ("overzicht", "project", "mijn_gemeente")

SESSION_KEY = "auth_gebruiker"
MAX_FAILURES = 5
FAILURE_WINDOW_S = 15 * 60
LOCKOUT_S = 5 * 60


@dataclass(frozen=True)
class AppUser:
    """Who uses this session."""

    name: str  #: username, e-mail address, or ``demo``
    roles: frozenset[str]
    gemeente: str | None = None  #: for role gemeente
    method: str = "lokaal"  #: ``oidc``, ``lokaal`` or ``demo``

    @property
    def label(self) -> str:
        roles = ", ".join(ROLE_WORDS[r] for r in ROLES if r in self.roles)
        return roles + (f" ({self.gemeente})" if self.gemeente else "")


@dataclass(frozen=True)
class AuthState:
    """The outcome of sign-in for this run: a user, or why there is none."""

    mode: str  #: ``oidc``, ``lokaal``, ``demo`` or ``geweigerd``
    user: AppUser | None
    problem: str = ""  #: Dutch, when there is no user for a reason the person should read


# --------------------------------------------------------------------------- the pages/ folder

#: Set in the session's state by the entry script's gate (:func:`navigation_pages`) on every run.
ENTRY_KEY = "_igemo_door_het_startscript"


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


# --------------------------------------------------------------------------- configuration

@st.cache_resource(show_spinner=False)
def _store_at(path: str) -> Store:
    return Store(path)


def app_store(*, create: bool = False) -> Store | None:
    """The store of ``IGEMO_DB`` (one per process); None when its file does not exist and not ``create``.

    Reading (is there any account? a threshold version?) never creates the database file.
    """
    path = Path(default_db_path())
    if not create and not path.is_file():
        return None
    return _store_at(str(path.resolve()))


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


def demo_allowed() -> bool:
    """Whether the demo (no sign-in) may be shown to this browser; see the module notes."""
    if os.environ.get("IGEMO_DEMO", "").strip() == "1":
        return True
    address = (st.get_option("server.address") or "").strip()
    if address in LOOPBACK:
        return True
    return address == "" and _browser_is_local()


def _browser_is_local() -> bool:
    """The browser connects from this computer (Streamlit gives no address for a loopback peer)."""
    return is_loopback_peer(st.context.ip_address)


def is_loopback_peer(peer: object) -> bool:
    """A peer address of this computer: None (Streamlit's answer for 127.0.0.1 and ::1; also AppTest's
    simulated runtime), or a loopback address, also written as IPv4 in IPv6 (``::ffff:127.0.0.1``,
    what a server listening on ``::`` sees for a browser at http://127.0.0.1; Python 3.11 does not
    call that loopback itself)."""
    if peer is None or not isinstance(peer, str):
        return True
    try:
        ip = ipaddress.ip_address(peer.split("%")[0])
    except ValueError:
        return False
    return (getattr(ip, "ipv4_mapped", None) or ip).is_loopback


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


# --------------------------------------------------------------------------- who is signed in

def _oidc_state(store: Store | None) -> AuthState:
    info = st.user
    if not info.get("is_logged_in"):
        return AuthState("oidc", None)
    email = str(info.get("email") or "").strip().lower()
    if not email:
        return AuthState("oidc", None, "De identiteitsprovider gaf geen e-mailadres door.")
    if info.get("email_verified") is False:
        return AuthState("oidc", None, f"Het e-mailadres {email} is niet bevestigd bij de identiteitsprovider.")
    row = get_user(store, email) if store is not None else None
    if row is not None:
        if not row.active:
            return AuthState("oidc", None, f"De toegang van {email} is uitgeschakeld.")
        return AuthState("oidc", AppUser(email, frozenset({row.role}), row.gemeente, "oidc"))
    user = _role_from_secrets(email)
    if user is None:
        return AuthState("oidc", None, f"U bent aangemeld als {email}, maar hebt nog geen toegang tot deze "
                                       "toepassing. Vraag het beheer om u een rol te geven.")
    return AuthState("oidc", user)


def auth_state() -> AuthState:
    """Sign-in for this run, read from the configuration, the accounts and the session."""
    store = app_store()
    if oidc_configured():
        return _oidc_state(store)
    if store is not None and count_users(store) > 0:
        name = st.session_state.get(SESSION_KEY)
        row = get_user(store, name) if name else None
        if row is None or not row.active or not row.has_password:
            st.session_state.pop(SESSION_KEY, None)
            return AuthState("lokaal", None)
        return AuthState("lokaal", AppUser(row.username, frozenset({row.role}), row.gemeente, "lokaal"))
    if demo_allowed():
        return AuthState("demo", AppUser("demo", DEMO_ROLES, None, "demo"))
    return AuthState("geweigerd", None, REFUSAL)


def current_user() -> AppUser | None:
    """The signed-in user of this session, or None."""
    return auth_state().user


REFUSAL = (
    "Er is geen aanmelding ingesteld, en zonder aanmelding toont deze toepassing de gegevens alleen op de "
    "computer waarop ze draait (demomodus). Vraag de beheerder om accounts aan te maken "
    "(`python -m igemo_fin users add NAAM --role ROL`) of de aanmelding via de identiteitsprovider in te "
    "stellen (`[auth]` in `.streamlit/secrets.toml`)."
)


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


def _page_key(page) -> str:
    """The page's file name (its url path, also for the default page)."""
    return str(getattr(page, "_url_path", None) or page.url_path or page.title).strip("/")


def _may_open(roles: frozenset[str], key: str) -> bool:
    if key in PAGE_ROLES:
        return bool(roles & set(PAGE_ROLES[key]))
    if roles & set(READ_ROLES):
        return True
    return "gemeente" in roles and key in GEMEENTE_PAGES


def pages_for_role(role: str | Iterable[str] | None, pages: Mapping[str, list]) -> dict[str, list]:
    """The navigation sections and pages that ``role`` (or a set of roles) may open.

    Sections left empty are dropped. See :data:`PAGE_ROLES`, :data:`READ_ROLES` and
    :data:`GEMEENTE_PAGES`.
    """
    roles = frozenset() if role is None else frozenset({role}) if isinstance(role, str) else frozenset(role)
    out = {}
    for section, items in pages.items():
        allowed = [p for p in items if _may_open(roles, _page_key(p))]
        if allowed:
            out[section] = allowed
    return out


# --------------------------------------------------------------------------- what a role may see

def visible_projects(role: str | Iterable[str], gemeente: str | None, evaluation: Evaluation) -> Evaluation:
    """The evaluation as ``role`` may see it.

    bestuur and financien: all of it. gemeente: only the projects of ``gemeente`` (every frame and
    array cut to them; the cash-credit table holds only what their projects draw and pay, without
    the credit limit and the interest IGEMO paid in total; warnings naming other projects dropped).
    Any other role: no project at all.
    """
    roles = frozenset({role}) if isinstance(role, str) else frozenset(role)
    if roles & set(READ_ROLES):
        return evaluation
    f = evaluation.figures
    if "gemeente" in roles and gemeente:
        keep = np.array([same_gemeente(g, gemeente) for g in f["gemeente"]], dtype=bool)
    else:
        keep = np.zeros(len(f), dtype=bool)
    return _cut(evaluation, keep)


def _cut(ev: Evaluation, keep: np.ndarray) -> Evaluation:
    f = ev.figures
    codes = f["project_code"][keep].tolist()
    others = f["project_code"][~keep].tolist()
    wanted = set(codes)
    index = {c: i for i, c in enumerate(ev.matrix.codes)}
    rows = np.array([index[c] for c in codes], dtype=int)
    matrix = replace(ev.matrix, codes=codes, net=ev.matrix.net[rows], costs=ev.matrix.costs[rows],
                     revenues=ev.matrix.revenues[rows], first=ev.matrix.first[rows], last=ev.matrix.last[rows])
    interest = replace(ev.interest, book_value=ev.interest.book_value[rows], interest=ev.interest.interest[rows],
                       average_balance=ev.interest.average_balance[rows],
                       unallocated=np.zeros_like(ev.interest.unallocated))
    yearly = ev.yearly[ev.yearly["project_code"].isin(wanted)].reset_index(drop=True)
    credit = ev.credit.copy()
    # yearly holds the years within each project's span only: what it draws is its positive book value
    by_year = yearly.assign(drawn=yearly["book_value_end"].clip(lower=0)).groupby("jaar")[["drawn", "interest"]].sum()
    credit["drawn_end"] = credit["jaar"].map(by_year["drawn"]).fillna(0.0).to_numpy()
    credit["interest"] = credit["jaar"].map(by_year["interest"]).fillna(0.0).to_numpy()
    credit["unallocated_interest"] = 0.0
    credit["kredietlimiet"] = np.nan
    credit["rente_werkelijk"] = np.nan
    warnings = tuple(w for w in ev.warnings if not any(c and str(c) in w for c in others))
    return replace(
        ev,
        figures=f[keep].reset_index(drop=True),
        rules=ev.rules[ev.rules["project_code"].isin(wanted)].reset_index(drop=True),
        yearly=yearly,
        flows=ev.flows[ev.flows["project_code"].isin(wanted)].reset_index(drop=True),
        credit=credit,
        matrix=matrix,
        interest=interest,
        warnings=warnings,
    )


def filter_for_user(ev: Evaluation) -> Evaluation:
    """The evaluation the signed-in user may see (:func:`visible_projects`); nothing without a user."""
    user = current_user()
    if user is None:
        return _cut(ev, np.zeros(len(ev.figures), dtype=bool))
    return visible_projects(user.roles, user.gemeente, ev)


# --------------------------------------------------------------------------- sign-in pages

class _Throttle:
    """Wrong passwords per username in this process: after too many, refuse for a while."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}

    def locked_for(self, name: str) -> float:
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._failures.get(name, []) if now - t < FAILURE_WINDOW_S]
            self._failures[name] = recent
            if len(recent) >= MAX_FAILURES:
                return max(0.0, LOCKOUT_S - (now - recent[-1]))
            return 0.0

    def failed(self, name: str) -> None:
        with self._lock:
            self._failures.setdefault(name, []).append(time.monotonic())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)


@st.cache_resource(show_spinner=False)
def _throttle() -> _Throttle:
    return _Throttle()


def _local_login_page() -> None:
    st.title("Aanmelden")
    st.write("Meld u aan met uw gebruikersnaam en wachtwoord van de IGEMO-projectportefeuille.")
    with st.form("aanmelden_formulier", clear_on_submit=True):
        name = st.text_input("Gebruikersnaam", key="aanmelden_naam", autocomplete="username")
        password = st.text_input("Wachtwoord", type="password", key="aanmelden_wachtwoord",
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Aanmelden", type="primary")
    if not submitted:
        return
    key = name.strip().lower()
    wait = _throttle().locked_for(key)
    if wait > 0:
        st.error(f"Te veel mislukte pogingen voor deze gebruiker. Probeer opnieuw over {int(wait // 60) + 1} "
                 "minuten.", icon=":material/lock_clock:")
        return
    store = app_store()
    user = authenticate(store, name, password) if store is not None and key else None
    if user is None:
        _throttle().failed(key)
        st.error("Onbekende gebruiker of verkeerd wachtwoord.", icon=":material/lock:")
        return
    _throttle().succeeded(key)
    st.session_state[SESSION_KEY] = user.username
    st.rerun()


def _oidc_login_page() -> None:
    state = auth_state()
    st.title("Aanmelden")
    if state.problem:
        st.error(state.problem, icon=":material/lock:")
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


def _refused_page() -> None:
    st.title("Geen toegang")
    st.error(REFUSAL, icon=":material/lock:")


def _sidebar(state: AuthState) -> None:
    user = state.user
    with st.sidebar:
        if state.mode == "demo":
            st.caption("Demomodus: zonder aanmelding, met alle rechten.")
            return
        st.caption(f"Aangemeld als **{user.name}** · {user.label}")
        if st.button("Afmelden", key="auth_afmelden", icon=":material/logout:"):
            if state.mode == "oidc":
                st.logout()
            st.session_state.pop(SESSION_KEY, None)
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
        page = {"lokaal": _local_login_page, "oidc": _oidc_login_page}.get(state.mode, _refused_page)
        st.navigation([st.Page(page, title="Aanmelden", icon=":material/login:", url_path="aanmelden")],
                      position="hidden").run()
        st.stop()
    if state.mode == "demo":  # a coloured line, not an alert: the pages' own alerts stay first in line
        st.markdown(f":orange-background[:material/info: **{DEMO_BANNER}**]")
    _sidebar(state)
    return pages_for_role(state.user.roles, pages)


def gemeenten(ev: Evaluation) -> list[str]:
    """The municipalities of the portfolio, in order of appearance (for the Gebruikers page)."""
    return list(pd.unique(ev.figures["gemeente"].dropna().astype(str)))
