"""Citizens' data at rest (issue 13, item 1): the store, its WAL, backups and register exports hold no
name or ID number in clear; the key lives in the keyring and comes back from the recovery key."""

from __future__ import annotations

import keyring
import pytest

from counter_app import cli, paths
from counter_app.core import escrow
from counter_app.core.errors import KeyMissing, ValidationError
from counter_app.storage import cipher
from tests.conftest import applicant, request

NAME, ID = "Lương Thị Diễm Quỳnh", "079090004321"
AGENCY = ("--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ")


def clear_texts() -> list[bytes]:
    """The applicant's name and ID as they could sit in a page: UTF-8, folded (the name index) and
    the ID's digits."""
    from counter_app.core.text import fold

    return [NAME.encode("utf-8"), fold(NAME).encode("utf-8"), ID.encode("ascii"), NAME.split()[-1].encode("utf-8")]


def leaks(path) -> list[bytes]:
    data = path.read_bytes()
    return [t for t in clear_texts() if t in data]


def lose_keyring() -> None:
    """A reinstalled Windows profile: the keyring is empty and this process remembers nothing."""
    from tests.testkeyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())
    cipher._cache.clear()


@pytest.fixture
def secure_app(tmp_path, clock, memory_keyring):
    from counter_app.app import CounterApp

    app = CounterApp.initialise(tmp_path / "data", agency_code="H52.101", agency_name="UBND xã Định Mỹ",
                                province="Gia Lai", desk=1, clock=clock)
    yield app
    app.close()


def test_a_new_store_is_encrypted_and_its_file_wal_and_backup_hold_no_name_or_id(secure_app, tmp_path):
    app = secure_app
    assert app.encrypted and app.recovery_key and len(app.recovery_key.split("-")) == 14
    code = app.intake.receive(request(applicant=applicant(full_name=NAME, id_number=ID))).code
    assert [d.code for d in app.queries.search("luong thi diem quynh")] == [code]  # FTS5 inside SQLCipher
    db = app.db.path
    wal = db.with_name(db.name + "-wal")
    assert wal.stat().st_size > 0  # the intake is still in the WAL: that file is checked too
    assert cipher.file_state(db) == "encrypted"
    assert leaks(db) == [] and leaks(wal) == []
    from counter_app.startup import backup_store, check_store

    backup_store(app.data_dir, tmp_path / "copy.sqlite")
    assert cipher.file_state(tmp_path / "copy.sqlite") == "encrypted" and leaks(tmp_path / "copy.sqlite") == []
    report = check_store(app.data_dir)
    assert report.ok and report.encrypted and report.integrity == "ok" and report.search_index == "ok"
    stored = keyring.get_password(cipher.KEY_SERVICE, f"database:{db.resolve()}")
    assert stored and bytes.fromhex(stored) == escrow.key_from_recovery(app.recovery_key)
    assert not any(stored in p.read_text("latin-1") for p in app.data_dir.rglob("*") if p.is_file())


def test_officers_log_in_against_the_encrypted_store(secure_app):
    from counter_app.startup import officer_directory

    secure_app.officers.create("lan", "Trần Thị Lan", "mật-khẩu-đủ-dài-1")
    directory = officer_directory(secure_app.data_dir)
    assert directory.usable() and directory.authenticate("lan", "mật-khẩu-đủ-dài-1").full_name == "Trần Thị Lan"


def test_a_lost_keyring_is_recovered_with_the_recovery_key_and_nothing_else(secure_app, clock):
    from counter_app.app import CounterApp
    from counter_app.startup import recover_key

    app = secure_app
    code = app.intake.receive(request()).code
    recovery, data_dir = app.recovery_key, app.data_dir
    app.close()
    lose_keyring()
    with pytest.raises(KeyMissing, match="recover-key"):
        CounterApp.open(data_dir, clock)
    with pytest.raises(ValidationError, match="sai ký tự"):
        recover_key(data_dir, recovery[:-1] + ("A" if recovery[-1] != "A" else "B"))  # a misread letter
    other = escrow.recovery_text(cipher.new_key())
    with pytest.raises(ValidationError, match="không mở được"):
        recover_key(data_dir, other)  # well-formed, but another counter's
    assert keyring.get_password(cipher.KEY_SERVICE, f"database:{paths.database_path(data_dir).resolve()}") is None
    recover_key(data_dir, recovery.lower().replace("-", " "))  # as typed from the paper
    again = CounterApp.open(data_dir, clock)
    try:
        assert again.queries.get(code).applicant.full_name == "Nguyễn Văn Ấn"
    finally:
        again.close()


