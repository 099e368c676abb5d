"""Obligations (DOMAIN.md, "Risk, sharing and provisions"): figures worked out by hand.

The fixture portfolio runs at a 0 % cash-credit rate, so every result is the plain sum of the flows
and the arithmetic below stays on paper. Valuation year V = 2025 (the past is 2022-2024).

Project W (Mechelen): winstdeling 40 % above a threshold of 50,000.
    2022 verwerving 400,000 | 2023 infrastructuur 600,000 | 2024 verkoop 250,000
    2025 verkoop 500,000    | 2026 verkoop 500,000
    result = 1,250,000 - 1,000,000 = 250,000; above threshold 200,000; owed = 40 % = 80,000
    POC(V) = (1,000,000 / 1,000,000) * (250,000 / 1,250,000) = 0.2 -> provision 16,000
    POC at year ends: 2022 0.4 * 0 = 0 | 2023 1 * 0 = 0 | 2024 0.2 | 2025 1 * 750/1250 = 0.6 | 2026 1
    provision closing: 0 | 0 | 16,000 | 48,000 | 80,000

Project Q (Mechelen): winstdeling 10 %, no threshold; the provision lands on half a cent.
    2024 verwerving 300,000, verkoop 550,001.50 | 2025 infrastructuur 700,000, verkoop 550,001.50
    result = 1,100,003 - 1,000,000 = 100,003; owed = 10,000.30
    POC(V) = (300,000 / 1,000,000) * (550,001.50 / 1,100,003) = 0.3 * 0.5 = 0.15
    provision = 10,000.30 * 0.15 = 1,500.045 -> half up 1,500.05 (Python's round() of the float
    product gives 1,500.04)

Project L (Bonheiden): a loss, risicodeling 40 % capped at 150,000.
    2023 verwerving 1,000,000 | 2026 verkoop 500,000 -> result -500,000, loss 500,000
    40 % = 200,000 > cap -> municipality 150,000, IGEMO 350,000 = write-down
    book value at 1/1/2025 = 1,000,000 -> all of it on the stock

Project H (Bonheiden): a loss of 10.01 split 50/50 without cap.
    2024 verwerving 100,000.01 | 2025 verkoop 99,990 -> result -10.01
    50 % = 5.005 -> municipality 5.01 (half up), IGEMO 5.00

Project P (Putte): winstdeling 50 %, nothing sold yet.
    2024 verwerving 100,000 | 2025 verkoop 200,000.01 -> result 100,000.01
    owed = 50,000.005 -> 50,000.01; POC = 1 * 0 = 0 -> provision 0
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.valuation.portfolio import Portfolio
from igemo_fin.obligations.provisions import (
    JOURNAL_COLUMNS,
    LOSS_SHARING_COLUMNS,
    MUNICIPALITY_COLUMNS,
    OBLIGATION_COLUMNS,
    PROFIT_SHARING_COLUMNS,
    PROVISION_MOVEMENT_COLUMNS,
    RETURN_SPREAD_COLUMNS,
    RETURN_SPREAD_PORTFOLIO_COLUMNS,
    WRITE_DOWN_COLUMNS,
    journal_xlsx,
    loss_shares,
    loss_sharing,
    municipality_statement_xlsx,
    municipality_summary,
    obligation_totals,
    obligations,
    percentage_of_completion,
    profit_share_owed,
    profit_share_provision,
    profit_sharing,
    provision_journal,
    provision_journal_xlsx,
    provision_movements,
    return_spread,
    return_spread_portfolio,
    write_downs,
)
from igemo_fin.inputs.workbook import read_workbook

from conftest import build_sheets, flat_credit, flows, project

V = 2025


def _projects():
    return [
        project("W", gemeente="Mechelen", winstdeling_gemeente_pct=40, winstdeling_drempel=50_000),
        project("Q", gemeente="Mechelen", winstdeling_gemeente_pct=10),
        project("L", gemeente="Bonheiden", naam="=HYPERLINK(\"http://x\")", risicodeling_gemeente_pct=40,
                risicodeling_plafond=150_000),
        project("H", gemeente="Bonheiden", risicodeling_gemeente_pct=50),
        project("P", gemeente="Putte", winstdeling_gemeente_pct=50),
    ]


def _flows():
    return flows(
        ("W", "prognose", 2022, "verwerving", 400_000), ("W", "prognose", 2023, "infrastructuur", 600_000),
        ("W", "prognose", 2024, "verkoop", 250_000), ("W", "prognose", 2025, "verkoop", 500_000),
        ("W", "prognose", 2026, "verkoop", 500_000),
        ("Q", "prognose", 2024, "verwerving", 300_000), ("Q", "prognose", 2024, "verkoop", 550_001.50),
        ("Q", "prognose", 2025, "infrastructuur", 700_000), ("Q", "prognose", 2025, "verkoop", 550_001.50),
        ("L", "prognose", 2023, "verwerving", 1_000_000), ("L", "prognose", 2026, "verkoop", 500_000),
        ("H", "prognose", 2024, "verwerving", 100_000.01), ("H", "prognose", 2025, "verkoop", 99_990),
        ("P", "prognose", 2024, "verwerving", 100_000), ("P", "prognose", 2025, "verkoop", 200_000.01),
    )


@pytest.fixture
def book(write_book):
    path = write_book(build_sheets(_projects(), _flows(), flat_credit(rate=0.0)))
    portfolio = read_workbook(path)
    return portfolio, evaluate(portfolio, valuation_year=V)


def _row(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame.set_index("project_code").loc[code]


def _half_up(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------- pure functions

class TestPureFunctions:
    def test_poc_hand_worked(self):
        # 300,000 / 1,000,000 * 500,000 / 1,000,000 = 0.15; nothing sold -> 0; totals 0 -> 0
        assert percentage_of_completion(300_000, 1_000_000, 500_000, 1_000_000).tolist() == [0.15]
        assert percentage_of_completion(300_000, 1_000_000, 0, 1_000_000).tolist() == [0.0]
        assert percentage_of_completion(0, 0, 0, 0).tolist() == [0.0]

    def test_poc_is_clipped_to_one(self):
        # realised above the total (future credit notes) counts as complete, not beyond
        assert percentage_of_completion(1_200_000, 1_000_000, 1_000_000, 1_000_000).tolist() == [1.0]

    @pytest.mark.parametrize("result, pct, threshold, owed", [
        (250_000, 40, 50_000, 80_000.00),   # 40 % of 200,000
        (100_000.01, 50, 0, 50_000.01),     # 50,000.005 -> half up
        (100_000.03, 50, 0, 50_000.02),     # 50,000.015 -> half up 50,000.02
        (40_000, 40, 50_000, 0.0),          # below the threshold
        (-10_000, 40, 0, 0.0),              # a loss owes nothing
        (250_000, float("nan"), float("nan"), 0.0),  # empty cells: 0 % share
    ])
    def test_owed(self, result, pct, threshold, owed):
        assert profit_share_owed(result, pct, threshold).tolist() == [owed]

    def test_provision_lands_on_half_a_cent(self):
        # 10,000.30 * 0.3 * 0.5 = 1,500.045 -> 1,500.05; round(10_000.30 * 0.3 * 0.5, 2) gives 1,500.04
        assert profit_share_provision(10_000.30, 300_000, 1_000_000, 500_000, 1_000_000).tolist() == [1500.05]

    def test_loss_shares_half_cent_and_cap(self):
        # 10.01 * 50 % = 5.005 -> 5.01 and IGEMO 5.00; 500,000 * 40 % = 200,000 capped at 150,000
        m, i = loss_shares([10.01, 500_000], [50, 40], [np.nan, 150_000])
        assert m.tolist() == [5.01, 150_000.0]
        assert i.tolist() == [5.0, 350_000.0]

    @settings(max_examples=300, deadline=None)
    @given(loss=st.integers(0, 10**12), pct=st.floats(0, 100, allow_nan=False),
           cap=st.one_of(st.none(), st.integers(0, 10**12)))
    def test_shares_add_up_and_cap_holds(self, loss, pct, cap):
        euros = loss / 100
        m, i = loss_shares(euros, pct, np.nan if cap is None else cap / 100)
        m_c, i_c = round(m[0] * 100), round(i[0] * 100)
        assert m_c + i_c == loss
        assert 0 <= m_c and 0 <= i_c
        if cap is not None:
            assert m_c <= cap
        exact = Decimal(loss) * Decimal(repr(pct)) / 100
        uncapped = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        assert m_c == (uncapped if cap is None else min(uncapped, cap))

    @settings(max_examples=300, deadline=None)
    @given(result=st.integers(-10**11, 10**11), pct=st.floats(0, 100, allow_nan=False),
           threshold=st.integers(-10**9, 10**11),
           costs=st.tuples(st.integers(-10**9, 10**11), st.integers(-10**9, 10**11)),
           revenues=st.tuples(st.integers(-10**9, 10**11), st.integers(-10**9, 10**11)))
    def test_provision_never_exceeds_owed(self, result, pct, threshold, costs, revenues):
        owed = profit_share_owed(result / 100, pct, threshold / 100)[0]
        provision = profit_share_provision(owed, costs[0] / 100, costs[1] / 100, revenues[0] / 100,
                                           revenues[1] / 100)[0]
        assert 0 <= provision <= owed
        assert owed <= max(result - threshold, 0) / 100
        assert (Decimal(repr(float(owed))) * 100) % 1 == 0  # whole cents
        assert (Decimal(repr(float(provision))) * 100) % 1 == 0


# --------------------------------------------------------------------------- risk sharing

class TestLossSharing:
    def test_columns(self, book):
        frame = loss_sharing(*book)
        assert tuple(frame.columns) == LOSS_SHARING_COLUMNS
        assert frame["project_code"].tolist() == ["W", "Q", "L", "H", "P"]

    def test_hand_worked(self, book):
        frame = loss_sharing(*book)
        l_row, h_row, w_row = _row(frame, "L"), _row(frame, "H"), _row(frame, "W")
        # L: 500,000 at 40 % = 200,000, capped at 150,000; IGEMO 350,000
        assert (l_row["loss"], l_row["loss_share_municipality"], l_row["loss_share_igemo"]) == (
            500_000.0, 150_000.0, 350_000.0)
        assert bool(l_row["cap_reached"])
        # H: 10.01 at 50 % = 5.005 -> 5.01; IGEMO 5.00
        assert (h_row["loss"], h_row["loss_share_municipality"], h_row["loss_share_igemo"]) == (10.01, 5.01, 5.0)
        assert not bool(h_row["cap_reached"])
        # W makes a profit: no loss to share
        assert (w_row["loss"], w_row["loss_share_municipality"], w_row["loss_share_igemo"]) == (0.0, 0.0, 0.0)

    def test_shares_add_up_to_the_loss(self, book):
        frame = loss_sharing(*book)
        total = (frame["loss_share_municipality"] * 100).round() + (frame["loss_share_igemo"] * 100).round()
        assert total.tolist() == (frame["loss"] * 100).round().tolist()

    def test_p90_loss(self, book):
        # L: P90 loss 700,000 at 40 % = 280,000 -> capped at 150,000; IGEMO 550,000.
        # W: a negative P90 loss is no loss; projects without a P90 get NaN.
        frame = loss_sharing(*book, loss_p90=pd.Series({"L": 700_000.0, "W": -5.0}))
        l_row, w_row, h_row = _row(frame, "L"), _row(frame, "W"), _row(frame, "H")
        assert (l_row["loss_p90"], l_row["loss_p90_municipality"], l_row["loss_p90_igemo"]) == (
            700_000.0, 150_000.0, 550_000.0)
        assert (w_row["loss_p90"], w_row["loss_p90_municipality"], w_row["loss_p90_igemo"]) == (0.0, 0.0, 0.0)
        assert np.isnan(h_row["loss_p90"]) and np.isnan(h_row["loss_p90_igemo"])

    def test_municipality_summary(self, book):
        frame = municipality_summary(*book).set_index("gemeente")
        assert tuple(frame.reset_index().columns) == MUNICIPALITY_COLUMNS
        assert frame.index.tolist() == ["Mechelen", "Bonheiden", "Putte"]
        bonheiden = frame.loc["Bonheiden"]
        # L + H: loss 500,010.01; municipality 150,000 + 5.01; IGEMO 350,000 + 5.00
        assert bonheiden["project_count"] == 2 and bonheiden["loss_project_count"] == 2
        assert bonheiden["loss"] == 500_010.01
        assert bonheiden["loss_share_municipality"] == 150_005.01
        assert bonheiden["loss_share_igemo"] == 350_005.0
        assert bonheiden["write_down"] == 350_005.0
        assert np.isnan(bonheiden["loss_p90"])
        mechelen = frame.loc["Mechelen"]
        # W 80,000 + Q 10,000.30 owed; provisions 16,000 + 1,500.05
        assert mechelen["profit_share_owed"] == 90_000.30
        assert mechelen["profit_share_provision"] == 17_500.05
        assert mechelen["loss"] == 0.0
        assert frame.loc["Putte", "profit_share_owed"] == 50_000.01


# --------------------------------------------------------------------------- profit sharing

class TestProfitSharing:
    def test_columns(self, book):
        assert tuple(profit_sharing(*book).columns) == PROFIT_SHARING_COLUMNS

    def test_hand_worked(self, book):
        frame = profit_sharing(*book)
        w = _row(frame, "W")
        assert w["result_nominal"] == 250_000.0
        assert w["profit_above_threshold"] == 200_000.0
        assert w["profit_share_owed"] == 80_000.0
        assert (w["costs_realised"], w["total_costs"]) == (1_000_000.0, 1_000_000.0)
        assert (w["revenues_realised"], w["total_revenues"]) == (250_000.0, 1_250_000.0)
        assert (w["poc_costs"], w["poc_revenues"], w["poc"]) == (1.0, 0.2, 0.2)
        assert w["profit_share_provision"] == 16_000.0
        q = _row(frame, "Q")
        assert q["profit_share_owed"] == 10_000.30
        assert q["poc"] == pytest.approx(0.15, abs=1e-15)
        assert q["profit_share_provision"] == 1_500.05  # 1,500.045 half up
        p = _row(frame, "P")
        assert p["profit_share_owed"] == 50_000.01  # 50,000.005 half up
        assert (p["poc"], p["profit_share_provision"]) == (0.0, 0.0)  # nothing sold yet
        l_row = _row(frame, "L")
        assert (l_row["profit_share_owed"], l_row["profit_share_provision"]) == (0.0, 0.0)

    def test_provision_after_the_sale(self, write_book):
        # P valued in 2026: all costs and revenues realised -> POC 1, provision = owed = 50,000.01
        path = write_book(build_sheets(_projects(), _flows(), flat_credit(rate=0.0)))
        portfolio = read_workbook(path)
        frame = profit_sharing(portfolio, evaluate(portfolio, valuation_year=2026))
        assert _row(frame, "P")["profit_share_provision"] == 50_000.01
        assert (frame["profit_share_provision"] <= frame["profit_share_owed"]).all()

    def test_movements_hand_worked(self, book):
        moves = provision_movements(*book)
        assert tuple(moves.columns) == PROVISION_MOVEMENT_COLUMNS
        w = moves[moves["project_code"] == "W"].set_index("jaar")
        # closing = 80,000 * POC(year end): 0, 0, 16,000, 48,000, 80,000
        assert w["closing"].tolist() == [0.0, 0.0, 16_000.0, 48_000.0, 80_000.0]
        assert w["opening"].tolist() == [0.0, 0.0, 0.0, 16_000.0, 48_000.0]
        assert w["addition"].tolist() == [0.0, 0.0, 16_000.0, 32_000.0, 32_000.0]
        assert w["release"].tolist() == [0.0] * 5
        assert w["is_past"].tolist() == [True, True, True, False, False]
        # the closing of V - 1 is the provision that stands now
        assert w.loc[V - 1, "closing"] == _row(profit_sharing(*book), "W")["profit_share_provision"]

    def test_release_when_a_credit_note_lowers_completion(self, write_book):
        # R: 100 % of a 100,000 profit is owed. 2023 verwerving 100,000 | 2024 verkoop 100,000 |
        # 2025 credit note on verkoop -50,000 | 2026 verkoop 150,000 -> revenues 200,000.
        # POC: 2023 0 | 2024 100/200 = 0.5 -> 50,000 | 2025 50/200 = 0.25 -> 25,000 (release 25,000) | 2026 1
        sheets = build_sheets([project("R", winstdeling_gemeente_pct=100)], flows(
            ("R", "prognose", 2023, "verwerving", 100_000), ("R", "prognose", 2024, "verkoop", 100_000),
            ("R", "prognose", 2025, "verkoop", -50_000), ("R", "prognose", 2026, "verkoop", 150_000)),
            flat_credit(rate=0.0))
        portfolio = read_workbook(write_book(sheets))
        ev = evaluate(portfolio, valuation_year=2026)
        moves = provision_movements(portfolio, ev).set_index("jaar")
        assert moves["closing"].tolist() == [0.0, 50_000.0, 25_000.0, 100_000.0]
        assert moves["release"].tolist() == [0.0, 0.0, 25_000.0, 0.0]
        assert moves["addition"].tolist() == [0.0, 50_000.0, 0.0, 75_000.0]
        journal = provision_journal(portfolio, ev)
        # 2024: debit 6380 / credit 164 50,000; 2025: debit 164 / credit 6381 25,000
        lines = journal[["boekjaar", "rekening", "debet", "credit"]].values.tolist()
        assert lines == [[2024, "6380", 50_000.0, 0.0], [2024, "164", 0.0, 50_000.0],
                         [2025, "164", 25_000.0, 0.0], [2025, "6381", 0.0, 25_000.0]]


# --------------------------------------------------------------------------- spread of the return

class TestReturnSpread:
    def test_hand_worked_profit(self, book):
        spread = return_spread(*book)
        assert tuple(spread.columns) == RETURN_SPREAD_COLUMNS
        w = spread[spread["project_code"] == "W"].set_index("jaar")
        # recognised = 250,000 * POC: 0, 0, 50,000, 150,000, 250,000
        assert w["recognised_cumulative"].tolist() == [0.0, 0.0, 50_000.0, 150_000.0, 250_000.0]
        assert w["recognised_in_year"].tolist() == [0.0, 0.0, 50_000.0, 100_000.0, 100_000.0]
        # IGEMO's part: minus the provision standing (0, 0, 16,000, 48,000, 80,000)
        assert w["recognised_igemo_cumulative"].tolist() == [0.0, 0.0, 34_000.0, 102_000.0, 170_000.0]
        # cash: -400,000, -600,000, +250,000, +500,000, +500,000 (no interest at 0 %)
        assert w["cash_result"].tolist() == [-400_000.0, -600_000.0, 250_000.0, 500_000.0, 500_000.0]
        assert w["cash_result_cumulative"].iloc[-1] == w["recognised_cumulative"].iloc[-1] == 250_000.0

    def test_loss_recognised_at_once(self, book):
        spread = return_spread(*book)
        l_rows = spread[spread["project_code"] == "L"].set_index("jaar")
        # foreseen at this valuation: the accounts of V - 1 = 2024 take the whole loss
        assert l_rows["recognised_in_year"].tolist() == [0.0, -500_000.0, 0.0, 0.0]
        assert l_rows["recognised_igemo_in_year"].tolist() == [0.0, -350_000.0, 0.0, 0.0]

    def test_portfolio_adds_up(self, book):
        portfolio, ev = book
        total = return_spread_portfolio(portfolio, ev)
        assert tuple(total.columns) == RETURN_SPREAD_PORTFOLIO_COLUMNS
        assert total["jaar"].tolist() == [2022, 2023, 2024, 2025, 2026]
        results = 250_000 + 100_003 - 500_000 - 10.01 + 100_000.01
        assert total["recognised_cumulative"].iloc[-1] == pytest.approx(results, abs=1e-6)
        assert total["cash_result_cumulative"].iloc[-1] == pytest.approx(results, abs=1e-6)
        # 2024: W 250,000 * 0.2 = 50,000; Q 100,003 * 0.15 = 15,000.45; L -500,000 (foreseen loss);
        #       H -10.01 (its first year: the span starts in 2024); P 0 (nothing sold)
        spread = return_spread(portfolio, ev)
        by_project = spread[spread["jaar"] == 2024].set_index("project_code")["recognised_in_year"]
        assert by_project.to_dict() == {"W": 50_000.0, "Q": 15_000.45, "L": -500_000.0, "H": -10.01, "P": 0.0}
        assert total.set_index("jaar").loc[2024, "recognised_in_year"] == pytest.approx(
            50_000 + 15_000.45 - 500_000 - 10.01, abs=1e-6)


# --------------------------------------------------------------------------- write-downs

class TestWriteDowns:
    def test_hand_worked(self, book):
        frame = write_downs(*book)
        assert tuple(frame.columns) == WRITE_DOWN_COLUMNS
        l_row = _row(frame, "L")
        assert (l_row["write_down"], l_row["book_value"], l_row["write_down_on_stock"],
                l_row["write_down_as_provision"]) == (350_000.0, 1_000_000.0, 350_000.0, 0.0)
        assert _row(frame, "H")["write_down"] == 5.0
        assert _row(frame, "W")["write_down"] == 0.0
        assert frame["write_down"].sum() == pytest.approx(350_005.0)
        # at 0 % nothing changed since V - 1: the movement is zero and known
        assert l_row["previous_valuation_year"] == 2024
        assert (l_row["write_down_previous"], l_row["movement"], l_row["addition"]) == (350_000.0, 0.0, 0.0)

    def test_movement_against_a_stored_valuation(self, book):
        stored = pd.DataFrame({"project_code": ["L", "H"], "write_down": [300_000.0, 10.0], "valuation_year": 2024})
        frame = write_downs(*book, previous=stored)
        l_row, h_row, w_row = _row(frame, "L"), _row(frame, "H"), _row(frame, "W")
        assert (l_row["movement"], l_row["addition"], l_row["release"]) == (50_000.0, 50_000.0, 0.0)
        assert (h_row["movement"], h_row["addition"], h_row["release"]) == (-5.0, 0.0, 5.0)
        assert np.isnan(w_row["movement"])  # not in the stored valuation

    def test_no_comparison(self, book):
        frame = write_downs(*book, previous=None)
        assert frame["write_down_previous"].isna().all() and frame["movement"].isna().all()

    def test_write_down_above_the_stock(self, write_book):
        # X: 2025 verwerving 100,000 | 2026 infrastructuur 400,000 | 2027 verkoop 200,000
        # result -300,000, no sharing -> write-down 300,000; at 1/1/2025 the stock is 0:
        # nothing on the stock, all 300,000 as a provision for risks and charges.
        sheets = build_sheets([project("X")], flows(
            ("X", "prognose", 2025, "verwerving", 100_000), ("X", "prognose", 2026, "infrastructuur", 400_000),
            ("X", "prognose", 2027, "verkoop", 200_000)), flat_credit(rate=0.0))
        portfolio = read_workbook(write_book(sheets))
        frame = write_downs(portfolio, evaluate(portfolio, valuation_year=2025))
        x = _row(frame, "X")
        assert (x["write_down"], x["write_down_on_stock"], x["write_down_as_provision"]) == (300_000.0, 0.0, 300_000.0)


# --------------------------------------------------------------------------- journal and exports

class TestJournal:
    def test_profit_share_entries(self, book):
        journal = provision_journal(*book)
        assert tuple(journal.columns) == JOURNAL_COLUMNS
        # past years: W adds 16,000 in 2024, Q adds 1,500.05 in 2024; nothing else
        lines = journal[["boeking", "boekjaar", "project_code", "rekening", "debet", "credit"]].values.tolist()
        assert lines == [[1, 2024, "W", "6380", 16_000.0, 0.0], [1, 2024, "W", "164", 0.0, 16_000.0],
                         [2, 2024, "Q", "6380", 1_500.05, 0.0], [2, 2024, "Q", "164", 0.0, 1_500.05]]

    def test_every_entry_balances_and_write_downs(self, book):
        portfolio, ev = book
        stored = pd.DataFrame({"project_code": ["L", "H"], "write_down": [300_000.0, 10.0]})
        journal = provision_journal(portfolio, ev, write_down_frame=write_downs(portfolio, ev, previous=stored))
        sums = journal.groupby("boeking")[["debet", "credit"]].sum()
        assert (sums["debet"].round(2) == sums["credit"].round(2)).all()
        wd = journal[journal["soort"] == "waardevermindering"]
        # L: +50,000 -> debit 6310 / credit 359; H: -5.00 -> debit 359 / credit 6311; booked in V - 1
        assert wd[["project_code", "rekening", "debet", "credit"]].values.tolist() == [
            ["L", "6310", 50_000.0, 0.0], ["L", "359", 0.0, 50_000.0],
            ["H", "359", 5.0, 0.0], ["H", "6311", 0.0, 5.0]]
        assert set(wd["boekjaar"]) == {V - 1}

    def test_years_filter(self, book):
        assert provision_journal(*book, years=[2023]).empty

    def test_excel_export(self, book):
        data = provision_journal_xlsx(*book)
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert [c.value for c in sheet[3]][:10] == ["Boeking", "Boekjaar", "Datum", "Project", "Gemeente", "Soort",
                                                   "Rekening", "Rekeningnaam", "Debet", "Credit"]
        assert sheet["G4"].value == "6380" and sheet["G4"].data_type == "s"
        assert sheet["I4"].value == 16_000 and "[$€-813]" in sheet["I4"].number_format
        assert sheet["C4"].number_format == "dd/mm/yyyy"
        assert sheet["H8"].value == "Totaal" and sheet["I8"].value == sheet["J8"].value == 17_500.05

    def test_journal_text_is_never_a_formula(self):
        journal = pd.DataFrame([(1, 2024, pd.Timestamp("2024-12-31").date(), "=1+1", "@SUM(A1)", "winstdeling",
                                 "164", "x", 1.0, 0.0, "-2+3", "")], columns=list(JOURNAL_COLUMNS))
        sheet = openpyxl.load_workbook(io.BytesIO(journal_xlsx(journal))).active
        for ref in ("D4", "E4", "K4"):
            assert sheet[ref].data_type == "s" and sheet[ref].quotePrefix
        assert sheet["D4"].value == "=1+1"


class TestMunicipalityStatement:
    def test_one_page_for_bonheiden(self, book):
        data = municipality_statement_xlsx(*book, "Bonheiden", loss_p90=pd.Series({"L": 700_000.0}))
        wb = openpyxl.load_workbook(io.BytesIO(data))
        sheet = wb.active
        assert "Bonheiden" in sheet["A1"].value
        headers = [c.value for c in sheet[4] if c.value]
        assert headers[:3] == ["Project", "Naam", "Status"]
        assert "Verlies gedragen door de gemeente" in headers and "Verlies P90 (pessimistisch)" in headers
        rows = {sheet.cell(r, 1).value: r for r in range(5, 9)}
        assert set(rows) >= {"L", "H", "Totaal"}
        col = headers.index("Verlies gedragen door de gemeente") + 1
        assert sheet.cell(rows["L"], col).value == 150_000
        assert sheet.cell(rows["H"], col).value == 5.01
        assert sheet.cell(rows["Totaal"], col).value == 150_005.01
        assert "[$€-813]" in sheet.cell(rows["L"], col).number_format
        # the project name that looks like a formula stays text
        name = sheet.cell(rows["L"], 2)
        assert name.value == "=HYPERLINK(\"http://x\")" and name.data_type == "s" and name.quotePrefix
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToHeight in (1, None) and sheet.page_setup.fitToWidth in (1, None)

    def test_unknown_municipality(self, book):
        with pytest.raises(ValueError, match="geen projecten voor gemeente 'Lier'"):
            municipality_statement_xlsx(*book, "Lier")


# --------------------------------------------------------------------------- CLI figures

class TestObligations:
    def test_per_project_and_totals(self, book):
        frame = obligations(*book)
        assert tuple(frame.columns) == OBLIGATION_COLUMNS
        l_row = _row(frame, "L")
        assert (l_row["write_down"], l_row["loss_share_igemo"], l_row["loss_share_municipality"]) == (
            350_000.0, 350_000.0, 150_000.0)
        totals = obligation_totals(*book)
        assert totals == {
            "loss_total": 500_010.01, "loss_share_municipality_total": 150_005.01,
            "loss_share_igemo_total": 350_005.0, "profit_share_owed_total": 140_000.31,
            "profit_share_provision_total": 17_500.05, "write_down_total": 350_005.0}


# --------------------------------------------------------------------------- properties end to end

_YEARS = st.integers(2020, 2030)
_AMOUNTS = st.integers(1, 10**8).map(lambda c: c / 100)


@st.composite
def _portfolios(draw):
    """A one-project Portfolio built directly (no workbook I/O): random flows, sharing terms."""
    n = draw(st.integers(1, 8))
    rows = [("A", "prognose", draw(_YEARS), draw(st.sampled_from(["verwerving", "infrastructuur", "verkoop"])),
             draw(_AMOUNTS)) for _ in range(n)]
    cf = pd.DataFrame(rows, columns=["project_code", "versie", "jaar", "categorie", "bedrag"])
    cf["bedrag"] = np.where(cf["categorie"] == "verkoop", cf["bedrag"], -cf["bedrag"])
    projects = pd.DataFrame([project("A", startjaar=2020, eindjaar=2030, bestemming_zeker=True,
                                     winstdeling_gemeente_pct=draw(st.floats(0, 100)),
                                     winstdeling_drempel=draw(st.integers(0, 10**6)),
                                     risicodeling_gemeente_pct=draw(st.floats(0, 100)),
                                     risicodeling_plafond=draw(st.one_of(st.just(np.nan), st.integers(0, 10**6))))])
    for column in ("oppervlakte_m2", "marktwaarde_huidige_staat", "risicodeling_gemeente_pct", "risicodeling_plafond",
                   "winstdeling_gemeente_pct", "winstdeling_drempel"):
        projects[column] = pd.to_numeric(projects[column], errors="coerce").astype(float)
    credit = flat_credit(first=2015, last=2035, rate=draw(st.sampled_from([0.0, 2.5, 4.0])))
    credit["rente_werkelijk"] = np.nan
    return Portfolio(projects=projects, cashflows=cf, credit=credit.astype({"kredietlimiet": float}))


class TestProperties:
    @settings(max_examples=60, deadline=None)
    @given(portfolio=_portfolios(), year=st.integers(2019, 2032))
    def test_provision_never_exceeds_owed(self, portfolio, year):
        ev = evaluate(portfolio, valuation_year=year)
        frame = profit_sharing(portfolio, ev)
        assert (frame["profit_share_provision"] >= 0).all()
        assert (frame["profit_share_provision"] <= frame["profit_share_owed"]).all()
        moves = provision_movements(portfolio, ev)
        assert (moves["closing"] <= moves["profit_share_owed"]).all()
        assert ((moves["closing"] - moves["opening"] - moves["addition"] + moves["release"]).abs() < 1e-6).all()
        shares = loss_sharing(portfolio, ev)
        cents = (shares[["loss", "loss_share_municipality", "loss_share_igemo"]] * 100).round().astype("int64")
        assert (cents["loss_share_municipality"] + cents["loss_share_igemo"] == cents["loss"]).all()
        cap = shares["risicodeling_plafond"]
        assert (cap.isna() | (shares["loss_share_municipality"] <= cap)).all()
        owed = _half_up(Decimal(repr(float(frame["winstdeling_gemeente_pct"].iloc[0]))) / 100 * max(
            Decimal(0), Decimal(repr(float(frame["result_nominal"].iloc[0])))
            - Decimal(repr(float(frame["winstdeling_drempel"].iloc[0])))))
        assert frame["profit_share_owed"].iloc[0] == owed
