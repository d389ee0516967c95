"""Every bad input gets a message (issue 12, item 4): the inputs that crashed the command line with
a traceback (exit 70, "Lỗi không mong đợi") now get a Vietnamese sentence with an English detail,
exit 1, and leave the database exactly as it was."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

HUGE = str(10**20)
NOT_UTF8 = os.fsencode("Nguy\udcc5n V\udcff")  # bytes that are not UTF-8, as a shell passes them
QR_NOT_UTF8 = os.fsencode("052195000123||TR\udcffN TH\udcc3|12031995|N\u1eef|Th\u00f4n 2|01072024")


def run(data, *args):
    env = {**os.environ, "COUNTER_APP_OFFICER": "Cán bộ CLI", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "counter_app", *args, "--data-dir", str(data)],
                          cwd=ROOT, env=env, capture_output=True, timeout=120)


def ok(data, *args):
    result = run(data, *args, "--json")
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def fingerprint(data) -> str:
    """Every row of every table: equal fingerprints mean nothing was written."""
    con = sqlite3.connect(data / "counter.sqlite")
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


def assert_refused(data, result, before, fragment=""):
    err = result.stderr.decode("utf-8", "backslashreplace")
    assert result.returncode == 1, err
    assert err.startswith("Lỗi: ") and "(detail: " in err, err
    assert fragment in err
    assert "Traceback" not in err and "Lỗi không mong đợi" not in err and "sqlalchemy" not in err.lower()
    assert fingerprint(data) == before


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("badinput") / "data"
    ok(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai")
    ok(d, "intake", "--procedure", "1.001612", "--name", "Nguyễn Văn Ấn", "--id-number", "052090123456")
    return d


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    f = tmp_path_factory.mktemp("badfiles")
    proc = {"code": "1.001612", "name": "Đăng ký hộ kinh doanh", "field": "Kinh doanh", "working_days": 3}
    (f / "name_list.json").write_text(json.dumps({"procedures": [{**proc, "name": ["x"]}]}))
    (f / "field_number.json").write_text(json.dumps({"procedures": [{**proc, "field": 7}]}))
    (f / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (f / "note.json").write_text(json.dumps([{"day": "2026-12-25", "kind": "day_off", "note": 5}]))
    (f / "folder.json").mkdir()
    return f


# The crash inputs of issue 12 (each exited 70 with a traceback in the log before this change).
CRASHES = {
    "name not UTF-8": (["intake", "--procedure", "1.001612", "--name", NOT_UTF8], "UTF-8"),
    "QR not UTF-8": (["intake", "--procedure", "1.001612", "--cccd-qr", QR_NOT_UTF8], "UTF-8"),
    "search not UTF-8": (["search", NOT_UTF8], "UTF-8"),
    "sets 10^20": (["intake", "--procedure", "1.001612", "--name", "A", "--sets", HUGE], "Số bộ"),
    "document count 10^20": (["intake", "--procedure", "2.000815", "--name", "A",
                              "--document", f"Bằng|original|{HUGE}|1"], "Số lượng"),
    "document pages 10^20": (["intake", "--procedure", "2.000815", "--name", "A",
                              "--document", f"Bằng|original|1|{HUGE}"], "Số trang"),
    "list --limit 10^20": (["list", "--limit", HUGE], "--limit"),
    "search --limit 10^20": (["search", "Ấn", "--limit", HUGE], "--limit"),
    "catalogue name a list": (["catalogue", "import", "{f}/name_list.json"], "chuỗi ký tự"),
    "catalogue field a number": (["catalogue", "import", "{f}/field_number.json"], "chuỗi ký tự"),
    "catalogue deep JSON": (["catalogue", "import", "{f}/deep.json"], "quá sâu"),
    "calendar deep JSON": (["calendar", "import", "{f}/deep.json"], "quá sâu"),
    "catalogue from a directory": (["catalogue", "import", "{f}/folder.json"], "thư mục"),
    "calendar note a number": (["calendar", "import", "{f}/note.json"], "chuỗi ký tự"),
    "max_reschedules ²": (["settings", "set", "max_reschedules", "²"], "số nguyên"),
    "export to a missing folder": (["catalogue", "export", "--out", "{f}/missing/c.json"], "không tồn tại"),
    "register to a missing folder": (["register", "--from", "2026-01-01", "--to", "2026-12-31",
                                      "--out", "{f}/missing/s.pdf"], "không tồn tại"),
}


@pytest.mark.parametrize("args, fragment", list(CRASHES.values()), ids=list(CRASHES))
def test_crash_input_gets_a_vietnamese_message_and_writes_nothing(data, files, args, fragment):
    args = [a.replace("{f}", str(files)) if isinstance(a, str) else a for a in args]
    before = fingerprint(data)
    assert_refused(data, run(data, *args), before, fragment)


def test_print_to_a_missing_folder_is_not_recorded_as_printed(data, tmp_path):
    code = ok(data, "list")[0]["code"]
    before = fingerprint(data)
    assert_refused(data, run(data, "print", code, "--form", "receipt", "--out", str(tmp_path / "no" / "r.pdf")),
                   before, "không tồn tại")
    assert "printed" not in [e["kind"] for e in ok(data, "show", code)["events"]]


FULL_DISK = textwrap.dedent("""
    import sys
    from sqlalchemy import event
    from counter_app.storage import db as store
    from counter_app.cli import main

    real = store.create_sqlite_engine

    def full(path, key=None):  # the disk is full: the database cannot grow by a single page
        engine = real(path, key)

        @event.listens_for(engine, "connect")
        def _cap(conn, _record):
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count={pages}")
        return engine

    store.create_sqlite_engine = full
    sys.exit(main(sys.argv[1:]))
