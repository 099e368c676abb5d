"""ui.tables: the refusal table every page shows."""

from __future__ import annotations

import pandas as pd

from igemo_fin.errors import Problem
from ui.tables import refusal_table


def test_refusal_table_keeps_the_sheet_only_when_a_problem_names_one():
    table = refusal_table([Problem("Grootboek", 6, "Datum (A)", "geen datum"), Problem(None, None, None, "te groot")])
    assert table.columns.tolist() == ["Blad", "Rij", "Kolom", "Reden"]
    assert table["Rij"].tolist()[0] == 6 and pd.isna(table["Rij"].tolist()[1])
    assert refusal_table([Problem(None, 3, "x", "y")]).columns.tolist() == ["Rij", "Kolom", "Reden"]
