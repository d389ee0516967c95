"""Handing a verified release to the platform's installer, and going back when the new version
cannot open the store.

Before the installer runs, the counter (1) checks the downloaded file against its signed manifest
once more, (2) copies the store aside, (3) copies its own program folder aside when it is a frozen
build, because the installer is about to overwrite it, and (4) writes ``updates/installing.json``
saying which version it came from and how to start it again. If the new version then fails to
migrate the store (``storage.migrate`` has already put the backup back), it marks itself refused,
so this counter will not install it again, and starts the preserved previous version.

The database lives in the data folder, which no installer touches, so the outbox stays intact
across an update whether or not it could be flushed first.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from counter_app.core.errors import ValidationError

UPDATES = "updates"  # in the data folder
DOWNLOADS = "downloads"
RECORD = "installing.json"
REFUSED = "refused-versions.json"
PREVIOUS = "previous"


def updates_dir(data_dir: Path) -> Path:
    return Path(data_dir) / UPDATES


@dataclass(frozen=True)
class InstallPlan:
    version: str
    file: Path
    command: list[str]
    # Windows: the installer must outlive this process (it replaces the running .exe) and starts the
    # new version itself. Linux: the counter waits for the installer, then starts the new version.
    detached: bool
    relaunch: list[str]  # what starts the new version once the store is shut; empty: nothing (at close)
    backup: Path
    pending: int  # outbox events still waiting for the server; they stay in the store


def platform_command(file: Path, platform: str, template: str = "", relaunch: bool = False) -> tuple[list[str], bool]:
    """The installer command for ``file``: the administrator's ``update_install_command`` (with
    ``{file}``) when set, else the platform's own installer. ``relaunch``: the Windows installer
    starts the new version itself when done (on Linux the counter does, after waiting)."""
    if template.strip():
        parts = shlex.split(template)
        if not any("{file}" in p for p in parts):
            raise ValidationError("Lệnh cài bản cập nhật phải có {file} (đường dẫn tệp cài đặt).",
                                  "update_install_command without {file}")
        return [p.replace("{file}", str(file)) for p in parts], platform.startswith("windows")
    if platform.startswith("windows"):  # NSIS, silent; /UPDATE waits for this process to exit
        return [str(file), "/S", "/UPDATE", *(["/RELAUNCH"] if relaunch else [])], True
    dpkg = ["dpkg", "-i", str(file)]
    return (dpkg if hasattr(os, "geteuid") and os.geteuid() == 0 else ["pkexec", *dpkg]), False


def running_program() -> list[str]:
    """How to start this program again: the frozen executable, or this interpreter with the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "counter_app"]


def preserve_running_version(data_dir: Path, version: str) -> list[str] | None:
    """Copy a frozen build's folder to ``updates/previous/<version>`` and return the command that
    starts the copy; None for a source install, which an installer does not overwrite."""
    if not getattr(sys, "frozen", False):
        return None
    bundle = Path(sys.executable).resolve().parent
    root = updates_dir(data_dir) / PREVIOUS
    target = root / version
    if not target.exists():
        staging = root / f".{version}.copying"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(bundle, staging, symlinks=True)
        os.replace(staging, target)
    for other in root.iterdir():  # one previous version is enough to go back to
        if other != target:
            shutil.rmtree(other, ignore_errors=True)
    return [str(target / Path(sys.executable).name)]


def write_record(data_dir: Path, from_version: str, plan: InstallPlan, previous: list[str] | None) -> None:
    folder = updates_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    record = {"from_version": from_version, "to_version": plan.version, "file": str(plan.file),
              "backup": str(plan.backup), "previous_command": previous,
              "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    tmp = folder / (RECORD + ".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, folder / RECORD)


def read_record(data_dir: Path) -> dict | None:
    try:
        data = json.loads((updates_dir(data_dir) / RECORD).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def refused_versions(data_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((updates_dir(data_dir) / REFUSED).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _refuse(data_dir: Path, version: str, reason: str) -> None:
    refused = {**refused_versions(data_dir), version: reason}
    folder = updates_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (REFUSED + ".tmp")
    tmp.write_text(json.dumps(refused, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, folder / REFUSED)


def opened(data_dir: Path, version: str) -> None:
    """The new version opened the store: the update is over (the previous copy stays until the next)."""
    record = read_record(data_dir)
    if record and record.get("to_version") == version:
        (updates_dir(data_dir) / RECORD).unlink(missing_ok=True)


def after_failed_migration(data_dir: Path, version: str, reason: str) -> list[str] | None:
    """This version could not migrate the store (the backup is already back in place): never offer
    it to this counter again, and give the command that starts the version it replaced, if kept."""
    record = read_record(data_dir)
    if not record or record.get("to_version") != version:
        return None
    _refuse(data_dir, version, reason)
    (updates_dir(data_dir) / RECORD).unlink(missing_ok=True)
    command = record.get("previous_command")
    if isinstance(command, list) and command and Path(command[0]).exists():
        return [str(c) for c in command]
    return None
