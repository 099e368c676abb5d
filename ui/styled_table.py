"""A table with Belgian number formats, drawn once per content for every session.

``st.dataframe(styled(frame, ...))`` hands Streamlit a pandas Styler, and Streamlit turns it into the
message for the browser on every run: it computes the Styler, writes every cell as text and converts
both frames to Arrow, 3-6 ms for a table of a dozen rows, the largest share of the server's time on
the pages with many tables (py-spy over warm reruns, see ``benchmarks/bench_pages.py``). The message
only depends on the frame and the options, so :func:`show_table` builds it inside ``st.cache_data``,
which keeps the elements a cached function drew and draws them again, in the caller's place, on the
next call with the same arguments: the Styler then runs once per distinct table.

The frame is keyed by a digest of its pickle (:func:`frame_key`): every cell, its index, its column
names and dtypes; not by Streamlit's own hash of frames, which samples frames of 100,000 rows or more.
Tables that are widgets (``on_select``) are not drawn here: a cached function may not hold a widget.
A table styled by hand (a highlighted row, bold cells) goes through :func:`show_styled`, keyed by the
styling function's module and name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from igemo_fin.fmt import number
from ui.shared import content_key
from ui.style import styled

__all__ = ["CACHED_CELLS", "MAX_TABLES", "frame_key", "show_table", "show_styled"]

#: Tables with more cells are drawn on every run instead (a ledger's lines): the cache would hold a
#: large message per distinct table (about 40 bytes a cell), while the Styler's share of such a run is
#: small next to its reading. With :data:`MAX_TABLES` the cache stays under about 100 MB per process.
CACHED_CELLS = 10_000
#: Distinct tables kept (a 200-project portfolio's verdict table has 2,200 cells).
MAX_TABLES = 256


def frame_key(frame: pd.DataFrame) -> str:
    """A digest of ``frame``'s pickle (:func:`ui.shared.content_key`): every cell, the index, the column
    names and the dtypes.

    Eight times faster than ``pd.util.hash_pandas_object`` on the pages' tables. Different frames never
    share a key; equal frames whose pickles differ (another block layout, e.g. a table built from a
    freshly computed result and the same table built from that result read back from ``st.cache_data``)
    only miss the cache: the Styler then runs a second time for that table, after which every run
    builds the same layout.
    """
    return content_key(frame)


def _show(frame: pd.DataFrame, money, percent, fraction, verdict_column, decimals, years, options: dict,
          uuid: str | None = None) -> None:
    styler = styled(frame, money=money, percent=percent, fraction=fraction, verdict_column=verdict_column,
                    decimals=decimals)
    if years:
        styler = styler.format(lambda v: number(v, 1), subset=list(years), na_rep="–")
    if uuid is not None:
        styler = styler.set_uuid(uuid)
    st.dataframe(styler, **options)


@st.cache_data(show_spinner=False, max_entries=MAX_TABLES)
def _draw(table_key: str, _frame: pd.DataFrame, _args: tuple) -> None:
    # table_key stands for the frame and every option: one string for Streamlit to hash on every call.
    # The Styler's CSS is scoped by its uuid, which pandas draws at random (5 hex digits) and the kept
    # message carries to every place it is drawn again: derived from the content instead, two different
    # tables on one page do not share it by chance, and the message does not depend on chance.
    _show(_frame, *_args, _uuid(table_key))


def _uuid(table_key: str) -> str:
    return hashlib.sha256(table_key.encode()).hexdigest()[:20]


def show_table(frame: pd.DataFrame, *, money: Sequence[str] = (), percent: Sequence[str] = (),
               fraction: Sequence[str] = (), verdict_column: str | None = None, decimals: int = 0,
               years: Sequence[str] = (), **options) -> None:
    """``st.dataframe(styled(frame, money=..., ...), **options)`` in the current container, the Styler run
    once per distinct frame and options (see the module text). ``years``: columns of durations in years,
    with one decimal (``1,8``). ``options`` are ``st.dataframe``'s."""
    args = (tuple(money), tuple(percent), tuple(fraction), verdict_column, int(decimals), tuple(years), options)
    if frame.size > CACHED_CELLS:
        _show(frame, *args)
    else:
        _draw(frame_key(frame) + content_key(args[:-1], sorted(options.items(), key=str)), frame, args)


@st.cache_data(show_spinner=False, max_entries=MAX_TABLES)
def _draw_styled(table_key: str, _frame: pd.DataFrame, _style: Callable, _options: dict) -> None:
    st.dataframe(_style(_frame).set_uuid(_uuid(table_key)), **_options)


def show_styled(frame: pd.DataFrame, style: Callable[[pd.DataFrame], Styler], **options) -> None:
    """``st.dataframe(style(frame), **options)``, the Styler run once per distinct frame and options.

    ``style`` is a function defined at module level, a pure function of the frame: its module and
    qualified name stand for it in the cache key (a lambda or a closure could differ from call to call
    under one name, so they are refused).
    """
    if "<" in style.__qualname__ or getattr(style, "__closure__", None):
        raise ValueError(f"show_styled: {style.__qualname__} is not a module-level function")
    if frame.size > CACHED_CELLS:
        st.dataframe(style(frame), **options)
        return
    name = f"{style.__module__}.{style.__qualname__}"
    _draw_styled(frame_key(frame) + content_key(name, sorted(options.items(), key=str)), frame, style, options)
