"""The database key's recovery: the printed recovery key, and its escrow with the province.

Escrow is a sealed box: the counter encrypts its key to the province's X25519 public key (an
ephemeral key pair, ECDH, HKDF-SHA256, AES-256-GCM), so the provincial server stores something
it cannot open itself. Only the province's private key, kept offline by its IT team
(``provincial-server escrow keygen``), opens it (``provincial-server escrow open``). One module for
both sides, so the counter and the server cannot disagree on the format.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets

from counter_app.core.errors import ValidationError

KEY_BYTES = 32
FORMAT = "counter_app.escrow/1"
_CHECK_BYTES = 3  # a typo in a 56-character recovery key is caught before any file is touched


# -- the printed recovery key ------------------------------------------------------------------
def recovery_text(key: bytes) -> str:
    """The key as 14 groups of 4 letters and digits (base32: no 0/O or 1/I to confuse), with a
    checksum, for the administrator to print and keep."""
    raw = key + hashlib.sha256(key).digest()[:_CHECK_BYTES]
    text = base64.b32encode(raw).decode("ascii").rstrip("=")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def key_from_recovery(text: str) -> bytes:
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        raw = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError:
        raw = b""
    key, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if len(raw) != KEY_BYTES + _CHECK_BYTES or hashlib.sha256(key).digest()[:_CHECK_BYTES] != check:
        raise ValidationError("Khóa khôi phục không đúng (sai ký tự hoặc thiếu nhóm); kiểm tra lại bản in.",
                              "recovery key checksum mismatch")
    return key


# -- escrow --------------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def new_keypair() -> tuple[bytes, str]:
    """(private key PEM for the province's offline store, public key as base64 to publish)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    private = X25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return pem, _b64(public)


def public_key_bytes(text: str) -> bytes:
    try:
        raw = base64.b64decode((text or "").strip(), validate=True)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ValidationError("Khóa công khai lưu giữ khóa khôi phục không hợp lệ (cần 32 byte base64).",
                              "escrow public key must be 32 raw bytes in base64")
    return raw


def fingerprint(public_text: str) -> str:
    return hashlib.sha256(public_key_bytes(public_text)).hexdigest()[:16]


def _box_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SHA256(), 32, salt=None, info=FORMAT.encode() + ephemeral + recipient).derive(shared)


def seal(public_text: str, secret: bytes, context: str) -> str:
    """``secret`` sealed to the province's public key; ``context`` (the device) is bound to it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    recipient = public_key_bytes(public_text)
    ephemeral = X25519PrivateKey.generate()
    eph_public = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key = _box_key(ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient)), eph_public, recipient)
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(key).encrypt(nonce, secret, context.encode("utf-8"))
    return json.dumps({"format": FORMAT, "to": fingerprint(public_text), "context": context,
                       "ephemeral": _b64(eph_public), "nonce": _b64(nonce), "ciphertext": _b64(sealed)})


def check_sealed(text: str) -> dict:
    """The sealed box's envelope, checked for shape (the server stores only this)."""
    try:
        box = json.loads(text)
        ok = (isinstance(box, dict) and box.get("format") == FORMAT
              and all(isinstance(box.get(k), str) for k in ("to", "context", "ephemeral", "nonce", "ciphertext"))
              and len(base64.b64decode(box["ephemeral"], validate=True)) == 32
              and len(base64.b64decode(box["nonce"], validate=True)) == 12
              and 16 < len(base64.b64decode(box["ciphertext"], validate=True)) <= 256)
    except ValueError:
        ok = False
    if not ok:
        raise ValidationError("Khóa gửi lưu giữ không đúng định dạng.", "malformed escrow box")
    return box


def open_sealed(private_pem: bytes, text: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    box = check_sealed(text)
    try:
        private = serialization.load_pem_private_key(private_pem, password=None)
    except (ValueError, TypeError):
        raise ValidationError("Tệp khóa bí mật của tỉnh không đọc được.", "bad private key PEM") from None
    if not isinstance(private, X25519PrivateKey):
        raise ValidationError("Tệp khóa bí mật không phải khóa X25519 của tỉnh.", "not an X25519 key")
    recipient = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    eph_public = base64.b64decode(box["ephemeral"])
    key = _box_key(private.exchange(X25519PublicKey.from_public_bytes(eph_public)), eph_public, recipient)
    try:
        return AESGCM(key).decrypt(base64.b64decode(box["nonce"]), base64.b64decode(box["ciphertext"]),
                                   box["context"].encode("utf-8"))
    except InvalidTag:
        raise ValidationError("Khóa bí mật này không mở được khóa đã gửi lưu giữ (khóa của đợt khác?).",
                              "AES-GCM tag mismatch") from None
