"""Bundled fonts for the window: Qt wheels ship none, and a bare machine would draw boxes for ơ ư ạ."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from counter_app import paths

UI_FILES = ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSerif-Regular.ttf")


def install_fonts(app) -> str:
    family = ""
    for name in UI_FILES:
        font_id = QFontDatabase.addApplicationFont(str(paths.resource_path("resources", "fonts", name)))
        if font_id >= 0 and not family:
            family = QFontDatabase.applicationFontFamilies(font_id)[0]
    if family:
        app.setFont(QFont(family, 10))
    return family
