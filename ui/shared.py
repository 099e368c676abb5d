"""Results that every session shares, computed once per process.

``st.cache_data`` pickles a result when it is stored and unpickles a fresh copy on every read: safe,
but for the parsed portfolio and the evaluation (a dozen frames each) the unpickling cost more per
page than drawing the page, and it is paid on every rerun of every session. The objects here are kept
once (``st.cache_resource``) and every read gets a *view*: a shallow copy whose frames are pandas
copy-on-write copies, so a page that adds a column to what it got changes its own copy, never the
object the other sessions see. ``tests/ui/test_shared.py`` checks that after every page of every
role the shared objects still equal a fresh computation.

Plotly figures are shared too (:func:`shared_figure`): building one validates every property in
Python, which was a third of the server's time per page under load (py-spy, see
``benchmarks/load_sessions.py``). ``st.plotly_chart`` only reads a figure (it serialises
``figure.to_dict()``), and the builders in ``ui/*charts.py`` are pure functions of their arguments.

Keys. Streamlit hashes every argument of a cached function on every call (frames row by row, a
dataclass after a deep copy through ``dataclasses.asdict``, bytes whole): on warm reruns under load that
was the largest share of the server's time (py-spy, ``benchmarks/load_sessions.py``). So a shared
function is keyed on small values its caller already has (a workbook's SHA-256, :func:`ui.state.basis_key`)
and takes the heavy objects as ``_``-prefixed arguments, which Streamlit does not hash; a figure is keyed
on one digest of its arguments' pickle (:func:`content_key`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import pickle
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd
import streamlit as st

T = TypeVar("T")


def view(obj: T) -> T:
    """A copy of a (frozen) dataclass whose frames and series are copy-on-write copies and whose
    arrays are read-only; other fields are shared as they are (numbers, strings, tuples, dataclasses)."""
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return obj
    changes = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, (pd.DataFrame, pd.Series)):
            changes[f.name] = value.copy(deep=False)
        elif isinstance(value, dict):
            changes[f.name] = {k: v.copy(deep=False) if isinstance(v, (pd.DataFrame, pd.Series)) else v
                               for k, v in value.items()}
    return dataclasses.replace(obj, **changes) if changes else obj


def freeze_arrays(obj: object) -> object:
    """Mark every numpy array of a (nested) dataclass read-only: a page that would write into a shared
    array fails loudly instead of changing what the other sessions see."""
    if isinstance(obj, np.ndarray):
        obj.flags.writeable = False
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            freeze_arrays(getattr(obj, f.name))
    return obj


def content_key(*values: object) -> str:
    """A SHA-256 of the values' pickle: every cell of a frame, its index, column names and dtypes, every
    element of an array, every field of a dataclass.

    Different values never share a key (a pickle gives its value back); equal values whose pickles
    differ (a frame in another block layout, one object passed twice instead of two equal ones) only
    miss a cache. Several times faster than Streamlit's
    own hashing of frames (``pd.util.hash_pandas_object``), which also samples frames of 100,000 rows
    or more instead of reading them whole.
    """
    return hashlib.sha256(pickle.dumps(values, protocol=5)).hexdigest()


def shared(max_entries: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """``st.cache_resource`` for a pure function whose result is a dataclass of frames; each call
    returns a :func:`view` of the one stored result. Arguments whose name starts with ``_`` are not
    hashed, as for Streamlit's own decorators: the others must identify them."""
    def decorate(build: Callable[..., T]) -> Callable[..., T]:
        # wraps: Streamlit keys a cache on the function's module, qualified name and source (without the
        # builder's names every function decorated here would share one cache), and it reads the
        # argument names (the unhashed ``_`` ones) from the builder's signature.
        @functools.wraps(build)
        def stored(*args, **kwargs):
            return freeze_arrays(build(*args, **kwargs))

        stored = st.cache_resource(show_spinner=False, max_entries=max_entries)(stored)

        def read(*args, **kwargs) -> T:
            return view(stored(*args, **kwargs))

        read.__doc__ = build.__doc__
        read.__name__ = build.__name__
        read.clear = stored.clear  # type: ignore[attr-defined]
        return read
    return decorate


#: The attribute of a shared figure that holds its key (builder and arguments), for :func:`show_chart`.
FIGURE_KEY = "_shared_key"


def shared_figure(build: Callable[..., T]) -> Callable[..., T]:
    """One Plotly figure per distinct arguments, for every session, keyed on :func:`content_key` of the
    builder's name and the arguments (see the module text). ``figure.__wrapped__`` is the builder."""
    def stored(key: str, _args: tuple, _kwargs: dict) -> T:
        figure = build(*_args, **_kwargs)
        setattr(figure, FIGURE_KEY, key)
        return figure

    stored.__module__, stored.__qualname__ = build.__module__, build.__qualname__
    cached = st.cache_resource(show_spinner=False, max_entries=256)(stored)

    @functools.wraps(build)
    def figure(*args, **kwargs) -> T:
        return cached(content_key(build.__module__, build.__qualname__, args, sorted(kwargs.items())), args, kwargs)

    figure.clear = cached.clear  # type: ignore[attr-defined]
    return figure


@st.cache_data(show_spinner=False, max_entries=256)
def _draw_chart(chart_key: str, _figure, _options: dict) -> None:
    st.plotly_chart(_figure, **_options)


def show_chart(figure, **options) -> None:
    """``st.plotly_chart(figure, **options)``; a figure of :func:`shared_figure` is serialised once per
    distinct figure and options, and drawn again from ``st.cache_data``'s kept element afterwards (the
    serialisation, ``figure.to_dict()`` and JSON, was a tenth of a warm rerun under load). A chart that
    is a widget (``on_select``) is drawn directly: a cached function may not hold a widget."""
    key = getattr(figure, FIGURE_KEY, None)
    if key is None or options.get("on_select", "ignore") != "ignore":
        st.plotly_chart(figure, **options)
        return
    _draw_chart(key + content_key(sorted(options.items(), key=str)), figure, options)
