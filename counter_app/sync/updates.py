"""What the window and the command line do about updates: see the offer, fetch it, install it.

The order of an install is fixed here so no face can get it wrong: the file is verified again,
the outbox gets one chance to reach the server, the store is backed up, the running version is
preserved, the record of the update is written, and only then does the installer run.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from counter_app import __version__
from counter_app.core import releases
from counter_app.core.errors import ValidationError
from counter_app.sync import install
from counter_app.sync.download import STEP_BUDGET_S, DownloadState, ReleaseDownloader
from counter_app.sync.releases import OFFER, ReleaseVerifier, stored_offer
from counter_app.sync.transport import SyncFailure

log = logging.getLogger(__name__)

INSTALL_TIMEOUT_S = 900


def downloads_dir(data_dir: Path) -> Path:
    return install.updates_dir(data_dir) / install.DOWNLOADS


class UpdateService:
    def __init__(self, read_uow, verifier: ReleaseVerifier, data_dir: Path, *, settings: Callable,
                 engine: Callable, backup: Callable[[Path], Any]) -> None:
        self._read_uow = read_uow
        self.verifier = verifier
        self.data_dir = Path(data_dir)
        self._settings = settings
        self._engine = engine  # a SyncEngine for the enrolled server, or None
        self._backup = backup

    # -- what there is -------------------------------------------------------------------------
    def offer(self) -> releases.ReleaseManifest | None:
        """The newest release the province offered this counter, still signed by a key of this
        build, still newer than the running version and not refused here; None otherwise."""
        with self._read_uow() as uow:
            return stored_offer(uow.sync_state, self.verifier)

    def _envelope(self) -> Any:
        with self._read_uow() as uow:
            return uow.sync_state.get(OFFER)

    def downloader(self, client=None) -> ReleaseDownloader:
        rate = max(int(self._settings().update_download_kib_s), 0) * 1024
        return ReleaseDownloader(client, downloads_dir(self.data_dir), self.verifier, rate=rate)

    def status(self) -> DownloadState | None:
        """How far the offered release has come down, without the network; None without an offer."""
        if self.offer() is None:
            return None
        return self.downloader().status(self._envelope())

    # -- fetch ---------------------------------------------------------------------------------
    def download(self, cancel=None, progress=None, budget_s: float = STEP_BUDGET_S) -> DownloadState:
        if self.offer() is None:
            raise ValidationError("Chưa có bản cập nhật nào được tỉnh phát hành cho quầy này.", "no offer")
        engine = self._engine()
        if engine is None:
            raise ValidationError("Quầy chưa đăng ký với máy chủ tỉnh nên không tải được bản cập nhật.",
                                  "not enrolled")
        try:
            return self.downloader(engine.client).step(self._envelope(), cancel, budget_s, progress)
        except SyncFailure as failure:  # 401/403/404: not a passing fault; the part on disk stays
            raise ValidationError(f"Không tải được bản cập nhật: {failure.message}",
                                  f"HTTP {failure.status}: {failure.detail}") from None
        finally:
            engine.close()

    # -- install -------------------------------------------------------------------------------
    def prepare_install(self, relaunch: bool = False) -> install.InstallPlan:
        """Everything before the installer runs; a ValidationError leaves the counter as it was.
        ``relaunch``: the new version is started after the install ("Cài ngay"), not at day's end."""
        envelope = self._envelope()
        if self.offer() is None:
            raise ValidationError("Chưa có bản cập nhật nào để cài.", "no offer")
        state = self.downloader().status(envelope)
        if state.state != "ready":
            raise ValidationError(f"Bản cập nhật {state.version} chưa tải xong ({state.percent}%).",
                                  f"state {state.state}")
        manifest = self.verifier.check_download(envelope, state.path)  # the file as it is now, on this disk
        command, detached = install.platform_command(state.path, self.verifier.platform,
                                                     self._settings().update_install_command, relaunch)
        self._send_queue()
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = self.data_dir / "backups" / f"counter-before-{manifest.version}-{stamp}.sqlite"
        self._backup(backup)
        with self._read_uow() as uow:
            pending = sum(uow.outbox.counts()[k] for k in ("pending", "sending"))
        plan = install.InstallPlan(manifest.version, state.path, command, detached,
                                   install.running_program() if relaunch else [], backup, pending)
        previous = install.preserve_running_version(self.data_dir, __version__)
        install.write_record(self.data_dir, __version__, plan, previous)
        log.info("update %s -> %s prepared (%d events pending)", __version__, manifest.version, pending)
        return plan

    def _send_queue(self) -> None:
        """One chance to send the queue; a counter offline keeps it in the store either way."""
        engine = self._engine()
        if engine is None:
            return
        try:
            report = engine.run_once()
            log.info("sync before update: %s", report.error or "ok")
        except Exception as exc:  # the update must not depend on the network
            log.info("sync before update failed: %s", exc)
        finally:
            engine.close()

    def run_installer(self, plan: install.InstallPlan) -> None:
        """Start the installer: detached when it must outlive this process, else wait for it. A
        failed installer leaves the running version in place and the update unrecorded."""
        if plan.detached:
            start_detached(plan.command)
            return
        try:
            done = subprocess.run(plan.command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as exc:
            (install.updates_dir(self.data_dir) / install.RECORD).unlink(missing_ok=True)
            raise ValidationError("Không chạy được trình cài bản cập nhật.", f"{plan.command[0]}: {exc}") from None
        if done.returncode != 0:
            (install.updates_dir(self.data_dir) / install.RECORD).unlink(missing_ok=True)
            raise ValidationError(f"Trình cài bản cập nhật báo lỗi (mã {done.returncode}); phiên bản đang dùng "
                                  "vẫn giữ nguyên.", (done.stderr or done.stdout)[-500:])


def start_detached(command: list[str], args: list[str] | None = None) -> None:
    """Start ``command`` so that it outlives this process (the installer, or a program version)."""
    command = [*command, *(args or [])]
    if sys.platform.startswith("win"):
        # ShellExecute, not CreateProcess: the NSIS installer asks for an administrator (UAC), which
        # CreateProcess refuses with "elevation required".
        os.startfile(command[0], "open", subprocess.list2cmdline(command[1:]))
        return
    subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     close_fds=True, start_new_session=True)
