"""The Gegevens page's widgets for column mappings: the mapping step and the saved profiles.

:func:`mapping_step` is shown when the header of a ledger export is not recognised (or is ambiguous)
and no saved profile applies: the user sees the first rows, picks per field the column (for amounts
one signed column, or debit and credit; the decimal mark), and gets a
:class:`~igemo_fin.inputs.ledger_mapping.ColumnMapping` back to preview and confirm. :func:`profiles_panel`
lists the saved profiles and lets finance rename, change or remove them.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from igemo_fin.inputs.ledger_mapping import ColumnMapping, LedgerPreview, header_signature
from igemo_fin.fmt import local_time
from igemo_fin.records.profiles import ProfileError, remove_profile, update_profile
from igemo_fin.records.store import Store

__all__ = ["FIELD_LABELS", "mapping_step", "profiles_panel", "profiles_table"]

FIELD_LABELS = {"date": "Datum", "account": "Rekening", "project": "Projectcode", "amount": "Bedrag (met teken)",
                "debit": "Debet", "credit": "Credit", "description": "Omschrijving", "journal": "Dagboek",
                "document": "Document"}
"""The fields of a mapping in Dutch."""
NONE = "(geen)"
SIGNED, TWO = "Eén kolom met teken (debet − credit)", "Twee kolommen: debet en credit"
MARKS = {",": "komma (1.234,56)", ".": "punt (1,234.56)"}


def _header_cells(preview: LedgerPreview, row: int) -> list[str]:
    if 1 <= row <= len(preview.first_rows):
        return [c for c in preview.first_rows.iloc[row - 1].tolist() if str(c).strip()]
    return [c for c in preview.header if str(c).strip()]


def _pick(label: str, options: list[str], guess: str | None, key: str, required: bool) -> str | None:
    choices = [NONE, *options]
    index = choices.index(guess) if guess in choices else 0
    value = st.selectbox(label + (" *" if required else ""), choices, index=index, key=key)
    return None if value == NONE else value


def mapping_step(preview: LedgerPreview, filename: str) -> tuple[ColumnMapping | None, str]:
    """Ask which column holds which field; the mapping (None until it is complete) and the header's signature."""
    st.warning(f"De kolommen van '{filename}' zijn niet eenduidig herkend: " + " ".join(preview.problems)
               + " Kies hieronder per gegeven de kolom. U ziet meteen de ingelezen regels en de totalen; er wordt "
               "pas iets opgeslagen als u bevestigt.", icon=":material/table_view:")
    st.markdown("**De eerste rijen van het bestand**" + (f" (blad '{preview.sheet}')" if preview.sheet else ""))
    shown = preview.first_rows.copy()
    shown.index = range(1, len(shown) + 1)
    st.dataframe(shown, width="stretch", key="gegevens_kolom_voorbeeld")
    default_row = preview.header_row or next(
        (i + 1 for i, r in enumerate(preview.first_rows.itertuples(index=False))
         if header_signature(list(r)) == preview.signature), 1)
    row = int(st.number_input("Rij met de kolomkoppen", min_value=1, max_value=max(len(preview.first_rows), 1),
                              value=default_row, step=1, key="gegevens_kolom_rij"))
    options = _header_cells(preview, row)
    guess = preview.recognised
    c1, c2, c3 = st.columns(3)
    with c1:
        date = _pick("Datum", options, guess.get("date"), "gegevens_kolom_datum", True)
        account = _pick("Rekening", options, guess.get("account"), "gegevens_kolom_rekening", True)
        project = _pick("Projectcode", options, guess.get("project"), "gegevens_kolom_project", False)
    with c2:
        mode = st.radio("Bedragen", [SIGNED, TWO], key="gegevens_kolom_bedragen",
                        index=1 if ("debit" in guess or "credit" in guess) and "amount" not in guess else 0)
        if mode == SIGNED:
            amount = _pick("Bedrag (met teken)", options, guess.get("amount"), "gegevens_kolom_bedrag", True)
            debit = credit = None
        else:
            amount = None
            debit = _pick("Debet", options, guess.get("debit"), "gegevens_kolom_debet", True)
            credit = _pick("Credit", options, guess.get("credit"), "gegevens_kolom_credit", True)
        mark = st.radio("Decimaalteken", list(MARKS), format_func=MARKS.get, key="gegevens_kolom_decimaal",
                        horizontal=True)
    with c3:
        description = _pick("Omschrijving", options, guess.get("description"), "gegevens_kolom_omschrijving", False)
        journal = _pick("Dagboek", options, guess.get("journal"), "gegevens_kolom_dagboek", False)
        document = _pick("Document", options, guess.get("document"), "gegevens_kolom_document", False)
    signature = header_signature(options)
    if not options or None in (date, account) or (amount is None and None in (debit, credit)):
        st.info("Kies minstens de datum, de rekening en het bedrag (of debet en credit).", icon=":material/info:")
        return None, signature
    return ColumnMapping(date=date, account=account, project=project, amount=amount, debit=debit, credit=credit,
                         description=description, journal=journal, document=document, decimal_mark=mark,
                         header_row=row), signature


