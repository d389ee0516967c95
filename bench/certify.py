"""The bulk certification desk: time from a scanned CCCD to the stamp PDF, and a long run.

    .venv/bin/python bench/certify.py [--runs 50] [--requests 1000] [--out docs/benchmarks.md]

1. Scan → stamps: parse the CCCD QR, certify a 5-document request (the commit with its register
   numbers, event and outbox row, ``synchronous=FULL``), then render the stamp PDF through
   ``PrintService`` (which records the print). Excludes the printer. Budget ≤ 200 ms. Measured with
   this machine holding the register, and with the register on a holder service over loopback.
2. 1,000 requests in a row (3 documents each) on one desk: throughput and per-request times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import keyring  # noqa: E402

from counter_app.app import CounterApp  # noqa: E402
from counter_app.core.calendar import TZ  # noqa: E402
from counter_app.core.cccd import parse_qr  # noqa: E402
from counter_app.core.certification import CertItemInput  # noqa: E402
from counter_app.core.certify import CertRequest  # noqa: E402
from counter_app.core.intake import ApplicantInput  # noqa: E402
from counter_app.core.prints import FormKind  # noqa: E402
from counter_app.printing.forms import render  # noqa: E402
from tests.testkeyring import MemoryKeyring  # noqa: E402
from sections import write_section  # bench/sections.py, next to this script  # noqa: E402

START, END = "<!-- CERTIFY:START (written by bench/certify.py) -->", "<!-- CERTIFY:END -->"
QR = "052090123456||LÊ VĂN TÁM|01011990|Nam|Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai|15042021"
FIVE = (("Giấy khai sinh", 1, 3), ("Căn cước công dân", 2, 2), ("Sổ hộ khẩu", 16, 1),
        ("Bằng tốt nghiệp trung học phổ thông", 1, 2), ("Giấy chứng nhận quyền sử dụng đất", 4, 2))


def scan_to_stamps(app) -> float:
    t = time.perf_counter()
    card = parse_qr(QR)
    request = CertRequest(applicant=ApplicantInput(full_name=card.full_name, id_number=card.id_number), cccd_qr=QR,
                          items=tuple(CertItemInput(*d) for d in FIVE), officer="Cán bộ A", return_now=True)
    _, cert = app.certification.certify(request)
    pdf, _job = app.prints.produce(cert.code, FormKind.STAMPS, "Cán bộ A", render)
    elapsed = time.perf_counter() - t
    assert pdf.startswith(b"%PDF") and cert.numbered
    return elapsed


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        app = CounterApp.initialise(base / "desk", agency_code="H52.101", agency_name="UBND xã Định Mỹ",
                                    province="Gia Lai")
        scan_to_stamps(app)  # warm-up: ReportLab, fonts
        local = [scan_to_stamps(app) for _ in range(args.runs)]

        holder_app = CounterApp.initialise(base / "holder", agency_code="H52.101", agency_name="UBND xã Định Mỹ")
        server = holder_app.holder_admin.server("127.0.0.1", 0).start()  # HTTPS, pinned at pairing
        desk = CounterApp.initialise(base / "desk2", agency_code="H52.101", agency_name="UBND xã Định Mỹ", desk=2)
        desk.holder_admin.join(server.url, holder_app.holder_admin.new_pair_code())
        scan_to_stamps(desk)
        remote = [scan_to_stamps(desk) for _ in range(args.runs)]
        server.stop()

        run = []
        t0 = time.perf_counter()
        for _ in range(args.requests):
            t = time.perf_counter()
            app.certification.certify(CertRequest(
                applicant=ApplicantInput(full_name="Trần Thị Bích", id_number="052195000123"), officer="Cán bộ A",
                items=(CertItemInput("Giấy khai sinh", 1, 2), CertItemInput("Sổ hộ khẩu", 12, 1),
                       CertItemInput("Học bạ", 20, 1))))
            run.append(time.perf_counter() - t)
        total = time.perf_counter() - t0
        last = app.certification.register_state(__import__("counter_app.core.certification", fromlist=["CertKind"])
                                                .CertKind.COPY, app.clock.now().year)[0]
        app.close()
        desk.close()
        holder_app.close()

    ms = lambda v: f"{v * 1000:.0f} ms"  # noqa: E731
    ok = lambda good: "PASS" if good else "**FAIL**"  # noqa: E731
    section = f"""{START}

_Last run: {datetime.now(TZ):%Y-%m-%d %H:%M} +07; synchronous=FULL; {args.runs} runs each._

| Measurement | median | p95 | max | Budget | |
|---|---:|---:|---:|---:|:---:|
| Scanned CCCD → committed 5-document request → stamp PDF (this desk holds the register) | {ms(statistics.median(local))} | {ms(pct(local, 0.95))} | {ms(max(local))} | ≤ 200 ms | {ok(statistics.median(local) <= 0.2)} |
| Same, numbers from a register holder over the network (loopback) | {ms(statistics.median(remote))} | {ms(pct(remote, 0.95))} | {ms(max(remote))} | ≤ 200 ms | {ok(statistics.median(remote) <= 0.2)} |
| {args.requests:,} requests in a row (3 documents each), per request | {ms(statistics.median(run))} | {ms(pct(run, 0.95))} | {ms(max(run))} | – | – |

{args.requests:,} requests took {total:.1f} s ({args.requests / total:.0f} requests/s); the register ended at number
{last:,} with no gap (3 numbers per request plus the {args.runs + 1} five-document runs).

{END}"""
    write_section(Path(args.out), START, END, section,
                  "\n## Certification desk\n\nReproduce: `.venv/bin/python bench/certify.py`. Times are the app's "
                 "own (the printer's spooling is not included): QR parsing, the request's one transaction (dossier, "
                 "register numbers, events, outbox rows), and the stamp PDF rendered inside the transaction that "
                 "records the print.\n\n")
    print(section)


if __name__ == "__main__":
    main()
