"""The multi-year outlook and the verschillenanalyse for the pages, computed once per basis.

Cached on what the basis is made of, like :func:`ui.state.evaluate_shared`; the comparison is keyed on
what it compares with (an earlier valuation year, or a stored workbook version).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.outlook.report import Outlook, outlook, outlook_alert
from igemo_fin.outlook.waterfall import Waterfall, waterfall
from igemo_fin.records.stored_basis import stored_basis
from igemo_fin.records.store import Store
from igemo_fin.valuation.basis import Basis, DataVersion, SimulationSettings, ThresholdSource
from igemo_fin.valuation.thresholds import Thresholds
from ui.auth import current_user
from ui.roles import PAGE_ROLES
from ui.shared import shared
from ui.state import current_basis, evaluate_shared, load_portfolio, require_portfolio, thresholds_key
from ui.store_source import db_key, db_path, stored_versions, version_label

__all__ = ["current_outlook", "comparison_choices", "current_waterfall", "show_outlook_alert"]


@shared(max_entries=16)
def _outlook(content: bytes, name: str, year: int, thresholds: tuple, threshold_source: ThresholdSource,
             rate_shift_bp: float, simulation: SimulationSettings, actuals: pd.DataFrame | None,
             data: DataVersion) -> Outlook:
    return outlook(evaluate_shared(content, name, year, thresholds, threshold_source, rate_shift_bp, simulation,
                                   actuals, data))


def _key(basis: Basis) -> tuple:
    source, _ = require_portfolio()
    return (source.content, source.name, basis.valuation_year, thresholds_key(basis.thresholds),
            basis.threshold_source, basis.rate_shift_bp, basis.simulation, basis.actuals, basis.data)


def current_outlook() -> Outlook:
    """The outlook of the page's basis (the whole portfolio: it is IGEMO's equity and credit)."""
    return _outlook(*_key(current_basis()))


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
def _waterfall(content: bytes, name: str, year: int, thresholds: tuple, threshold_source: ThresholdSource,
               rate_shift_bp: float, simulation: SimulationSettings, actuals: pd.DataFrame | None,
               data: DataVersion, kind: str, value: int) -> Waterfall:
    new = Basis(load_portfolio(content, name), year, Thresholds(**dict(thresholds)), threshold_source,
                rate_shift_bp, simulation, actuals, data)
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
    return _waterfall(*_key(current_basis()), *choice)


def show_outlook_alert() -> None:
    """The outlook's one-sentence alert (:func:`~igemo_fin.outlook.report.outlook_alert`) for the roles
    that see the page Meerjarenperspectief; nothing when no portfolio threshold is crossed."""
    user = current_user()
    if user is None or not user.roles & set(PAGE_ROLES["meerjarenperspectief"]):
        return
    alert = outlook_alert(current_outlook())
    if alert:
        st.warning(alert, icon=":material/warning:")
