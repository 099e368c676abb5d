"""numpy's digits equal Python's ``str.format`` (through the scalar :func:`igemo_fin.fmt.number`), and
the fast path is the one taken for the numbers the engine writes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from igemo_fin.digits import decimal_bytes
from igemo_fin.fmt import eur, eur_texts, number, pct_texts

# Rounding edges: halves, values whose decimal text is a half but whose binary value is not
# (1.005, 2.675), a sign that rounds away, thousands reached by rounding, the largest exact integers.
FINITE_EDGES = [0.0, -0.0, -0.4, -0.5, 0.5, 1.5, 2.5, -2.5, -0.6, 0.005, -0.004, -0.04, -0.0051, 1.005, 1.015,
                2.675, 999.5, 999.4999, -999_999.5, 1234.5, 1e-300, -1e-300, 12_345_678.9, -7.0, 3.0]


def texts(values, decimals, prefix="", suffix=""):
    written = decimal_bytes(np.asarray(values, dtype=float), decimals, prefix, suffix)
    if written is None:
        return None
    data, offsets = written
    return [bytes(data[a:b]).decode() for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]


@pytest.mark.parametrize("decimals", [0, 1, 2, 3, 4, 5])
def test_edges_each_equal_the_scalar_function_or_are_left_to_it(decimals):
    for v in FINITE_EDGES:
        got = texts([v], decimals)
        assert got is None or got == [number(v, decimals)], v


def test_whole_numbers_are_never_left_to_the_slow_path():
    # rint rounds exactly as str.format does: halves to even, on the binary value
    assert texts(FINITE_EDGES, 0) == [number(v, 0) for v in FINITE_EDGES]
    assert texts([2.0 ** 53 - 1, -(2.0 ** 53 - 1)], 0) == [number(2.0 ** 53 - 1), number(-(2.0 ** 53 - 1))]
    assert texts([2.0 ** 53], 0) is None


def test_a_product_near_a_half_is_left_to_str_format():
    assert texts([0.125], 2) is None  # 12.5 exactly: the exact value decides, not the product
    assert texts([2.675], 2) is None  # 267.49999999999997: str.format gives 2.67, the product alone cannot tell
    assert texts([2.6751, 2.6749], 2) == ["2,68", "2,67"]
    assert texts([1e8], 2) is None  # 1e10 scaled: too large for the product's error to stay small


def test_more_than_three_decimals_are_written_digit_by_digit():
    values = [1.23456, -7.5, 0.00004, 99.99996]
    assert texts(values, 4) == [number(v, 4) for v in values]


def test_prefix_suffix_and_signs():
    assert texts([-1234.5, 0.0, -0.004, 5.0], 2, "€ ", " x") == ["€ -1.234,50 x", "€ 0,00 x", "€ 0,00 x", "€ 5,00 x"]
    assert texts([], 1, "€ ") == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(min_value=-1e12, max_value=1e12), min_size=1, max_size=50), st.integers(0, 3))
def test_any_amount_equals_the_scalar_function(values, decimals):
    got = texts(values, decimals, "€ ")
    if got is not None:
        assert got == [eur(v, decimals) for v in values]
    assert eur_texts(values, decimals, arrow=True).to_pylist() == [eur(v, decimals) for v in values]


def test_the_engines_numbers_take_the_fast_path():
    rng = np.random.default_rng(7)
    amounts = rng.normal(0, 3e6, 2000)
    percents = rng.uniform(-5, 30, 2000)
    assert texts(amounts, 0, "€ ") == [eur(v) for v in amounts]
    for decimals in (1, 2):
        got = texts(percents, decimals, suffix=" %")
        assert got is not None and got == pct_texts(percents, decimals).tolist()
