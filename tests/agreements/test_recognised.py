"""The valuation on recognised subsidy income is an option: the cash valuation stays as it was."""

import pytest

from agreement_books import agreement_sheets
from conftest import build_sheets, flat_credit
from agreement_books import FLOWS, V
from conftest import project
from igemo_fin.agreements.recognised import evaluate_recognised, recognised_basis, subsidy_mismatch
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.obligations.spread import return_spread
from igemo_fin.valuation.basis import Basis
from igemo_fin.valuation.evaluate import evaluate


@pytest.fixture
def basis(write_book):
    return Basis.of(read_workbook(write_book(agreement_sheets())))


def test_without_the_register_nothing_changes(write_book):
    from agreement_books import frame

    plain = read_workbook(write_book(build_sheets(
        [project("A", startjaar=2024, eindjaar=2027), project("B", startjaar=2024, eindjaar=2028)], FLOWS,
        credit=flat_credit(2020, 2035, rate=3.0), instellingen=frame("parameter waarde", ("waarderingsjaar", V)))))
    basis = Basis.of(plain).with_simulation(iterations=0)
    assert recognised_basis(basis) is basis


def test_subsidy_lines_follow_the_recognition(basis):
    rb = recognised_basis(basis)
    cf = rb.portfolio.cashflows
    lines = cf[(cf["project_code"] == "A") & (cf["categorie"] == "subsidies")].set_index("jaar")["bedrag"]
    # Recognised 120 in 2024 and 180 in 2025 instead of 300 received in 2025.
    assert lines.to_dict() == {2024: 120.0, 2025: 180.0}
    # The cash valuation's own portfolio is untouched.
    assert basis.portfolio.cashflows["bedrag"].sum() == FLOWS["bedrag"].mul(
        FLOWS["categorie"].map(lambda c: -1 if c in ("infrastructuur", "verwerving") else 1)).sum()


def test_result_is_the_same_the_spread_moves(basis):
    cash, rec = evaluate(basis), evaluate_recognised(basis)
    a_cash = cash.figures.set_index("project_code").loc["A"]
    a_rec = rec.figures.set_index("project_code").loc["A"]
    # Rate 0: the result is the plain sum, 900, either way.
    assert a_cash["result_nominal"] == a_rec["result_nominal"] == 900.0
    s_cash = return_spread(basis.portfolio, cash).set_index(["project_code", "jaar"])
    s_rec = return_spread(rec.basis.portfolio, rec).set_index(["project_code", "jaar"])
    # Revenues of 2024 hold the 120 recognised, not the 0 received.
    assert s_cash.loc[("A", 2024), "revenues"] == 0.0
    assert s_rec.loc[("A", 2024), "revenues"] == 120.0


def test_mismatch_is_reported(write_book):
    from agreement_books import frame

    sheets = agreement_sheets(subsidies=frame(
        "besluit subsidiegever project_code toegekend subsidiabele_kosten beginjaar eindjaar",
        ("G1", "VLAIO", "A", 400, 1000, 2024, 2025)))
    basis = Basis.of(read_workbook(write_book(sheets)))
    assert subsidy_mismatch(basis) == ["Project A: de prognose rekent op € 300,00 subsidies, het register kent "
                                       "€ 400,00 toe; de erkende waardering volgt het register."]
