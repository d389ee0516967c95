"""Local officer accounts: Argon2id-hashed passwords, roles ``officer`` and ``admin``.

An administrator adds accounts, resets passwords, changes roles and deactivates accounts; an
officer changes their own password. Accounts are never deleted: a deactivated officer cannot log
in, and the names in dossier histories (stored as text on each event) stay as they were. The office
always keeps one active administrator. Who changed which account is logged (never a password).

Passwords are hashed with Argon2id at OWASP's parameters. A hash made earlier (scrypt, or Argon2id
at other parameters) still verifies, and is replaced at the officer's next successful login.

Who asks is an ``Officer`` logged in at the window (checked again against the store, so a demoted
or deactivated account loses its rights at once) or the ``Operator`` of the command line: whoever
can run it on the data folder can already write the database file, so it acts as an administrator,
as it does for ``settings set``; it is also how a lost administrator password is reset.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

from counter_app.core.errors import NotFound, ValidationError
from counter_app.core.ports import UnitOfWork
from counter_app.core.text import clean

log = logging.getLogger(__name__)

ROLES = ("officer", "admin")
ROLE_LABELS = {"officer": "Cán bộ", "admin": "Quản trị viên"}
MIN_PASSWORD = 8
MAX_FULL_NAME = 100  # dossier events keep the name in a 100-character column
MAX_ORGANISATION = 200
# OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB of memory, 2 iterations, 1 lane (about 30 ms
# here). Changing them makes every older hash be replaced at its officer's next login.
ARGON2_TIME_COST, ARGON2_MEMORY_KIB, ARGON2_LANES = 2, 19 * 1024, 1
_USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,40}$")


@dataclass(frozen=True)
class Officer:
    username: str
    full_name: str
    role: str = "officer"
    active: bool = True
    # The organisation the officer works for when it is not the commune: the postal unit that
    # operates the counter for it (QĐ 468/QĐ-TTg). None for the commune's own staff.
    organisation: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Operator:
    """The person at the command line, named for the record (``--officer`` or the login name)."""

    name: str


def _who(by: Officer | Operator) -> str:
    return f"command line ({by.name})" if isinstance(by, Operator) else by.username


@cache
def _hasher():
    """Imported on first use (15 ms of cffi), after the login dialog is on screen."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_LANES)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, stored: str) -> bool:
    """Argon2id hashes, and the scrypt ones (``scrypt$N$r$p$salt$digest``) made before it."""
    if stored.startswith("scrypt$"):
        return _verify_scrypt(password, stored)
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True for a hash that verifies but is not Argon2id at today's parameters."""
    if not stored.startswith("$argon2id$"):
        return True
    from argon2.exceptions import InvalidHashError

    try:
        return _hasher().check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


def _verify_scrypt(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        actual = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                maxmem=256 * 1024 * 1024, dklen=len(digest) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual.hex(), digest)


def check_new_password(password: str, confirm: str | None = None) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.", "password too short")
    if confirm is not None and password != confirm:
        raise ValidationError("Hai lần nhập mật khẩu không khớp.", "passwords differ")


def check_username(username: str) -> str:
    """The stored form (lower case) of a new username, or a Vietnamese refusal."""
    username = clean(username).lower()
    if not _USERNAME_RE.match(username):
        raise ValidationError("Tên đăng nhập gồm 3–40 ký tự: chữ thường không dấu, số, dấu chấm, gạch.",
                              "bad username")
    return username


def check_full_name(full_name: str) -> str:
    full_name = clean(full_name)
    if not full_name:
        raise ValidationError("Chưa nhập họ tên cán bộ.", "full name missing")
    if len(full_name) > MAX_FULL_NAME:
        raise ValidationError(f"Họ tên cán bộ dài quá {MAX_FULL_NAME} ký tự.", "full name too long")
    return full_name


def check_organisation(organisation: str | None) -> str | None:
    """The organisation as stored: None (or empty) for the commune's own staff."""
    value = clean(organisation or "")
    if len(value) > MAX_ORGANISATION:
        raise ValidationError(f"Tên đơn vị dài quá {MAX_ORGANISATION} ký tự.", "organisation too long")
    return value or None


