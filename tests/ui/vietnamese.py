"""Helpers of the Vietnamese tests: the English a screen must not show, every text a window shows,
and a spy on the texts Qt asks to translate."""

from __future__ import annotations

import ctypes
import re
import threading

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox, QGroupBox, QLabel, QLineEdit, QMenu,
    QMessageBox, QTabBar, QWidget,
)

from counter_app.core.lifecycle import PRINTED, Action, Status
from counter_app.core.prints import FormKind
from counter_app.core.setting_defs import SETTINGS

# Qt's English for its own buttons, menus and dialogs.
ENGLISH = ("Next", "Back", "Finish", "Cancel", "OK", "Yes", "No", "Close", "Save", "Open", "Print", "Undo",
           "Redo", "Cut", "Copy", "Paste", "Delete", "Select All", "Show Details", "Hide Details", "Help",
           "Apply", "Discard", "Step up", "Step down", "Continue", "Done", "Go Back", "Commit", "Look in",
           "File name", "Files of type", "New Folder", "Properties", "Options", "Copies", "Enter a value")
# Codes the window stores but must never show: form kinds, setting values, statuses and events.
CODES = tuple(sorted({f.value for f in FormKind} | {s.value for s in Status} | {a.value for a in Action}
                     | {PRINTED, "counter_app", "true", "false"}
                     | {v for d in SETTINGS for v, _ in d.choices if not v.isdigit()}))
_WORDS = re.compile(r"(?<![\w.])(" + "|".join(re.escape(w) for w in ENGLISH + CODES) + r")(?![\w])")


def plain(text: str) -> str:
    """A text as read on screen: the accelerator marks (&) removed, rich-text tags dropped."""
    return re.sub(r"<[^>]+>", " ", text.replace("&&", "\0").replace("&", "").replace("\0", "&"))


def english_in(texts) -> list[str]:
    return sorted({f"{t!r}: {m.group(1)}" for t in texts for m in _WORDS.finditer(plain(t))})


def shown_texts(window: QWidget) -> list[str]:
    """Every text ``window`` shows: its title, and for each visible widget in it its label,
    button text, placeholder, tooltip, list entries, table headings and cells, and menu entries."""
    texts = [window.windowTitle()]
    widgets = [window, *window.findChildren(QWidget)]
    for w in widgets:
        if w is not window and not w.isVisibleTo(window):
            continue
        texts.append(w.toolTip())
        if isinstance(w, QAbstractButton | QLabel):
            texts.append(w.text())
        if isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        if isinstance(w, QAbstractSpinBox):
            texts.append(w.text())
        if isinstance(w, QGroupBox):
            texts.append(w.title())
        if isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QTabBar):
            texts += [w.tabText(i) for i in range(w.count())]
        if isinstance(w, QMessageBox):
            texts += [w.text(), w.informativeText()]
        if isinstance(w, QMenu):
            texts += [a.text() for a in w.actions()]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            texts += item_texts(w.model())
    return [t for t in texts if t]


def item_texts(model, rows: int = 50) -> list[str]:
    """The headings and the first ``rows`` rows of a list or table."""
    from PySide6.QtCore import QModelIndex, Qt

    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list's model: one column, and PySide keeps its columnCount private
        columns = 1
    texts = [str(model.headerData(c, Qt.Horizontal) or "") for c in range(columns)]
    for r in range(min(model.rowCount(QModelIndex()), rows)):
        texts += [str(model.index(r, c).data() or "") for c in range(columns)]
    return texts


class QtTextSpy(QTranslator):
    """Installed in front of the real translators: answers as the Vietnamese ``translation`` does
    (the source text where it has none, as Qt would) and records each (context, source) Qt asked
    for that it does not have.

    PySide6 6.12 on Python 3.11 drops a reference to None each time this override is called with
    no disambiguation; each is given back (or Python aborts once None's count reaches 0)."""

    def __init__(self, translation: QTranslator) -> None:
        super().__init__()
        self.translation = translation
        self.missing: set[tuple[str, str]] = set()
        self.lock = threading.Lock()

    def translate(self, context, source, disambiguation=None, n=-1):
        if disambiguation is None:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
        translated = self.translation.translate(context, source, disambiguation, n)
        if not translated:
            with self.lock:
                self.missing.add((context, source))
        return translated or source

    def isEmpty(self) -> bool:
        return False
