"""What the pages Besluiten and Drempels share: the log's badge, dates, threshold values in words."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from igemo_fin.records.chain import VerifyResult, verify_chain
from igemo_fin.fmt import date_nl, local_time
from igemo_fin.records.store import Store
from igemo_fin.valuation.thresholds import changes_text, threshold_text

__all__ = ["local_time", "date_text", "threshold_text", "changes_text", "log_badge"]


def date_text(iso_date: str) -> str:
    """``'2026-03-02' -> '02/03/2026'``."""
    return date_nl(dt.date.fromisoformat(iso_date))


def log_badge(store: Store | None) -> VerifyResult | None:
    """The badge 'Logboek intact' or 'Logboek GEWIJZIGD' (with the first broken entry), checked now."""
    if store is None:
        st.badge("Logboek nog leeg", icon=":material/history:", color="gray")
        return None
    result = verify_chain(store)
    if result.ok:
        st.badge("Logboek intact", icon=":material/verified:", color="green")
        st.caption(result.message)
    else:
        st.badge("Logboek GEWIJZIGD", icon=":material/gpp_bad:", color="red")
        st.error(f"{result.reason}. Het logboek werd buiten de toepassing om gewijzigd: meld dit aan de "
                 "voorzitter en de beheerder; `python -m igemo_fin audit verify` geeft dezelfde uitkomst.",
                 icon=":material/gpp_bad:")
    return result
