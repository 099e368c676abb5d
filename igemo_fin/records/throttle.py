"""Throttling of sign-in attempts, kept in the store (table ``sign_in_failures``, migration 5).

Every process that shares the database sees the same failures, and a restart forgets nothing. Three
limits apply to each attempt; the longest wait wins:

======================  ==============  ============  ==========  =========================================
scope                   free failures   first wait    longest     failures counted
======================  ==============  ============  ==========  =========================================
per username            5               15 s          5 min       of the last 15 min, since its last success
per client address      20              15 s          1 h         of the last 24 h
all sign-ins together   499             --            15 min      of the last 15 min (ceiling: 500)
======================  ==============  ============  ==========  =========================================

After the free failures each further failure doubles the wait (15 s, 30 s, 1 min, 2 min, ...) up to the
longest; the wait runs from the last failure. An attempt made while a wait runs is refused without
checking the password and is not counted, so it does not lengthen the wait. Why these numbers:

- A stranger who types wrong passwords for someone else's username holds that account back by at most
  5 minutes at a time (exponential back-off, no fixed lock), and failures older than 15 minutes no
  longer count: to keep the owner out, the stranger must keep failing, which the per-address limit
  slows to one try an hour after 20 failures.
- One address guessing passwords gets 20 tries, then about 8 in the next hour, then one an hour: about
  50 a day, whatever usernames it tries.
- Many addresses at once (a botnet) meet the global ceiling: 500 failures in 15 minutes pause every
  sign-in until the oldest of them is 15 minutes old. That ceiling is about a hundred times the
  failures a board of a few dozen users makes on a bad morning.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from igemo_fin.records.store import Store

__all__ = ["CLIENT_LIMIT", "GLOBAL_CEILING", "GLOBAL_WINDOW_S", "USER_LIMIT", "Limit", "Wait",
           "record_failure", "record_success", "wait_for"]


@dataclass(frozen=True)
class Limit:
    """Exponential back-off over the failures of one scope (a username, a client address)."""

    free: int  #: failures allowed before any wait
    first_s: float  #: the wait after the first failure beyond ``free`` [s]
    longest_s: float  #: the wait never exceeds this [s]
    window_s: float  #: failures older than this no longer count [s]

    def delay(self, failures: int) -> float:
        """The wait after ``failures`` failures [s], counted from the last one.

        >>> USER_LIMIT.delay(4), USER_LIMIT.delay(5), USER_LIMIT.delay(6), USER_LIMIT.delay(40)
        (0.0, 15.0, 30.0, 300.0)
        """
        if failures < self.free:
            return 0.0
        return float(min(self.first_s * 2.0 ** min(failures - self.free, 32), self.longest_s))


USER_LIMIT = Limit(free=5, first_s=15.0, longest_s=5 * 60.0, window_s=15 * 60.0)
CLIENT_LIMIT = Limit(free=20, first_s=15.0, longest_s=60 * 60.0, window_s=24 * 60 * 60.0)
GLOBAL_CEILING = 500
"""Failures of all sign-ins together within :data:`GLOBAL_WINDOW_S` that pause every sign-in."""
GLOBAL_WINDOW_S = 15 * 60.0


@dataclass(frozen=True)
class Wait:
    """Why a sign-in must wait, and how long."""

    seconds: float
    scope: str  #: ``gebruiker``, ``adres`` or ``alle``


def _scope_wait(conn, column: str, value: str, limit: Limit, now: float) -> float:
    count, last = conn.execute(
        f"SELECT COUNT(*), MAX(failed_at) FROM sign_in_failures WHERE {column} = ? AND failed_at > ?",
        (value, now - limit.window_s)).fetchone()
    if not count:
        return 0.0
    return max(0.0, last + limit.delay(count) - now)


def wait_for(store: Store, username: str, client: str, *, clock: Callable[[], float] = time.time) -> Wait | None:
    """How long a sign-in as ``username`` from ``client`` must wait; None when it may go ahead now."""
    now = clock()
    with store.connect() as conn:
        waits = [Wait(_scope_wait(conn, "username", username, USER_LIMIT, now), "gebruiker")]
        if client:
            waits.append(Wait(_scope_wait(conn, "client", client, CLIENT_LIMIT, now), "adres"))
        row = conn.execute("SELECT failed_at FROM sign_in_failures WHERE failed_at > ? ORDER BY failed_at DESC "
                           "LIMIT 1 OFFSET ?", (now - GLOBAL_WINDOW_S, GLOBAL_CEILING - 1)).fetchone()
        if row is not None:
            waits.append(Wait(max(0.0, row[0] + GLOBAL_WINDOW_S - now), "alle"))
    longest = max(waits, key=lambda w: w.seconds)
    return longest if longest.seconds > 0 else None


def record_failure(store: Store, username: str, client: str, *, clock: Callable[[], float] = time.time) -> None:
    """Count a wrong password (or unknown username); rows no limit looks at any more are removed."""
    now = clock()
    oldest = now - max(USER_LIMIT.window_s, CLIENT_LIMIT.window_s, GLOBAL_WINDOW_S)
    # Nothing the dashboard caches reads the failures: a sign-in leaves the store's generation alone.
    with store.transaction(counted=False) as conn:
        conn.execute("DELETE FROM sign_in_failures WHERE failed_at <= ?", (oldest,))
        conn.execute("INSERT INTO sign_in_failures (failed_at, username, client) VALUES (?, ?, ?)",
                     (now, username, client))


def record_success(store: Store, username: str) -> None:
    """A right password: the username's failures are forgotten (they still count for the address and all)."""
    with store.transaction(counted=False) as conn:
        conn.execute("UPDATE sign_in_failures SET username = '' WHERE username = ?", (username,))
