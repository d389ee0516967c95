"""Start the desktop window: fonts, first-run wizard or login, then the main window.

On a set-up counter the login dialog opens first, checked against the officer table with plain
sqlite3; SQLAlchemy, the migration check and the main window load while the officer types (Qt
queues the keystrokes), so the window is usable within a second. ReportLab loads on the first print.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from counter_app import paths
from counter_app.ui import crash
from counter_app.ui.fonts import install_fonts
from counter_app.ui.translations import install_translations


def open_core(data_dir: Path, parent=None):
    """The application core for ``data_dir``; runs the first-run wizard when it has no counter or
    no officer yet. Returns None when the wizard is cancelled."""
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

    wizard = FirstRunWizard(create, parent, officer_only=paths.database_path(data_dir).exists())
    _exit_when_shown(wizard)
    if wizard.exec() != QDialog.Accepted:
        return None
    core = created["core"]
    if core.recovery_key:
        from counter_app.ui.recovery import show_recovery_key

        show_recovery_key(parent, core.recovery_key)
    return core


def _exit_when_shown(dialog) -> None:
    """Start-up benchmark: close the first usable window as soon as it is on screen."""
    if os.environ.get("COUNTER_APP_EXIT_AFTER_SHOW"):
        def shown() -> None:  # says which window it timed: the bundle's test checks it is the login
            print(f"shown: {type(dialog).__name__}", flush=True)
            dialog.reject()

        QTimer.singleShot(0, shown)


def run(data_dir: str | None = None) -> int:
    paths.private_umask()  # the database, backups, exports, prints and logs hold personal data
    app = QApplication.instance() or QApplication(sys.argv)
    install_fonts(app)
    install_translations(app)
    from counter_app.ui.about import application_icon

    app.setWindowIcon(application_icon())
    app.setDesktopFileName("counter-app")  # Wayland and GNOME match the window to counter-app.desktop
    folder = paths.data_dir(data_dir)
    crash.install(folder)
    state: dict = {}

    def load_core(after_login: bool = False) -> None:  # first while the login dialog is on screen
        if "core" not in state and "failed" not in state:
            import importlib

            from counter_app.app import CounterApp

            importlib.import_module("counter_app.ui.main_window")  # pay for it now, not after login
            try:
                state["core"] = CounterApp.open(folder)
            except Exception as exc:  # kept for after the login: a failed update's way back is said once
                state["failed"] = exc
        if after_login and "failed" in state:
            raise state["failed"]

    def start() -> None:
        from counter_app.core.errors import KeyMissing
        from counter_app.ui.common import show_error
        from counter_app.ui.login import LoginDialog

        try:
            from counter_app.startup import officer_directory

            directory = officer_directory(folder)
            if directory.usable():
                dialog = LoginDialog(directory)
                _exit_when_shown(dialog)
                QTimer.singleShot(50, load_core)  # after the dialog's first paint
                if dialog.exec() != QDialog.Accepted:
                    app.exit(0)
                    return
                officer = dialog.officer
                load_core(after_login=True)
            else:
                core = open_core(folder)
                if core is None:
                    app.exit(0)
                    return
                state["core"] = core
                dialog = LoginDialog(core.officers)
                if dialog.exec() != QDialog.Accepted:
                    app.exit(0)
                    return
                officer = dialog.officer
        except KeyMissing:
            from counter_app.ui.recovery import ask_recovery_key

            if ask_recovery_key(None, folder):
                QTimer.singleShot(0, start)
            else:
                app.exit(1)
            return
        except Exception as exc:
            show_error(None, exc)
            if getattr(exc, "previous", None):  # an update that could not open the store: go back
                from counter_app.startup import start_program

                start_program(exc.previous, folder)
            app.exit(1)
            return
        from counter_app.ui.main_window import MainWindow

        window = state["window"] = MainWindow(state["core"], officer)
        window.show()

    QTimer.singleShot(0, start)
    code = app.exec()
    window = state.get("window")
    plan = window.update_notice.plan if window is not None else None
    if plan is not None and plan.relaunch and not plan.detached:  # installed: the new version, on a shut store
        from counter_app.startup import start_program

        state["core"].close()
        start_program(plan.relaunch, folder)
    return code
