"""Sync as staff see it: the status bar, the "Đồng bộ" screen, retry, and enrollment in the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import receivable_anywhere, request
from tests.sync.conftest import AGENCY_B, memory_keyring, province  # noqa: F401 (fixtures)
from tests.ui.conftest import shortcut


def _window(qtbot, core):
    from counter_app.ui.main_window import MainWindow

    officer = core.officers.authenticate("bich.tt", "mật-khẩu-2026")
    w = MainWindow(core, officer)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitActive(w)
    return w


@pytest.fixture
def enrolled(core, province, memory_keyring):  # noqa: F811
    core.enrollment.enroll(province.url, province.code())
    return core


def test_status_bar_goes_offline_and_back_and_f5_syncs_now(qtbot, enrolled, province):  # noqa: F811
    window = _window(qtbot, enrolled)
    try:
        qtbot.waitUntil(lambda: window.sync_label.text().startswith("Trực tuyến · 0 chờ gửi"), timeout=15_000)
        province.process.stop()
        enrolled.intake.receive(request())
        window.sync.nudge()
        qtbot.waitUntil(lambda: window.sync_label.text().startswith("Ngoại tuyến · 1 chờ gửi"), timeout=15_000)
        window.nav.setCurrentRow(5)
        assert window.outbox.table.rowCount() == 1
        assert window.outbox.table.item(0, 4).text() == "Chờ gửi"
        assert "Không kết nối" in window.outbox.table.item(0, 6).text()
        province.process.start()
        shortcut(qtbot, window, Qt.Key_F5)
        qtbot.waitUntil(lambda: window.sync_label.text().startswith("Trực tuyến · 0 chờ gửi"), timeout=15_000)
        assert province.service.stats()["events"] == 1
    finally:
        window.close()


def test_rejected_items_show_their_reason_and_can_be_sent_again(qtbot, enrolled, province):  # noqa: F811
    from counter_app.core.model import Agency

    enrolled.setup.add_served_agency(Agency(AGENCY_B, "UBND xã Định Hòa", "Gia Lai", False))
    receivable_anywhere(enrolled)
    window = _window(qtbot, enrolled)
    try:
        code = enrolled.intake.receive(request(receiving_agency=AGENCY_B)).code
        window.sync.sync_now()
        qtbot.waitUntil(lambda: "1 lỗi" in window.sync_label.text(), timeout=15_000)
        window.nav.setCurrentRow(5)
        table = window.outbox.table
        assert table.rowCount() == 1 and table.item(0, 1).text() == code
        assert table.item(0, 4).text() == "Bị từ chối" and "không được phép" in table.item(0, 6).text()
        province.service.add_agency("H52.101", "UBND xã Định Mỹ", "Gia Lai", serves=[AGENCY_B])
        table.selectRow(0)
        window.outbox.retry_button.click()
        qtbot.waitUntil(lambda: window.sync_label.text().startswith("Trực tuyến · 0 chờ gửi · 0 lỗi"),
                        timeout=15_000)
        assert province.service.stats()["dossiers"] == 1
    finally:
        window.close()


def test_an_administrator_enrolls_the_counter_from_the_window(qtbot, core, province, memory_keyring):  # noqa: F811
    window = _window(qtbot, core)
    try:
        assert "chưa đăng ký" in window.sync_label.text()
        core.intake.receive(request())  # received before enrollment: waits, then goes
        window.nav.setCurrentRow(4)  # Cài đặt
        assert window.outbox.enrollment.isVisibleTo(window.settings)
        window.outbox.server_url.setText(province.url)
        window.outbox.enroll_code.setText(province.code())
        window.outbox.enroll_button.click()
        qtbot.waitUntil(lambda: "Đã đăng ký" in window.outbox.enroll_status.text(), timeout=15_000)
        qtbot.waitUntil(lambda: window.sync_label.text().startswith("Trực tuyến · 0 chờ gửi"), timeout=15_000)
        assert province.service.stats()["events"] == 1
        # The test's stand-in for the OS keyring (tests/sync/conftest.py) holds the token (and the database key).
        (token,) = [v for k, v in memory_keyring._load().items() if k.startswith("counter_app provincial sync")]
        assert token not in (core.data_dir / "counter.sqlite").read_bytes().decode("latin-1")
    finally:
        window.close()
    assert QApplication.activeModalWidget() is None
