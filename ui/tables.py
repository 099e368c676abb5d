"""Tables the pages show: engine frames -> Dutch column names, Belgian formats, verdict labels."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from igemo_fin.errors import Problem, problems_frame
from igemo_fin.valuation.evaluate import Evaluation

from .style import STATUS_WORDS, TYPE_WORDS, verdict_label


def fired_reasons(ev: Evaluation) -> pd.Series:
    """Per project code: the sentences of the rules that fired, joined; empty when none fired."""
    fired = ev.rules[ev.rules["fired"]]
    return fired.groupby("project_code", sort=False)["sentence"].agg(" ".join)


def verdict_table(ev: Evaluation, *, include_inactive: bool = False) -> pd.DataFrame:
    """One row per project: verdict, key figures and the reasons in words (numbers stay numeric)."""
    f = ev.figures if include_inactive else ev.figures[ev.figures["status"] == "actief"]
    reasons = fired_reasons(ev)
    table = pd.DataFrame({
        "Oordeel": f["verdict"].map(verdict_label),
        "Code": f["project_code"],
        "Project": f["naam"],
        "Gemeente": f["gemeente"],
        "Type": f["type"].map(TYPE_WORDS),
        "Status": f["status"].map(STATUS_WORDS),
        "Contante waarde vanaf nu": f["npv_forward"],
        "IRR hele looptijd": 100 * f["irr_full_life"],
        "Resultaat hele looptijd": f["result_nominal"],
        "Boekwaarde nu": f["book_value"],
        "Rente nog te betalen": f["interest_future"],
        "Waarom": [reasons.get(code, "Geen enkele drempel overschreden.") for code in f["project_code"]],
    })
    if not include_inactive:
        table = table.drop(columns="Status")
    return table.reset_index(drop=True)


MONEY_COLUMNS = ["Contante waarde vanaf nu", "Resultaat hele looptijd", "Boekwaarde nu", "Rente nog te betalen"]
PERCENT_COLUMNS = ["IRR hele looptijd"]


def verdict_changes(before: Evaluation, after: Evaluation) -> pd.DataFrame:
    """Projects whose verdict differs between two evaluations (what-if, stress or previous year)."""
    a = before.figures.set_index("project_code")
    b = after.figures.set_index("project_code")
    common = a.index.intersection(b.index)
    changed = [c for c in common if a.at[c, "verdict"] != b.at[c, "verdict"]]
    return pd.DataFrame({
        "Code": changed,
        "Project": [b.at[c, "naam"] for c in changed],
        "Oordeel voor": [verdict_label(a.at[c, "verdict"]) for c in changed],
        "Oordeel na": [verdict_label(b.at[c, "verdict"]) for c in changed],
        "Contante waarde voor": [a.at[c, "npv_forward"] for c in changed],
        "Contante waarde na": [b.at[c, "npv_forward"] for c in changed],
    })


def refusal_table(problems: Iterable[Problem]) -> pd.DataFrame:
    """:func:`igemo_fin.errors.problems_frame`, without the column ``Blad`` when no problem names a sheet."""
    table = problems_frame(problems)
    if not table["Blad"].astype(bool).any():
        table = table.drop(columns="Blad")
    return table


def show_refusal_table(problems: Iterable[Problem], *, key: str | None = None) -> None:
    """Why a file is refused, as every page shows it: narrow row and column, the reason as wide as the page."""
    config = {"Blad": st.column_config.TextColumn(width=110),
              "Rij": st.column_config.NumberColumn(width=60, format="%d"),
              "Kolom": st.column_config.TextColumn(width=150),
              "Reden": st.column_config.TextColumn(width=900)}
    st.dataframe(refusal_table(problems), hide_index=True, width="stretch", key=key, column_config=config)
