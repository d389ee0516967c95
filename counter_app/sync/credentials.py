"""The device token lives only in the OS keyring (Windows Credential Manager, macOS Keychain,
Secret Service). There is deliberately no plaintext fallback: without a usable keyring the
counter refuses to enroll and says why."""

from __future__ import annotations

from counter_app.core import protocol
from counter_app.core.errors import ConfigurationError
from counter_app.os_keyring import keyring_usable, no_keyring

SERVICE = "counter_app provincial sync"


NO_KEYRING = no_keyring("mã xác thực thiết bị", "đăng ký lại")


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
