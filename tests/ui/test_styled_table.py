"""A styled table drawn once per content: the same message as the Styler drawn afresh, in the same place."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ui import styled_table
from ui.styled_table import frame_key

FRAME = pd.DataFrame({"Project": ["A", "B", None], "Bedrag": [1234567.891, -0.5, float("nan")],
                      "Kans": [12.5, 0.0, 100.0], "Oordeel": ["✔ Doorgaan", "■ Stopzetten", "–"]})


class TestFrameKey:
    def test_equal_frames_equal_keys(self):
        assert frame_key(FRAME) == frame_key(FRAME.copy())

    @pytest.mark.parametrize("change", [
        lambda f: f.rename(columns={"Bedrag": "Saldo"}),
        lambda f: f.assign(Bedrag=f["Bedrag"].fillna(0.0)),
        lambda f: f.assign(Kans=f["Kans"].astype("float32")),
        lambda f: f.set_axis([1, 2, 3]),
        lambda f: f.assign(Bedrag=[1234567.89, -0.5, float("nan")]),  # one cent off
        lambda f: f.iloc[:2],
        lambda f: f[["Bedrag", "Project", "Kans", "Oordeel"]],
    ])
    def test_any_change_changes_the_key(self, change):
        assert frame_key(change(FRAME)) != frame_key(FRAME)

    def test_cells_pandas_cannot_hash_still_key(self):
        frame = pd.DataFrame({"a": [[1, 2], [3]]})
        assert frame_key(frame) != frame_key(pd.DataFrame({"a": [[1, 2], [4]]}))

    def test_signed_zero_and_none_are_told_apart(self):
        assert frame_key(pd.DataFrame({"a": [0.0]})) != frame_key(pd.DataFrame({"a": [-0.0]}))
        assert frame_key(pd.DataFrame({"a": ["x", None]})) != frame_key(pd.DataFrame({"a": ["x", ""]}))


def _script() -> None:
    import pandas as pd
    import streamlit as st

    from ui.style import styled
    from ui.styled_table import show_table

    frame = pd.DataFrame({"Project": ["A", "B", None], "Bedrag": [1234567.891, -0.5, float("nan")],
                          "Kans": [12.5, 0.0, 100.0], "Oordeel": ["✔ Doorgaan", "■ Stopzetten", "–"]})
    options = dict(money=["Bedrag"], percent=["Kans"], verdict_column="Oordeel", decimals=2)
    left, right = st.columns(2)
    with right:
        show_table(frame, **options, hide_index=True, width="stretch")
    with left:
        st.dataframe(styled(frame, **options), hide_index=True, width="stretch")
    st.session_state["runs"] = st.session_state.get("runs", 0) + 1


@pytest.fixture
def styler_calls(monkeypatch):
    st.cache_data.clear()
    calls = []
    original = styled_table.styled

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(styled_table, "styled", counting)
    yield calls
    st.cache_data.clear()


def test_the_drawn_table_is_the_stylers_and_is_built_once(styler_calls):
    at = AppTest.from_function(_script).run()
    assert not at.exception, [e.value for e in at.exception]
    for _ in range(2):
        at.run()
        assert not at.exception
        cached, direct = at.columns[1].dataframe[0], at.columns[0].dataframe[0]
        pd.testing.assert_frame_equal(cached.value, direct.value)
        assert cached.proto.arrow_data.styler.display_values == direct.proto.arrow_data.styler.display_values
        assert cached.proto.arrow_data.styler.styles.replace(cached.proto.arrow_data.styler.uuid, "") == \
            direct.proto.arrow_data.styler.styles.replace(direct.proto.arrow_data.styler.uuid, "")
    assert len(styler_calls) == 1, "the cached table ran the Styler again"


def test_a_large_table_is_drawn_directly(styler_calls, monkeypatch):
    monkeypatch.setattr(styled_table, "CACHED_CELLS", 4)
    at = AppTest.from_function(_script).run()
    at.run()
    assert not at.exception
    assert len(styler_calls) == 2


def _two_tables() -> None:
    import pandas as pd
    import streamlit as st

    from ui.styled_table import show_table

    a, b = pd.DataFrame({"Oordeel": ["✔ Doorgaan"]}), pd.DataFrame({"Oordeel": ["■ Stopzetten"]})
    if st.session_state.get("beide"):
        show_table(b, verdict_column="Oordeel")  # first drawn in the place where A was drawn before
    show_table(a, verdict_column="Oordeel")


def test_two_tables_first_drawn_in_the_same_place_keep_their_own_colours():
    """Each table's CSS is scoped by a uuid of its own content, whichever place it was first drawn in."""
    st.cache_data.clear()
    at = AppTest.from_function(_two_tables).run()
    at.session_state["beide"] = True
    at.run()
    assert not at.exception
    stylers = [d.proto.arrow_data.styler for d in at.dataframe]
    assert len(stylers) == 2
    assert stylers[0].uuid != stylers[1].uuid
    assert all(s.uuid in s.styles for s in stylers)
    st.cache_data.clear()
    again = AppTest.from_function(_two_tables)
    again.session_state["beide"] = True
    again.run()
    assert [d.proto.arrow_data.styler.uuid for d in again.dataframe] == [s.uuid for s in stylers]
    st.cache_data.clear()


def _hand_styled() -> None:
    import streamlit as st

    from ui.risk_state import grade_style, grade_table
    from ui.styled_table import show_styled

    table = grade_table(st.session_state.get("klasse", "B"))
    left, right = st.columns(2)
    with right:
        show_styled(table, grade_style, hide_index=True)
    with left:
        st.dataframe(grade_style(table), hide_index=True)


STYLE_CALLS: list[int] = []


def counting_grade_style(table):
    STYLE_CALLS.append(1)
    return ORIGINAL_GRADE_STYLE[0](table)


ORIGINAL_GRADE_STYLE: list = []


def test_a_hand_styled_table_is_the_stylers_and_follows_its_frame(monkeypatch):
    from ui import risk_state

    st.cache_data.clear()
    at = AppTest.from_function(_hand_styled).run()
    assert not at.exception, [e.value for e in at.exception]
    ORIGINAL_GRADE_STYLE[:] = [risk_state.grade_style]
    STYLE_CALLS.clear()
    calls = STYLE_CALLS
    monkeypatch.setattr(risk_state, "grade_style", counting_grade_style)
    for grade in ("B", "B", "D"):  # the same frame twice, then a changed one
        at.session_state["klasse"] = grade
        at.run()
        assert not at.exception
        cached, direct = at.columns[1].dataframe[0], at.columns[0].dataframe[0]
        pd.testing.assert_frame_equal(cached.value, direct.value)
        assert cached.proto.arrow_data.styler.styles.replace(cached.proto.arrow_data.styler.uuid, "") == \
            direct.proto.arrow_data.styler.styles.replace(direct.proto.arrow_data.styler.uuid, "")
        assert "▶ " + grade in cached.value["Klasse"].tolist()
    # The direct table three times; the cached one twice: B (the patched style is another name, so
    # another key), then D (a changed frame). The second B came from the cache.
    assert len(calls) == 5
    st.cache_data.clear()


def test_a_lambda_is_refused_as_a_style():
    from ui.styled_table import show_styled

    with pytest.raises(ValueError, match="module-level"):
        show_styled(pd.DataFrame({"a": [1]}), lambda f: f.style)
