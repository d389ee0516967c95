"""Signed releases: the manifest a province publishes and the rules a counter applies before it
trusts a new version.

The manifest is signed with Ed25519 (``cryptography``) over its canonical JSON, prefixed with a
domain label so a signature made for anything else (escrow, a future message) can never pass as a
release signature. Versions compare by PEP 440 (``packaging``): "0.10.0" is newer than "0.9.1",
and "1.0.0rc1" is older than "1.0.0".
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Callable, Iterable

from counter_app.core.errors import ValidationError
from counter_app.core.protocol import canonical_json, is_sha256

SIGNATURE_DOMAIN = b"counter_app release manifest v1\n"
PLATFORMS = ("windows-x64", "linux-amd64")
MAX_NOTES = 4000
READ_CHUNK = 1024 * 1024
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$")  # no folders, no leading dot


@dataclass(frozen=True)
class ReleaseManifest:
    version: str
    platform: str
    file_name: str
    size: int
    sha256: str
    min_from: str
    notes: str  # Vietnamese, shown to the officer with "Có bản cập nhật …"
    published_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def version_key(text: str):
    """The PEP 440 version, for sorting; ValidationError when it is not one."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except (InvalidVersion, TypeError):
        raise ValidationError(f"Số phiên bản không hợp lệ: {text!r}.", "not a PEP 440 version") from None


def check_version(text: Any) -> str:
    if not isinstance(text, str) or not text or len(text) > 40:
        raise ValidationError("Thiếu số phiên bản hoặc số phiên bản quá dài.", f"version {text!r}")
    version_key(text)
    return text


def compare_versions(a: str, b: str) -> int:
    """-1, 0 or 1 as ``a`` is older than, the same as or newer than ``b`` (PEP 440)."""
    va, vb = version_key(a), version_key(b)
    return (va > vb) - (va < vb)


def parse_manifest(data: Any) -> ReleaseManifest:
    """Every field checked: a manifest is untrusted until its signature is, and still afterwards."""
    if not isinstance(data, dict):
        raise ValidationError("Bản kê phát hành không đúng định dạng.", "manifest must be an object")
    wanted = set(ReleaseManifest.__dataclass_fields__)
    if set(data) != wanted:
        raise ValidationError("Bản kê phát hành thiếu hoặc thừa trường.",
                              f"missing {sorted(wanted - set(data))}, unknown {sorted(set(data) - wanted)}")
    version, min_from = check_version(data["version"]), check_version(data["min_from"])
    if compare_versions(min_from, version) >= 0:
        raise ValidationError("Phiên bản tối thiểu được cập nhật phải cũ hơn phiên bản phát hành.",
                              f"min_from {min_from} >= version {version}")
    if data["platform"] not in PLATFORMS:
        raise ValidationError(f"Nền tảng không được hỗ trợ: {data['platform']!r}.", f"one of {PLATFORMS}")
    if not isinstance(data["file_name"], str) or not _FILE_NAME.match(data["file_name"]):
        raise ValidationError("Tên tệp phát hành không hợp lệ.", f"file_name {data['file_name']!r}")
    size = data["size"]
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise ValidationError("Kích thước tệp phát hành không hợp lệ.", f"size {size!r}")
    if not isinstance(data["sha256"], str) or not is_sha256(data["sha256"]):
        raise ValidationError("Mã băm SHA-256 của tệp phát hành không hợp lệ.", "64 lowercase hex digits")
    notes = data["notes"]
    if not isinstance(notes, str) or len(notes) > MAX_NOTES:
        raise ValidationError("Ghi chú phát hành không hợp lệ hoặc quá dài.",
                              f"at most {MAX_NOTES} characters")
    try:
        datetime.fromisoformat(data["published_at"])
    except (TypeError, ValueError):
        raise ValidationError("Thời điểm phát hành không hợp lệ.", "published_at: ISO 8601") from None
    return ReleaseManifest(version, data["platform"], data["file_name"], size, data["sha256"], min_from,
                           notes, data["published_at"])


def signed_bytes(manifest: ReleaseManifest) -> bytes:
    return SIGNATURE_DOMAIN + canonical_json(manifest.to_dict())


