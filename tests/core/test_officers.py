import logging

import pytest
from counter_app.storage.cipher import open_store

from counter_app.core.errors import NotFound, ValidationError
from counter_app.core.officers import Officer, Operator, hash_password, verify_password

PW = "rất-bí-mật-1"


def test_password_hash_round_trip_and_salting():
    h1, h2 = hash_password("Mật khẩu 2026"), hash_password("Mật khẩu 2026")
    assert h1 != h2 and h1.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password("Mật khẩu 2026", h1) and not verify_password("mật khẩu 2026", h1)
    assert not verify_password("x", "garbage") and not verify_password("x", "md5$a$b$c$d$e")


def test_officer_accounts(app):
    svc = app.officers
    assert not svc.any()
    admin = svc.create("bich.tt", "Trần Thị Bích", PW, role="admin")
    assert admin.is_admin and svc.any()
    assert svc.authenticate("BICH.TT", PW) == admin
    for user, pw in (("bich.tt", "sai-mat-khau"), ("nobody", PW)):
        with pytest.raises(ValidationError, match="Sai tên đăng nhập hoặc mật khẩu"):
            svc.authenticate(user, pw)
    with pytest.raises(ValidationError, match="đã có"):
        svc.add(admin, "bich.tt", "Người khác", "12345678")
    with pytest.raises(ValidationError, match="ít nhất"):
        svc.add(admin, "an.nv", "Nguyễn Văn Ấn", "ngắn")
    with pytest.raises(ValidationError, match="không khớp"):
        svc.add(admin, "an.nv", "Nguyễn Văn Ấn", "12345678", confirm="12345679")
    with pytest.raises(ValidationError, match="Tên đăng nhập gồm"):
        svc.add(admin, "An Nguyen", "Nguyễn Văn Ấn", "12345678")
    with pytest.raises(ValidationError, match="Vai trò"):
        svc.add(admin, "an.nv", "Nguyễn Văn Ấn", "12345678", role="boss")
    with pytest.raises(ValidationError, match="họ tên"):
        svc.add(admin, "an.nv", "  ", "12345678")
    assert [o.username for o in svc.all()] == ["bich.tt"]  # nothing written by the refusals
    svc.change_password("bich.tt", PW, "mới-mới-mới", "mới-mới-mới")
    assert svc.authenticate("bich.tt", "mới-mới-mới")
    with pytest.raises(ValidationError, match="Sai"):
        svc.change_password("bich.tt", PW, "khác-khác-khác", "khác-khác-khác")


def test_the_set_up_wizard_makes_only_the_first_administrator(app):
    app.officers.create("bich.tt", "Trần Thị Bích", PW, role="admin")
    with pytest.raises(ValidationError, match="đã có quản trị viên"):
        app.officers.create("an.nv", "Nguyễn Văn Ấn", PW, role="admin")
    assert len(app.officers.all()) == 1


@pytest.fixture
def office(app):
    svc = app.officers
    admin = svc.create("bich.tt", "Trần Thị Bích", PW, role="admin")
    svc.add(admin, "an.nv", "Nguyễn Văn Ấn", PW)
    return svc, admin


def test_only_an_active_administrator_manages_accounts(office):
    svc, admin = office
    officer = svc.authenticate("an.nv", PW)
    for action in (lambda: svc.add(officer, "lan.vt", "Võ Thị Lan", PW),
                   lambda: svc.reset_password(officer, "bich.tt", "chiếm-quyền-1"),
                   lambda: svc.set_role(officer, "an.nv", "admin"),
                   lambda: svc.set_active(officer, "bich.tt", False)):
        with pytest.raises(ValidationError, match="Chỉ quản trị viên"):
            action()
    # rights are read from the store, not from the object the window holds since log-in
    svc.set_role(admin, "an.nv", "admin")
    second = svc.authenticate("an.nv", PW)
    svc.set_role(second, "bich.tt", "officer")
    with pytest.raises(ValidationError, match="Chỉ quản trị viên"):
        svc.add(admin, "lan.vt", "Võ Thị Lan", PW)
    assert svc.get("bich.tt").role == "officer" and svc.authenticate("bich.tt", PW)


