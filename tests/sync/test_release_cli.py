"""``provincial-server release keygen | sign | add | list`` on a real SQLite server database."""

from __future__ import annotations

import json
import stat

import pytest
from sqlalchemy import func, select

from provincial_server.cli import main as server
from provincial_server.db import ServerDatabase
from provincial_server.models import Release


@pytest.fixture
def bench(tmp_path):
    """The build machine's key folder, the server's trusted-key folder and its database."""
    keys = tmp_path / "build-keys"
    assert server(["release", "keygen", "--out", str(keys)]) == 0
    trusted = tmp_path / "trusted"
    trusted.mkdir()
    (trusted / "province.pub").write_bytes((keys / "release.pub").read_bytes())
    return keys, trusted, f"sqlite:///{tmp_path / 'province.sqlite'}"


def _rows(url: str) -> int:
    db = ServerDatabase(url)
    try:
        with db.read() as s:
            return s.scalar(select(func.count()).select_from(Release))
    finally:
        db.dispose()


def _sign(tmp_path, keys, version="0.3.0", content=b"bundle" * 1000, platform="windows-x64"):
    file = tmp_path / f"counter-app-{version}-{platform}.exe"
    file.write_bytes(content)
    assert server(["release", "sign", str(file), "--key", str(keys / "release-private.pem"), "--version", version,
                   "--platform", platform, "--min-from", "0.1.0", "--notes", "Sửa biểu mẫu 01"]) == 0
    return file, file.with_name(file.name + ".manifest.json")


def test_keygen_writes_a_private_key_only_its_owner_reads_and_refuses_to_overwrite(bench, capsys):
    keys, _, _ = bench
    private = keys / "release-private.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    before = private.read_bytes()
    assert b"PRIVATE KEY" in before and b"PUBLIC KEY" in (keys / "release.pub").read_bytes()
    capsys.readouterr()
    assert server(["release", "keygen", "--out", str(keys)]) == 2
    assert "không ghi đè" in capsys.readouterr().err
    assert private.read_bytes() == before


def test_sign_add_list(bench, tmp_path, capsys):
    keys, trusted, url = bench
    file, manifest = _sign(tmp_path, keys)
    envelope = json.loads(manifest.read_text("utf-8"))
    assert envelope["manifest"]["notes"] == "Sửa biểu mẫu 01" and envelope["signature"]
    store = tmp_path / "store"
    assert server(["--db", url, "release", "add", str(file), "--manifest", str(manifest), "--keys", str(trusted),
                   "--store", str(store)]) == 0
    stored = store / "windows-x64" / "0.3.0" / file.name
    assert stored.read_bytes() == file.read_bytes()
    capsys.readouterr()
    assert server(["--db", url, "release", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["version"], r["platform"], r["size"], r["min_from"]) for r in listed] == [
        ("0.3.0", "windows-x64", 6000, "0.1.0")]
    # the same version again is refused, the first stays
    assert server(["--db", url, "release", "add", str(file), "--manifest", str(manifest), "--keys", str(trusted),
                   "--store", str(store)]) == 2
    assert _rows(url) == 1


def test_add_refuses_a_bad_signature_and_stores_nothing(bench, tmp_path, capsys):
    keys, trusted, url = bench
    other = tmp_path / "other-keys"
    assert server(["release", "keygen", "--out", str(other)]) == 0
    file, manifest = _sign(tmp_path, other)  # signed, but not with a key the server trusts
    store = tmp_path / "store"
    capsys.readouterr()
    assert server(["--db", url, "release", "add", str(file), "--manifest", str(manifest), "--keys", str(trusted),
                   "--store", str(store)]) == 2
    assert "Chữ ký" in capsys.readouterr().err
    assert _rows(url) == 0 and not store.exists()


def test_add_refuses_a_file_that_is_not_the_signed_one(bench, tmp_path, capsys):
    keys, trusted, url = bench
    file, manifest = _sign(tmp_path, keys)
    file.write_bytes(file.read_bytes()[:-10])
    store = tmp_path / "store"
    assert server(["--db", url, "release", "add", str(file), "--manifest", str(manifest), "--keys", str(trusted),
                   "--store", str(store)]) == 2
    assert "kích thước" in capsys.readouterr().err
    assert _rows(url) == 0 and not store.exists()


def test_add_without_trusted_keys_is_refused(bench, tmp_path, capsys, monkeypatch):
    keys, _, url = bench
    monkeypatch.delenv("PROVINCIAL_SERVER_RELEASE_KEYS", raising=False)
    file, manifest = _sign(tmp_path, keys)
    assert server(["--db", url, "release", "add", str(file), "--manifest", str(manifest)]) == 2
    assert "khóa công khai" in capsys.readouterr().err and _rows(url) == 0


def test_sign_refuses_a_bad_version(bench, tmp_path, capsys):
    keys, _, _ = bench
    file = tmp_path / "x.deb"
    file.write_bytes(b"x")
    assert server(["release", "sign", str(file), "--key", str(keys / "release-private.pem"), "--version", "mới",
                   "--platform", "linux-amd64"]) == 2
    assert "phiên bản" in capsys.readouterr().err and not (tmp_path / "x.deb.manifest.json").exists()
