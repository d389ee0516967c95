"""The Báo cáo screen (Alt+9), offscreen at 1366×768: dossiers received, finished, returned and
rated through the real services with a clock moved by hand; the report built off the GUI thread
shows the service's figures in every table, the charts draw in the bundled font, the XLSX and the
PDF written from the screen read back, and a period ending before it starts is refused in Vietnamese."""

from __future__ import annotations

import warnings
from datetime import date

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from counter_app.core.report_tables import TITLE, cell_kind, format_cell, report_tables
from tests.conftest import pdf_text, request
from tests.ui.conftest import finish, settle, shortcut

OFFICER = "Trần Thị Bích"


def seed(core, clock) -> dict[str, list[str]]:
    """Sixteen dossiers of 2026 for three procedures: finished early, late, returned with ratings
    5, 5, 4, 1, some still open past their due time, one received in June."""
    clock.set("2026-03-02T08:30")
    codes = {p: [core.intake.receive(request(p)).code for _ in range(n)]
             for p, n in (("1.001612", 10), ("1.004873", 3), ("1.001193", 2))}
    clock.set("2026-03-02T15:00")
    for code in codes["1.001612"][:6] + codes["1.004873"][:1]:
        core.actions.result_ready(code, OFFICER)
    clock.set("2026-05-20T10:00")
    for code in codes["1.001612"][6:8] + codes["1.004873"][1:2]:
        core.actions.result_ready(code, OFFICER)
    for code, rating in zip(codes["1.001612"][:4], (5, 5, 4, 1)):
        core.actions.return_result(code, OFFICER, rating=rating)
    clock.set("2026-06-01T09:00")
    core.intake.receive(request("1.001193"))
    clock.set("2026-06-10T09:15")
    return codes


def shown(widget) -> list[list[str]]:
    return [[widget.item(r, c).text() for c in range(widget.columnCount())] for r in range(widget.rowCount())]


def expected(table) -> list[list[str]]:
    return [[format_cell(*cell_kind(c, v)) for c, v in zip(table.columns, row)] for row in table.rows]


def open_screen(qtbot, window):
    shortcut(qtbot, window, Qt.Key_9, Qt.AltModifier)
    assert window.stack.currentWidget() is window.reports
    return window.reports


def test_the_report_on_screen_is_the_services_report(qtbot, window, core, clock, dialogs):
    seed(core, clock)
    view = open_screen(qtbot, window)
    assert window.nav.item(8).text() == "Báo cáo  (Alt+9)"
    assert QApplication.focusWidget() is view.first  # the period's first field
    assert (view.first.date(), view.last.date()) == (QDate(2026, 1, 1), QDate(2026, 6, 10))  # this year to date
    assert not view.tabs.isVisible() and not view.export_buttons["xlsx"].isEnabled()

    qtbot.mouseClick(view.build_button, Qt.LeftButton)
    settle(qtbot)
    report = core.reports.build(date(2026, 1, 1), date(2026, 6, 10))
    tables = report_tables(report)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [t.key for t in tables] + ["Biểu đồ"]
    for table in tables:  # every figure as the XLSX and the PDF have it
        assert shown(view.tables[table.key]) == expected(table), table.key
    summary = view.tables["Tổng hợp"]
    assert summary.item(0, 0).text() == "Tổng số hồ sơ tiếp nhận" and summary.item(0, 1).text() == "16"
    by_procedure = shown(view.tables["Theo thủ tục"])
    assert by_procedure[0][:5] == ["1", "1.001612", "Đăng ký thành lập hộ kinh doanh", "10", "62,50 %"]
    assert view.tables["Theo thủ tục"].item(0, 3).textAlignment() & Qt.AlignRight
    satisfaction = shown(view.tables["Hài lòng"])
    assert satisfaction[0] == ["Số lượt đánh giá", "4"]
    assert satisfaction[-1] == ["Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC (QĐ 766)",
                                format_cell(report["satisfaction"]["ratio"], "share")]
    assert "16 hồ sơ, 3 thủ tục có hồ sơ" in view.status.text() and "01/01/2026" in view.status.text()
    assert view.export_buttons["xlsx"].isEnabled() and view.export_buttons["pdf"].isEnabled()


