"""``counter-app update`` on a counter the province has offered nothing: it says so in Vietnamese,
with the exit codes scripts rely on, and writes nothing. (The whole path, offer to install, runs
through the frozen program in tests/installer/test_update_e2e.py.)"""

from __future__ import annotations

import json

from counter_app import __version__
from tests.cli.test_cli import run, run_json


def test_update_commands_without_an_offer(tmp_path):
    data = tmp_path / "data"
    run_json(data, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai")
    status = run_json(data, "update", "status")
    assert status == {"running": __version__, "offer": None, "download": None}
    text = run(data, "update", "status").stdout
    assert f"Phiên bản đang dùng: {__version__}." in text and "Chưa có bản cập nhật" in text
    download = run(data, "update", "download", "--json", ok=False)
    assert download.returncode == 4 and json.loads(download.stdout) == {"offer": None}
    install = run(data, "update", "install", ok=False)
    assert install.returncode == 1 and "Chưa có bản cập nhật nào để cài" in install.stderr
    assert not (data / "updates").exists() and not list((data / "backups").glob("counter-before-*"))
    bad = run(data, "settings", "set", "update_download_kib_s", "-5", ok=False)
    assert bad.returncode != 0 and "update_download_kib_s" in bad.stderr
