"""Render the main screens with realistic Vietnamese data into docs/screenshots/*.png:

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/make_screenshots.py

A throw-away counter is set up, a day's worth of dossiers received and moved through the life
cycle, then each screen is grabbed from the real window (QWidget.grab) with the bundled font.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The usual counter monitor, 1366×768; the window maximised on it (less a 40 px taskbar).
_SCREEN = HERE.parent.parent / "tests" / "ui" / "screen-1366x768.json"
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_SCREEN}")

from PySide6.QtWidgets import QApplication  # noqa: E402

from counter_app.app import CounterApp  # noqa: E402
from counter_app.core.admin import make_agency  # noqa: E402
from counter_app.core.intake import ApplicantInput, IntakeRequest  # noqa: E402
from counter_app.core.location_free import parse_list  # noqa: E402
from counter_app.core.model import DocumentKind, DocumentLine, Gender  # noqa: E402
from counter_app.ui.fonts import install_fonts  # noqa: E402
from counter_app.ui.main_window import MainWindow  # noqa: E402
from counter_app.ui.translations import install_translations  # noqa: E402

PEOPLE = [("Nguyễn Văn Ấn", "052090123456", date(1990, 1, 1), Gender.MALE),
          ("Trần Thị Bích", "052195000123", date(1995, 3, 12), Gender.FEMALE),
          ("Đặng Thị Hường", "052198001234", date(1998, 11, 20), Gender.FEMALE),
          ("Lê Quang Đạo", "052085004567", date(1985, 7, 2), Gender.MALE),
          ("Võ Thị Lan", "052192007890", date(1992, 5, 5), Gender.FEMALE),
          ("Phạm Minh Tuấn", "052088003456", date(1988, 9, 9), Gender.MALE)]


def main() -> None:
    app = QApplication.instance() or QApplication([])
    install_fonts(app)
    install_translations(app)
    with tempfile.TemporaryDirectory() as tmp:
        core = CounterApp.initialise(Path(tmp), agency_code="H52.101", agency_name="UBND xã Định Mỹ",
                                     province="Gia Lai", desk=1)
        # A regional counter too (issue 15): it receives for UBND xã Bình Nghi the procedures on the
        # province's location-independent list.
        core.setup.add_served_agency(make_agency("H52.102", "UBND xã Bình Nghi", "Gia Lai", own=False))
        core.catalogue.import_location_free(parse_list({"entries": [
            {"procedure_code": c, "decision": "2608/QĐ-UBND", "decision_date": "2025-11-24",
             "effective_from": "2025-11-24"} for c in ("1.004873", "2.000815", "1.001193")]}))
        core.officers.create("bich.tt", "Trần Thị Bích", "mật-khẩu-2026", role="admin")
        officer = core.officers.authenticate("bich.tt", "mật-khẩu-2026")
        codes = []
        for i, (name, id_number, dob, gender) in enumerate(PEOPLE * 2):
            who = ApplicantInput(full_name=name, id_number=id_number, date_of_birth=dob, gender=gender,
                                 phone=f"09123456{i:02d}", address="Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai")
            proc = ["2.000815", "1.001193", "1.001612", "1.004873", "1.000894", "2.000884"][i % 6]
            docs = [DocumentLine("Giấy khai sinh", DocumentKind.ORIGINAL, 2, 1)] if proc == "2.000815" else None
            codes.append(core.intake.receive(IntakeRequest(proc, who, officer.full_name, documents=docs)).code)
        for name, id_number, dob, gender in PEOPLE[3:]:
            who = ApplicantInput(full_name=name, id_number=id_number, date_of_birth=dob, gender=gender,
                                 address="Thôn 2, xã Bình Nghi, tỉnh Gia Lai")
            core.intake.receive(IntakeRequest("1.004873", who, officer.full_name, competent_agency="H52.102"))
        core.actions.forward(codes[1], officer.full_name)
        core.actions.request_supplement(codes[1], officer.full_name, "Thiếu giấy chứng sinh", ["Giấy chứng sinh"])
        for code in codes[2:5]:
            core.actions.forward(code, officer.full_name)
            core.actions.result_ready(code, officer.full_name)
        core.actions.return_result(codes[2], officer.full_name, rating=5)
        window = MainWindow(core, officer)
        window.resize(1366, 728)
        window.show()
        intake = window.intake
        intake.fill_from_qr("052090123456||NGUYỄN VĂN ẤN|01011990|Nam|Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai|15042021")
        intake.picker.setText("khai sinh")
        intake.filter_procedures("khai sinh")
        intake.choose_procedure()
        intake.phone.setText("0912345678")
        shots = {"01-tiep-nhan": 0, "02-tra-ket-qua": 1, "03-tra-cuu": 2, "04-so-theo-doi": 3, "05-cai-dat": 4,
                 "07-dong-bo": 5, "08-chung-thuc": 6, "09-ban-giao": 7}
        for name, row in shots.items():
            window.nav.setCurrentRow(row)
            if row == 1:
                window.returns.code.setText(codes[3])
                window.returns.load()
            if row == 2:
                window.search.box.setText("")
                window.search.refresh()
            if row == 6:
                cv = window.certify
                cv.fill_from_qr("052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai|15042021")
                for doc, pages, copies in (("Giấy khai sinh", 1, 3), ("Sổ hộ khẩu", 16, 1),
                                           ("Bằng tốt nghiệp trung học phổ thông", 1, 2)):
                    doc_edit, p_box, c_box = cv.rows[-1]
                    doc_edit.setText(doc)
                    p_box.setValue(pages)
                    c_box.setValue(copies)
                    cv.add_row()
            if row == 7:
                window.handover.tabs.setCurrentWidget(window.transfers)
            app.processEvents()
            window.grab().save(str(HERE / f"{name}.png"))
            print(f"docs/screenshots/{name}.png")
        # Báo cáo: more of the day's dossiers, finished and rated, then this year's report and its charts.
        for i, proc in enumerate(["1.001193"] * 9 + ["1.001612"] * 5 + ["1.004873"] * 3 + ["1.000894"] * 2):
            name, id_number, dob, gender = PEOPLE[i % len(PEOPLE)]
            who = ApplicantInput(full_name=name, id_number=id_number, date_of_birth=dob, gender=gender,
                                 address="Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai")
            code = core.intake.receive(IntakeRequest(proc, who, officer.full_name)).code
            if i % 3:
                core.actions.result_ready(code, officer.full_name)
                if i % 3 == 1:
                    core.actions.return_result(code, officer.full_name, rating=5 - i % 2)
        window.nav.setCurrentRow(8)
        report = window.reports.build()
        while not report.done:
            app.processEvents()
        window.reports.tabs.setCurrentWidget(window.reports.charts)
        for _ in range(3):
            app.processEvents()
        window.grab().save(str(HERE / "10-bao-cao.png"))
        print("docs/screenshots/10-bao-cao.png")
        dialog = window.open_dossier(codes[1])
        dialog.resize(900, 640)
        app.processEvents()
        dialog.grab().save(str(HERE / "06-chi-tiet-ho-so.png"))
        print("docs/screenshots/06-chi-tiet-ho-so.png")
        dialog.close()
        # "Có bản cập nhật": the box an officer sees once a signed release has come down.
        from counter_app.core.releases import ReleaseManifest
        from counter_app.sync.download import DownloadState
        from counter_app.ui.update_notice import UpdateDialog

        offer = ReleaseManifest("0.9.0", "linux-amd64", "counter-app_0.9.0_amd64.deb", 104_000_000, "0" * 64, "0.1.0",
                                "Bản 0.9.0:\n– Mẫu Giấy tiếp nhận và hẹn trả kết quả theo Thông tư 03/2025.\n"
                                "– Sửa lỗi in phiếu hẹn khổ A5.\n– Biểu phí chứng thực mới của tỉnh.",
                                "2026-12-02T01:00:00+00:00")
        box = UpdateDialog(offer, DownloadState("ready", "0.9.0", offer.size, offer.size, HERE), window)
        box.show()
        app.processEvents()
        box.grab().save(str(HERE / "11-cap-nhat.png"))
        print("docs/screenshots/11-cap-nhat.png")
        box.close()
        window.closing_confirmed = True  # the intake screen holds the example draft
        window.clock.stop()
        window.close()
        core.close()


if __name__ == "__main__":
    main()
