"""Máy giữ sổ chứng thực, in Cài đặt: serve the office's certification registers from this window
on the office network address the admin picks, hand out pairing codes, revoke a paired desk, or
pair this desk with the machine that holds them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox,
    QWidget,
)

from counter_app.core.errors import CounterError

from counter_app.ui.common import heading
from counter_app.ui.names import os_error_vi
from counter_app.ui.operations import Op, op


class HolderRunner:
    """The register holder service on a background thread while the window is open."""

    def __init__(self, core) -> None:
        self.core = core
        self.server = None

    @property
    def running(self) -> bool:
        return self.server is not None

    def start(self, port: int) -> int:
        self.stop()
        self.server = self.core.holder_admin.server(None, port).start()  # on the address chosen below
        return self.server.port

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


class HolderPanel(QWidget):
    def __init__(self, core, local, runner: HolderRunner, parent=None) -> None:
        super().__init__(parent)
        self.core, self.local, self.runner = core, local, runner
        self.serve = QCheckBox("Máy này giữ sổ chứng thực cho các quầy khác trong cơ quan")
        self.port = QSpinBox()
        self.port.setRange(1024, 65535)
        self.port.setValue(int(local.get("holder_port") or 8765))
        self.serve.setChecked(bool(local.get("holder_serve")))
        self.serve.toggled.connect(self.toggle)
        self.address = QComboBox()  # the office network address to serve on; never every interface
        self.address.setEditable(True)
        self.address.setCurrentText(core.holder_admin.bind_address())
        self.address.lineEdit().setPlaceholderText("địa chỉ mạng nội bộ của máy này")
        self.addresses = op(self, core.holder_admin.local_addresses).success(self.fill_addresses).run()
        self.pair_code = QLabel()
        pair = QPushButton("Cấp mã ghép quầy")
        pair.clicked.connect(self.new_code)
        self.holder_url = QLineEdit(core.ctx.settings.register_holder)
        self.holder_url.setPlaceholderText("https://192.168.1.10:8765 (để trống: máy này tự giữ sổ)")
        self.join_code = QLineEdit()
        self.join_code.setPlaceholderText("mã ghép do máy giữ sổ cấp")
        self.join_button = QPushButton("Ghép với máy giữ sổ")
        self.join_button.clicked.connect(self.join)
        self.desks = QComboBox()
        self.unpair_button = QPushButton("Thu hồi quầy")
        self.unpair_button.clicked.connect(self.unpair)
        self.status = QLabel()
        form = QFormLayout(self)
        form.addRow(heading("Máy giữ sổ chứng thực"))
        row = QHBoxLayout()
        for w in (self.serve, QLabel("địa chỉ"), self.address, QLabel("cổng"), self.port, pair, self.pair_code):
            row.addWidget(w)
        row.addStretch()
        form.addRow(row)
        desks_row = QHBoxLayout()
        for w in (self.desks, self.unpair_button):
            desks_row.addWidget(w)
        desks_row.addStretch()
        form.addRow("Quầy đã ghép", desks_row)
        self.load_desks()
        join_row = QHBoxLayout()
        for w in (self.holder_url, self.join_code, self.join_button):
            join_row.addWidget(w)
        form.addRow("Lấy số từ máy giữ sổ", join_row)
        form.addRow(self.status)

    def toggle(self, on: bool) -> None:
        self.local.set("holder_serve", on)
        self.local.set("holder_port", self.port.value())
        if not on:
            self.runner.stop()
            self.status.setText("Đã dừng phục vụ cấp số.")
            return
        if self.core.ctx.settings.register_holder:
            self.serve.setChecked(False)
            self.status.setText("Máy này đang lấy số từ máy khác nên không thể giữ sổ.")
            return
        try:
            host = self.core.holder_admin.set_bind_address(self.address.currentText())
            port = self.runner.start(self.port.value())
        except CounterError as exc:
            self.serve.setChecked(False)
            self.status.setText(exc.message)
            return
        except OSError as exc:
            self.serve.setChecked(False)
            self.status.setText(f"Không mở được cổng {self.port.value()}: {os_error_vi(exc)}.")
            return
        self.status.setText(f"Đang phục vụ cấp số tại https://{host}:{port} "
                            f"(chứng chỉ {self.core.holder_admin.fingerprint()}).")

    def fill_addresses(self, addresses: list[str]) -> None:
        """This machine's addresses, looked up off the GUI thread (it may ask the name service)."""
        chosen = self.address.currentText()
        self.address.addItems([a for a in addresses if a != chosen])
        if not chosen:
            self.address.setCurrentText(addresses[0])

    def load_desks(self) -> None:
        self.desks.clear()
        for d in self.core.holder_admin.desks():
            if not d["revoked"]:
                self.desks.addItem(f"Quầy {d['desk'] or '?'}: {d['name']}", d["id"])
        self.unpair_button.setEnabled(self.desks.count() > 0)

    def unpair(self) -> Op | None:
        desk_id = self.desks.currentData()
        question = (f"Thu hồi «{self.desks.currentText()}»? Quầy đó không lấy được số nữa cho đến khi "
                    "được ghép lại bằng mã mới.")
        if desk_id is None or QMessageBox.question(self, "Thu hồi quầy", question, QMessageBox.Yes | QMessageBox.No,
                                                   QMessageBox.No) != QMessageBox.Yes:
            return None

        def done(out: dict) -> None:
            self.status.setText(f"Đã thu hồi quầy «{out['name']}»; quầy đó cần mã ghép mới.")
            self.load_desks()

        return op(self, lambda: self.core.holder_admin.unpair(desk_id)).success(done).run()

    def new_code(self) -> Op:
        def shown(code: str) -> None:
            self.pair_code.setText(f"Mã ghép (24 giờ): {code}")
            self.load_desks()

        return op(self, self.core.holder_admin.new_pair_code).success(shown).run()

    def join(self) -> Op:
        """The holder is another machine on the office network: pairing waits on it, off the GUI thread."""
        url, code = self.holder_url.text(), self.join_code.text()

        def joined(out: dict) -> None:
            self.join_code.clear()
            self.status.setText(f"Đã ghép với máy giữ sổ {out['holder']}.")

        self.status.setText("Đang ghép với máy giữ sổ…")
        return op(self, lambda: self.core.holder_admin.join(url, code), busy=[self.join_button]).success(joined).run()
