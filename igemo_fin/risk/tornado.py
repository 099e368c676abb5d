"""The tornado: the drivers that move one project's forward value most, one at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from igemo_fin.risk.kernel import build_model, run_batch
from igemo_fin.valuation.portfolio import Portfolio

__all__ = ["TORNADO_COLUMNS", "tornado"]

#: Columns of :func:`tornado`: one row per driver, the widest swing first.
TORNADO_COLUMNS = (
    "driver", "label",
    "low_setting", "high_setting",   # Dutch: the setting that gives npv_low / npv_high
    "npv_base", "npv_low", "npv_high",  # [EUR] npv_forward
    "swing",                         # [EUR] npv_high - npv_low
    "result_low", "result_high",     # [EUR] the projected full-life result at the same settings
)


def tornado(portfolio: Portfolio, ev, code: str) -> pd.DataFrame:
    """The drivers that move one project's ``npv_forward`` most, one at a time.

    Drivers: future costs -10 % / +10 %; sales prices -10 % / +10 %; every revenue 1 / 2 years
    later; rate -100 / +100 bp (the credit rate and the discount rate together: the forward NPV
    excludes interest, so the rate reaches it through the discount rate); and each risk of the
    register: not happening / happening at its maximum impact. Each setting goes through the same
    kernel as the Monte Carlo.

    Returns
    -------
    DataFrame
        :data:`TORNADO_COLUMNS`, sorted by ``swing`` descending.
    """
    model = build_model(portfolio, ev)
    if code not in model.codes:
        raise KeyError(f"onbekend project '{code}'")
    m = model.subset([model.codes.index(code)])
    settings = [  # driver, label, (setting text, k, q, d, e, shift) x 2
        ("kosten", "Kosten", ("kosten -10 %", -10, 0, 0, 0, 0), ("kosten +10 %", 10, 0, 0, 0, 0)),
        ("verkoopprijs", "Verkoopprijzen", ("prijzen -10 %", 0, 10, 0, 0, 0), ("prijzen +10 %", 0, -10, 0, 0, 0)),
        ("vertraging", "Vertraging opbrengsten", ("1 jaar later", 0, 0, 1, 0, 0), ("2 jaar later", 0, 0, 2, 0, 0)),
        ("rente", "Rente en disconteringsvoet", ("-100 bp", 0, 0, 0, 0, -1), ("+100 bp", 0, 0, 0, 0, 1)),
    ]
    risks = portfolio.risks[portfolio.risks["project_code"] == code]
    for i, r in enumerate(risks.itertuples(index=False)):
        effect = {"kosten_pct": (r.max, 0, 0, 0), "prijs_pct": (0, r.max, 0, 0),
                  "vertraging_jaren": (0, 0, r.max, 0), "eenmalig_eur": (0, 0, 0, r.max)}[r.soort]
        settings.append((f"risico_{i + 1}", f"Risico: {r.risico or r.soort}", ("treedt niet op", 0, 0, 0, 0, 0),
                         (f"treedt op, maximale impact ({r.max:g})", *effect, 0)))
    cases = [("basis", 0, 0, 0, 0, 0)] + [case for s in settings for case in s[2:]]
    values = np.array([c[1:] for c in cases], dtype=float)
    shift = values[:, 4]
    npv, result = run_batch(m, values[:, [0]], values[:, [1]], values[:, [2]], values[:, [3]],
                            rate_shift=shift, discount_shift=shift)
    npv, result = npv[:, 0], result[:, 0]
    rows = []
    for i, (driver, label, a, b) in enumerate(settings):
        ia, ib = 1 + 2 * i, 2 + 2 * i
        lo, hi = (ia, ib) if npv[ia] <= npv[ib] else (ib, ia)
        rows.append({"driver": driver, "label": label, "low_setting": cases[lo][0], "high_setting": cases[hi][0],
                     "npv_base": float(npv[0]), "npv_low": float(npv[lo]), "npv_high": float(npv[hi]),
                     "swing": float(npv[hi] - npv[lo]), "result_low": float(result[lo]),
                     "result_high": float(result[hi])})
    frame = pd.DataFrame(rows, columns=list(TORNADO_COLUMNS))
    return frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
