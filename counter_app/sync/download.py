"""Fetching a signed release in the background, a little at a time.

Each sync run gives the download a time budget; the bytes go to ``<sha256>.part`` in the counter's
updates folder, flushed to disk as they arrive, and the next run (or the next start of the program)
asks the server for the rest with an HTTP Range. The speed is capped so that a commune's link stays
usable for the counter's own traffic. A file becomes "ready" only after the signed manifest's size
and SHA-256 match; a file that does not match is deleted and that manifest is not fetched again.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from counter_app.core import releases
from counter_app.core.errors import ValidationError
from counter_app.sync.transport import FailureKind, SyncClient, SyncFailure

log = logging.getLogger(__name__)

PIECE = 64 * 1024
STEP_BUDGET_S = 20.0  # per sync run: a large bundle never holds the queue back for long
CUTS_PER_STEP = 4  # a link that keeps dropping is left alone until the next run


@dataclass(frozen=True)
class DownloadState:
    state: str  # "partial", "ready" or "refused"
    version: str
    received: int
    size: int
    path: Path | None = None  # the verified file when ready
    message: str = ""

    @property
    def percent(self) -> int:
        return int(100 * self.received / self.size) if self.size else 0


class RateLimit:
    """At most ``bytes_per_s`` on average since the download started (0: no cap)."""

    def __init__(self, bytes_per_s: int, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.rate, self._clock, self._sleep = bytes_per_s, clock, sleep
        self._start, self._sent = clock(), 0

    def spend(self, n: int) -> None:
        if self.rate <= 0:
            return
        self._sent += n
        ahead = self._sent / self.rate - (self._clock() - self._start)
        if ahead > 0:
            self._sleep(ahead)


def _cancelled(cancel) -> bool:
    return bool(cancel is not None and (cancel.is_set() if isinstance(cancel, threading.Event) else cancel()))


class ReleaseDownloader:
    def __init__(self, client: SyncClient, folder: Path, verifier, *, rate: int = 0,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.client = client
        self.folder = Path(folder)
        self.verifier = verifier
        self.rate = rate
        self._clock, self._sleep = clock, sleep

    # -- where things are -------------------------------------------------------------------
    def partial_path(self, manifest: releases.ReleaseManifest) -> Path:
        return self.folder / f"{manifest.sha256}.part"

    def ready_path(self, manifest: releases.ReleaseManifest) -> Path:
        return self.folder / manifest.version / manifest.file_name

    def _refused_mark(self, manifest: releases.ReleaseManifest) -> Path:
        return self.folder / f"{manifest.sha256}.refused"

    def status(self, envelope: Any) -> DownloadState:
        """How far the download of ``envelope`` got, without touching the network."""
        return self._status(self.verifier.check_offer(envelope))

    def _status(self, manifest: releases.ReleaseManifest) -> DownloadState:
        if self._refused_mark(manifest).exists():
            return self._state("refused", manifest, 0, message=self._refused_mark(manifest).read_text("utf-8"))
        ready = self.ready_path(manifest)
        if ready.exists():
            return self._state("ready", manifest, manifest.size, ready)
        part = self.partial_path(manifest)
        return self._state("partial", manifest, part.stat().st_size if part.exists() else 0)

    @staticmethod
    def _state(state: str, manifest, received: int, path: Path | None = None, message: str = "") -> DownloadState:
        return DownloadState(state, manifest.version, received, manifest.size, path, message)

    # -- the download -------------------------------------------------------------------------
    def step(self, envelope: Any, cancel=None, budget_s: float = STEP_BUDGET_S,
             progress: Callable[[int, int], None] | None = None) -> DownloadState:
        """Fetch more of the release for at most ``budget_s`` seconds; resume where the last step
        stopped. Raises SyncFailure for what is not a passing network fault (401, 426, 404…)."""
        manifest = self.verifier.check_offer(envelope)
        known = self._status(manifest)
        if known.state != "partial":  # a ready file is checked again by whatever installs it
            return known
        self.folder.mkdir(parents=True, exist_ok=True)
        part, deadline, cuts = self.partial_path(manifest), self._clock() + budget_s, 0
        limit = RateLimit(self.rate, self._clock, self._sleep)
        while True:
            have = part.stat().st_size if part.exists() else 0
            if have > manifest.size:  # not this file: start again
                part.unlink()
                have = 0
            if have == manifest.size:
                return self._finish(envelope, manifest, part)
            if _cancelled(cancel) or self._clock() >= deadline:
                return self._state("partial", manifest, have)
            try:
                self._fetch(manifest, part, have, deadline, cancel, limit, progress)
            except SyncFailure as failure:
                if failure.status == 416 and part.exists():  # the server has no more: judge what came
                    return self._finish(envelope, manifest, part)
                if failure.kind is not FailureKind.RETRYABLE:
                    raise
                cuts += 1
                log.info("release download cut at %d of %d bytes: %s", part.stat().st_size if part.exists() else 0,
                         manifest.size, failure.detail or failure.message)
                if cuts >= CUTS_PER_STEP:
                    return self._state("partial", manifest, part.stat().st_size if part.exists() else 0,
                                       message=failure.message)
                self._sleep(0.25 * cuts)

    def _fetch(self, manifest, part: Path, have: int, deadline: float, cancel, limit: RateLimit,
               progress) -> None:
        with self.client.release_file(manifest.platform, manifest.version, have) as stream:
            if stream.start not in (0, have):
                raise SyncFailure(FailureKind.REJECTED, "Máy chủ tỉnh trả sai đoạn tệp cập nhật.",
                                  f"asked from {have}, got {stream.start}")
            with open(part, "ab" if stream.start else "wb") as f:
                received = stream.start
                try:
                    for chunk in stream.chunks(PIECE):
                        f.write(chunk)
                        received += len(chunk)
                        if progress is not None:
                            progress(received, manifest.size)
                        if received > manifest.size or _cancelled(cancel) or self._clock() >= deadline:
                            break
                        limit.spend(len(chunk))
                finally:  # what arrived before a cut is kept for the next Range request
                    f.flush()
                    os.fsync(f.fileno())

    def _finish(self, envelope: Any, manifest, path: Path) -> DownloadState:
        try:
            self.verifier.check_download(envelope, path)
        except ValidationError as exc:
            path.unlink(missing_ok=True)
            self._refused_mark(manifest).write_text(exc.message, "utf-8")
            log.warning("release %s refused after download: %s", manifest.version, exc.detail)
            return self._state("refused", manifest, 0, message=exc.message)
        ready = self.ready_path(manifest)
        if path != ready:
            ready.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, ready)
        self._forget_others(manifest)
        return self._state("ready", manifest, manifest.size, ready)

    def _forget_others(self, keep: releases.ReleaseManifest) -> None:
        """Older partial and ready downloads go once a newer release is ready; refusal marks stay."""
        for path in self.folder.iterdir():
            if path.suffix == ".part" and path.name != self.partial_path(keep).name:
                path.unlink(missing_ok=True)
            elif path.is_dir() and path.name != keep.version:
                shutil.rmtree(path, ignore_errors=True)