# -- keys and signatures ------------------------------------------------------------------------
def new_key_pair() -> tuple[bytes, bytes]:
    """(private key PEM, public key PEM) of a fresh Ed25519 release key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


def load_public_key(data: bytes):
    """A PEM public key, or the 32 raw bytes of one; refused unless it is Ed25519."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        if len(data) == 32:
            return Ed25519PublicKey.from_public_bytes(data)
        key = serialization.load_pem_public_key(data)
    except ValueError as exc:
        raise ValidationError("Không đọc được khóa công khai phát hành.", str(exc)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise ValidationError("Khóa công khai phát hành không phải Ed25519.", type(key).__name__)
    return key


def key_id(public_key) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(manifest: ReleaseManifest, private_pem: bytes) -> dict[str, Any]:
    """The signed envelope: {"manifest": …, "signature": base64, "key_id": …}."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(private_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise ValidationError("Không đọc được khóa bí mật phát hành.", str(exc)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValidationError("Khóa bí mật phát hành không phải Ed25519.", type(key).__name__)
    signature = key.sign(signed_bytes(manifest))
    return {"manifest": manifest.to_dict(), "signature": base64.b64encode(signature).decode("ascii"),
            "key_id": key_id(key.public_key())}


def verify_envelope(envelope: Any, public_keys: Iterable) -> ReleaseManifest:
    """The manifest, if one of ``public_keys`` signed it; otherwise ValidationError."""
    from cryptography.exceptions import InvalidSignature

    if not isinstance(envelope, dict) or not isinstance(envelope.get("manifest"), dict):
        raise ValidationError("Bản kê phát hành không đúng định dạng.", "no manifest object")
    manifest = parse_manifest(envelope["manifest"])
    signature = envelope.get("signature")
    if not isinstance(signature, str) or not signature:
        raise ValidationError("Bản phát hành không có chữ ký; quầy không cài bản chưa ký.",
                              "unsigned manifest")
    try:
        raw = base64.b64decode(signature, validate=True)
    except ValueError:
        raise ValidationError("Chữ ký bản phát hành không đúng định dạng.",
                              "signature is not base64") from None
    keys = list(public_keys)
    if not keys:
        raise ValidationError("Phần mềm quầy không mang khóa công khai phát hành nào; không thể kiểm tra bản "
                              "cập nhật.", "no release public key in this build")
    message = signed_bytes(manifest)
    for key in keys:
        try:
            key.verify(raw, message)
            return manifest
        except InvalidSignature:
            continue
    raise ValidationError("Chữ ký bản phát hành không hợp lệ hoặc không do tỉnh ký; quầy không cài bản này.",
                          f"no trusted key verifies the signature (key_id {envelope.get('key_id')!r})")


# -- the counter's rules ------------------------------------------------------------------------
def check_applicable(manifest: ReleaseManifest, current_version: str, platform: str) -> None:
    """A counter at ``current_version`` on ``platform`` may move to this release."""
    if manifest.platform != platform:
        raise ValidationError(f"Bản phát hành dành cho {manifest.platform}, không phải máy này ({platform}).",
                              "platform mismatch")
    order = compare_versions(manifest.version, current_version)
    if order == 0:
        raise ValidationError(f"Quầy đang dùng phiên bản {current_version}; không cài lại cùng phiên bản.",
                              "same version")
    if order < 0:
        raise ValidationError(f"Bản phát hành {manifest.version} cũ hơn phiên bản đang dùng "
                              f"{current_version}; quầy không hạ cấp.", "downgrade refused")
    if compare_versions(current_version, manifest.min_from) < 0:
        raise ValidationError(f"Phiên bản {current_version} quá cũ để cập nhật thẳng lên {manifest.version} "
                              f"(cần từ {manifest.min_from} trở lên); liên hệ quản trị tỉnh.",
                              "below min_from")


def digest_chunks(read: Callable[[int], bytes]) -> tuple[int, str]:
    """(size, SHA-256 hex) of what ``read`` yields, a chunk at a time: constant memory."""
    h, size = hashlib.sha256(), 0
    while chunk := read(READ_CHUNK):
        h.update(chunk)
        size += len(chunk)
    return size, h.hexdigest()


def check_file(manifest: ReleaseManifest, size: int, sha256: str) -> None:
    if size != manifest.size:
        raise ValidationError(f"Tệp cập nhật có kích thước {size} byte, khác bản kê ({manifest.size} byte); "
                              "tệp tải về chưa đủ hoặc đã bị thay đổi.", "size mismatch")
    if sha256 != manifest.sha256:
        raise ValidationError("Mã băm SHA-256 của tệp cập nhật không khớp bản kê; tệp đã bị thay đổi.",
                              "sha256 mismatch")
