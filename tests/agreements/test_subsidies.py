"""Subsidies recognised by the progress of the eligible costs (tests/agreement_books.py, grant G1)."""

import pytest

from agreement_books import agreement_sheets
from igemo_fin.agreements.subsidies import cofinancing_owed, subsidy_schedule
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.valuation.evaluate import evaluate


@pytest.fixture
def ev(write_book):
    return evaluate(read_workbook(write_book(agreement_sheets())))


def test_recognised_follows_the_eligible_costs(ev):
    s = subsidy_schedule(ev.basis.portfolio.agreements, ev).set_index("jaar")
    # 2024: 400 of 1000 eligible spent -> 300 * 0.4 = 120; 2025: 1000 of 1000 -> 300 (180 in the year).
    assert s.loc[2024, "recognised_in_year"] == 120.0
    assert s.loc[2025, "recognised_in_year"] == 180.0
    assert s.loc[2025, "recognised_cumulative"] == 300.0
    # Costs after the period (none for A) and sales recognise nothing more.
    assert s.loc[2027, "recognised_in_year"] == 0.0


def test_deferred_and_accrued_income(ev):
    s = subsidy_schedule(ev.basis.portfolio.agreements, ev).set_index("jaar")
    # 2024: 120 earned, nothing received -> accrued 120; 2025: 300 received = 300 earned -> 0.
    assert (s.loc[2024, "accrued_income"], s.loc[2024, "deferred_income"]) == (120.0, 0.0)
    assert (s.loc[2025, "accrued_income"], s.loc[2025, "deferred_income"]) == (0.0, 0.0)
    assert s.loc[2025, "received_cumulative"] == 300.0


def test_received_ahead_is_deferred(write_book):
    from agreement_books import frame

    sheets = agreement_sheets(subsidie_ontvangsten=frame("besluit jaar bedrag", ("G1", 2024, 250), ("G1", 2025, 50)))
    ev = evaluate(read_workbook(write_book(sheets)))
    s = subsidy_schedule(ev.basis.portfolio.agreements, ev).set_index("jaar")
    # 2024: 250 received - 120 earned = 130 deferred.
    assert s.loc[2024, "deferred_income"] == 130.0


def test_cofinancing_owed_and_to_invoice(ev):
    c = cofinancing_owed(ev.basis.portfolio.agreements, ev).iloc[0]
    # Uncovered: 1000 eligible - 300 grant = 700; Mechelen's key 50 % -> 350, all spent by 2025.
    assert c["cofinancing_total"] == 350.0
    assert c["owed_to_date"] == 350.0
    # Invoiced 100 -> 250 still to invoice.
    assert c["to_invoice"] == 250.0
