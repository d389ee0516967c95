"""Sổ theo dõi hồ sơ for a date range, as PDF and as XLSX, read back."""

from datetime import date

from openpyxl import load_workbook

from counter_app.printing.register import render_register_pdf, write_register_xlsx
from tests.printing.conftest import Pdf, assert_clean_fonts, assert_header_rules, text_mm


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


def test_register_column_7_names_the_competent_agency(app, dossiers, tmp_path):
    lines = app.tracking_register.lines(date(2026, 6, 1), date(2026, 6, 30))
    assert {line.competent_agency for line in lines} == {"UBND xã Định Mỹ"}  # the store keeps the code
    pdf = Pdf(render_register_pdf(lines, app.ctx.settings, date(2026, 6, 1), date(2026, 6, 30)))
    left, right = _column_edges(app, 7)
    cells = [s for s in pdf.spans() if s["text"].startswith("UBND xã Định")]
    assert len(cells) == len(lines) and all(left <= s["x"] < right for s in cells)
    write_register_xlsx(lines, app.ctx.settings, date(2026, 6, 1), date(2026, 6, 30), tmp_path / "so.xlsx")
    ws = load_workbook(tmp_path / "so.xlsx").active
    assert {row[6] for row in ws.iter_rows(min_row=8, values_only=True)} == {"UBND xã Định Mỹ"}


def _column_edges(app, n: int) -> tuple[float, float]:
    """Left and right edges (mm) of column (n) as the register lays it out: 10 mm margins on A4
    landscape, the form set's widths scaled to the page."""
    from counter_app.printing.templates import load_form_set

    widths = [c["width"] for c in load_form_set(app.ctx.settings.forms.form_set).form("register")["columns"]]
    scale = (297 - 20) / sum(widths)
    return 10 + sum(widths[:n - 1]) * scale, 10 + sum(widths[:n]) * scale


def test_a_full_length_code_wraps_inside_column_2(app):
    from datetime import datetime

    from counter_app.core.calendar import TZ
    from counter_app.core.prints import RegisterLine

    code = "000.25.101.H52-261201-010001"
    t0 = datetime(2026, 12, 1, 8, tzinfo=TZ)
    line = RegisterLine(1, "01/2026", code, "Cấp bản sao trích lục hộ tịch", 1, "Trần Thị Bích", "Thôn 2",
                        None, "Sở Tư pháp tỉnh Gia Lai", "received", t0, t0, None, None, None, None)
    pdf = Pdf(render_register_pdf([line], app.ctx.settings, date(2026, 12, 1), date(2026, 12, 31)))
    left, right = _column_edges(app, 2)
    pieces = [s for s in pdf.spans() if s["text"] and s["text"] in code and len(s["text"]) > 3]
    assert "".join(p["text"] for p in pieces) == code and len(pieces) > 1
    for p in pieces:
        assert left <= p["x"] and p["x"] + text_mm(p["text"], "TNR", p["size"]) <= right, p


def test_register_header_rules_sit_centred_under_what_they_rule(app, dossiers):
    lines = app.tracking_register.lines(date(2026, 6, 1), date(2026, 6, 30))
    pdf = Pdf(render_register_pdf(lines, app.ctx.settings, date(2026, 6, 1), date(2026, 6, 30)))
    assert_header_rules(pdf, "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG")
