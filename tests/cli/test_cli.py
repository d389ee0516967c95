"""The command line, run as a real process the way support staff and scripts run it."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def run(data, *args, ok=True):
    env = {**os.environ, "COUNTER_APP_OFFICER": "Cán bộ CLI", "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-m", "counter_app", *args, "--data-dir", str(data)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    if ok:
        assert result.returncode == 0, result.stderr
    return result


def run_json(data, *args):
    return json.loads(run(data, *args, "--json").stdout)


def list_anywhere(data, *codes):
    """Load a provincial location-independent list naming ``codes`` (default 1.001193, the civil
    status procedure these tests receive for another agency) with `location-free import`."""
    path = data.parent / "location-free.json"
    path.write_text(json.dumps({"entries": [
        {"procedure_code": c, "decision": "2608/QĐ-UBND", "decision_date": "2025-11-24",
         "effective_from": "2025-11-24"} for c in codes or ("1.001193",)]}, ensure_ascii=False), encoding="utf-8")
    return run_json(data, "location-free", "import", str(path))


def table_counts(data):
    con = sqlite3.connect(data / "counter.sqlite")
    try:
        return [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("dossier", "dossier_event", "outbox")]
    finally:
        con.close()


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli") / "data"
    out = run_json(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ",
                   "--province", "Gia Lai", "--desk", "2")
    assert out["procedures"] == 90 and out["desk"] == 2
    return d


def test_intake_json_has_the_agreed_keys(data):
    out = run_json(data, "intake", "--procedure", "1.001612", "--name", "Nguyễn Văn Ấn", "--id-number",
                   "052090123456", "--dob", "01/01/1990", "--gender", "Nam", "--phone", "0912 345 678",
                   "--received-at", "2026-06-10T09:15", "--backdate-reason", "nhập bù sổ giấy")
    assert out["code"] == "H52.101-260610-020001"  # desk 2 is device slot 2
    assert (out["status"], out["status_code"]) == ("received", 2)
    assert out["received_at"] == "2026-06-10T09:15:00+07:00"
    assert out["due_at"] == "2026-06-15T09:15:00+07:00"
    assert (out["procedure_code"], out["applicant_name"]) == ("1.001612", "Nguyễn Văn Ấn")
    assert out["documents"][0]["name"] == "Giấy đề nghị đăng ký hộ kinh doanh"  # from the catalogue


def test_intake_with_qr_documents_and_life_cycle(data):
    qr = "052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2, xã Định Mỹ|01072024"
    out = run_json(data, "intake", "--procedure", "2.000815", "--cccd-qr", qr,
                   "--document", "Giấy khai sinh|original|2|1", "--document", "Bằng tốt nghiệp|bản chính|1|3",
                   "--received-at", "2026-06-10T15:30", "--backdate-reason", "nhập bù sổ giấy")
    assert out["applicant"]["id_number"] == "052195000123" and out["applicant_name"] == "TRẦN THỊ BÍCH"
    assert out["total_fee_vnd"] == 4_000 + 5_000
    assert out["due_at"] == "2026-06-11T17:00:00+07:00"  # after 15:00: the next working day
    code = out["code"]
    assert run(data, "return", code, ok=False).returncode != 0
    assert run_json(data, "result-ready", code)["status"] == "result_ready"
    returned = run_json(data, "return", code, "--receiver-name", "Trần Thị Bích", "--rating", "5")
    assert returned["status_code"] == 10
    shown = run_json(data, "show", code)
    assert [e["kind"] for e in shown["events"]] == ["received", "result_ready", "returned"]
    assert all(e["officer"] == "Cán bộ CLI" for e in shown["events"])
    text = run(data, "show", code).stdout
    assert "Lịch sử" in text and "052******123" in text and "052195000123" not in text


def test_transitions_from_the_command_line(data):
    code = run_json(data, "intake", "--procedure", "1.001193", "--name", "Lê Thị Đào",
                    "--received-at", "2026-06-10T09:00", "--backdate-reason", "nhập bù sổ giấy")["code"]
    assert run_json(data, "forward", code)["status"] == "processing"
    assert run_json(data, "supplement", code, "--reason", "Thiếu giấy chứng sinh",
                    "--document", "Giấy chứng sinh")["status_code"] == 5
    assert run_json(data, "supplied", code)["status"] == "processing"
    assert run_json(data, "reschedule", code, "--new-due", "2030-06-20T09:00", "--reason", "Chờ xác minh")[
        "due_at"] == "2030-06-20T09:00:00+07:00"
    second = run(data, "reschedule", code, "--new-due", "2030-06-25T09:00", "--reason", "Lần nữa", ok=False)
    assert second.returncode == 1 and "tối đa" in second.stderr
    assert run_json(data, "stop", code, "--reason", "Không đủ điều kiện")["status_code"] == 8
    other = run_json(data, "intake", "--procedure", "1.001193", "--name", "Hồ Văn Em")["code"]
    assert run_json(data, "withdraw", other)["status_code"] == 7


def test_refuse_has_its_own_code_and_status(data):
    out = run_json(data, "refuse", "--procedure", "1.004222", "--name", "Phạm Văn Cường",
                   "--reason", "Thuộc thẩm quyền Công an xã")
    assert (out["status"], out["status_code"], out["due_at"]) == ("refused", 3, None)
    assert out["code"].startswith("H52.101-")


def test_search_and_list_mask_ids(data):
    run(data, "intake", "--procedure", "1.001612", "--name", "Nguyễn Văn Ấn", "--id-number", "052090123456",
        "--received-at", "2026-06-10T09:20", "--backdate-reason", "nhập bù sổ giấy")
    rows = run_json(data, "search", "nguyen van an")
    assert rows and rows[0]["applicant_name"] == "Nguyễn Văn Ấn" and rows[0]["id_number"] == "052******456"
    assert {"code", "status", "status_code", "received_at", "due_at", "procedure_code", "applicant_name"} <= set(rows[0])
    assert run_json(data, "search", "052090123456")[0]["code"] == rows[0]["code"]
    assert all(r["status"] == "refused" for r in run_json(data, "list", "--status", "refused"))
    assert "052090123456" not in run(data, "list").stdout
    june10 = run_json(data, "list", "--from", "2026-06-10", "--to", "2026-06-10")
    assert june10 and all(r["received_at"].startswith("2026-06-10") for r in june10)
    assert run_json(data, "search", "nguyen", "--from", "2026-06-11", "--to", "2026-06-11") == []
    assert run(data, "list", "--from", "10/06/2026", ok=False).returncode == 1


@pytest.mark.parametrize("args, fragment", [
    (["intake", "--procedure", "9.999999", "--name", "A"], "Không có thủ tục"),
    (["intake", "--procedure", "1.001612", "--name", "A", "--id-number", "003090123456"], "Mã tỉnh"),
    (["intake", "--procedure", "1.001612", "--name", "A", "--dob", "31/02/1990"], "DD/MM/YYYY"),
    (["intake", "--procedure", "1.001612", "--name", "A", "--document", "Tờ khai|scan|1"], "Loại giấy tờ"),
    (["intake", "--procedure", "1.001612", "--name", "A", "--received-at", "2099-01-01T08:00"], "tương lai"),
    (["intake", "--procedure", "1.001612"], "họ tên"),
    (["intake", "--name", "A"], "Lỗi cú pháp"),
    (["refuse", "--procedure", "1.001612", "--name", "A", "--reason", " "], "lý do"),
    (["forward", "H52.101-260610-029999"], "Không tìm thấy"),
    (["return", "NOT-A-CODE"], "Không tìm thấy"),
])
def test_bad_input_exits_non_zero_in_vietnamese_and_writes_nothing(data, args, fragment):
    before = table_counts(data)
    result = run(data, *args, ok=False)
    assert result.returncode != 0
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert table_counts(data) == before


def test_catalogue_import_list_and_export(data, tmp_path):
    exported = tmp_path / "cat.json"
    run(data, "catalogue", "export", "--out", str(exported))
    doc = json.loads(exported.read_text("utf-8"))
    target = next(p for p in doc["procedures"] if p["code"] == "1.004873")
    target["fee_vnd"] = 15_000
    exported.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = run_json(data, "catalogue", "import", str(exported))
    assert (report["updated"], report["added"]) == (1, 0)
    listed = run_json(data, "catalogue", "list")["procedures"]
    assert next(p for p in listed if p["code"] == "1.004873")["fee_vnd"] == 15_000
    bad = tmp_path / "bad.json"
    bad.write_text('{"procedures": [{"code": "x"}]}', encoding="utf-8")
    result = run(data, "catalogue", "import", str(bad), ok=False)
    assert result.returncode == 1 and "Thủ tục thứ 1" in result.stderr


def test_calendar_overrides_change_due_dates(data, tmp_path):
    overrides = tmp_path / "lich.csv"
    overrides.write_text("day,kind,agency_code,note\n2026-06-11,day_off,,Nghỉ bù theo quyết định tỉnh\n",
                         encoding="utf-8")
    run(data, "calendar", "import", str(overrides))
    assert run_json(data, "calendar", "list")["overrides"][0]["kind"] == "day_off"
    out = run_json(data, "intake", "--procedure", "2.000575", "--name", "Võ Thị Lan",
                   "--received-at", "2026-06-10T10:00", "--backdate-reason", "nhập bù sổ giấy")  # 1 working day
    assert out["due_at"] == "2026-06-12T10:00:00+07:00"
    bad = tmp_path / "bad.csv"
    bad.write_text("day,kind\n2026-13-01,day_off\n", encoding="utf-8")
    assert run(data, "calendar", "import", str(bad), ok=False).returncode == 1
    assert len(run_json(data, "calendar", "list")["overrides"]) == 1  # the bad file changed nothing


def test_published_swaps_are_listed_with_their_source_and_move_due_dates(data):
    swaps = {s["id"]: s for s in run_json(data, "calendar", "swaps")["swaps"]}
    new_year = swaps["2026-tet-duong-lich"]
    assert (new_year["day_off"], new_year["working_day"], new_year["verified"]) == ("2026-01-02", "2026-01-10", True)
    assert "12729/VPCP-KGVX" in new_year["source"] and swaps["2026-quoc-khanh"]["verified"] is False
    assert "CHƯA đối chiếu" in run(data, "calendar", "swaps").stdout
    out = run_json(data, "intake", "--procedure", "2.000575", "--name", "Võ Thị Lan",
                   "--received-at", "2025-12-31T10:00", "--backdate-reason", "nhập bù sổ giấy")  # 1 working day
    assert out["due_at"] == "2026-01-05T10:00:00+07:00"  # 1/1 holiday, 2/1 swapped off, then a weekend


def test_check_and_backup(data, tmp_path):
    report = run_json(data, "check")
    assert report["ok"] and report["integrity"] == "ok" and report["revision"] == report["head"]
    out = tmp_path / "copy.sqlite"
    run(data, "backup", "--out", str(out))
    con = sqlite3.connect(out)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM dossier").fetchone()[0] == table_counts(data)[0]
    assert run(data, "backup", "--out", str(out), ok=False).returncode == 1  # never overwrites


def test_uninitialised_data_dir_is_reported_and_left_alone(tmp_path):
    empty = tmp_path / "nothing"
    result = run(empty, "list", ok=False)
    assert result.returncode == 1 and "Chưa khởi tạo" in result.stderr
    assert not empty.exists()


def test_init_twice_is_refused(data):
    result = run(data, "init", "--agency-code", "H52.101", "--agency-name", "X", ok=False)
    assert result.returncode == 1 and "đã được khởi tạo" in result.stderr


def test_no_subcommand_opens_the_window(data, tmp_path):
    """``counter-app`` alone starts the Qt window: the first-run wizard on an empty data directory
    (which it leaves empty when closed), the login dialog on a set-up one."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COUNTER_APP_EXIT_AFTER_SHOW": "1"}
    empty = tmp_path / "empty"
    result = subprocess.run([sys.executable, "-m", "counter_app", "--data-dir", str(empty)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not (empty / "counter.sqlite").exists()
    result = subprocess.run([sys.executable, "-m", "counter_app", "--data-dir", str(data)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_regional_counter_receives_for_a_served_agency(data):
    listed = run_json(data, "agency", "add", "--code", "H52.102", "--name", "UBND xã Bình Nghi")["agencies"]
    assert [(a["code"], a["own"]) for a in listed] == [("H52.101", True), ("H52.102", False)]
    list_anywhere(data)
    out = run_json(data, "intake", "--procedure", "1.001193", "--name", "Lý Văn Tư", "--agency", "H52.102")
    # The code is the competent agency's (standalone counter: in this desk's slot).
    assert out["receiving_agency"] == "H52.102" and out["code"].startswith("H52.102-")
    refused = run(data, "intake", "--procedure", "1.001193", "--name", "A", "--agency", "H99.999", ok=False)
    assert refused.returncode == 1 and "không tiếp nhận hồ sơ cho cơ quan" in refused.stderr


def test_print_forms_and_register_from_the_command_line(data, tmp_path):
    from pypdf import PdfReader

    code = run_json(data, "intake", "--procedure", "1.001612", "--name", "Đinh Thị Mai",
                    "--received-at", "2026-06-10T10:00", "--backdate-reason", "nhập bù sổ giấy")["code"]
    out = tmp_path / "giay-hen.pdf"
    first = run_json(data, "print", code, "--form", "receipt", "--out", str(out))
    assert (first["mark"], first["print_number"], first["form_set"]) == ("original", 1, "2025")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and "Đinh Thị Mai" in text
    assert run_json(data, "print", code, "--form", "receipt", "--out", str(out))["mark"] == "reprint"
    assert run_json(data, "print", code, "--form", "control", "--out", str(out), "--preview")["mark"] == "preview"
    kinds = [e["kind"] for e in run_json(data, "show", code)["events"]]
    assert kinds == ["received", "printed", "printed"]
    wrong = run(data, "print", code, "--form", "refusal", "--out", str(tmp_path / "x.pdf"), ok=False)
    assert wrong.returncode == 1 and "Không in được" in wrong.stderr and not (tmp_path / "x.pdf").exists()
    bad = run(data, "print", code, "--form", "receipt", "--out", str(tmp_path / "x.txt"), ok=False)
    assert bad.returncode == 1 and ".pdf" in bad.stderr
    for suffix in ("pdf", "xlsx"):
        target = tmp_path / f"so.{suffix}"
        result = run_json(data, "register", "--from", "2026-06-01", "--to", "2026-06-30", "--out", str(target))
        assert result["rows"] >= 1 and target.stat().st_size > 1000
    assert run(data, "register", "--from", "2026-06-30", "--to", "2026-06-01", "--out",
               str(tmp_path / "r.pdf"), ok=False).returncode == 1


def test_settings_choose_the_form_set_and_header(data, tmp_path):
    shown = run_json(data, "settings", "set", "forms.header_lines", "UBND TỈNH GIA LAI|UBND XÃ ĐỊNH MỸ")
    assert shown["forms"]["header_lines"] == ["UBND TỈNH GIA LAI", "UBND XÃ ĐỊNH MỸ"]
    assert run(data, "settings", "set", "forms.form_set", "1999", ok=False).returncode == 1
    assert run(data, "settings", "set", "no.such.key", "1", ok=False).returncode == 1
    run(data, "settings", "set", "forms.form_set", "2018")
    code = run_json(data, "intake", "--procedure", "1.001612", "--name", "Hà Văn Nam")["code"]
    out = tmp_path / "r.pdf"
    assert run_json(data, "print", code, "--form", "receipt", "--out", str(out))["form_set"] == "2018"
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    assert "UBND TỈNH GIA LAI" in text and "Thông tư 01/2018/TT-VPCP" in text
    run(data, "settings", "set", "forms.form_set", "2025")


def test_no_display_is_explained_not_a_crash(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "counter_app", "--data-dir", str(tmp_path / "d")], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "không có màn hình" in result.stderr
    assert not (tmp_path / "d").exists()


def test_json_errors_are_a_json_object_on_stderr_and_a_broken_pipe_ends_quietly(tmp_path):
    import json
    import subprocess
    import sys

    data = tmp_path / "d"
    base = [sys.executable, "-m", "counter_app", "--data-dir", str(data)]
    subprocess.run(base + ["init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ"], check=True,
                   capture_output=True)
    bad = subprocess.run(base + ["--json", "show", "KHONG-CO"], capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stdout == ""
    error = json.loads(bad.stderr)
    assert error["exit_code"] == 1 and "KHONG-CO" in error["error"]
    # ``counter-app catalogue export | head -1``: the reader goes away after one line of ~240 kB.
    proc = subprocess.Popen(base + ["catalogue", "export"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141 and "Traceback" not in stderr and "BrokenPipe" not in stderr
