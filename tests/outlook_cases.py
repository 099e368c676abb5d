"""The hand-worked two-project case of the multi-year outlook and of the verschillenanalyse.

Old edition (valued 1/1/2025), credit 0 % except 10 % in 2028, limit 1,000,000, equity 1,000,000:

- A (winstdeling 50 % above 0): 2024 verwerving 400,000; 2025 infrastructuur 200,000;
  2026 verkoop 500,000; 2027 verkoop 300,000. Result 200,000 (no interest at 0 %).
- B (starts after V, risicodeling 40 %): 2026 verwerving 300,000; 2027 verkoop 250,000.
  Result -50,000: the municipality carries 20,000, IGEMO writes down 30,000.
- exploitatie: 2025 and 2026 each -10,000.

New edition (valued 1/1/2026), credit 0 % except 5 % in 2028:

- A: 2025 infrastructuur realised 220,000 (not 200,000); verkoop 500,000 in 2026, 330,000 in 2027.
- B: verwerving 330,000 in 2026 (not 300,000); verkoop 250,000 moved from 2027 to 2028.
- C (new): 2026 verwerving 100,000; 2027 verkoop 150,000.
"""

from __future__ import annotations

import pandas as pd

from conftest import build_sheets, flat_credit, flows, project

OPENING_EQUITY = 1_000_000.0


def _settings(year: int) -> pd.DataFrame:
    return pd.DataFrame({"parameter": ["eigen_vermogen", "waarderingsjaar"], "waarde": [OPENING_EQUITY, year]})


def old_sheets() -> dict[str, pd.DataFrame]:
    projects = [project("A", startjaar=2024, eindjaar=2027, winstdeling_gemeente_pct=50, winstdeling_drempel=0),
                project("B", startjaar=2026, eindjaar=2027, risicodeling_gemeente_pct=40)]
    cashflows = flows(("A", "prognose", 2024, "verwerving", 400_000), ("A", "prognose", 2025, "infrastructuur", 200_000),
                      ("A", "prognose", 2026, "verkoop", 500_000), ("A", "prognose", 2027, "verkoop", 300_000),
                      ("B", "prognose", 2026, "verwerving", 300_000), ("B", "prognose", 2027, "verkoop", 250_000))
    operating = pd.DataFrame({"jaar": [2025, 2026], "resultaat_buiten_projecten": [-10_000, -10_000]})
    return build_sheets(projects, cashflows, flat_credit(rate=0.0, limit=1e6, rates={2028: 10.0}),
                        instellingen=_settings(2025), exploitatie=operating)


def new_sheets() -> dict[str, pd.DataFrame]:
    projects = [project("A", startjaar=2024, eindjaar=2027, winstdeling_gemeente_pct=50, winstdeling_drempel=0),
                project("B", startjaar=2026, eindjaar=2028, risicodeling_gemeente_pct=40),
                project("C", startjaar=2026, eindjaar=2027)]
    cashflows = flows(("A", "prognose", 2024, "verwerving", 400_000), ("A", "prognose", 2025, "infrastructuur", 220_000),
                      ("A", "prognose", 2026, "verkoop", 500_000), ("A", "prognose", 2027, "verkoop", 330_000),
                      ("B", "prognose", 2026, "verwerving", 330_000), ("B", "prognose", 2028, "verkoop", 250_000),
                      ("C", "prognose", 2026, "verwerving", 100_000), ("C", "prognose", 2027, "verkoop", 150_000))
    return build_sheets(projects, cashflows, flat_credit(rate=0.0, limit=1e6, rates={2028: 5.0}),
                        instellingen=_settings(2026))
