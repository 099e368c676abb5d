"""Accounts to cost groups: the defaults from the Belgian minimum chart and the sheet's overrides."""

from __future__ import annotations

import pandas as pd
import pytest

from igemo_fin.inputs.cost_groups import COST_GROUPS, DEFAULT_GROUP_PREFIXES, GROUP_CHOICES, cost_groups


@pytest.mark.parametrize("account, group", [
    ("620000", "personeel"), ("623000", "personeel"), ("617000", "personeel"), ("618000", "personeel"),
    ("614500", "ict_software"), ("610000", "huisvesting"), ("611000", "huisvesting"), ("612100", "huisvesting"),
    ("613000", "erelonen"), ("615000", "voertuigen"), ("616000", "overige"), ("640000", "overige"),
    ("603000", "project"), ("605000", "project"), ("609000", "negeren"), ("630000", "negeren"),
    ("650000", "negeren"), ("700000", "negeren"), ("400000", "negeren"),
])
def test_defaults(account, group):
    assert cost_groups(pd.Series([account])).iloc[0] == group


def test_every_default_is_a_choice():
    assert set(DEFAULT_GROUP_PREFIXES.values()) <= set(GROUP_CHOICES)
    assert set(COST_GROUPS) <= set(DEFAULT_GROUP_PREFIXES.values())


def test_the_sheet_takes_precedence_longest_prefix_first():
    own = pd.DataFrame({"rekening_prefix": ["6", "6141"], "kostengroep": ["overige", "voertuigen"]})
    assert cost_groups(pd.Series(["620000", "614100", "614200", "700000"]), own).tolist() == [
        "overige", "voertuigen", "overige", "negeren"]


def test_numbers_and_missing():
    groups = cost_groups(pd.Series([620000, None, "900000"], dtype="object"))
    assert groups.iloc[0] == "personeel" and groups.isna().tolist() == [False, True, True]
