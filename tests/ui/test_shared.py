"""The objects every session shares (ui.shared) stay as computed, whatever a page does with its view."""

from __future__ import annotations

import dataclasses
import hashlib
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from streamlit.testing.v1 import AppTest

from igemo_fin.valuation.basis import DataVersion
from igemo_fin.valuation.evaluate import evaluate
from igemo_fin.records.store import Store
from igemo_fin.records.users import add_user
from igemo_fin.inputs.workbook import read_workbook
from ui import charts, state
from ui.shared import freeze_arrays, shared, shared_figure, view

from conftest import DEMO_WORKBOOK, ROOT
from apptest_support import assert_clean, open_page, sign_in

#: Every page of the dashboard, read from its navigation.
ALL_PAGES = re.findall(r'st\.Page\("(pages/\w+\.py)"', (ROOT / "dashboard.py").read_text(encoding="utf-8"))


def assert_same(actual, expected) -> None:
    """Field by field: frames and arrays exactly equal, other fields equal."""
    for f in dataclasses.fields(expected):
        a, e = getattr(actual, f.name), getattr(expected, f.name)
        if isinstance(e, pd.DataFrame):
            pd.testing.assert_frame_equal(a, e, obj=f.name)
        elif isinstance(e, np.ndarray):
            np.testing.assert_array_equal(a, e, err_msg=f.name)
        elif dataclasses.is_dataclass(e):
            assert_same(a, e)
        else:
            assert a == e, f.name


@dataclasses.dataclass(frozen=True)
class Thing:
    frame: pd.DataFrame
    values: np.ndarray
    label: str = "x"


class TestView:
    def test_a_column_added_to_a_view_stays_in_the_view(self):
        original = Thing(pd.DataFrame({"a": [1.0, 2.0]}), np.arange(3.0))
        seen = view(original)
        seen.frame["b"] = 5.0
        seen.frame.loc[0, "a"] = -1.0
        assert list(original.frame.columns) == ["a"]
        assert original.frame["a"].tolist() == [1.0, 2.0]

    def test_a_shared_array_cannot_be_written(self):
        thing = freeze_arrays(Thing(pd.DataFrame({"a": [1.0]}), np.arange(3.0)))
        with pytest.raises(ValueError, match="read-only"):
            view(thing).values[0] = 9.0

    def test_shared_builds_once_and_hands_out_views(self):
        calls = []

        @shared(max_entries=4)
        def build(n: int) -> Thing:
            calls.append(n)
            return Thing(pd.DataFrame({"a": range(n)}), np.zeros(n))

        build.clear()
        first, second = build(3), build(3)
        assert calls == [3]
        assert first is not second and first.frame is not second.frame
        pd.testing.assert_frame_equal(first.frame, second.frame)

    def test_two_shared_functions_keep_their_own_results(self):
        @shared(max_entries=4)
        def double(n: int) -> Thing:
            return Thing(pd.DataFrame({"a": [2 * n]}), np.zeros(1))

        @shared(max_entries=4)
        def triple(n: int) -> Thing:
            return Thing(pd.DataFrame({"a": [3 * n]}), np.zeros(1))

        assert (double(5).frame["a"].iloc[0], triple(5).frame["a"].iloc[0]) == (10, 15)

    def test_arguments_named_with_an_underscore_are_not_hashed(self):
        calls = []

        @shared(max_entries=4)
        def build(key: str, _frame: pd.DataFrame) -> Thing:
            calls.append(key)
            return Thing(_frame, np.zeros(1))

        build.clear()
        build("a", pd.DataFrame({"a": [1]}))
        assert build("a", pd.DataFrame({"a": [2]})).frame["a"].tolist() == [1], "the key stands for the frame"
        assert build("b", pd.DataFrame({"a": [2]})).frame["a"].tolist() == [2]
        assert calls == ["a", "b"]

    def test_a_shared_figure_is_built_anew_for_changed_data(self):
        calls = []

        @shared_figure
        def figure(frame: pd.DataFrame, *, title: str = "") -> go.Figure:
            calls.append(title)
            return go.Figure(layout=dict(title=title, height=100 + len(frame)))

        figure.clear()
        frame = pd.DataFrame({"a": [1.0, 2.0]})
        assert figure(frame, title="x") is figure(frame.copy(), title="x")
        changed = frame.copy()
        changed.loc[1, "a"] = 2.5
        figure(changed, title="x")
        figure(frame.rename(columns={"a": "b"}), title="x")
        figure(frame, title="y")
        assert calls == ["x", "x", "x", "y"]

    def test_a_shared_figure_is_built_once_per_argument(self):
        calls = []

        @shared_figure
        def figure(height: int) -> go.Figure:
            calls.append(height)
            return go.Figure(layout=dict(height=height))

        figure.clear()
        assert figure(300) is figure(300)
        assert figure(400).layout.height == 400
        assert calls == [300, 400]


