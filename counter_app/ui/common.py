"""Small widgets and helpers shared by the views."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QLayout, QMessageBox, QScrollArea, QVBoxLayout, QWidget

from counter_app.core.errors import CounterError
# Views import these names from here; they are the one formatting module's functions.
from counter_app.core.formats import fmt_datetime as fmt_short, fmt_time_long as fmt_time, parse_date, vnd  # noqa: F401
from counter_app.ui.i18n import tr

log = logging.getLogger("counter_app.ui")


def show_error(parent: QWidget, exc: BaseException) -> None:
    """Officers read the Vietnamese message; the English detail is there for support staff. Every
    error shown is logged first, with its traceback when it is not an expected refusal."""
    if isinstance(exc, CounterError):
        log.info("refused: %s (%s)", exc.message, exc.detail)
    else:
        log.error("unexpected error shown to the officer", exc_info=(type(exc), exc, exc.__traceback__))
    if isinstance(exc, CounterError):
        text = exc.message + (f"\n\n({exc.detail})" if exc.detail else "")
    else:
        text = f"Lỗi không mong đợi: {type(exc).__name__}: {exc}"
    QMessageBox.warning(parent, tr("Lỗi"), text)


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
