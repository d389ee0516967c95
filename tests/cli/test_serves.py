"""Issue 15 item 1 from the real command line: a standalone counter set up to receive for several
agencies (`init --serves`), the province's location-independent list (`location-free import`), and
intake for another agency: only listed procedures, that agency's code, due-date calendar and receipt."""

import json

import pytest

from tests.cli.test_cli import run, run_json, table_counts
from tests.conftest import pdf_text

SERVES = "H52.102=UBND xã Bình Nghi,H52.103=UBND xã Định Tường"
INTAKE = ("intake", "--procedure", "1.001612", "--name", "Lý Văn Tư", "--address", "Thôn 3, xã Bình Nghi",
          "--received-at", "2026-11-16T09:00")  # a Monday
ENTRY = {"procedure_code": "1.001612", "decision": "2608/QĐ-UBND", "decision_date": "2025-11-24",
         "effective_from": "2025-11-24", "places": ["any_commune"], "channels": ["in_person", "post"]}


def write(path, doc) -> str:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("serves") / "data"
    out = run_json(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai",
                   "--serves", SERVES)
    assert out["serves"] == [{"code": "H52.102", "name": "UBND xã Bình Nghi"},
                             {"code": "H52.103", "name": "UBND xã Định Tường"}]
    return d


def test_init_serves_lists_the_served_agencies(data):
    listed = run_json(data, "agency", "list")["agencies"]
    assert [(a["code"], a["name"], a["own"]) for a in listed] == [
        ("H52.101", "UBND xã Định Mỹ", True), ("H52.102", "UBND xã Bình Nghi", False),
        ("H52.103", "UBND xã Định Tường", False)]


@pytest.mark.parametrize("serves, message", [
    ("H52.102", "Chưa biết tên cơ quan H52.102"), ("h52..1=X", "không hợp lệ"),
    ("H52.101=Chính nó", "cơ quan của quầy"), ("H52.102=A,H52.102=B", "hai lần"),
])
def test_bad_serves_refuse_init_and_create_nothing(tmp_path, serves, message):
    d = tmp_path / "data"
    refused = run(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--serves", serves, ok=False)
    assert refused.returncode == 1 and message in refused.stderr, refused.stderr
    assert not d.exists()


def test_without_a_list_the_catalogue_flag_decides_and_a_bound_procedure_is_refused(data):
    before = table_counts(data)
    refused = run(data, *INTAKE, "--competent-agency", "H52.102", ok=False)
    assert refused.returncode == 1
    assert "1.001612 «Đăng ký thành lập hộ kinh doanh»" in refused.stderr and "UBND xã Bình Nghi (H52.102)" in refused.stderr
    assert table_counts(data) == before


@pytest.mark.parametrize("entry, message", [
    ({**ENTRY, "decision_date": "2025-13-01"}, "không hợp lệ"),
    ({**ENTRY, "removed_by": "2900/QĐ-UBND"}, "bãi bỏ cần cả"),
    ({**ENTRY, "effective_from": "2025-11-01"}, "trước ngày ban hành"),
    ({**ENTRY, "channels": ["fax"]}, "chỉ gồm"),
    ({**ENTRY, "decision": ""}, "số văn bản"),
])
def test_a_bad_list_is_refused_with_its_line_and_writes_nothing(data, tmp_path, entry, message):
    before = table_counts(data)
    refused = run(data, "location-free", "import", write(tmp_path / "bad.json", {"entries": [ENTRY, entry]}), ok=False)
    assert refused.returncode == 1 and "Dòng thứ 2" in refused.stderr and message in refused.stderr, refused.stderr
    assert table_counts(data) == before
    assert run_json(data, "location-free", "list")["entries"] == []


def test_a_listed_procedure_gets_the_competent_agencys_code_calendar_and_receipt(data, tmp_path):
    removed = {**ENTRY, "procedure_code": "1.001193", "removed_by": "2900/QĐ-UBND", "removed_on": "2026-01-01"}
    assert run_json(data, "location-free", "import", write(tmp_path / "list.json", {"entries": [ENTRY, removed]})) == {
        "entries": 2}
    shown = run(data, "location-free", "list").stdout
    assert "QĐ 2608/QĐ-UBND ngày 24/11/2025" in shown and "bãi bỏ theo QĐ 2900/QĐ-UBND từ 01/01/2026" in shown
    # Binh Nghi closes on Tuesday: its dossiers' due dates skip that day, Dinh My's do not.
    run_json(data, "calendar", "import", write(tmp_path / "cal.json", [
        {"day": "2026-11-17", "kind": "day_off", "agency_code": "H52.102", "note": "nghỉ theo QĐ của xã"}]))
    own = run_json(data, *INTAKE)
    theirs = run_json(data, *INTAKE, "--competent-agency", "H52.102")
    assert own["code"].startswith("H52.101-261116-01") and theirs["code"] == "H52.102-261116-010001"
    assert own["due_at"][:10] == "2026-11-19" and theirs["due_at"][:10] == "2026-11-20"
    out = tmp_path / "receipt.pdf"
    run_json(data, "print", theirs["code"], "--form", "receipt", "--out", str(out))
    text = pdf_text(out)
    assert "UBND XÃ BÌNH NGHI" in text and "UBND XÃ ĐỊNH MỸ" not in text
    # Removed from the list since 1 January 2026: refused for another agency, still fine for its own.
    refused = run(data, "intake", "--procedure", "1.001193", "--name", "A", "--competent-agency", "H52.103", ok=False)
    assert refused.returncode == 1 and "UBND xã Định Tường (H52.103)" in refused.stderr
    assert run_json(data, "intake", "--procedure", "1.001193", "--name", "A")["competent_agency"] == "H52.101"
