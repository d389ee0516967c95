"""Cài đặt (administrators): the office's header lines and form set, office hours and cut-off,
calendar overrides, receipt paper, printer and print mode, catalogue import."""

from __future__ import annotations

from dataclasses import replace

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QTimeEdit,
    QVBoxLayout, QWidget,
)

from counter_app.core.settings import FORM_SETS, RECEIPT_LAYOUTS
from counter_app.ui.common import heading, show_error
from counter_app.ui.i18n import tr
from counter_app.ui.local_settings import LocalSettings
from counter_app.ui.operations import Op, op


def parse_stamp_geometry(text: str, stamps):
    """"3x8, 70x37 mm, lề 0/0.5 mm, vị trí 110/25 mm" → StampSettings; a clear error otherwise."""
    import re
    from dataclasses import replace as _replace

    from counter_app.core.errors import ValidationError

    numbers = [float(x.replace(",", ".")) for x in re.findall(r"\d+(?:[.,]\d+)?", text)]
    if len(numbers) != 8 or numbers[0] < 1 or numbers[1] < 1 or any(n > 400 for n in numbers):
        raise ValidationError("Tờ nhãn phải có dạng «3x8, 70x37 mm, lề 0/0.5 mm, vị trí 110/25 mm».",
                              "bad stamp geometry")
    cols, rows, w, h, ml, mt, ox, oy = numbers
    return _replace(stamps, columns=int(cols), rows=int(rows), label_width_mm=w, label_height_mm=h,
                    margin_left_mm=ml, margin_top_mm=mt, overlay_x_mm=ox, overlay_y_mm=oy)


