"""Local officer accounts: scrypt-hashed passwords, roles ``officer`` and ``admin``."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from counter_app.core.errors import ValidationError
from counter_app.core.ports import UnitOfWork
from counter_app.core.text import clean

ROLES = ("officer", "admin")
MIN_PASSWORD = 8
# scrypt cost: about 50 ms here, slow enough to resist guessing a stolen file, fast enough to log in.
_N, _R, _P = 2**14, 8, 1
_USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,40}$")


@dataclass(frozen=True)
class Officer:
    username: str
    full_name: str
    role: str = "officer"
    active: bool = True

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(digest) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual.hex(), digest)


def check_new_password(password: str, confirm: str | None = None) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.", "password too short")
    if confirm is not None and password != confirm:
        raise ValidationError("Hai lần nhập mật khẩu không khớp.", "passwords differ")


class OfficerService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = uow_factory

    def any(self) -> bool:
        with self._uow() as uow:
            return bool(uow.officers.all())

    def all(self) -> list[Officer]:
        with self._uow() as uow:
            return uow.officers.all()

    def create(self, username: str, full_name: str, password: str, role: str = "officer") -> Officer:
        username = clean(username).lower()
        if not _USERNAME_RE.match(username):
            raise ValidationError("Tên đăng nhập gồm 3–40 ký tự: chữ thường không dấu, số, dấu chấm, gạch.",
                                  "bad username")
        full_name = clean(full_name)
        if not full_name:
            raise ValidationError("Chưa nhập họ tên cán bộ.", "full name missing")
        if role not in ROLES:
            raise ValidationError(f"Vai trò phải là một trong: {', '.join(ROLES)}.", "bad role")
        check_new_password(password)
        officer = Officer(username, full_name, role)
        with self._uow() as uow:
            if uow.officers.get(username) is not None:
                raise ValidationError(f"Tên đăng nhập «{username}» đã có.", "duplicate username")
            uow.officers.add(officer, hash_password(password))
            uow.commit()
        return officer

    def authenticate(self, username: str, password: str) -> Officer:
        """The officer, or one message whatever was wrong (do not reveal which usernames exist)."""
        with self._uow() as uow:
            found = uow.officers.get(clean(username).lower())
        if found is None or not found[0].active or not verify_password(password, found[1]):
            raise ValidationError("Sai tên đăng nhập hoặc mật khẩu.", "authentication failed")
        return found[0]

    def change_password(self, username: str, old: str, new: str, confirm: str) -> None:
        self.authenticate(username, old)
        check_new_password(new, confirm)
        with self._uow() as uow:
            uow.officers.set_password(clean(username).lower(), hash_password(new))
            uow.commit()
