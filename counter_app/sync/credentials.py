"""The device token lives only in the OS keyring (Windows Credential Manager, macOS Keychain,
Secret Service). There is deliberately no plaintext fallback: without a usable keyring the
counter refuses to enroll and says why."""

from __future__ import annotations

from counter_app.core import protocol
from counter_app.core.errors import ConfigurationError

SERVICE = "counter_app provincial sync"


def _backend():
    import keyring

    return keyring.get_keyring()


def keyring_usable() -> tuple[bool, str]:
    """(usable, backend name). The fail and null backends, and any priority ≤ 0, do not count."""
    try:
        backend = _backend()
    except Exception as exc:  # a broken keyring configuration
        return False, f"{type(exc).__name__}: {exc}"
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if name.startswith(("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")):
        return False, name
    try:
        priority = float(getattr(type(backend), "priority", 1))
    except Exception:
        priority = 1.0
    return priority > 0, name


NO_KEYRING = ("Máy này không có kho mật khẩu của hệ điều hành (keyring) dùng được nên không thể lưu mã "
              "xác thực thiết bị an toàn. Trên Windows dùng Windows Credential Manager; trên Linux cài và mở "
              "khóa GNOME Keyring/KWallet, rồi đăng ký lại.")


class TokenStore:
    """Device tokens keyed by device id (several data directories may share one OS account)."""

    def __init__(self, username: str) -> None:
        self.username = username

    def require_backend(self) -> None:
        ok, name = keyring_usable()
        if not ok:
            raise ConfigurationError(NO_KEYRING, f"no usable keyring backend ({name})")

    def save(self, token: str) -> None:
        self.require_backend()
        if not token or len(token) >= protocol.MAX_TOKEN_LENGTH:
            raise ConfigurationError("Mã xác thực máy chủ trả về không hợp lệ.", "token empty or too long")
        import keyring

        try:
            keyring.set_password(SERVICE, self.username, token)
        except Exception as exc:
            raise ConfigurationError(NO_KEYRING, f"keyring refused the token: {type(exc).__name__}") from None

    def load(self) -> str | None:
        ok, _name = keyring_usable()
        if not ok:
            return None
        import keyring

        try:
            return keyring.get_password(SERVICE, self.username)
        except Exception:
            return None

    def forget(self) -> None:
        import keyring

        try:
            keyring.delete_password(SERVICE, self.username)
        except Exception:
            pass
