"""Trợ giúp → Giới thiệu: the About box shows the running version and the counter's data folder,
with the application icon, reached from the main window's menu like an officer would."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from counter_app import __version__
from counter_app.ui.about import AboutDialog, application_icon
from tests.ui.conftest import settle


def test_about_box_shows_version_and_data_folder(qtbot, window, core):
    menu = window.menuBar().actions()
    assert [a.text() for a in menu] == ["Trợ giúp"]
    about = window.help_menu.actions()
    assert [a.text() for a in about] == ["Giới thiệu"]
    about[0].trigger()
    settle(qtbot)
    dialog = window.last_dialog
    assert isinstance(dialog, AboutDialog) and dialog.isVisible()
    text = dialog.text.text()
    assert f"<b>{__version__}</b>" in text
    assert str(core.data_dir) in text
    assert "Phần mềm quầy Một cửa" in text
    dialog.reject()
    assert not dialog.isVisible()


def test_application_icon_is_bundled_and_loads(qtbot):
    icon = application_icon()
    assert not icon.isNull()
    assert icon.pixmap(32, 32).width() == 32
    QApplication.instance().setWindowIcon(icon)
    assert not QApplication.instance().windowIcon().isNull()
