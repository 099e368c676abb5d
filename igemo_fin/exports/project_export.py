"""One project's calculation as an Excel workbook, for the board member who wants to check it."""

from __future__ import annotations

import pandas as pd

from igemo_fin.valuation.evaluate import Evaluation
from igemo_fin.exports.workbook_writer import workbook_bytes

__all__ = ["project_workbook"]


def project_workbook(ev: Evaluation, code: str) -> bytes:
    """Sheets ``kerncijfers``, ``oordeel``, ``per_jaar`` and ``kasstromen`` for project ``code``.

    ``per_jaar`` holds every step of the interest model (book value, average balance, interest)
    so the figures can be recomputed by hand.
    """
    f = ev.figures.set_index("project_code").loc[code]
    key = pd.DataFrame([
        ("Project", f["naam"]), ("Code", code), ("Gemeente", f["gemeente"]), ("Status", f["status"]),
        ("Waarderingsjaar (1 januari)", ev.valuation_year),
        ("Disconteringsvoet (%)", ev.discount_rate_pct),
        ("Oordeel", f["verdict"] or "–"),
        ("Contante waarde van wat nog komt (EUR)", round(f["npv_forward"], 2)),
        ("Intern rendement hele looptijd (%)", None if pd.isna(f["irr_full_life"]) else 100 * f["irr_full_life"]),
        ("Resultaat hele looptijd (EUR)", round(f["result_nominal"], 2)),
        ("Marge op kosten (%)", None if pd.isna(f["margin_pct"]) else round(f["margin_pct"], 4)),
        ("Rente totaal (EUR)", round(f["interest_total"], 2)),
        ("Rente vanaf waarderingsjaar (EUR)", round(f["interest_future"], 2)),
        ("Boekwaarde op 1 januari (EUR)", round(f["book_value"], 2)),
        ("Hoogste boekwaarde (EUR)", round(f["peak_book_value"], 2)),
    ], columns=["kerncijfer", "waarde"])
    rules = ev.rules[ev.rules["project_code"] == code][["label", "value", "threshold", "fired", "level", "sentence"]]
    rules = rules.rename(columns={"label": "regel", "value": "waarde", "threshold": "drempel",
                                  "fired": "overschreden", "level": "niveau", "sentence": "uitleg"})
    yearly = ev.yearly[ev.yearly["project_code"] == code].copy()
    rates = pd.Series(ev.rates_pct, index=ev.matrix.years)
    yearly["rentevoet_pct"] = yearly["jaar"].map(rates)
    yearly["gemiddeld_saldo"] = yearly["book_value_start"] - yearly["net_flow"] / 2
    per_year = yearly[["jaar", "source", "costs", "revenues", "net_flow", "book_value_start", "gemiddeld_saldo",
                       "rentevoet_pct", "interest", "interest_actual", "book_value_end"]].rename(columns={
        "source": "bron", "costs": "kosten", "revenues": "opbrengsten", "net_flow": "netto_kasstroom",
        "book_value_start": "boekwaarde_begin", "interest": "rente", "interest_actual": "werkelijke_rente",
        "book_value_end": "boekwaarde_einde"})
    flows = ev.flows[ev.flows["project_code"] == code].drop(columns="project_code")
    return workbook_bytes({"kerncijfers": key, "oordeel": rules, "per_jaar": per_year, "kasstromen": flows})
