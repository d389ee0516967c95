"""F1 or the "?" in the status bar: the About box shows the running version and the counter's data
folder, with the application icon. No menu bar: one entry is not worth a row of every screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_app import __version__
from counter_app.ui.about import AboutDialog, application_icon
from tests.ui.conftest import settle, shortcut


def test_about_box_shows_version_and_data_folder(qtbot, window, core):
    assert window.menuBar().actions() == []
    assert window.about_button.isVisible() and "F1" in window.about_button.toolTip()
    shortcut(qtbot, window, Qt.Key_F1)
    settle(qtbot)
    assert isinstance(window.last_dialog, AboutDialog) and window.last_dialog.isVisible()
    window.last_dialog.reject()
    window.about_button.click()
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
