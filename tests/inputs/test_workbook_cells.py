"""igemo_fin.inputs.workbook_cells: the workbook's cell parsers and the problem collector."""

from __future__ import annotations

import datetime as dt

import pytest

from igemo_fin.inputs.cells import parse_number
from igemo_fin.inputs.workbook_cells import Collector, Row, as_number, as_year, as_yes_no


class TestAsNumber:
    @pytest.mark.parametrize("cell, expected", [
        (1_000_000, 1_000_000.0), (4.25, 4.25),
        ("1.000.000,50", 1_000_000.5), ("€ 1 234,56", 1_234.56), ("1\u00a0234,56", 1_234.56), ("-1.234,56", -1_234.56),
        ("3,25", 3.25), ("4.25", 4.25), ("1234.5", 1_234.5),
        # a single dot before three digits is a decimal point in the workbook (as WORKBOOK.md writes 4.25)
        ("1.234", 1.234),
    ])
    def test_reads(self, cell, expected):
        assert as_number(cell) == expected

    @pytest.mark.parametrize("cell", ["(1.234,56)", "1.234,56-", "veel", "12.34,5", "nan", True, dt.date(2025, 1, 1),
                                      float("inf")])
    def test_refuses(self, cell):
        with pytest.raises(ValueError):
            as_number(cell)

    def test_stricter_than_the_ledger_on_accounting_notations(self):
        # The ledger's default reading accepts what accounting packages export; the workbook does not.
        assert parse_number("(1.234,56)") == parse_number("1.234,56-") == -1_234.56
        with pytest.raises(ValueError):
            as_number("(1.234,56)")

    def test_dot_decimal_differs_from_the_ledger_default(self):
        # The ledger decides the separator per column; alone, "1.234" is a thousand there.
        assert parse_number("1.234") == 1_234.0 and as_number("1.234") == 1.234

    def test_keeps_all_decimals(self):
        assert as_number("3,125") == 3.125 and as_number(0.123456) == 0.123456


def test_year_must_be_whole():
    assert as_year("2025") == 2025 and as_year(2025.0) == 2025
    with pytest.raises(ValueError):
        as_year(2025.5)


@pytest.mark.parametrize("cell, expected", [("ja", True), ("NEE", False), (1.0, True), (False, False)])
def test_yes_no(cell, expected):
    assert as_yes_no(cell) is expected


def test_collector_names_the_cell_in_dutch():
    c = Collector()
    row = Row(7, {"bedrag": "veel", "jaar": None})
    assert c.cell("kasstromen", row, "bedrag", as_number, "geldig bedrag", required=True) is None
    assert c.cell("kasstromen", row, "jaar", as_year, "geldig jaartal", required=True) is None
    assert c.cell("kasstromen", row, "oppervlakte_m2", as_number, "getal", required=False) is None
    assert [(p.sheet, p.row, p.column, p.reason) for p in c.problems] == [
        ("kasstromen", 7, "bedrag", "'veel' is geen geldig bedrag"),
        ("kasstromen", 7, "jaar", "verplichte waarde ontbreekt (lege cel)")]
