"""Sync in the window: the bridge that runs ``SyncScheduler`` and hands reports to the GUI thread,
the status-bar text, and the "Đồng bộ" screen (the outbox by state, reasons, retry, sync now).
Nothing here can delete or clear a queued event."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from counter_app.core.lifecycle import event_label_vi
from counter_app.core.outbox import LISTED_STATES, NEEDS_ATTENTION, OutboxStatus, state_label
from counter_app.ui.common import heading, screen_layout
from counter_app.ui.i18n import tr
from counter_app.ui.operations import Op, op



DEVICE_STATES = {"device_revoked": "Thiết bị đã bị tỉnh thu hồi (hàng chờ vẫn giữ)",
                 "device_suspended": "Thiết bị đang bị tỉnh tạm ngừng (hàng chờ vẫn giữ)"}


def _hhmm(iso_text: str | None) -> str:
    if not iso_text:
        return "chưa có"
    return datetime.fromisoformat(iso_text).strftime("%H:%M %d/%m")


def status_text(status: OutboxStatus, online: bool | None, error_kind: str | None = None,
                error_reason: str | None = None) -> str:
    """"Trực tuyến · 12 chờ gửi · 1 lỗi · đồng bộ 10:15 29/11" — short enough for the status bar."""
    if not status.enrolled:
        return f"{tr('Đồng bộ')}: chưa đăng ký máy chủ tỉnh"
    if error_reason in DEVICE_STATES:
        link = DEVICE_STATES[error_reason]
    elif error_kind == "locked":
        link = "Cửa sổ khác đang đồng bộ"
    elif error_kind == "auth":
        link = "Cần đăng ký lại"
    elif error_kind == "version":
        link = "Cần cập nhật phần mềm"
    else:
        link = "Trực tuyến" if online else ("Ngoại tuyến" if online is False else "Đang kiểm tra")
    return f"{link} · {status.pending} chờ gửi · {status.failed} lỗi · đồng bộ {_hhmm(status.last_success)}"


class SyncBridge(QObject):
    """Owns the engine and scheduler of the open data directory (if it is enrolled)."""

    report = Signal(object)

    def __init__(self, core, parent=None) -> None:
        super().__init__(parent)
        self.core = core
        self.engine = None
        self.scheduler = None
        self.last_report = None

    @property
    def enrolled(self) -> bool:
        return self.core.outbox.identity() is not None

    def start(self, *, interval: float | None = None) -> bool:
        from counter_app.sync.scheduler import INTERVAL_S, SyncScheduler

        self.stop()
        self.engine = self.core.sync_engine()
        if self.engine is None:
            return False
        self.scheduler = SyncScheduler(self.engine.run_once, self._from_worker, interval=interval or INTERVAL_S)
        self.scheduler.start()
        return True

    def _from_worker(self, report) -> None:
        self.report.emit(report)  # queued to the GUI thread

    def nudge(self) -> None:
        if self.scheduler:
            self.scheduler.nudge()

    def sync_now(self) -> None:
        if self.scheduler:
            self.scheduler.sync_now()

    def stop(self) -> None:
        if self.scheduler:
            self.scheduler.stop()
            self.scheduler = None
        if self.engine:
            self.engine.close()
            self.engine = None

    def snapshot(self) -> OutboxStatus:
        return self.core.outbox.status()


class OutboxView(QWidget):
    """"Đồng bộ": the queue as staff see it. It also builds the enrollment box that Cài đặt shows."""

    COLUMNS = ("Số TT", "Mã hồ sơ", "Sự kiện", "Thời điểm", "Trạng thái", "Lần gửi", "Lý do / lỗi")

    def __init__(self, core, bridge: SyncBridge, *, admin: bool, parent=None) -> None:
        super().__init__(parent)
        self.core, self.bridge, self.admin = core, bridge, admin
        self.summary = QLabel()
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.warning = QLabel()
        self.warning.setStyleSheet("color: #a40000; font-weight: bold")
        self.warning.setWordWrap(True)
        self.state = QComboBox()
        self.state.addItem("Cần chú ý (lỗi, chờ gửi)", NEEDS_ATTENTION)
        for key in LISTED_STATES:
            self.state.addItem(state_label(key), (key,))
        self.state.currentIndexChanged.connect(self.refresh)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.sync_button = QPushButton("Đồng bộ ngay (F5)")
        self.sync_button.clicked.connect(self.sync_now)
        self.retry_button = QPushButton("Gửi lại mục bị từ chối đã chọn")
        self.retry_button.clicked.connect(self.retry_selected)
        self.retry_all = QPushButton("Gửi lại tất cả mục bị từ chối")
        self.retry_all.clicked.connect(lambda: self.retry(None))
        buttons = QHBoxLayout()
        for w in (QLabel("Hiển thị:"), self.state, self.sync_button, self.retry_button, self.retry_all):
            buttons.addWidget(w)
        buttons.addStretch()
        layout = QVBoxLayout()
        layout.addWidget(heading(tr("Đồng bộ")))
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        screen_layout(self, layout)
        self.enrollment = self._enrollment_box()  # shown in Cài đặt (the main window moves it there)
        bridge.report.connect(self.on_report)
        self.refresh()

    def _enrollment_box(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        self.server_url = QLineEdit()
        self.server_url.setPlaceholderText("https://dongbo.tinh.gov.vn")
        self.enroll_code = QLineEdit()
        self.enroll_code.setPlaceholderText("mã 12 ký tự do quản trị tỉnh cấp, dùng một lần")
        self.enroll_button = QPushButton("Đăng ký thiết bị với máy chủ tỉnh")
        self.enroll_button.clicked.connect(self.enroll)
        self.enroll_status = QLabel()
        form.addRow(heading("Máy chủ tỉnh"))
        form.addRow("Địa chỉ máy chủ", self.server_url)
        form.addRow("Mã đăng ký", self.enroll_code)
        form.addRow(self.enroll_button, self.enroll_status)
        box.setVisible(self.admin)  # only administrators join a counter to the province
        return box

    # -- actions ------------------------------------------------------------------------------
    def sync_now(self) -> None:
        if not self.bridge.scheduler:
            self.warning.setText("Quầy chưa đăng ký với máy chủ tỉnh; hồ sơ vẫn được lưu và chờ gửi.")
            return
        self.summary.setText(self.summary.text() + " · đang đồng bộ…")
        self.bridge.sync_now()

    def retry_selected(self) -> None:
        seqs = sorted({int(self.table.item(i.row(), 0).text()) for i in self.table.selectedIndexes()})
        if seqs:
            self.retry(seqs)

    def retry(self, seqs: list[int] | None) -> Op:
        def retried(_n: int) -> None:
            self.refresh()
            self.bridge.sync_now()

        return op(self, lambda: self.core.outbox.retry(seqs)).success(retried).run()

    def enroll(self) -> Op:
        """The server may be slow or silent: the exchange runs off the GUI thread."""
        url, code = self.server_url.text(), self.enroll_code.text()

        def enrolled(out: dict) -> None:
            self.enroll_code.clear()
            self.enroll_status.setText(f"Đã đăng ký: thiết bị {out['device_id']}, dãy mã {out['device_slot']:02d}.")
            self.bridge.start()
            self.refresh()

        self.enroll_status.setText("Đang đăng ký với máy chủ tỉnh…")
        return op(self, lambda: self.core.enrollment.enroll(url, code), busy=[self.enroll_button]) \
            .success(enrolled).failure(self._enroll_failed).run()

    def _enroll_failed(self, exc: BaseException) -> None:
        from counter_app.ui.operations import report_error

        self.enroll_status.setText("Chưa đăng ký được.")
        report_error(self, exc)

    # -- display ------------------------------------------------------------------------------
    def on_report(self, report) -> None:
        self.refresh(report)

    def on_changes(self, changes) -> None:
        if changes.outbox and self.isVisible():
            self.refresh()

    def refresh(self, report=None) -> None:
        status = self.bridge.snapshot()
        report = report or self.bridge.last_report
        online = report.online if report else None
        self.summary.setText(status_text(status, online, report.error_kind if report else None,
                                         report.error_reason if report else None)
                             + (f" · máy chủ {status.server_url}" if status.server_url else ""))
        problems = []
        if report and report.clock_warning:
            problems.append(report.clock_warning)
        if report and report.error and report.error_kind != "retryable":
            problems.append(report.error)
        if status.counts.get("waiting"):
            problems.append(f"{status.counts['waiting']} sự kiện chờ sau một sự kiện bị từ chối của cùng hồ sơ.")
        self.warning.setText("\n".join(problems))
        items = self.core.outbox.items(self.state.currentData(), limit=500)
        self.table.setRowCount(len(items))
        for r, item in enumerate(items):
            values = (str(item.device_seq), item.dossier_code, event_label_vi(item.kind),
                      item.at.strftime("%d/%m/%Y %H:%M"), state_label(item.state),
                      str(item.attempts), item.reason or item.last_error or "")
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
