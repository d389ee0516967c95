"""Signed releases: what the counter accepts and what it refuses (core/releases.py, sync/releases.py).

Each test makes its own Ed25519 key pair: the build ships no test key."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from counter_app.core import releases
from counter_app.core.errors import ValidationError
from counter_app.sync.releases import ReleaseVerifier, bundled_keys

PLATFORM = "linux-amd64"


def _keys():
    private, public = releases.new_key_pair()
    return private, releases.load_public_key(public)


def _release(tmp_path: Path, private: bytes, *, version="0.3.0", min_from="0.1.0", content=b"x" * 300_000,
             platform=PLATFORM) -> tuple[Path, dict]:
    file = tmp_path / f"counter-app_{version}_amd64.deb"
    file.write_bytes(content)
    manifest = releases.parse_manifest({
        "version": version, "platform": platform, "file_name": file.name, "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(), "min_from": min_from,
        "notes": "Sửa mẫu giấy biên nhận.", "published_at": "2026-12-02T01:00:00+00:00"})
    return file, releases.sign(manifest, private)


def _refusal(call, *args) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return caught.value


@pytest.fixture
def signed(tmp_path):
    private, public = _keys()
    file, envelope = _release(tmp_path, private)
    return file, envelope, ReleaseVerifier([public], version="0.2.0", platform=PLATFORM)


def test_a_good_file_passes(signed):
    file, envelope, verifier = signed
    manifest = verifier.check_download(envelope, file)
    assert (manifest.version, manifest.size, manifest.notes) == ("0.3.0", 300_000, "Sửa mẫu giấy biên nhận.")


def test_one_tampered_byte_is_refused(signed):
    file, envelope, verifier = signed
    data = bytearray(file.read_bytes())
    data[150_000] ^= 0x01
    file.write_bytes(bytes(data))
    err = _refusal(verifier.check_download, envelope, file)
    assert "mã băm" in err.message.lower() and err.detail == "sha256 mismatch"


def test_a_truncated_download_is_refused(signed):
    file, envelope, verifier = signed
    file.write_bytes(file.read_bytes()[:-1])
    err = _refusal(verifier.check_download, envelope, file)
    assert "chưa đủ" in err.message and err.detail == "size mismatch"


def test_a_manifest_signed_by_another_key_is_refused(tmp_path):
    private, _ = _keys()
    _, trusted = _keys()
    file, envelope = _release(tmp_path, private)
    err = _refusal(ReleaseVerifier([trusted], version="0.2.0", platform=PLATFORM).check_download, envelope, file)
    assert "không hợp lệ" in err.message and "key_id" in err.detail


def test_a_changed_manifest_breaks_the_signature(signed):
    file, envelope, verifier = signed
    envelope["manifest"]["min_from"] = "0.0.1"  # a widened audience is a different manifest
    err = _refusal(verifier.check_offer, envelope)
    assert "Chữ ký" in err.message


@pytest.mark.parametrize("signature", [None, ""])
def test_an_unsigned_manifest_is_refused(signed, signature):
    file, envelope, verifier = signed
    envelope = {"manifest": envelope["manifest"]} if signature is None else {**envelope, "signature": signature}
    err = _refusal(verifier.check_download, envelope, file)
    assert "không có chữ ký" in err.message and err.detail == "unsigned manifest"


def test_a_build_without_keys_accepts_nothing(signed, tmp_path):
    file, envelope, _ = signed
    assert bundled_keys(tmp_path / "no-keys") == []
    err = _refusal(ReleaseVerifier([], version="0.2.0", platform=PLATFORM).check_offer, envelope)
    assert "khóa công khai" in err.message


def test_bundled_keys_are_read_from_pem_files(tmp_path):
    _, public_pem = releases.new_key_pair()
    (tmp_path / "province.pub").write_bytes(public_pem)
    (tmp_path / "broken.pub").write_bytes(b"not a key")
    keys = bundled_keys(tmp_path)
    assert [releases.key_id(k) for k in keys] == [releases.key_id(releases.load_public_key(public_pem))]


@pytest.mark.parametrize(("running", "detail"), [("0.4.0", "downgrade refused"), ("0.3.0", "same version"),
                                                  ("0.0.9", "below min_from")])
def test_the_version_rules(signed, running, detail):
    file, envelope, verifier = signed
    verifier.version = running
    err = _refusal(verifier.check_download, envelope, file)
    assert err.detail == detail and err.message


def test_another_platforms_release_is_refused(tmp_path):
    private, public = _keys()
    file, envelope = _release(tmp_path, private, platform="windows-x64")
    err = _refusal(ReleaseVerifier([public], version="0.2.0", platform=PLATFORM).check_offer, envelope)
    assert err.detail == "platform mismatch"


def test_versions_compare_by_pep440():
    assert releases.compare_versions("0.10.0", "0.9.1") == 1
    assert releases.compare_versions("1.0.0rc1", "1.0.0") == -1
    assert releases.compare_versions("1.0", "1.0.0") == 0
    assert _refusal(releases.compare_versions, "mới nhất", "1.0").detail == "not a PEP 440 version"


@pytest.mark.parametrize(("field", "value"), [("platform", "macos-arm64"), ("file_name", "../counter.exe"),
                                              ("size", 0), ("sha256", "ABC"), ("min_from", "0.3.0"),
                                              ("published_at", "hôm qua"), ("version", "")])
def test_a_malformed_manifest_is_refused_before_any_signature_check(signed, field, value):
    _, envelope, verifier = signed
    envelope["manifest"][field] = value
    assert _refusal(verifier.check_offer, envelope).message


def test_the_signed_bytes_carry_a_domain_label(signed):
    _, envelope, _ = signed
    manifest = releases.parse_manifest(envelope["manifest"])
    assert releases.signed_bytes(manifest).startswith(releases.SIGNATURE_DOMAIN)
