import pytest

from counter_app.core.errors import ValidationError
from counter_app.core.officers import hash_password, verify_password


def test_password_hash_round_trip_and_salting():
    h1, h2 = hash_password("Mật khẩu 2026"), hash_password("Mật khẩu 2026")
    assert h1 != h2 and h1.startswith("scrypt$")
    assert verify_password("Mật khẩu 2026", h1) and not verify_password("mật khẩu 2026", h1)
    assert not verify_password("x", "garbage") and not verify_password("x", "md5$a$b$c$d$e")


def test_officer_accounts(app):
    svc = app.officers
    assert not svc.any()
    admin = svc.create("bich.tt", "Trần Thị Bích", "rất-bí-mật-1", role="admin")
    assert admin.is_admin and svc.any()
    assert svc.authenticate("BICH.TT", "rất-bí-mật-1") == admin
    for user, pw in (("bich.tt", "sai-mat-khau"), ("nobody", "rất-bí-mật-1")):
        with pytest.raises(ValidationError, match="Sai tên đăng nhập hoặc mật khẩu"):
            svc.authenticate(user, pw)
    with pytest.raises(ValidationError, match="đã có"):
        svc.create("bich.tt", "Người khác", "12345678")
    with pytest.raises(ValidationError, match="ít nhất"):
        svc.create("an.nv", "Nguyễn Văn Ấn", "ngắn")
    with pytest.raises(ValidationError):
        svc.create("An Nguyen", "Nguyễn Văn Ấn", "12345678")
    svc.change_password("bich.tt", "rất-bí-mật-1", "mới-mới-mới", "mới-mới-mới")
    assert svc.authenticate("bich.tt", "mới-mới-mới")
