"""Whole-column tests on the frames' text columns without pandas' per-call overhead."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["equals_text"]


def equals_text(column: pd.Series, text: str) -> np.ndarray:
    """``(column == text).to_numpy(dtype=bool)``: a missing cell is False. An Arrow string column is
    compared by Arrow directly (pandas' comparison costs several times the comparison itself).

    >>> equals_text(pd.Series(["a", None, "b"], dtype="str"), "a").tolist()
    [True, False, False]
    >>> equals_text(pd.Series(["a", None, 1], dtype=object), "a").tolist()
    [True, False, False]
    """
    dtype = column.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        strings = pa.array(column.array)
        if isinstance(strings, pa.ChunkedArray):
            strings = strings.combine_chunks()
        equal = pc.equal(strings, pa.scalar(text, strings.type))
        if equal.null_count:
            equal = pc.fill_null(equal, False)
        return equal.to_numpy(zero_copy_only=False)
    return (column == text).to_numpy(dtype=bool, na_value=False)
