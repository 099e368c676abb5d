"""The verschillenanalyse: each step of the hand-worked case (tests/outlook_cases.py), and the property
that the steps always add up to the change, to the cent, per project and for the portfolio."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.obligations.exact import cents_of
from igemo_fin.outlook.waterfall import STEPS, substituted_basis, waterfall
from igemo_fin.valuation.basis import Basis, SimulationSettings
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.valuation.portfolio import Portfolio

from outlook_cases import new_sheets, old_sheets

OFF = SimulationSettings(iterations=0)


@pytest.fixture
def case(write_book):
    old = Basis.of(read_workbook(write_book(old_sheets())), simulation=OFF)
    new = Basis.of(read_workbook(write_book(new_sheets())), simulation=OFF)
    return waterfall(old, new)


def test_start_and_end_are_the_two_editions(case):
    # Discounting at the credit rate of V, 0 %: npv_forward = the sum of the flows from V on.
    # Old (V 2025): A -200,000 + 500,000 + 300,000 = 600,000; B -50,000. Results 200,000 and -50,000.
    assert case.totals(0) == {"npv_forward": 550_000.0, "result_nominal": 150_000.0}
    # New (V 2026): A 830,000 / 210,000; B -80,000 / -80,000 - interest 2028; C 50,000 / 50,000.
    # B's interest in 2028 at 5 %: BV 330,000, avg 330,000 - 250,000 / 2 = 205,000,
    # 0.05 x 366 / 360 x 205,000 = 10,420.83.
    assert case.totals(7) == {"npv_forward": 800_000.0, "result_nominal": 169_579.17}


def test_each_step_by_hand(case):
    steps = case.portfolio_steps().set_index("step")
    # tijd: V 2026 on the old data; A's 2025 cost (-200,000) is now past: forward value +200,000.
    # werkelijk: A's 2025 cost realised at 220,000: result -20,000 (forward value unchanged).
    # kosten: B's verwerving 300,000 -> 330,000: both -30,000.
    # opbrengsten: A's sales 800,000 -> 830,000 on the old years: both +30,000.
    # timing: B's sale moves to 2028, where the old rate is 10 %: interest
    #   0.10 x 366 / 360 x 205,000 = 20,841.67 off the result (at 0 % discounting the value stays).
    # rente: 2028 at 5 % instead: the result gets 20,841.67 - 10,420.83 = 10,420.84 back.
    # projecten: C enters with 50,000 and 50,000.
    assert steps["npv_forward"].to_dict() == {"tijd": 200_000.0, "werkelijk": 0.0, "kosten": -30_000.0,
                                              "opbrengsten": 30_000.0, "timing": 0.0, "rente": 0.0,
                                              "projecten": 50_000.0}
    assert steps["result_nominal"].to_dict() == {"tijd": 0.0, "werkelijk": -20_000.0, "kosten": -30_000.0,
                                                 "opbrengsten": 30_000.0, "timing": -20_841.67, "rente": 10_420.84,
                                                 "projecten": 50_000.0}


def test_each_step_by_hand_per_project(case):
    p = case.project_steps().pivot(index="step", columns="project_code", values="result_nominal").loc[list(STEPS)]
    assert p["A"].tolist() == [0.0, -20_000.0, 0.0, 30_000.0, 0.0, 0.0, 0.0]
    assert p["B"].tolist() == [0.0, 0.0, -30_000.0, 0.0, -20_841.67, 10_420.84, 0.0]
    assert p["C"].tolist() == [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 50_000.0]


def test_revenue_step_keeps_the_old_years(case):
    # A's sales scaled by 830 / 800 on the old years: 518,750 in 2026 and 311,250 in 2027.
    basis = substituted_basis(case.old, case.new, STEPS.index("opbrengsten") + 1)
    sales = basis.portfolio.cashflows.query("project_code == 'A' and categorie == 'verkoop'")
    assert sales.set_index("jaar")["bedrag"].to_dict() == pytest.approx({2026: 518_750.0, 2027: 311_250.0})


def test_the_last_state_is_the_new_basis_itself(case):
    assert substituted_basis(case.old, case.new, len(STEPS)).portfolio is case.new.portfolio


def test_two_valuation_years_of_the_same_data(write_book):
    p = read_workbook(write_book(old_sheets()))
    w = waterfall(Basis.of(p, valuation_year=2025, simulation=OFF), Basis.of(p, valuation_year=2026, simulation=OFF))
    steps = w.portfolio_steps().set_index("step")
    # Only time passes: the 2025 flow (-200,000 for A) leaves the forward value; nothing else changes.
    assert steps.loc["tijd", "npv_forward"] == 200_000.0
    assert (steps.drop(index="tijd")[["npv_forward", "result_nominal"]] == 0).all().all()


# --------------------------------------------------------------------------- property

CATEGORIES = ("verwerving", "infrastructuur", "verkoop", "subsidies")


@st.composite
def editions(draw):
    """Two editions of a small portfolio: random projects, flows, statuses, rates and valuation years."""
    codes = draw(st.lists(st.sampled_from("ABCDE"), min_size=1, max_size=4, unique=True))

    def portfolio(codes, rate_draw) -> Portfolio:
        rows, lines = [], []
        for code in codes:
            status = draw(st.sampled_from(("actief", "actief", "afgerond", "stopgezet")))
            rows.append(dict(project_code=code, naam=code, gemeente="G", type="wonen", status=status, startjaar=2020,
                             eindjaar=2030, oppervlakte_m2=np.nan, bestemming_zeker=True,
                             marktwaarde_huidige_staat=np.nan, risicodeling_gemeente_pct=draw(st.sampled_from((np.nan, 50.0))),
                             risicodeling_plafond=np.nan, winstdeling_gemeente_pct=np.nan, winstdeling_drempel=np.nan))
            for _ in range(draw(st.integers(1, 5))):
                category = draw(st.sampled_from(CATEGORIES))
                amount = draw(st.integers(1, 2_000_000)) + draw(st.sampled_from((0.0, 0.01, 0.37)))
                sign = -1 if category in ("verwerving", "infrastructuur") else 1
                lines.append((code, "prognose", draw(st.integers(2020, 2030)), category, sign * amount))
        years = list(range(2015, 2041))
        credit = pd.DataFrame({"jaar": years, "rentevoet_pct": [rate_draw] * len(years), "kredietlimiet": 5e6,
                               "rente_werkelijk": np.nan})
        return Portfolio(pd.DataFrame(rows), pd.DataFrame(lines, columns=["project_code", "versie", "jaar",
                                                                            "categorie", "bedrag"]), credit)

    old = portfolio(codes, draw(st.sampled_from((0.0, 2.5, 4.0))))
    new_codes = draw(st.lists(st.sampled_from("ABCDEF"), min_size=1, max_size=5, unique=True))
    new = portfolio(new_codes, draw(st.sampled_from((0.0, 3.0, 5.5))))
    v_old = draw(st.integers(2022, 2026))
    return (Basis.of(old, valuation_year=v_old, simulation=OFF),
            Basis.of(new, valuation_year=v_old + draw(st.integers(0, 2)), simulation=OFF))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(editions())
def test_the_steps_always_add_up_to_the_cent(pair):
    old, new = pair
    w = waterfall(old, new)
    before, after = evaluate(old).figures, evaluate(new).figures
    for measure in ("npv_forward", "result_nominal"):
        old_c = {c: cents_of(v) for c, v in zip(before["project_code"], before[measure])}
        new_c = {c: cents_of(v) for c, v in zip(after["project_code"], after[measure])}
        # Portfolio: the sum of the steps in cents is the change of the sum of the cents, exactly.
        steps_c = [cents_of(x) for x in w.portfolio_steps()[measure]]
        assert sum(steps_c) == sum(new_c.values()) - sum(old_c.values())
        # Per project: the project's steps add up to its own change.
        per = w.project_steps().groupby("project_code")[measure].apply(lambda s: sum(cents_of(x) for x in s))
        assert set(per.index) == set(old_c) | set(new_c)
        for code, cents in per.items():
            assert cents == new_c.get(code, 0) - old_c.get(code, 0), code
