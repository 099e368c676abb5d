import numpy as np
import pandas as pd
import pytest

from igemo_fin.valuation.text_arrays import equals_text, factorize_text


@pytest.mark.parametrize("dtype", ["str", object, pd.StringDtype("python")])
def test_equals_text_is_pandas_comparison_with_missing_as_false(dtype):
    column = pd.Series(["actief", None, "afgesloten", "actief", ""], dtype=dtype)
    got = equals_text(column, "actief")
    assert got.dtype == bool
    assert got.tolist() == (column == "actief").fillna(False).astype(bool).tolist() == [True, False, False, True, False]


def test_equals_text_on_a_chunked_column():
    column = pd.concat([pd.Series(["a", "b"], dtype="str"), pd.Series(["a"], dtype="str")], ignore_index=True)
    assert np.array_equal(equals_text(column, "a"), [True, False, True])


@pytest.mark.parametrize("dtype", ["str", object])
def test_factorize_text_is_sorted_pandas_factorize(dtype):
    texts = ["verkoop", None, "Ékluse", "infrastructuur", "verkoop", "", "zee", "Ékluse", "a"]
    column = pd.concat([pd.Series(texts[:4], dtype=dtype), pd.Series(texts[4:], dtype=dtype)], ignore_index=True)
    for chosen in (np.ones(len(texts), dtype=bool), np.array([True, True, False, True, True, False, True, True, False])):
        codes, uniques = factorize_text(column, chosen)
        want_codes, want_uniques = pd.factorize(column[chosen], sort=True)
        assert codes.tolist() == want_codes.tolist()
        assert uniques.tolist() == want_uniques.tolist() and uniques.dtype == want_uniques.dtype
