"""Gebruikers: the administrator manages the local accounts and roles (same as ``python -m igemo_fin users``).

Every change is recorded in the account history (igemo_fin.records.account_log) under the signed-in user's
name, with the reason when one is given; the history is shown at the bottom (this page is beheer's only).
"""

import pandas as pd
import streamlit as st

from igemo_fin.records.account_log import ACTION_WORDS, VIA_WORDS, Actor, account_changes
from igemo_fin.errors import InputError
from igemo_fin.records.users import (MIN_PASSWORD_LENGTH, ROLE_WORDS, ROLES, UserError, add_user, list_users, set_active,
                             set_password, set_role)
from igemo_fin.fmt import local_time
from ui.auth import auth_state, require_role
from ui.database import app_store
from ui.governance import log_badge
from ui.local_signin import SESSION_KEY
from ui.state import current_source, load_portfolio

user = require_role("beheer")
store = app_store()

st.title("Gebruikers")
st.write("Wie de toepassing mag gebruiken en met welke rol. **Bestuur** leest alles en legt besluiten vast; "
         "**Financiën** leest alles, laadt gegevens op en legt de officiële drempels vast; **Beheer** beheert de "
         "gebruikers; **Gemeente** ziet alleen de projecten van die gemeente en het verlies dat ze draagt. "
         "Bij aanmelden via de identiteitsprovider is de gebruikersnaam het e-mailadres.")
if auth_state().mode == "demo":
    st.warning("U werkt in demomodus. Zodra u een gebruiker met een wachtwoord toevoegt, eindigt de demomodus en "
               "moet iedereen zich aanmelden: maak dus eerst een gebruiker met de rol Beheer.",
               icon=":material/info:")
for text in st.session_state.pop("gebruikers_melding", []):
    st.success(text, icon=":material/check_circle:")
if st.session_state.pop("gebruikers_wissen", False):  # after a change: an empty reason for the next one
    st.session_state["gebruikers_reden"] = ""

users = list_users(store) if store is not None else []
if users:
    st.dataframe(pd.DataFrame([{
        "Gebruiker": u.username, "Rol": ROLE_WORDS[u.role], "Gemeente": u.gemeente or "",
        "Actief": "ja" if u.active else "nee",
        "Aanmelden met": "wachtwoord" if u.has_password else "identiteitsprovider",
        "Aangemaakt": local_time(u.created_at),
    } for u in users]), hide_index=True, width="stretch", key="gebruikers_tabel")
else:
    st.info("Er zijn nog geen gebruikers.")

known_gemeenten: list[str] = []
source = current_source()
if source is not None:
    try:
        projects = load_portfolio(source.content, source.name, source.sha256).projects
        known_gemeenten = list(pd.unique(projects["gemeente"].dropna().astype(str)))
    except InputError:
        pass


def done(message: str) -> None:
    st.session_state["gebruikers_melding"] = [message]
    st.session_state["gebruikers_wissen"] = True
    st.rerun()


def signed_actor() -> tuple[str, Actor]:
    """Right before every write: the role checked again on the server; the change goes under this name."""
    signed = require_role("beheer")
    return signed.name, Actor.app(signed.name)


def is_self(name: str, signed_name: str) -> bool:
    return name in (st.session_state.get(SESSION_KEY), signed_name)


st.subheader("Gebruiker toevoegen")
with st.form("gebruikers_nieuw", clear_on_submit=True):
    name = st.text_input("Gebruikersnaam of e-mailadres", key="gebruikers_naam")
    role = st.selectbox("Rol", ROLES, key="gebruikers_rol", format_func=ROLE_WORDS.get)
    gemeente = st.selectbox("Gemeente (alleen bij de rol Gemeente)", [""] + known_gemeenten, key="gebruikers_gemeente",
                            accept_new_options=True)
    oidc_only = st.checkbox("Alleen aanmelden via de identiteitsprovider (geen wachtwoord)", key="gebruikers_oidc")
    password = st.text_input(f"Wachtwoord (minstens {MIN_PASSWORD_LENGTH} tekens)", type="password",
                             key="gebruikers_wachtwoord", autocomplete="new-password")
    again = st.text_input("Wachtwoord nogmaals", type="password", key="gebruikers_wachtwoord2",
                          autocomplete="new-password")
    new_reason = st.text_input("Reden (optioneel, komt in de geschiedenis)", key="gebruikers_reden_nieuw",
                               max_chars=4000)
    submitted = st.form_submit_button("Toevoegen", type="primary")
if submitted:
    _, actor = signed_actor()
    try:
        if not oidc_only and password != again:
            raise UserError("de twee wachtwoorden verschillen")
        created = add_user(app_store(create=True), name, role=role, gemeente=(gemeente or None) if role == "gemeente"
                           else None, password=None if oidc_only else password, by=actor, reason=new_reason)
    except UserError as error:
        st.error(f"Niet toegevoegd: {error}.", icon=":material/error:")
    else:
        done(f"Gebruiker '{created.username}' toegevoegd met de rol {created.role_label}.")

