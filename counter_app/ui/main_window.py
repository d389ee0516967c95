"""The counter's main window: navigation, the screens (Alt+1 … Alt+9), status bar, F2 and Ctrl+L."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox, QPushButton, QStackedWidget, QWidget,
)

from counter_app.core.calendar import TZ
from counter_app.core.errors import CounterError
from counter_app.ui.about import AboutDialog
from counter_app.ui.update_notice import UpdateNotice
from counter_app.ui.certify_view import CertificationView
from counter_app.ui.detail_view import DossierDialog
from counter_app.ui.handover_view import HandoverView
from counter_app.ui.holder_view import HolderPanel, HolderRunner
from counter_app.ui.i18n import tr
from counter_app.ui.intake_view import IntakeView
from counter_app.ui.local_settings import LocalSettings
from counter_app.ui.login import LoginDialog
from counter_app.ui.names import main_title
from counter_app.ui.officers_view import OfficersPanel
from counter_app.ui.register_view import RegisterView
from counter_app.ui.report_view import ReportView
from counter_app.ui.return_view import ReturnView
from counter_app.ui.search_view import SearchView
from counter_app.ui.settings_view import SettingsView
from counter_app.ui.sync_view import OutboxView, SyncBridge, status_text
from counter_app.ui.operations import ChangeBridge, Op, op, runner

log = logging.getLogger("counter_app.ui")

SCREENS = ("Tiếp nhận", "Trả kết quả", "Tra cứu", "Sổ theo dõi", "Cài đặt", "Đồng bộ", "Chứng thực", "Bàn giao",
           "Báo cáo")


class MainWindow(QMainWindow):
    def __init__(self, core, officer) -> None:
        super().__init__()
        self.core, self.officer = core, officer
        self.local = LocalSettings(core.data_dir)
        self.changes = ChangeBridge(core.changes, self)
        self.last_dialog = None
        agency = core.ctx.settings.agency
        self.setWindowTitle(main_title(agency.name))
        self.intake = IntakeView(core, officer, self.local)
        self.returns = ReturnView(core, officer)
        self.search = SearchView(core)
        self.register = RegisterView(core)
        self.accounts = OfficersPanel(core, officer)  # an officer's Cài đặt is only their own password
        self.settings = SettingsView(core, self.local) if officer.is_admin else self.accounts
        self.sync = SyncBridge(core, self)
        self.outbox = OutboxView(core, self.sync, admin=officer.is_admin)
        self.certify = CertificationView(core, officer, self.local)
        self.handover = HandoverView(core, officer, self.local)
        self.transfers = self.handover.transfers  # paper files to other agencies: a tab of Bàn giao
        self.reports = ReportView(core)  # read-only figures: every officer, not only an administrator
        self.holder = HolderRunner(core)
        self.changes.changed.connect(self.on_changes)
        if officer.is_admin:  # enrollment with the provincial server and the register holder live in Cài đặt
            self.holder_panel = HolderPanel(core, self.local, self.holder)
            for panel in (self.accounts, self.outbox.enrollment, self.holder_panel):
                self.settings.add_panel(panel)
            self.settings.restored.connect(self.after_restore)
        if self.local.get("holder_serve") and not core.ctx.settings.register_holder:
            try:  # this desk serves the office's certification registers while its window is open
                self.holder.start(int(self.local.get("holder_port") or 8765))
            except (OSError, CounterError):
                self.statusBar().showMessage("Không mở được cổng cấp số chứng thực (máy giữ sổ): xem Cài đặt.", 30_000)
        self.nav = QListWidget()
        self.nav.addItems([f"{tr(name)}  (Alt+{i})" for i, name in enumerate(SCREENS, 1)])
        self.nav.setFixedWidth(190)
        self.stack = QStackedWidget()
        for view in (self.intake, self.returns, self.search, self.register, self.settings, self.outbox,
                     self.certify, self.handover, self.reports):
            self.stack.addWidget(view)
        self.nav.currentRowChanged.connect(self.show_screen)
        central = QWidget()
        row = QHBoxLayout(central)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.search.open_dossier.connect(self.open_dossier)
        self.intake.saved.connect(lambda code: self.statusBar().showMessage(f"Đã lưu hồ sơ {code}", 8000))
        self.reports.exported.connect(lambda message: self.statusBar().showMessage(message, 8000))
        self.returns.returned.connect(lambda code: self.statusBar().showMessage(f"Đã trả kết quả {code}", 8000))
        # Housekeeping when the counter is quiet: 15 s after the last commit, and every 5 minutes.
        self._maintaining = False
        self.quiet = QTimer(self, singleShot=True, interval=15_000)
        self.quiet.timeout.connect(self.maintain)
        self.periodic = QTimer(self, interval=300_000)
        self.periodic.timeout.connect(self.maintain)
        self.periodic.start()
        self._status_bar()
        QShortcut(QKeySequence("F1"), self, activated=self.show_about)
        # Sync: at start, on its timer, shortly after every local commit, and on F5 / "Đồng bộ ngay".
        self.sync.report.connect(self.on_sync_report)
        self.sync.start()
        QShortcut(QKeySequence("F5"), self, activated=self.outbox.sync_now)
        QShortcut(QKeySequence("F3"), self, activated=self.new_certification)
        # A desk that draws numbers from the office's register holder: at start and every minute,
        # number the requests saved while the holder was away and confirm any left unconfirmed.
        self.cert_retry = QTimer(self, interval=60_000)
        self.cert_retry.timeout.connect(self.retry_certification_numbers)
        if core.ctx.settings.register_holder:
            self.cert_retry.start()
            QTimer.singleShot(2_000, self.retry_certification_numbers)
        self.serial_scanner = None
        self.start_serial_scanner()
        if isinstance(self.settings, SettingsView):
            self.settings.machine_saved.connect(self.start_serial_scanner)
        QShortcut(QKeySequence("F2"), self, activated=self.new_intake)
        QShortcut(QKeySequence("Ctrl+L"), self, activated=self.lock)
        for i in range(len(SCREENS)):
            QShortcut(QKeySequence(f"Alt+{i + 1}"), self, activated=lambda i=i: self.nav.setCurrentRow(i))
        self.nav.setCurrentRow(0)
        self.resize(1280, 760)

    def show_about(self) -> AboutDialog:
        self.last_dialog = dialog = AboutDialog(self.core.data_dir, self)
        dialog.open()
        return dialog

    def _status_bar(self) -> None:
        bar = self.statusBar()
        s = self.core.ctx.settings
        self.officer_label = QLabel(f"{tr('Cán bộ')}: {self.officer.full_name}")
        self.desk_label = QLabel(f"{tr('Quầy')} {s.desk} – {s.agency.code}")
        self.clock_label = QLabel()
        self.sync_label = QLabel()
        self.update_sync_label()
        self.late_label = QLabel()  # paper files past their one working day: seen from every screen
        self.late_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.update_late_label()
        self.periodic.timeout.connect(self.update_late_label)
        self.update_notice = UpdateNotice(self)
        self.update_notice.install_requested.connect(self.close)
        # About sits in the status bar rather than a menu bar, which would take a row from every
        # screen at 1366×768 for a single entry.
        self.about_button = QPushButton("?")
        self.about_button.setFlat(True)
        self.about_button.setToolTip("Giới thiệu phần mềm (F1)")
        self.about_button.setFixedWidth(24)
        self.about_button.clicked.connect(self.show_about)
        for w in (self.update_notice.button, self.late_label, self.officer_label, self.desk_label, self.sync_label,
                  self.clock_label, self.about_button):
            bar.addPermanentWidget(w)
        self._tick()
        self.clock = QTimer(self, interval=1000)
        self.clock.timeout.connect(self._tick)
        self.clock.start()

    def update_sync_label(self, report=None) -> None:
        report = report or self.sync.last_report
        text = status_text(self.sync.snapshot(), report.online if report else None,
                           report.error_kind if report else None, report.error_reason if report else None)
        if report and report.clock_warning:
            text += " · ⚠ lệch giờ"
            self.sync_label.setToolTip(report.clock_warning)
        self.sync_label.setText(text)

    def update_late_label(self) -> Op:
        """Off the GUI thread: it follows every commit, and at a regional counter with thousands of
        files waiting it takes tens of milliseconds (docs/benchmarks.md, regional counter)."""
        return op(self, lambda cancel: len(self.core.transfers.late())).success(self._show_late).run()

    def _show_late(self, late: int) -> None:
        self.late_label.setText(f"⚠ {late} hồ sơ giấy quá hạn bàn giao (Alt+8)" if late else "")
        self.late_label.setVisible(bool(late))

    def on_changes(self, changes) -> None:
        """The one change signal: each view refreshes what it shows."""
        if changes.dossiers or changes.outbox:
            self.sync.nudge()  # a local commit: sync soon
            self.quiet.start()
            self.update_sync_label()
        self.intake.on_changes(changes)
        self.outbox.on_changes(changes)
        self.accounts.on_changes(changes)
        self.transfers.on_changes(changes)
        if changes.dossiers or changes.context:
            self.update_late_label()
        if changes.context:
            self.register.fill_agencies()
            self.reports.fill_agencies()
        if changes.dossiers and self.stack.currentWidget() is self.search:
            self.search.refresh()
        if changes.settings:
            self.desk_label.setText(f"{tr('Quầy')} {self.core.ctx.settings.desk} – {self.core.ctx.settings.agency.code}")
            self._schedule_certification_retry()

    def on_sync_report(self, report) -> None:
        self.sync.last_report = report
        self.update_sync_label(report)
        self.update_notice.refresh(report)
        if report.clock_warning:
            self.statusBar().showMessage(report.clock_warning, 30_000)

    def _tick(self) -> None:
        self.clock_label.setText(datetime.now(TZ).strftime("%H:%M:%S %d/%m/%Y"))

    def show_screen(self, row: int) -> None:
        """Alt+N: the screen, with the focus where its work starts. A draft on the screen left
        behind is kept as it is (the screens live on), so switching needs no confirmation."""
        self.stack.setCurrentIndex(row)
        if row == 2:
            self.search.refresh()
        elif row == 5:
            self.outbox.refresh()
        elif row == 7:
            self.handover.refresh()
        start = {0: self.intake.picker if self.intake.procedure is None else self.intake.name,
                 1: self.returns.code, 2: self.search.box, 3: self.register.first, 5: self.outbox.sync_button,
                 6: self.certify.name, 7: self.handover.tabs, 8: self.reports.first}.get(row)
        if start is not None:
            start.setFocus()
            if row == 1:
                self.returns.code.selectAll()

    def start_serial_scanner(self) -> None:
        """A scanner on a serial (virtual COM) port, if this machine has one: each QR it reads goes
        to the screen on show, as a wedge scanner's would."""
        from counter_app.ui.scanner import SerialScanner

        if self.serial_scanner is not None:
            self.serial_scanner.stop()
            self.serial_scanner = None
        port = self.local.get("scanner_port")
        if not port:
            return
        scanner = SerialScanner(port, int(self.local.get("scanner_baud") or 9600), self)
        try:
            scanner.start()
        except Exception as exc:  # unplugged or wrong port: the keyboard scanner still works
            log.warning("serial scanner not opened: %s", type(exc).__name__)
            self.statusBar().showMessage(f"Không mở được cổng máy quét {port}: kiểm tra cáp và Cài đặt.", 30_000)
            return
        scanner.scanned.connect(self.route_scan)
        scanner.failed.connect(lambda message: self.statusBar().showMessage(message, 30_000))
        self.serial_scanner = scanner

    def route_scan(self, text: str) -> None:
        view = self.stack.currentWidget()
        if view is self.returns:
            self.returns.code.setText(text.strip())
            self.returns.load()
        elif hasattr(view, "fill_from_qr"):
            view.fill_from_qr(text)

    def confirm_discard(self, what: str) -> bool:
        answer = QMessageBox.question(self, "Bỏ phần đang nhập?", f"{what} đang nhập dở sẽ bị bỏ. Tiếp tục?",
                                      QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return answer == QMessageBox.Yes

    def new_intake(self) -> None:
        self.nav.setCurrentRow(0)
        if self.intake.has_draft() and not self.confirm_discard("Hồ sơ"):
            return
        self.intake.new_dossier()

    def _schedule_certification_retry(self) -> None:
        if self.core.ctx.settings.register_holder:
            if not self.cert_retry.isActive():
                self.cert_retry.start()
        else:
            self.cert_retry.stop()

    def retry_certification_numbers(self):
        """Off the GUI thread; a holder that is still away just means "try again later"."""
        if not self.core.ctx.settings.register_holder:
            return None
        officer = self.officer.full_name

        def work() -> None:
            self.core.certification.assign_pending(officer)
            self.core.certification.confirm_pending()

        def failed(exc: BaseException) -> None:  # the requests stay queued and visible as "chờ cấp số"
            log.info("certification numbers still waiting: %s", exc)

        return op(None, work).failure(failed).run()

    def new_certification(self) -> None:
        self.nav.setCurrentRow(6)
        if self.certify.has_draft() and not self.confirm_discard("Yêu cầu chứng thực"):
            return
        self.certify.new_request()

    def open_dossier(self, code: str) -> DossierDialog:
        dialog = DossierDialog(self.core, self.officer, self.local, code, self)
        self.last_dialog = dialog
        dialog.finished.connect(self._after_dossier)
        dialog.open()
        return dialog

    def _after_dossier(self, _result: int) -> None:
        """Back to the search box, its text selected: the next search and Enter must not reopen
        (or print) the dossier just closed."""
        if self.stack.currentWidget() is self.search:
            self.search.box.setFocus()
            self.search.box.selectAll()

    def maintain(self):
        """Runs off the GUI thread; skipped if the previous run has not finished."""
        if self._maintaining:
            return None
        self._maintaining = True

        def finished(_=None) -> None:
            self._maintaining = False

        def failed(exc: BaseException) -> None:
            finished()
            log.warning("idle maintenance failed", exc_info=(type(exc), exc, exc.__traceback__))

        return op(None, self.core.idle_maintenance).success(finished).failure(failed).run()

    def after_restore(self, _result: dict) -> None:
        """The store under this window was replaced by a backup: close, so nothing keeps working on
        what the window had loaded (drafts were of the old store)."""
        self.closing_confirmed = True
        self.statusBar().showMessage("Đã khôi phục từ bản sao lưu; mở lại phần mềm để làm việc tiếp.")
        QTimer.singleShot(0, self.close)

    def lock(self) -> None:
        """Hide the work behind a password prompt; nothing pending is touched."""
        self.centralWidget().setVisible(False)
        dialog = LoginDialog(self.core.officers, self, locked_for=self.officer)
        self.last_dialog = dialog
        dialog.setWindowModality(Qt.WindowModal)
        dialog.accepted.connect(lambda: self.centralWidget().setVisible(True))
        dialog.open()

    def _install_failed(self) -> None:
        self.closing_confirmed = False  # the officer is back at work: a later close asks about drafts again
        self.sync.start()

    def drafts(self) -> list[str]:
        return [name for name, view in (("một hồ sơ tiếp nhận", self.intake), ("một yêu cầu chứng thực", self.certify))
                if view.has_draft()]

    def closeEvent(self, event) -> None:
        drafts = self.drafts()
        if drafts and not getattr(self, "closing_confirmed", False):
            answer = QMessageBox.question(
                self, "Đóng phần mềm?", f"Đang nhập dở {' và '.join(drafts)} (chưa lưu). Đóng và bỏ phần này?",
                QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
            if answer != QMessageBox.Yes:
                event.ignore()
                return
            self.closing_confirmed = True
        runner().wait_idle()  # a commit under way finishes; nothing half-written is left
        self.sync.stop()  # the queue stays as it is; the next start sends it
        if self.update_notice.install_at_close and self.update_notice.plan is None:
            event.ignore()  # closes once the installer has run; stays open if it failed
            self.update_notice.install(then=self.close, failed_then=self._install_failed)
            return
        self.changes.close()
        self.holder.stop()
        if self.serial_scanner is not None:
            self.serial_scanner.stop()
        for timer in (self.quiet, self.periodic, self.clock, self.cert_retry):
            timer.stop()
        super().closeEvent(event)
