"""igemo_fin.exports.boardpack_content: the board pack speaks the dashboard's words and colours (the
categories' come from igemo_fin.columns, for the pack's charts and the dashboard alike)."""

from __future__ import annotations

from igemo_fin import columns
from igemo_fin.exports import boardpack_charts, boardpack_content
from ui import style


def test_verdicts_match_the_dashboard():
    assert boardpack_content.VERDICT_COLOURS == style.VERDICT_COLOURS
    assert boardpack_content.VERDICT_SYMBOLS == style.VERDICT_SYMBOLS
    assert boardpack_content.VERDICT_WORDS == style.VERDICT_WORDS
    assert boardpack_content.VERDICT_MEANING == style.VERDICT_MEANING


def test_categories_come_from_the_engine():
    """One definition of the categories' words and colours, for the pack and the dashboard alike."""
    assert boardpack_charts.CATEGORY_LABELS is columns.CATEGORY_LABELS is style.CATEGORY_WORDS
    assert boardpack_charts.CATEGORY_COLOURS is columns.CATEGORY_COLOURS is style.CATEGORY_COLOURS
    assert set(columns.CATEGORY_LABELS) == set(columns.CATEGORY_COLOURS) == set(columns.CATEGORIES)
