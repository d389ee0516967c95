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
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QApplication, QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QScrollArea, QVBoxLayout,
    QWidget,
)

from counter_app.core.errors import CounterError
from counter_app.ui.i18n import tr
from counter_app.ui.local_settings import LocalSettings
from counter_app.ui.names import preview_title
from counter_app.ui.operations import Op, op


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


def printer_ready(local: LocalSettings) -> bool:
    """A job has somewhere to go: a print-to-file folder, the chosen printer, or a default one."""
    if local.get("print_to_file"):
        return True
    names = QPrinterInfo.availablePrinterNames()
    if local.get("printer") in names:
        return True
    return not QPrinterInfo.defaultPrinter().isNull()


class NoPrinter(CounterError):
    """The printer did not take the job; nothing was recorded."""


def print_dpi(printer: QPrinter) -> int:
    return min(printer.resolution(), 300)


def paint_pages(images: list[QImage], printer: QPrinter) -> None:
    """Paint rasterised pages on the printer. Runs off the GUI thread (Qt allows QPainter on a
    QPrinter or QImage outside it; measured: 108 ms for a two-page receipt at 300 dpi)."""
    painter = QPainter()
    if not painter.begin(printer):
        raise NoPrinter("Không mở được máy in.", "QPainter.begin() failed on the printer")
    ended = False
    try:
        for i, image in enumerate(images):
            if i:
                printer.newPage()
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(target)
        ended = painter.end()
    finally:
        if painter.isActive():
            painter.end()
    if not ended or printer.printerState() == QPrinter.Error:
        raise NoPrinter("Máy in không nhận lệnh in.", "QPainter.end() failed or the printer is in error")


def send_to_printer(pdf: bytes, printer: QPrinter) -> None:
    paint_pages(pdf_images(pdf, print_dpi(printer)), printer)


Produce = Callable[[Callable[[bytes], None]], bytes]  # render, deliver (printer or file), then record


class PrintPreviewDialog(QDialog):
    """Shows the form; Enter prints it: ``produce(deliver)`` renders the real print, ``deliver``
    sends it to the printer or a file, and only then is the print recorded, all off the GUI thread."""

    def __init__(self, parent: QWidget, title: str, pages_preview: list[QImage], produce: Produce,
                 local: LocalSettings, name_hint: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.produce, self.local, self.name_hint = produce, local, name_hint
        self.printed_pdf: bytes | None = None
        pages = QWidget()
        column = QVBoxLayout(pages)
        for image in pages_preview:
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
        self.save_button = QPushButton(tr("Lưu PDF") + "…")
        self.save_button.clicked.connect(self.save_pdf)
        close = QPushButton(tr("Đóng") + " (Esc)")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.print_button, choose, self.save_button, close):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)  # outside the scroll area: always on screen
        screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
        room = screen.availableGeometry()
        self.resize(min(720, room.width() - 40), min(820, room.height() - 60))
        QShortcut(QKeySequence(Qt.Key_Return), self, activated=self.print_now)

    def print_now(self) -> Op | None:
        if not self.print_button.isEnabled():
            return None  # already printing: a second Enter must not record a second print
        if not printer_ready(self.local):
            return self.no_printer()
        return self.print_with(make_printer(self.local, self.name_hint))

    def print_with(self, printer: QPrinter) -> Op:
        dpi = print_dpi(printer)

        def work() -> bytes:
            return self.produce(lambda pdf: paint_pages(pdf_images(pdf, dpi), printer))

        def printed(pdf: bytes) -> None:
            self.printed_pdf = pdf
            self.accept()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, NoPrinter):
                self.no_printer(exc.message)
            else:
                from counter_app.ui.common import show_error

                show_error(self, exc)

        return op(self, work, busy=[self.print_button, self.save_button]).success(printed).failure(failed).run()

    def no_printer(self, why: str = "Máy này chưa có máy in.") -> Op | None:
        """Plain words and the two ways out; nothing has been recorded as printed."""
        box = QMessageBox(QMessageBox.Warning, "Không in được", f"{why}\nBiểu mẫu chưa được ghi là đã in.", parent=self)
        to_file = box.addButton("In ra tệp PDF", QMessageBox.AcceptRole)
        choose = box.addButton("Chọn máy in", QMessageBox.ActionRole)
        box.addButton("Đóng", QMessageBox.RejectRole)
        box.exec()
        if box.clickedButton() is to_file:
            return self.save_pdf()
        if box.clickedButton() is choose:
            return self.choose_printer()
        return None

    def choose_printer(self) -> Op | None:
        """Choose a printer (remembered for this machine) or "Print to File", and print now."""
        printer = QPrinter(QPrinter.HighResolution)
        if QPrintDialog(printer, self).exec() != QDialog.Accepted:
            return None
        if printer.outputFormat() == QPrinter.PdfFormat:
            if not printer.outputFileName():
                return self.save_pdf()
        else:
            self.local.set("printer", printer.printerName())
        return self.print_with(printer)

    def save_pdf(self, path: str | None = None) -> Op | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, tr("Lưu PDF"), f"{self.name_hint}.pdf", "PDF (*.pdf)")
        if path:
            def work() -> bytes:
                return self.produce(Path(path).write_bytes)

            def saved(pdf: bytes) -> None:
                self.printed_pdf = pdf
                self.accept()

            return op(self, work, busy=[self.print_button, self.save_button]).success(saved).run()
        return None


def _renderer():
    # Imported by the worker, not the GUI thread: the first import loads ReportLab (~100 ms).
    from counter_app.printing.forms import render

    return render


def print_form(parent: QWidget, core, officer, local: LocalSettings, code: str, form,
               then: Callable[[bool], None] | None = None) -> Op:
    """Print one form of a committed dossier: preview first, or straight to the printer when this
    machine is set to ``print_mode = direct``. Rendering, rasterising and recording the print run
    off the GUI thread; ``parent.last_printed`` says (code, form, printed) once it is over, and
    ``then(printed)`` runs (the next print of a series starts only when this one is done)."""
    hint = f"{code}-{form.value}"

    def produce(deliver: Callable[[bytes], None]) -> bytes:
        return core.prints.produce(code, form, officer.full_name, _renderer(), deliver=deliver)[0]

    def finish(accepted: bool) -> None:
        parent.last_printed = (code, form.value, accepted)
        parent.window().activateWindow()  # back to the counter's window, ready for the next citizen
        if then is not None:
            then(accepted)

    if local.get("print_mode") == "direct" and printer_ready(local):
        printer = make_printer(local, hint)
        dpi = print_dpi(printer)

        def failed(exc: BaseException) -> None:  # the preview offers the ways out; nothing was recorded
            from counter_app.ui.common import show_error

            show_error(parent, exc)
            finish(False)

        return op(parent, lambda: produce(lambda pdf: paint_pages(pdf_images(pdf, dpi), printer))) \
            .success(lambda _: finish(True)).failure(failed).run()

    def preview() -> list[QImage]:
        return pdf_images(core.prints.produce(code, form, officer.full_name, _renderer(), preview=True)[0], 90)

    def show(pages: list[QImage]) -> None:
        dialog = PrintPreviewDialog(parent, preview_title(core, form, code), pages, produce, local, hint)
        accepted = dialog.exec() == QDialog.Accepted
        dialog.deleteLater()  # a hidden dialog can stay the "active window" and swallow shortcuts
        finish(accepted)

    return op(parent, preview).success(show).run()
