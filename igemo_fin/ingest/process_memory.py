"""Keep a one-file import process's memory peak down: fixed malloc thresholds.

glibc's malloc raises its mmap threshold each time a large block is freed (up to 32 MiB), after
which the import's large temporaries (numpy and Arrow columns of 200,000 lines, a few MiB each) come
from the heap instead of their own mappings. Freed there, they stay with the process in pieces the
next column does not fit, and every step after reading the file stacks on them: about 40 MiB of the
peak for 200,000 lines (``benchmarks/bench_import.py``). Fixed thresholds keep such blocks mapped on
their own and give them back when freed. Only a process that imports one file and exits sets them
(the ``ledger import`` command); the values in ``MALLOC_MMAP_THRESHOLD_`` or
``MALLOC_TRIM_THRESHOLD_`` win, and a C library without ``mallopt`` is left as it is.
"""

from __future__ import annotations

import ctypes
import os

__all__ = ["THRESHOLD_BYTES", "fix_malloc_thresholds"]

THRESHOLD_BYTES = 128 * 1024
"""glibc's own starting mmap and trim threshold, kept fixed instead of growing."""

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def fix_malloc_thresholds(threshold: int = THRESHOLD_BYTES) -> bool:
    """Fix glibc's mmap and trim thresholds at ``threshold`` bytes; True when they were set."""
    if "MALLOC_MMAP_THRESHOLD_" in os.environ or "MALLOC_TRIM_THRESHOLD_" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):  # not glibc (macOS, musl without it, Windows)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, threshold)) and bool(mallopt(_M_TRIM_THRESHOLD, threshold))
