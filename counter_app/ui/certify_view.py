"""Chứng thực: the bulk certified-copy desk. One applicant (CCCD scan or typed), then a grid of
originals: name (autocomplete), pages of the original, copies; fees per row and the total update
as you type. Enter moves along the row and opens the next one; Ctrl+Enter finishes: commit and,
for same-day work, the chosen signer's signature, then the stamps (and, if wanted, the receipt)
print. Requests left for the signer wait in "Chờ ký"."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QCompleter, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
    QTableWidget, QVBoxLayout, QWidget,
)

from counter_app.core.certification import COMMON_DOCUMENTS, MAX_EXTENSION_DAYS, CertItemInput, CertKind
from counter_app.core.prints import FormKind
from counter_app.ui.cert_signing import AwaitingSignatureDialog, SignerPicker
from counter_app.ui.common import heading, read_card, screen_layout, show_error, vnd
from counter_app.ui.i18n import tr
from counter_app.ui.operations import Op, op
from counter_app.ui.print_preview import print_form
from counter_app.ui.scanner import ScanCatcher

COLUMNS = ("Tên giấy tờ (bản chính)", "Số trang", "Số bản", "Phí (đồng)")


class _RowKeys(QObject):
    """Enter in a row's field moves to the next field; from the last one it opens a new row."""

    def __init__(self, view: CertificationView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.KeyPress and event.key() in (Qt.Key_Return, Qt.Key_Enter) \
                and not event.modifiers() & Qt.ControlModifier:
            # Enter in the name's completion list belongs to the name: accept the suggestion the
            # officer moved to (or keep what was typed) and go on to the pages, as without the list.
            self.view.advance(self.view.popups.get(obj, obj))
            return True
        return False


class CertificationView(QWidget):
    certified = Signal(str)  # dossier code

    def __init__(self, core, officer, local, parent=None) -> None:
        super().__init__(parent)
        self.core, self.officer, self.local = core, officer, local
        self.rows: list[tuple[QLineEdit, QSpinBox, QSpinBox]] = []
        self.popups: dict[QObject, QLineEdit] = {}  # a completion list → its name field
        self.pending: Op | None = None
        self.last_printed: tuple | None = None  # (code, form, printed), set by print_form
        self.keys = _RowKeys(self)
        self.kind = QComboBox()
        for kind in CertKind:
            self.kind.addItem(kind.label_vi, kind)
        self.kind.currentIndexChanged.connect(self.update_fees)
        self.name, self.id_number = QLineEdit(), QLineEdit()
        self.name.setPlaceholderText("Quét mã QR căn cước hoặc gõ họ tên")
        self.id_number.setPlaceholderText("Số định danh (không bắt buộc)")
        self.return_now = QCheckBox("Trả ngay (tiếp nhận và trả kết quả một bước)")
        self.return_now.setChecked(local.get("cert_return_now") is not False)
        self.receipt = QCheckBox("In biên nhận")
        self.signer = SignerPicker(core, local)
        self.exempt = QLineEdit()
        self.exempt.setPlaceholderText("Lý do miễn phí (để trống nếu thu phí)")
        self.exempt.textChanged.connect(self.update_fees)
        self.extend = QSpinBox()
        self.extend.setRange(0, MAX_EXTENSION_DAYS)
        self.extend_reason = QLineEdit()
        self.extend_reason.setPlaceholderText("Lý do gia hạn (bắt buộc khi gia hạn)")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, 420)
        self.table.verticalHeader().setVisible(True)
        self.total = QLabel()
        self.total.setStyleSheet("font-size: 15px; font-weight: bold")
        self.result = QLabel()
        self.result.setWordWrap(True)
        finish = QPushButton("Hoàn tất (Ctrl+Enter)")
        finish.clicked.connect(self.finish)
        clear = QPushButton("Lượt mới (F3)")
        clear.clicked.connect(self.new_request)
        closing = QPushButton("Chốt sổ trong ngày…")
        closing.clicked.connect(self.daily_closing)
        awaiting = QPushButton("Chờ ký…")
        awaiting.clicked.connect(self.awaiting_signature)
        form = QFormLayout()
        form.addRow("Loại việc", self.kind)
        form.addRow("Người yêu cầu", self.name)
        form.addRow("Số định danh", self.id_number)
        ext = QHBoxLayout()
        ext.addWidget(self.extend)
        ext.addWidget(self.extend_reason, 1)
        form.addRow("Gia hạn (ngày làm việc)", ext)
        form.addRow("Miễn phí", self.exempt)
        form.addRow("Người ký chứng thực", self.signer)
        options = QHBoxLayout()
        for w in (self.return_now, self.receipt):
            options.addWidget(w)
        options.addStretch()
        options.addWidget(awaiting)
        options.addWidget(closing)
        options.addWidget(clear)
        options.addWidget(finish)
        body = QVBoxLayout()
        body.addWidget(heading(tr("Chứng thực bản sao, chữ ký")))
        body.addLayout(form)
        body.addWidget(self.table, 1)
        footer = QVBoxLayout()  # the total and the buttons stay on screen however long the grid
        footer.addWidget(self.total)
        footer.addLayout(options)
        footer.addWidget(self.result)
        screen_layout(self, body, footer)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, activated=self.finish, context=Qt.WidgetWithChildrenShortcut)
        for w in (self.name, self.id_number):
            w.installEventFilter(self.keys)
        self.catcher = ScanCatcher(self)
        self.catcher.scanned.connect(self.fill_from_qr)
        self.new_request()

    # -- the grid -------------------------------------------------------------------------------
    def documents_list(self) -> list[str]:
        return list(self.core.ctx.settings.cert_documents or COMMON_DOCUMENTS)

    def add_row(self) -> QLineEdit:
        r = self.table.rowCount()
        self.table.insertRow(r)
        name = QLineEdit()
        completer = QCompleter(self.documents_list(), name)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        completer.setFilterMode(Qt.MatchContains)
        name.setCompleter(completer)
        completer.popup().installEventFilter(self.keys)  # after QCompleter's own filter: runs first
        self.popups[completer.popup()] = name
        pages, copies = QSpinBox(), QSpinBox()
        pages.setRange(1, 10_000)
        copies.setRange(1, 1_000)
        for col, w in enumerate((name, pages, copies)):
            self.table.setCellWidget(r, col, w)
            w.installEventFilter(self.keys)
        fee = QLabel()
        fee.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.table.setCellWidget(r, 3, fee)
        name.textChanged.connect(self.update_fees)
        pages.valueChanged.connect(self.update_fees)
        copies.valueChanged.connect(self.update_fees)
        self.rows.append((name, pages, copies))
        return name

    def advance(self, widget) -> None:
        """Enter: applicant fields → first row; name → pages → copies → next row (opened if needed)."""
        if widget in (self.name, self.id_number):
            (self.id_number if widget is self.name else self.rows[0][0]).setFocus()
            return
        if isinstance(widget, QSpinBox):
            widget.interpretText()
            self.update_fees()
        for i, (name, pages, copies) in enumerate(self.rows):
            if widget is name:
                popup = name.completer().popup() if name.completer() else None
                if popup is not None and popup.isVisible():
                    chosen = popup.currentIndex()  # only a suggestion the officer moved to with the arrows
                    if chosen.isValid():
                        name.setText(chosen.data())
                    popup.hide()
                pages.setFocus()
                pages.selectAll()
            elif widget is pages:
                copies.setFocus()
                copies.selectAll()
            elif widget is copies:
                if i + 1 < len(self.rows):
                    self.rows[i + 1][0].setFocus()
                elif name.text().strip():
                    self.add_row().setFocus()
            else:
                continue
            return

    def items(self) -> list[CertItemInput]:
        return [CertItemInput(name.text(), pages.value(), copies.value())
                for name, pages, copies in self.rows if name.text().strip()]

    def update_fees(self, *_args) -> None:
        kind = CertKind(self.kind.currentData())  # Qt hands a str enum back as a plain str
        day = self.core.clock.now().date()
        exempt = bool(self.exempt.text().strip())
        total, count, copies = 0, 0, 0
        for r, (name, pages, n) in enumerate(self.rows):
            label = self.table.cellWidget(r, 3)
            if not name.text().strip():
                label.setText("")
                continue
            try:
                fee = self.core.certification.quote(kind, [CertItemInput(name.text(), pages.value(), n.value())],
                                                    day, exempt)[0]
            except Exception as exc:
                label.setText(getattr(exc, "message", str(exc)))
                continue
            label.setText(f"{fee:,}".replace(",", "."))
            total, count, copies = total + fee, count + 1, copies + n.value()
        self.total.setText(f"Tổng: {count} giấy tờ, {copies} bản – {vnd(total)}")

    # -- scanner and commands -------------------------------------------------------------------
    def fill_from_qr(self, text: str) -> None:
        card = read_card(self, text)
        if card is None:
            return
        self.name.setText(card.full_name)
        self.id_number.setText(card.id_number)
        self.scanned_qr = text
        empty = next((name for name, _, _ in self.rows if not name.text().strip()), None)
        (empty or self.add_row()).setFocus()  # the next document to enter, never a filled row

    def has_draft(self) -> bool:
        return bool(self.name.text().strip() or self.id_number.text().strip()
                    or any(name.text().strip() for name, _, _ in self.rows))

    def new_request(self) -> None:
        self.name.clear()
        self.id_number.clear()
        self.exempt.clear()
        self.extend.setValue(0)
        self.extend_reason.clear()
        self.scanned_qr = None
        self.table.setRowCount(0)
        self.rows = []
        self.popups = {}
        self.add_row()
        self.update_fees()
        self.signer.refresh()  # the office may have changed its signers, or the day turned
        self.name.setFocus()

    def request(self):
        from counter_app.core.certify import CertRequest
        from counter_app.core.intake import ApplicantInput

        return CertRequest(
            applicant=ApplicantInput(full_name=self.name.text(), id_number=self.id_number.text().strip() or None),
            cccd_qr=self.scanned_qr, items=tuple(self.items()), officer=self.officer.full_name,
            kind=CertKind(self.kind.currentData()), exemption_reason=self.exempt.text() or None,
            extension_days=self.extend.value(), extension_reason=self.extend_reason.text() or None,
            # An extended request is signed on a later day; copies go back only once signed.
            signer=None if self.extend.value() else self.signer.signer(),
            return_now=self.return_now.isChecked() and not self.extend.value() and bool(self.signer.currentData()))

    def finish(self, request=None) -> Op | None:
        """Commit first (the register holder may be another desk: off the GUI thread); the stamps
        are printed only from the committed numbers."""
        from counter_app.core.certify import HolderUnavailable

        if self.pending is not None and not self.pending.done:
            return None
        try:
            request = request or self.request()
        except Exception as exc:
            show_error(self, exc)
            return None

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, HolderUnavailable) or request.queue_if_unreachable:
                show_error(self, exc)
                return
            from dataclasses import replace

            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(self, "Máy giữ sổ", exc.message + "\n\nLưu yêu cầu để cấp số sau?")
            if answer == QMessageBox.Yes:
                self.pending = None
                self.finish(replace(request, queue_if_unreachable=True))

        self.pending = op(self, lambda: self.core.certification.certify(request)) \
            .success(self._certified).failure(failed).run()
        return self.pending

    def _certified(self, result) -> None:
        _dossier, cert = result
        self.local.set("cert_return_now", self.return_now.isChecked())
        self.certified.emit(cert.code)
        numbers = ", ".join(f"{i.number:02d}" for i in cert.items if i.number) or "chờ cấp số"
        signed = f"{cert.signer_name} ký" if cert.signed else "chờ ký"
        self.result.setText(f"Đã lưu {cert.code}: số chứng thực {numbers}, quyển "
                            f"{cert.items[0].book or '…'}-{cert.register_type}; {vnd(cert.fee_total)}; {signed}.")
        forms = ([FormKind.STAMPS] if cert.signed else []) + (
            [FormKind.CERT_RECEIPT] if self.receipt.isChecked() or not cert.signed else [])
        self._print_series(cert.code, forms)
        self.new_request()

    def _print_series(self, code: str, forms: list[FormKind]) -> None:
        """One preview after the other, as the officer hands the papers over."""
        if forms:
            print_form(self, self.core, self.officer, self.local, code, forms[0],
                       then=lambda _printed: self._print_series(code, forms[1:]))

    def awaiting_signature(self) -> AwaitingSignatureDialog:
        """The signer's tray: sign a waiting request, then its stamps print."""
        self.awaiting = AwaitingSignatureDialog(self, self.core, self.officer, self.local,
                                                lambda code: self._print_series(code, [FormKind.STAMPS]))
        self.awaiting.show()
        return self.awaiting

    def daily_closing(self) -> Op:
        """Today's closing for this officer at this desk, checked against the register; print it
        (or save the PDF) from the preview, or export the sheet."""
        from counter_app.printing.certificates import render_closing_pdf
        from counter_app.ui.print_preview import PrintPreviewDialog, pdf_images

        today = self.core.clock.now().date()
        settings, desk = self.core.ctx.settings, self.core.ctx.settings.desk

        def work():
            report = self.core.certification.closing(today, officer=self.officer.full_name, desk=desk)
            pdf = render_closing_pdf(report, settings)
            return report, pdf, pdf_images(pdf, 90)

        def show(result) -> None:
            report, pdf, pages = result
            self.result.setText(f"Chốt ngày {today:%d/%m/%Y}: {report.certifications} số chứng thực, "
                                f"{report.copies} bản, {vnd(report.fees)}, {report.voids} số hủy – "
                                + ("khớp với sổ." if report.balanced else "KHÔNG KHỚP với sổ chứng thực!"))
            self.last_closing = report
            def produce(deliver) -> bytes:  # the closing sheet is not a dossier's form: nothing to record
                deliver(pdf)
                return pdf

            dialog = PrintPreviewDialog(self, f"Chốt sổ {today:%d/%m/%Y}", pages, produce, self.local,
                                        f"chot-so-{today:%Y%m%d}")
            dialog.exec()
            dialog.deleteLater()  # a hidden dialog can stay the "active window" and swallow shortcuts

        return op(self, work).success(show).run()
