"""Whole-column tests on the frames' text columns without pandas' per-call overhead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["arrow_text", "equals_text", "factorize_text", "str_array"]

#: What ``dtype="str"`` is when pyarrow is installed, as every frame of the engine has it.
STR = pd.StringDtype("pyarrow", na_value=np.nan)


def arrow_text(values: pd.Series | pd.Index) -> pa.Array | None:
    """The Arrow array (one chunk) behind a column of pandas' Arrow-backed string dtype, None for any
    other dtype."""
    dtype = values.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    strings = pa.array(values.array)
    return strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings


def equals_text(column: pd.Series, text: str) -> np.ndarray:
    """``(column == text).to_numpy(dtype=bool)``: a missing cell is False. An Arrow string column is
    compared by Arrow directly (pandas' comparison costs several times the comparison itself).

    >>> equals_text(pd.Series(["a", None, "b"], dtype="str"), "a").tolist()
    [True, False, False]
    >>> equals_text(pd.Series(["a", None, 1], dtype=object), "a").tolist()
    [True, False, False]
    """
    strings = arrow_text(column)
    if strings is not None:
        equal = pc.equal(strings, pa.scalar(text, strings.type))
        if equal.null_count:
            equal = pc.fill_null(equal, False)
        return equal.to_numpy(zero_copy_only=False)
    return (column == text).to_numpy(dtype=bool, na_value=False)


def factorize_text(column: pd.Series, chosen: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(column[chosen], sort=True)``: each chosen row's position among the sorted
    distinct texts (-1 where missing) and those texts. An Arrow string column is hashed by Arrow and
    only its distinct texts are sorted (Arrow orders UTF-8 bytewise, which is Python's order of
    code points); pandas' factorize costs several times that on a few thousand lines.

    >>> codes, uniques = factorize_text(pd.Series(["b", "a", None, "b"], dtype="str"), np.ones(4, dtype=bool))
    >>> codes.tolist(), uniques.tolist()
    ([1, 0, -1, 1], ['a', 'b'])
    """
    strings = arrow_text(column)
    if strings is None:
        return pd.factorize(column[chosen], sort=True)
    if not chosen.all():
        strings = strings.filter(pa.array(chosen))
    encoded = pc.dictionary_encode(strings)
    order = pc.sort_indices(encoded.dictionary).to_numpy()
    rank = np.full(order.size + 1, -1, dtype=np.int64)  # the last is a missing text's
    rank[order] = np.arange(order.size)
    codes = rank[pc.fill_null(encoded.indices, -1).to_numpy()]
    # the column's own (Arrow) string dtype, wrapped without pd.array's inspection (see str_array)
    return codes, pd.Index(pd.arrays.ArrowStringArray(encoded.dictionary.take(order), dtype=column.dtype))


def str_array(strings: pa.Array | pa.ChunkedArray) -> pd.arrays.ArrowStringArray:
    """``pd.array(strings, dtype="str")`` of Arrow text, wrapped as it is (a ``string`` array is cast
    to ``large_string``, the type pandas keeps) without ``pd.array``'s inspection of its input, which
    costs ten times the wrapping.

    >>> str_array(pa.array(["a", None])).equals(pd.array(["a", None], dtype="str"))
    True
    """
    return pd.arrays.ArrowStringArray(strings, dtype=STR)
