"""Start the desktop window: fonts, first-run wizard or login, then the main window.

The window appears before SQLAlchemy, Alembic and ReportLab are imported: a placeholder paints at
once, and the heavy imports run right after the first paint.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from counter_app import paths
from counter_app.ui.fonts import install_fonts


def open_core(data_dir: Path, parent=None):
    """The application core for ``data_dir``; runs the first-run wizard when it is empty.
    Returns None when the officer cancels the wizard."""
    from counter_app.app import CounterApp
    from counter_app.ui.login import FirstRunWizard

    if paths.database_path(data_dir).exists():
        core = CounterApp.open(data_dir)
        if core.officers.any():
            return core
        core.close()
    created = {}

    def create(v: dict) -> None:
        from counter_app.core.officers import check_new_password

        check_new_password(v["password"], v["confirm"])
        if paths.database_path(data_dir).exists():
            core = CounterApp.open(data_dir)
        else:
            core = CounterApp.initialise(data_dir, agency_code=v["agency_code"], agency_name=v["agency_name"],
                                         province=v["province"], desk=int(v["desk"]))
        core.officers.create(v["username"], v["full_name"], v["password"], role="admin")
        created["core"] = core

    wizard = FirstRunWizard(create, parent)
    _exit_when_shown(wizard)
    if wizard.exec() != QDialog.Accepted:
        return None
    return created["core"]


def login(core, parent=None):
    from counter_app.ui.login import LoginDialog

    dialog = LoginDialog(core.officers, parent)
    _exit_when_shown(dialog)
    return dialog.officer if dialog.exec() == QDialog.Accepted else None


def _exit_when_shown(dialog) -> None:
    """Start-up benchmark: close the first usable window as soon as it is on screen."""
    if os.environ.get("COUNTER_APP_EXIT_AFTER_SHOW"):
        QTimer.singleShot(0, dialog.reject)


def run(data_dir: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    install_fonts(app)
    splash = QLabel("counter_app – đang mở quầy…")
    splash.resize(360, 80)
    splash.show()
    result = {}

    def start() -> None:  # after the first paint
        from counter_app.ui.main_window import MainWindow

        try:
            core = open_core(paths.data_dir(data_dir), splash)
        except Exception as exc:
            from counter_app.ui.common import show_error

            show_error(splash, exc)
            app.exit(1)
            return
        if core is None:
            app.exit(0)
            return
        officer = login(core, splash)
        if officer is None:
            app.exit(0)
            return
        window = result["window"] = MainWindow(core, officer)
        splash.close()
        window.show()

    QTimer.singleShot(0, start)
    return app.exec()