if users:
    st.subheader("Gebruiker wijzigen: rol, uitschakelen of inschakelen, nieuw wachtwoord")
    names = [u.username for u in users]
    chosen = st.selectbox("Gebruiker", names, key="gebruikers_keuze")
    target = next(u for u in users if u.username == chosen)
    reason = st.text_input("Reden van de wijziging (optioneel, komt in de geschiedenis)", key="gebruikers_reden",
                           max_chars=4000)
    c1, c2 = st.columns(2)
    if target.active:
        if c1.button("Uitschakelen", key="gebruikers_uitschakelen"):
            signed_name, actor = signed_actor()
            if is_self(chosen, signed_name):
                st.error("U kunt uzelf niet uitschakelen: vraag dat aan een andere beheerder.", icon=":material/error:")
            else:
                set_active(app_store(create=True), chosen, False, by=actor, reason=reason)
                done(f"Gebruiker '{chosen}' is uitgeschakeld: die kan zich niet meer aanmelden.")
    elif c1.button("Weer inschakelen", key="gebruikers_inschakelen"):
        _, actor = signed_actor()
        set_active(app_store(create=True), chosen, True, by=actor, reason=reason)
        done(f"Gebruiker '{chosen}' is weer ingeschakeld.")
    with c1.form("gebruikers_rol_form"):
        new_role = st.selectbox("Nieuwe rol", ROLES, index=ROLES.index(target.role), key="gebruikers_nieuwe_rol",
                                format_func=ROLE_WORDS.get)
        new_gemeente = st.selectbox("Gemeente (alleen bij de rol Gemeente)", [""] + known_gemeenten,
                                    key="gebruikers_nieuwe_gemeente", accept_new_options=True)
        change_role = st.form_submit_button("Rol wijzigen")
    if change_role:
        signed_name, actor = signed_actor()
        try:
            if is_self(chosen, signed_name) and new_role != "beheer":
                raise UserError("u kunt uw eigen rol Beheer niet afgeven: vraag dat aan een andere beheerder")
            changed = set_role(app_store(create=True), chosen, new_role,
                               (new_gemeente or None) if new_role == "gemeente" else None, by=actor, reason=reason)
        except UserError as error:
            st.error(f"Niet gewijzigd: {error}.", icon=":material/error:")
        else:
            if changed is None:
                st.info(f"Gebruiker '{chosen}' heeft die rol al.", icon=":material/info:")
            else:
                done(f"Gebruiker '{chosen}': {changed.description}.")
    with c2.form("gebruikers_wachtwoord_form", clear_on_submit=True):
        new = st.text_input("Nieuw wachtwoord", type="password", key="gebruikers_nieuw_wachtwoord",
                            autocomplete="new-password")
        new_again = st.text_input("Nieuw wachtwoord nogmaals", type="password", key="gebruikers_nieuw_wachtwoord2",
                                  autocomplete="new-password")
        change = st.form_submit_button("Wachtwoord wijzigen")
    if change:
        _, actor = signed_actor()
        try:
            if new != new_again:
                raise UserError("de twee wachtwoorden verschillen")
            set_password(app_store(create=True), chosen, new, by=actor, reason=reason)
        except UserError as error:
            st.error(f"Niet gewijzigd: {error}.", icon=":material/error:")
        else:
            done(f"Het wachtwoord van '{chosen}' is gewijzigd.")

st.subheader("Geschiedenis van de accounts")
st.write("Elke wijziging aan een account, in de toepassing of met `python -m igemo_fin users`: wie ze maakte, "
         "wanneer en waarom. Wachtwoorden staan er nooit in. De geschiedenis kan alleen aangevuld worden; elke regel "
         "is met een hash aan de vorige gekoppeld.")
log_badge(store)
history = account_changes(store) if store is not None else []
if not history:
    st.info("Er zijn nog geen wijzigingen vastgelegd.")
else:
    st.dataframe(pd.DataFrame([{
        "Nr": c.id, "Tijdstip": local_time(c.changed_at), "Gebruiker": c.username,
        "Wijziging": ACTION_WORDS[c.action], "Details": c.description,
        "Door": c.changed_by + (f" (systeemgebruiker {c.os_user})" if c.os_user and c.os_user != c.changed_by else ""),
        "Via": VIA_WORDS[c.via], "Reden": c.reason or "–", "Hash": c.entry_hash[:12] + "…",
    } for c in reversed(history)]), hide_index=True, width="stretch", key="gebruikers_geschiedenis",
        column_config={"Reden": st.column_config.TextColumn(width="large")})
    st.caption("Nieuwste bovenaan; tijdstippen in Belgische tijd. `python -m igemo_fin users log` toont hetzelfde, "
               "`python -m igemo_fin audit verify` controleert de hashketen.")
