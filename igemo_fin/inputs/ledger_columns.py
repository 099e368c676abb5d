"""A sheet's cells kept column by column in compact arrays: the form a ledger is held in while read.

python-calamine hands a sheet over as one Python list per row with a new Python object per cell:
for 200,000 lines about 130 MiB, held while the lines are validated and turned into a frame. Read a
chunk of rows at a time and kept as one array per column and chunk (texts as an Arrow string array,
numbers as float64, dates as datetime64, blanks as a mask; a column of mixed cells as objects), the
same cells take a fraction of that, and a chunk's Python objects all die before the next one is read,
so their memory is given back instead of being held in half-empty pages.
:class:`SheetColumns` still reads as a sequence of rows (the header search, the preview and the
totals rows look at a few rows) and gives a whole column as the object array the validation reads
(:meth:`SheetColumns.column`), with equal cells as one object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import islice

import numpy as np
import pyarrow as pa

__all__ = ["CHUNK_ROWS", "SheetColumns"]

CHUNK_ROWS = 20_000
"""Rows turned into columns at a time: the row lists of one chunk are all that is held at once."""

_TEXT, _FLOAT, _DATE, _OBJECT = range(4)


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # pandas is loaded here, not with the module: the import reads the sheet before pandas takes its
    # ~50 MiB, so that the parse's peak does not stack on it (benchmarks/bench_import.py)
    import pandas as pd

    return pd.factorize(values)

_DAY_MS = 86_400_000
# Excel's serial 61: the first day after the 1900 leap-year bug, before which calamine's and
# fastexcel's dates need not agree (a ledger has no such dates).
_FIRST_SAFE_DAY_MS = int(np.datetime64("1900-03-01", "ms").astype(np.int64))


def _compact(cells: np.ndarray) -> tuple:
    """One column of one chunk as ``(kind, values, blank)``; only cells of exactly ``str``, ``float``
    or ``datetime.date`` (``""`` as blank beside numbers and dates) are made compact, so every cell
    comes back with its own type and value."""
    types = set(map(type, cells))
    if types == {str}:
        return _TEXT, pa.array(cells, type=pa.string()), None
    for kind, typ, dtype in ((_FLOAT, float, np.float64), (_DATE, dt.date, "datetime64[D]")):
        if types <= {typ, str}:
            blank = cells == ""
            if types == {typ} or (typ in types and not any(type(v) is str for v in cells[~blank])):
                values = np.zeros(len(cells), dtype=dtype)
                if kind == _DATE:  # a ledger repeats its dates: convert each distinct one once
                    codes, uniques = _factorize(cells[~blank])
                    values[~blank] = uniques.astype(dtype)[codes]
                else:
                    values[~blank] = cells[~blank].astype(dtype)
                return kind, values, blank
    return _OBJECT, cells, None


def _arrow_compact(column: pa.Array) -> tuple | None:
    """A typed Arrow column of a block of rows (fastexcel's; null an empty cell) in the form
    :func:`_compact` gives calamine's cells of it, or None when it is of another kind: only texts,
    numbers and whole-day dates (which python-calamine gives as ``datetime.date``) are taken."""
    n = len(column)
    if column.null_count == n:  # calamine gives "" for each empty cell: a column of texts
        return _TEXT, pa.nulls(n, pa.string()).fill_null(""), None
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return _TEXT, column.fill_null("").cast(pa.string()), None
    blank = column.is_null().to_numpy(zero_copy_only=False)
    if pa.types.is_float64(column.type):
        return _FLOAT, column.fill_null(0.0).to_numpy(zero_copy_only=False), blank
    if column.type == pa.timestamp("ms"):
        ms = column.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
        if (ms % _DAY_MS).any() or ms[~blank].min() < _FIRST_SAFE_DAY_MS:
            return None  # a time of day: python-calamine gives a datetime, not a date
        return _DATE, (ms // _DAY_MS).astype("datetime64[D]"), blank
    return None


def _objects(kind: int, values, blank: np.ndarray | None) -> np.ndarray:
    """A compact column back as an object array, each distinct cell one Python object."""
    if kind == _OBJECT:
        return values
    if kind == _TEXT:
        encoded = values.dictionary_encode()
        return encoded.dictionary.to_numpy(zero_copy_only=False)[encoded.indices.to_numpy()]
    # bit patterns: -0.0 stays apart from 0.0
    codes, uniques = _factorize(values.view(np.int64))
    out = uniques.view(values.dtype).astype(object)[codes]
    out[blank] = ""
    return out


class SheetColumns(Sequence):
    """The cells of a sheet, column by column (all columns equally long); ``rows[i]`` is a row's list."""

    def __init__(self, chunks: list[list[tuple]], height: int, *, top: int = 0, left: int = 0):
        self._chunks = chunks  # per column, per chunk of rows: (kind, values, blank)
        self._height = height
        self._top = top
        self._left = left
        self._starts = np.cumsum([0] + [len(c[1]) for c in chunks[0]]) if chunks else np.zeros(1, dtype=np.int64)

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence], *, shape: tuple[int, int] | None = None,
                  chunk: int = CHUNK_ROWS) -> SheetColumns:
        """Columns of ``rows`` (all as wide), read ``chunk`` rows at a time. ``shape`` (rows,
        columns from A1 to the last cell): empty rows above and empty columns before ``rows`` make
        up the difference, so that row and column indexes are Excel's."""
        rows = iter(rows)
        chunks: list[list[tuple]] = []
        while True:
            block = list(islice(rows, chunk))
            if not block:
                break
            grid = np.empty((len(block), len(block[0])), dtype=object)
            grid[:] = block
            del block
            if not chunks:
                chunks = [[] for _ in range(grid.shape[1])]
            for j, parts in enumerate(chunks):
                parts.append(_compact(grid[:, j]))
            del grid
        got = sum(len(c[1]) for c in chunks[0]) if chunks else 0
        height, width = shape if shape is not None and chunks else (got, len(chunks))
        return cls(chunks, max(height, got), top=max(height - got, 0), left=max(width - len(chunks), 0))

    @classmethod
    def from_blocks(cls, blocks: Sequence[Sequence[Sequence] | pa.RecordBatch], width: int) -> SheetColumns | None:
        """Columns of blocks of rows from A1 on, one block below the other: row lists of ``width``
        Python cells as calamine gives them, or an Arrow batch of ``width`` typed columns as
        fastexcel reads them (a null is an empty cell), which come in the form :meth:`from_rows`
        gives calamine's cells of them. None when an Arrow column is of a type that cannot be
        (:func:`_arrow_compact`)."""
        chunks: list[list[tuple]] = [[] for _ in range(width)]
        height = 0
        for block in blocks:
            if isinstance(block, pa.RecordBatch):
                parts = [_arrow_compact(c) for c in block.columns]
                if block.num_columns != width or any(p is None for p in parts):
                    return None
                height += block.num_rows
            else:
                if not block:
                    continue
                grid = np.empty((len(block), width), dtype=object)
                grid[:] = block
                parts = [_compact(grid[:, j]) for j in range(width)]
                height += len(block)
            for column, part in zip(chunks, parts):
                column.append(part)
        return cls(chunks, height)

    @property
    def width(self) -> int:
        return self._left + len(self._chunks)

    def column(self, j: int, start: int = 0) -> np.ndarray:
        """Column ``j`` from row index ``start`` on, as an object array."""
        if j < self._left:
            return np.full(self._height - start, "", dtype=object)
        parts = self._chunks[j - self._left]
        kinds = {kind for kind, _, _ in parts}
        if len(kinds) == 1 and _TEXT in kinds:
            whole = _objects(_TEXT, pa.chunked_array([v for _, v, _ in parts]).combine_chunks(), None)
        elif len(kinds) == 1 and kinds != {_OBJECT}:
            whole = _objects(parts[0][0], np.concatenate([v for _, v, _ in parts]),
                             np.concatenate([b for _, _, b in parts]))
        else:
            whole = np.concatenate([_objects(*p) for p in parts]) if parts else np.empty(0, dtype=object)
        if self._top:
            whole = np.concatenate([np.full(self._top, "", dtype=object), whole])
        return whole[start:]

    def texts(self, j: int, start: int = 0) -> pa.StringArray | None:
        """Column ``j`` from row index ``start`` on as Arrow texts, when every cell of it is a text;
        else None."""
        if j < self._left or self._top > start:
            return None
        parts = self._chunks[j - self._left]
        if any(kind != _TEXT for kind, _, _ in parts):
            return None
        return pa.chunked_array([v for _, v, _ in parts], type=pa.string()).combine_chunks()[start - self._top:]

    def _cell(self, j: int, i: int) -> object:
        if j < self._left or i < self._top:
            return ""
        i -= self._top
        k = int(np.searchsorted(self._starts, i, side="right")) - 1
        kind, values, blank = self._chunks[j - self._left][k]
        i -= int(self._starts[k])
        if kind == _TEXT:
            return values[i].as_py()
        if kind == _OBJECT:
            return values[i]
        return "" if blank[i] else values[i].item()

    def __len__(self) -> int:
        return self._height

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._height))]
        if i < 0:
            i += self._height
        if not 0 <= i < self._height:
            raise IndexError(i)
        return [self._cell(j, i) for j in range(self.width)]
