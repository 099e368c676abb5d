"""The array formatters give, element by element, what the scalar ones give (the slow path)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igemo_fin.fmt import eur, eur_texts, number, number_texts, pct, pct_texts, year_texts, years

NAN = float("nan")
EDGES = [0.0, -0.0, -0.4, -0.5, 0.5, 1.5, 2.5, -2.5, -0.6, 0.005, -0.004, -0.04, 1.005, 1.015, 2.675, 0.125,
         999.5, -999_999.5, 1234.5, 1e-300, 2.0 ** 53 - 1, 2.0 ** 53, 4503599627370495.5, 1e20, -1e20,
         float("inf"), float("-inf"), NAN, 7.0, 3.0]


@pytest.mark.parametrize("decimals", [0, 1, 2])
def test_edges_equal_the_scalar_functions(decimals):
    assert number_texts(EDGES, decimals).tolist() == [number(v, decimals) for v in EDGES]
    assert eur_texts(EDGES, decimals).tolist() == [eur(v, decimals) for v in EDGES]
    assert pct_texts(EDGES, decimals).tolist() == [pct(v, decimals) for v in EDGES]


@pytest.mark.parametrize("decimals", [0, 2])
def test_arrow_texts_equal_the_object_arrays(decimals):
    for values in (EDGES, [v for v in EDGES if v == v], [NAN], []):
        assert eur_texts(values, decimals, arrow=True).to_pylist() == eur_texts(values, decimals).tolist()
        assert pct_texts(values, decimals, arrow=True).to_pylist() == pct_texts(values, decimals).tolist()
        assert number_texts(values, decimals, arrow=True).to_pylist() == number_texts(values, decimals).tolist()


@pytest.mark.parametrize("decimals", [0, 1, 2, 3])
def test_small_numbers_without_grouping_equal_the_scalar_functions(decimals):
    # arrays whose numbers all stay under 999.5 are formatted without a grouping pass: the edge
    # is where rounding reaches four digits
    for values in ([999.49, -999.4999, 999.45, 0.0, -0.0, 3.14159, -12.5], [999.5], [-999.5, 1.0], [999.4999999]):
        assert number_texts(values, decimals).tolist() == [number(v, decimals) for v in values]
        assert pct_texts(values, decimals, arrow=True).to_pylist() == [pct(v, decimals) for v in values]


def test_years_equal_the_scalar_function():
    values = EDGES + [2.25, -1.5]
    assert year_texts(values).tolist() == [years(v) for v in values]
    assert year_texts(values, arrow=True).to_pylist() == [years(v) for v in values]
    whole = [7.0, 12.0, NAN, 0.0]  # no fraction: one pass
    assert year_texts(whole, arrow=True).to_pylist() == [years(v) for v in whole]


def test_empty_and_all_missing():
    assert number_texts([]).tolist() == []
    assert eur_texts([NAN, NAN]).tolist() == ["–", "–"]
    assert pct_texts([NAN, NAN], arrow=True).to_pylist() == ["–", "–"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=40), st.integers(0, 3))
def test_any_floats_equal_the_scalar_functions(values, decimals):
    assert eur_texts(values, decimals).tolist() == [eur(v, decimals) for v in values]
    assert pct_texts(values, decimals).tolist() == [pct(v, decimals) for v in values]
    assert eur_texts(values, decimals, arrow=True).to_pylist() == [eur(v, decimals) for v in values]
