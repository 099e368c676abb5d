"""igemo_fin.errors: every problem of a refused file, in words and as a table."""

from __future__ import annotations

import pandas as pd

from igemo_fin.errors import PROBLEM_COLUMNS, Problem, WorkbookError, problems_frame


def test_problems_frame_has_one_row_per_problem_in_order():
    error = WorkbookError([Problem("kasstromen", 7, "bedrag", "'veel' is geen geldig bedrag"),
                           Problem("drempels", None, None, "verplicht blad 'drempels' ontbreekt in het werkboek"),
                           Problem(None, None, None, "bestand niet gevonden")], file="p.xlsx")
    frame = problems_frame(error.problems)
    assert tuple(frame.columns) == PROBLEM_COLUMNS == ("Blad", "Rij", "Kolom", "Reden")
    assert frame["Blad"].tolist() == ["kasstromen", "drempels", ""]
    assert str(frame["Rij"].dtype) == "Int64" and frame["Rij"].tolist()[0] == 7 and frame["Rij"].isna().tolist()[1:] == [
        True, True]
    assert frame["Kolom"].tolist() == ["bedrag", "", ""]
    assert frame["Reden"].tolist() == [p.reason for p in error.problems]


def test_problems_frame_of_no_problems_is_empty_with_its_columns():
    frame = problems_frame([])
    assert frame.empty and tuple(frame.columns) == PROBLEM_COLUMNS
    assert isinstance(frame, pd.DataFrame)
