"""igemo_fin.valuation.rate_stress: the rate stress against the basis, worked out by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import build_sheets, flat_credit, flows, project

from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.valuation.basis import SimulationSettings
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.valuation.rate_stress import STRESS_PROJECT_COLUMNS, rate_stress

OFF = SimulationSettings(iterations=0)


def _interest(rate_pct: float) -> float:
    """Project A's interest from 2025 on, by DOMAIN.md's formula (ACT/360, mid-year balance).

    2025: nothing drawn yet, 1,000,000 spent: ``avg = 0 + 1,000,000 / 2``. 2026: drawn
    ``1,000,000 + I[2025]``, 1,400,000 received: ``avg = BV - 1,400,000 / 2``. Both years have 365 days."""
    i25 = rate_pct / 100 * 365 / 360 * 500_000
    i26 = rate_pct / 100 * 365 / 360 * max(1_000_000 + i25 - 700_000, 0)
    return i25 + i26


@pytest.fixture
def portfolio(write_book):
    projects = [project("A", startjaar=2025, eindjaar=2026), project("B", startjaar=2020, eindjaar=2021)]
    cash = flows(("A", "prognose", 2025, "verwerving", 1_000_000), ("A", "prognose", 2026, "verkoop", 1_400_000),
                 ("B", "prognose", 2020, "verwerving", 100_000), ("B", "prognose", 2021, "verkoop", 150_000))
    return read_workbook(write_book(build_sheets(projects, cash, credit=flat_credit(rate=4.0))))


def test_extra_interest_by_hand(portfolio):
    base = evaluate(portfolio, valuation_year=2025, simulation=OFF)
    stressed = evaluate(base.basis.with_(rate_shift_bp=100))
    result = rate_stress(base, stressed)

    assert result.shift_bp == 100
    assert result.extra_interest == pytest.approx(_interest(5.0) - _interest(4.0), abs=0.01)
    # B ended before the valuation year: no interest from 2025 on, so it is not listed
    assert tuple(result.by_project.columns) == STRESS_PROJECT_COLUMNS
    assert result.by_project["project_code"].tolist() == ["A"]
    assert result.by_project["extra_interest"].sum() == pytest.approx(result.extra_interest, abs=0.01)
    after, before = stressed.portfolio_totals(), base.portfolio_totals()
    assert result.npv_forward_active == after["npv_forward_active"]
    assert result.npv_forward_change == pytest.approx(after["npv_forward_active"] - before["npv_forward_active"])
    assert result.npv_forward_change < 0  # a higher rate discounts the sale more


def test_no_stress_changes_nothing(portfolio):
    base = evaluate(portfolio, valuation_year=2025, simulation=OFF)
    result = rate_stress(base, base)
    assert (result.shift_bp, result.extra_interest, result.npv_forward_change) == (0, 0, 0)
    assert result.by_project.empty


def test_projects_matched_by_code(portfolio):
    """The comparison reads projects by code, not by position."""
    base = evaluate(portfolio, valuation_year=2025, simulation=OFF)
    stressed = evaluate(base.basis.with_(rate_shift_bp=200))
    shuffled = replace(stressed, figures=stressed.figures.iloc[::-1].reset_index(drop=True))
    assert rate_stress(base, shuffled).by_project.equals(rate_stress(base, stressed).by_project)
