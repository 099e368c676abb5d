"""igemo_fin.obligations.profit_sharing: the profit share owed, its provision and how it builds up,
worked out by hand (the portfolio of conftest.sharing_sheets, valued in 2025)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.obligations.journal import provision_journal
from igemo_fin.obligations.loss_sharing import loss_sharing
from igemo_fin.obligations.profit_sharing import (PROFIT_SHARING_COLUMNS, PROVISION_MOVEMENT_COLUMNS,
                                                  profit_share_owed, profit_share_provision, profit_sharing,
                                                  provision_movements)
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.valuation.portfolio import Portfolio

from conftest import SHARING_YEAR as V
from conftest import build_sheets, flat_credit, flows, project, row_of, sharing_sheets


def _half_up(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class TestPureFunctions:
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



class TestProfitSharing:
    def test_columns(self, sharing_book):
        assert tuple(profit_sharing(*sharing_book).columns) == PROFIT_SHARING_COLUMNS

    def test_hand_worked(self, sharing_book):
        frame = profit_sharing(*sharing_book)
        w = row_of(frame, "W")
        assert w["result_nominal"] == 250_000.0
        assert w["profit_above_threshold"] == 200_000.0
        assert w["profit_share_owed"] == 80_000.0
        assert (w["costs_realised"], w["total_costs"]) == (1_000_000.0, 1_000_000.0)
        assert (w["revenues_realised"], w["total_revenues"]) == (250_000.0, 1_250_000.0)
        assert (w["poc_costs"], w["poc_revenues"], w["poc"]) == (1.0, 0.2, 0.2)
        assert w["profit_share_provision"] == 16_000.0
        q = row_of(frame, "Q")
        assert q["profit_share_owed"] == 10_000.30
        assert q["poc"] == pytest.approx(0.15, abs=1e-15)
        assert q["profit_share_provision"] == 1_500.05  # 1,500.045 half up
        p = row_of(frame, "P")
        assert p["profit_share_owed"] == 50_000.01  # 50,000.005 half up
        assert (p["poc"], p["profit_share_provision"]) == (0.0, 0.0)  # nothing sold yet
        l_row = row_of(frame, "L")
        assert (l_row["profit_share_owed"], l_row["profit_share_provision"]) == (0.0, 0.0)

    def test_provision_after_the_sale(self, write_book):
        # P valued in 2026: all costs and revenues realised -> POC 1, provision = owed = 50,000.01
        path = write_book(sharing_sheets())
        portfolio = read_workbook(path)
        frame = profit_sharing(portfolio, evaluate(portfolio, valuation_year=2026))
        assert row_of(frame, "P")["profit_share_provision"] == 50_000.01
        assert (frame["profit_share_provision"] <= frame["profit_share_owed"]).all()

    def test_movements_hand_worked(self, sharing_book):
        moves = provision_movements(*sharing_book)
        assert tuple(moves.columns) == PROVISION_MOVEMENT_COLUMNS
        w = moves[moves["project_code"] == "W"].set_index("jaar")
        # closing = 80,000 * POC(year end): 0, 0, 16,000, 48,000, 80,000
        assert w["closing"].tolist() == [0.0, 0.0, 16_000.0, 48_000.0, 80_000.0]
        assert w["opening"].tolist() == [0.0, 0.0, 0.0, 16_000.0, 48_000.0]
        assert w["addition"].tolist() == [0.0, 0.0, 16_000.0, 32_000.0, 32_000.0]
        assert w["release"].tolist() == [0.0] * 5
        assert w["is_past"].tolist() == [True, True, True, False, False]
        # the closing of V - 1 is the provision that stands now
        assert w.loc[V - 1, "closing"] == row_of(profit_sharing(*sharing_book), "W")["profit_share_provision"]

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
