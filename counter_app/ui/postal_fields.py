"""The intake screen's postal fields (channel «Bưu chính» only): what the postal employee hands over
with the dossier: the phiếu gửi's item number, the employee, the seal and the postage."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from counter_app.core.postal import PostalIntake


class PostalFields(QWidget):
    def __init__(self) -> None:
        super().__init__()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.item, self.employee = QLineEdit(), QLineEdit()
        self.item.setPlaceholderText("RR123456785VN")
        self.seal_intact = QComboBox()
        for label, value in (("", None), ("Còn nguyên vẹn", True), ("Không nguyên vẹn", False)):
            self.seal_intact.addItem(label, value)
        self.fee = QSpinBox()
        self.fee.setRange(0, 10_000_000)
        self.fee.setSingleStep(1000)
        for label, widget in (("Số hiệu bưu gửi", self.item), ("Nhân viên bưu chính", self.employee),
                              ("Niêm phong", self.seal_intact), ("Cước bưu chính (đồng)", self.fee)):
            form.addRow(label, widget)
        self.setVisible(False)

    def clear(self) -> None:
        self.item.clear()
        self.employee.clear()
        self.seal_intact.setCurrentIndex(0)
        self.fee.setValue(0)

    def value(self) -> PostalIntake:
        return PostalIntake(item=self.item.text(), employee=self.employee.text() or None,
                            seal_intact=self.seal_intact.currentData(), fee_vnd=self.fee.value() or None)
