"""Qt's own texts in Vietnamese: the .ts source, the .qm built from it, and Qt's standard buttons,
wizard, message boxes, context menus and file and print dialogs as the officer sees them."""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QPoint, QTimer, QTranslator
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QApplication, QDialogButtonBox, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QProgressDialog,
    QPushButton, QSpinBox,
)

from counter_app.ui import translations
from tests.ui.vietnamese import QtTextSpy, english_in, shown_texts

TS = translations.source_dir() / "qtbase_vi.ts"

# Texts Qt asks for that read the same in Vietnamese.
SAME_IN_VIETNAMESE = {
    "QShortcut": None,  # key names (Ctrl, Shift) as menus print them beside an entry
    "QPageSize": None,  # paper names: A4, A5, Letter / ANSI A, Envelope C5
    "QMimeType": None,  # file types come from the system's MIME database, in Vietnamese where it has them
    "QProgressBar": {"%p%"},
    "QFileDialog": {"Alt+Left", "Alt+Right", "Alt+Up"},  # shortcuts, not words
    "QPrintDialog": {"1 (1x1)", "2 (2x1)", "4 (2x2)", "6 (2x3)", "9 (3x3)", "16 (4x4)"},
    "QPageSetupWidget": {"Pica (P̸)", "Didot (DD)", "Cicero (CC)", "mm"},
}


def messages(ts: Path):
    """(context, source, disambiguation, translation element) of every message in ``ts``."""
    for context in ET.parse(ts).getroot().iter("context"):
        for m in context.iter("message"):
            yield context.findtext("name"), m.findtext("source"), m.findtext("comment"), m.find("translation")


@pytest.fixture
def vietnamese(qapp):
    assert translations.install_translations(qapp)
    return translations._installed[0]


def test_the_ts_translates_every_message_and_keeps_its_placeholders():
    seen = set()
    for context, source, comment, translation in messages(TS):
        assert (context, source, comment) not in seen, f"{context}: {source!r} twice"
        seen.add((context, source, comment))
        text = translation.text or ""
        assert text.strip() and translation.get("type") is None, f"{context}: {source!r} not translated"
        assert sorted(re.findall(r"%\d", text)) == sorted(re.findall(r"%\d", source)), (context, source)
        assert text.count("\n") == source.count("\n"), (context, source)
        assert text.replace("&&", "").count("&") <= 1, (context, source)
    contexts = {c for c, *_ in messages(TS)}
    assert {"QPlatformTheme", "QGnomeTheme", "QWizard", "QMessageBox", "QLineEdit", "QWidgetTextControl",
            "QAbstractSpinBox", "QFileDialog", "QPrintDialog", "QPageSetupWidget"} <= contexts


def _translator(qm: Path) -> QTranslator:
    translator = QTranslator()
    assert translator.load(str(qm)), qm
    return translator


def test_the_qm_is_built_from_the_ts_and_rebuilt_when_the_ts_changes(tmp_path):
    ts = tmp_path / "qtbase_vi.ts"
    shutil.copy(TS, ts)
    qm = translations.built_qm(ts)
    assert qm == tmp_path / "qtbase_vi.qm" and qm.exists()
    translator = _translator(qm)
    for context, source, comment, translation in messages(ts):
        assert translator.translate(context, source, comment) == translation.text, (context, source)
    built_at = qm.stat().st_mtime_ns
    assert translations.built_qm(ts) == qm and qm.stat().st_mtime_ns == built_at  # up to date: kept
    ts.write_text(ts.read_text("utf-8").replace("&amp;Tiếp theo &gt;", "&amp;Sang trang &gt;"), "utf-8")
    later = qm.stat().st_mtime + 5
    os.utime(ts, (later, later))  # the .ts edited after the .qm was built
    assert translations.is_stale(ts, qm)
    assert _translator(translations.built_qm(ts)).translate("QWizard", "&Next >") == "&Sang trang >"


def test_a_read_only_installation_builds_the_qm_in_a_folder_of_its_own(tmp_path, monkeypatch):
    shutil.copy(TS, tmp_path / "qtbase_vi.ts")
    monkeypatch.setattr(translations, "_writable", lambda folder: False)
    monkeypatch.setattr(translations, "_fallback_dir", lambda: tmp_path / "spare")
    qm = translations.built_qm(tmp_path / "qtbase_vi.ts")
    assert qm == tmp_path / "spare" / "qtbase_vi.qm" and qm.exists()
    assert not (tmp_path / "qtbase_vi.qm").exists()
    assert _translator(qm).translate("QPlatformTheme", "Cancel") == "Hủy"


