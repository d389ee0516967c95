import io
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from counter_app.core.calendar import TZ
from counter_app.core.model import DocumentKind, DocumentLine
from counter_app.printing.forms import render
from tests.conftest import applicant, request

BASE14 = {"Helvetica", "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Courier", "Symbol",
          "ZapfDingbats", "Helvetica-Bold", "Helvetica-Oblique", "Courier-Bold"}


class Pdf:
    def __init__(self, data: bytes) -> None:
        assert data.startswith(b"%PDF")
        self.data = data
        self.reader = PdfReader(io.BytesIO(data))

    @property
    def pages(self):
        return self.reader.pages

    def text(self, page: int | None = None) -> str:
        """The page text with line breaks and runs of spaces folded to one space (lines wrap)."""
        pages = self.pages if page is None else [self.pages[page]]
        return " ".join(" ".join(p.extract_text().split()) for p in pages)

    def fonts(self) -> list[dict]:
        out = []
        for p in self.pages:
            for font in p["/Resources"].get("/Font", {}).values():
                font = font.get_object()
                descriptor = font.get("/FontDescriptor")
                out.append({"name": str(font["/BaseFont"]).lstrip("/"),
                            "embedded": descriptor is not None and "/FontFile2" in descriptor.get_object()})
        return out

    def size_mm(self, page: int = 0) -> tuple[int, int]:
        box = self.pages[page].mediabox
        return round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)

    def decode_codes(self, page: int = 1, dpi: int = 300) -> set[str]:
        """Rasterise one page (pdftoppm) and read every barcode on it (zbarimg)."""
        with tempfile.TemporaryDirectory() as tmp:
            pdf = Path(tmp) / "f.pdf"
            pdf.write_bytes(self.data)
            subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(pdf),
                            str(Path(tmp) / "p")], check=True)
            png = next(Path(tmp).glob("p*.png"))
            out = subprocess.run(["zbarimg", "--quiet", str(png)], capture_output=True, text=True)
        return {line.strip() for line in out.stdout.splitlines() if line.strip()}


def assert_clean_fonts(pdf: Pdf) -> None:
    fonts = pdf.fonts()
    assert fonts, "no fonts at all"
    for f in fonts:
        base = f["name"].split("+")[-1]
        assert base not in BASE14, f"base-14 font {base} in the PDF"
        assert "LiberationSerif" in base and f["embedded"], f


needs_tools = pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
                                 reason="poppler-utils and zbar-tools are installed by .ci/run")


@pytest.fixture
def printer(app):
    def produce(code, form, *, preview=False, officer="Trần Thị Bích"):
        from counter_app.core.prints import FormKind

        data, job = app.prints.produce(code, FormKind(form), officer, render, preview=preview)
        return Pdf(data), job

    return produce


@pytest.fixture
def dossiers(app, clock):
    """One dossier per situation a form exists for."""
    received = app.intake.receive(request(applicant=applicant(address="Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai",
                                                              email="an.nguyen@example.vn")))
    copies = app.intake.receive(request("2.000815", documents=[
        DocumentLine("Giấy khai sinh", DocumentKind.ORIGINAL, 2, 1),
        DocumentLine("Bằng tốt nghiệp trung học phổ thông", DocumentKind.ORIGINAL, 3, 2)]))
    refused = app.intake.refuse(request("1.004222"), "Thủ tục thuộc thẩm quyền Công an xã")
    supplement = app.intake.receive(request("1.001193"))
    app.actions.forward(supplement.code, "Cán bộ A", "Công chức Tư pháp – Hộ tịch")
    app.actions.request_supplement(supplement.code, "Lê Văn Cường", "Giấy chứng sinh bị nhòe, không đọc được",
                                   ["Giấy chứng sinh (bản chính)", "Văn bản ủy quyền có chứng thực"])
    late = app.intake.receive(request("1.004873"))
    app.actions.forward(late.code, "Cán bộ A")
    clock.set("2026-06-12T10:00")
    app.actions.reschedule(late.code, "Cán bộ A", datetime(2026, 6, 22, 9, 0, tzinfo=TZ),
                           "Chờ kết quả xác minh tình trạng hôn nhân tại nơi cư trú trước đây")
    stopped = app.intake.receive(request("1.001612"))
    app.actions.stop(stopped.code, "Cán bộ A", "Người nộp không bổ sung hồ sơ trong thời hạn")
    clock.set("2026-06-15T16:00")
    app.actions.result_ready(received.code, "Cán bộ B")  # 16:00 on the due day (09:15): late
    return {"received": received.code, "copies": copies.code, "refused": refused.code,
            "supplement": supplement.code, "late": late.code, "stopped": stopped.code}
