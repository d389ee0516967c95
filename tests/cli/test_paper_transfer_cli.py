"""Issue 15 items 3 and 6 from the real command line: the paper hand-over list to the competent
agency (recorded, then printed; reprinted), the ready-made lists and the register's filters."""

import pytest

from tests.cli.test_cli import list_anywhere, run, run_json, table_counts
from tests.conftest import pdf_text

INTAKE = ("intake", "--procedure", "1.001193", "--name", "Lý Văn Tư", "--address", "Thôn 3, xã Định Mỹ")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("paper") / "data"
    run_json(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai")
    run_json(d, "agency", "add", "--code", "H52.102", "--name", "UBND xã Bình Nghi")
    list_anywhere(d)
    return d


def test_record_print_and_reprint_a_hand_over_list(data, tmp_path):
    a = run_json(data, *INTAKE, "--competent-agency", "H52.102")["code"]
    b = run_json(data, *INTAKE, "--competent-agency", "H52.102")["code"]
    own = run_json(data, *INTAKE)["code"]
    waiting = run_json(data, "lists", "waiting-transfer")
    assert [x["code"] for x in waiting] == [a, b] and {x["late"] for x in waiting} == {False}
    assert "Chờ chuyển cho cơ quan khác: 2 hồ sơ" in run(data, "lists", "waiting-transfer").stdout

    before = table_counts(data)
    bad = run(data, "handover", "--channel", "paper", "--to", "H52.102", "--out", str(tmp_path / "x.pdf"), ok=False)
    assert bad.returncode == 1 and "--receiver" in bad.stderr
    wrong = run(data, "handover", "--channel", "paper", "--to", "H52.102", "--receiver", "Lê Văn Nhận",
                "--code", own, "--out", str(tmp_path / "x.pdf"), ok=False)
    assert wrong.returncode == 1 and "UBND xã Định Mỹ giải quyết" in wrong.stderr
    suffix = run(data, "handover", "--channel", "paper", "--to", "H52.102", "--receiver", "Lê Văn Nhận",
                 "--out", str(tmp_path / "x.txt"), ok=False)
    assert suffix.returncode == 1
    assert table_counts(data) == before and not (tmp_path / "x.pdf").exists()

    out = tmp_path / "list.pdf"
    batch = run_json(data, "handover", "--channel", "paper", "--to", "H52.102", "--receiver", "Lê Văn Nhận",
                     "--code", a, "--out", str(out))
    assert batch["dossiers"] == [a] and batch["reprint"] is False and batch["batch"].startswith("BG-H52.102-")
    assert table_counts(data)[1:] == [before[1] + 1, before[2] + 1]  # one event and its outbox row
    text = pdf_text(out)
    assert "DANH SÁCH BÀN GIAO HỒ SƠ" in text and a.replace("-", "") in text.replace("-", "").replace(" ", "")
    assert "BẢN IN LẠI" not in text
    assert [x["code"] for x in run_json(data, "handover", "pending", "--channel", "paper")] == [b]
    assert run_json(data, "show", a)["events"][-1]["kind"] == "paper_transferred"

    again = tmp_path / "again.pdf"
    reprint = run_json(data, "handover", "print", batch["batch"], "--out", str(again))
    assert reprint["reprint"] is True and "BẢN IN LẠI" in pdf_text(again)

    sheet = tmp_path / "sheet.pdf"
    run_json(data, "print", a, "--form", "transfer", "--out", str(sheet))
    assert "GIẤY BÀN GIAO HỒ SƠ" in pdf_text(sheet) and "Lê Văn Nhận" in pdf_text(sheet)

    assert {x["code"] for x in run_json(data, "lists", "awaiting-result")} == {a, b}
    assert run_json(data, "lists", "with-post") == []


def test_the_register_filters_and_the_cross_boundary_register(data, tmp_path):
    run_json(data, *INTAKE, "--competent-agency", "H52.102")
    day = run_json(data, *INTAKE)["received_at"][:10]
    cross = tmp_path / "cross.pdf"
    out = run_json(data, "register", "--from", day, "--to", day, "--cross", "--out", str(cross))
    assert out["kind"] == "register_cross" and out["rows"] >= 1
    text = pdf_text(cross)
    assert "SỔ THEO DÕI HỒ SƠ PHI ĐỊA GIỚI" in text and "UBND xã Bình Nghi" in text
    own_only = run_json(data, "register", "--from", day, "--to", day, "--competent-agency", "H52.101",
                        "--channel", "counter", "--out", str(tmp_path / "own.pdf"))
    everything = run_json(data, "register", "--from", day, "--to", day, "--out", str(tmp_path / "all.xlsx"))
    assert 1 <= own_only["rows"] < everything["rows"]
    assert "kênh: trực tiếp tại quầy" in pdf_text(tmp_path / "own.pdf")
    none = run_json(data, "register", "--from", day, "--to", day, "--channel", "online", "--out", str(tmp_path / "o.pdf"))
    assert none["rows"] == 0
