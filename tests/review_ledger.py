"""A held-out ledger, budget, index and contributions for the review's tests, every figure worked by hand
in the tests (review year 2026, booked through 30/06/2026)."""

from __future__ import annotations

import pandas as pd

from igemo_fin.inputs.review_sheets import ReviewInputs
from igemo_fin.valuation.portfolio import Portfolio

#: (row, date, account, project code, credit - debit [cents])
LINES = [
    (1, "2025-03-31", "620000", None, -100_000_00),
    (2, "2025-09-30", "620000", None, -110_000_00),
    (3, "2025-02-15", "614000", None, -10_000_00),
    (4, "2025-11-15", "614000", None, -20_000_00),
    (5, "2025-05-01", "613000", "P-ACT", -5_000_00),
    (6, "2026-03-31", "620000", None, -106_000_00),
    (7, "2026-03-15", "620000", None, 1_000_00),
    (8, "2026-02-15", "614000", None, -14_000_00),
    (9, "2026-04-10", "603000", None, -7_500_00),
    (10, "2026-05-05", "604000", "P-XX", -1_200_00),
    (11, "2026-06-01", "613000", "P-OLD", -800_00),
    (12, "2026-06-02", "613000", "p-act", -900_00),
    (13, "2026-06-30", "650000", None, -3_000_00),
    (14, "2026-05-20", "700000", "P-ACT", 50_000_00),
    (15, "2026-01-31", "610000", None, -2_000_00),
]


def ledger_lines() -> pd.DataFrame:
    frame = pd.DataFrame(LINES, columns=["row", "date", "account", "project_code", "amount_cents"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["project_code"] = frame["project_code"].astype("str")
    frame["import_id"] = 1
    frame["description"] = [f"lijn {r}" for r in frame["row"]]
    frame["journal"] = "AANK"
    frame["document"] = [f"D{r}" for r in frame["row"]]
    return frame


def portfolio(extra_sheets: dict | None = None, settings=None) -> Portfolio:
    projects = pd.DataFrame({"project_code": ["P-ACT", "P-OLD"], "status": ["actief", "afgerond"],
                             "eindjaar": [2030, 2024]})
    kwargs = {} if settings is None else {"settings": settings}
    return Portfolio(projects=projects, cashflows=pd.DataFrame(), credit=pd.DataFrame(),
                     extra_sheets=extra_sheets or {}, **kwargs)


def inputs(margin: float = 2.0) -> ReviewInputs:
    budget = pd.DataFrame({"jaar": [2026, 2026, 2026, 2025], "kostengroep": ["personeel", "ict_software", "overige",
                                                                             "personeel"],
                           "budget": [230_000.0, 25_000.0, 1_000.0, 999_999.0]})
    index = pd.Series({2025: 100.0, 2026: 104.0}, name="waarde")
    contributions = pd.DataFrame({"gemeente": ["A", "B", "A"], "jaar": [2026, 2026, 2025],
                                  "bijdrage": [100_000.0, 50_000.0, 100_000.0], "laatst_geindexeerd": [2025, 2026, 2025]})
    return ReviewInputs(None, budget, index, contributions, margin)
