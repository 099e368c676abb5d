"""Yearly flows: the summing per project, year and category equals pandas' groupby (the slow path)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from igemo_fin.valuation.cashflow import flow_matrix, flows_and_matrix, yearly_flows


def lines(n: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "project_code": rng.choice(["B-2", "A-1", "C'3", "a-0"], n),
        "versie": rng.choice(["prognose", "begroting"], n),
        "jaar": rng.integers(2015, 2030, n),
        "categorie": rng.choice(["verkoop", "verwerving", "studies", "subsidies"], n),
        "bedrag": np.round(rng.normal(0, 1e5, n), 2),
    })


def groupby_flows(cashflows: pd.DataFrame, version: str) -> pd.DataFrame:
    chosen = cashflows[cashflows["versie"] == version]
    out = chosen.groupby(["project_code", "jaar", "categorie"], as_index=False, sort=True)["bedrag"].sum()
    return out.assign(bron=version)


def test_sums_equal_the_groupby_to_the_cent():
    cashflows = lines(2_000)
    for version in ("prognose", "begroting"):
        got = yearly_flows(cashflows, 2024, version=version)
        want = groupby_flows(cashflows, version)
        pd.testing.assert_frame_equal(got, want, check_dtype=False, check_exact=False, atol=0.005, rtol=0)


def test_sorted_lines_sum_like_unsorted_ones():
    # Lines in key order take a path of their own (no key space, no sort): same sums, same bits.
    cashflows = lines(2_000, seed=4)
    ordered = cashflows.sort_values(["project_code", "jaar", "categorie"], kind="stable").reset_index(drop=True)
    for version in ("prognose", "begroting"):
        pd.testing.assert_frame_equal(yearly_flows(ordered, 2024, version=version),
                                      yearly_flows(cashflows, 2024, version=version), check_exact=True)
    assert yearly_flows(ordered.iloc[:1], 2024, version=ordered["versie"].iloc[0])["bedrag"].tolist() == \
        [ordered["bedrag"].iloc[0]]


@pytest.mark.parametrize("dtype", ["str", object])
def test_one_line_per_key_in_order_gives_the_lines_themselves(dtype):
    # Each line its own key, in key order: the keys are the lines' own (copied), as the groupby gives them.
    cashflows = lines(400, seed=5).drop_duplicates(["project_code", "jaar", "categorie"])
    cashflows = cashflows.sort_values(["project_code", "jaar", "categorie"]).reset_index(drop=True).assign(versie="prognose")
    cashflows = cashflows.astype({"project_code": dtype, "categorie": dtype})
    got = yearly_flows(cashflows, 2024)
    want = groupby_flows(cashflows, "prognose")
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    got.loc[0, "project_code"] = "X"  # the flows share nothing with the workbook's lines
    assert cashflows.loc[0, "project_code"] != "X"


def test_actuals_replace_whole_past_project_years():
    cashflows = lines(500)
    actuals = pd.DataFrame({"project_code": ["A-1", "A-1", "B-2"], "jaar": [2016, 2026, 2017],
                            "categorie": ["studies", "verkoop", "verkoop"], "bedrag": [-10.0, 99.0, 5.0]})
    flows = yearly_flows(cashflows, 2024, actuals=actuals)
    a_2016 = flows[(flows["project_code"] == "A-1") & (flows["jaar"] == 2016)]
    assert a_2016[["categorie", "bedrag", "bron"]].values.tolist() == [["studies", -10.0, "werkelijk"]]
    assert not ((flows["jaar"] == 2026) & (flows["bron"] == "werkelijk")).any()  # the future stays forecast
    assert flows.equals(flows.sort_values(["project_code", "jaar", "categorie"]).reset_index(drop=True))


def test_flow_matrix_adds_every_line_once():
    flows = yearly_flows(lines(1_000), 2024)
    fm = flow_matrix(flows, ["A-1", "B-2", "C'3", "a-0", "unused"])
    assert round(fm.net.sum(), 2) == round(flows["bedrag"].sum(), 2)
    assert fm.first[-1] == fm.last[-1] == -1


@pytest.mark.parametrize("with_actuals", [False, True])
def test_flows_and_matrix_equal_yearly_flows_then_flow_matrix(with_actuals):
    # The fused path fills the matrix from the summing's keys; the slow path reads the frame back.
    cashflows = lines(1_500, seed=11)
    actuals = pd.DataFrame({"project_code": ["A-1", "B-2"], "jaar": [2016, 2017], "categorie": ["studies", "verkoop"],
                            "bedrag": [-10.0, 5.0]}) if with_actuals else None
    codes = ["a-0", "B-2", "unused", "A-1"]  # not sorted, one without flows, C'3 left out
    flows, fm = flows_and_matrix(cashflows, 2024, codes, actuals=actuals)
    pd.testing.assert_frame_equal(flows, yearly_flows(cashflows, 2024, actuals=actuals), check_exact=True)
    slow = flow_matrix(flows, codes)
    for name in ("years", "net", "costs", "revenues", "first", "last", "line_cells"):
        np.testing.assert_array_equal(getattr(fm, name), getattr(slow, name), err_msg=name)
    empty, fm = flows_and_matrix(cashflows.iloc[:0], 2024, codes)
    assert empty.empty and fm.net.shape == (4, 0) and (fm.first == -1).all()


def test_span_cells_are_the_nonzero_cells_of_the_spans():
    fm = flow_matrix(yearly_flows(lines(600, seed=7), 2024), ["C'3", "Z-9", "A-1", "a-0", "B-2"])
    assert (fm.first == -1).any()  # a project without flows has no cells
    rows, cols = fm.span_cells()
    want_rows, want_cols = np.nonzero(fm.in_span())
    assert rows.tolist() == want_rows.tolist() and cols.tolist() == want_cols.tolist()
    assert rows.dtype == want_rows.dtype and cols.dtype == want_cols.dtype
