""""Có bản cập nhật …": the status-bar notice, the dialog with the release notes, and the install
when the officer agrees or at close, never in the middle of an intake.

The download itself happens in the sync thread (a little each run); this module only shows what
is ready. Installing closes the window: the drafts check comes first, the sync thread stops, then
``UpdateService`` verifies, flushes the queue if it can, backs the store up and runs the installer;
after the window has closed and the store is shut, ``app_main`` starts the new version.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QMessageBox, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from counter_app import __version__
from counter_app.ui.operations import op, report_error

log = logging.getLogger(__name__)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


class UpdateDialog(QDialog):
    NOW, AT_CLOSE = 1, 2

    def __init__(self, offer, state, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Có bản cập nhật {offer.version}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        ready = state is not None and state.state == "ready"
        where = ("Đã tải về và kiểm tra chữ ký của tỉnh." if ready else
                 f"Đang tải về: {state.percent if state else 0}% của {_mb(offer.size)}.")
        self.summary = QLabel(f"Phiên bản đang dùng: <b>{__version__}</b>. Bản mới: <b>{offer.version}</b> "
                              f"({_mb(offer.size)}). {where}<br><i>Cài ngay</i>: phần mềm đóng lại, sao lưu dữ liệu, cài "
                              "rồi tự mở bản mới. <i>Cài khi đóng chương trình</i>: cài lúc đóng phần mềm cuối buổi. "
                              "Hồ sơ chờ gửi luôn được giữ nguyên.")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel("Nội dung bản cập nhật:"))
        self.notes = QPlainTextEdit(offer.notes or "(không có ghi chú)")
        self.notes.setReadOnly(True)
        layout.addWidget(self.notes, 1)
        buttons = QDialogButtonBox()
        self.now = buttons.addButton("Cài ngay", QDialogButtonBox.AcceptRole)
        self.at_close = buttons.addButton("Cài khi đóng chương trình", QDialogButtonBox.AcceptRole)
        self.later = buttons.addButton("Để sau", QDialogButtonBox.RejectRole)
        self.now.setEnabled(ready)
        self.at_close.setEnabled(ready)
        self.now.clicked.connect(lambda: self.done(self.NOW))
        self.at_close.clicked.connect(lambda: self.done(self.AT_CLOSE))
        self.later.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.later.setFocus()


class UpdateNotice(QObject):
    """Owned by the main window; ``button`` sits in its status bar."""

    install_requested = Signal()  # "Cài ngay" with nothing in progress: the window closes to install

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.updates = window.core.updates
        self.install_at_close = False
        self.relaunch = False  # "Cài ngay": the new version opens after the install
        self.plan = None  # set once the installer ran: app_main starts the new version after the close
        self.button = QPushButton()
        self.button.setFlat(True)
        self.button.setStyleSheet("color: #0b5394; font-weight: bold;")
        self.button.clicked.connect(self.show_dialog)
        self.button.hide()
        self.dialog: UpdateDialog | None = None
        self.min_version: str | None = None  # the server's floor, when this version is below it
        self.refresh()

    def refresh(self, report=None) -> None:
        if report is not None:
            self.min_version = report.min_version  # a 426 names it; any other answer clears it
            if report.release_download is None and report.release_offer is None and not report.min_version:
                return  # this run said nothing about releases: what is shown stays right
        try:
            state = self.updates.status()  # None without a valid offer
        except Exception:  # a notice must never take the window down; support finds it in the log
            log.warning("update notice could not read the offer", exc_info=True)
            state = None
        if state is None or state.state == "refused":
            self.button.setText(f"⚠ Cần cập nhật lên {self.min_version}" if self.min_version else "")
            self.button.setVisible(bool(self.min_version))
            return
        if state.state == "ready":
            text = f"Có bản cập nhật {state.version}" + (" – sẽ cài khi đóng" if self.install_at_close else "")
        else:
            text = f"Đang tải bản cập nhật {state.version} ({state.percent}%)"
        self.button.setText(text)
        self.button.show()

    def show_dialog(self) -> UpdateDialog | None:
        offer = self.updates.offer()
        if offer is None:
            if self.min_version:
                self._tell("Cần cập nhật phần mềm", self.how_to_update())
            return None
        self.dialog = dialog = UpdateDialog(offer, self.updates.status(), self.window)
        dialog.finished.connect(self._chosen)
        dialog.open()
        return dialog

    def _tell(self, title: str, text: str) -> QMessageBox:
        """Window-modal, without a nested event loop: the counter's timers and sync reports go on."""
        self.message = box = QMessageBox(QMessageBox.Information, title, text, QMessageBox.Ok, self.window)
        box.open()
        return box

    def how_to_update(self) -> str:
        return (f"Phần mềm quầy đang ở phiên bản {__version__}, thấp hơn phiên bản tối thiểu {self.min_version} "
                "mà máy chủ tỉnh chấp nhận. Quầy vẫn tiếp nhận và trả kết quả bình thường; mọi hồ sơ chờ gửi được "
                "giữ nguyên và sẽ gửi sau khi cập nhật.\n\nTỉnh chưa gửi bản cài cho máy này qua đồng bộ (hoặc bản "
                "gửi về không đúng chữ ký). Hãy liên hệ bộ phận công nghệ thông tin của tỉnh để nhận bộ cài "
                f"phiên bản {self.min_version} trở lên (Windows: counter-app-<phiên bản>-setup.exe; Linux: "
                "counter-app_<phiên bản>_amd64.deb) và chạy nó trên máy này; dữ liệu quầy không bị ảnh hưởng.")

    def _chosen(self, choice: int) -> None:
        if choice == UpdateDialog.AT_CLOSE:
            self.install_at_close = True
        elif choice == UpdateDialog.NOW:
            self.install_at_close = self.relaunch = True
            if self.window.drafts():
                self._tell("Cài bản cập nhật", "Đang nhập dở hồ sơ nên chưa cài ngay. Bản cập nhật sẽ được cài khi "
                                               "đóng chương trình.")
            else:
                self.install_requested.emit()
        self.refresh()

    def install(self, then, failed_then) -> None:
        """Verify, back up and run the installer off the GUI thread; ``then()`` on success (the
        window finishes closing). On failure the window stays open on the running version and
        ``failed_then()`` (the sync restarts)."""
        def work():
            plan = self.updates.prepare_install(relaunch=self.relaunch)
            self.updates.run_installer(plan)
            return plan

        def done(plan) -> None:
            self.plan = plan
            then()

        def failed(exc: BaseException) -> None:
            self.install_at_close = False
            self.refresh()
            failed_then()
            report_error(self.window, exc)

        op(self.window, work, label="Đang chuẩn bị cài bản cập nhật (kiểm tra, sao lưu)…") \
            .success(done).failure(failed).run()
