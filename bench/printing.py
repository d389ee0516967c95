"""Printing benchmarks: one receipt (Mẫu 01, both copies) and a 10,000-row tracking register.

    .venv/bin/python bench/printing.py [--out docs/benchmarks.md]

Budgets: median render time of one receipt ≤ 30 ms once the fonts are loaded; a 10,000-row
register PDF ≤ 20 s. Rewrites the part of docs/benchmarks.md between the PRINTING markers.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from counter_app import paths
from counter_app.app import CounterApp
from counter_app.core.calendar import TZ
from counter_app.core.intake import ApplicantInput, IntakeRequest
from counter_app.core.model import DocumentKind, DocumentLine, Gender
from counter_app.core.prints import FormKind, RegisterLine
from counter_app.printing.fonts import register_fonts
from counter_app.printing.forms import _encoded, render
from counter_app.printing.register import render_register_pdf, write_register_xlsx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from people import People  # noqa: E402
from sections import write_section  # bench/sections.py, next to this script  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- PRINTING:START (written by bench/printing.py) -->", "<!-- PRINTING:END -->"
RECEIPTS, WARMUP, REGISTER_ROWS = 200, 10, 10_000
BUDGET_RECEIPT_MS, BUDGET_REGISTER_S = 30.0, 20.0


def register_lines(n: int) -> list[RegisterLine]:
    """Realistic rows: real name and address shapes, long procedure names, every date filled."""
    rng = random.Random(7)
    provinces = json.loads(paths.resource_path("resources", "reference", "cccd-province-codes.json").read_text("utf-8"))
    people = People(provinces, rng)
    procedures = ["Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của Việt Nam cấp",
                  "Đăng ký khai sinh", "Đăng ký kết hôn", "Cấp Giấy xác nhận tình trạng hôn nhân",
                  "Đăng ký thành lập hộ kinh doanh", "Đăng ký tạm trú"]
    start = datetime(2026, 1, 5, 7, 30, tzinfo=TZ)
    out = []
    for i in range(1, n + 1):
        at = start + timedelta(minutes=7 * i)
        name = people.name(rng.random() < 0.5)
        out.append(RegisterLine(i, "01/2026", f"H52.101-{at:%y%m%d}-01{i % 10000:04d}", rng.choice(procedures), 1,
                                name, people.address(), people.phone(), "H52.101", "returned", at,
                                at + timedelta(days=3), at + timedelta(hours=2), at + timedelta(days=2),
                                at + timedelta(days=3), name))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    t = time.perf_counter()
    register_fonts()
    font_load = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        app = CounterApp.initialise(Path(tmp), agency_code="H52.101", agency_name="UBND xã Định Mỹ",
                                    province="Gia Lai", desk=1)
        who = ApplicantInput(full_name="Nguyễn Văn Ấn", id_number="052090123456", date_of_birth=date(1990, 1, 1),
                             gender=Gender.MALE, phone="0912345678", address="Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai")
        code = app.intake.receive(IntakeRequest("1.001612", who, "Trần Thị Bích", documents=[
            DocumentLine("Giấy đề nghị đăng ký hộ kinh doanh", DocumentKind.ORIGINAL, 1),
            DocumentLine("Bản sao Căn cước của chủ hộ kinh doanh", DocumentKind.PHOTOCOPY, 1),
            DocumentLine("Hợp đồng thuê địa điểm kinh doanh", DocumentKind.CERTIFIED_COPY, 1)])).code
        _, job = app.prints.produce(code, FormKind.RECEIPT, "Trần Thị Bích", render, preview=True)
        for _ in range(WARMUP):
            render(job)
        render_ms = []
        for _ in range(RECEIPTS):
            _encoded.cache_clear()  # every print is a new dossier: it pays for one QR encoding
            t = time.perf_counter()
            pdf = render(job)
            render_ms.append((time.perf_counter() - t) * 1000)
        produce_ms = []
        for _ in range(50):  # the whole print: read, render, record the event + outbox, commit
            t = time.perf_counter()
            app.prints.produce(code, FormKind.RECEIPT, "Trần Thị Bích", render)
            produce_ms.append((time.perf_counter() - t) * 1000)
        settings = app.ctx.settings
        app.close()
        lines = register_lines(REGISTER_ROWS)
        t = time.perf_counter()
        register_pdf = render_register_pdf(lines, settings, date(2026, 1, 1), date(2026, 12, 31))
        register_s = time.perf_counter() - t
        t = time.perf_counter()
        write_register_xlsx(lines, settings, date(2026, 1, 1), date(2026, 12, 31), Path(tmp) / "so.xlsx")
        xlsx_s = time.perf_counter() - t
        pages = register_pdf.count(b"/Type /Page\n") or register_pdf.count(b"/Type /Page")
    med = statistics.median(render_ms)
    p95 = sorted(render_ms)[int(0.95 * len(render_ms)) - 1]
    verdict = lambda ok: "PASS" if ok else "**FAIL**"  # noqa: E731
    section = f"""{START}

_Last run: {datetime.now(TZ):%Y-%m-%d %H:%M} +07._ Fonts (four Liberation Serif TTFs) register once per process in {font_load * 1000:.0f} ms.

| Measurement | n | median | p95 | Budget | Result |
|---|---:|---:|---:|---:|:---:|
| Render one receipt (Mẫu 01, two A5 copies, QR + Code128, {len(pdf) // 1024} KiB) | {RECEIPTS} | {med:.1f} ms | {p95:.1f} ms | ≤ 30 ms median | {verdict(med <= BUDGET_RECEIPT_MS)} |
| Whole print: read, render, record event + outbox, commit (synchronous=FULL) | 50 | {statistics.median(produce_ms):.1f} ms | {sorted(produce_ms)[46]:.1f} ms | – | – |
| Tracking register PDF, {REGISTER_ROWS:,} rows ({pages} A4 landscape pages, {len(register_pdf) / 2**20:.1f} MiB) | 1 | {register_s:.1f} s | – | ≤ 20 s | {verdict(register_s <= BUDGET_REGISTER_S)} |
| Tracking register XLSX, {REGISTER_ROWS:,} rows | 1 | {xlsx_s:.1f} s | – | – | – |

{END}"""
    write_section(Path(args.out), START, END, section,
                  "\n## Printing\n\nReproduce: `.venv/bin/python bench/printing.py`.\n\n")
    print(section)


if __name__ == "__main__":
    main()
