"""Gegevens: finance uploads ledger exports and portfolio workbooks; history, versions, data quality."""

import dataclasses
import os

import pandas as pd
import streamlit as st

from igemo_fin.errors import InputError
from igemo_fin.exports.workbook_writer import empty_template
from igemo_fin.fmt import eur, local_time, number
from igemo_fin.ingest import COUNT_LABELS, store_ledger, store_workbook
from igemo_fin.inputs.example_ledger import example_ledger
from igemo_fin.inputs.filesafety import LEDGER_FORMATS
from igemo_fin.records.profiles import ProfileError, save_profile
from igemo_fin.valuation.realised import actuals_against_forecast, realised_this_year
from igemo_fin.records.store import Store
from igemo_fin.records.versions import describe_changes
from ui import store_source as data
from ui import uploads
from ui.auth import current_user, require_role
from ui.column_mapping import mapping_step, profiles_panel
from ui.state import current_source, load_portfolio, valuation_year
from ui.tables import show_refusal_table
from ui.styled_table import show_table

MONEY2 = 2  # amounts on this page are shown to the cent, as finance books them


def _signed_in_name(user) -> str | None:
    """The name an upload is recorded under when someone is signed in (local account or OIDC); None in
    demo mode (nobody signed in), where the uploader types a name."""
    if user is None or getattr(user, "method", "demo") == "demo":
        return None
    return user.name


def _uploader_at_write(typed: str) -> str:
    """Who the import is recorded under, read again on the server right before writing."""
    return _signed_in_name(require_role("financien")) or typed


st.title("Gegevens")
st.write("Hier laadt de financiële dienst de grootboekexport en het portefeuillewerkboek op. Elk bestand wordt "
         "eerst volledig gecontroleerd: het wordt helemaal opgeslagen of helemaal geweigerd, nooit half. "
         "Hetzelfde bestand twee keer opladen voegt niets toe.")

# a message from the previous run (after saving, the page reruns so every table is up to date)
for kind, text in st.session_state.pop("gegevens_melding", []):
    (st.success if kind == "ok" else st.info)(text, icon=":material/check_circle:" if kind == "ok" else None)

source = current_source()
portfolio = None
if source is not None:
    try:
        portfolio = load_portfolio(source.content, source.name, source.sha256)
    except InputError:
        portfolio = None
path = data.db_path()
key = data.db_key()
env_workbook = os.environ.get("IGEMO_WORKBOOK")
if env_workbook:
    st.info(f"Het dashboard toont het werkboek uit de instelling IGEMO_WORKBOOK ({os.path.basename(env_workbook)}) "
            "zoals het is: niet de opgeslagen versies en zonder het grootboek. Wat u hier oplaadt, wordt wel bewaard.",
            icon=":material/info:")
st.caption(f"Databank: {path}" + ("" if key else " (nog leeg: ze wordt aangemaakt bij de eerste import)"))

signed_in = _signed_in_name(current_user())
if signed_in is not None:
    uploader = signed_in
    st.caption(f"Wat u hier opslaat, wordt bewaard op naam van **{signed_in}** (aangemeld).")
else:  # demo mode: nobody is signed in, so the uploader says who they are
    naam = st.text_input("Uw naam", key="gegevens_naam", placeholder="bv. An Peeters",
                         help="Wordt bewaard bij elke import en elke versie, zodat later te zien is wie wat oplaadde.")
    uploader = naam.strip()

tab_ledger, tab_book = st.tabs(["Grootboek", "Portefeuillewerkboek"])