def test_long_tables_sort_by_their_figures_not_their_text(qtbot, window, core, clock):
    seed(core, clock)
    view = open_screen(qtbot, window)
    finish(qtbot, view.build())
    table = view.tables["Theo thủ tục"]
    assert [r[3] for r in shown(table)] == ["10", "3", "3"]  # the report's order at first
    header = table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(3) + 10, header.height() // 2))
    counts = [int(r[3]) for r in shown(table)]
    assert counts == sorted(counts) or counts == sorted(counts, reverse=True)
    table.sortByColumn(3, Qt.AscendingOrder)
    assert [r[3] for r in shown(table)] == ["3", "3", "10"]  # 10 after 3: by number, not by text
    planning = view.tables["Kế hoạch cải cách"]
    assert planning.isSortingEnabled() and not view.tables["Tổng hợp"].isSortingEnabled()
    planning.sortByColumn(1, Qt.AscendingOrder)  # by name, diacritics folded: "Cấp" before "Đăng"
    names = [r[1] for r in shown(planning)]
    assert names.index("Cấp Giấy xác nhận tình trạng hôn nhân") < names.index("Đăng ký khai sinh")
    # A new report keeps the officer's order.
    finish(qtbot, view.build())
    assert [r[3] for r in shown(table)] == ["3", "3", "10"]


def test_quick_periods_and_one_agency(qtbot, window, core, clock):
    seed(core, clock)
    view = open_screen(qtbot, window)
    qtbot.mouseClick(view.quick["month"], Qt.LeftButton)
    settle(qtbot)
    assert (view.first.date(), view.last.date()) == (QDate(2026, 6, 1), QDate(2026, 6, 10))
    assert view.report["total"] == 1
    finish(qtbot, view.choose("quarter"))
    assert view.first.date() == QDate(2026, 4, 1) and view.report["total"] == 1
    finish(qtbot, view.choose("last_year"))
    assert (view.first.date(), view.last.date()) == (QDate(2025, 1, 1), QDate(2025, 12, 31))
    assert view.tables["Tổng hợp"].item(0, 1).text() == "0" and view.tables["Theo thủ tục"].rowCount() == 0
    view.first.setDate(QDate(2026, 1, 1))
    view.last.setDate(QDate(2026, 6, 10))
    view.last.setFocus()
    shortcut(qtbot, view.last, Qt.Key_Return)  # Enter in the period builds the report
    settle(qtbot)
    assert view.report["total"] == 16
    view.agency.setCurrentIndex(view.agency.findData("H52.101"))
    assert view.agency.currentText() == "UBND xã Định Mỹ (H52.101)"
    finish(qtbot, view.build())
    assert view.report["agency"] == "H52.101" and view.scope == "UBND xã Định Mỹ"
    assert view.default_name("pdf") == "bao-cao-20260101-20260610-H52.101.pdf"


def test_the_charts_draw_in_the_bundled_font(qtbot, window, core, clock, monkeypatch):
    from counter_app.ui import report_charts

    monkeypatch.setattr(report_charts, "_fonts_ready", False)  # as in a window that has drawn no chart yet
    seed(core, clock)
    view = open_screen(qtbot, window)
    finish(qtbot, view.build())
    assert view.charts.canvas is None  # the canvas waits until the tab is opened,
    finish(qtbot, view.charts.warming)  # matplotlib and the font are loaded off the GUI thread meanwhile
    assert report_charts._fonts_ready
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        view.tabs.setCurrentWidget(view.charts)
        qtbot.waitUntil(lambda: view.charts.canvas is not None and view.charts.canvas.isVisible(), timeout=20_000)
        view.charts.canvas.grab()
    assert not [w for w in caught if "missing from" in str(w.message)]  # no tofu boxes
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.font_manager import FontProperties, findfont

    canvas = view.charts.canvas
    assert isinstance(canvas, FigureCanvasQTAgg)
    axes = canvas.figure.get_axes()
    assert [ax.get_title(loc="left") for ax in axes] == [
        "Số thủ tục theo nhóm số lượng hồ sơ", "Số hồ sơ theo mức độ trực tuyến", "Tiến độ giải quyết",
        "3 thủ tục có nhiều hồ sơ nhất"]
    assert [t.get_text() for t in axes[3].get_yticklabels()][0] == "Đăng ký thành lập hộ kinh doanh (1.001612)"
    timeliness = report_tables(view.report)[4]
    assert [round(p.get_height()) for p in axes[2].patches] == [
        timeliness.rows[1][1][0], timeliness.rows[2][1][0], timeliness.rows[3][1][0], timeliness.rows[6][1][0]]
    assert findfont(FontProperties(family="Liberation Sans")).endswith("LiberationSans-Regular.ttf")
    assert axes[0].title.get_fontname() == "Liberation Sans"
    image = canvas.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 3  # bars and text, not a blank canvas
    # A new report redraws the open tab.
    finish(qtbot, view.choose("last_year"))
    assert canvas.figure.get_axes()[3].get_title(loc="left") == "Chưa có hồ sơ trong kỳ"