def profiles_table(profiles) -> pd.DataFrame:
    """The saved profiles as a Dutch table: name, the columns per field, who saved them and when."""
    return pd.DataFrame({
        "Profiel": [p.name for p in profiles],
        "Kolommen": ["; ".join(f"{FIELD_LABELS[f]}: {c}" for f, c in p.mapping.fields().items()) for p in profiles],
        "Decimaalteken": [MARKS[p.mapping.decimal_mark] for p in profiles],
        "Bewaard door": [p.saved_by for p in profiles],
        "Bewaard op": [local_time(p.saved_at, joiner=' om ') for p in profiles],
    })


def profiles_panel(profiles: list, store: Callable[[], Store], who: str, on_write: Callable[[], str]) -> None:
    """The saved profiles; rename, change the columns or remove one. ``store()`` opens the database to
    write to; ``on_write()`` returns who writes (the role check right before every write)."""
    if not profiles:
        st.caption("Nog geen kolomprofielen. Een profiel wordt bewaard wanneer u bij een onbekende export de "
                   "kolommen kiest en bevestigt.")
        return
    st.dataframe(profiles_table(profiles), hide_index=True, width="stretch", key="gegevens_profielen")
    by_name = {p.name: p for p in profiles}
    chosen = st.selectbox("Profiel aanpassen of verwijderen", list(by_name), key="gegevens_profiel_keuze")
    profile = by_name[chosen]
    with st.form("gegevens_profiel_form"):
        new_name = st.text_input("Naam", value=profile.name, key=f"gegevens_profiel_naam_{chosen}")
        values = {f: st.text_input(FIELD_LABELS[f], value=getattr(profile.mapping, f) or "",
                                   key=f"gegevens_profiel_{f}_{chosen}",
                                   help="De kolomkop zoals hij in het bestand staat; leeg: geen kolom.")
                  for f in FIELD_LABELS}
        mark = st.radio("Decimaalteken", list(MARKS), format_func=MARKS.get, horizontal=True,
                        index=list(MARKS).index(profile.mapping.decimal_mark), key=f"gegevens_profiel_dec_{chosen}")
        save = st.form_submit_button("Wijzigingen bewaren", disabled=not who)
    remove = st.button(f"Profiel '{chosen}' verwijderen", key="gegevens_profiel_verwijderen", disabled=not who)
    try:
        if save:
            if not values["date"].strip() or not values["account"].strip() or not (
                    values["amount"].strip() or (values["debit"].strip() and values["credit"].strip())):
                raise ProfileError("een profiel heeft minstens een datum, een rekening en een bedrag (of debet en "
                                   "credit) nodig")
            mapping = ColumnMapping(**{f: (v.strip() or None) for f, v in values.items()}, decimal_mark=mark,
                                    header_row=profile.mapping.header_row)
            update_profile(store(), chosen, mapping=mapping, new_name=new_name, saved_by=on_write())
            st.session_state.pop("gegevens_profiel_keuze", None)
            st.session_state["gegevens_melding"] = [("ok", f"Profiel '{new_name.strip()}' bewaard.")]
            st.rerun()
        if remove:
            remove_profile(store(), chosen)
            st.session_state.pop("gegevens_profiel_keuze", None)
            st.session_state["gegevens_melding"] = [("ok", f"Profiel '{chosen}' verwijderd: een export met die "
                                                     "kolomkoppen vraagt opnieuw om de kolommen.")]
            st.rerun()
    except ProfileError as error:
        st.error(f"Het profiel is niet bewaard: {error}", icon=":material/block:")