class SettingsView(QWidget):
    def __init__(self, core, local: LocalSettings, parent=None) -> None:
        super().__init__(parent)
        self.core, self.local = core, local
        s = core.ctx.settings
        f = s.forms
        self.header_lines = QLineEdit(" | ".join(f.header_lines))
        self.unit_name, self.place = QLineEdit(f.unit_name), QLineEdit(f.place_name)
        self.result_place, self.contact = QLineEdit(f.result_place), QLineEdit(f.contact)
        self.lookup_url, self.head_title = QLineEdit(f.lookup_url), QLineEdit(f.head_title)
        self.form_set, self.layout_choice = QComboBox(), QComboBox()
        self.form_set.addItems(FORM_SETS)
        self.form_set.setCurrentText(f.form_set)
        self.layout_choice.addItems(RECEIPT_LAYOUTS)
        self.layout_choice.setCurrentText(f.receipt_layout)
        h = s.hours
        self.hours = [QTimeEdit(t) for t in (h.morning_start, h.morning_end, h.afternoon_start, h.afternoon_end)]
        self.cutoff = QTimeEdit(h.cutoff)
        self.max_reschedules = QSpinBox()
        self.max_reschedules.setRange(0, 5)
        self.max_reschedules.setValue(s.max_reschedules)
        self.print_mode = QComboBox()
        self.print_mode.addItem("Xem trước rồi in", "preview")
        self.print_mode.addItem("In ngay", "direct")
        self.print_mode.setCurrentIndex(0 if local.get("print_mode") != "direct" else 1)
        self.print_to_file = QLineEdit(local.get("print_to_file"))
        self.print_to_file.setPlaceholderText("(để trống: in ra máy in) thư mục lưu bản in PDF")
        st = s.stamps
        self.stamp_layout = QComboBox()
        self.stamp_layout.addItem("Nhãn trên tờ nhãn", "labels")
        self.stamp_layout.addItem("In thẳng lên bản sao", "overlay")
        self.stamp_layout.setCurrentIndex(0 if st.layout == "labels" else 1)
        self.stamp_geometry = QLineEdit(f"{st.columns}x{st.rows}, {st.label_width_mm:g}x{st.label_height_mm:g} mm, "
                                        f"lề {st.margin_left_mm:g}/{st.margin_top_mm:g} mm, "
                                        f"vị trí {st.overlay_x_mm:g}/{st.overlay_y_mm:g} mm")
        self.stamp_geometry.setToolTip("cột x hàng, rộng x cao nhãn, lề trái/trên, vị trí lời chứng trên bản sao "
                                       "(cách mép trái/dưới)")
        self.cert_book_size = QSpinBox()
        self.cert_book_size.setRange(0, 100_000)
        self.cert_book_size.setValue(s.cert_book_size)
        self.cert_documents = QLineEdit(" | ".join(s.cert_documents))
        self.cert_documents.setPlaceholderText("(để trống: danh sách chung) Giấy khai sinh | Căn cước | …")
        self.status = QLabel()
        form = QFormLayout()
        hours = QHBoxLayout()
        for w in self.hours:
            hours.addWidget(w)
        for label, widget in (("Dòng tên cơ quan (ngăn bằng |)", self.header_lines), ("Tên bộ phận", self.unit_name),
                              ("Địa danh", self.place), ("Nơi trả kết quả", self.result_place),
                              ("Liên hệ (Mẫu 02)", self.contact), ("Người ký văn bản", self.head_title),
                              ("Địa chỉ tra cứu trong QR", self.lookup_url), ("Bộ biểu mẫu", self.form_set),
                              ("Khổ giấy hẹn", self.layout_choice), ("Giờ làm việc", hours), ("Giờ chốt", self.cutoff),
                              ("Số lần hẹn lại tối đa", self.max_reschedules), ("Chế độ in", self.print_mode),
                              ("In ra tệp", self.print_to_file), ("Lời chứng", self.stamp_layout),
                              ("Tờ nhãn / vị trí", self.stamp_geometry),
                              ("Số chứng thực mỗi quyển (0: cả năm)", self.cert_book_size),
                              ("Giấy tờ gợi ý (chứng thực)", self.cert_documents)):
            form.addRow(label, widget)
        save = QPushButton("Lưu cài đặt")
        save.clicked.connect(self.save)
        calendar = QPushButton("Nhập lịch điều chỉnh (JSON/CSV)…")
        calendar.clicked.connect(self.import_calendar)
        catalogue = QPushButton("Nhập danh mục thủ tục (JSON)…")
        catalogue.clicked.connect(self.import_catalogue)
        buttons = QHBoxLayout()
        for b in (save, calendar, catalogue):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(tr("Cài đặt")))
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch()

    def save(self) -> Op | None:
        from counter_app.core.calendar import OfficeHours

        s = self.core.ctx.settings
        try:
            times = [w.time().toPython() for w in self.hours]
            hours = OfficeHours(*times, cutoff=self.cutoff.time().toPython())
            forms = replace(s.forms, header_lines=tuple(x.strip() for x in self.header_lines.text().split("|")
                                                        if x.strip()),
                            unit_name=self.unit_name.text().strip(), place_name=self.place.text().strip(),
                            result_place=self.result_place.text().strip(), contact=self.contact.text().strip(),
                            head_title=self.head_title.text().strip(), lookup_url=self.lookup_url.text().strip(),
                            form_set=self.form_set.currentText(), receipt_layout=self.layout_choice.currentText())
            settings = replace(
                s, hours=hours, forms=forms, max_reschedules=self.max_reschedules.value(),
                stamps=parse_stamp_geometry(self.stamp_geometry.text(), replace(
                    s.stamps, layout=self.stamp_layout.currentData())),
                cert_book_size=self.cert_book_size.value(),
                cert_documents=tuple(x.strip() for x in self.cert_documents.text().split("|") if x.strip()))
        except Exception as exc:
            show_error(self, exc)
            return None
        self.local.set("print_mode", self.print_mode.currentData())
        self.local.set("print_to_file", self.print_to_file.text().strip())
        return op(self, lambda: self.core.setup.save_settings(settings)) \
            .success(lambda _: self.status.setText("Đã lưu cài đặt.")).run()

    def import_calendar(self, path: str | None = None) -> Op | None:
        from counter_app.core.admin import parse_overrides

        path = path or QFileDialog.getOpenFileName(self, "Lịch điều chỉnh", "", "*.json *.csv")[0]
        if not path:
            return None

        def work() -> int:
            text = Path(path).read_text("utf-8")
            overrides = parse_overrides(text, "csv" if path.lower().endswith(".csv") else "json")
            self.core.calendar_admin.replace_overrides(overrides)
            return len(overrides)

        return op(self, work).success(lambda n: self.status.setText(f"Đã nhập {n} ngày điều chỉnh.")).run()

    def import_catalogue(self, path: str | None = None) -> Op | None:
        from counter_app.app import load_json
        from counter_app.core.catalogue import parse_catalogue

        path = path or QFileDialog.getOpenFileName(self, "Danh mục thủ tục", "", "*.json")[0]
        if not path:
            return None

        def work():
            return self.core.catalogue.import_procedures(parse_catalogue(load_json(Path(path))))

        return op(self, work, label="Đang nhập danh mục…").success(
            lambda r: self.status.setText(f"Danh mục: thêm {len(r.added)}, cập nhật {len(r.updated)}.")).run()
