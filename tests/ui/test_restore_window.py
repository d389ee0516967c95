"""Cài đặt → "Khôi phục từ bản sao lưu…" (administrator): the same checks as ``counter-app restore``."""

import sqlite3

from tests.conftest import request
from tests.ui.conftest import finish


def dossier_count(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM dossier").fetchone()[0]
    finally:
        con.close()


def test_restore_from_the_settings_screen_then_the_window_closes(qtbot, window, core, tmp_path):
    from counter_app.startup import backup_store

    core.intake.receive(request())
    out = tmp_path / "copy.sqlite"
    backup_store(core.data_dir, out)
    core.intake.receive(request())
    result = finish(qtbot, window.settings.restore_backup(str(out), confirm=False), timeout=30_000)
    assert dossier_count(core.data_dir / "counter.sqlite") == 1
    assert dossier_count(result["previous"]) == 2
    assert "Đã khôi phục" in window.settings.status.text()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)


def test_a_text_file_is_refused_with_a_message_and_nothing_changes(qtbot, window, core, tmp_path, dialogs):
    core.intake.receive(request())
    bad = tmp_path / "notes.txt"
    bad.write_text("Họ tên,Số định danh\n", encoding="utf-8")
    seen = []
    dialogs.expect(lambda box: (seen.append(box.text()), box.accept()))
    operation = window.settings.restore_backup(str(bad), confirm=False)
    qtbot.waitUntil(lambda: operation.done, timeout=15_000)
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert "không khôi phục" in seen[0]
    assert dossier_count(core.data_dir / "counter.sqlite") == 1
    assert window.isVisible() and not list(core.data_dir.glob("*before-restore*"))
