"""A dossier in full: fields, documents, fees, history, the legal actions its status allows, and
every form it can print (reprints included)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout,
)

from counter_app.core.cccd import mask_id
from counter_app.core.errors import ValidationError
from counter_app.core.formats import parse_datetime
from counter_app.core.lifecycle import Action, Status, allowed_actions, event_label_vi
from counter_app.core.prints import FormKind, check_printable
from counter_app.ui.common import fmt_short, fmt_time, show_error, vnd
from counter_app.ui.print_preview import print_form

FORM_LABELS = {FormKind.RECEIPT: "Giấy tiếp nhận (Mẫu 01)", FormKind.SUPPLEMENT: "Phiếu bổ sung (Mẫu 02)",
               FormKind.REFUSAL: "Phiếu từ chối (Mẫu 03)", FormKind.APOLOGY: "Văn bản xin lỗi (Mẫu 04)",
               FormKind.STOP: "Thông báo dừng", FormKind.CONTROL: "Phiếu kiểm soát",
               FormKind.STAMPS: "lời chứng (chứng thực)", FormKind.CERT_RECEIPT: "Biên nhận chứng thực"}


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
        history = QTableWidget(len(d.events), 4)
        history.setHorizontalHeaderLabels(["Thời điểm", "Việc", "Cán bộ", "Chi tiết"])
        history.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        for row, e in enumerate(d.events):
            detail = e.payload.get("reason") or e.payload.get("form") or ""
            for col, text in enumerate((fmt_short(e.at), event_label_vi(e.kind), e.officer, str(detail))):
                history.setItem(row, col, QTableWidgetItem(text))
        self.layout_.addWidget(history)
        self.action_buttons: dict[Action, QPushButton] = {}
        actions = QHBoxLayout()
        for action in allowed_actions(status):
            button = QPushButton(action.label_vi.capitalize())
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
            void.clicked.connect(self.void_number)
            self.layout_.addWidget(void)

    def void_number(self) -> None:
        cert = self.core.certification.get(self.code)
        live = [i.number for i in cert.items if i.number and not i.void]
        if not live:
            return
        number, ok = QInputDialog.getInt(self, "Hủy số chứng thực", "Số chứng thực cần hủy:", live[0], min(live),
                                         max(live))
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, "Hủy số chứng thực", "Lý do hủy:")
        if not ok:
            return
        try:
            self.core.certification.void(self.code, number, reason, self.officer.full_name)
        except Exception as exc:
            show_error(self, exc)
            return
        self.changed.emit(self.code)
        self.refresh()

    def print(self, form: FormKind) -> None:
        if print_form(self, self.core, self.officer, self.local, self.code, form):
            self.refresh()

    def perform(self, action: Action) -> None:
        act, who, code = self.core.actions, self.officer.full_name, self.code
        try:
            if action is Action.FORWARD:
                act.forward(code, who)
            elif action is Action.RESULT_READY:
                act.result_ready(code, who)
            elif action is Action.SUPPLIED:
                act.supplied(code, who)
            elif action is Action.RETURN:
                act.return_result(code, who, receiver_name=self.dossier.applicant.full_name)
            elif action is Action.WITHDRAW:
                act.withdraw(code, who, self.ask("Lý do rút hồ sơ (có thể bỏ trống):", required=False))
            elif action is Action.RESCHEDULE:
                text = self.ask("Ngày giờ hẹn mới (DD/MM/YYYY HH:MM):")
                reason = self.ask("Lý do xin lỗi, hẹn lại:")
                act.reschedule(code, who, parse_datetime(text), reason)
            elif action is Action.REQUEST_SUPPLEMENT:
                reason = self.ask("Lý do yêu cầu bổ sung:")
                items = self.ask("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ):", required=False)
                act.request_supplement(code, who, reason, [x for x in items.splitlines() if x.strip()])
            elif action is Action.STOP:
                act.stop(code, who, self.ask("Lý do dừng xử lý:"))
        except _Cancelled:
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.changed.emit(code)
        self.refresh()
        follow_up = {Action.REQUEST_SUPPLEMENT: FormKind.SUPPLEMENT, Action.RESCHEDULE: FormKind.APOLOGY,
                     Action.STOP: FormKind.STOP}.get(action)
        if follow_up is not None and follow_up in self.print_buttons:
            self.print(follow_up)

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
