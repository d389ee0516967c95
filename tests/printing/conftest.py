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

MM = 72 / 25.4
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

    def spans(self, page: int = 0) -> list[dict]:
        """Each text run drawn straight on the page: where its line starts (mm from the bottom-left
        corner), its size (pt), its font and its text. Runs inside a form XObject are not moved by
        the placement of the XObject here: use :meth:`placements` for those."""
        out: list[dict] = []

        def visit(text, cm, tm, font, size):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                base = str(font.get("/BaseFont", "")) if font else ""
                out.append({"x": x / MM, "y": y / MM, "size": size * abs(tm[0] * cm[0] or 1), "font": base,
                            "text": " ".join(text.split())})

        self.pages[page].extract_text(visitor_text=visit)
        return out

    def span(self, needle: str, page: int = 0) -> dict:
        found = [s for s in self.spans(page) if needle in s["text"]]
        assert found, f"{needle!r} not drawn on page {page + 1}"
        return found[0]

    def hlines(self, page: int = 0) -> list[tuple[float, float, float]]:
        """Horizontal lines drawn on the page (rules, grid lines): (x0, x1, y) in mm."""
        out: list[tuple[float, float, float]] = []
        last: list = [None]

        def visit(op, args, cm, tm):
            if op in (b"m", b"l") and len(args) == 2:
                x = float(args[0]) * cm[0] + float(args[1]) * cm[2] + cm[4]
                y = float(args[0]) * cm[1] + float(args[1]) * cm[3] + cm[5]
                if op == b"l" and last[0] and abs(last[0][1] - y) < 0.01:
                    out.append((min(last[0][0], x) / MM, max(last[0][0], x) / MM, y / MM))
                last[0] = (x, y)

        self.pages[page].extract_text(visitor_operand_before=visit)
        return out

    def placements(self, page: int = 0) -> list[float]:
        """The x offset (mm) of each form XObject drawn on the page, in drawing order."""
        out: list[float] = []

        def visit(op, args, cm, tm):
            if op == b"Do":
                out.append(cm[4] / MM)

        self.pages[page].extract_text(visitor_operand_before=visit)
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


def text_mm(text: str, font: str, size: float) -> float:
    """The width of ``text`` in the bundled font, in mm."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from counter_app.printing.fonts import register_fonts

    register_fonts()
    return stringWidth(text, font, size) / MM


def rule_under(pdf: Pdf, span: dict, width: float, page: int = 0) -> tuple[float, float, float]:
    """The horizontal rule nearest below a text line of ``width`` mm and overlapping it (within
    12 mm below: a unit may wrap onto two lines)."""
    below = [r for r in pdf.hlines(page) if 0 < span["y"] - r[2] < 12
             and r[0] < span["x"] + width and r[1] > span["x"]]
    assert below, f"no rule under {span['text']!r}"
    return max(below, key=lambda r: r[2])


def assert_header_rules(pdf: Pdf, unit: str, page: int = 0) -> None:
    """Decree 30: the motto's rule as long as the motto, the unit's rule centred under the unit's
    line and a third to a half of it."""
    motto = pdf.span("Độc lập - Tự do - Hạnh phúc", page)
    width = text_mm("Độc lập - Tự do - Hạnh phúc", "TNR-Bold", motto["size"])
    x0, x1, _ = rule_under(pdf, motto, width, page)
    assert abs(x0 - motto["x"]) < 0.3 and abs(x1 - (motto["x"] + width)) < 0.3, (x0, x1, motto, width)
    line = pdf.span(unit, page)
    width = text_mm(line["text"], "TNR-Bold", line["size"])
    x0, x1, _ = rule_under(pdf, line, width, page)
    assert abs((x0 + x1) / 2 - (line["x"] + width / 2)) < 0.3, (x0, x1, line, width)
    assert width / 3 - 0.1 <= x1 - x0 <= width / 2 + 0.1, (x1 - x0, width)