def test_the_window_loads_the_translation_the_locale_and_its_name(qapp, vietnamese):
    assert QCoreApplication.translate("QWizard", "&Next >") == "&Tiếp theo >"
    assert QCoreApplication.translate("QPlatformTheme", "OK") == "Đồng ý"
    assert QLocale().language() == QLocale.Language.Vietnamese
    assert qapp.applicationDisplayName() == translations.DISPLAY_NAME
    assert translations.install_translations(qapp) and len(translations._installed) == 1  # once only


def _wizard_texts(qtbot) -> list[str]:
    from counter_app.ui.login import FirstRunWizard

    wizard = FirstRunWizard(lambda values: None)
    qtbot.addWidget(wizard)
    wizard.show()
    texts = shown_texts(wizard)
    wizard.next()
    texts += shown_texts(wizard)  # the last page: Back and Finish
    assert any(t.replace("&", "") == "< Quay lại" for t in texts) and "&Hoàn tất" in texts
    wizard.close()
    return texts


def _message_box_texts(qtbot) -> list[str]:
    box = QMessageBox(QMessageBox.Icon.Question, "Máy giữ sổ", "Lưu yêu cầu để cấp số sau?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDetailedText("holder unreachable")
    qtbot.addWidget(box)
    box.show()
    texts = shown_texts(box)
    yes_no = (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No)
    assert [box.button(b).text() for b in yes_no] == ["&Có", "&Không"]
    details = next(b for b in box.findChildren(QPushButton) if b.text() == "Chi tiết...")
    details.click()
    assert details.text() == "Ẩn chi tiết..."
    texts += shown_texts(box)
    box.close()
    return texts


def _button_box_texts(qtbot) -> list[str]:
    every = QDialogButtonBox.StandardButton.NoButton
    for name in ("Ok", "Cancel", "Close", "Save", "SaveAll", "Open", "Yes", "YesToAll", "No", "NoToAll",
                 "Abort", "Retry", "Ignore", "Discard", "Help", "Apply", "Reset", "RestoreDefaults"):
        every |= getattr(QDialogButtonBox.StandardButton, name)
    box = QDialogButtonBox(every)
    qtbot.addWidget(box)
    box.show()
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Hủy"
    return shown_texts(box)


def _context_menu_texts(qtbot) -> list[str]:
    edit = QLineEdit("Nguyễn Văn Ấn")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert [t.split("\t")[0] for t in texts] == ["&Hoàn tác", "&Làm lại", "Cắ&t", "&Sao chép", "&Dán", "Xóa",
                                                 "Chọn tất cả"]
    menu.deleteLater()
    spin = QSpinBox()
    qtbot.addWidget(spin)
    spin.show()
    seen: list[str] = []

    def read_and_close() -> None:  # the spin box runs its menu modally: read it, then close it
        popup = QApplication.activePopupWidget()
        if popup is None:
            QTimer.singleShot(20, read_and_close)
            return
        seen.extend(a.text() for a in popup.actions() if a.text())
        popup.close()

    QTimer.singleShot(0, read_and_close)
    QApplication.sendEvent(spin, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(2, 2),
                                                   spin.mapToGlobal(QPoint(2, 2))))
    assert "Tăng &một nấc" in seen and "&Giảm một nấc" in seen
    return texts + seen


def _other_dialog_texts(qtbot, folder: Path) -> list[str]:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    texts = []
    (folder / "so-theo-doi.pdf").write_bytes(b"%PDF-1.4")
    printer = QPrinter()  # outlives its dialog
    files = QFileDialog(None, "Lưu PDF", str(folder), "PDF (*.pdf)")
    for dialog in (QInputDialog(), QProgressDialog(), files, QPrintDialog(printer)):
        qtbot.addWidget(dialog)
        if isinstance(dialog, QFileDialog):
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.show()
        qtbot.wait(100)
        texts += shown_texts(dialog)
        if isinstance(dialog, QFileDialog):  # the same window to open a file
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
            qtbot.wait(100)
            texts += shown_texts(dialog)
        else:
            for button in dialog.findChildren(QPushButton):  # the print dialog's "Options >>"
                if button.text().startswith("&Tùy chọn"):
                    button.click()
                    texts += shown_texts(dialog)
        dialog.close()
    return texts


def test_qt_dialogs_buttons_and_menus_speak_vietnamese(qtbot, vietnamese, tmp_path):
    app = QApplication.instance()
    spy = QtTextSpy(vietnamese)
    app.installTranslator(spy)
    try:
        texts = (_wizard_texts(qtbot) + _message_box_texts(qtbot) + _button_box_texts(qtbot)
                 + _context_menu_texts(qtbot) + _other_dialog_texts(qtbot, tmp_path))
    finally:
        app.removeTranslator(spy)
    assert english_in(texts) == []
    same = SAME_IN_VIETNAMESE
    assert {(c, s) for c, s in spy.missing if c not in same or (same[c] is not None and s not in same[c])} == set()
