"""Issue 15 item 7 from the real command line: former names and codes of merged or renamed units."""

import pytest

from tests.cli.test_cli import list_anywhere, run, run_json, table_counts
from tests.conftest import pdf_text


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("former") / "data"
    run_json(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai")
    run_json(d, "agency", "add", "--code", "H52.102", "--name", "UBND xã Bình Nghi")
    list_anywhere(d)
    return d


def test_alias_is_recorded_listed_and_found_without_diacritics(data):
    listed = run_json(data, "agency", "alias", "H52.102", "--former-name", "UBND xã Tây Bình",
                      "--former-code", "000.21.33.H08", "--until", "2025-06-30",
                      "--source", "NQ sắp xếp đơn vị hành chính cấp xã")["agencies"]
    former = {a["code"]: a["former"] for a in listed}
    assert former["H52.101"] == []
    assert former["H52.102"] == [{"agency_code": "H52.102", "former_name": "UBND xã Tây Bình",
                                  "former_code": "000.21.33.H08", "until": "2025-06-30",
                                  "source": "NQ sắp xếp đơn vị hành chính cấp xã"}]
    assert "tên cũ: UBND xã Tây Bình (000.21.33.H08), đến hết 2025-06-30" in run(data, "agency", "list").stdout
    for typed in ("ubnd xa tay binh", "UBND XÃ TÂY BÌNH, tỉnh Bình Định", "000.21.33.h08"):
        assert run_json(data, "agency", "find", typed)["agency"]["code"] == "H52.102"
    missing = run(data, "agency", "find", "UBND xã Tây Sơn", ok=False)
    assert missing.returncode == 1 and "Không tìm thấy cơ quan" in missing.stderr


def test_bad_aliases_are_refused_and_write_nothing(data):
    before = table_counts(data)
    for args, message in ((("H52.999", "--former-name", "UBND xã Cũ", "--until", "2025-06-30"), "chưa có cơ quan"),
                          (("H52.101", "--former-name", "ubnd xa tay binh", "--until", "2025-06-30"), "tên cũ"),
                          (("H52.101", "--former-name", "UBND xã A", "--until", "30/06/2025"), "YYYY-MM-DD")):
        refused = run(data, "agency", "alias", *args, ok=False)
        assert refused.returncode == 1 and message in refused.stderr, refused.stderr
    assert table_counts(data) == before
    assert [a["former"] for a in run_json(data, "agency", "list")["agencies"]][0] == []


def test_intake_by_former_name_stores_and_prints_the_current_agency(data, tmp_path):
    out = run_json(data, "intake", "--procedure", "1.001193", "--name", "Phan Văn Cư",
                   "--competent-agency", "UBND xa Tay Binh", "--return-at", "000.21.33.H08")
    assert (out["competent_agency"], out["return_at"]) == ("H52.102", "H52.102")
    control = tmp_path / "control.pdf"
    run_json(data, "print", out["code"], "--form", "control", "--out", str(control))
    receipt = tmp_path / "receipt.pdf"
    run_json(data, "print", out["code"], "--form", "receipt", "--out", str(receipt))
    for text in (pdf_text(control), pdf_text(receipt)):
        assert "UBND xã Bình Nghi" in text and "Tây Bình" not in text
