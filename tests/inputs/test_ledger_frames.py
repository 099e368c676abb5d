"""Occurrences of equal fingerprints: the vectorised count equals counting line by line."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from igemo_fin.inputs.ledger_frames import occurrences


def _counted(keys) -> list[int]:
    seen: Counter = Counter()
    out = []
    for key in keys:
        seen[key] += 1
        out.append(seen[key])
    return out


DIGEST = np.dtype([("w0", "<u8"), ("w1", "<u8"), ("w2", "<u8"), ("w3", "<u8")])


@pytest.mark.parametrize("spread", [2, 3, 1000])
def test_digest_keys_sharing_a_first_word_are_told_apart(spread):
    words = np.random.default_rng(spread).integers(0, spread, size=(600, 4)).astype(np.uint64)
    keys = np.ascontiguousarray(words).view(DIGEST).ravel()
    assert occurrences(keys).tolist() == _counted(map(tuple, words.tolist()))


def test_plain_keys():
    keys = np.random.default_rng(0).integers(0, 20, size=300)
    assert occurrences(keys).tolist() == _counted(keys.tolist())
    assert occurrences(np.array([], dtype=np.int64)).tolist() == []
