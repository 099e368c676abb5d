"""igemo_fin.financing.comparison: the financing alternatives priced, worked out by hand.

Fixture: one project A, valuation year V = 2025, horizon 3 years (2025-2027). Cash credit 0 % until
2024 and 4 % from 2025 (ACT/360, 2025-2027 have 365 days: d = 365/360), limit 3,000,000.
    2024 verwerving 2,000,000 (at 0 %: no interest, BV[2025] = 2,000,000)
    2026 verkoop 3,000,000
Funding need (average balance, DOMAIN.md):
    2025: avg = 2,000,000 - 0/2                              = 2,000,000.00
          interest 0.04 * d * 2,000,000 = 81,111.11 -> BV[2026] = 2,081,111.11
    2026: avg = 2,081,111.11 - 3,000,000/2                   =   581,111.11
    2027: after the span                                     =         0.00
Sheet financiering: fee 0.5 %, loan 1,000,000 at 3 % bullet over 2 years, deposit 1 %,
prefinancing 25 % at 2 %, mix: loan 500,000 and 10 % prefinancing; shock +200 bp; path 0;100.

(a) kaskrediet, flat:
    2025: 0.04 * d * 2,000,000 = 81,111.11; fee 0.005 * d * (3,000,000 - 2,000,000) = 5,069.44 -> 86,180.55
    2026: 0.04 * d * 581,111.11 = 23,567.28; fee 0.005 * d * 2,418,888.89 = 12,262.42      -> 35,829.70
    2027: fee 0.005 * d * 3,000,000 = 15,208.33                                             -> 15,208.33
    total 137,218.58
    shock (+200 bp: 6 %): 121,666.67 + 5,069.44 | 35,350.93 + 12,262.42 | 15,208.33 -> total 189,557.79
    path (0, then +100: 5 %): 2026: 0.05 * d * 581,111.11 = 29,459.10 + 12,262.42 -> total 143,110.40
(b) vaste lening (bullet, coupon 3 % of 1,000,000 = 30,000 in 2025 and 2026, repaid 31/12/2026), flat:
    2025: cash credit 0.04 * d * (2,000,000 - 1,000,000) = 40,555.56;
          limit left 3,000,000 - 1,000,000 = 2,000,000, undrawn 1,000,000: fee 5,069.44
          -> 30,000 + 40,555.56 + 5,069.44 = 75,625.00
    2026: surplus 1,000,000 - 581,111.11 = 418,888.89 earns 0.01 * d * 418,888.89 = 4,247.07;
          fee 0.005 * d * 2,000,000 = 10,138.89 -> 30,000 + 10,138.89 - 4,247.07 = 35,891.82
    2027: loan repaid; fee 15,208.33
    total 126,725.15
    shock: 2025 cash credit 0.06 * d * 1,000,000 = 60,833.33 -> 95,902.77;
           2026 deposit at 3 %: 12,741.20 -> 27,397.69; total 138,508.79
(c) prefinanciering 25 %, flat:
    2025: P = 500,000 at 2 %: 10,138.89; credit 1,500,000: 60,833.33;
          limit left 2,500,000, undrawn 1,000,000: 5,069.44 -> 76,041.66
    2026: P = 25 % of 581,111.11 = 145,277.7775 -> 145,277.78: 2,945.91; credit 435,833.33: 17,675.46;
          undrawn 3,000,000 - 145,277.78 - 435,833.33 = 2,418,888.89: 12,262.42 -> 32,883.79
    2027: 15,208.33; total 124,133.78
(d) mix (loan 500,000 bullet at 3 %: 15,000 a year; 10 % prefinanced), flat:
    2025: P = 200,000: 4,055.56; credit 1,300,000: 52,722.22; fee 5,069.44 -> 76,847.22
    2026: P = 58,111.11: 1,178.36; credit 23,000.00: 932.78; fee 12,262.42 -> 29,373.56
    2027: 15,208.33; total 121,429.11
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from igemo_fin.financing.comparison import (
    COST_COLUMNS,
    NEED_COLUMNS,
    RANGE_COLUMNS,
    compare_financing,
    financing_costs,
    funding_need,
)
from igemo_fin.financing.parameters import FinancingParams, params_sheet
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.inputs.workbook import read_workbook

from conftest import ROOT, build_sheets, flat_credit, flows, project

#: The parameters of the hand-worked case (the module docstring), stored as the sheet ``financiering``.
PARAMS = FinancingParams(kaskrediet_reservatiecommissie_pct=0.5, lening_bedrag=1_000_000, lening_rente_pct=3,
                         lening_looptijd_jaren=2, lening_aflossing="bullet", depositorente_pct=1,
                         gemeente_prefinanciering_pct=25, gemeente_rente_pct=2, mix_lening_bedrag=500_000,
                         mix_gemeente_prefinanciering_pct=10, horizon_jaren=3, scenario_schok_bp=200,
                         scenario_pad_bp=(0, 100))


def _sheets(financiering: pd.DataFrame | None = params_sheet(PARAMS)):
    extra = {} if financiering is None else {"financiering": financiering}
    return build_sheets([project("A", startjaar=2024, eindjaar=2026)],
                        flows(("A", "prognose", 2024, "verwerving", 2_000_000), ("A", "prognose", 2026, "verkoop", 3_000_000)),
                        flat_credit(rate=4.0, rates={y: 0.0 for y in range(2010, 2025)}, limit=3_000_000), **extra)


@pytest.fixture
def case(write_book):
    portfolio = read_workbook(write_book(_sheets()))
    return portfolio, evaluate(portfolio, valuation_year=2025)


def _costs(costs: pd.DataFrame, alternative: str, scenario: str = "vlak") -> pd.DataFrame:
    return costs[(costs["alternative"] == alternative) & (costs["scenario"] == scenario)].set_index("jaar")

# --------------------------------------------------------------------------- need and costs

class TestFundingNeed:
    def test_hand_worked(self, case):
        need = funding_need(*case, horizon_years=3)
        assert tuple(need.columns) == NEED_COLUMNS
        assert need["jaar"].tolist() == [2025, 2026, 2027]
        assert need["need_average"].tolist() == [2_000_000.0, 581_111.11, 0.0]
        # BV at 31/12/2025 = 2,081,111.11; 2026 ends with a profit: nothing drawn
        assert need["need_end"].tolist() == [2_081_111.11, 0.0, 0.0]
        assert need["rentevoet_pct"].tolist() == [4.0, 4.0, 4.0]
        assert need["kredietlimiet"].tolist() == [3_000_000.0] * 3

    def test_rate_and_limit_after_the_table_are_the_last(self, case):
        portfolio, ev = case
        need = funding_need(portfolio, ev, horizon_years=25)  # the credit table ends in 2045
        assert need["rentevoet_pct"].iloc[-1] == 4.0 and need["kredietlimiet"].iloc[-1] == 3_000_000.0


class TestCosts:
    def test_cash_credit_by_hand(self, case):
        costs = financing_costs(*case)
        assert tuple(costs.columns) == COST_COLUMNS
        flat = _costs(costs, "kaskrediet")
        assert flat["interest_cash_credit"].tolist() == [81_111.11, 23_567.28, 0.0]
        assert flat["commitment_fee"].tolist() == [5_069.44, 12_262.42, 15_208.33]
        assert flat["cost_total"].tolist() == [86_180.55, 35_829.70, 15_208.33]
        assert _costs(costs, "kaskrediet", "schok")["cost_total"].tolist() == [126_736.11, 47_613.35, 15_208.33]
        assert _costs(costs, "kaskrediet", "pad")["interest_cash_credit"].tolist() == [81_111.11, 29_459.10, 0.0]

    def test_fixed_loan_by_hand(self, case):
        costs = financing_costs(*case)
        flat = _costs(costs, "vaste_lening")
        assert flat["loan_outstanding"].tolist() == [1_000_000.0, 1_000_000.0, 0.0]
        assert flat["interest_loan"].tolist() == [30_000.0, 30_000.0, 0.0]
        assert flat["cash_credit_drawn"].tolist() == [1_000_000.0, 0.0, 0.0]
        assert flat["surplus"].tolist() == [0.0, 418_888.89, 0.0]
        assert flat["deposit_income"].tolist() == [0.0, 4_247.07, 0.0]
        assert flat["cost_total"].tolist() == [75_625.00, 35_891.82, 15_208.33]
        shock = _costs(costs, "vaste_lening", "schok")
        assert shock["interest_loan"].tolist() == [30_000.0, 30_000.0, 0.0]  # fixed: the shock does not move it
        assert shock["cost_total"].tolist() == [95_902.77, 27_397.69, 15_208.33]

    def test_prefinancing_and_mix_by_hand(self, case):
        costs = financing_costs(*case)
        pre = _costs(costs, "prefinanciering")
        assert pre["prefinanced"].tolist() == [500_000.0, 145_277.78, 0.0]
        assert pre["interest_prefinancing"].tolist() == [10_138.89, 2_945.91, 0.0]
        assert pre["cost_total"].tolist() == [76_041.66, 32_883.79, 15_208.33]
        mix = _costs(costs, "mix")
        assert mix["cash_credit_drawn"].tolist() == [1_300_000.0, 23_000.0, 0.0]
        assert mix["cost_total"].tolist() == [76_847.22, 29_373.56, 15_208.33]

    def test_totals_and_range(self, case):
        result = compare_financing(*case)
        totals = result.totals.set_index(["alternative", "scenario"])["cost_total"]
        assert totals[("kaskrediet", "vlak")] == 137_218.58
        assert totals[("kaskrediet", "schok")] == 189_557.79
        assert totals[("kaskrediet", "pad")] == 143_110.40
        assert totals[("vaste_lening", "vlak")] == 126_725.15
        assert totals[("vaste_lening", "schok")] == 138_508.79
        assert totals[("prefinanciering", "vlak")] == 124_133.78
        assert totals[("mix", "vlak")] == 121_429.11
        rng = result.range.set_index("alternative")
        assert tuple(result.range.columns) == RANGE_COLUMNS
        assert (rng.loc["kaskrediet", "cost_flat"], rng.loc["kaskrediet", "cost_min"],
                rng.loc["kaskrediet", "cost_max"]) == (137_218.58, 137_218.58, 189_557.79)
        assert (rng.loc["kaskrediet", "scenario_min"], rng.loc["kaskrediet", "scenario_max"]) == ("vlak", "schok")

    def test_peak_need_and_cheapest(self, case):
        result = compare_financing(*case)
        assert (int(result.peak_need()["jaar"]), result.peak_need()["need_average"]) == (2025, 2_000_000.0)
        assert result.cheapest()["alternative"] == "mix"  # 121,429.11, the lowest flat total above
        worst = result.cheapest(worst_case=True)
        assert worst["cost_max"] == result.range["cost_max"].min() and worst["cost_max"] < 189_557.79

    def test_cash_credit_without_fee_reproduces_the_engine(self, write_book):
        # A portfolio with real interest: flat scenario, no fee -> the engine's interest per year.
        sheets = build_sheets(
            [project("A"), project("B", startjaar=2024, eindjaar=2030)],
            flows(("A", "prognose", 2023, "verwerving", 1_000_000), ("A", "prognose", 2024, "infrastructuur", 400_000),
                  ("A", "prognose", 2025, "verkoop", 900_000), ("A", "prognose", 2026, "verkoop", 900_000),
                  ("B", "prognose", 2024, "verwerving", 3_000_000), ("B", "prognose", 2027, "infrastructuur", 800_000),
                  ("B", "prognose", 2030, "verkoop", 2_500_000)),
            flat_credit(rate=3.5, rates={2026: 4.25, 2027: 5.0}))
        portfolio = read_workbook(write_book(sheets))
        ev = evaluate(portfolio, valuation_year=2025)
        costs = financing_costs(portfolio, ev, FinancingParams(horizon_jaren=8))
        flat = _costs(costs, "kaskrediet")
        engine = ev.credit.set_index("jaar")["interest"].reindex(flat.index)
        assert np.allclose(flat["interest_cash_credit"].to_numpy(), engine.to_numpy(), atol=0.011)
        assert flat["commitment_fee"].eq(0).all()

    def test_default_loan_amount(self, write_book):
        # no lening_bedrag: the need of 2025 (2,000,000.00) rounded down to 100,000 -> 2,000,000; mix half of it
        portfolio = read_workbook(write_book(_sheets(None)))
        result = compare_financing(portfolio, evaluate(portfolio, valuation_year=2025))
        amounts = {a.name: (a.loan_amount, a.prefinancing_pct) for a in result.alternatives}
        assert amounts == {"kaskrediet": (0.0, 0.0), "vaste_lening": (2_000_000.0, 0.0),
                           "prefinanciering": (0.0, 25.0), "mix": (1_000_000.0, 12.5)}
        assert result.params == FinancingParams()
        assert len(result.need) == 10

# --------------------------------------------------------------------------- command line

def run(*args):
    return subprocess.run([sys.executable, "-m", "igemo_fin", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


class TestCommandLine:
    def test_financing_json(self, write_book):
        out = run("financing", write_book(_sheets()), "--year", 2025, "--json")
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        assert data["valuation_year"] == 2025 and data["horizon"] == [2025, 2026, 2027]
        assert data["funding_need"] == {"2025": 2_000_000.0, "2026": 581_111.11, "2027": 0.0}
        alts = {a["alternative"]: a for a in data["alternatives"]}
        assert list(alts) == ["kaskrediet", "vaste_lening", "prefinanciering", "mix"]
        assert alts["kaskrediet"]["total"] == 137_218.58
        assert alts["kaskrediet"]["by_year"] == {"2025": 86_180.55, "2026": 35_829.70, "2027": 15_208.33}
        assert alts["kaskrediet"]["scenarios"]["schok"]["total"] == 189_557.79
        assert alts["vaste_lening"]["scenarios"]["schok"]["by_year"]["2026"] == 27_397.69
        # the path (+100 bp in 2026) earns more on the 2026 surplus than it costs: 0.02 * d * 418,888.89 =
        # 8,494.14 -> 2026 costs 31,644.75 and the total 122,478.08, the loan's cheapest scenario
        assert alts["vaste_lening"]["range"] == {"min": 122_478.08, "max": 138_508.79, "scenario_min": "pad",
                                                 "scenario_max": "schok"}
        assert [s["name"] for s in data["scenarios"]] == ["vlak", "schok", "pad"]

    def test_financing_table(self, write_book):
        out = run("financing", write_book(_sheets()), "--year", 2025)
        assert out.returncode == 0, out.stderr
        assert "Kaskrediet (zoals nu)" in out.stdout and "€ 137.219" in out.stdout

    def test_refused_sheet_exits_2(self, write_book):
        sheet = pd.DataFrame({"parameter": ["rente_op_rente"], "waarde": [1]})
        out = run("financing", write_book(_sheets(sheet)), "--json")
        assert out.returncode == 2 and out.stdout == ""
        assert "blad 'financiering', rij 2, kolom 'parameter'" in out.stderr
