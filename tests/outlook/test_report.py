"""The outlook in one value, its alert sentence for Overzicht and its JSON."""

from __future__ import annotations

import pandas as pd
import pytest

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.outlook.report import crossings, outlook, outlook_alert, outlook_json
from igemo_fin.valuation.evaluate import evaluate

from conftest import thresholds
from outlook_cases import old_sheets


def _outlook(write_book, **limits):
    sheets = old_sheets()
    sheets["drempels"] = thresholds(**limits)
    return outlook(evaluate(read_workbook(write_book(sheets))))


def test_no_alert_when_nothing_is_crossed(write_book):
    o = _outlook(write_book)
    assert crossings(o) == {"credit": None, "equity": None}
    assert outlook_alert(o) is None


def test_the_alert_names_the_first_year_and_the_threshold(write_book):
    # Equity 990,000 at the end of 2025 < 1,000,000; drawn 600,000 > 50 % of 1,000,000 in 2025.
    o = _outlook(write_book, min_eigen_vermogen=1_000_000, max_kredietgebruik_pct=50)
    assert crossings(o) == {"credit": (2025, "basispad"), "equity": (2025, "basispad")}
    assert outlook_alert(o) == ("In het meerjarenperspectief overschrijdt het opgenomen kaskrediet in 2025 50 % van "
                                "de kredietlimiet (in het basispad) en zakt het eigen vermogen in 2025 onder de "
                                "ondergrens van € 1.000.000 (in het basispad).")


def test_the_first_of_several_years_is_named(write_book):
    # Equity 990,000 (2025) and 1,012,500 (2026) are under 1,020,000; drawn 600,000 (2025) and 400,000
    # (2026) are above 39 % of 1,000,000: the sentence names 2025, the first year.
    o = _outlook(write_book, max_kredietgebruik_pct=39, min_eigen_vermogen=1_020_000)
    assert crossings(o) == {"credit": (2025, "basispad"), "equity": (2025, "basispad")}


def test_json_has_the_fields_per_year(write_book):
    data = outlook_json(_outlook(write_book))
    assert data["simulated"] is True and data["opening_equity"] == 1_000_000
    first = data["years"][0]
    assert set(first) >= {"year", "credit_drawn", "credit_peak", "interest", "recognised_result", "write_downs",
                          "provision_movement", "equity", "equity_to_credit", "risk_capacity_ratio",
                          "risk_capacity_grade", "equity_p10", "equity_p50", "equity_p90", "credit_p10", "credit_p50",
                          "credit_p90", "prob_limit_exceeded", "prob_equity_below_floor"}
    assert first["equity"] == 990_000 and first["risk_capacity_ratio"] == pytest.approx(33.0)


def test_the_outlook_reads_the_evaluations_own_simulation(write_book, monkeypatch):
    import igemo_fin.outlook.report as report
    from igemo_fin.outlook.bands import outlook_bands
    from igemo_fin.valuation.basis import SimulationSettings
    from igemo_fin.valuation.evaluate import simulation_of

    ev = evaluate(read_workbook(write_book(old_sheets())), simulation=SimulationSettings(iterations=300, seed=4))
    expected = outlook_bands(ev, outlook(ev).path, simulation_of(ev))

    def second_run(*args, **kwargs):
        raise AssertionError("a second simulation of the same basis")

    monkeypatch.setattr(report, "simulation_of", second_run)
    pd.testing.assert_frame_equal(outlook(ev).bands, expected, check_exact=True)
