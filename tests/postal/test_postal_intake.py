"""Dossiers brought in by a postal employee: the S10 item number, what is stored, printed and pushed."""

from datetime import date

import pytest

from counter_app.core.errors import ValidationError
from counter_app.core.model import Channel
from counter_app.core.postal import PostalIntake, normalise_item, s10_check_digit
from counter_app.printing.forms import render
from counter_app.printing.register import render_register_pdf, row_values
from counter_app.storage.chain import STATE_COLUMNS, verify
from counter_app.storage.cipher import open_store
from tests.conftest import request
from tests.printing.conftest import Pdf

ITEM = "RR123456785VN"


def test_s10_check_digit_follows_the_upu_weights():
    # 8,6,4,2,3,5,9,7 over 47312482 = 200; 11 - 200 mod 11 = 9 (the UPU S10 worked example)
    assert s10_check_digit("47312482") == 9
    assert s10_check_digit("12345678") == 5
    assert normalise_item(" rr 123 456 785 vn ") == ITEM


@pytest.mark.parametrize("bad, detail", [
    ("RR123456784VN", "check digit wrong"), ("RR12345678VN", "not S10"), ("1R123456785VN", "not S10"),
    ("", "missing")])
def test_a_wrong_item_number_is_refused_in_vietnamese(bad, detail):
    with pytest.raises(ValidationError) as err:
        normalise_item(bad)
    assert detail in err.value.detail
    if detail == "check digit wrong":
        assert "chữ số kiểm tra" in str(err.value) and "phải là 5" in str(err.value)


def test_postal_intake_stores_the_item_and_what_came_with_it(app):
    d = app.intake.receive(request(channel=Channel.POST, postal=PostalIntake(
        "rr123456785vn", employee="Phạm Văn Bưu", seal_intact=True, fee_vnd=25_000)))
    assert d.postal_item == ITEM
    stored = app.queries.get(d.code)
    assert stored.channel is Channel.POST and stored.postal_item == ITEM
    assert stored.events[0].payload["postal"] == {"item": ITEM, "employee": "Phạm Văn Bưu", "seal_intact": True,
                                                  "fee_vnd": 25_000}
    assert stored.events[0].payload["dossier"]["postal_item"] == ITEM
    # The item number is bound by the chain: changing it behind the app's back is found.
    assert "postal_item" in STATE_COLUMNS
    con = open_store(app.db.path)
    try:
        assert verify(con).problems == []
        con.execute("UPDATE dossier SET postal_item = 'RR000000000VN'")
        con.commit()
        assert verify(con).problems
    finally:
        con.close()


def test_post_channel_needs_a_valid_item_and_other_channels_refuse_one(app):
    with pytest.raises(ValidationError, match="số hiệu bưu gửi"):
        app.intake.receive(request(channel=Channel.POST))
    with pytest.raises(ValidationError, match="chữ số kiểm tra"):
        app.intake.receive(request(channel=Channel.POST, postal=PostalIntake("RR123456780VN")))
    with pytest.raises(ValidationError, match="chỉ ghi cho hồ sơ nộp qua bưu chính"):
        app.intake.receive(request(postal=PostalIntake(ITEM)))
    assert app.queries.list(limit=10) == []


def test_receipt_and_register_show_the_postal_channel_and_item(app):
    posted = app.intake.receive(request(channel=Channel.POST, postal=PostalIntake(ITEM)))
    counter = app.intake.receive(request())
    from counter_app.core.prints import FormKind

    data, _ = app.prints.produce(posted.code, FormKind.RECEIPT, "Cán bộ A", render)
    assert f"bưu chính công ích, số hiệu bưu gửi: {ITEM}" in Pdf(data).text(0)
    data, _ = app.prints.produce(counter.code, FormKind.RECEIPT, "Cán bộ A", render)
    assert "số hiệu bưu gửi" not in Pdf(data).text(0)
    lines = app.tracking_register.lines(date(2026, 6, 1), date(2026, 6, 30))
    notes = {line.code: row_values(i, line)["note"] for i, line in enumerate(lines, 1)}
    assert notes == {posted.code: f"Nộp qua bưu chính: {ITEM}", counter.code: ""}
    pdf = Pdf(render_register_pdf(lines, app.ctx.settings, date(2026, 6, 1), date(2026, 6, 30)))
    assert ITEM in pdf.text().replace(" ", "")


def test_cli_intake_by_post(tmp_path):
    from tests.cli.test_cli import run, run_json

    data = tmp_path / "data"
    run_json(data, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai",
             "--desk", "1")
    out = run_json(data, "intake", "--procedure", "1.001612", "--name", "Nguyễn Văn Ấn", "--channel", "post",
                   "--postal-item", ITEM, "--postal-employee", "Phạm Văn Bưu", "--seal-intact", "no",
                   "--postal-fee", "30000")
    assert (out["channel"], out["postal_item"]) == ("post", ITEM)
    shown = run_json(data, "show", out["code"])
    assert shown["events"][0]["payload"]["postal"]["seal_intact"] is False
    bad = run(data, "intake", "--procedure", "1.001612", "--name", "A", "--channel", "post",
              "--postal-item", "RR123456786VN", ok=False)
    assert bad.returncode != 0 and "chữ số kiểm tra" in bad.stderr
