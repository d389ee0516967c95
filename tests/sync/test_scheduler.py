"""When sync runs: at start, after a nudge, on "sync now" even mid-run, and after failures with
capped, jittered exponential backoff that never gives up."""

from __future__ import annotations

import threading
import time

from counter_app.sync.engine import SyncReport
from counter_app.sync.scheduler import BACKOFF_CAP_S, SyncScheduler, backoff_delay


def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    assert backoff_delay(0) == 0
    low = [backoff_delay(n, lambda: 0.0) for n in range(1, 12)]
    high = [backoff_delay(n, lambda: 1.0) for n in range(1, 12)]
    assert low[:4] == [2.5, 5.0, 10.0, 20.0] and high[:4] == [5.0, 10.0, 20.0, 40.0]
    assert max(high) == BACKOFF_CAP_S and high[-1] == BACKOFF_CAP_S and low[-1] == BACKOFF_CAP_S / 2
    assert all(a <= b for a, b in zip(high, high[1:]))


class Runs:
    def __init__(self, outcomes):
        self.outcomes = list(outcomes)
        self.times: list[float] = []
        self.reports: list[SyncReport] = []
        self.started = threading.Event()
        self.block = threading.Event()
        self.block.set()

    def run(self, cancel):
        self.times.append(time.monotonic())
        self.started.set()
        self.block.wait(5)
        kind = self.outcomes.pop(0) if self.outcomes else None
        return SyncReport(error="x" if kind else None, error_kind=kind)


def _wait(cond, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.01)
    return False


def test_runs_at_start_then_on_nudge_and_keeps_retrying_after_failures():
    runs = Runs(["retryable", "retryable", "retryable"])
    delays = []
    sched = SyncScheduler(runs.run, runs.reports.append, interval=60, nudge_delay=0.05,
                          backoff=lambda n: (delays.append(n), 0.05)[1])
    sched.start()
    try:
        assert _wait(lambda: len(runs.reports) == 4)  # start + three backed-off retries, then success
        assert delays == [1, 2, 3] and sched.failures == 0
        sched.nudge()
        assert _wait(lambda: len(runs.reports) == 5)
    finally:
        sched.stop()


def test_sync_now_during_a_run_is_not_lost():
    runs = Runs([])
    sched = SyncScheduler(runs.run, runs.reports.append, interval=60)
    runs.block.clear()
    sched.start()
    try:
        assert runs.started.wait(5)
        sched.sync_now()  # arrives while the first run is still going
        runs.block.set()
        assert _wait(lambda: len(runs.reports) == 2)
    finally:
        sched.stop()


def test_auth_failures_back_off_quietly_and_nudges_wait_for_the_backoff():
    runs = Runs(["auth"])
    sched = SyncScheduler(runs.run, runs.reports.append, interval=60, nudge_delay=0.01, backoff=lambda n: 0.01)
    sched.start()
    try:
        assert _wait(lambda: len(runs.reports) == 1)
        sched.nudge()
        time.sleep(0.3)
        assert len(runs.reports) == 1  # no hammering after 401: it needs a person
        sched.sync_now()  # but the person's own button always works
        assert _wait(lambda: len(runs.reports) == 2)
    finally:
        sched.stop()
