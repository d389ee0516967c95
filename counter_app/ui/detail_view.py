"""A dossier in full: fields, documents, fees, history, the legal actions its status allows, and
every form it can print (reprints included)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QMessageBox, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout,
)

from counter_app.core.cccd import mask_id
from counter_app.core.errors import ValidationError
from counter_app.core.formats import parse_datetime
from counter_app.core.lifecycle import POSTAL_ACTIONS, Action, Status, allowed_actions, event_label_vi
from counter_app.core.prints import FormKind, check_printable
from counter_app.ui.common import fmt_short, fmt_time, show_error, vnd
from counter_app.ui.names import event_detail
from counter_app.ui.operations import Op, op
from counter_app.ui.print_preview import print_form

FORM_LABELS = {FormKind.RECEIPT: "Giấy tiếp nhận (Mẫu 01)", FormKind.SUPPLEMENT: "Phiếu bổ sung (Mẫu 02)",
               FormKind.REFUSAL: "Phiếu từ chối (Mẫu 03)", FormKind.APOLOGY: "Văn bản xin lỗi (Mẫu 04)",
               FormKind.STOP: "Thông báo dừng", FormKind.CONTROL: "Phiếu kiểm soát",
               FormKind.STAMPS: "lời chứng (chứng thực)", FormKind.CERT_RECEIPT: "Biên nhận chứng thực",
               FormKind.TRANSFER: "Giấy bàn giao hồ sơ"}


class DossierDialog(QDialog):
    changed = Signal(str)

    def __init__(self, core, officer, local, code: str, parent=None) -> None:
        super().__init__(parent)
        self.core, self.officer, self.local, self.code = core, officer, local, code
        self.last_printed: tuple | None = None
        self.resize(860, 680)
        self.layout_ = QVBoxLayout(self)
        self.refresh()

    def refresh(self) -> None:
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
            elif item.layout():
                _clear(item.layout())
        d = self.dossier = self.core.queries.get(self.code)
        status = Status(d.status)
        self.setWindowTitle(f"Hồ sơ {d.code}")
        form = QFormLayout()
        a = d.applicant
        for label, value in (("Mã hồ sơ", d.code), ("Trạng thái", f"{status.label_vi} ({status.national_code})"),
                             ("Thủ tục", f"{d.procedure_code} – {d.procedure_name}"),
                             ("Người nộp", f"{a.full_name}  {mask_id(a.id_number)}"),
                             ("Điện thoại / địa chỉ", f"{a.phone or ''}  {a.address or ''}"),
                             ("Tiếp nhận", fmt_time(d.received_at)), ("Hẹn trả", fmt_time(d.due_at)),
                             ("Phí, lệ phí", vnd(d.total_fee_vnd)),
                             ("Giấy tờ", "; ".join(f"{x.name} ({x.count})" for x in d.documents))):
            value_label = QLabel(value)
            value_label.setWordWrap(True)
            form.addRow(label, value_label)
        self.layout_.addLayout(form)
        self.flag_labels = []
        for flag in self.core.flags.for_dossier(d.code):  # the province's review, shown until resolved
            label = QLabel(("<b>CẦN KIỂM TRA:</b> " if flag.open else "Đã kiểm tra: ") + flag.text_vi())
            label.setWordWrap(True)
            label.setStyleSheet("color:#b00020" if flag.open else "color:#555")
            self.flag_labels.append(label)
            self.layout_.addWidget(label)
        history = QTableWidget(len(d.events), 4)
        history.setHorizontalHeaderLabels(["Thời điểm", "Việc", "Cán bộ", "Chi tiết"])
        history.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        form_set = self.core.ctx.settings.forms.form_set
        for row, e in enumerate(d.events):
            detail = event_detail(e.kind, e.payload or {}, e.status_after, form_set)
            for col, text in enumerate((fmt_short(e.at), event_label_vi(e.kind), e.officer, detail)):
                history.setItem(row, col, QTableWidgetItem(text))
        history.resizeColumnsToContents()  # full times and names; the detail takes the rest
        history.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.layout_.addWidget(history)
        self.action_buttons: dict[Action, QPushButton] = {}
        actions = QHBoxLayout()
        for action in allowed_actions(status):
            if action in POSTAL_ACTIONS:
                continue
            button = QPushButton(action.label_vi.capitalize())
            button.setAutoDefault(False)  # Enter never performs a legal action; Esc closes
            button.clicked.connect(lambda _=False, a=action: self.perform(a))
            self.action_buttons[action] = button
            actions.addWidget(button)
        self.layout_.addLayout(actions)
        self.print_buttons: dict[FormKind, QPushButton] = {}
        prints = QHBoxLayout()
        for form_kind in FormKind:
            try:
                check_printable(form_kind, d)
            except ValidationError:
                continue
            button = QPushButton("In " + FORM_LABELS[form_kind])
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, f=form_kind: self.print(f))
            self.print_buttons[form_kind] = button
            prints.addWidget(button)
        self.layout_.addLayout(prints)
        if FormKind.STAMPS in self.print_buttons:  # a certification request: its numbers, and voiding one
            cert = self.core.certification.get(self.code)
            lines = [f"{i.position}. {i.document}: {i.pages} trang × {i.copies} bản – "
                     + ("ĐÃ HỦY" if i.void else f"số {i.number:02d}, quyển {i.book}-{cert.register_type}"
                        if i.number else "chờ cấp số") for i in cert.items]
            self.layout_.addWidget(QLabel("\n".join(lines)))
            void = QPushButton("Hủy một số chứng thực…")
            void.setAutoDefault(False)
            void.clicked.connect(self.void_number)
            self.layout_.addWidget(void)

    def void_number(self) -> Op | None:
        cert = self.core.certification.get(self.code)
        live = [i.number for i in cert.items if i.number and not i.void]
        if not live:
            return None
        number, ok = QInputDialog.getInt(self, "Hủy số chứng thực", "Số chứng thực cần hủy:", live[0], min(live),
                                         max(live))
        if not ok:
            return None
        reason, ok = QInputDialog.getText(self, "Hủy số chứng thực", "Lý do hủy:")
        if not ok:
            return None
        # The register holder may be another desk: the void waits on the network, off the GUI thread.
        return op(self, lambda: self.core.certification.void(self.code, number, reason, self.officer.full_name),
                  busy=[self]).success(lambda _: self._done()).run()

    def print(self, form: FormKind) -> Op:
        return print_form(self, self.core, self.officer, self.local, self.code, form, then=self._printed)

    def _printed(self, printed: bool) -> None:
        if printed:
            self.refresh()

    def confirm(self, action: Action) -> None:
        """Forwarding, returning, stopping and withdrawing change what the citizen is told: ask first."""
        questions = {
            Action.FORWARD: "Chuyển hồ sơ {code} sang giải quyết?",
            Action.RETURN: "Ghi nhận đã trả kết quả hồ sơ {code} cho {name}?",
            Action.STOP: "Dừng giải quyết hồ sơ {code}?",
            Action.WITHDRAW: "Ghi nhận công dân rút hồ sơ {code}?",
        }
        if action not in questions:
            return
        text = questions[action].format(code=self.code, name=self.dossier.applicant.full_name)
        answer = QMessageBox.question(self, self.windowTitle(), text, QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            raise _Cancelled

    def ask_new_due(self) -> datetime:
        """The new appointment, checked as soon as it is typed (before the reason is asked)."""
        text = ""
        while True:
            text, ok = QInputDialog.getText(self, self.windowTitle(), "Ngày giờ hẹn mới (DD/MM/YYYY HH:MM):", text=text)
            if not ok:
                raise _Cancelled
            try:
                return parse_datetime(text)
            except ValidationError as exc:
                show_error(self, exc)

    def _action_call(self, action: Action):
        """Ask what the action needs (on the GUI thread), then return the service call to run."""
        self.confirm(action)
        act, who, code = self.core.actions, self.officer.full_name, self.code
        if action is Action.FORWARD:
            return lambda: act.forward(code, who)
        if action is Action.RESULT_READY:
            return lambda: act.result_ready(code, who)
        if action is Action.SUPPLIED:
            return lambda: act.supplied(code, who)
        if action is Action.RETURN:
            receiver = self.dossier.applicant.full_name
            elsewhere = act.return_point_elsewhere(code)
            reason = None if elsewhere is None else self.ask(
                f"Quầy này không phải nơi trả đã chọn ({elsewhere}). Lý do trả kết quả tại quầy này:")
            return lambda: act.return_result(code, who, receiver_name=receiver, reason=reason)
        if action is Action.WITHDRAW:
            reason = self.ask("Lý do rút hồ sơ (có thể bỏ trống):", required=False)
            return lambda: act.withdraw(code, who, reason)
        if action is Action.RESCHEDULE:
            new_due = self.ask_new_due()
            reason = self.ask("Lý do xin lỗi, hẹn lại:")
            return lambda: act.reschedule(code, who, new_due, reason)
        if action is Action.REQUEST_SUPPLEMENT:
            reason = self.ask("Lý do yêu cầu bổ sung:")
            items = self.ask("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ):", required=False)
            return lambda: act.request_supplement(code, who, reason, [x for x in items.splitlines() if x.strip()])
        reason = self.ask("Lý do dừng xử lý:")
        return lambda: act.stop(code, who, reason)

    def perform(self, action: Action) -> Op | None:
        try:
            call = self._action_call(action)
        except _Cancelled:
            return None
        except Exception as exc:
            show_error(self, exc)
            return None

        def done(_) -> None:
            self._done()
            follow_up = {Action.REQUEST_SUPPLEMENT: FormKind.SUPPLEMENT, Action.RESCHEDULE: FormKind.APOLOGY,
                         Action.STOP: FormKind.STOP}.get(action)
            if follow_up is not None and follow_up in self.print_buttons:
                self.print(follow_up)

        return op(self, call, busy=[self]).success(done).run()

    def _done(self) -> None:
        self.changed.emit(self.code)
        self.refresh()

    def ask(self, prompt: str, *, required: bool = True) -> str:
        text, ok = QInputDialog.getMultiLineText(self, self.windowTitle(), prompt)
        if not ok or (required and not text.strip()):
            raise _Cancelled
        return text


class _Cancelled(Exception):
    pass


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget():
            item.widget().deleteLater()
