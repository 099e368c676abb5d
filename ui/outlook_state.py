"""The multi-year outlook and the verschillenanalyse for the pages, computed once per basis.

Cached on what the basis is made of (:func:`ui.state.basis_key`), like :func:`ui.state.evaluate_shared`; the comparison is keyed on
what it compares with (an earlier valuation year, or a stored workbook version).
"""

from __future__ import annotations

import streamlit as st

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.outlook.report import Outlook, outlook, outlook_alert
from igemo_fin.outlook.waterfall import Waterfall, waterfall
from igemo_fin.records.stored_basis import stored_basis
from igemo_fin.records.store import Store
from igemo_fin.valuation.basis import Basis
from ui.auth import current_user
from ui.roles import PAGE_ROLES
from ui.shared import shared
from ui.state import Source, basis_key, current_basis, evaluate_shared, require_portfolio, shared_basis
from ui.store_source import db_key, db_path, stored_versions, version_label

__all__ = ["current_outlook", "comparison_choices", "current_waterfall", "show_outlook_alert"]


@shared(max_entries=16)
def _outlook(key: str, _source: Source, _basis: Basis) -> Outlook:
    return outlook(evaluate_shared(key, _source, _basis))


def _current() -> tuple[str, Source, Basis]:
    """The page's basis with its key (:func:`ui.state.basis_key`) and source."""
    source, _ = require_portfolio()
    basis = current_basis()
    return basis_key(source, basis), source, basis


def current_outlook() -> Outlook:
    """The outlook of the page's basis (the whole portfolio: it is IGEMO's equity and credit)."""
    return _outlook(*_current())


def comparison_choices(basis: Basis) -> dict[str, tuple]:
    """Dutch label -> what to compare with: ``("jaar", V - 1)`` and each other stored workbook version."""
    choices = {f"Waardering {basis.valuation_year - 1} (dezelfde gegevens, een jaar eerder)":
               ("jaar", basis.valuation_year - 1)}
    key = db_key()
    if key is not None:
        versions = stored_versions(str(db_path()), key)
        for row in versions.itertuples(index=False):
            if basis.data.workbook_version is not None and int(row.id) == basis.data.workbook_version:
                continue
            label = version_label(int(row.id), row.uploaded_at, str(row.filename), latest=True)
            choices[label] = ("versie", int(row.id))
    return choices


@shared(max_entries=16)
def _waterfall(key: str, kind: str, value: int, _source: Source, _basis: Basis) -> Waterfall:
    new = shared_basis(_source, _basis)
    if kind == "jaar":
        old = new.with_(valuation_year=int(value))
    else:
        store = Store(db_path())
        old_content = store.workbook_content(int(value))
        row = store.workbook_versions().set_index("id").loc[int(value)]
        old = stored_basis(store, read_workbook(old_content, filename=str(row["filename"])), old_content,
                           workbook_version=int(value))
    return waterfall(old, new)


def current_waterfall(choice: tuple) -> Waterfall:
    """The verschillenanalyse from ``choice`` (:func:`comparison_choices`) to the page's basis."""
    key, source, basis = _current()
    return _waterfall(key, *choice, source, basis)


def show_outlook_alert() -> None:
    """The outlook's one-sentence alert (:func:`~igemo_fin.outlook.report.outlook_alert`) for the roles
    that see the page Meerjarenperspectief; nothing when no portfolio threshold is crossed."""
    user = current_user()
    if user is None or not user.roles & set(PAGE_ROLES["meerjarenperspectief"]):
        return
    alert = outlook_alert(current_outlook())
    if alert:
        st.warning(alert, icon=":material/warning:")