# --------------------------------------------------------------------------- ledger
with tab_ledger:
    st.subheader("Grootboekexport opladen")
    basis = source.label if (source is not None and portfolio is not None) else None
    st.caption(f"Een export van de grootboekregels uit het boekhoudpakket ({', '.join(LEDGER_FORMATS)}). Projectcodes en de indeling "
               "van de rekeningen volgen " + (basis or "het standaardrekeningschema (nog geen portefeuille)") + ".")
    upload = st.file_uploader("Grootboekexport (Excel, OpenDocument of tekst)", type=[f.lstrip(".") for f in LEDGER_FORMATS],
                              key="gegevens_grootboek_bestand")
    if upload is not None:
        content = upload.getvalue()
        context = None if source is None else source.sha256
        outcome = uploads.ledger_upload(content, upload.name, portfolio, context)
        picked, signature = None, None
        if outcome.preview is not None:  # not recognised, no profile: the user picks the columns
            picked, signature = mapping_step(outcome.preview, upload.name)
            if picked is not None:
                outcome = uploads.ledger_upload(content, upload.name, portfolio, context, mapping=picked,
                                                sheet=outcome.preview.sheet)
        if outcome.preview is not None:
            pass  # the mapping step says what is still missing
        elif outcome.upload is None:
            st.error(f"Het bestand '{upload.name}' wordt geweigerd: {len(outcome.problems)} probleem/problemen. "
                     "Er is niets opgeslagen. Verbeter het bestand en laad het opnieuw op.",
                     icon=":material/block:")
            show_refusal_table(outcome.problems, key="gegevens_grootboek_fouten")
        elif outcome.upload.already_imported:
            report = outcome.upload.report
            st.info(f"Dit bestand is al geïmporteerd op {local_time(report.imported_at, joiner=' om ')}: opnieuw "
                    f"opslaan voegt niets toe ({report.counts}).", icon=":material/info:")
        else:
            report, read = outcome.upload.report, outcome.upload.read
            if report.profile:
                st.caption(f"De kolommen zijn gelezen volgens het bewaarde profiel '{report.profile}'.")
            c1, c2, c3, c4 = st.columns(4)
            c1.metric(COUNT_LABELS["rows_read"], number(report.rows_read))
            c2.metric(COUNT_LABELS["rows_imported"], number(report.rows_imported),
                      help="Regels met een gekende projectcode op een kosten- of opbrengstenrekening.")
            c3.metric(COUNT_LABELS["rows_skipped"], number(len(report.rows_skipped)),
                      help="Regels zonder project, met een onbekende projectcode of op een rekening die niet "
                           "meetelt; de boekingen worden wel bewaard en hieronder opgesomd.")
            c4.metric("Saldo van het bestand", eur(read.net_total_cents / 100, MONEY2),
                      help="Credit min debet van alle regels (ontvangsten positief).")
            if read.file_total_cents is not None:
                st.caption(f"De totaalregel van het bestand klopt met de som van de regels "
                           f"({eur(read.file_total_cents / 100, MONEY2)}).")
            st.markdown("**Totalen per project en categorie** (ontvangsten positief, uitgaven negatief)")
            totals = data.totals_table(read.actual_lines)
            money_cols = [c for c in totals.columns if c != "Project"]
            show_table(totals, money=money_cols, decimals=MONEY2, hide_index=True, width="stretch",
                       key="gegevens_grootboek_totalen")
            if not read.skipped.empty:
                detail, by_kind = data.skipped_tables(read.skipped)
                st.markdown("**Niet meegeteld als projectcijfer**")
                show_table(by_kind, money=["Bedrag"], decimals=MONEY2, hide_index=True,
                           key="gegevens_grootboek_overgeslagen_soort")
                with st.expander(f"Alle {len(detail)} niet meegetelde regels"):
                    show_table(detail, money=["Bedrag"], decimals=MONEY2, hide_index=True, width="stretch",
                               key="gegevens_grootboek_overgeslagen")
            with st.expander("Regels zoals ze worden opgeslagen" + (" (eerste 500)" if len(read.lines) > 500 else ""),
                             expanded=picked is not None):
                show_table(data.lines_table(read.lines), money=["Bedrag"], decimals=MONEY2, hide_index=True,
                           width="stretch", key="gegevens_grootboek_regels")
            profile_name = ""
            if picked is not None:
                profile_name = st.text_input("Naam van het kolomprofiel", key="gegevens_profiel_nieuw",
                                             placeholder="bv. Octopus - grootboekkaart",
                                             help="De gekozen kolommen worden onder deze naam bewaard; de volgende "
                                                  "export met dezelfde kolomkoppen wordt dan zonder vragen ingelezen.")
            missing = "uw naam" if not uploader else ("een naam voor het profiel" if picked is not None
                                                      and not profile_name.strip() else None)
            if missing:
                st.caption(f"Vul eerst {missing} in om op te slaan.")
            if st.button("Bevestigen en opslaan", type="primary", disabled=missing is not None,
                         key="gegevens_grootboek_opslaan"):
                store, who = Store(path), _uploader_at_write(uploader)
                prepared = outcome.upload
                try:
                    if picked is not None:
                        saved = save_profile(store, profile_name, picked, signature, saved_by=who)
                        prepared = dataclasses.replace(prepared, report=dataclasses.replace(prepared.report,
                                                                                            profile=saved.name))
                except ProfileError as error:
                    st.error(f"Niets opgeslagen: {error}.", icon=":material/block:")
                else:
                    done = store_ledger(store, prepared, uploader=who)
                    st.session_state["gegevens_melding"] = [("ok" if not done.already_imported else "info",
                                                             done.message)]
                    st.rerun()

    st.subheader("Kolomprofielen")
    profiles_panel(data.stored_profiles(str(path), key) if key else [], lambda: Store(path), uploader,
                   lambda: _uploader_at_write(uploader))

    st.subheader("Importgeschiedenis")
    history = data.stored_history(str(path), key) if key else pd.DataFrame()
    if history.empty:
        st.info("Er is nog geen grootboekexport geïmporteerd.")
    else:
        show_table(data.history_table(history), money=["Saldo bestand", "Saldo toegevoegd"], decimals=MONEY2,
                   hide_index=True, width="stretch", key="gegevens_geschiedenis")