""")


def test_a_full_disk_gets_a_vietnamese_message_not_a_sqlalchemy_traceback(data):
    before = fingerprint(data)
    env = {**os.environ, "COUNTER_APP_OFFICER": "Cán bộ CLI", "PYTHONIOENCODING": "utf-8"}
    bulky = "Thôn " + "x" * 20_000  # more than the free space left in the file's pages
    result = subprocess.run([sys.executable, "-c", FULL_DISK, "intake", "--procedure", "1.001612", "--name",
                             "Người nộp", "--address", bulky, "--data-dir", str(data)],
                            cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert_refused(data, result, before, "Ổ đĩa đã đầy")
    assert "disk full" in result.stderr.decode()


def test_replace_import_that_would_delete_lists_them_and_needs_yes(data, tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"procedures": [{"code": "1.001612", "name": "Đăng ký hộ kinh doanh",
                                               "field": "Kinh doanh", "working_days": 3}]}), encoding="utf-8")
    empty = tmp_path / "empty.json"
    empty.write_text('{"procedures": []}', encoding="utf-8")
    before = fingerprint(data)
    refused = run(data, "catalogue", "import", str(empty), "--replace")
    assert_refused(data, refused, before, "--yes")
    err = refused.stderr.decode()
    assert "1.001612" in err and "(ngừng áp dụng)" in err and "(xóa)" in err  # 1.001612 has a dossier
    assert_refused(data, run(data, "catalogue", "import", str(one), "--replace"), before, "--yes")
    done = ok(data, "catalogue", "import", str(one), "--replace", "--yes")
    assert done["deleted"] == 89 and done["closed"] == 0 and done["updated"] + done["unchanged"] == 1
    assert len(ok(data, "catalogue", "list", "--all")["procedures"]) == 1


def test_backdate_reason_from_the_command_line(data):
    before = fingerprint(data)
    assert_refused(data, run(data, "intake", "--procedure", "1.001612", "--name", "Lê Văn Bình",
                             "--received-at", "2000-01-03T08:00"), before, "--backdate-reason")
    assert_refused(data, run(data, "intake", "--procedure", "1.001612", "--name", "Lê Văn Bình", "--dob",
                             "01/01/1800"), before, "1900")
    assert_refused(data, run(data, "intake", "--procedure", "1.001612", "--name", "Lê Văn Bình",
                             "--competent-agency", "H01.001"), before, "không thuộc các cơ quan")
    d = ok(data, "intake", "--procedure", "1.001612", "--name", "Lê Văn Bình", "--received-at", "2026-03-02T08:00",
           "--backdate-reason", "Nhập bù sổ giấy")
    assert ok(data, "show", d["code"])["events"][0]["payload"]["backdate_reason"] == "Nhập bù sổ giấy"
