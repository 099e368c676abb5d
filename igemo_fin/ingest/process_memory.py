"""Keep a one-file import process's memory peak down: fixed malloc thresholds.

glibc's malloc raises its mmap threshold each time a large block is freed (up to 32 MiB), after
which the import's large temporaries (numpy and Arrow columns of 200,000 lines, a few MiB each) come
from the heap instead of their own mappings. Freed there, they stay with the process in pieces the
next column does not fit, and every step after reading the file stacks on them: about 40 MiB of the
peak for 200,000 lines (``benchmarks/bench_import.py``). Fixed thresholds keep such blocks mapped on
their own and give them back when freed. Only a process that imports one file and exits sets them
(the ``ledger import`` command), and only once the sheet is read: before that, the file-safety scan
and the sheet's parse allocate and free blocks of about 1 MiB by the hundred, each of which, mapped
on its own, would be faulted in afresh (60,000 page faults, 0.1-0.3 s of cpu for 200,000 lines);
what they leave free in the heap is given back with :func:`release_free_memory`. The values in
``MALLOC_MMAP_THRESHOLD_`` or ``MALLOC_TRIM_THRESHOLD_`` win, and a C library without ``mallopt`` is
left as it is.
"""

from __future__ import annotations

import ctypes
import os

__all__ = ["THRESHOLD_BYTES", "fix_malloc_thresholds", "release_free_memory"]

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


def release_free_memory() -> bool:
    """Give the heap's free pages back to the system (glibc's ``malloc_trim``); True when some were."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return False
    trim.argtypes = (ctypes.c_size_t,)
    return bool(trim(0))
