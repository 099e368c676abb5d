"""The agreements view's totals, worked out by hand (tests/agreement_books.py: fund F, grant G1)."""

from agreement_books import agreement_sheets, frame
from igemo_fin.agreements.summary import agreements_view
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.valuation.evaluate import evaluate


def test_tiles_are_the_hand_worked_totals(write_book):
    view = agreements_view(evaluate(read_workbook(write_book(agreement_sheets()))))
    # Fund F settles 490: IGEMO 40 % = 196. Mechelen owes 350 of co-financing, 100 invoiced -> 250.
    # At 31/12/2025 the 300 received equals the 300 earned: nothing deferred.
    assert view.totals() == {"igemo_share": 196.0, "cofinancing_to_invoice": 250.0, "deferred_income_closing": 0.0}


def test_deferred_income_at_the_close_of_the_year_before_valuation(write_book):
    # Eligible costs of 2,000: by 2025 only A's 1,000 are spent -> 150 earned against 300 received.
    grant = frame("besluit subsidiegever project_code toegekend subsidiabele_kosten beginjaar eindjaar",
                  ("G1", "VLAIO", "A", 300, 2000, 2024, 2025))
    view = agreements_view(evaluate(read_workbook(write_book(agreement_sheets(subsidies=grant)))))
    assert view.totals()["deferred_income_closing"] == 150.0


def test_subsidies_by_year_add_up_the_grants(write_book):
    view = agreements_view(evaluate(read_workbook(write_book(agreement_sheets()))))
    per_year = view.subsidies_by_year().set_index("jaar")
    # 2024: 400 of 1,000 spent -> 120 earned, nothing received -> 120 accrued; 2025: 180 more, 300 received.
    assert per_year.loc[2024].to_dict() == {"recognised_in_year": 120.0, "received_in_year": 0.0,
                                            "deferred_income": 0.0, "accrued_income": 120.0}
    assert per_year.loc[2025].to_dict() == {"recognised_in_year": 180.0, "received_in_year": 300.0,
                                            "deferred_income": 0.0, "accrued_income": 0.0}