def test_encrypt_turns_a_plain_store_and_its_upgrade_backups_into_encrypted_ones(tmp_path, capsys, memory_keyring):
    data = tmp_path / "data"
    keyring.set_keyring(__import__("keyring.backends.fail", fromlist=["Keyring"]).Keyring())
    assert cli.main(["init", *AGENCY, "--data-dir", str(data)]) == 0
    assert "CHƯA được mã hóa" in capsys.readouterr().out
    assert cli.main(["intake", "--procedure", "1.001612", "--name", NAME, "--id-number", ID,
                     "--data-dir", str(data)]) == 0
    old_backup = data / "backups" / "counter-0004-20260101.sqlite"
    old_backup.parent.mkdir()
    assert cli.main(["backup", "--out", str(old_backup), "--data-dir", str(data)]) == 0
    assert leaks(data / "counter.sqlite") or leaks(data / "counter.sqlite-wal")  # the state this fixes
    capsys.readouterr()
    assert cli.main(["encrypt", "--data-dir", str(data)]) == 1  # no keyring: refused, nothing touched
    assert "kho mật khẩu" in capsys.readouterr().err and cipher.file_state(data / "counter.sqlite") == "plain"
    keyring.set_keyring(memory_keyring)
    assert cli.main(["encrypt", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "KHÓA KHÔI PHỤC" in out and "1 bản sao lưu cũ" in out
    for f in (data / "counter.sqlite", old_backup):
        assert cipher.file_state(f) == "encrypted" and leaks(f) == []
    assert not (data / "counter.sqlite-wal").exists() or leaks(data / "counter.sqlite-wal") == []
    assert cli.main(["search", "quynh", "--data-dir", str(data)]) == 0
    assert "079******321" in capsys.readouterr().out
    assert cli.main(["check", "--data-dir", str(data)]) == 0
    assert cli.main(["encrypt", "--data-dir", str(data)]) == 1
    assert "đã được mã hóa" in capsys.readouterr().err


def test_an_encrypted_backup_restores_on_a_new_machine_only_with_its_recovery_key(secure_app, tmp_path, capsys):
    from counter_app.startup import backup_store

    code = secure_app.intake.receive(request()).code
    backup_store(secure_app.data_dir, tmp_path / "copy.sqlite")
    recovery = secure_app.recovery_key
    lose_keyring()  # the new PC
    fresh = tmp_path / "new-pc"
    assert cli.main(["restore", str(tmp_path / "copy.sqlite"), "--data-dir", str(fresh)]) == 1
    assert "--recovery-key" in capsys.readouterr().err and not paths.database_path(fresh).exists()
    assert cli.main(["restore", str(tmp_path / "copy.sqlite"), "--recovery-key", recovery,
                     "--data-dir", str(fresh)]) == 0
    capsys.readouterr()
    assert cli.main(["show", code, "--data-dir", str(fresh)]) == 0
    assert "Nguyễn Văn Ấn" in capsys.readouterr().out
    assert cipher.file_state(paths.database_path(fresh)) == "encrypted"


def test_a_plain_backup_restored_into_an_encrypted_store_comes_back_encrypted(secure_app, tmp_path):
    from counter_app.startup import restore_store

    plain = tmp_path / "plain.sqlite"
    cipher.export(secure_app.db.path, cipher.key_for(secure_app.db.path), plain, None)  # an old, plain backup
    assert cipher.file_state(plain) == "plain"
    secure_app.intake.receive(request(applicant=applicant(full_name=NAME, id_number=ID)))
    result = secure_app.restore_from_backup(plain)
    assert result["encrypted"] and cipher.file_state(secure_app.db.path) == "encrypted"
    assert leaks(secure_app.db.path) == []
    with pytest.raises(ValidationError):
        restore_store(secure_app.data_dir, plain, recovery_key="KHÔNG-PHẢI-KHÓA")
