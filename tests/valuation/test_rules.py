"""The decision framework's rules and the monotonicity the board relies on."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igemo_fin.valuation.rule_table import decide, judge
from igemo_fin.valuation.rules import RULES, SEVERITY, verdict_of
from igemo_fin.valuation.thresholds import PORTFOLIO_THRESHOLDS, THRESHOLD_INFO, Thresholds

#: For each threshold, the direction that makes it stricter (more projects fire).
STRICTER = {
    "bijsturen_npv_onder": +1, "stop_npv_onder": +1, "min_irr_pct": +1,
    "max_rente_op_marge_pct": -1, "max_jaren_zonder_bestemming": -1, "stop_jaren_zonder_bestemming": -1,
    "afstoten_voordeel_min": -1, "max_kans_verlies_pct": -1, "stop_kans_verlies_pct": -1,
}

figures_strategy = st.fixed_dictionaries({
    "project_code": st.just("P"),
    "status": st.just("actief"),
    "npv_forward": st.floats(-3e6, 3e6),
    "irr_full_life": st.one_of(st.just(math.nan), st.floats(-0.5, 0.5)),
    "interest_future": st.floats(0, 1e6),
    "future_net_inflow": st.floats(-2e6, 5e6),
    "bestemming_zeker": st.booleans(),
    "startjaar": st.integers(1995, 2026),
    "valuation_year": st.just(2026),
    "marktwaarde_huidige_staat": st.one_of(st.just(math.nan), st.floats(0, 5e6)),
    "prob_loss": st.one_of(st.just(math.nan), st.floats(0, 1)),
    "prob_below_stop": st.one_of(st.just(math.nan), st.floats(0, 1)),
})


def test_every_threshold_has_a_rule_and_an_explanation():
    # The discount rate feeds every NPV; the portfolio thresholds are tested by the multi-year
    # outlook, not by a project rule. Every other threshold is a rule.
    assert set(RULES) == set(Thresholds.names()) - {"disconteringsvoet_pct"} - set(PORTFOLIO_THRESHOLDS)
    assert set(THRESHOLD_INFO) == set(Thresholds.names())


@settings(max_examples=300, deadline=None)
@given(figures_strategy, st.sampled_from(sorted(STRICTER)), st.floats(0.01, 1e6))
def test_a_stricter_threshold_never_gives_a_milder_verdict(figures, name, step):
    base = Thresholds(disconteringsvoet_pct=3.0)
    stricter = base.with_values(**{name: getattr(base, name) + STRICTER[name] * step})
    frame = pd.DataFrame([figures])
    before = judge(frame, base)[1][0]
    after = judge(frame, stricter)[1][0]
    assert SEVERITY[after] >= SEVERITY[before]
    fired_before = set(decide(frame, base).query("fired")["rule"])
    assert fired_before <= set(decide(frame, stricter).query("fired")["rule"])


def test_afstoten_outranks_stopzetten():
    results = [RULES["stop_npv_onder"]({"npv_forward": -1e6}, Thresholds()),
               RULES["afstoten_voordeel_min"]({"npv_forward": -1e6, "marktwaarde_huidige_staat": 0}, Thresholds())]
    assert [r.fired for r in results] == [True, True]
    assert verdict_of(results) == "AFSTOTEN"


@pytest.mark.parametrize("inflow, interest, fired, value", [
    (1_000_000, 600_000, True, 60.0),   # 60 % > 50 %
    (1_000_000, 500_000, False, 50.0),  # exactly the limit does not fire (strictly greater)
    (0, 1.0, True, None),               # nothing comes in, interest still due
    (-10, 0.0, False, None),            # nothing comes in and no interest either
])
def test_interest_on_margin(inflow, interest, fired, value):
    r = RULES["max_rente_op_marge_pct"]({"interest_future": interest, "future_net_inflow": inflow}, Thresholds())
    assert r.fired is fired and r.value == value


def test_loss_chance_not_evaluated_without_monte_carlo():
    r = RULES["max_kans_verlies_pct"]({"prob_loss": None}, Thresholds())
    assert not r.evaluated and not r.fired and "niet berekend" in r.sentence
    r = RULES["stop_kans_verlies_pct"]({"prob_below_stop": None}, Thresholds())
    assert not r.evaluated and not r.fired and "niet berekend" in r.sentence


def test_the_stop_chance_tests_a_loss_past_the_stop_line_not_any_loss():
    # DOMAIN.md: stop_kans_verlies_pct tests P(npv_forward < stop_npv_onder), reported as prob_below_stop.
    # A project that certainly loses a little (prob_loss 1) but never past the stop line is not stopped.
    small_certain_loss = {"prob_loss": 1.0, "prob_below_stop": 0.0}
    assert RULES["max_kans_verlies_pct"](small_certain_loss, Thresholds()).fired
    stop = RULES["stop_kans_verlies_pct"](small_certain_loss, Thresholds())
    assert not stop.fired and stop.value == 0.0
    stop = RULES["stop_kans_verlies_pct"]({"prob_loss": 0.9, "prob_below_stop": 0.75}, Thresholds())
    assert stop.fired and stop.value == 75.0 and stop.level == "STOPZETTEN"


def test_two_rules_never_share_a_sentence():
    # Each sentence names its own threshold, so a board member can tell the rules apart.
    figures = {"project_code": "P", "status": "actief", "npv_forward": 10.0, "irr_full_life": 0.05,
               "interest_future": 0.0, "future_net_inflow": 10.0, "bestemming_zeker": True, "startjaar": 2020,
               "valuation_year": 2026, "marktwaarde_huidige_staat": math.nan, "prob_loss": math.nan,
               "prob_below_stop": math.nan}
    sentences = decide(pd.DataFrame([figures]), Thresholds(disconteringsvoet_pct=3.0))["sentence"]
    assert sentences.is_unique
    figures["bestemming_zeker"] = False
    assert decide(pd.DataFrame([figures]), Thresholds(disconteringsvoet_pct=3.0))["sentence"].is_unique


def test_sentences_are_dutch_with_belgian_numbers():
    r = RULES["bijsturen_npv_onder"]({"npv_forward": -175_196.2}, Thresholds())
    assert r.sentence == "De contante waarde van wat nog komt, € -175.196, ligt onder de drempel van € 0: bijsturen."
    r = RULES["min_irr_pct"]({"irr_full_life": 0.0215}, Thresholds())
    assert r.sentence == "Het intern rendement over de hele looptijd, 2,15 %, ligt onder het minimum van 3,00 %: bijsturen."
