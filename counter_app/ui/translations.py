"""Vietnamese for Qt's own texts: standard buttons, the first-run wizard, message boxes, the menus of
text and number fields, the file and print dialogs. Qt ships no ``qtbase_vi``, so the counter
carries its own source, ``resources/i18n/qtbase_vi.ts``.

The compiled ``.qm`` is not kept in the repository: ``pyside6-lrelease`` builds it next to the
``.ts`` (``python -m counter_app.ui.translations``, run by ``.ci/run`` and the README's set-up), and
the window builds it again at start when it is missing or older than its ``.ts``. Where the
resources folder is read-only the ``.qm`` goes to a folder in the system's temporary directory.
A frozen build (PyInstaller) carries the ``.qm`` it was built with.
"""

from __future__ import annotations

import getpass
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from counter_app import paths
from counter_app.ui import i18n

log = logging.getLogger("counter_app.ui")

APP_NAME = paths.APP_NAME  # the program's identifier (ASCII, as in its data folder's name)
DISPLAY_NAME = "Phần mềm Một cửa"  # what the desktop shows after a window's title and in the taskbar
SOURCES = ("qtbase_vi.ts",)

_installed: list[QTranslator] = []  # Qt does not own an installed translator: keep it alive here


def source_dir() -> Path:
    return paths.resource_path("resources", "i18n")


def _fallback_dir() -> Path:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment: one folder per process then
        user = str(os.getpid())
    return Path(tempfile.gettempdir()) / f"counter_app-i18n-{user}"


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)


def is_stale(ts: Path, qm: Path) -> bool:
    return not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime


def lrelease_command() -> list[str]:
    """``pyside6-lrelease`` of this Python's environment, else the one on PATH, else the lrelease
    binary the PySide6 wheel carries (which ``pyside6-lrelease`` runs)."""
    suffix = ".exe" if sys.platform == "win32" else ""
    beside = Path(sys.executable).parent / f"pyside6-lrelease{suffix}"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("pyside6-lrelease")
    if found:
        return [found]
    import PySide6

    binary = Path(PySide6.__file__).parent / f"lrelease{suffix}"
    if binary.exists():
        return [str(binary)]
    raise FileNotFoundError("pyside6-lrelease not found (PySide6 is installed without its tools)")


def compile_ts(ts: Path, qm: Path) -> Path:
    """``ts`` → ``qm`` with lrelease. Written to a temporary name and renamed, so a second window
    starting at the same moment never loads half a file."""
    qm.parent.mkdir(parents=True, exist_ok=True)
    partial = qm.with_name(f"{qm.stem}.{os.getpid()}.partial.qm")
    try:
        done = subprocess.run([*lrelease_command(), "-silent", str(ts), "-qm", str(partial)],
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0 or not partial.exists():
            raise RuntimeError(f"lrelease failed on {ts.name}: {done.stdout}{done.stderr}".strip())
        os.replace(partial, qm)
    finally:
        partial.unlink(missing_ok=True)
    return qm


def built_qm(ts: Path) -> Path:
    """The ``.qm`` of ``ts``, built first if it is missing or older than the ``.ts``."""
    qm = ts.with_suffix(".qm")
    if getattr(sys, "frozen", False) or not ts.exists() or not is_stale(ts, qm):
        return qm
    # A read-only installation: build it where this user can write.
    target = qm if _writable(qm.parent) else _fallback_dir() / qm.name
    return target if target != qm and not is_stale(ts, target) else compile_ts(ts, target)


def build_all() -> list[Path]:
    return [built_qm(source_dir() / name) for name in SOURCES]


def vietnamese_locale() -> QLocale:
    return QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


def install_translations(app: QCoreApplication) -> bool:
    """Names the application, makes Vietnamese the locale (dates, month names, the 24-hour clock)
    and installs the Vietnamese translation of Qt's texts. Call it before the first window is
    built; calling it again does nothing. With ``COUNTER_APP_LANG=en`` Qt stays in English.
    Returns whether the translation is installed; a missing or broken ``.qm`` is logged, and the
    window opens with Qt's English texts rather than not at all."""
    app.setApplicationName(APP_NAME)
    if hasattr(app, "setApplicationDisplayName"):  # a QGuiApplication
        app.setApplicationDisplayName(DISPLAY_NAME)
    if i18n.LANGUAGE != "vi":
        return False
    QLocale.setDefault(vietnamese_locale())
    if _installed:
        return True
    for name in SOURCES:
        translator = QTranslator(app)
        try:
            qm = built_qm(source_dir() / name)
            loaded = translator.load(str(qm))
        except Exception:
            log.exception("cannot build the Vietnamese translation %s", name)
            loaded = False
        if not loaded:
            log.warning("Vietnamese translation %s not loaded; Qt's own texts stay in English", name)
            return False
        app.installTranslator(translator)
        _installed.append(translator)
    return True


def main() -> int:
    """``python -m counter_app.ui.translations``: build every ``.qm`` that is missing or stale."""
    for qm in build_all():
        print(qm)
    return 0


if __name__ == "__main__":
    sys.exit(main())
