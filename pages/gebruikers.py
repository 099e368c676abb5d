"""Gebruikers: the administrator manages the local accounts and roles (same as ``python -m igemo_fin users``)."""

import pandas as pd
import streamlit as st

from igemo_fin.errors import InputError
from igemo_fin.users import MIN_PASSWORD_LENGTH, ROLE_WORDS, ROLES, UserError, add_user, list_users, set_active, set_password
from ui.auth import SESSION_KEY, app_store, auth_state, require_role
from ui.governance import local_time
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
        projects = load_portfolio(source.content, source.name).projects
        known_gemeenten = list(pd.unique(projects["gemeente"].dropna().astype(str)))
    except InputError:
        pass


def done(message: str) -> None:
    st.session_state["gebruikers_melding"] = [message]
    st.rerun()


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
    submitted = st.form_submit_button("Toevoegen", type="primary")
if submitted:
    require_role("beheer")  # checked again on the server, right before writing
    try:
        if not oidc_only and password != again:
            raise UserError("de twee wachtwoorden verschillen")
        created = add_user(app_store(create=True), name, role=role, gemeente=(gemeente or None) if role == "gemeente"
                           else None, password=None if oidc_only else password)
    except UserError as error:
        st.error(f"Niet toegevoegd: {error}.", icon=":material/error:")
    else:
        done(f"Gebruiker '{created.username}' toegevoegd met de rol {created.role_label}.")

if users:
    st.subheader("Gebruiker uitschakelen, inschakelen of nieuw wachtwoord")
    names = [u.username for u in users]
    chosen = st.selectbox("Gebruiker", names, key="gebruikers_keuze")
    target = next(u for u in users if u.username == chosen)
    c1, c2 = st.columns(2)
    if target.active:
        if c1.button("Uitschakelen", key="gebruikers_uitschakelen"):
            require_role("beheer")
            if chosen == st.session_state.get(SESSION_KEY):
                st.error("U kunt uzelf niet uitschakelen: vraag dat aan een andere beheerder.", icon=":material/error:")
            else:
                set_active(app_store(create=True), chosen, False)
                done(f"Gebruiker '{chosen}' is uitgeschakeld: die kan zich niet meer aanmelden.")
    elif c1.button("Weer inschakelen", key="gebruikers_inschakelen"):
        require_role("beheer")
        set_active(app_store(create=True), chosen, True)
        done(f"Gebruiker '{chosen}' is weer ingeschakeld.")
    with c2.form("gebruikers_wachtwoord_form", clear_on_submit=True):
        new = st.text_input("Nieuw wachtwoord", type="password", key="gebruikers_nieuw_wachtwoord",
                            autocomplete="new-password")
        new_again = st.text_input("Nieuw wachtwoord nogmaals", type="password", key="gebruikers_nieuw_wachtwoord2",
                                  autocomplete="new-password")
        change = st.form_submit_button("Wachtwoord wijzigen")
    if change:
        require_role("beheer")
        try:
            if new != new_again:
                raise UserError("de twee wachtwoorden verschillen")
            set_password(app_store(create=True), chosen, new)
        except UserError as error:
            st.error(f"Niet gewijzigd: {error}.", icon=":material/error:")
        else:
            done(f"Het wachtwoord van '{chosen}' is gewijzigd.")