def test_export_xlsx_and_pdf_from_the_screen(qtbot, window, core, clock, tmp_path, monkeypatch):
    from openpyxl import load_workbook
    from PySide6.QtWidgets import QFileDialog

    seed(core, clock)
    view = open_screen(qtbot, window)
    finish(qtbot, view.build())
    asked = []

    def save_as(parent, title, name, filters):
        asked.append((title, name, filters))
        return str(tmp_path / name.replace(".xlsx", "").replace(".pdf", "")), filters  # typed without a suffix

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    qtbot.mouseClick(view.export_buttons["xlsx"], Qt.LeftButton)
    settle(qtbot)
    xlsx = tmp_path / "bao-cao-20260101-20260610.xlsx"
    assert asked[0] == ("Lưu báo cáo", xlsx.name, "Bảng tính Excel (*.xlsx)")
    assert view.status.text() == f"Đã xuất báo cáo ra {xlsx}"
    assert window.statusBar().currentMessage() == f"Đã xuất báo cáo ra {xlsx}"
    book = load_workbook(xlsx)
    assert book.sheetnames == [t.key for t in report_tables(view.report)]
    assert book["Tổng hợp"]["A1"].value == TITLE and book["Tổng hợp"]["B5"].value == 16
    assert book["Theo thủ tục"]["B5"].value == "1.001612" and book["Theo thủ tục"]["D5"].value == 10

    pdf = tmp_path / "bao-cao-20260101-20260610.pdf"
    finish(qtbot, view.export("pdf"))
    text = pdf_text(pdf)
    assert TITLE in text and "UBND xã Định Mỹ" in text and "Số hồ sơ theo thủ tục" in text
    assert "Đăng ký thành lập hộ kinh doanh" in text and "62,50 %" in text


def test_a_period_ending_before_it_starts_is_refused_in_vietnamese(qtbot, window, core, clock, dialogs):
    seed(core, clock)
    view = open_screen(qtbot, window)
    view.first.setDate(QDate(2026, 6, 1))
    view.last.setDate(QDate(2026, 5, 1))
    seen = []

    def answer(box: QMessageBox) -> None:
        seen.append(box.text())
        box.accept()

    dialogs.expect(answer)
    operation = view.build()
    qtbot.waitUntil(lambda: operation.done, timeout=10_000)
    assert seen == ["Ngày cuối kỳ báo cáo phải từ ngày đầu kỳ trở đi."]
    assert view.report is None and view.status.text() == "Chưa lập được báo cáo."
    assert not view.export_buttons["xlsx"].isEnabled() and view.build_button.isEnabled()


def test_an_officer_who_is_not_an_administrator_reads_reports(qtbot, core):
    from counter_app.ui.main_window import MainWindow

    admin = core.officers.authenticate("bich.tt", "mật-khẩu-2026")
    core.officers.add(admin, "lan.vt", "Võ Thị Lan", "mật-khẩu-2026")
    officer = core.officers.authenticate("lan.vt", "mật-khẩu-2026")
    assert not officer.is_admin
    w = MainWindow(core, officer)
    qtbot.addWidget(w)
    w.nav.setCurrentRow(8)
    finish(qtbot, w.reports.build())
    assert w.stack.currentWidget() is w.reports and w.reports.report["total"] == 0
    w.closing_confirmed = True
    w.clock.stop()


