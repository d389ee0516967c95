"""When to sync: at start, on a timer, shortly after each local commit, and on "Đồng bộ ngay";
after a failure, exponential backoff with jitter capped at 5 minutes, never giving up.

Qt-free: a daemon thread and a condition variable. The window forwards reports to the GUI thread
with a signal; tests drive it directly.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Callable

from counter_app.sync.engine import SyncReport

INTERVAL_S = 60.0
NUDGE_DELAY_S = 2.0  # let a burst of commits (intake, then its receipt print) go out together
BACKOFF_BASE_S = 5.0
BACKOFF_CAP_S = 300.0


def backoff_delay(failures: int, rng: Callable[[], float] = random.random) -> float:
    """Equal jitter: half the exponential step fixed, half random; at most BACKOFF_CAP_S."""
    if failures <= 0:
        return 0.0
    step = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (failures - 1))
    return step / 2 + rng() * step / 2


class SyncScheduler:
    def __init__(self, run: Callable[[threading.Event], SyncReport], on_report: Callable[[SyncReport], None], *,
                 interval: float = INTERVAL_S, nudge_delay: float = NUDGE_DELAY_S,
                 backoff: Callable[[int], float] = backoff_delay) -> None:
        self._run = run
        self._on_report = on_report
        self._interval = interval
        self._nudge_delay = nudge_delay
        self._backoff = backoff
        self._cond = threading.Condition()
        self._cancel = threading.Event()
        self._stopping = False
        self._next = time.monotonic()  # at start
        self._requested: float | None = None  # a nudge or "sync now", kept even if it came mid-run
        self.failures = 0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="counter-sync", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        """A local commit happened: sync soon, unless backing off from a failure."""
        with self._cond:
            if self.failures == 0:
                self._request(time.monotonic() + self._nudge_delay)

    def sync_now(self) -> None:
        with self._cond:
            self._request(time.monotonic())

    def _request(self, at: float) -> None:
        self._requested = at if self._requested is None else min(self._requested, at)
        self._cond.notify()

    def _due(self) -> float:
        return self._next if self._requested is None else min(self._next, self._requested)

    def stop(self, timeout: float = 10.0) -> None:
        with self._cond:
            self._stopping = True
            self._cancel.set()
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._stopping and time.monotonic() < self._due():
                    self._cond.wait(max(0.0, self._due() - time.monotonic()))
                if self._stopping:
                    return
                self._requested = None
            try:
                report = self._run(self._cancel)
            except Exception as exc:  # a bug must not kill the thread: report it and back off
                report = SyncReport(error=f"Lỗi đồng bộ: {exc}", error_kind="retryable")
            with self._cond:
                if report.error_kind in ("retryable", "locked"):
                    self.failures += 1
                    delay = self._backoff(self.failures)
                elif report.error_kind in ("auth", "version"):
                    self.failures += 1
                    delay = max(self._backoff(self.failures), BACKOFF_CAP_S / 2)  # needs a person; check quietly
                else:
                    self.failures = 0
                    delay = self._interval
                self._next = time.monotonic() + delay
            self._on_report(report)