def test_reset_password_needs_no_old_password(office):
    svc, admin = office
    svc.reset_password(admin, "AN.NV", "quên-rồi-mới", "quên-rồi-mới")
    assert svc.authenticate("an.nv", "quên-rồi-mới")
    with pytest.raises(ValidationError, match="Sai"):
        svc.authenticate("an.nv", PW)
    with pytest.raises(NotFound, match="nobody"):
        svc.reset_password(admin, "nobody", "quên-rồi-mới")
    with pytest.raises(ValidationError, match="ít nhất"):
        svc.reset_password(admin, "an.nv", "ngắn")


def test_the_last_active_administrator_stays(office):
    svc, admin = office
    for action in (lambda: svc.set_role(admin, "bich.tt", "officer"),
                   lambda: svc.set_active(admin, "bich.tt", False),
                   lambda: svc.set_active(Operator("root"), "bich.tt", False),
                   lambda: svc.set_role(Operator("root"), "bich.tt", "officer")):
        with pytest.raises(ValidationError, match="quản trị viên cuối cùng"):
            action()
    # a second administrator that is locked does not count
    svc.set_role(admin, "an.nv", "admin")
    svc.set_active(admin, "an.nv", False)
    with pytest.raises(ValidationError, match="cuối cùng"):
        svc.set_role(Operator("root"), "bich.tt", "officer")
    svc.set_active(admin, "an.nv", True)
    # with two, an administrator still cannot lock or demote themselves; another one can
    with pytest.raises(ValidationError, match="tự khóa"):
        svc.set_active(admin, "bich.tt", False)
    other = svc.authenticate("an.nv", PW)
    assert svc.set_active(other, "bich.tt", False) == Officer("bich.tt", "Trần Thị Bích", "admin", False)
    with pytest.raises(ValidationError, match="cuối cùng"):
        svc.set_role(Operator("root"), "an.nv", "officer")


def test_history_keeps_the_name_of_a_locked_officer(app):
    from counter_app.startup import officer_directory
    from tests.conftest import request

    svc = app.officers
    admin = svc.create("bich.tt", "Trần Thị Bích", PW, role="admin")
    svc.add(admin, "an.nv", "Nguyễn Văn Ấn", PW)
    an = svc.authenticate("an.nv", PW)
    code = app.intake.receive(request(officer=an.full_name)).code
    app.actions.forward(code, an.full_name)
    assert svc.set_active(admin, "an.nv", False).active is False
    for login in (svc.authenticate, officer_directory(app.data_dir).authenticate):  # the window's two doors
        with pytest.raises(ValidationError, match="Sai tên đăng nhập"):
            login("an.nv", PW)
    with pytest.raises(ValidationError, match="Sai"):
        svc.change_password("an.nv", PW, "mới-mới-mới", "mới-mới-mới")
    assert [e.officer for e in app.queries.get(code).events] == ["Nguyễn Văn Ấn"] * 2
    assert svc.get("an.nv") == Officer("an.nv", "Nguyễn Văn Ấn", "officer", False)  # kept, listed, locked
    svc.set_active(admin, "an.nv", True)
    assert svc.authenticate("an.nv", PW) == Officer("an.nv", "Nguyễn Văn Ấn")


def test_changes_are_logged_without_secrets(office, caplog):
    svc, admin = office
    with caplog.at_level(logging.INFO, logger="counter_app.core.officers"):
        svc.add(admin, "lan.vt", "Võ Thị Lan", "mật-khẩu-lan-1")
        svc.reset_password(Operator("root"), "lan.vt", "mật-khẩu-lan-2")
        svc.set_role(admin, "lan.vt", "admin")
        svc.set_active(admin, "lan.vt", False)
        svc.change_password("an.nv", PW, "mật-khẩu-an-2", "mật-khẩu-an-2")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "lan.vt (officer) added by bich.tt" in text
    assert "lan.vt: password reset by command line (root)" in text
    assert "lan.vt: role officer -> admin by bich.tt" in text and "lan.vt: disabled by bich.tt" in text
    assert "an.nv: password changed by its owner" in text
    assert "mật-khẩu" not in text and "scrypt" not in text


def test_refused_changes_write_nothing(app, office):
    svc, admin = office
    con = open_store(app.db.path)
    before = con.execute("SELECT * FROM officer ORDER BY username").fetchall()
    for action in (lambda: svc.set_active(admin, "bich.tt", False), lambda: svc.set_role(admin, "an.nv", "x"),
                   lambda: svc.set_active(admin, "nobody", False)):
        with pytest.raises((ValidationError, NotFound)):
            action()
    assert con.execute("SELECT * FROM officer ORDER BY username").fetchall() == before
