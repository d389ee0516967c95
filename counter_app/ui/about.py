"""The application's icon and its About box (Trợ giúp → Giới thiệu): the version the counter runs
and where its data lives, the two things support asks first on the phone."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout

from counter_app import PRODUCT_NAME, __version__, paths

ICON = ("resources", "icons", "counter-app.png")


def application_icon() -> QIcon:
    return QIcon(str(paths.resource_path(*ICON)))


class AboutDialog(QDialog):
    def __init__(self, data_dir: Path, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Giới thiệu")
        self.data_dir = Path(data_dir)
        picture = QLabel()
        picture.setPixmap(application_icon().pixmap(96, 96))
        picture.setAlignment(Qt.AlignTop)
        self.text = QLabel(
            f"<h3>{escape(PRODUCT_NAME)}</h3>"
            f"<p>Phiên bản: <b>{escape(__version__)}</b></p>"
            f"<p>Thư mục dữ liệu:<br><code>{escape(str(self.data_dir))}</code></p>"
            "<p>Tiếp nhận và trả kết quả hồ sơ tại bộ phận Một cửa.</p>")
        self.text.setTextFormat(Qt.RichText)
        self.text.setTextInteractionFlags(Qt.TextSelectableByMouse)  # the folder is read out or copied to support
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(picture)
        row.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
