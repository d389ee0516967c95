"""Issue 17, "update at close", driven in the real window offscreen against the reference server:
the sync fetches the signed release, the status bar says "Có bản cập nhật …", the dialog shows the
notes; "Cài ngay" in the middle of an intake waits for the close; the close verifies, backs up,
keeps the queue and runs the installer; the window then hands over to the new version."""

from __future__ import annotations

import os
import sys
from dataclasses import replace

import pytest

from counter_app.sync import install
from counter_app.sync.releases import ReleaseVerifier
from tests.conftest import request
from tests.sync.conftest import memory_keyring, province  # noqa: F401 (fixtures)
from tests.sync.releasing import newer_than_running, publish, release_key
from tests.ui.conftest import settle, type_text

NOTES = "Bản mới: mẫu Giấy tiếp nhận theo Thông tư 03/2025.\nSửa lỗi in phiếu hẹn khổ A5."
COPY = "import shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2])"


@pytest.fixture
def offered(core, province, memory_keyring, tmp_path):  # noqa: F811
    core.enrollment.enroll(province.url, province.code())
    private, public = release_key()
    core.release_verifier = ReleaseVerifier([public], refused=lambda: install.refused_versions(core.data_dir))
    core.__dict__.pop("updates", None)
    content = os.urandom(250_000)
    publish(province, private, public, tmp_path, newer_than_running(), content=content, notes=NOTES)
    installed = tmp_path / "installed.bin"
    core.setup.save_settings(replace(core.ctx.settings, update_install_command=(
        f'"{sys.executable}" -c "{COPY}" {{file}} "{installed}"')))
    return core, content, installed


def _window(qtbot, core):
    from counter_app.ui.main_window import MainWindow

    w = MainWindow(core, core.officers.authenticate("bich.tt", "mật-khẩu-2026"))
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitActive(w)
    return w


def test_update_is_installed_at_close_never_in_the_middle_of_an_intake(qtbot, offered, province,  # noqa: F811
                                                                       dialogs):
    core, content, installed = offered
    version = newer_than_running()
    window = _window(qtbot, core)
    notice = window.update_notice
    qtbot.waitUntil(lambda: notice.button.isVisible() and notice.button.text() == f"Có bản cập nhật {version}",
                    timeout=30_000)
    # an officer is half-way through an intake
    window.nav.setCurrentRow(0)
    type_text(window.intake.name, "Nguyễn Thị Hoa")
    assert window.drafts()

    seen = {}

    def read_and_install_now(dialog):
        seen["title"], seen["notes"] = dialog.windowTitle(), dialog.notes.toPlainText()
        seen["ready"] = dialog.now.isEnabled()
        dialog.now.click()

    dialogs.expect(read_and_install_now, lambda box: seen.setdefault("wait", box.text()) and box.accept())
    notice.button.click()
    qtbot.waitUntil(lambda: "wait" in seen, timeout=10_000)
    assert seen["title"] == f"Có bản cập nhật {version}" and seen["notes"] == NOTES and seen["ready"]
    assert "khi đóng chương trình" in seen["wait"]
    assert window.isVisible() and notice.install_at_close and not installed.exists()
    assert notice.button.text().endswith("sẽ cài khi đóng")

    province.process.stop()  # the link is down when the counter closes for the day
    code = core.intake.receive(request()).code
    assert core.outbox.status().pending == 1

    dialogs.expect(lambda box: box.button(box.StandardButton.Yes).click())  # "Đóng và bỏ phần này?"
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=30_000)
    settle(qtbot)
    dialogs.stop()
    plan = notice.plan
    assert plan is not None and plan.version == version and plan.pending == 1
    assert installed.read_bytes() == content  # the installer got the verified file
    assert plan.backup.exists()
    assert install.read_record(core.data_dir)["to_version"] == version
    assert core.outbox.status().pending == 1 and core.queries.get(code) is not None  # the queue is intact
    assert plan.relaunch[0] == sys.executable  # app_main starts the new version once the store is shut


def test_a_failed_install_keeps_the_window_and_the_running_version(qtbot, offered, dialogs):
    core, _, installed = offered
    core.setup.save_settings(replace(core.ctx.settings, update_install_command=(
        f'"{sys.executable}" -c "import sys; sys.exit(2)" {{file}}')))
    window = _window(qtbot, core)
    notice = window.update_notice
    qtbot.waitUntil(lambda: notice.button.text().startswith("Có bản cập nhật"), timeout=30_000)
    dialogs.expect(lambda d: d.at_close.click(), lambda box: box.accept())  # the error, in Vietnamese
    notice.button.click()
    qtbot.waitUntil(lambda: notice.install_at_close, timeout=10_000)
    window.close()
    settle(qtbot)
    qtbot.waitUntil(lambda: not dialogs.handlers, timeout=30_000)
    dialogs.stop()
    assert window.isVisible() and notice.plan is None and not notice.install_at_close
    assert install.read_record(core.data_dir) is None
    assert window.sync.scheduler is not None  # syncing again
    window.closing_confirmed = True
    window.close()


def test_a_counter_below_the_floor_says_how_to_update_and_goes_on(qtbot, core, province, memory_keyring,  # noqa: F811
                                                                  dialogs):
    """The 426 gate with no release for this machine: the counter keeps working and tells the
    officer what to do, in the status bar and in a box."""
    core.enrollment.enroll(province.url, province.code())
    floor = newer_than_running()
    province.service.set_min_client_version(floor)
    window = _window(qtbot, core)
    notice = window.update_notice
    qtbot.waitUntil(lambda: notice.button.isVisible(), timeout=30_000)
    assert notice.button.text() == f"⚠ Cần cập nhật lên {floor}"
    assert window.sync_label.text().startswith("Cần cập nhật phần mềm")
    seen = {}
    dialogs.expect(lambda box: seen.setdefault("text", box.text()) and box.accept())
    notice.button.click()
    qtbot.waitUntil(lambda: "text" in seen, timeout=10_000)
    assert f"tối thiểu {floor}" in seen["text"] and "giữ nguyên" in seen["text"]
    assert "bộ phận công nghệ thông tin" in seen["text"]
    code = core.intake.receive(request()).code  # intakes go on, offline
    assert core.queries.get(code) is not None and core.outbox.status().pending == 1
    dialogs.stop()
    window.closing_confirmed = True
    window.close()
