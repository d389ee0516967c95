"""The certification commands as real processes."""

from __future__ import annotations


import pytest
from pypdf import PdfReader

from tests.cli.test_cli import run, run_json, table_counts


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("certcli") / "data"
    run_json(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai")
    run(d, "cert-signer", "add", "--name", "Nguyễn Văn Chủ", "--title", "Chủ tịch UBND xã Định Mỹ",
        "--from", "2026-01-01")
    return d


def test_certify_prints_numbers_fees_and_the_stamps(data, tmp_path):
    out = run_json(data, "certify", "--name", "Lê Văn Tám", "--id-number", "052090123456",
                   "--document", "Giấy khai sinh|pages=1|copies=3", "--document", "Sổ hộ khẩu|pages=300|copies=1",
                   "--document", "Bằng tốt nghiệp|pages=3|copies=2",
                   "--received-at", "2026-06-10T15:20", "--backdate-reason", "nhập bù sổ giấy")
    run(data, "certify-sign", out["code"], "--signer", "Nguyễn Văn Chủ", "--at", "2026-06-11T09:30")
    assert out["due_at"] == "2026-06-11T17:00:00+07:00"  # after the 15:00 cut-off
    assert out["book"] == "01/2026-SCT/BS" and out["fee_total"] == 216_000
    assert [(i["document"], i["pages"], i["copies"], i["fee"], i["certificate_number"]) for i in out["items"]] == [
        ("Giấy khai sinh", 1, 3, 6_000, 1), ("Sổ hộ khẩu", 300, 1, 200_000, 2), ("Bằng tốt nghiệp", 3, 2, 10_000, 3)]
    pdf = tmp_path / "stamps.pdf"
    run(data, "print", out["code"], "--form", "stamps", "--out", str(pdf))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert text.count("CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH") == 6  # one per copy
    assert "Số chứng thực: 02 Quyển số: 01/2026-SCT/BS" in text and "NGƯỜI THỰC HIỆN CHỨNG THỰC" in text
    # received at 15:20 on the 10th, signed on the 11th: the statement carries the day of signing,
    # and names the signer with the title, never the desk officer who typed the request
    assert text.count("Ngày 11 tháng 6 năm 2026") == 6 and "Ngày 10 tháng 6" not in text
    assert text.count("CHỦ TỊCH UBND XÃ ĐỊNH MỸ Nguyễn Văn Chủ") == 6 and "Cán bộ CLI" not in text
    receipt = tmp_path / "receipt.pdf"
    run(data, "print", out["code"], "--form", "cert_receipt", "--out", str(receipt))
    rtext = PdfReader(receipt).pages[0].extract_text()
    assert "BIÊN NHẬN YÊU CẦU CHỨNG THỰC" in rtext and "216.000" in rtext and "Sổ hộ khẩu" in rtext


def test_void_book_and_closing(data, tmp_path):
    out = run_json(data, "certify", "--name", "Trần Thị Bích", "--document", "CCCD|pages=2|copies=1",
                   "--document", "Giấy đăng ký kết hôn|pages=1|copies=2",
                   "--received-at", "2026-06-10T09:00", "--backdate-reason", "nhập bù sổ giấy")
    number = out["items"][1]["certificate_number"]
    run(data, "certify-void", out["code"], "--number", str(number), "--reason", "Bản chính bị tẩy xóa")
    book = run_json(data, "certbook", "--from", "2026-06-10", "--to", "2026-06-10")
    entry = next(e for e in book["entries"] if e["number"] == number)
    assert entry["void"] and entry["book"] == "01/2026-SCT/BS" and entry["copies"] == 2
    assert {"number", "book", "date", "document", "copies", "fee", "void"} <= set(entry)
    assert [e["number"] for e in book["entries"]] == list(range(1, len(book["entries"]) + 1))
    pdf, xlsx = tmp_path / "book.pdf", tmp_path / "book.xlsx"
    run(data, "certbook", "--from", "2026-06-01", "--to", "2026-06-30", "--out", str(pdf))
    run(data, "certbook", "--from", "2026-06-01", "--to", "2026-06-30", "--out", str(xlsx))
    cover, text = (p.extract_text() for p in PdfReader(pdf).pages[:2])
    assert "Quyển số: 01/2026-SCT/BS" in cover and "Mở ngày" in cover and "Khóa ngày" in cover
    assert "SỔ CHỨNG THỰC BẢN SAO TỪ BẢN CHÍNH" in text and "ĐÃ HỦY: Bản chính bị tẩy" in text
    flat = " ".join(text.split())
    # column (5): the signer and title for the lines signed on the 11th; (2): the signing day
    assert "Nguyễn Văn Chủ, Chủ tịch UBND xã Định Mỹ" in flat and "11/06/2026" in flat
    assert "Cán bộ CLI" not in flat and "chờ ký" in flat  # this visit is not signed yet
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    assert [c.value for c in ws[5]] == [f"({i})" for i in range(1, 9)] and ws.max_column == 8
    assert ws.cell(4, 5).value == "Họ tên, chức danh người ký chứng thực"
    assert ws.cell(6, 1).value == 1 and ws.max_row == 5 + len(book["entries"])
    assert ws.cell(6, 5).value == "Nguyễn Văn Chủ, Chủ tịch UBND xã Định Mỹ"
    closing = run_json(data, "closing", "--date", "2026-06-10", "--out", str(tmp_path / "closing.pdf"))
    assert closing["balanced"] and closing["voids"] == 1
    assert closing["certifications"] == closing["register_certifications"] == len(book["entries"]) - 1
    assert "CHỐT SỔ CHỨNG THỰC" in PdfReader(tmp_path / "closing.pdf").pages[0].extract_text()
    run(data, "closing", "--date", "2026-06-10", "--out", str(tmp_path / "closing.xlsx"))
    sheet = load_workbook(tmp_path / "closing.xlsx").active
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert rows["Số chứng thực"][:2] == (closing["certifications"], closing["register_certifications"])
    assert rows["Khớp với sổ"][0] == "có"


def test_bad_certify_input_exits_non_zero_and_writes_nothing(data):
    before = table_counts(data)
    for args in (["--name", "A"], ["--name", "A", "--document", "X|pages=0|copies=1"],
                 ["--name", "A", "--document", "X|trang=2"], ["--document", "X|pages=1"],
                 ["--name", "A", "--document", "X", "--extend", "3", "--extend-reason", "nhiều"]):
        result = run(data, "certify", *args, ok=False)
        assert result.returncode == 1 and "Lỗi:" in result.stderr, args
    assert table_counts(data) == before
    assert run(data, "print", "H52.101-260610-019999", "--form", "stamps", "--out", "/tmp/x.pdf", ok=False).returncode == 1


def test_certify_from_a_scanned_qr_and_overlay_stamps(data, tmp_path):
    qr = "052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai|15042021"
    out = run_json(data, "certify", "--cccd-qr", qr, "--document", "Học bạ|pages=20|copies=2",
                   "--kind", "copy",
                   "--received-at", "2026-06-11T08:00", "--backdate-reason", "nhập bù sổ giấy")
    run(data, "certify-sign", out["code"], "--signer", "Nguyễn Văn Chủ", "--at", "2026-06-11T10:00")
    assert out["items"][0]["fee"] == 2 * (4_000 + 18_000)
    shown = run_json(data, "show", out["code"])
    assert shown["applicant_name"] == "TRẦN THỊ BÍCH" and shown["procedure_code"] == "2.000815"
    run(data, "settings", "set", "stamps.layout", "overlay")
    try:
        pdf = tmp_path / "overlay.pdf"
        run(data, "print", out["code"], "--form", "stamps", "--out", str(pdf))
        pages = PdfReader(pdf).pages
        assert len(pages) == 2  # one sheet per copy, the block at the configured place
        assert all("CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH" in p.extract_text() for p in pages)
    finally:
        run(data, "settings", "set", "stamps.layout", "labels")
    bad = run(data, "settings", "set", "stamps.layout", "giữa trang", ok=False)
    assert bad.returncode == 1


def test_signers_awaiting_signature_and_year_end_closing_from_the_command_line(data, tmp_path):
    signers = run_json(data, "cert-signer", "add", "--name", "Trần Thị Phó", "--title", "Phó Chủ tịch UBND xã Định Mỹ",
                       "--from", "2026-01-01", "--to", "2026-12-31")
    assert [s["name"] for s in signers] == ["Nguyễn Văn Chủ", "Trần Thị Phó"]
    out = run_json(data, "certify", "--name", "Phạm Văn Ký", "--id-number", "052090999888", "--kind", "signature",
                   "--document", "Giấy ủy quyền", "--received-at", "2026-06-12T15:30",
                   "--backdate-reason", "nhập bù sổ giấy")
    waiting = run_json(data, "certify-unsigned")
    assert out["code"] in [w["code"] for w in waiting] and out["signed_at"] is None
    bad = run(data, "certify-sign", out["code"], "--signer", "Cán bộ CLI", ok=False)
    assert bad.returncode == 1 and "không có trong danh sách người ký" in bad.stderr
    signed = run_json(data, "certify-sign", out["code"], "--signer", "Trần Thị Phó", "--at", "2026-06-15T08:00")
    assert signed["signer_title"] == "Phó Chủ tịch UBND xã Định Mỹ" and signed["signed_at"].startswith("2026-06-15")
    assert out["code"] not in [w["code"] for w in run_json(data, "certify-unsigned")]
    early = run(data, "certbook-close", "--year", "2099", ok=False)  # a real process: today's clock
    assert early.returncode == 1 and "31/12/2099" in early.stderr
    assert run(data, "certbook-close", "--year", "2099", "--force", ok=False).returncode == 1
    run(data, "certbook-close", "--year", "2026", "--kind", "signature", "--force", "--reason", "Sáp nhập đơn vị",
        "--signer", "Nguyễn Văn Chủ")
    pdf = tmp_path / "sig.pdf"
    run(data, "certbook", "--kind", "signature", "--from", "2026-01-01", "--to", "2026-12-31", "--out", str(pdf))
    last = " ".join(PdfReader(pdf).pages[-1].extract_text().split())
    assert "Khóa sổ trước ngày 31/12, lý do: Sáp nhập đơn vị" in last and last.endswith("Nguyễn Văn Chủ")