# --------------------------------------------------------------------------- workbook
with tab_book:
    st.subheader("Portefeuillewerkboek opladen")
    st.caption("Het werkboek met de projecten, kasstromen, het kaskrediet en de drempels (zie het lege sjabloon "
               "onderaan). Elke opgeladen versie wordt bewaard; het dashboard toont de nieuwste.")
    book = st.file_uploader("Portefeuillewerkboek (.xlsx)", type=["xlsx"], key="gegevens_werkboek_bestand")
    if book is not None:
        content = book.getvalue()
        outcome = uploads.workbook_upload(content, book.name)
        wp = outcome.upload
        if wp is None:
            st.error(f"Het werkboek '{book.name}' wordt geweigerd: {len(outcome.problems)} probleem/problemen. Er is "
                     "niets opgeslagen.", icon=":material/block:")
            show_refusal_table(outcome.problems, key="gegevens_werkboek_fouten")
        elif wp.same_as_latest:
            st.info(f"Dit werkboek is identiek aan de nieuwste versie (versie {wp.latest_id}): er is niets op te slaan.",
                    icon=":material/info:")
        else:
            count, active = wp.project_counts
            st.markdown(f"**{count} projecten**, {active} actief. "
                        + ("Tegenover versie " + str(wp.latest_id) + ": " if wp.latest_id else "")
                        + describe_changes(wp.summary))
            for title, table in data.changes_tables(wp.summary).items():
                st.markdown(f"**{title}**")
                money = [c for c in table.columns if c.startswith(("Kosten", "Opbrengsten", "Netto"))]
                show_table(table, money=money, hide_index=True, width="stretch")
            for warning in wp.portfolio.warnings:
                st.warning(warning)
            if not uploader:
                st.caption("Vul eerst uw naam in om op te slaan.")
            if st.button("Bevestigen en opslaan", type="primary", disabled=not uploader,
                         key="gegevens_werkboek_opslaan"):
                done = store_workbook(Store(path), wp, uploader=_uploader_at_write(uploader))
                st.session_state[data.STATE_KEY] = None  # show the new version everywhere
                st.session_state.pop("gegevens_versie_keuze", None)
                st.session_state["gegevens_melding"] = [("ok" if not done.already_latest else "info", done.message)]
                st.rerun()

    st.subheader("Versies")
    versions = data.stored_versions(str(path), key) if key else pd.DataFrame()
    if versions.empty:
        st.info("Er is nog geen portefeuillewerkboek opgeslagen: het dashboard toont "
                + ("het werkboek uit IGEMO_WORKBOOK." if env_workbook else "de demogegevens (fictief)."))
    else:
        ids = [int(v) for v in versions["id"]]
        chosen = st.session_state.get(data.STATE_KEY)
        chosen = chosen if chosen in ids else None
        shown = chosen if chosen is not None else ids[0]
        st.dataframe(data.versions_table(versions, shown=None if env_workbook else shown), hide_index=True,
                     width="stretch", key="gegevens_versies",
                     column_config={"Wijzigingen": st.column_config.TextColumn(width="large")})
        labels = {int(r["id"]): data.version_label(r["id"], r["uploaded_at"], r["filename"])
                  for r in versions.to_dict("records")}

        def _remember_version() -> None:
            picked = st.session_state["gegevens_versie_keuze"]
            st.session_state[data.STATE_KEY] = int(picked) or None  # 0: the newest, whatever it will be

        st.session_state.setdefault("gegevens_versie_keuze", chosen or 0)
        st.selectbox("Versie die het dashboard toont", [0, *ids], key="gegevens_versie_keuze",
                     on_change=_remember_version,
                     format_func=lambda v: "De nieuwste versie (automatisch)" if not v else labels[v],
                     help="Kies een oudere versie om het hele dashboard met die cijfers te bekijken. "
                          "Geldt enkel voor uw sessie.", disabled=bool(env_workbook))
        if chosen is not None and chosen != ids[0]:
            st.warning(f"Het dashboard toont nu een oudere versie: {labels[chosen]}.", icon=":material/history:")

