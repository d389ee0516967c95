"""``counter-app officer …``: the accounts from the command line, as support staff and scripts run it."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PW = "mật-khẩu-2026"


def run(data, *args, stdin: str | None = None, ok: bool = True):
    env = {**os.environ, "COUNTER_APP_OFFICER": "hỗ trợ tỉnh", "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-m", "counter_app", *args, "--data-dir", str(data)],
                            cwd=ROOT, env=env, input=stdin or "", capture_output=True, text=True, timeout=120)
    assert (result.returncode == 0) == ok, result.stdout + result.stderr
    return result


def officers(data) -> list[tuple]:
    con = sqlite3.connect(data / "counter.sqlite")
    try:
        return con.execute("SELECT username, full_name, role, active, password_hash FROM officer "
                           "ORDER BY username").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("officers") / "data"
    run(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ")
    out = json.loads(run(d, "officer", "add", "bich.tt", "--name", "Trần Thị Bích", "--role", "admin",
                         "--password-stdin", "--json", stdin=PW + "\n").stdout)
    assert out == {"username": "bich.tt", "full_name": "Trần Thị Bích", "role": "admin", "active": True,
                   "organisation": None}
    run(d, "officer", "add", "an.nv", "--name", "Nguyễn Văn Ấn", "--password-stdin", stdin=PW + "\n")
    return d


def login(data, username, password) -> bool:
    from counter_app.startup import officer_directory

    try:
        officer_directory(data).authenticate(username, password)
    except Exception:
        return False
    return True


def test_list_shows_every_account(data):
    out = json.loads(run(data, "officer", "list", "--json").stdout)
    assert [(o["username"], o["role"], o["active"]) for o in out["officers"]] == [
        ("an.nv", "officer", True), ("bich.tt", "admin", True)]
    text = run(data, "officer", "list").stdout
    assert "Nguyễn Văn Ấn" in text and "Quản trị viên" in text and "scrypt" not in text
    assert login(data, "bich.tt", PW) and login(data, "an.nv", PW)


@pytest.mark.parametrize("args, stdin, fragment", [
    (("officer", "add", "An NV", "--name", "Nguyễn Văn Ấn", "--password-stdin"), PW + "\n", "Tên đăng nhập gồm"),
    (("officer", "add", "an.nv", "--name", "Người khác", "--password-stdin"), PW + "\n", "đã có"),
    (("officer", "add", "lan.vt", "--name", "Võ Thị Lan", "--password-stdin"), "ngắn\n", "ít nhất 8"),
    (("officer", "add", "lan.vt", "--name", "Võ Thị Lan", "--password-stdin"), "", "--password-stdin: cần 1 dòng"),
    (("officer", "add", "lan.vt", "--name", "Võ Thị Lan", "--role", "boss", "--password-stdin"), PW + "\n",
     "Vai trò phải là"),
    (("officer", "add", "lan.vt", "--name", "Võ Thị Lan"), None, "Không có bàn phím"),  # no terminal, no stdin flag
    (("officer", "passwd", "nobody", "--password-stdin"), PW + "\n", "Không có cán bộ"),
    (("officer", "passwd", "an.nv", "--password-stdin"), "ngắn\n", "ít nhất 8"),
    (("officer", "passwd", "an.nv", "--old", "--password-stdin"), "sai-mat-khau\nmoi-moi-moi\n", "Sai tên đăng nhập"),
    (("officer", "role", "an.nv", "boss"), None, "Vai trò phải là"),
    (("officer", "role", "bich.tt", "officer"), None, "quản trị viên cuối cùng"),
    (("officer", "disable", "bich.tt"), None, "quản trị viên cuối cùng"),
    (("officer", "disable", "nobody"), None, "Không có cán bộ"),
])
def test_bad_input_exits_non_zero_in_vietnamese_and_writes_nothing(data, args, stdin, fragment):
    before = officers(data)
    result = run(data, *args, stdin=stdin, ok=False)
    assert result.returncode == 1 and fragment in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert officers(data) == before


def test_json_error_and_usage_error(data):
    result = run(data, "officer", "disable", "bich.tt", "--json", ok=False)
    assert json.loads(result.stderr)["detail"] == "last active admin"
    result = run(data, "officer", "add", "lan.vt", "--password-stdin", ok=False)  # --name missing
    assert result.returncode == 2 and "Lỗi cú pháp lệnh" in result.stderr


def test_reset_own_change_role_disable_and_enable(data):
    run(data, "officer", "add", "lan.vt", "--name", "Võ Thị Lan", "--password-stdin", stdin=PW + "\n")
    assert "Đã đặt lại mật khẩu cho lan.vt" in run(data, "officer", "passwd", "LAN.VT", "--password-stdin",
                                                   stdin="quên-rồi-mới\n").stdout
    assert login(data, "lan.vt", "quên-rồi-mới") and not login(data, "lan.vt", PW)
    run(data, "officer", "passwd", "lan.vt", "--old", "--password-stdin", stdin="quên-rồi-mới\ncủa-tôi-2026\n")
    assert login(data, "lan.vt", "của-tôi-2026")
    out = json.loads(run(data, "officer", "role", "lan.vt", "admin", "--json").stdout)
    assert out["role"] == "admin"
    assert "Đã khóa tài khoản lan.vt" in run(data, "officer", "disable", "lan.vt").stdout
    assert not login(data, "lan.vt", "của-tôi-2026")
    assert ("lan.vt", "Võ Thị Lan", "admin", 0) == officers(data)[-1][:4]  # kept, with its name
    assert "Đã mở lại tài khoản lan.vt" in run(data, "officer", "enable", "lan.vt").stdout
    assert login(data, "lan.vt", "của-tôi-2026")
    # with a second administrator the first may be demoted; the record names the command line's user
    run(data, "officer", "role", "bich.tt", "officer")
    run(data, "officer", "role", "bich.tt", "admin")
    log = run(data, "logs", "--tail", "20").stdout
    assert "lan.vt: password reset by command line (hỗ trợ tỉnh)" in log
    assert "bich.tt: role admin -> officer by command line (hỗ trợ tỉnh)" in log
    assert "quên-rồi-mới" not in log and "của-tôi" not in log


def test_passwords_are_typed_twice_at_a_hidden_prompt(data, monkeypatch, capsys):
    from counter_app.cli import main

    class Terminal:
        def isatty(self):
            return True

    # in this process: leave pytest's logging and excepthooks alone
    monkeypatch.setattr("counter_app.logs.configure", lambda *a, **k: None)
    monkeypatch.setattr("counter_app.logs.install_excepthook", lambda: None)
    typed = iter(["gõ-tay-2026", "gõ-tay-2026", "gõ-tay-2026", "gõ-khác-2026"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    monkeypatch.setattr(sys, "stdin", Terminal())
    assert main(["officer", "add", "hoa.pt", "--name", "Phạm Thị Hoa", "--data-dir", str(data)]) == 0
    assert login(data, "hoa.pt", "gõ-tay-2026")
    assert main(["officer", "passwd", "hoa.pt", "--data-dir", str(data)]) == 1  # the two entries differ
    assert "không khớp" in capsys.readouterr().err
    assert login(data, "hoa.pt", "gõ-tay-2026")
