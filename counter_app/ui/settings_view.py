"""Cài đặt (administrators): every row of the settings table in ``core.setting_defs`` (labels,
choices and checks come from there), office hours, the label sheet, printer and print mode,
calendar overrides and catalogue import."""

from __future__ import annotations

from dataclasses import replace

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
    QSpinBox, QTimeEdit, QVBoxLayout, QWidget,
)

from counter_app.core.setting_defs import BY_KEY, SETTINGS, SettingDef
from counter_app.core.settings import apply_setting
from counter_app.ui.common import heading, screen_layout, show_error
from counter_app.ui.i18n import tr
from counter_app.ui.local_settings import LocalSettings
from counter_app.ui.names import setting_tip
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


# Edited by their own widgets below (office hours, the label sheet) or panel (the register holder).
_OWN_WIDGETS = {"stamps.columns", "stamps.rows", "stamps.label_width_mm", "stamps.label_height_mm",
                "stamps.margin_left_mm", "stamps.margin_top_mm", "stamps.overlay_x_mm", "stamps.overlay_y_mm",
                "register_holder"}


def setting_widget(defn: SettingDef, value) -> QWidget:
    """The widget for one row of the settings table, showing ``value``."""
    if defn.kind == "choice":
        w = QComboBox()
        for stored, label in defn.choices:
            w.addItem(label, stored)
        w.setCurrentIndex(max(w.findData(value), 0))
    elif defn.kind == "int":
        w = QSpinBox()
        w.setRange(defn.minimum, 100_000)
        w.setValue(value)
    elif defn.kind == "bool":
        w = QCheckBox()
        w.setChecked(value)
    elif defn.kind == "time":
        w = QTimeEdit(value)
    else:
        w = QLineEdit(defn.text(value))
    w.setToolTip(setting_tip(defn))
    return w


def widget_text(w: QWidget) -> str:
    """What the widget holds, in the typed form the settings table parses (as on the command line)."""
    if isinstance(w, QComboBox):
        return w.currentData()
    if isinstance(w, QSpinBox):
        return str(w.value())
    if isinstance(w, QCheckBox):
        return "true" if w.isChecked() else "false"
    if isinstance(w, QTimeEdit):
        return w.time().toString("HH:mm")
    return w.text()


