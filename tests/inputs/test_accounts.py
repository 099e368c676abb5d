"""igemo_fin.inputs.accounts: ledger accounts to categories, longest prefix first, rekeningen override."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from igemo_fin.inputs.accounts import (
    COST_CATEGORIES,
    DEFAULT_ACCOUNT_PREFIXES,
    IGNORE,
    REVENUE_CATEGORIES,
    categorize_accounts,
    validate_rekeningen,
)
from igemo_fin.errors import WorkbookError


def cats(accounts, rekeningen=None) -> list:
    out = categorize_accounts(pd.Series(accounts), rekeningen)
    return [None if pd.isna(v) else v for v in out]


def sheet(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["rekening_prefix", "categorie"])


class TestConstants:
    def test_categories_as_workbook_md_lists_them(self):
        assert COST_CATEGORIES == ("verwerving", "studies", "infrastructuur", "overige_kosten")
        assert REVENUE_CATEGORIES == ("verkoop", "subsidies", "overige_opbrengsten")
        assert IGNORE == "negeren"

    def test_defaults_are_read_only(self):
        with pytest.raises(TypeError):
            DEFAULT_ACCOUNT_PREFIXES["605"] = "studies"


class TestDefaults:
    # DOMAIN.md, "Ledger accounts": one account per line of the table
    @pytest.mark.parametrize("account, category", [
        ("605000", "verwerving"),           # 605 real estate for sale
        ("605900", "verwerving"),
        ("602100", "studies"),              # 602 services, works and studies
        ("613000", "studies"),              # 61 fees (surveyor, notary)
        ("618200", "studies"),
        ("603000", "infrastructuur"),       # 603 general subcontracting
        ("600000", "overige_kosten"),
        ("601000", "overige_kosten"),
        ("604000", "overige_kosten"),
        ("608000", "overige_kosten"),
        ("620000", "overige_kosten"),       # other 6
        ("640000", "overige_kosten"),
        ("609000", IGNORE),                 # stock movements
        ("710000", IGNORE),
        ("340000", IGNORE),
        ("650000", IGNORE),                 # financial charges
        ("657000", IGNORE),
        ("700000", "verkoop"),
        ("740000", "subsidies"),
        ("750000", "overige_opbrengsten"),  # other 7
        ("790000", "overige_opbrengsten"),
        ("100000", IGNORE),                 # balance sheet
        ("220000", IGNORE),
        ("440000", IGNORE),
        ("550000", IGNORE),
    ])
    def test_table(self, account, category):
        assert cats([account]) == [category]

    @pytest.mark.parametrize("account", ["000100", "800000", "900000", "ABC", "", None])
    def test_not_covered_is_missing(self, account):
        assert cats([account]) == [None]

    def test_numbers_are_read_as_codes(self):
        # an Excel number 604000.0 is account "604000"; 605000 (int) likewise
        assert cats([604000.0, 605000, " 700000 "]) == ["overige_kosten", "verwerving", "verkoop"]

    def test_index_and_length_are_kept(self):
        accounts = pd.Series(["605000", "700000", None], index=[10, 20, 30])
        out = categorize_accounts(accounts)
        assert out.index.tolist() == [10, 20, 30]
        assert out.iloc[:2].tolist() == ["verwerving", "verkoop"] and pd.isna(out.iloc[2])


class TestRekeningen:
    def test_longest_own_prefix_wins(self):
        own = sheet(("6040", "infrastructuur"), ("60401", "studies"))
        # 604010 starts with 60401 (longest); 604020 with 6040; 604500 with none of them -> default
        assert cats(["604010", "604020", "604500"], own) == ["studies", "infrastructuur", "overige_kosten"]

    def test_own_rows_take_precedence_over_longer_defaults(self):
        # the sheet says 60 -> studies: 605000 follows the sheet although the default 605 is longer
        own = sheet(("60", "studies"))
        assert cats(["605000", "603000", "613000"], own) == ["studies", "studies", "studies"]

    def test_defaults_cover_what_the_sheet_does_not_mention(self):
        own = sheet(("650", "overige_kosten"))
        assert cats(["650000", "700000", "550000"], own) == ["overige_kosten", "verkoop", IGNORE]

    def test_sheet_can_ignore_and_can_map_class_9(self):
        own = sheet(("6131", "negeren"), ("9", "overige_opbrengsten"))
        assert cats(["613100", "613200", "900000"], own) == [IGNORE, "studies", "overige_opbrengsten"]

    def test_numeric_prefix_and_category_case(self):
        own = pd.DataFrame({"rekening_prefix": [6040.0], "categorie": ["Infrastructuur "]})
        assert cats(["604000"], own) == ["infrastructuur"]

    def test_empty_sheet_means_defaults(self):
        assert cats(["605000"], sheet()) == ["verwerving"]


class TestValidation:
    def test_every_problem_with_its_row(self):
        own = sheet(("605", "grond"), ("6A", "studies"), (None, "studies"), ("74", "subsidies"),
                    ("74", "verkoop"))
        problems = validate_rekeningen(own)
        # header on row 1: the data rows are 2..6
        assert [(p.sheet, p.row, p.column) for p in problems] == [
            ("rekeningen", 2, "categorie"),
            ("rekeningen", 3, "rekening_prefix"),
            ("rekeningen", 4, "rekening_prefix"),
            ("rekeningen", 6, "rekening_prefix"),
        ]
        assert "'grond' is onbekend" in problems[0].reason
        assert problems[1].reason == "rekeningprefix '6A' is geen reeks cijfers"
        assert problems[2].reason == "rekeningprefix ontbreekt"
        assert problems[3].reason == "rekeningprefix '74' staat al op rij 5 met categorie 'subsidies'"

    def test_row_column_is_used_when_present(self):
        own = pd.DataFrame({"rekening_prefix": ["605"], "categorie": ["x"], "row": [17]})
        assert validate_rekeningen(own)[0].row == 17

    def test_same_prefix_same_category_is_harmless(self):
        assert validate_rekeningen(sheet(("74", "subsidies"), ("74", "subsidies"))) == []

    def test_missing_column(self):
        problems = validate_rekeningen(pd.DataFrame({"rekening_prefix": ["605"]}))
        assert [(p.column, p.reason) for p in problems] == [("categorie", "verplichte kolom 'categorie' ontbreekt")]

    def test_categorize_refuses_an_invalid_sheet(self):
        with pytest.raises(WorkbookError) as info:
            categorize_accounts(pd.Series(["605000"]), sheet(("605", "grond")))
        assert info.value.problems[0].row == 2


def test_vectorised_on_200000_lines():
    rng = np.random.default_rng(4)
    accounts = pd.Series(rng.choice(["605000", "602000", "613000", "650000", "700000", "740000"], 200_000))
    t0 = time.perf_counter()
    out = categorize_accounts(accounts, sheet(("6130", "infrastructuur")))
    assert time.perf_counter() - t0 < 2.0
    expected = accounts.map({"605000": "verwerving", "602000": "studies", "613000": "infrastructuur",
                             "650000": IGNORE, "700000": "verkoop", "740000": "subsidies"})
    assert (out == expected).all()
