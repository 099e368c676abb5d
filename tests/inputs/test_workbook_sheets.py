"""igemo_fin.inputs.workbook_sheets: each sheet's reader on rows as python-calamine gives them."""

from __future__ import annotations

from igemo_fin.inputs.workbook_cells import Collector, Row, Sheet
from igemo_fin.inputs.workbook_sheets import parse_accounts, parse_cashflows, parse_credit, parse_thresholds


def _sheet(name: str, *rows: dict) -> Sheet:
    headers = list(dict.fromkeys(k for row in rows for k in row))
    return Sheet(name, headers, [Row(i + 2, row) for i, row in enumerate(rows)])


def test_cashflows_sign_by_category_and_read_belgian_text():
    c = Collector()
    frame = parse_cashflows(c, _sheet("kasstromen",
                                      {"project_code": "A", "versie": "prognose", "jaar": 2025, "categorie": "verwerving",
                                       "bedrag": "1.000,50"},
                                      {"project_code": "A", "versie": "prognose", "jaar": "2026", "categorie": "verkoop",
                                       "bedrag": 2_000}), {"A"})
    assert not c.problems
    assert frame["bedrag"].tolist() == [-1_000.5, 2_000.0] and frame["excel_row"].tolist() == [2, 3]


def test_cashflows_refuse_an_accounting_negative():
    c = Collector()
    parse_cashflows(c, _sheet("kasstromen", {"project_code": "A", "versie": "prognose", "jaar": 2025,
                                             "categorie": "verwerving", "bedrag": "(1.000,50)"}), {"A"})
    assert [(p.row, p.column) for p in c.problems] == [(2, "bedrag")]


def test_credit_reads_a_dot_decimal_rate_and_refuses_an_implausible_one():
    c = Collector()
    frame = parse_credit(c, _sheet("kaskrediet", {"jaar": 2025, "rentevoet_pct": "4.25", "kredietlimiet": None},
                                   {"jaar": 2026, "rentevoet_pct": 150, "kredietlimiet": None}))
    assert frame["rentevoet_pct"].tolist() == [4.25]
    assert [(p.row, p.column) for p in c.problems] == [(3, "rentevoet_pct")]


def test_thresholds_keep_defaults_for_empty_values_and_refuse_repeats():
    c = Collector()
    t = parse_thresholds(c, _sheet("drempels", {"parameter": "min_irr_pct", "waarde": "4,5"},
                                   {"parameter": "stop_npv_onder", "waarde": None},
                                   {"parameter": "MIN_IRR_PCT", "waarde": 3}))
    assert t.min_irr_pct == 4.5
    assert [(p.row, p.column) for p in c.problems] == [(4, "parameter")] and "dubbel" in c.problems[0].reason


def test_accounts_prefix_must_be_digits():
    c = Collector()
    frame = parse_accounts(c, _sheet("rekeningen", {"rekening_prefix": 6040.0, "categorie": "infrastructuur"},
                                     {"rekening_prefix": "60A", "categorie": "studies"}))
    assert frame.to_dict("records") == [{"rekening_prefix": "6040", "categorie": "infrastructuur"}]
    assert [(p.row, p.column) for p in c.problems] == [(3, "rekening_prefix")]


def test_portfolio_thresholds_are_read_and_a_zero_credit_use_refused():
    c = Collector()
    read = parse_thresholds(c, _sheet("drempels", {"parameter": "min_eigen_vermogen", "waarde": "5.000.000,00"},
                                      {"parameter": "max_kredietgebruik_pct", "waarde": 0}))
    assert read.min_eigen_vermogen == 5_000_000 and read.max_kredietgebruik_pct == 100
    assert [(p.row, p.column, p.reason) for p in c.problems] == [(3, "waarde", "percentage 0 moet groter dan 0 zijn")]
