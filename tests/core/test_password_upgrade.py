"""Issue 13 item 4: Argon2id at OWASP's parameters; an older hash (scrypt at the old cost, or
Argon2id at other parameters) is replaced at the officer's next successful login, and only then."""

import hashlib
import secrets

import pytest
from counter_app.storage.cipher import open_store
from argon2 import PasswordHasher

from counter_app import paths
from counter_app.core.errors import ValidationError
from counter_app.core.officers import needs_rehash, verify_password
from counter_app.storage.officer_directory import OfficerDirectory

PW = "rất-bí-mật-1"


def old_scrypt_hash(password: str) -> str:
    """What ``hash_password`` stored before issue 13: scrypt N=2^14, r=8, p=1."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${2**14}$8$1${salt.hex()}${digest.hex()}"


def stored_hash(app, username: str) -> str:
    con = open_store(paths.database_path(app.data_dir))
    try:
        return con.execute("SELECT password_hash FROM officer WHERE username = ?", (username,)).fetchone()[0]
    finally:
        con.close()


def set_stored_hash(app, username: str, value: str) -> None:
    con = open_store(paths.database_path(app.data_dir))
    try:
        con.execute("UPDATE officer SET password_hash = ? WHERE username = ?", (value, username))
        con.commit()
    finally:
        con.close()


def test_old_hashes_verify_and_need_rehash():
    old = old_scrypt_hash(PW)
    assert verify_password(PW, old) and not verify_password("sai-mat-khau", old)
    assert needs_rehash(old)
    weaker = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PW)
    assert verify_password(PW, weaker) and needs_rehash(weaker)


@pytest.fixture
def admin(app):
    return app.officers.create("bich.tt", "Trần Thị Bích", PW, role="admin")


@pytest.mark.parametrize("login", ["service", "directory"])
def test_an_old_scrypt_hash_logs_in_and_is_upgraded(app, admin, login):
    set_stored_hash(app, "bich.tt", old_scrypt_hash(PW))
    authenticate = (app.officers.authenticate if login == "service"
                    else OfficerDirectory(paths.database_path(app.data_dir)).authenticate)
    with pytest.raises(ValidationError, match="Sai tên đăng nhập hoặc mật khẩu"):
        authenticate("bich.tt", "sai-mat-khau")
    assert stored_hash(app, "bich.tt").startswith("scrypt$")  # a wrong password upgrades nothing
    assert authenticate("bich.tt", PW) == admin
    upgraded = stored_hash(app, "bich.tt")
    assert upgraded.startswith("$argon2id$v=19$m=19456,t=2,p=1$") and not needs_rehash(upgraded)
    assert authenticate("bich.tt", PW) == admin
    assert stored_hash(app, "bich.tt") == upgraded  # not rehashed again at every login


def test_changed_argon2_parameters_are_upgraded_at_login(app, admin):
    set_stored_hash(app, "bich.tt", PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PW))
    app.officers.authenticate("bich.tt", PW)
    assert stored_hash(app, "bich.tt").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_an_inactive_account_with_an_old_hash_is_not_upgraded(app, admin):
    app.officers.add(admin, "an.nv", "Nguyễn Văn Ấn", PW)
    app.officers.set_active(admin, "an.nv", False)
    old = old_scrypt_hash(PW)
    set_stored_hash(app, "an.nv", old)
    with pytest.raises(ValidationError):
        app.officers.authenticate("an.nv", PW)
    assert stored_hash(app, "an.nv") == old
