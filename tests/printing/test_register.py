"""Sổ theo dõi hồ sơ for a date range, as PDF and as XLSX, read back."""

from datetime import date

from openpyxl import load_workbook

from counter_app.printing.register import render_register_pdf, write_register_xlsx
from tests.printing.conftest import Pdf, assert_clean_fonts


def test_register_lines_carry_the_hand_over_dates(app, dossiers):
    lines = app.tracking_register.lines(date(2026, 6, 10), date(2026, 6, 12))
    assert [line.code for line in lines] == [dossiers[k] for k in ("received", "copies", "supplement", "late",
                                                                    "stopped")]  # refusals are not registered
    received = lines[0]
    assert received.serial == 1 and received.book == "01/2026"
    assert received.result_at.isoformat() == "2026-06-15T16:00:00+07:00"
    assert received.forwarded_at is None and received.returned_at is None
    assert [x.code for x in app.tracking_register.lines(date(2026, 6, 11), date(2026, 6, 30))] == [dossiers["stopped"]]


def test_register_pdf_is_a4_landscape_with_the_official_columns(app, dossiers):
    lines = app.tracking_register.lines(date(2026, 6, 1), date(2026, 6, 30))
    pdf = Pdf(render_register_pdf(lines, app.ctx.settings, date(2026, 6, 1), date(2026, 6, 30)))
    assert pdf.size_mm(0) == (297, 210)
    text = pdf.text()
    for expected in ("SỔ THEO DÕI HỒ SƠ", "(Từ ngày 01/06/2026 đến ngày 30/06/2026)", "Mã hồ sơ", "Tên TTHC",
                     "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại",
                     "Cơ quan chủ trì giải quyết", "Ngày, tháng, năm", "Nhận hồ sơ", "Hẹn trả kết quả",
                     "Trả kết quả cho cá nhân, tổ chức", "Ký nhận", "Ghi chú", "(1)", "(14)",
                     dossiers["received"], "Đăng ký thành lập hộ kinh doanh", "Dừng xử lý", "NGƯỜI LẬP SỔ",
                     "Mẫu số 07 – Thông tư 03/2025/TT-VPCP"):
        assert expected in text, expected
    assert_clean_fonts(pdf)


def test_long_register_repeats_its_header_on_every_page(app):
    from datetime import datetime, timedelta

    from counter_app.core.calendar import TZ
    from counter_app.core.prints import RegisterLine

    t0 = datetime(2026, 6, 1, 8, tzinfo=TZ)
    lines = [RegisterLine(i, "01/2026", f"H52.101-260601-01{i:04d}", "Chứng thực bản sao từ bản chính", 1,
                          "Trần Thị Bích", "Thôn 2, xã Định Mỹ", "0912345678", "H52.101", "returned",
                          t0 + timedelta(minutes=i), t0, None, None, t0, "Trần Thị Bích") for i in range(1, 301)]
    pdf = Pdf(render_register_pdf(lines, app.ctx.settings, date(2026, 6, 1), date(2026, 6, 30)))
    assert len(pdf.pages) > 5
    for n in range(len(pdf.pages)):
        page = pdf.text(n)
        assert "Tên cá nhân, tổ chức" in page and "(14)" in page and f"Trang {n + 1}" in page
    assert "H52.101-260601-010300" in pdf.text(len(pdf.pages) - 1)


def test_register_xlsx(app, dossiers, tmp_path):
    lines = app.tracking_register.lines(date(2026, 6, 1), date(2026, 6, 30))
    out = tmp_path / "so.xlsx"
    write_register_xlsx(lines, app.ctx.settings, date(2026, 6, 1), date(2026, 6, 30), out)
    ws = load_workbook(out).active
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    assert values[1][0] == "SỔ THEO DÕI HỒ SƠ"
    assert values[4][0] == "TT" and values[4][7] == "Ngày, tháng, năm" and values[5][7] == "Nhận hồ sơ"
    assert values[6][:3] == ["(1)", "(2)", "(3)"]
    data = values[7:]
    assert [row[1] for row in data] == [line.code for line in lines]
    assert data[0][0] == 1 and data[0][4] == "Nguyễn Văn Ấn"
    assert ws.print_title_rows == "$5:$7"