# --------------------------------------------------------------------------- data quality
st.header("Datakwaliteit")
if portfolio is None:
    st.info("Er is geen bruikbaar portefeuillewerkboek om het grootboek mee te vergelijken.")
elif key is None:
    st.info("Er is nog geen grootboek geïmporteerd.")
else:
    V = valuation_year(portfolio)
    quality = data.stored_quality(str(path), key, source.sha256, portfolio)
    st.caption(f"Alle {number(quality.lines_total)} opgeslagen grootboekregels tegenover {source.label}; "
               f"{number(quality.lines_used)} ervan tellen als projectcijfer.")
    if source.is_demo:
        st.info("Het dashboard toont de demogegevens (fictief): het grootboek wordt er niet in verwerkt. Laad een "
                "portefeuillewerkboek op om de werkelijke cijfers te gebruiken.", icon=":material/info:")
    q1, q2, q3 = st.columns(3)
    q1.metric("Onbekende projectcodes", number(len(quality.unknown_projects)))
    q2.metric("Rekeningen die niet meetellen", number(len(quality.accounts)))
    q3.metric("Regels zonder projectcode", number(quality.lines_without_project))
    if not quality.unknown_projects.empty:
        st.markdown("**Projectcodes die niet in de portefeuille staan** (hun regels tellen niet mee)")
        unknown = quality.unknown_projects.rename(columns={"project_code": "Projectcode", "lines": "Regels",
                                                           "amount": "Bedrag", "first_date": "Eerste",
                                                           "last_date": "Laatste"})
        for col in ("Eerste", "Laatste"):
            unknown[col] = pd.to_datetime(unknown[col]).dt.strftime("%d/%m/%Y")
        show_table(unknown, money=["Bedrag"], decimals=MONEY2, hide_index=True, key="gegevens_onbekend")
    if not quality.accounts.empty:
        st.markdown("**Rekeningen die genegeerd worden of bij geen categorie horen**")
        accounts = quality.accounts.assign(category=quality.accounts["category"].map(data.CATEGORY_NL)).rename(
            columns={"account": "Rekening", "category": "Indeling", "lines": "Regels", "amount": "Bedrag"})
        show_table(accounts, money=["Bedrag"], decimals=MONEY2, hide_index=True, key="gegevens_rekeningen")
    if not quality.no_project.empty:
        st.markdown("**Kosten en opbrengsten zonder projectcode**")
        loose = quality.no_project.assign(category=quality.no_project["category"].map(data.CATEGORY_NL)).rename(
            columns={"account": "Rekening", "category": "Categorie", "lines": "Regels", "amount": "Bedrag"})
        show_table(loose, money=["Bedrag"], decimals=MONEY2, hide_index=True, key="gegevens_zonder_project")
    if not quality.recategorised.empty:
        st.warning("Sommige rekeningen zijn bij de import anders ingedeeld dan het blad 'rekeningen' van dit werkboek "
                   "nu zegt. De waardering gebruikt de indeling van bij de import.", icon=":material/warning:")
        moved = quality.recategorised.assign(
            category=quality.recategorised["category"].map(data.CATEGORY_NL),
            current=quality.recategorised["current"].map(data.CATEGORY_NL)).rename(
            columns={"account": "Rekening", "category": "Bij de import", "current": "Volgens het werkboek",
                     "lines": "Regels", "amount": "Bedrag"})
        show_table(moved, money=["Bedrag"], decimals=MONEY2, hide_index=True, key="gegevens_herindeling")

    actuals = data.stored_portfolio_actuals(source, portfolio)
    st.subheader("Grootboek tegenover de prognose, voorbije jaren")
    st.caption(f"Voor de jaren vóór {V} vervangt het grootboek de prognose van een project zodra het regels heeft "
               "voor dat project en jaar. Een groot verschil wijst op ontbrekende of verkeerd gecodeerde boekingen.")
    past = actuals_against_forecast(actuals, portfolio, V) if actuals is not None else pd.DataFrame()
    if past.empty:
        st.info(f"Het grootboek heeft geen regels vóór {V} op projecten van deze portefeuille.")
    else:
        table = data.past_table(past)
        show_table(table, money=[c for c in table.columns if c not in ("Code", "Jaar")],
                   hide_index=True, width="stretch", key="gegevens_verleden",
                   column_config={"Code": st.column_config.TextColumn(width="small"),
                                  "Jaar": st.column_config.TextColumn(width="small")})

    st.subheader(f"Gerealiseerd in {V}")
    st.caption(f"Grootboekregels van {V} tegenover de prognose van {V}. Ze tellen nog niet mee in de waardering "
               f"(die gebeurt op 01/01/{V}).")
    realised = realised_this_year(actuals, portfolio, V) if actuals is not None else pd.DataFrame()
    if realised.empty or not (realised["realised_costs"].abs().sum() + realised["realised_revenues"].abs().sum()):
        st.info(f"Het grootboek heeft nog geen regels van {V} op projecten van deze portefeuille.")
    else:
        table = data.realised_table(realised)
        show_table(table, money=[c for c in table.columns if "prognose" in c or "gerealiseerd" in c],
                   hide_index=True, width="stretch", key="gegevens_gerealiseerd")

# --------------------------------------------------------------------------- templates
# The files are made when the button is clicked (a callable), not on every run of the page.
st.header("Sjablonen")
d1, d2, d3 = st.columns(3)
d1.download_button("Leeg portefeuillewerkboek (.xlsx)", lambda: empty_template(), file_name="portefeuille_sjabloon.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:", key="gegevens_sjabloon")
d2.download_button("Voorbeeld grootboekexport (.xlsx)", lambda: example_ledger("xlsx"),
                   file_name="voorbeeld_grootboek.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:", key="gegevens_voorbeeld_xlsx")
d3.download_button("Voorbeeld grootboekexport (.csv)", lambda: example_ledger("csv"), file_name="voorbeeld_grootboek.csv",
                   mime="text/csv", icon=":material/download:", key="gegevens_voorbeeld_csv")
st.caption("Het voorbeeld gebruikt de projectcodes van de demoportefeuille en fictieve bedragen: een titelregel, "
           "kolommen debet en credit, Belgische bedragen en een totaalregel, zoals een boekhoudpakket ze exporteert.")
