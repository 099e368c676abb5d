"""The agreement sheets: read as documented, every problem refused at once with sheet, row and column."""

import pytest

from agreement_books import agreement_sheets, frame
from igemo_fin.errors import WorkbookError
from igemo_fin.inputs.workbook import read_workbook


def test_read_as_documented(write_book):
    a = read_workbook(write_book(agreement_sheets())).agreements
    assert a.funds.iloc[0]["projecten"] == ("A", "B")
    # A withdrawal is stored negative.
    assert a.fund_movements["bedrag"].tolist() == [20.0, -30.0]
    assert a.terms["jaar"].isna().tolist() == [True, False, True]
    assert not a.empty


def test_absent_sheets_are_empty(write_book):
    sheets = agreement_sheets()
    for name in ("grondfondsen", "grondfonds_bewegingen", "subsidies", "subsidie_ontvangsten", "cofinanciering",
                 "facturatie"):
        sheets.pop(name)
    portfolio = read_workbook(write_book(sheets))
    assert portfolio.agreements.empty
    assert "grondfondsen" not in portfolio.extra_sheets


def test_every_problem_at_once(write_book):
    sheets = agreement_sheets(
        grondfondsen=frame("fonds gemeente projecten beginjaar eindjaar overschot_igemo_pct tekort_gemeente_pct",
                           ("F", "Mechelen", "A; Z", 2024, 2028, 40, 60),
                           ("F", "Lier", "B", 2030, 2029, 140, 50)),
        grondfonds_bewegingen=frame("fonds jaar soort bedrag", ("F", 2040, "storting", 5), ("X", 2025, "gift", -1)),
        subsidies=frame("besluit subsidiegever project_code toegekend beginjaar eindjaar",
                        ("G1", "VLAIO", "A", 300, 2024, 2025), ("G2", "OVAM", "Q", -5, 2024, 2025)),
        subsidie_ontvangsten=frame("besluit jaar bedrag", ("G1", 2025, 200), ("G1", 2026, 200), ("G9", 2025, 1)),
        cofinanciering=frame("besluit gemeente sleutel_pct", ("G1", "Mechelen", 70), ("G1", "Lier", 40),
                             ("G1", "Lier", 1)),
        facturatie=frame("project_code versie moment jaar pct betalingstermijn_dagen",
                         ("A", "afgesproken", "ondertekening", None, 60, 400),
                         ("A", "afgesproken", "levering", 2027, 30, 0)),
    )
    with pytest.raises(WorkbookError) as refused:
        read_workbook(write_book(sheets))
    found = {(p.sheet, p.row, p.column) for p in refused.value.problems}
    expected = {
        ("grondfondsen", 2, "projecten"),        # Z is no project
        ("grondfondsen", 3, "fonds"),            # F twice
        ("grondfondsen", 3, "eindjaar"),         # 2029 before 2030
        ("grondfondsen", 3, "overschot_igemo_pct"),  # 140 %
        ("grondfonds_bewegingen", 2, "jaar"),    # 2040 outside 2024-2028
        ("grondfonds_bewegingen", 3, "fonds"),   # X unknown
        ("grondfonds_bewegingen", 3, "soort"),   # gift
        ("grondfonds_bewegingen", 3, "bedrag"),  # not positive
        ("subsidies", 3, "project_code"),        # Q unknown
        ("subsidies", 3, "toegekend"),           # negative
        ("subsidie_ontvangsten", 3, "bedrag"),   # 400 received of 300 granted
        ("subsidie_ontvangsten", 4, "besluit"),  # G9 unknown
        ("cofinanciering", 3, "sleutel_pct"),    # 70 + 40 > 100
        ("cofinanciering", 4, "gemeente"),       # Lier twice for G1
        ("facturatie", 2, "jaar"),               # signing needs a year
        ("facturatie", 2, "betalingstermijn_dagen"),  # 400 days
        ("facturatie", 3, "moment"),             # levering
    }
    assert expected <= found, expected - found
    reasons = " | ".join(p.reason for p in refused.value.problems)
    assert "meer dan 100 %" in reasons and "bestaat niet in het blad 'projecten'" in reasons


def test_terms_must_add_up_to_100(write_book):
    sheets = agreement_sheets(facturatie=frame("project_code versie moment jaar pct",
                                               ("A", "afgesproken", "oplevering", None, 90)))
    with pytest.raises(WorkbookError) as refused:
        read_workbook(write_book(sheets))
    (problem,) = refused.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("facturatie", 2, "pct")
    assert "90 %, niet 100 %" in problem.reason


def test_missing_column(write_book):
    sheets = agreement_sheets(subsidies=frame("besluit project_code", ("G1", "A")))
    with pytest.raises(WorkbookError) as refused:
        read_workbook(write_book(sheets))
    assert ("subsidies", 1, "toegekend") in {(p.sheet, p.row, p.column) for p in refused.value.problems}
