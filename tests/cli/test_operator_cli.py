"""Issue 15 item 5 from the real command line: an account of the postal unit receives, the receipt
names it and the commune, its hand-overs to the specialists are recorded, printed on the control
sheet and listed for the day."""

import os
import subprocess
import sys
from datetime import date

import pytest

from tests.cli.test_cli import run, run_json, table_counts
from tests.conftest import ROOT, pdf_text

POST = "Bưu điện xã Định Mỹ"
INTAKE = ("intake", "--procedure", "1.001193", "--name", "Lý Văn Tư", "--address", "Thôn 3, xã Định Mỹ")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("operator") / "data"
    run_json(d, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai")
    result = subprocess.run(
        [sys.executable, "-m", "counter_app", "officer", "add", "an.bd", "--name", "Phạm Thị An", "--organisation",
         POST, "--password-stdin", "--json", "--data-dir", str(d)],
        cwd=ROOT, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, input="mật-khẩu-2026\n", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return d


def test_the_officer_list_shows_the_organisation_and_it_can_change(data):
    listed = {o["username"]: o for o in run_json(data, "officer", "list")["officers"]}
    assert listed["an.bd"]["organisation"] == POST
    assert POST in run(data, "officer", "list").stdout
    assert run_json(data, "officer", "organisation", "an.bd")["organisation"] is None
    assert run_json(data, "officer", "organisation", "an.bd", POST)["organisation"] == POST
    bad = run(data, "officer", "organisation", "an.bd", "x" * 201, ok=False)
    assert bad.returncode != 0 and "dài quá" in bad.stderr


def test_intake_by_the_postal_officer_names_the_operator_and_hand_overs_are_printed(data, tmp_path):
    d = run_json(data, *INTAKE, "--officer", "an.bd")
    assert d["receiving_officer"] == "Phạm Thị An"  # the account's name, not its login
    shown = run_json(data, "show", d["code"])
    assert shown["operator"] == {"organisation": POST, "officer": "Phạm Thị An"}
    out = tmp_path / "receipt.pdf"
    run_json(data, "print", d["code"], "--form", "receipt", "--out", str(out))
    assert "Người tiếp nhận: Phạm Thị An – Bưu điện xã Định Mỹ (tiếp nhận thay UBND xã Định Mỹ)" in pdf_text(out)
    own = run_json(data, *INTAKE, "--officer", "Cán bộ xã")
    assert run_json(data, "show", own["code"])["operator"] is None

    before = table_counts(data)
    done = run_json(data, "staff-handover", "record", d["code"], own["code"], "--giver", "an.bd",
                    "--receiver", "Lê Văn Cường", "--officer", "an.bd")
    assert [h["dossier_code"] for h in done] == [d["code"], own["code"]]
    assert done[0]["giver_organisation"] == POST and done[0]["receiver_organisation"] is None
    after = table_counts(data)
    assert (after[1] - before[1], after[2] - before[2]) == (2, 2)  # an event and its outbox row each

    control = tmp_path / "control.pdf"
    run_json(data, "print", d["code"], "--form", "control", "--out", str(control))
    text = pdf_text(control)
    assert "Phạm Thị An (Bưu điện xã Định Mỹ)" in text and "Nhận: UBND xã Định Mỹ – Lê Văn Cường" in text

    day = date.fromisoformat(done[0]["handed_at"][:10]).isoformat()
    listed = tmp_path / "list.pdf"
    out = run_json(data, "staff-handover", "list", "--date", day, "--out", str(listed))
    assert [h["dossier_code"] for h in out["handovers"]] == [d["code"], own["code"]]
    text = pdf_text(listed)
    assert "DANH SÁCH BÀN GIAO HỒ SƠ" in text and "Người nhận ký" in text
    assert d["code"] in text.replace(" ", "") and own["code"] in text.replace(" ", "")


def test_bad_hand_overs_are_refused_and_write_nothing(data, tmp_path):
    d = run_json(data, *INTAKE, "--officer", "an.bd")
    before = table_counts(data)
    for args, message in ((("--giver", "an.bd"), "--receiver"),
                          (("--giver", "an.bd", "--receiver", "Phạm Thị An"), "hai người khác nhau"),
                          (("--giver", "an.bd", "--receiver", "B", "--at", "2099-01-01T08:00"), "tương lai"),
                          (("--giver", "an.bd", "--receiver", "B", "--direction", "sideways"), "sideways")):
        result = run(data, "staff-handover", "record", d["code"], *args, ok=False)
        assert result.returncode != 0 and message in result.stderr, result.stderr
    result = run(data, "staff-handover", "record", d["code"], "H52.101-000000-0000", "--giver", "an.bd",
                 "--receiver", "B", ok=False)
    assert result.returncode != 0
    assert table_counts(data) == before
    result = run(data, "staff-handover", "list", "--date", "2026-06-10", "--out", str(tmp_path / "x.txt"), ok=False)
    assert result.returncode != 0 and ".pdf" in result.stderr and not (tmp_path / "x.txt").exists()