@pytest.fixture
def demo(monkeypatch, tmp_path):
    monkeypatch.setenv("IGEMO_WORKBOOK", str(DEMO_WORKBOOK))
    monkeypatch.setenv("IGEMO_DEMO", "1")
    monkeypatch.setenv("IGEMO_DB", str(tmp_path / "igemo.db"))
    portfolio = read_workbook(DEMO_WORKBOOK)
    return portfolio, evaluate(portfolio)


def test_every_page_leaves_the_shared_objects_as_computed(demo, monkeypatch, tmp_path):
    """Run every page in demo mode (all roles but a municipality's), and the municipality's pages as a
    signed-in municipality, then read what the sessions share: it still equals a fresh read and
    evaluation of the workbook, so no page changed another session's figures."""
    portfolio, ev = demo
    for page in ALL_PAGES:
        if page != "pages/mijn_gemeente.py":
            assert_clean(open_page(page))
    monkeypatch.delenv("IGEMO_DEMO")
    add_user(Store(tmp_path / "igemo.db"), "lier", role="gemeente", gemeente="Lier", password="correct-horse-battery")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    sign_in(at, "lier", monkeypatch)
    at.run()
    for page in ("pages/mijn_gemeente.py", "pages/project.py"):
        at.switch_page(page).run()
        assert_clean(at)
        assert at.title[0].value
    content = DEMO_WORKBOOK.read_bytes()
    assert_same(state.load_portfolio(content, DEMO_WORKBOOK.name), portfolio)
    data = DataVersion(hashlib.sha256(content).hexdigest(), DEMO_WORKBOOK.name)
    basis = ev.basis.with_(data=data)
    source = state.Source(content, DEMO_WORKBOOK.name, "", data.workbook_sha256)
    shared_ev = state.evaluate_shared(state.basis_key(source, basis), source, basis)
    assert_same(shared_ev, evaluate(basis))
    # The figure every session is shown is the one a fresh build gives.
    built = charts.risk_return(ev.figures)
    assert built.to_json() == charts.risk_return.__wrapped__(ev.figures).to_json()


def _two_charts() -> None:
    import pandas as pd
    import streamlit as st

    from ui import charts
    from ui.shared import show_chart

    figures = pd.DataFrame({"project_code": ["P1", "P2"], "naam": ["Een", "Twee"], "npv_forward": [1e6, -2e5],
                            "irr_full_life": [0.05, st.session_state.get("irr", 0.01)], "verdict": ["DOORGAAN", "BIJSTUREN"],
                            "status": ["actief", "actief"], "book_value": [5e5, 2e6]})
    left, right = st.columns(2)
    with right:
        show_chart(charts.risk_return(figures), key="cached")
    with left:
        st.plotly_chart(charts.risk_return.__wrapped__(figures), key="direct")


def test_a_shared_chart_is_serialised_once_and_follows_its_data(monkeypatch):
    import streamlit as st

    from ui import shared as shared_module

    st.cache_data.clear()
    charts.risk_return.clear()
    at = AppTest.from_function(_two_charts).run()
    assert not at.exception, [e.value for e in at.exception]
    drawn = []
    original = shared_module.st.plotly_chart

    def counting(figure, **options):
        drawn.append(options.get("key"))
        return original(figure, **options)

    monkeypatch.setattr(shared_module.st, "plotly_chart", counting)
    for irr in (0.01, 0.01, 0.02):
        at.session_state["irr"] = irr
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        charts_shown = at.get("plotly_chart")
        cached, direct = charts_shown[1].proto, charts_shown[0].proto
        assert cached.spec == direct.spec, "the kept chart is the one a fresh build gives"
    assert drawn.count("cached") == 1, "drawn again from the cache for the same data, anew for changed data"
    st.cache_data.clear()
