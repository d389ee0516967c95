"""Issue 15 item 2: the return point chosen at intake, from the real command line to the printed receipt."""

import sqlite3

import pytest
from pypdf import PdfReader

from tests.cli.test_cli import list_anywhere, run, run_json, table_counts

INTAKE = ("intake", "--procedure", "1.001193", "--name", "Lý Văn Tư", "--address", "Thôn 3, xã Định Mỹ")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("return") / "data"
    run_json(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai")
    run_json(d, "agency", "add", "--code", "H52.102", "--name", "UBND xã Bình Nghi")
    list_anywhere(d)
    return d


def receipt_text(data, code, tmp_path) -> str:
    out = tmp_path / f"{code}.pdf"
    run_json(data, "print", code, "--form", "receipt", "--out", str(out))
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)


def test_default_is_this_counter(data):
    out = run_json(data, *INTAKE)
    assert (out["return_method"], out["return_at"], out["return_agency"]) == ("counter", "H52.101", "H52.101")


def test_return_at_another_counter_shows_and_prints_its_current_name(data, tmp_path):
    out = run_json(data, *INTAKE, "--competent-agency", "H52.102", "--return-at", "H52.102")
    shown = run_json(data, "show", out["code"])
    assert {k: shown[k] for k in ("competent_agency", "receiving_agency", "return_at", "channel")} == {
        "competent_agency": "H52.102", "receiving_agency": "H52.101", "return_at": "H52.102", "channel": "counter"}
    assert shown["events"][0]["payload"]["dossier"]["return_agency"] == "H52.102"  # what the province reads
    text = receipt_text(data, out["code"], tmp_path)
    assert "Đăng ký nhận kết quả tại: UBND xã Bình Nghi" in text
    # The agency renamed later: a reprint names it as it is called now, not by the code or the old name.
    run_json(data, "agency", "add", "--code", "H52.102", "--name", "UBND xã Bình Nghi mới")
    text = receipt_text(data, out["code"], tmp_path)
    assert "Đăng ký nhận kết quả tại: UBND xã Bình Nghi mới" in text
    assert "Nơi trả kết quả: quầy của H52.102" in run(data, "show", out["code"]).stdout


def test_return_at_post_is_a_postal_return(data, tmp_path):
    out = run_json(data, *INTAKE, "--return-at", "post", "--return-address", "12 Trần Hưng Đạo, phường Quy Nhơn")
    assert (out["return_method"], out["return_at"], out["return_agency"]) == ("post", "post", None)
    assert out["return_address"] == "12 Trần Hưng Đạo, phường Quy Nhơn"
    text = receipt_text(data, out["code"], tmp_path)
    assert "12 Trần Hưng Đạo, phường Quy Nhơn (qua dịch vụ bưu chính công ích)" in text
    # Without an address the applicant's own is used, as with --return-method post.
    assert run_json(data, *INTAKE, "--return-at", "POST")["return_address"] == "Thôn 3, xã Định Mỹ"


def test_unknown_or_contradictory_return_points_are_refused_and_write_nothing(data):
    before = table_counts(data)
    unknown = run(data, *INTAKE, "--return-at", "H99.999", ok=False)
    assert unknown.returncode == 1 and "Nơi trả kết quả H99.999" in unknown.stderr
    both = run(data, *INTAKE, "--return-at", "post", "--return-method", "counter", ok=False)
    assert both.returncode == 1 and "mâu thuẫn" in both.stderr
    assert table_counts(data) == before


def test_the_return_agency_is_bound_by_the_chain(data):
    """Editing the stored return point behind the app's back must show in ``check``."""
    code = run_json(data, *INTAKE, "--return-at", "H52.102")["code"]
    assert run(data, "check").returncode == 0
    con = sqlite3.connect(data / "counter.sqlite")
    with con:
        con.execute("UPDATE dossier SET return_agency = 'H52.101' WHERE code = ?", (code,))
    con.close()
    tampered = run(data, "check", ok=False)
    assert tampered.returncode != 0 and code in tampered.stdout + tampered.stderr
