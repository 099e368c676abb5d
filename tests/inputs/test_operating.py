"""The optional sheet exploitatie: read, or refused with sheet, row, column and reason."""

from __future__ import annotations

import pandas as pd
import pytest

from igemo_fin.errors import WorkbookError
from igemo_fin.inputs.operating import operating_results
from igemo_fin.inputs.workbook import read_workbook

from conftest import build_sheets, flows, project


def _book(write_book, operating: pd.DataFrame | None):
    extra = {} if operating is None else {"exploitatie": operating}
    return build_sheets([project("A")], flows(("A", "prognose", 2024, "verwerving", 1_000)), **extra)


def test_absent_sheet_is_zero(write_book):
    assert operating_results(read_workbook(write_book(_book(write_book, None)))).empty


def test_rows_are_read_per_year(write_book):
    frame = pd.DataFrame({"jaar": [2027, 2026], "resultaat_buiten_projecten": ["-1.250,50", 300_000]})
    values = operating_results(read_workbook(write_book(_book(write_book, frame))))
    assert values.to_dict() == {2026: 300_000.0, 2027: -1_250.5}


def test_bad_rows_refuse_the_workbook_with_row_and_column(write_book):
    frame = pd.DataFrame({"jaar": [2026, "twintig", 2027], "resultaat_buiten_projecten": [1, 2, "veel"]})
    with pytest.raises(WorkbookError) as refused:
        read_workbook(write_book(_book(write_book, frame)))
    found = {(p.sheet, p.row, p.column) for p in refused.value.problems}
    assert found == {("exploitatie", 3, "jaar"), ("exploitatie", 4, "resultaat_buiten_projecten")}


def test_duplicate_year_and_missing_column(write_book):
    frame = pd.DataFrame({"jaar": [2026, 2026], "resultaat_buiten_projecten": [1, 2]})
    with pytest.raises(WorkbookError) as refused:
        read_workbook(write_book(_book(write_book, frame)))
    assert [(p.row, p.column, p.reason) for p in refused.value.problems] == [
        (3, "jaar", "jaar 2026 komt dubbel voor (ook op rij 2)")]
    with pytest.raises(WorkbookError) as refused:
        read_workbook(write_book(_book(write_book, pd.DataFrame({"jaar": [2026]}))))
    assert [(p.row, p.column) for p in refused.value.problems] == [(1, "resultaat_buiten_projecten")]
