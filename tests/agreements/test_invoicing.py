"""Invoicing terms: the prefinancing they imply, worked out by hand at 3.6 % (ACT/360)."""

import pytest

from agreement_books import frame
from conftest import build_sheets, flat_credit, flows, project
from igemo_fin.agreements.invoicing import invoiced_cash, prefinancing, signing_proposal, terms_basis
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.valuation.basis import Basis

R = 0.036


def test_cash_moves_with_the_payment_term():
    rows = frame("moment jaar pct betalingstermijn_dagen", ("ondertekening", 2026, 50, 73),
                 ("oplevering", None, 50, 73))
    # Sales 800 + 800 = 1600. Signing: 50 % * 1600 = 800 in 2026, 73 days = 0.2 year: 640 / 160.
    # Delivery: 400 per sales year, 320 stays, 80 moves on. 2026: 640 + 320; 2027: 160 + 320 + 80; 2028: 80.
    cash = invoiced_cash(rows, {2026: 800.0, 2027: 800.0}, 2026)
    assert cash == pytest.approx({2026: 960.0, 2027: 560.0, 2028: 80.0})


def test_a_passed_moment_is_invoiced_in_the_valuation_year():
    rows = frame("moment jaar pct betalingstermijn_dagen", ("vergunning", 2020, 100, 0))
    assert invoiced_cash(rows, {2027: 500.0}, 2026) == {2026: 500.0}


@pytest.fixture
def basis(write_book):
    sheets = build_sheets(
        [project("D", startjaar=2026, eindjaar=2028)],
        flows(("D", "prognose", 2026, "verwerving", 1000), ("D", "prognose", 2027, "verkoop", 600),
              ("D", "prognose", 2028, "verkoop", 600)),
        credit=flat_credit(2020, 2035, rate=R * 100),
        instellingen=frame("parameter waarde", ("waarderingsjaar", 2026)),
        facturatie=frame("project_code versie moment jaar pct betalingstermijn_dagen",
                         ("D", "afgesproken", "oplevering", None, 100, 0),
                         ("D", "voorstel", "ondertekening", 2026, 50, 0),
                         ("D", "voorstel", "oplevering", None, 50, 0)))
    return Basis.of(read_workbook(write_book(sheets)))


def test_prefinancing_and_interest_saved(basis):
    table, _ = prefinancing(basis)
    d = table.iloc[0]
    # Agreed (the forecast's timing): 2026 avg 0 + 1000/2 = 500, I = 3.6 % * 365/360 * 500 = 18.25, BV 1018.25;
    # 2027 avg 1018.25 - 300, I1 = .036*365/360*718.25; BV 444.466125 + ...; 2028 (366 days) likewise.
    i26 = R * 365 / 360 * 500
    bv27 = 1000 + i26
    i27 = R * 365 / 360 * (bv27 - 300)
    bv28 = bv27 - 600 + i27
    i28 = R * 366 / 360 * (bv28 - 300)
    assert d["interest"] == pytest.approx(i26 + i27 + i28)
    assert d["prefinancing_peak"] == pytest.approx(bv27)
    # Proposal: 50 % of 1200 at signing in 2026: CF 2026 = -400, avg 200; 2027 +300; 2028 +300.
    p26 = R * 365 / 360 * 200
    pv27 = 400 + p26
    p27 = R * 365 / 360 * (pv27 - 150)
    pv28 = pv27 - 300 + p27
    p28 = R * 366 / 360 * max(pv28 - 150, 0)
    assert d["interest_proposed"] == pytest.approx(p26 + p27 + p28)
    assert d["interest_saved"] == pytest.approx(i26 + i27 + i28 - (p26 + p27 + p28))
    assert d["peak_lowered"] == pytest.approx(bv27 - pv27)


def test_what_if_signing(basis):
    terms = basis.portfolio.agreements.terms
    what_if = signing_proposal(terms, "D", 50, 2026)
    table, _ = prefinancing(basis, what_if)
    sheet, _ = prefinancing(basis)
    # The same proposal as the sheet's: 50 % at signing, the agreed delivery for the rest.
    assert table.iloc[0]["interest_saved"] == pytest.approx(sheet.iloc[0]["interest_saved"])


def test_cash_after_the_credit_table_takes_its_last_rate(write_book):
    sheets = build_sheets(
        [project("D", startjaar=2026, eindjaar=2028)],
        flows(("D", "prognose", 2026, "verwerving", 1000), ("D", "prognose", 2028, "verkoop", 1200)),
        credit=flat_credit(2020, 2028, rate=2.0), instellingen=frame("parameter waarde", ("waarderingsjaar", 2026)),
        facturatie=frame("project_code versie moment jaar pct betalingstermijn_dagen",
                         ("D", "voorstel", "oplevering", None, 100, 365)))
    moved = terms_basis(Basis.of(read_workbook(write_book(sheets))), "voorstel")
    # A year's payment term moves the 2028 sales to 2029, after the table: 2029 takes 2028's rate.
    assert moved.portfolio.credit["jaar"].max() == 2029
    assert moved.portfolio.credit.iloc[-1]["rentevoet_pct"] == 2.0
