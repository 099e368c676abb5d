"""The basis: everything a figure depends on travels with the evaluation, and the default Monte Carlo
gives the chance rules without contradicting the board's stop line (DOMAIN.md, decision framework)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.valuation.basis import (DEFAULT_ITERATIONS, DEFAULT_SEED, Basis, DataVersion, SimulationSettings,
                                       ThresholdSource)
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.valuation.thresholds import Thresholds

from conftest import build_sheets, flat_credit, flows, project


def _settings(**values) -> pd.DataFrame:
    return pd.DataFrame({"parameter": list(values), "waarde": list(values.values())})


# S loses a little for certain: 2025 infrastructure 300,000, 2026 sales 200,000 at 4 %:
# npv_forward = -300,000/1.04^0.5 + 200,000/1.04^1.5 = -294,174.20 + 188,573.21 = -105,600.99,
# above the stop line of -500,000 and below the adjust line of 0.
SMALL_LOSS = flows(("S", "prognose", 2023, "verwerving", 100_000), ("S", "prognose", 2025, "infrastructuur", 300_000),
                   ("S", "prognose", 2026, "verkoop", 200_000))


@pytest.fixture
def small_loss(write_book):
    return read_workbook(write_book(build_sheets([project("S")], SMALL_LOSS, flat_credit())))


class TestTheEvaluationCarriesItsBasis:
    def test_defaults_come_from_the_workbook(self, small_loss):
        ev = evaluate(small_loss, valuation_year=2025)
        assert ev.basis.portfolio is small_loss
        assert ev.basis.valuation_year == 2025
        assert ev.basis.thresholds == small_loss.thresholds
        assert ev.basis.threshold_source == ThresholdSource("werkboek")
        assert ev.basis.simulation == SimulationSettings(DEFAULT_ITERATIONS, DEFAULT_SEED)
        assert ev.simulation is not None and ev.simulation.iterations == DEFAULT_ITERATIONS

    def test_what_if_thresholds_are_marked_as_such(self, small_loss):
        ev = evaluate(small_loss, valuation_year=2025, thresholds=Thresholds(bijsturen_npv_onder=-200_000))
        assert ev.basis.threshold_source.kind == "wat-als"
        assert not ev.rules.set_index("rule").loc["bijsturen_npv_onder", "fired"]

    def test_a_basis_and_its_shorthand_give_the_same_evaluation(self, small_loss):
        basis = Basis.of(small_loss, valuation_year=2025)
        a, b = evaluate(basis), evaluate(small_loss, valuation_year=2025)
        pd.testing.assert_frame_equal(a.figures, b.figures)
        pd.testing.assert_frame_equal(a.rules, b.rules)
        with pytest.raises(TypeError):
            evaluate(basis, valuation_year=2024)

    def test_the_discount_rate_follows_a_rate_stress_only_when_it_is_the_default(self, small_loss):
        basis = Basis.of(small_loss, valuation_year=2025, rate_shift_bp=100)
        assert basis.discount_follows_credit and evaluate(basis).discount_rate_pct == pytest.approx(5.0)
        fixed = basis.with_(thresholds=Thresholds(disconteringsvoet_pct=4.0))
        assert not fixed.discount_follows_credit and evaluate(fixed).discount_rate_pct == 4.0


class TestOneVerdictWithTheSimulation:
    def test_a_small_certain_loss_is_adjusted_not_stopped(self, small_loss):
        ev = evaluate(small_loss, valuation_year=2025)
        row = ev.figures.iloc[0]
        assert row["npv_forward"] == pytest.approx(-105_600.99, abs=0.01)
        assert (row["prob_loss"], row["prob_below_stop"]) == (1.0, 0.0)
        fired = set(ev.rules.loc[ev.rules["fired"], "rule"])
        assert "max_kans_verlies_pct" in fired and "stop_kans_verlies_pct" not in fired
        assert row["verdict"] == "BIJSTUREN"

    def test_simulation_off_marks_both_chance_rules_not_evaluated(self, small_loss):
        ev = evaluate(small_loss, valuation_year=2025, simulation=SimulationSettings(iterations=0))
        assert ev.simulation is None
        assert math.isnan(ev.figures.iloc[0]["prob_loss"]) and math.isnan(ev.figures.iloc[0]["prob_below_stop"])
        chance = ev.rules.set_index("rule").loc[["max_kans_verlies_pct", "stop_kans_verlies_pct"]]
        assert not chance["evaluated"].any() and not chance["fired"].any()
        assert chance["sentence"].str.contains("niet berekend").all()
        assert ev.figures.iloc[0]["verdict"] == "BIJSTUREN"

    def test_a_risk_that_can_push_past_the_stop_line_is_counted(self, write_book):
        # A one-off cost of exactly 500,000 in V with chance 100 %: npv_forward = -105,600.99 - 500,000 / 1.04^0.5
        # = -105,600.99 - 490,290.34 = -595,891.33 < -500,000 in every future: prob_below_stop = 1.
        risks = pd.DataFrame([{"project_code": "S", "risico": "sanering", "soort": "eenmalig_eur", "kans_pct": 100,
                               "min": 500_000, "waarschijnlijk": 500_000, "max": 500_000}])
        pf = read_workbook(write_book(build_sheets([project("S")], SMALL_LOSS, flat_credit(), risicos=risks)))
        ev = evaluate(pf, valuation_year=2025, simulation=SimulationSettings(iterations=200))
        assert ev.figures.iloc[0]["prob_below_stop"] == 1.0
        assert ev.figures.iloc[0]["verdict"] == "STOPZETTEN"


class TestSettings:
    def test_the_workbook_sets_the_simulation(self, write_book):
        sheets = build_sheets([project("S")], SMALL_LOSS, flat_credit(),
                              instellingen=_settings(simulaties=500, simulatie_seed=7, simulatie_referentieklasse="ja"))
        pf = read_workbook(write_book(sheets))
        assert Basis.of(pf).simulation == SimulationSettings(500, 7, reference_class=True)

    def test_zero_turns_it_off(self, write_book):
        sheets = build_sheets([project("S")], SMALL_LOSS, flat_credit(), instellingen=_settings(simulaties=0))
        ev = evaluate(read_workbook(write_book(sheets)), valuation_year=2025)
        assert ev.simulation is None and not ev.basis.simulation.enabled

    @pytest.mark.parametrize("value, reason", [(-1, "mag niet negatief zijn"), ("veel", "geheel getal"),
                                               (10 ** 7, "meer dan het maximum")])
    def test_a_bad_setting_is_refused_with_its_row(self, write_book, value, reason):
        from igemo_fin.errors import InputError

        sheets = build_sheets([project("S")], SMALL_LOSS, flat_credit(), instellingen=_settings(simulaties=value))
        with pytest.raises(InputError) as refused:
            read_workbook(write_book(sheets))
        problem = refused.value.problems[0]
        assert (problem.sheet, problem.row, problem.column) == ("instellingen", 2, "waarde")
        assert reason in problem.reason


class TestDescription:
    def test_one_line_names_data_thresholds_and_simulation(self, small_loss):
        basis = Basis.of(small_loss, valuation_year=2025, rate_shift_bp=-50,
                         threshold_source=ThresholdSource("officieel", 3, "An Peeters", "2026-03-01T09:00:00+00:00"),
                         data=DataVersion("0123456789abcdef" * 4, "portefeuille.xlsx", 4, ("a" * 64, "b" * 64)))
        assert basis.describe() == (
            "Gegevens: portefeuille.xlsx (versie 4) (01234567) + 2 grootboekimports · waardering 01/01/2025 · "
            "officiële drempels versie 3, An Peeters, 01/03/2026 · simulatie 10.000 toekomsten, startwaarde 0 · "
            "rentestress -50 basispunten")
