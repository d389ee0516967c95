"""``counter-app enroll | sync | outbox`` and ``provincial-server`` as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT
from tests.sync.conftest import AGENCY_A


def counter_cli(data, *args, env_extra=None):
    env = {**os.environ, "COUNTER_APP_OFFICER": "Cán bộ CLI", "PYTHONIOENCODING": "utf-8", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "counter_app", *args, "--data-dir", str(data)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)


def server_cli(province, *args):
    return subprocess.run([sys.executable, "-m", "provincial_server", "--db", province.process.db_url, *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ,
                                                                                      "PYTHONIOENCODING": "utf-8"})


def file_keyring(tmp_path):
    return {"PYTHON_KEYRING_BACKEND": "testkeyring.FileKeyring", "TEST_KEYRING_FILE": str(tmp_path / "os-keyring.json")}


def test_enroll_an_empty_directory_sync_and_count_from_the_command_line(province, tmp_path):
    kr = file_keyring(tmp_path)
    code = json.loads(server_cli(province, "enroll-code", "--agency", AGENCY_A, "--json").stdout)["code"]
    data = tmp_path / "counter"
    enrolled = counter_cli(data, "enroll", "--server", province.url, "--code", code, "--json", env_extra=kr)
    assert enrolled.returncode == 0, enrolled.stderr
    assert json.loads(enrolled.stdout)["agency"] == AGENCY_A
    intake = counter_cli(data, "intake", "--procedure", "1.001612", "--name", "Lê Thị Đào",
                         "--id-number", "052090123456", "--json", env_extra=kr)
    assert intake.returncode == 0, intake.stderr
    code_1 = json.loads(intake.stdout)["code"]

    province.process.stop()  # unreachable: a non-zero exit and the queue untouched
    offline = counter_cli(data, "sync", "--once", "--json", env_extra=kr)
    assert offline.returncode == 3
    out = json.loads(offline.stdout)
    assert out["pending"] == 1 and out["pushed"] == 0 and out["error_kind"] == "retryable"

    province.process.start()
    done = counter_cli(data, "sync", "--once", "--json", env_extra=kr)
    assert done.returncode == 0, done.stdout + done.stderr
    out = json.loads(done.stdout)
    assert (out["pushed"], out["pulled"], out["pending"], out["failed"]) == (1, 0, 0, 0)

    assert server_cli(province, "set-status", code_1, "result_ready", "--note", "Đã ký").returncode == 0
    out = json.loads(counter_cli(data, "sync", "--once", "--json", env_extra=kr).stdout)
    assert out["pulled"] == 1
    outbox = json.loads(counter_cli(data, "outbox", "--json", env_extra=kr).stdout)
    assert outbox["delivered"] == 1 and outbox["pending"] == 0 and outbox["failed"] == 0
    assert outbox["last_success"]
    shown = counter_cli(data, "show", code_1, env_extra=kr)
    assert "Đã có kết quả" in shown.stdout

    stats = json.loads(server_cli(province, "stats", "--json").stdout)
    assert stats["dossiers"] == 1 and stats["events"] == 1 and stats["agencies"][AGENCY_A]["dossiers"] == 1

    # The token is in the (stand-in) OS keyring and in no file of the data directory.
    token = next(iter(json.loads((tmp_path / "os-keyring.json").read_text()).values()))
    assert 20 < len(token) < 1000
    for path in data.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path


def test_enroll_refuses_without_a_usable_keyring_and_writes_nothing(province, tmp_path):
    code = province.code()
    data = tmp_path / "counter"
    result = counter_cli(data, "enroll", "--server", province.url, "--code", code,
                         env_extra={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    assert result.returncode == 1
    assert "kho mật khẩu" in result.stderr
    assert not data.exists()
    # The code was not spent: it still works once a keyring is available.
    again = counter_cli(data, "enroll", "--server", province.url, "--code", code, env_extra=file_keyring(tmp_path))
    assert again.returncode == 0, again.stderr


def test_enroll_with_a_bad_code_or_url_says_so(province, tmp_path):
    kr = file_keyring(tmp_path)
    data = tmp_path / "counter"
    bad = counter_cli(data, "enroll", "--server", province.url, "--code", "AAAA-BBBB-CCCC", env_extra=kr)
    assert bad.returncode == 1 and "Mã đăng ký thiết bị không đúng" in bad.stderr
    url = counter_cli(data, "enroll", "--server", "dongbo.tinh.vn", "--code", "X", env_extra=kr)
    assert url.returncode == 1 and "http://" in url.stderr
    assert not (data / "counter.sqlite").exists()


def test_sync_before_enrolling_is_a_clear_error(tmp_path):
    data = tmp_path / "counter"
    assert counter_cli(data, "init", "--agency-code", AGENCY_A, "--agency-name", "UBND xã").returncode == 0
    result = counter_cli(data, "sync", "--once")
    assert result.returncode == 1 and "chưa đăng ký" in result.stderr


def test_export_for_the_national_portal(province, make_counter, tmp_path):
    counter = make_counter(province)
    (code,) = counter.receive(1)
    assert counter.sync().ok
    province.service.set_status(code, "result_ready")
    out = tmp_path / "dvcqg.json"
    result = server_cli(province, "export-dvcqg", "--since", "2020-01-01", "--out", str(out))
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text("utf-8"))
    assert doc["service"] == "DongBoHoSoMC"
    (record,) = doc["data"]
    assert record["MaHoSo"] == code and record["MaTTHC"] == "1.001612"
    assert record["TrangThaiHoSo"] == "9" and record["ChuHoSo"] == "Nguyễn Văn Ấn"
    assert len(record["NgayTiepNhan"]) == 14 and record["NgayTiepNhan"].isdigit()
    dossier = counter.app.queries.get(code)
    assert record["NgayTiepNhan"] == dossier.received_at.strftime("%Y%m%d%H%M%S")
    assert record["NgayHenTra"] == dossier.due_at.strftime("%Y%m%d%H%M%S")
    bad = server_cli(province, "export-dvcqg", "--since", "hôm qua")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