def check_role(role: str) -> str:
    role = clean(role).lower()
    if role not in ROLES:
        raise ValidationError(f"Vai trò phải là một trong: {', '.join(ROLES)} "
                              f"({', '.join(ROLE_LABELS[r] for r in ROLES)}).", "bad role")
    return role


class OfficerService:
    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self._uow = uow_factory

    # -- reading ------------------------------------------------------------------------------
    def any(self) -> bool:
        """Whether anyone can log in (an active account exists); otherwise the window's set-up
        wizard asks for the first administrator."""
        with self._uow() as uow:
            return any(o.active for o in uow.officers.all())

    def all(self) -> list[Officer]:
        with self._uow() as uow:
            return uow.officers.all()

    def get(self, username: str) -> Officer:
        with self._uow() as uow:
            return self._get(uow, username)

    def account_named(self, name: str) -> Officer | None:
        """The active account a face names the officer by (login, or a full name only one account
        has), or None (a command-line user without an account)."""
        text = clean(name)
        with self._uow() as uow:
            found = uow.officers.get(text.lower())
            if found is not None:
                return found[0] if found[0].active else None
            named = [o for o in uow.officers.all() if o.active and o.full_name == text]
        return named[0] if len(named) == 1 else None

    def check_new(self, username: str, full_name: str, role: str = "officer", organisation: str | None = None) -> str:
        """What ``add`` checks before the password (a face asks for it only then): the stored
        username, free, with a valid name, role and organisation."""
        officer = Officer(check_username(username), check_full_name(full_name), check_role(role),
                          organisation=check_organisation(organisation))
        with self._uow() as uow:
            if uow.officers.get(officer.username) is not None:
                raise ValidationError(f"Tên đăng nhập «{officer.username}» đã có.", "duplicate username")
        return officer.username

    # -- logging in and the officer's own password ---------------------------------------------
    def authenticate(self, username: str, password: str) -> Officer:
        """The officer, or one message whatever was wrong (do not reveal which usernames exist)."""
        with self._uow() as uow:
            found = uow.officers.get(clean(username).lower())
        if found is None or not found[0].active or not verify_password(password, found[1]):
            raise ValidationError("Sai tên đăng nhập hoặc mật khẩu.", "authentication failed")
        if needs_rehash(found[1]):
            self._rehash(found[0].username, found[1], password)
        return found[0]

    def _rehash(self, username: str, old_hash: str, password: str) -> None:
        """Replace an older hash by today's, unless the password changed meanwhile. A failure
        does not refuse the login: the next one tries again."""
        hashed = hash_password(password)  # outside the write transaction
        try:
            with self._uow() as uow:
                current = uow.officers.get(username)
                if current is None or current[1] != old_hash:
                    return
                uow.officers.set_password(username, hashed)
                uow.commit()
        except Exception:
            log.warning("officer account %s: password hash not upgraded", username, exc_info=True)
            return
        log.info("officer account %s: password hash upgraded to Argon2id", username)

    def change_password(self, username: str, old: str, new: str, confirm: str) -> None:
        """An officer's own change: the old password first."""
        officer = self.authenticate(username, old)
        check_new_password(new, confirm)
        hashed = hash_password(new)  # outside the write transaction: hashing takes 30 ms
        with self._uow() as uow:
            uow.officers.set_password(officer.username, hashed)
            uow.commit()
        log.info("officer account %s: password changed by its owner", officer.username)

    # -- administration -----------------------------------------------------------------------
    def create(self, username: str, full_name: str, password: str, role: str = "officer",
               organisation: str | None = None) -> Officer:
        """The first account, made by the set-up wizard before anyone can log in. Once an
        administrator exists, accounts are added by one (``add``)."""
        officer, hashed = self._new(username, full_name, password, role, organisation=organisation)
        with self._uow() as uow:
            if any(o.active and o.is_admin for o in uow.officers.all()):
                raise ValidationError("Quầy đã có quản trị viên; tài khoản mới do quản trị viên thêm trong Cài đặt.",
                                      "an administrator exists: use add()")
            self._insert(uow, officer, hashed)
        log.info("officer account %s (%s) created by the set-up wizard", officer.username, officer.role)
        return officer

    def add(self, by: Officer | Operator, username: str, full_name: str, password: str,
            role: str = "officer", confirm: str | None = None, organisation: str | None = None) -> Officer:
        officer, hashed = self._new(username, full_name, password, role, confirm, organisation)
        with self._uow() as uow:
            self._authorise(uow, by)
            self._insert(uow, officer, hashed)
        log.info("officer account %s (%s) added by %s", officer.username, officer.role, _who(by))
        return officer

    def reset_password(self, by: Officer | Operator, username: str, new: str, confirm: str | None = None) -> None:
        """An administrator sets a new password without the old one (a forgotten password)."""
        check_new_password(new, confirm)
        hashed = hash_password(new)
        with self._uow() as uow:
            self._authorise(uow, by)
            target = self._get(uow, username)
            uow.officers.set_password(target.username, hashed)
            uow.commit()
        log.info("officer account %s: password reset by %s", target.username, _who(by))

    def set_role(self, by: Officer | Operator, username: str, role: str) -> Officer:
        role = check_role(role)
        return self._update(by, username, "role", role)

    def set_active(self, by: Officer | Operator, username: str, active: bool) -> Officer:
        return self._update(by, username, "active", bool(active))

    def set_organisation(self, by: Officer | Operator, username: str, organisation: str | None) -> Officer:
        """The organisation the account works for (the postal unit), or None for the commune's staff.
        Receipts already printed keep the operator recorded on their dossier."""
        return self._update(by, username, "organisation", check_organisation(organisation))

    # -- inside ---------------------------------------------------------------------------------
    @staticmethod
    def _new(username: str, full_name: str, password: str, role: str, confirm: str | None = None,
             organisation: str | None = None) -> tuple[Officer, str]:
        officer = Officer(check_username(username), check_full_name(full_name), check_role(role),
                          organisation=check_organisation(organisation))
        check_new_password(password, confirm)
        return officer, hash_password(password)

    @staticmethod
    def _insert(uow: UnitOfWork, officer: Officer, hashed: str) -> None:
        if uow.officers.get(officer.username) is not None:
            raise ValidationError(f"Tên đăng nhập «{officer.username}» đã có.", "duplicate username")
        uow.officers.add(officer, hashed)
        uow.commit()

    @staticmethod
    def _get(uow: UnitOfWork, username: str) -> Officer:
        found = uow.officers.get(clean(username).lower())
        if found is None:
            raise NotFound(f"Không có cán bộ có tên đăng nhập «{clean(username)}».", "no such officer")
        return found[0]

    @staticmethod
    def _authorise(uow: UnitOfWork, by: Officer | Operator) -> None:
        """Checked in the same transaction as the change, against the stored account."""
        if isinstance(by, Operator):
            return
        found = uow.officers.get(by.username)
        if found is None or not found[0].active or not found[0].is_admin:
            raise ValidationError("Chỉ quản trị viên được quản lý tài khoản cán bộ.", "not an administrator")

    def _update(self, by: Officer | Operator, username: str, field: str, value) -> Officer:
        with self._uow() as uow:
            self._authorise(uow, by)
            before = self._get(uow, username)
            after = replace(before, **{field: value})
            if after == before:
                return before
            if before.active and before.is_admin and not (after.active and after.is_admin):
                admins = {o.username for o in uow.officers.all() if o.active and o.is_admin}
                if admins == {before.username}:
                    raise ValidationError("Đây là quản trị viên cuối cùng đang hoạt động: không thể khóa hoặc bỏ "
                                          "quyền quản trị. Hãy cấp quyền cho người khác trước.", "last active admin")
                if isinstance(by, Officer) and by.username == before.username:
                    raise ValidationError("Không thể tự khóa hoặc tự bỏ quyền quản trị của mình; "
                                          "nhờ một quản trị viên khác.", "own account")
            if field == "role":
                uow.officers.set_role(before.username, value)
            elif field == "organisation":
                uow.officers.set_organisation(before.username, value)
            else:
                uow.officers.set_active(before.username, value)
            uow.commit()
        change = {"role": f"role {before.role} -> {after.role}",
                  "organisation": f"organisation {before.organisation!r} -> {after.organisation!r}"}.get(
            field, "enabled" if after.active else "disabled")
        log.info("officer account %s: %s by %s", before.username, change, _who(by))
        return after
