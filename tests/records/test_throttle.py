"""Sign-in throttling in the store: per username, per client address, a global ceiling, exponential back-off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from igemo_fin.records.store import Store
from igemo_fin.records.throttle import (CLIENT_LIMIT, GLOBAL_CEILING, GLOBAL_WINDOW_S, USER_LIMIT, record_failure,
                                        record_success, wait_for)


class Clock:
    def __init__(self, t: float = 1_800_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def store(db):
    return Store(db)


def fail(store, clock, n, user="fien", client="192.0.2.7"):
    for _ in range(n):
        record_failure(store, user, client, clock=clock)


class TestPerUsername:
    def test_free_failures_then_doubling_waits_up_to_the_cap(self, store):
        clock = Clock()
        fail(store, clock, USER_LIMIT.free - 1)
        assert wait_for(store, "fien", "198.51.100.1", clock=clock) is None
        waits = []
        for _ in range(8):
            fail(store, clock, 1)
            wait = wait_for(store, "fien", "198.51.100.1", clock=clock)
            waits.append((wait.scope, wait.seconds))
        assert waits == [("gebruiker", s) for s in (15, 30, 60, 120, 240, 300, 300, 300)]

    def test_the_wait_runs_out_and_old_failures_stop_counting(self, store):
        clock = Clock()
        fail(store, clock, USER_LIMIT.free + 3)
        clock.t += USER_LIMIT.delay(USER_LIMIT.free + 3) + 0.1
        assert wait_for(store, "fien", "x", clock=clock) is None
        clock.t += USER_LIMIT.window_s
        fail(store, clock, 1)
        assert wait_for(store, "fien", "x", clock=clock) is None  # one recent failure only

    def test_a_success_forgets_the_username_not_the_address(self, store):
        clock = Clock()
        fail(store, clock, CLIENT_LIMIT.free)
        record_success(store, "fien")
        assert wait_for(store, "fien", "elders", clock=clock) is None
        assert wait_for(store, "bert", "192.0.2.7", clock=clock).scope == "adres"

    def test_a_strangers_lockout_is_bounded(self, store):
        """A stranger failing for fien from many addresses: fien waits at most 5 minutes after the last try."""
        clock = Clock()
        for i in range(200):
            record_failure(store, "fien", f"203.0.113.{i}", clock=clock)
        assert wait_for(store, "fien", "192.0.2.1", clock=clock).seconds == USER_LIMIT.longest_s
        clock.t += USER_LIMIT.longest_s
        assert wait_for(store, "fien", "192.0.2.1", clock=clock) is None


class TestPerAddress:
    def test_one_address_guessing_many_usernames(self, store):
        clock = Clock()
        for i in range(CLIENT_LIMIT.free):
            record_failure(store, f"naam{i}", "192.0.2.7", clock=clock)
        wait = wait_for(store, "nog-een-naam", "192.0.2.7", clock=clock)
        assert (wait.scope, wait.seconds) == ("adres", CLIENT_LIMIT.first_s)
        assert wait_for(store, "nog-een-naam", "198.51.100.1", clock=clock) is None


class TestGlobalCeiling:
    def test_many_addresses_many_names(self, store):
        clock = Clock()
        with store.transaction() as conn:
            conn.executemany("INSERT INTO sign_in_failures (failed_at, username, client) VALUES (?, ?, ?)",
                             [(clock.t - GLOBAL_WINDOW_S + 10 + i * 0.01, f"u{i}", f"a{i}")
                              for i in range(GLOBAL_CEILING)])
        wait = wait_for(store, "iemand", "elders", clock=clock)
        assert wait.scope == "alle" and wait.seconds == pytest.approx(10.0)
        clock.t += 10.001
        assert wait_for(store, "iemand", "elders", clock=clock) is None


def test_shared_across_store_objects_and_restarts(store, db):
    clock = Clock()
    fail(store, clock, USER_LIMIT.free)
    assert wait_for(Store(db), "fien", "", clock=clock).seconds == USER_LIMIT.first_s


def test_old_rows_are_removed(store):
    clock = Clock()
    fail(store, clock, 3)
    clock.t += CLIENT_LIMIT.window_s + 1
    fail(store, clock, 1)
    with store.connect() as conn:
        assert conn.execute("SELECT COUNT(*) FROM sign_in_failures").fetchone()[0] == 1


def test_sign_ins_leave_the_store_generation(store):
    # The dashboard's caches key on the generation; a sign-in must not make every process read the
    # whole store again, and the failures are still stored and counted.
    clock = Clock()
    before = store.generation()
    fail(store, clock, USER_LIMIT.free + 1)
    assert wait_for(store, "fien", "", clock=clock) is not None
    record_success(store, "fien")
    assert store.generation() == before


def test_only_the_throttle_writes_uncounted_and_reads_its_table():
    # Leaving the generation alone is safe only while nothing cached on it reads the failures.
    root = Path(__file__).resolve().parents[2]
    sources = [p for d in ("igemo_fin", "ui", "pages") for p in (root / d).rglob("*.py")] + [root / "dashboard.py"]
    uncounted = {p.name for p in sources if re.search(r"\.transaction\(counted=False\)", p.read_text(encoding="utf-8"))}
    reading = {p.name for p in sources if "sign_in_failures" in p.read_text(encoding="utf-8")}
    assert uncounted == {"throttle.py"}
    assert reading == {"throttle.py", "store.py"}  # the schema and the throttle itself
