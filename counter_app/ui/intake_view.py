"""Tiếp nhận: keyboard-first intake. F2 starts a dossier; a CCCD QR scan anywhere in the view fills
the applicant; the procedure picker searches codes and names without diacritics; Ctrl+S (or Enter
on the last field) commits and opens the receipt. Refusal (Mẫu 03) and supplement request (Mẫu 02)
are one step away."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFormLayout, QGridLayout, QHBoxLayout, QHeaderView, QInputDialog,
    QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from counter_app.core.checklist import missing_documents
from counter_app.core.intake import ApplicantInput, IntakeRequest
from counter_app.core.model import ApplicantKind, Channel, DocumentKind, DocumentLine, Gender, ReturnMethod
from counter_app.core.postal import PostalIntake
from counter_app.core.prints import FormKind
from counter_app.core.text import fold
from counter_app.core.errors import ValidationError
from counter_app.core.units import search_agencies
from counter_app.ui.postal_fields import PostalFields
from counter_app.ui.common import (
    fmt_time, heading, parse_dmy, read_card, screen_layout, show_error, vnd, watch_date,
)
from counter_app.ui.i18n import tr
from counter_app.ui.operations import Op, op
from counter_app.ui.print_preview import print_form
from counter_app.ui.scanner import ScanCatcher

_KINDS = [DocumentKind.ORIGINAL, DocumentKind.CERTIFIED_COPY, DocumentKind.PHOTOCOPY]
POST_RETURN = "post"  # the return point's value for a postal return (as --return-at post)


class IntakeView(QWidget):
    saved = Signal(str)  # dossier code

    def __init__(self, core, officer, local, parent=None) -> None:
        super().__init__(parent)
        self.core, self.officer, self.local = core, officer, local
        self.procedure = None
        self.last_printed: tuple | None = None
        self.pending: Op | None = None
        self.load_procedures()
        self.catcher = ScanCatcher(self)
        self.catcher.scanned.connect(self.fill_from_qr)
        self._build()
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)

    def load_procedures(self) -> None:
        self.procedures = self.core.catalogue.procedures(include_closed=False)
        self._keys = {p.code: fold(f"{p.code} {p.local_code or ''} {p.name}") for p in self.procedures}

    def on_changes(self, changes) -> None:
        """A catalogue import or a catalogue pulled by sync is in the picker at once."""
        if changes.catalogue:
            self.load_procedures()
            if self.procedure is not None:
                self.procedure = next((p for p in self.procedures if p.code == self.procedure.code), self.procedure)
            self.filter_procedures(self.picker.text())
        if changes.context:
            self.update_summary()

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.picker = QLineEdit()
        self.picker.setPlaceholderText("Mã hoặc tên thủ tục (không cần dấu)")
        self.picker.textEdited.connect(self.filter_procedures)
        self.picker.returnPressed.connect(self.choose_procedure)
        self.picker.installEventFilter(self)  # Up/Down move in the list of matches
        self.matches = QListWidget()
        self.matches.setMaximumHeight(120)
        self.matches.itemActivated.connect(lambda item: self.choose_procedure(item))
        self.chosen = QLabel(tr("Chưa chọn thủ tục"))
        self.chosen.setWordWrap(True)
        self.chosen.setStyleSheet("font-weight: bold")
        self.name, self.id_number, self.dob = QLineEdit(), QLineEdit(), QLineEdit()
        self.dob.setPlaceholderText("DD/MM/YYYY")
        self.dob_hint = QLabel()
        watch_date(self.dob, self.dob_hint)
        self.gender = QComboBox()
        self.gender.addItems(["", Gender.MALE.value, Gender.FEMALE.value])
        self.phone, self.email, self.address = QLineEdit(), QLineEdit(), QLineEdit()
        self.kind = QComboBox()
        self.kind.addItem("Công dân", ApplicantKind.CITIZEN)
        self.kind.addItem("Tổ chức", ApplicantKind.ORGANISATION)
        self.channel = QComboBox()
        for label, value in (("Tại quầy", Channel.COUNTER), ("Bưu chính", Channel.POST), ("Trực tuyến", Channel.ONLINE)):
            self.channel.addItem(label, value)
        self.competent = QLineEdit()  # typed as on the papers: code or name, current or former
        self.competent.setPlaceholderText("Mã hoặc tên cơ quan, kể cả tên cũ (không cần dấu); trống: cơ quan của quầy")
        self.competent_hint = QLabel()
        self.competent.textEdited.connect(self.show_competent)
        self.return_at = QComboBox()  # an agency code, or POST_RETURN
        self.fill_return_points()
        self.postal_box = PostalFields()
        box = self.postal_box
        self.postal_item, self.postal_employee, self.seal_intact, self.postal_fee = (
            box.item, box.employee, box.seal_intact, box.fee)
        self.channel.currentIndexChanged.connect(
            lambda _: self.postal_box.setVisible(self.channel.currentData() == Channel.POST))
        self.return_address = QLineEdit()
        self.return_address.returnPressed.connect(self.save)  # Enter on the last field commits
        self.sets = QSpinBox()
        self.sets.setRange(1, 50)
        applicant = QFormLayout()
        for label, widget in ((tr("Họ tên"), self.name), (tr("Số định danh"), self.id_number),
                              (tr("Ngày sinh"), self.dob), (tr("Giới tính"), self.gender),
                              (tr("Điện thoại"), self.phone), (tr("Thư điện tử"), self.email),
                              (tr("Địa chỉ"), self.address), ("Đối tượng", self.kind)):
            applicant.addRow(label, widget)
            if widget is self.dob:
                applicant.addRow("", self.dob_hint)
        delivery = QFormLayout()
        for label, widget in (("Kênh nộp", self.channel), ("Số bộ hồ sơ", self.sets),
                              ("Cơ quan giải quyết", self.competent), ("", self.competent_hint),
                              ("Nơi trả kết quả", self.return_at), ("Địa chỉ nhận qua bưu chính", self.return_address)):
            delivery.addRow(label, widget)
            if widget is self.channel:
                delivery.addRow(self.postal_box)
        self.docs = QTableWidget(0, 5)
        self.docs.setHorizontalHeaderLabels(["Thành phần hồ sơ (đánh dấu: đã nộp)", "Loại", "Số lượng",
                                             "Số trang", "Khi nào nộp"])
        for column in (0, 4):
            self.docs.horizontalHeader().setSectionResizeMode(column, QHeaderView.Stretch)
        self.docs.setSelectionMode(QAbstractItemView.SingleSelection)
        self.docs.itemChanged.connect(lambda _: self.update_summary())
        add_doc = QPushButton("Thêm giấy tờ")
        add_doc.clicked.connect(lambda: self.add_document_row("", DocumentKind.ORIGINAL, 1, checked=True))
        self.due = QLabel()
        self.fees = QLabel()
        self.due.setStyleSheet("font-size: 14px; font-weight: bold; color: #0b5394")
        self.save_button = QPushButton(tr("Lưu (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.refuse_button = QPushButton(tr("Từ chối (Mẫu 03)"))
        self.refuse_button.clicked.connect(self.refuse)
        self.supplement_button = QPushButton(tr("Yêu cầu bổ sung (Mẫu 02)"))
        self.supplement_button.clicked.connect(self.request_supplement)
        new = QPushButton(tr("Hồ sơ mới (F2)"))
        new.clicked.connect(self.new_dossier)

        grid = QGridLayout()
        grid.addWidget(QLabel(tr("Thủ tục")), 0, 0)
        grid.addWidget(self.picker, 0, 1)
        grid.addWidget(self.matches, 1, 1)
        grid.addWidget(self.chosen, 2, 1)
        columns = QHBoxLayout()
        columns.addLayout(applicant, 3)
        columns.addLayout(delivery, 2)
        actions = QHBoxLayout()
        for b in (new, self.save_button, self.supplement_button, self.refuse_button):
            actions.addWidget(b)
        body = QVBoxLayout()
        body.addWidget(heading(tr("Tiếp nhận")))
        body.addLayout(grid)
        body.addLayout(columns)
        body.addWidget(QLabel(tr("Giấy tờ")))
        body.addWidget(self.docs, 1)
        body.addWidget(add_doc, alignment=Qt.AlignLeft)
        footer = QVBoxLayout()  # what the officer tells the citizen, and the buttons: never scrolled away
        footer.addWidget(self.due)
        footer.addWidget(self.fees)
        footer.addLayout(actions)
        screen_layout(self, body, footer)
        self.filter_procedures("")

    # -- procedure picker ---------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if obj is self.picker and event.type() == QEvent.KeyPress and event.key() in (
                Qt.Key_Up, Qt.Key_Down, Qt.Key_PageUp, Qt.Key_PageDown):
            step = {Qt.Key_Up: -1, Qt.Key_Down: 1, Qt.Key_PageUp: -5, Qt.Key_PageDown: 5}[event.key()]
            if self.matches.count():
                row = max(0, min(self.matches.count() - 1, self.matches.currentRow() + step))
                self.matches.setCurrentRow(row)
                self.matches.scrollToItem(self.matches.currentItem())
            return True
        return super().eventFilter(obj, event)

    def filter_procedures(self, text: str) -> None:
        """Matching procedures, the ones this desk used most recently first (so the usual one is an
        Enter away)."""
        words = fold(text).split()
        query = " ".join(words)
        self.matches.clear()
        recent = self.local.get("recent_procedures") or []
        rank = {code: i for i, code in enumerate(recent)}
        found = [p for p in self.procedures if all(w in self._keys[p.code] for w in words)]
        # Recently used first, then names that start with what was typed, then the shortest names.
        found.sort(key=lambda p: (rank.get(p.code, len(rank)), not fold(p.name).startswith(query), len(p.name)))
        for p in found[:30]:
            item = QListWidgetItem(f"{p.code}  {p.name}")
            item.setData(Qt.UserRole, p.code)
            self.matches.addItem(item)
        if self.matches.count():
            self.matches.setCurrentRow(0)

    def choose_procedure(self, item: QListWidgetItem | None = None) -> None:
        item = item if isinstance(item, QListWidgetItem) else self.matches.currentItem()
        if item is None:
            return
        code = item.data(Qt.UserRole)
        self.procedure = next(p for p in self.procedures if p.code == code)
        self.chosen.setText(f"{self.procedure.code} – {self.procedure.name}")
        self.docs.blockSignals(True)
        self.docs.setRowCount(0)
        for d in self.procedure.documents:  # only the required ones are ticked as submitted
            self.add_document_row(d.name, d.kind, d.count, checked=d.required, note=d.condition_vi)
        self.docs.blockSignals(False)
        self.update_summary()
        (self.name if not self.name.text() else self.save_button).setFocus()

    def add_document_row(self, name: str, kind: DocumentKind, count: int, *, checked: bool,
                         note: str = "") -> None:
        row = self.docs.rowCount()
        self.docs.insertRow(row)
        item = QTableWidgetItem(name)
        item.setCheckState(Qt.Checked if checked else Qt.Unchecked)
        item.setToolTip(f"{name}\n{note}" if note else name)
        self.docs.setItem(row, 0, item)
        when = QTableWidgetItem(note)  # alternative group or named case; read-only
        when.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
        when.setToolTip(note)
        self.docs.setItem(row, 4, when)
        combo = QComboBox()
        for k in _KINDS:
            combo.addItem(k.label_vi, k)
        combo.setCurrentIndex(_KINDS.index(kind))
        self.docs.setCellWidget(row, 1, combo)
        spin = QSpinBox()
        spin.setRange(1, 999)
        spin.setValue(count)
        spin.valueChanged.connect(lambda _: self.update_summary())
        self.docs.setCellWidget(row, 2, spin)
        pages = QSpinBox()
        pages.setRange(0, 9999)
        pages.setSpecialValueText("—")
        pages.valueChanged.connect(lambda _: self.update_summary())
        self.docs.setCellWidget(row, 3, pages)

    def documents(self, *, checked: bool = True) -> list[DocumentLine]:
        out = []
        for row in range(self.docs.rowCount()):
            item = self.docs.item(row, 0)
            if item is None or (item.checkState() == Qt.Checked) != checked or not item.text().strip():
                continue
            pages = self.docs.cellWidget(row, 3).value() or None
            out.append(DocumentLine(item.text(), DocumentKind(self.docs.cellWidget(row, 1).currentData()),
                                    self.docs.cellWidget(row, 2).value(), pages))
        return out

    # -- live summary -------------------------------------------------------------------------
    def update_summary(self) -> None:
        p = self.procedure
        if p is None:
            self.due.setText("")
            self.fees.setText("")
            return
        if p.working_days is None:
            self.due.setText("Thủ tục chưa có thời hạn giải quyết trong danh mục.")
        else:
            due = self.core.ctx.calendar.due_at(self.core.clock.now(), p.working_days)
            self.due.setText(f"{tr('Hẹn trả')}: {fmt_time(due)}")
        try:
            from counter_app.core.intake import compute_fees

            lines = compute_fees(p, self.documents(), self.core.clock.now().date(), self.core.ctx, ())
            self.fees.setText(f"{tr('Phí, lệ phí')}: {vnd(sum(f.amount_vnd for f in lines))}")
        except Exception as exc:  # e.g. pages still to enter for a certified copy
            self.fees.setText(f"{tr('Phí, lệ phí')}: {getattr(exc, 'message', exc)}")

    # -- scanner --------------------------------------------------------------------------------
    def fill_from_qr(self, text: str) -> None:
        card = read_card(self, text)
        if card is None:
            return
        self.name.setText(card.full_name)
        self.id_number.setText(card.id_number)
        self.dob.setText(card.date_of_birth.strftime("%d/%m/%Y") if card.date_of_birth else "")
        self.gender.setCurrentText(card.gender.value if card.gender else "")
        self.address.setText(card.address)
        self.focus_next_empty()

    def focus_next_empty(self) -> None:
        """After a scan: the next thing the officer must fill. The procedure box only while no
        procedure is chosen (an Enter there would otherwise switch the procedure silently)."""
        if self.procedure is None:
            self.picker.setFocus()
        elif self.docs.rowCount():
            self.docs.setFocus()
            self.docs.setCurrentCell(0, 0)
        else:
            self.save_button.setFocus()

    # -- commands -----------------------------------------------------------------------------
    def has_draft(self) -> bool:
        """Something typed or chosen that a new dossier would throw away."""
        typed = any(w.text().strip() for w in (self.name, self.id_number, self.dob, self.phone, self.email,
                                                 self.address, self.return_address, self.competent))
        return typed or self.procedure is not None

    def new_dossier(self) -> None:
        for w in (self.name, self.id_number, self.dob, self.phone, self.email, self.address, self.return_address,
                  self.competent):
            w.clear()
        self.competent_hint.clear()
        self.gender.setCurrentIndex(0)
        self.sets.setValue(1)
        self.fill_return_points()  # an agency added since the last dossier is offered at once
        self.postal_box.clear()
        self.procedure = None
        self.chosen.setText(tr("Chưa chọn thủ tục"))
        self.docs.setRowCount(0)
        self.picker.clear()
        self.filter_procedures("")
        self.update_summary()
        self.picker.setFocus()

    def fill_return_points(self) -> None:
        """This counter first (the usual answer), then every agency the counter knows by its
        current name, then the public postal service."""
        ctx = self.core.ctx
        self.return_at.clear()
        self.return_at.addItem(f"Tại quầy này – {ctx.settings.agency.name}", ctx.settings.agency.code)
        for agency in ctx.served_agencies:
            self.return_at.addItem(f"Tại quầy {agency.name} ({agency.code})", agency.code)
        self.return_at.addItem("Qua dịch vụ bưu chính công ích", POST_RETURN)

    def competent_matches(self) -> list:
        """Agencies the typed text names: the exact one if any, else every partial match."""
        ctx, text = self.core.ctx, self.competent.text()
        try:
            exact = ctx.find_agency(text)
        except ValidationError:  # a name two agencies share: the hint lists them, intake will ask for the code
            exact = None
        return [(exact, None)] if exact else search_agencies(text, ctx.agencies, ctx.agency_aliases)

    def competent_code(self) -> str | None:
        """The one agency the text names; otherwise the text itself, for intake to refuse with its reason."""
        if not self.competent.text().strip():
            return None
        matches = self.competent_matches()
        return matches[0][0].code if len(matches) == 1 else self.competent.text()

    def show_competent(self) -> None:
        """Which agency the typed text means, by its current name (what the papers will say)."""
        if not self.competent.text().strip():
            self.competent_hint.clear()
            return
        matches = self.competent_matches()
        self.competent_hint.setText("Không tìm thấy cơ quan." if not matches else "; ".join(
            f"→ {a.name} ({a.code})" + (f", trước đây: {old.former_name}" if old else "")
            for a, old in matches[:4]))

    def postal(self) -> PostalIntake | None:
        if self.channel.currentData() != Channel.POST:
            return None
        return self.postal_box.value()

    def request(self) -> IntakeRequest:
        gender = {"Nam": Gender.MALE, "Nữ": Gender.FEMALE}.get(self.gender.currentText())
        at = self.return_at.currentData()
        applicant = ApplicantInput(
            full_name=self.name.text(), kind=ApplicantKind(self.kind.currentData()),
            id_number=self.id_number.text() or None,
            date_of_birth=parse_dmy(self.dob.text()), gender=gender, phone=self.phone.text() or None,
            email=self.email.text() or None, address=self.address.text() or None)
        return IntakeRequest(
            procedure_code=self.procedure.code if self.procedure else "", applicant=applicant,
            officer=self.officer.full_name, operator=self.officer.organisation, documents=self.documents(),
            channel=Channel(self.channel.currentData()),
            return_method=ReturnMethod.POST if at == POST_RETURN else ReturnMethod.COUNTER,
            return_agency=None if at == POST_RETURN else at,
            competent_agency=self.competent_code(),
            return_address=self.return_address.text() or None,
            sets=self.sets.value(), postal=self.postal())

    def remember(self, code: str) -> None:
        recent = [code] + [c for c in (self.local.get("recent_procedures") or []) if c != code]
        self.local.set("recent_procedures", recent[:20])

    def _require_procedure(self) -> bool:
        if self.procedure is None:
            show_error(self, ValueError("Chưa chọn thủ tục."))
            self.picker.setFocus()
            return False
        return True

    def _commit(self, write, form: FormKind) -> Op | None:
        """Run one committing step off the GUI thread, then print its form (only after the
        commit) and start afresh. The draft stays on screen if the commit fails."""
        try:
            request = self.request()
        except Exception as exc:
            show_error(self, exc)
            return None

        def committed(dossier) -> None:
            self.remember(dossier.procedure_code)
            self.saved.emit(dossier.code)
            print_form(self, self.core, self.officer, self.local, dossier.code, form)
            self.new_dossier()

        if self.pending is not None and not self.pending.done:
            return None  # a second Ctrl+S while the first commit runs must not commit twice
        self.pending = op(self, lambda: write(request)).success(committed).run()
        return self.pending

    def save(self) -> Op | None:
        if not self._require_procedure():
            return None
        return self._commit(self.core.intake.receive, FormKind.RECEIPT)

    def refuse(self) -> Op | None:
        if not self._require_procedure():
            return None
        reason, ok = QInputDialog.getMultiLineText(self, "Từ chối tiếp nhận", "Lý do từ chối:")
        if not ok:
            return None
        return self._commit(lambda request: self.core.intake.refuse(request, reason), FormKind.REFUSAL)

    def request_supplement(self) -> Op | None:
        """The dossier is recorded with what was brought, and what is missing becomes the numbered
        list of Mẫu 02 (``core.checklist.missing_documents``)."""
        if not self._require_procedure():
            return None
        missing = missing_documents(self.procedure, [d.name for d in self.documents()],
                                    [d.name for d in self.documents(checked=False)])
        reason, ok = QInputDialog.getMultiLineText(self, "Yêu cầu bổ sung", "Lý do:", "Hồ sơ chưa đầy đủ thành phần.")
        if not ok:
            return None

        def write(request):
            dossier = self.core.intake.receive(request)
            return self.core.actions.request_supplement(dossier.code, self.officer.full_name, reason, missing)

        return self._commit(write, FormKind.SUPPLEMENT)
