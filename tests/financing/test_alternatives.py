"""Financing alternatives and the sheet ``financiering``, worked out by hand.

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

from igemo_fin.financing.alternatives import (
    COST_COLUMNS,
    LOAN_COLUMNS,
    NEED_COLUMNS,
    RANGE_COLUMNS,
    FinancingParams,
    compare_financing,
    financing_costs,
    financing_params,
    funding_need,
    loan_schedule,
    params_sheet,
    rate_scenarios,
)
from igemo_fin.errors import WorkbookError
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.inputs.workbook import read_workbook

from conftest import ROOT, build_sheets, flat_credit, flows, project

SHEET = pd.DataFrame({
    "parameter": ["kaskrediet_reservatiecommissie_pct", "lening_bedrag", "lening_rente_pct", "lening_looptijd_jaren",
                  "lening_aflossing", "depositorente_pct", "gemeente_prefinanciering_pct", "gemeente_rente_pct",
                  "mix_lening_bedrag", "mix_gemeente_prefinanciering_pct", "horizon_jaren", "scenario_schok_bp",
                  "scenario_pad_bp"],
    "waarde": [0.5, 1_000_000, 3, 2, "bullet", "1", 25, "2,0", 500_000, 10, 3, 200, "0;100"],
})


def _sheets(financiering: pd.DataFrame | None = SHEET):
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


# --------------------------------------------------------------------------- the loan

class TestLoanSchedule:
    def test_linear_by_hand(self):
        # 1,000,000 at 3 % over 4 years, 250,000 repaid each 31 December:
        # balances 1,000,000 / 750,000 / 500,000 / 250,000; coupons 3 % of them
        s = loan_schedule(1_000_000, 3.0, 4, "lineair", start_year=2026)
        assert tuple(s.columns) == LOAN_COLUMNS
        assert s["jaar"].tolist() == [2026, 2027, 2028, 2029]
        assert s["outstanding_start"].tolist() == [1_000_000, 750_000, 500_000, 250_000]
        assert s["interest"].tolist() == [30_000, 22_500, 15_000, 7_500]
        assert s["repayment"].tolist() == [250_000] * 4
        assert s["outstanding_end"].tolist() == [750_000, 500_000, 250_000, 0]
        assert s["interest"].sum() == 75_000

    def test_bullet_by_hand(self):
        # 1,000,000 at 3.5 % over 3 years: 35,000 a year, everything repaid at the end
        s = loan_schedule(1_000_000, 3.5, 3, "bullet", start_year=2026)
        assert s["interest"].tolist() == [35_000, 35_000, 35_000]
        assert s["repayment"].tolist() == [0, 0, 1_000_000]
        assert s["outstanding_end"].tolist() == [1_000_000, 1_000_000, 0]

    def test_linear_remainder_goes_to_the_last_year(self):
        # 1,000,000 / 3 = 333,333.33 twice and 333,333.34 last;
        # coupons 3 % of 1,000,000 / 666,666.67 / 333,333.34 = 30,000.00 / 20,000.0001 / 10,000.0002
        s = loan_schedule(1_000_000, 3.0, 3, "lineair", start_year=2026)
        assert s["repayment"].tolist() == [333_333.33, 333_333.33, 333_333.34]
        assert s["interest"].tolist() == [30_000.0, 20_000.0, 10_000.0]

    def test_coupon_half_up(self):
        # 301 * 2.5 % = 7.525 -> 7.53 (half up; round(301 * 0.025, 2) gives 7.52)
        assert loan_schedule(301, 2.5, 1, "bullet", start_year=2026)["interest"].tolist() == [7.53]

    def test_bad_repayment(self):
        with pytest.raises(ValueError, match="lineair"):
            loan_schedule(1_000, 3.0, 2, "annuitair", start_year=2026)


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


# --------------------------------------------------------------------------- the sheet

class TestSheet:
    def test_read_from_the_workbook(self, case):
        params = financing_params(case[0])
        assert params == FinancingParams(kaskrediet_reservatiecommissie_pct=0.5, lening_bedrag=1_000_000,
                                         lening_rente_pct=3, lening_looptijd_jaren=2, lening_aflossing="bullet",
                                         depositorente_pct=1, gemeente_prefinanciering_pct=25, gemeente_rente_pct=2,
                                         mix_lening_bedrag=500_000, mix_gemeente_prefinanciering_pct=10,
                                         horizon_jaren=3, scenario_schok_bp=200, scenario_pad_bp=(0, 100))
        assert [s.name for s in rate_scenarios(params)] == ["vlak", "schok", "pad"]
        assert rate_scenarios(params)[2].shift(5) == 100  # the last shift holds

    def test_absent_sheet_gives_defaults(self, write_book):
        assert financing_params(read_workbook(write_book(_sheets(None)))) == FinancingParams()

    def test_empty_value_keeps_the_default(self, write_book):
        sheet = pd.DataFrame({"parameter": ["lening_rente_pct", "horizon_jaren"], "waarde": [None, "5"]})
        params = financing_params(read_workbook(write_book(_sheets(sheet))))
        assert params.lening_rente_pct == FinancingParams().lening_rente_pct and params.horizon_jaren == 5

    def test_errors_name_sheet_row_column_in_dutch(self, write_book):
        sheet = pd.DataFrame({
            "parameter": ["lening_rente_pct", "lening_aflossing", "horizon_jaren", "gemeente_prefinanciering_pct",
                          "rente_op_rente", "lening_rente_pct", "scenario_pad_bp", "lening_bedrag"],
            "waarde": ["drie", "annuitair", 2.5, 120, 1, 3, "0;;100", -5],
        })
        portfolio = read_workbook(write_book(_sheets(sheet), name="fout.xlsx"))
        with pytest.raises(WorkbookError) as info:
            financing_params(portfolio)
        found = {(p.sheet, p.row, p.column) for p in info.value.problems}
        assert found == {("financiering", 2, "waarde"), ("financiering", 3, "waarde"), ("financiering", 4, "waarde"),
                         ("financiering", 5, "waarde"), ("financiering", 6, "parameter"),
                         ("financiering", 7, "parameter"), ("financiering", 8, "waarde"),
                         ("financiering", 9, "waarde")}
        reasons = {p.row: p.reason for p in info.value.problems}
        assert "is geen getal" in reasons[2]
        assert "'lineair' of 'bullet'" in reasons[3]
        assert "geheel aantal jaren" in reasons[4]
        assert "ligt niet tussen 0 en 100" in reasons[5]
        assert "onbekende parameter 'rente_op_rente'" in reasons[6]
        assert "komt dubbel voor (ook op rij 2)" in reasons[7]
        assert "basispunten" in reasons[8]
        assert "mag niet negatief zijn" in reasons[9]
        assert info.value.file == "fout.xlsx"
        assert "blad 'financiering', rij 6, kolom 'parameter'" in str(info.value)

    def test_missing_column(self, write_book):
        sheet = pd.DataFrame({"parameter": ["horizon_jaren"], "value": [5]})
        with pytest.raises(WorkbookError) as info:
            financing_params(read_workbook(write_book(_sheets(sheet))))
        assert [(p.sheet, p.row, p.column) for p in info.value.problems] == [("financiering", 1, "waarde")]

    def test_belgian_text_numbers_and_aliases(self, write_book):
        sheet = pd.DataFrame({"parameter": ["lening_bedrag", "lening_rente_pct", "lening_aflossing", "scenario_pad_bp"],
                              "waarde": ["1.250.000", "3,25", "Lineair", "0; 150; 300"]})
        params = financing_params(read_workbook(write_book(_sheets(sheet))))
        assert (params.lening_bedrag, params.lening_rente_pct, params.lening_aflossing, params.scenario_pad_bp) == (
            1_250_000.0, 3.25, "lineair", (0.0, 150.0, 300.0))

    def test_params_sheet_round_trip(self, write_book):
        params = FinancingParams(lening_bedrag=2_500_000, lening_aflossing="bullet", scenario_pad_bp=(0, 50, 75))
        sheet = params_sheet(params)
        assert list(sheet.columns) == ["parameter", "waarde", "toelichting"]
        assert financing_params(read_workbook(write_book(_sheets(sheet)))) == params

    def test_with_values_validates(self):
        params = FinancingParams().with_values(lening_rente_pct=2.75, scenario_pad_bp=(0, 100))
        assert params.lening_rente_pct == 2.75 and params.scenario_pad_bp == (0.0, 100.0)
        with pytest.raises(WorkbookError):
            FinancingParams().with_values(horizon_jaren=0)


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

    def test_evaluate_json_has_the_obligations(self, write_book):
        # W: 50 % above 100,000 of a 300,000.02 result (0 %) -> owed 100,000.01; POC 1 * 300/1,300.00002
        # L: loss 500,000 at 40 % capped at 150,000 -> IGEMO 350,000 = write-down
        sheets = build_sheets(
            [project("W", winstdeling_gemeente_pct=50, winstdeling_drempel=100_000),
             project("L", risicodeling_gemeente_pct=40, risicodeling_plafond=150_000)],
            flows(("W", "prognose", 2023, "verwerving", 1_000_000), ("W", "prognose", 2024, "verkoop", 300_000),
                  ("W", "prognose", 2025, "verkoop", 1_000_000.02),
                  ("L", "prognose", 2023, "verwerving", 1_000_000), ("L", "prognose", 2026, "verkoop", 500_000)),
            flat_credit(rate=0.0))
        out = run("evaluate", write_book(sheets), "--year", 2025, "--json")
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        w, l_p = data["projects"]
        assert w["profit_share_owed"] == 100_000.01
        assert w["poc"] == pytest.approx(300_000 / 1_300_000.02, abs=1e-9)
        assert w["profit_share_provision"] == 23_076.93  # 100,000.01 * 300,000 / 1,300,000.02 = 23,076.925...
        assert (w["write_down"], w["loss_share_municipality"], w["loss_share_igemo"]) == (0.0, 0.0, 0.0)
        assert (l_p["write_down"], l_p["loss_share_municipality"], l_p["loss_share_igemo"]) == (
            350_000.0, 150_000.0, 350_000.0)
        assert (l_p["profit_share_owed"], l_p["poc"], l_p["profit_share_provision"]) == (0.0, 0.0, 0.0)
        assert data["portfolio"]["write_down_total"] == 350_000.0
        assert data["portfolio"]["profit_share_provision_total"] == 23_076.93


class TestP90FromTheRiskModel:
    def test_p90_loss_is_taken_from_result_p10(self):
        from igemo_fin.cli.obligations import p90_from_extras

        extras = {"project": {"A": {"result_p10": -700_000.0}, "B": {"result_p10": 12.0},
                              "C": {"loss_p90": 5.0, "result_p10": -9.0}, "D": {"npv_p10": -1.0}}}
        assert p90_from_extras(extras).to_dict() == {"A": 700_000.0, "B": 0.0, "C": 5.0}
        assert p90_from_extras({"project": {}}) is None

    def test_evaluate_with_simulations_splits_the_p90_loss(self, write_book):
        pytest.importorskip("igemo_fin.cli.risk")
        # no risk register: every iteration gives the deterministic result -500,000 -> P90 loss 500,000,
        # 40 % = 200,000 capped at 150,000 -> IGEMO 350,000
        sheets = build_sheets([project("L", risicodeling_gemeente_pct=40, risicodeling_plafond=150_000)],
                              flows(("L", "prognose", 2023, "verwerving", 1_000_000),
                                    ("L", "prognose", 2026, "verkoop", 500_000)), flat_credit(rate=0.0))
        out = run("evaluate", write_book(sheets), "--year", 2025, "--simulations", 50, "--json")
        assert out.returncode == 0, out.stderr
        entry = json.loads(out.stdout)["projects"][0]
        assert (entry["loss_p90_municipality"], entry["loss_p90_igemo"]) == (150_000.0, 350_000.0)
        assert entry["write_down"] == 350_000.0