class SettingsView(QWidget):
    machine_saved = Signal()  # this machine's own settings (printing, scanner port) changed
    restored = Signal(dict)  # the store was replaced by a backup: the window must close

    def __init__(self, core, local: LocalSettings, parent=None) -> None:
        super().__init__(parent)
        self.core, self.local = core, local
        s = core.ctx.settings
        self.fields = {d.key: setting_widget(d, d.get(s)) for d in SETTINGS if d.key not in _OWN_WIDGETS}
        self.stamp_layout, self.cert_book_size = self.fields["stamps.layout"], self.fields["cert_book_size"]
        self.cert_documents = self.fields["cert_documents"]
        self.cert_documents.setPlaceholderText("(để trống: danh sách chung) Giấy khai sinh | Căn cước | …")
        h = s.hours
        self.hours = [QTimeEdit(t) for t in (h.morning_start, h.morning_end, h.afternoon_start, h.afternoon_end)]
        self.print_mode = QComboBox()
        self.print_mode.addItem("Xem trước rồi in", "preview")
        self.print_mode.addItem("In ngay", "direct")
        self.print_mode.setCurrentIndex(0 if local.get("print_mode") != "direct" else 1)
        self.print_to_file = QLineEdit(local.get("print_to_file"))
        self.print_to_file.setPlaceholderText("(để trống: in ra máy in) thư mục lưu bản in PDF")
        self.scanner_port = QLineEdit(local.get("scanner_port") or "")
        self.scanner_port.setPlaceholderText("(để trống: máy quét kiểu bàn phím) ví dụ COM3 hoặc /dev/ttyACM0")
        self.scanner_baud = QComboBox()
        for baud in (9600, 19200, 38400, 57600, 115200):
            self.scanner_baud.addItem(str(baud), baud)
        self.scanner_baud.setCurrentText(str(local.get("scanner_baud") or 9600))
        st = s.stamps
        self.stamp_geometry = QLineEdit(f"{st.columns}x{st.rows}, {st.label_width_mm:g}x{st.label_height_mm:g} mm, "
                                        f"lề {st.margin_left_mm:g}/{st.margin_top_mm:g} mm, "
                                        f"vị trí {st.overlay_x_mm:g}/{st.overlay_y_mm:g} mm")
        self.stamp_geometry.setToolTip("cột x hàng, rộng x cao nhãn, lề trái/trên, vị trí lời chứng trên bản sao "
                                       "(cách mép trái/dưới)")
        self.status = QLabel()
        form = QFormLayout()
        hours = QHBoxLayout()
        for w in self.hours:
            hours.addWidget(w)
        form.addRow("Giờ làm việc", hours)
        for key, widget in self.fields.items():
            form.addRow(BY_KEY[key].label, widget)
            if key == "stamps.layout":
                form.addRow("Tờ nhãn / vị trí", self.stamp_geometry)
        form.addRow("Chế độ in", self.print_mode)
        form.addRow("In ra tệp", self.print_to_file)
        form.addRow("Cổng máy quét (COM ảo)", self.scanner_port)
        form.addRow("Tốc độ cổng (baud)", self.scanner_baud)
        save = QPushButton("Lưu cài đặt")
        save.clicked.connect(self.save)
        calendar = QPushButton("Nhập lịch điều chỉnh (JSON/CSV)…")
        calendar.clicked.connect(self.import_calendar)
        catalogue = QPushButton("Nhập danh mục thủ tục (JSON)…")
        catalogue.clicked.connect(self.import_catalogue)
        restore = QPushButton("Khôi phục từ bản sao lưu…")
        restore.setToolTip("Thay cơ sở dữ liệu bằng một bản sao lưu đã kiểm tra; cơ sở dữ liệu hiện tại được giữ lại "
                           "bên cạnh. Phần mềm đóng lại sau khi khôi phục.")
        restore.clicked.connect(self.restore_backup)
        buttons = QHBoxLayout()
        for b in (save, calendar, catalogue, restore):
            buttons.addWidget(b)
        self.panels = QVBoxLayout()
        self.panels.addWidget(heading(tr("Cài đặt")))
        self.panels.addLayout(form)
        self.panels.addStretch()
        footer = QVBoxLayout()
        footer.addLayout(buttons)
        footer.addWidget(self.status)
        screen_layout(self, self.panels, footer)

    def add_panel(self, panel: QWidget) -> None:
        """Another part of the settings (enrollment, register holder, officers), in the scrolled body."""
        self.panels.insertWidget(self.panels.count() - 1, panel)

    def save(self) -> Op | None:
        from counter_app.core.calendar import OfficeHours

        s = self.core.ctx.settings
        try:
            for key, widget in self.fields.items():  # the same parsing and checks as the command line
                s = apply_setting(s, key, widget_text(widget))
            times = [w.time().toPython() for w in self.hours]
            settings = replace(s, hours=OfficeHours(*times, cutoff=s.hours.cutoff),
                               stamps=parse_stamp_geometry(self.stamp_geometry.text(), s.stamps))
        except Exception as exc:
            show_error(self, exc)
            return None
        self.local.set("print_mode", self.print_mode.currentData())
        self.local.set("print_to_file", self.print_to_file.text().strip())
        self.local.set("scanner_port", self.scanner_port.text().strip())
        self.local.set("scanner_baud", self.scanner_baud.currentData())
        self.machine_saved.emit()
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

    def restore_backup(self, path: str | None = None, confirm: bool = True) -> Op | None:
        """Administrator only (this screen is the administrator's): the same checks as
        ``counter-app restore``; afterwards the window closes so nothing works on the old store."""
        path = path or QFileDialog.getOpenFileName(self, "Bản sao lưu", "", "*.sqlite *")[0]
        if not path:
            return None
        if confirm and QMessageBox.question(
                self, "Khôi phục?", f"Thay cơ sở dữ liệu của quầy bằng bản sao lưu {path}? Cơ sở dữ liệu hiện "
                "tại được giữ lại; phần mềm sẽ đóng, mở lại để làm việc tiếp.",
                QMessageBox.Yes | QMessageBox.No, QMessageBox.No) != QMessageBox.Yes:
            return None

        def done(result: dict) -> None:
            catch_up = (" Khi mở lại, quầy lấy lại từ máy chủ tỉnh các hồ sơ đã gửi sau thời điểm sao lưu "
                        "(cần có mạng) trước khi tiếp nhận tiếp." if result.get("catch_up") else "")
            self.status.setText(f"Đã khôi phục từ {path}; cơ sở dữ liệu cũ giữ ở {result['previous']}. "
                                f"Mở lại phần mềm để làm việc tiếp.{catch_up}")
            self.restored.emit(result)

        return op(self, lambda: self.core.restore_from_backup(Path(path)), label="Đang khôi phục…").success(done).run()

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
