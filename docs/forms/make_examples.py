"""Regenerate the form pictures in this folder from realistic dossiers:

    .venv/bin/python docs/forms/make_examples.py

Sets up a throw-away counter, receives and moves dossiers through the life cycle with a fixed
clock, prints every form through the same PrintService and renderers the app uses, and turns each
first page into a PNG with pdftoppm (poppler-utils).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from counter_app.app import CounterApp
from counter_app.core.admin import make_agency
from counter_app.core.calendar import TZ
from counter_app.core.intake import ApplicantInput, IntakeRequest
from counter_app.core.location_free import parse_list
from counter_app.core.model import DocumentKind, DocumentLine, Gender
from counter_app.core.prints import FormKind
from counter_app.printing.forms import render
from counter_app.printing.register import render_register_pdf
from counter_app.printing.transfer import render_transfer_list_pdf

HERE = Path(__file__).resolve().parent
DPI = 90


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 6, 10, 9, 15, tzinfo=TZ)

    def now(self) -> datetime:
        return self.at

    def set(self, text: str) -> None:
        self.at = datetime.fromisoformat(text).replace(tzinfo=TZ)


def person(name: str, id_number: str, dob: date, gender: Gender, **kw) -> ApplicantInput:
    return ApplicantInput(full_name=name, id_number=id_number, date_of_birth=dob, gender=gender,
                          phone=kw.pop("phone", "0912345678"), address=kw.pop("address", "Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai"),
                          **kw)


def png(pdf: bytes, name: str, page: int = 1) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "f.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png", "-singlefile",
                        str(src), str(HERE / name)], check=True)
    print(f"docs/forms/{name}.png")


def main() -> None:
    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        app = CounterApp.initialise(Path(tmp), agency_code="H52.101", agency_name="UBND xã Định Mỹ",
                                    province="Gia Lai", desk=1, clock=clock)
        forms = replace(app.ctx.settings.forms, header_lines=("UBND TỈNH GIA LAI", "UBND XÃ ĐỊNH MỸ"),
                        contact="công chức Tư pháp – Hộ tịch Lê Văn Cường, số điện thoại 0269 3812 345",
                        lookup_url="https://dichvucong.gov.vn/tra-cuu-ho-so?ma={code}", head_name="Nguyễn Văn Bình")
        app.setup.save_settings(replace(app.ctx.settings, forms=forms))
        app.ctx.refresh()
        officer = "Trần Thị Bích"
        an = person("Nguyễn Văn Ấn", "052090123456", date(1990, 1, 1), Gender.MALE, email="an.nguyen@example.vn")
        hkd = app.intake.receive(IntakeRequest("1.001612", an, officer, documents=[
            DocumentLine("Giấy đề nghị đăng ký hộ kinh doanh", DocumentKind.ORIGINAL, 1),
            DocumentLine("Bản sao Căn cước của chủ hộ kinh doanh", DocumentKind.PHOTOCOPY, 1),
            DocumentLine("Hợp đồng thuê địa điểm kinh doanh", DocumentKind.CERTIFIED_COPY, 1)]))
        lan = person("Võ Thị Lan", "052195000123", date(1995, 3, 12), Gender.FEMALE)
        copies = app.intake.receive(IntakeRequest("2.000815", lan, officer, documents=[
            DocumentLine("Giấy khai sinh", DocumentKind.ORIGINAL, 2, 1),
            DocumentLine("Bằng tốt nghiệp trung học phổ thông", DocumentKind.ORIGINAL, 3, 2),
            DocumentLine("Giấy chứng nhận quyền sử dụng đất", DocumentKind.ORIGINAL, 1, 4)]))
        refused = app.intake.refuse(IntakeRequest("1.004222", person("Phạm Văn Cường", "052085004567",
                                                                     date(1985, 7, 2), Gender.MALE), officer),
                                    "Đăng ký thường trú do Công an xã giải quyết; đề nghị Ông nộp hồ sơ tại Công an xã Định Mỹ.")
        birth = app.intake.receive(IntakeRequest("1.001193", person("Đặng Thị Hường", "052198001234",
                                                                    date(1998, 11, 20), Gender.FEMALE), officer))
        app.actions.forward(birth.code, officer, "Công chức Tư pháp – Hộ tịch")
        app.actions.request_supplement(birth.code, "Lê Văn Cường", "Giấy chứng sinh bị nhòe, không đọc được họ tên mẹ",
                                       ["Giấy chứng sinh (bản chính) do cơ sở y tế cấp lại",
                                        "Văn bản ủy quyền có chứng thực (nếu người khác đi đăng ký)"])
        marriage = app.intake.receive(IntakeRequest("1.004873", person("Hồ Minh Tuấn", "052092007890",
                                                                       date(1992, 5, 5), Gender.MALE), officer))
        app.actions.forward(marriage.code, officer, "Công chức Tư pháp – Hộ tịch")
        clock.set("2026-06-12T10:00")
        app.actions.reschedule(marriage.code, "Lê Văn Cường", datetime(2026, 6, 22, 9, 0, tzinfo=TZ),
                               "Đang chờ kết quả xác minh tình trạng hôn nhân tại nơi cư trú trước đây (tỉnh Bình Định cũ)")
        stopped = app.intake.receive(IntakeRequest("1.001612", person("Bùi Quang Hải", "052088003456",
                                                                      date(1988, 9, 9), Gender.MALE), officer))
        app.actions.stop(stopped.code, officer, "Người nộp không bổ sung hồ sơ trong thời hạn theo Phiếu yêu cầu bổ sung")
        clock.set("2026-06-12T15:30")
        app.actions.forward(hkd.code, officer, "Công chức Tài chính – Kế hoạch")
        clock.set("2026-06-15T08:30")
        app.actions.result_ready(hkd.code, "Công chức Tài chính – Kế hoạch")
        app.actions.result_ready(copies.code, officer)

        def form(code: str, kind: FormKind) -> bytes:
            return app.prints.produce(code, kind, officer, render)[0]

        png(form(hkd.code, FormKind.RECEIPT), "01-giay-tiep-nhan-lien-1")
        png(form(copies.code, FormKind.RECEIPT), "01-giay-tiep-nhan-chung-thuc")
        png(form(birth.code, FormKind.SUPPLEMENT), "02-phieu-yeu-cau-bo-sung")
        png(form(refused.code, FormKind.REFUSAL), "03-phieu-tu-choi")
        png(form(marriage.code, FormKind.APOLOGY), "04-van-ban-xin-loi-2025")
        png(form(stopped.code, FormKind.STOP), "05-thong-bao-dung-2025")
        png(form(hkd.code, FormKind.CONTROL), "06-phieu-kiem-soat")
        lines = app.tracking_register.lines(date(2026, 6, 1), date(2026, 6, 30))
        png(render_register_pdf(lines, app.ctx.settings, date(2026, 6, 1), date(2026, 6, 30)), "07-so-theo-doi")
        # A dossier received here for another commune: its transfer sheet, the hand-over list and
        # the Sổ theo dõi hồ sơ phi địa giới.
        app.setup.add_served_agency(make_agency("H52.102", "UBND xã Bình Nghi", own=False))
        # Birth registration on the province's location-independent list (an example decision).
        app.catalogue.import_location_free(parse_list({"entries": [
            {"procedure_code": "1.001193", "decision": "2608/QĐ-UBND", "decision_date": "2025-11-24",
             "effective_from": "2025-11-24"}]}))
        app.ctx.refresh()
        clock.set("2026-06-15T09:40")
        cross = app.intake.receive(IntakeRequest("1.001193", person("Lê Thị Mai", "052196004321", date(1996, 4, 2),
                                                                    Gender.FEMALE, address="Thôn Hòa Hội, xã Bình Nghi"),
                                                 officer, competent_agency="H52.102", documents=[
            DocumentLine("Tờ khai đăng ký khai sinh", DocumentKind.ORIGINAL, 1),
            DocumentLine("Giấy chứng sinh", DocumentKind.ORIGINAL, 1),
            DocumentLine("Giấy chứng nhận kết hôn của cha mẹ", DocumentKind.CERTIFIED_COPY, 1)]))
        app.intake.receive(IntakeRequest("1.001193", person("Trương Văn Lộc", "052091006543", date(1991, 8, 30),
                                                            Gender.MALE, address="Thôn Thuận Hạnh, xã Bình Nghi"),
                                         officer, competent_agency="H52.102", sets=2))
        clock.set("2026-06-16T08:10")
        batch = app.transfers.record("H52.102", officer, "Đinh Văn Nhận")
        png(form(cross.code, FormKind.TRANSFER), "08-giay-ban-giao-ho-so")
        listed, dossiers = app.transfers.get(batch.code)
        names = {a.code: a.name for a in app.ctx.agencies}
        png(render_transfer_list_pdf(listed, dossiers, app.ctx.settings, names, printed_at=clock.now()),
            "09-danh-sach-ban-giao")
        lines = app.tracking_register.lines(date(2026, 6, 1), date(2026, 6, 30), cross=True)
        png(render_register_pdf(lines, app.ctx.settings, date(2026, 6, 1), date(2026, 6, 30), "register_cross"),
            "10-so-phi-dia-gioi")
        app.setup.save_settings(replace(app.ctx.settings, forms=replace(forms, form_set="2018",
                                                                        receipt_layout="a4_halves")))
        app.ctx.refresh()
        png(form(marriage.code, FormKind.APOLOGY), "2018-04-phieu-xin-loi")
        png(form(hkd.code, FormKind.RECEIPT), "2018-01-giay-tiep-nhan-a4-hai-lien")
        app.close()


if __name__ == "__main__":
    sys.exit(main())
