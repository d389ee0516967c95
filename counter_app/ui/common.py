"""Small widgets and helpers shared by the views."""

from __future__ import annotations

import logging
import traceback
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QHeaderView, QLabel, QLayout, QMessageBox, QScrollArea, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from counter_app.core.errors import CounterError
# Views import these names from here; they are the one formatting module's functions.
from counter_app.core.formats import fmt_datetime as fmt_short, fmt_time_long as fmt_time, parse_date, vnd  # noqa: F401
from counter_app.logs import redact
from counter_app.ui.i18n import tr
from counter_app.ui.names import os_error_vi

log = logging.getLogger("counter_app.ui")


def show_error(parent: QWidget, exc: BaseException) -> None:
    """Officers read the Vietnamese message; the English detail (and, for an unexpected error, the
    exception and its traceback, redacted as in the log) is behind "Chi tiết…" for support staff.
    Every error shown is logged first, with its traceback when it is not an expected refusal."""
    if isinstance(exc, CounterError):
        log.info("refused: %s (%s)", exc.message, exc.detail)
        text, detail = exc.message, exc.detail or ""
    elif isinstance(exc, OSError) and exc.errno is not None:  # a file, a folder or a port: which and why
        log.warning("file or network error shown to the officer",
                    exc_info=(type(exc), exc, exc.__traceback__))
        text = f"Không thực hiện được thao tác: {os_error_vi(exc)}."
        detail = redact(f"{type(exc).__name__}: {exc}")
    else:
        log.error("unexpected error shown to the officer", exc_info=(type(exc), exc, exc.__traceback__))
        text = ("Phần mềm gặp một lỗi không mong đợi. Thao tác vừa rồi có thể chưa hoàn tất, "
                "hãy kiểm tra lại.\nNếu lỗi lặp lại, hãy báo bộ phận hỗ trợ "
                "(bấm «Chi tiết» để xem thông tin kỹ thuật).")
        detail = redact(f"{type(exc).__name__}: {exc}\n\n"
                        + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Lỗi"), text, QMessageBox.StandardButton.Ok, parent)
    if detail:
        box.setDetailedText(detail)
    box.exec()
    box.deleteLater()


def read_card(parent: QWidget, qr_text: str):
    """The CCCD read from a scanned QR, or None after telling the officer what is wrong with it."""
    from counter_app.core.cccd import parse_qr

    try:
        return parse_qr(qr_text)
    except Exception as exc:
        show_error(parent, exc)
        return None


def parse_dmy(text: str) -> date | None:
    """The typed date, or None for an empty field (an optional date of birth)."""
    return parse_date(text) if text.strip() else None


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 15px; font-weight: bold; margin: 4px 0;")
    return label


def screen_layout(view: QWidget, body: QLayout, footer: QLayout | None = None) -> QScrollArea:
    """A screen that fits a 1366×768 (or 1280×720) counter monitor: ``body`` scrolls when the
    window is short, ``footer`` (what the officer must see and the buttons) stays on screen."""
    content = QWidget()
    content.setLayout(body)
    scroll = QScrollArea()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
    outer = QVBoxLayout(view)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll, 1)
    if footer is not None:
        bar = QWidget()
        bar.setObjectName("footer")
        bar.setLayout(footer)
        outer.addWidget(bar)
    view.body = scroll
    return scroll


def watch_date(edit, hint: QLabel) -> None:
    """Check a DD/MM/YYYY field as it is typed: once the date is complete, say at once if it does
    not exist ("31/02/1990") instead of at save time."""

    def check(text: str) -> None:
        message = ""
        if len(text.strip()) >= 8:
            try:
                parse_date(text)
            except Exception as exc:
                message = getattr(exc, "message", str(exc))
        hint.setText(message)
        hint.setVisible(bool(message))
        edit.setStyleSheet("border: 1px solid #b00020;" if message else "")

    hint.setStyleSheet("color: #b00020")
    hint.setWordWrap(True)
    hint.setVisible(False)
    edit.textChanged.connect(check)


def read_only_table(headers: list[str]) -> QTableWidget:
    """A list the officer reads and picks one row from (hand-over lists, results with the post)."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setSelectionMode(QAbstractItemView.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
