"""Files of personal data that leave the database (a register handed to another machine) are
sealed: AES-256-GCM under a key derived with scrypt from a one-time transfer code that is shown to
the administrator, never written beside the file. The receiving machine types the code in."""

from __future__ import annotations

import base64
import json
import secrets
from typing import Any

from counter_app.core.errors import ValidationError

FORMAT = "counter_app.sealed/1"
# scrypt at 2**17 × 8: about 0.3 s and 128 MiB once per file; the code has 100 bits anyway.
_N, _R, _P = 2 ** 17, 8, 1
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def new_transfer_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(20))
    return "-".join(raw[i:i + 4] for i in range(0, 20, 4))


def _normalise(code: str) -> bytes:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum()).encode("ascii", "ignore")


def _key(code: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=_N, r=_R, p=_P).derive(_normalise(code))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def seal(document: Any, code: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    plain = json.dumps(document, ensure_ascii=False, default=str).encode("utf-8")
    sealed = AESGCM(_key(code, salt)).encrypt(nonce, plain, FORMAT.encode("ascii"))
    envelope = {"format": FORMAT, "kdf": {"name": "scrypt", "n": _N, "r": _R, "p": _P, "salt": _b64(salt)},
                "nonce": _b64(nonce), "ciphertext": _b64(sealed)}
    return json.dumps(envelope, indent=1).encode("ascii")


def is_sealed(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT


def unseal(envelope: dict, code: str | None) -> Any:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not code:
        raise ValidationError("Tệp được niêm phong; nhập mã mở tệp đã hiện khi xuất tệp (--code).", "no transfer code")
    try:
        kdf = envelope["kdf"]
        if kdf.get("name") != "scrypt" or (kdf["n"], kdf["r"], kdf["p"]) != (_N, _R, _P):
            raise ValueError("unexpected key derivation")
        salt, nonce = base64.b64decode(kdf["salt"]), base64.b64decode(envelope["nonce"])
        sealed = base64.b64decode(envelope["ciphertext"])
        plain = AESGCM(_key(code, salt)).decrypt(nonce, sealed, FORMAT.encode("ascii"))
    except InvalidTag:
        raise ValidationError("Mã mở tệp không đúng, hoặc tệp đã bị sửa; không nhập gì.", "AES-GCM tag mismatch") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError("Tệp niêm phong không đúng định dạng; không nhập gì.", str(exc)) from None
    return json.loads(plain.decode("utf-8"))
