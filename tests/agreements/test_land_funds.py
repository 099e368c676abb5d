"""Land funds worked out by hand (tests/agreement_books.py, fund F: A and B, 2024-2028)."""

import numpy as np
import pytest

from agreement_books import agreement_sheets
from igemo_fin.agreements.land_funds import fund_balances, fund_settlements, fund_what_if, revise_fund, settle
from igemo_fin.inputs.workbook import read_workbook
from igemo_fin.valuation.evaluate import evaluate


@pytest.fixture
def ev(write_book):
    return evaluate(read_workbook(write_book(agreement_sheets())))


def test_balance_per_year(ev):
    b = fund_balances(ev.basis.portfolio.agreements, ev).set_index("jaar")["balance_end"]
    # 2024: 100 opening + 50 land = 150; 2025: +20 deposit = 170; 2026: 170;
    # 2027: A ends, 50 % of 900 = 450, minus 30 withdrawn -> 590; 2028: B ends, 50 % of -200 = -100 -> 490.
    assert b.to_dict() == {2024: 150.0, 2025: 170.0, 2026: 170.0, 2027: 590.0, 2028: 490.0}


def test_surplus_settlement(ev):
    s = fund_settlements(ev.basis.portfolio.agreements, ev).iloc[0]
    # 490 surplus: IGEMO 40 % = 196, the partner 294; no simulation -> no P10/P90.
    assert (s["balance_end"], s["igemo_share"], s["partner_share"], s["igemo_exposure"]) == (490.0, 196.0, 294.0, 0.0)
    assert np.isnan(s["igemo_share_p90"])


def test_deficit_is_split_with_the_cap():
    # Deficit 500: the partner covers min(60 % * 500, 100) = 100, IGEMO the other 400.
    igemo, partner = settle(-500.0, 40.0, 60.0, 100.0)
    assert (float(igemo), float(partner)) == (-400.0, -100.0)


def test_what_if_of_revised_terms(ev):
    w = fund_what_if(ev.basis.portfolio.agreements, ev, "F", aandeel_resultaat_pct=10.0).set_index("versie")
    # Revised: 150 + 20 + 10 % of 900 - 30 + 10 % of -200 = 210 -> IGEMO 84.
    assert w.loc["herzien", "balance_end"] == 210.0
    assert w.loc["herzien", "igemo_share"] == pytest.approx(84.0)
    # Risk capacity: equity 1000 / IGEMO's loss of B (200, no sharing) = 5, no fund deficit either way.
    assert w.loc["huidig", "risk_capacity_ratio"] == pytest.approx(5.0)


def test_a_fund_deficit_lowers_the_risk_capacity(ev):
    agreements = revise_fund(ev.basis.portfolio.agreements, "F", aandeel_resultaat_pct=0.0)
    deficit = revise_fund(agreements, "F", tekort_gemeente_pct=0.0)
    funds = deficit.funds.copy()
    funds["beginsaldo"] = -350.0  # closing balance: -350 + 50 + 20 - 30 = -310, IGEMO carries it all
    from dataclasses import replace

    w = fund_what_if(replace(deficit, funds=funds), ev, "F", tekort_gemeente_pct=50.0).set_index("versie")
    assert w.loc["huidig", "igemo_exposure"] == pytest.approx(310.0)
    # Equity 1000 / (200 + 310) on the current terms; revised: the partner covers min(155, 100) = 100.
    assert w.loc["huidig", "risk_capacity_ratio"] == pytest.approx(1000 / 510)
    assert w.loc["herzien", "risk_capacity_ratio"] == pytest.approx(1000 / 410)


def test_shorter_term_drops_later_movements(ev):
    revised = revise_fund(ev.basis.portfolio.agreements, "F", eindjaar=2026)
    b = fund_balances(revised, ev).set_index("jaar")["balance_end"]
    # Ends 2026: A's and B's results are settled at 2026 on their forecast: 170 + 450 - 100 = 520.
    assert b.to_dict() == {2024: 150.0, 2025: 170.0, 2026: 520.0}


def test_unknown_term_is_refused(ev):
    with pytest.raises(ValueError):
        revise_fund(ev.basis.portfolio.agreements, "F", beginsaldo=0)


def test_simulation_gives_a_range(write_book):
    from agreement_books import frame

    risks = frame("project_code risico soort kans_pct min waarschijnlijk max", ("B", "duur", "eenmalig_eur", 50, 100, 100, 100))
    ev = evaluate(read_workbook(write_book(agreement_sheets(risicos=risks))), simulation=None)
    from igemo_fin.valuation.basis import SimulationSettings

    ev = evaluate(ev.basis.with_(simulation=SimulationSettings(iterations=400, seed=1)))
    s = fund_settlements(ev.basis.portfolio.agreements, ev).iloc[0]
    # B loses 100 more in about half of the futures: the fund closes at 490 or 490 - 50 % * 100 = 440.
    assert s["balance_p10"] == pytest.approx(440.0)
    assert s["balance_p90"] == pytest.approx(490.0)
