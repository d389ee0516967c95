"""Where things live: the data directory (database, backups) and bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "counter_app"
DB_FILENAME = "counter.sqlite"
DATA_DIR_ENV = "COUNTER_APP_DATA_DIR"


def resource_root() -> Path:
    """The folder holding ``resources/`` and ``migrations/``: the bundle in a frozen build, else
    the source checkout (the package is installed in editable mode)."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def migrations_dir() -> Path:
    return resource_path("migrations")


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """``--data-dir`` wins, then ``COUNTER_APP_DATA_DIR``, then the platform's user data folder."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(directory: Path) -> Path:
    return directory / DB_FILENAME


# -- keeping the data folder private -----------------------------------------------------------
# Citizens' names, ID numbers and addresses live in the database, its WAL, backups, exports and
# prints: on a shared office PC only the user running the counter may read them.
PRIVATE_UMASK = 0o077
_DIR_MODE, _FILE_MODE = 0o700, 0o600


def private_umask() -> None:
    """New files 0600 and folders 0700 for the rest of the process (the faces call this first)."""
    if os.name == "posix":
        os.umask(PRIVATE_UMASK)


def make_private(path: str | os.PathLike) -> bool:
    """One file 0600 or folder 0700 on POSIX, keeping the owner's bits (a read-only file stays so);
    missing files and symbolic links are skipped. A file that cannot be changed (owned by another
    user, a read-only disk) is logged, never an error: the counter must still open. False then.
    Windows: see ``secure_data_dir``."""
    import logging
    import stat

    if os.name != "posix":
        return True
    try:
        st = os.stat(path, follow_symlinks=False)
        if stat.S_ISLNK(st.st_mode) or not stat.S_IMODE(st.st_mode) & 0o077:
            return True
        wanted = _DIR_MODE if stat.S_ISDIR(st.st_mode) else _FILE_MODE
        os.chmod(path, stat.S_IMODE(st.st_mode) & wanted)
    except FileNotFoundError:
        return True
    except OSError as exc:
        logging.getLogger(__name__).warning("could not make %s private: %s", path, exc)
        return False
    return True


def secure_data_dir(directory: str | os.PathLike) -> None:
    """Tighten an existing data folder: on POSIX every folder 0700 and file 0600 (a folder made by
    an older version was 755/644); on Windows a user-only ACL through ``icacls`` (best effort,
    logged when it fails). A file owned by someone else is logged and left as it is."""
    import logging

    log = logging.getLogger(__name__)
    directory = Path(directory)
    if not directory.is_dir():
        return
    if os.name != "posix":
        _windows_user_only_acl(directory, log)
        return
    for root, _dirs, files in os.walk(directory):
        for name in (root, *(os.path.join(root, f) for f in files)):  # each folder is a root in turn
            make_private(name)


def _windows_user_only_acl(directory: Path, log) -> None:
    """Remove inherited entries and grant full control to the current user (and SYSTEM, which
    Windows backup tools run as), inherited by everything below."""
    import subprocess

    user = os.environ.get("USERNAME")
    if not user:
        log.warning("data folder %s: no USERNAME, user-only ACL not set", directory)
        return
    domain = os.environ.get("USERDOMAIN")
    who = f"{domain}\\{user}" if domain else user
    command = ["icacls", str(directory), "/inheritance:r", "/grant:r", f"{who}:(OI)(CI)F",
               "*S-1-5-18:(OI)(CI)F", "/C", "/Q"]  # children inherit
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60,
                                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("data folder %s: icacls failed (%s); the folder keeps its inherited ACL", directory, exc)
        return
    if result.returncode != 0:
        log.warning("data folder %s: icacls exit %s: %s", directory, result.returncode,
                    (result.stderr or result.stdout).strip()[:500])