@pytest.mark.parametrize("choice, first, last", [
    ("month", date(2026, 2, 1), date(2026, 2, 14)), ("quarter", date(2026, 1, 1), date(2026, 2, 14)),
    ("year", date(2026, 1, 1), date(2026, 2, 14)), ("last_year", date(2025, 1, 1), date(2025, 12, 31))])
def test_quick_period_bounds(choice, first, last):
    from counter_app.ui.report_view import period_of

    assert period_of(choice, date(2026, 2, 14)) == (first, last)
    assert period_of("quarter", date(2026, 12, 31)) == (date(2026, 10, 1), date(2026, 12, 31))


def test_the_window_starts_without_matplotlib():
    """Its import is paid when the «Biểu đồ» tab is first drawn, not at every start of the window."""
    import subprocess
    import sys

    code = ("import sys; import counter_app.ui.main_window, counter_app.ui.report_view; "
            "sys.exit('matplotlib' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0


def test_the_report_and_its_charts_fit_the_counter_monitor(qtbot, window, core, clock):
    from tests.ui.test_counter_safety import _inside

    seed(core, clock)
    view = open_screen(qtbot, window)
    finish(qtbot, view.build())
    for width, height in ((1366, 728), (1280, 690)):  # 768/720 less the taskbar
        window.resize(width, height)
        for page in (view.tables["Theo thủ tục"].parentWidget(), view.charts):
            view.tabs.setCurrentWidget(page)
            if page is view.charts:
                qtbot.waitUntil(lambda: view.charts.canvas is not None and view.charts.canvas.isVisible(),
                                timeout=20_000)
            QApplication.processEvents()
            shown_widgets = [*view.export_buttons.values(), view.build_button, view.tabs.tabBar(),
                             view.charts.canvas if page is view.charts else view.tables["Theo thủ tục"]]
            for widget in shown_widgets:
                assert _inside(window, widget), (widget, width, height)
        bar = view.tabs.tabBar()
        assert bar.tabRect(bar.count() - 1).right() <= bar.width()  # every tab's name without scrolling


def test_a_province_year_imported_from_csv_on_screen(qtbot, window, core, tmp_path, dialogs):
    """Issue 16, done when, on screen: the synthetic province-year (tests/province_year.py) imported
    from its CSV shows the statistics table exactly (the JSON, XLSX and PDF: tests/cli/test_province_year.py)."""
    import json

    from counter_app.core.catalogue import parse_catalogue
    from tests.province_year import BANDS, CATALOGUE_SIZE, write_catalogue, write_year

    level_of = write_catalogue(tmp_path / "catalogue.json")
    core.catalogue.import_procedures(parse_catalogue(json.loads((tmp_path / "catalogue.json").read_text("utf-8"))),
                                     replace=True)
    exp = write_year(tmp_path / "year.csv", level_of)
    assert core.history.import_file(str(tmp_path / "year.csv"), OFFICER).imported == exp.total
    view = open_screen(qtbot, window)
    view.first.setDate(QDate(2024, 1, 1))
    view.last.setDate(QDate(2024, 12, 31))
    qtbot.mouseClick(view.build_button, Qt.LeftButton)
    settle(qtbot)
    qtbot.waitUntil(lambda: view.tabs.isVisible(), timeout=60_000)
    summary = dict(map(tuple, shown(view.tables["Tổng hợp"])))
    assert summary["Tổng số hồ sơ tiếp nhận"] == format_cell(exp.total, "int")
    assert summary["Số thủ tục trong danh mục"] == str(CATALOGUE_SIZE) and summary["Số thủ tục có hồ sơ"] == "98"
    assert shown(view.tables["Nhóm số lượng"]) == [
        [label, str(len(BANDS[key])), format_cell(sum(BANDS[key]), "int")]
        for label, key in (("Từ 10.000 hồ sơ", ">=10000"), ("1.000 – 9.999", "1000-9999"), ("100 – 999", "100-999"),
                           ("10 – 99", "10-99"), ("1 – 9", "1-9"))]
    assert shown(view.tables["Mức độ trực tuyến"]) == [
        [label, str(exp.levels[key]["procedures"]), format_cell(exp.levels[key]["dossiers"], "int")]
        for label, key in (("Toàn trình", "full"), ("Một phần", "partial"), ("Chỉ trực tiếp", "paper"))]
    assert view.tables["Theo thủ tục"].rowCount() == 98
