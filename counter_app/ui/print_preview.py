"""Print preview and printing of the ReportLab PDFs.

Pages are rasterised with PDFium (pypdfium2; the PySide6 6.12 wheels carry no QtPdf module) and
painted on a QPrinter at the printer's resolution. The printer chosen once is remembered for this
machine. ``print_to_file`` (a folder) sends prints to PDF files instead: for a counter without a
printer, and for the tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from counter_app.ui.common import show_error
from counter_app.ui.i18n import tr
from counter_app.ui.local_settings import LocalSettings


def pdf_images(pdf: bytes, dpi: float) -> list[QImage]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    images = []
    try:
        for page in doc:
            pil = page.render(scale=dpi / 72).to_pil().convert("RGBA")
            data = pil.tobytes("raw", "RGBA")
            images.append(QImage(data, pil.width, pil.height, pil.width * 4, QImage.Format_RGBA8888).copy())
    finally:
        doc.close()
    return images


def make_printer(local: LocalSettings, name_hint: str) -> QPrinter:
    printer = QPrinter(QPrinter.HighResolution)
    folder = local.get("print_to_file")
    if folder:
        printer.setOutputFormat(QPrinter.PdfFormat)
        printer.setOutputFileName(str(Path(folder) / f"{name_hint}-{time.strftime('%Y%m%d-%H%M%S')}.pdf"))
    elif local.get("printer"):
        printer.setPrinterName(local.get("printer"))
    return printer


def send_to_printer(pdf: bytes, printer: QPrinter) -> None:
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("Không mở được máy in.")
    try:
        dpi = min(printer.resolution(), 300)
        for i, image in enumerate(pdf_images(pdf, dpi)):
            if i:
                printer.newPage()
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(target)
    finally:
        painter.end()


class PrintPreviewDialog(QDialog):
    """Shows the form; Enter prints it (``produce`` renders and records the real print first)."""

    def __init__(self, parent: QWidget, title: str, preview_pdf: bytes, produce: Callable[[], bytes],
                 local: LocalSettings, name_hint: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.produce, self.local, self.name_hint = produce, local, name_hint
        self.printed_pdf: bytes | None = None
        pages = QWidget()
        column = QVBoxLayout(pages)
        for image in pdf_images(preview_pdf, 90):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("border: 1px solid #999; background: white;")
            column.addWidget(label, alignment=Qt.AlignHCenter)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        self.print_button = QPushButton(tr("In") + " (Enter)")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_now)
        choose = QPushButton(tr("Chọn máy in…"))
        choose.clicked.connect(self.choose_printer)
        save = QPushButton(tr("Lưu PDF") + "…")
        save.clicked.connect(self.save_pdf)
        close = QPushButton(tr("Đóng") + " (Esc)")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.print_button, choose, save, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addLayout(buttons)
        self.resize(720, 820)
        QShortcut(QKeySequence(Qt.Key_Return), self, activated=self.print_now)

    def print_now(self) -> None:
        try:
            self.printed_pdf = self.produce()
            send_to_printer(self.printed_pdf, make_printer(self.local, self.name_hint))
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()

    def choose_printer(self) -> None:
        printer = QPrinter(QPrinter.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.Accepted:
            self.local.set("printer", printer.printerName())

    def save_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Lưu PDF"), f"{self.name_hint}.pdf", "PDF (*.pdf)")
        if path:
            try:
                self.printed_pdf = self.produce()
                Path(path).write_bytes(self.printed_pdf)
            except Exception as exc:
                show_error(self, exc)
                return
            self.accept()


def print_form(parent: QWidget, core, officer, local: LocalSettings, code: str, form) -> bool:
    """Print one form of a committed dossier: preview first, or straight to the printer when this
    machine is set to ``print_mode = direct``. Returns whether it was printed."""
    from counter_app.printing.forms import render

    def produce() -> bytes:
        return core.prints.produce(code, form, officer.full_name, render)[0]

    try:
        if local.get("print_mode") == "direct":
            send_to_printer(produce(), make_printer(local, f"{code}-{form.value}"))
            return True
        preview, _ = core.prints.produce(code, form, officer.full_name, render, preview=True)
    except Exception as exc:
        show_error(parent, exc)
        return False
    dialog = PrintPreviewDialog(parent, f"{form.value} – {code}", preview, produce, local, f"{code}-{form.value}")
    accepted = dialog.exec() == QDialog.Accepted
    parent.last_printed = (code, form.value, accepted)
    dialog.deleteLater()  # a hidden dialog can stay the "active window" and swallow shortcuts
    parent.window().activateWindow()  # back to the counter's window, ready for the next citizen
    return accepted
