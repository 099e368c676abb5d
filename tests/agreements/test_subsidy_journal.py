"""The proposed regularisation entries of the subsidies (tests/agreement_books.py, grant G1)."""

import pytest

from agreement_books import agreement_sheets, frame
from igemo_fin.agreements.journal import subsidy_journal
from igemo_fin.agreements.subsidies import subsidy_schedule
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.valuation.evaluate import evaluate


def journal(write_book, **replace):
    ev = evaluate(read_workbook(write_book(agreement_sheets(**replace))))
    return subsidy_journal(subsidy_schedule(ev.basis.portfolio.agreements, ev))


def test_accrued_then_released(write_book):
    j = journal(write_book)
    # 2024: 120 earned, not received: debit 491, credit 740. 2025: the accrual goes: debit 740, credit 491.
    assert j[["boekjaar", "rekening", "debet", "credit"]].values.tolist() == [
        [2024, "491", 120.0, 0.0], [2024, "740", 0.0, 120.0],
        [2025, "740", 120.0, 0.0], [2025, "491", 0.0, 120.0]]


def test_deferred_income(write_book):
    j = journal(write_book, subsidie_ontvangsten=frame("besluit jaar bedrag", ("G1", 2024, 250), ("G1", 2025, 50)))
    # 2024: 250 received, 120 earned: 130 to 493 (debit 740, credit 493); 2025: back to 0.
    first = j[j["boekjaar"] == 2024]
    assert first[["rekening", "debet", "credit"]].values.tolist() == [["740", 130.0, 0.0], ["493", 0.0, 130.0]]
    for _, entry in j.groupby("boeking"):
        assert entry["debet"].sum() == pytest.approx(entry["credit"].sum())


def test_no_grant_no_entry(write_book):
    from igemo_fin.agreements.register import Agreements

    # A municipality without grants gets an empty schedule: its journal is empty, not an error.
    ev = evaluate(read_workbook(write_book(agreement_sheets())))
    empty = subsidy_schedule(Agreements(), ev)
    assert subsidy_journal(empty).empty
