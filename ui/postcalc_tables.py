"""The Dutch tables and sentences of the page Nacalculatie: budget against actual for every finished
project, and the reference class the active projects learn from."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from igemo_fin.fmt import number, pct
from igemo_fin.postcalc.calculation import MIN_CLASS_SIZE, PostCalculation
from igemo_fin.postcalc.variance import budget_against_actual
from ui.style import CATEGORY_WORDS, TYPE_WORDS, styled

__all__ = ["postcalc_summary_table", "postcalc_category_table", "category_style", "reference_table", "fallback_notes"]

#: The lines of :func:`postcalc_category_table` that are not a workbook category.
POST_WORDS = {"rente": "Rente op het kaskrediet", "resultaat": "Resultaat na rente"}
KIND_WORDS = {"kost": "Kost", "opbrengst": "Opbrengst", "resultaat": "Resultaat"}


def postcalc_summary_table(pc: PostCalculation) -> pd.DataFrame:
    """One row per finished project: result after interest budgeted and actual, span, delay and IRR."""
    p = pc.projects

    def arrow(planned: str, actual: str) -> str:
        return f"{planned} → {actual}"

    def irr(x) -> str:
        return "geen" if pd.isna(x) else pct(100 * x)

    return pd.DataFrame({
        "Project": p["naam"],
        "Begroot": p["result_budget"],
        "Werkelijk": p["result_actual"],
        "Verschil": p["result_variance"],
        "Looptijd": [arrow(number(a), number(b)) for a, b in zip(p["planned_span_years"], p["actual_span_years"])],
        "Vertraging": p["delay_years"],
        "IRR": [arrow(irr(a), irr(b)) if has else irr(b)
                for a, b, has in zip(p["irr_planned"], p["irr_actual"], p["has_budget"])],
    }).reset_index(drop=True)


def postcalc_category_table(pc: PostCalculation, code: str) -> pd.DataFrame:
    """Budget against actual per category of one finished project, then interest and the result
    (:func:`igemo_fin.postcalc.variance.budget_against_actual`)."""
    lines = budget_against_actual(pc, code)
    return pd.DataFrame({
        "Post": [POST_WORDS.get(p, CATEGORY_WORDS.get(p, p)) for p in lines["post"]],
        "Soort": lines["soort"].map(KIND_WORDS),
        "Begroot": lines["budget"],
        "Werkelijk": lines["actual"],
        "Verschil": lines["variance"],
        "Verschil (%)": lines["variance_pct"],
        "Effect op het resultaat": lines["effect_on_result"],
    })


def category_style(table: pd.DataFrame) -> Styler:
    """:func:`postcalc_category_table` in Belgian formats, the result line in bold."""
    return styled(table, money=["Begroot", "Werkelijk", "Verschil", "Effect op het resultaat"],
                  percent=["Verschil (%)"]).map(
        lambda v: "font-weight: 700" if isinstance(v, str) and v.startswith("Resultaat") else "", subset=["Post"])


def reference_table(pc: PostCalculation) -> pd.DataFrame:
    """The reference class per type: the P50/P80 of the ratios (in % of the budget) and of the delay
    (in years), and how many finished projects stand behind the figures."""
    r = pc.reference

    def basis(fallback, n_cost, n_rev, n_delay) -> str:
        counts = [int(n_cost), int(n_rev), int(n_delay)]
        text = f"{'alle types' if fallback else 'dit type'} ({counts[0]})"
        if len(set(counts)) > 1:
            text += f"; opbrengsten {counts[1]}, vertraging {counts[2]}"
        return text

    return pd.DataFrame({
        "Type": r["type"].map(TYPE_WORDS),
        "Lessen uit": [basis(*x) for x in zip(r["fallback"], r["cost_ratio_n"], r["revenue_ratio_n"], r["delay_n"])],
        "Kosten P50": 100 * r["cost_ratio_p50"],
        "Kosten P80": 100 * r["cost_ratio_p80"],
        "Opbrengsten P50": 100 * r["revenue_ratio_p50"],
        "Opbrengsten P80": 100 * r["revenue_ratio_p80"],
        "Vertraging P50": r["delay_p50"],
        "Vertraging P80": r["delay_p80"],
    })


def fallback_notes(pc: PostCalculation) -> list[str]:
    """A Dutch sentence for each type with fewer than :data:`MIN_CLASS_SIZE` finished projects."""
    notes = []
    total = int(pc.projects["has_budget"].sum()) if not pc.projects.empty else 0
    for r in pc.reference.itertuples():
        if not r.fallback:
            continue
        word = TYPE_WORDS.get(r.type, r.type).lower()
        own = ("is er nog geen enkel afgerond project" if r.finished_count == 0
               else "is er maar 1 afgerond project" if r.finished_count == 1
               else f"zijn er maar {r.finished_count} afgeronde projecten")
        if total == 0:
            notes.append(f"Van het type {word} {own} met een begroting, en van de andere types ook niet: er zijn nog "
                         "geen lessen.")
        else:
            alle = "het enige afgeronde project" if total == 1 else f"alle {total} afgeronde projecten samen"
            notes.append(f"Van het type {word} {own} met een begroting (minder dan {MIN_CLASS_SIZE}): de lessen "
                         f"gebruiken {alle}, van alle types.")
    return notes
