"""Workbooks with agreements, worked out by hand, for tests/agreements and the page test.

Valuation year 2026 (the past is 2024-2025), every rate 0 % unless a test says otherwise, so results
are plain sums of the flows:

- A (2024-2027): infrastructuur 400 (2024) and 600 (2025), verkoop 800 (2026) and 800 (2027),
  subsidies 300 received in 2025. Result 900.
- B (2024-2028): verwerving 500 (2024), verkoop 300 (2028). Result -200.
"""

from __future__ import annotations

import pandas as pd

from conftest import build_sheets, flat_credit, flows, project

V = 2026

FLOWS = flows(
    ("A", "prognose", 2024, "infrastructuur", 400), ("A", "prognose", 2025, "infrastructuur", 600),
    ("A", "prognose", 2025, "subsidies", 300),
    ("A", "prognose", 2026, "verkoop", 800), ("A", "prognose", 2027, "verkoop", 800),
    ("B", "prognose", 2024, "verwerving", 500), ("B", "prognose", 2028, "verkoop", 300),
)


def frame(columns: str, *rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=columns.split())


def agreement_sheets(rate: float = 0.0, **replace: pd.DataFrame) -> dict[str, pd.DataFrame]:
    sheets = build_sheets(
        [project("A", startjaar=2024, eindjaar=2027), project("B", startjaar=2024, eindjaar=2028)], FLOWS,
        credit=flat_credit(2020, 2035, rate=rate),
        instellingen=frame("parameter waarde", ("waarderingsjaar", V), ("eigen_vermogen", 1000),
                           ("simulaties", 0)),
        grondfondsen=frame(
            "fonds naam gemeente projecten beginjaar eindjaar beginsaldo grondinbreng aandeel_resultaat_pct "
            "overschot_igemo_pct tekort_gemeente_pct tekort_plafond",
            ("F", "Fonds F", "Mechelen", "A; B", 2024, 2028, 100, 50, 50, 40, 60, 100)),
        grondfonds_bewegingen=frame("fonds jaar soort bedrag", ("F", 2025, "storting", 20), ("F", 2027, "opname", 30)),
        subsidies=frame("besluit subsidiegever project_code toegekend subsidiabele_kosten beginjaar eindjaar",
                        ("G1", "VLAIO", "A", 300, 1000, 2024, 2025)),
        subsidie_ontvangsten=frame("besluit jaar bedrag", ("G1", 2025, 300)),
        cofinanciering=frame("besluit gemeente sleutel_pct gefactureerd", ("G1", "Mechelen", 50, 100)),
        facturatie=frame("project_code versie moment jaar pct betalingstermijn_dagen",
                         ("A", "afgesproken", "oplevering", None, 100, 0),
                         ("A", "voorstel", "ondertekening", 2026, 50, 73),
                         ("A", "voorstel", "oplevering", None, 50, 73)),
    )
    sheets.update(replace)
    return sheets
