"""Whether this machine has an OS keyring worth the name (Windows Credential Manager, macOS
Keychain, Secret Service), and what to tell the administrator when it has not. Shared by the device
token store (``sync.credentials``) and the database key (``storage.cipher``): neither has a
plaintext fallback."""

from __future__ import annotations


def keyring_usable() -> tuple[bool, str]:
    """(usable, backend name). The fail and null backends, and any priority ≤ 0, do not count."""
    try:
        import keyring

        backend = keyring.get_keyring()
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


def no_keyring(what: str, then: str) -> str:
    """The Vietnamese refusal: ``what`` cannot be stored safely; ``then`` is the step after fixing it."""
    return (f"Máy này không có kho mật khẩu của hệ điều hành (keyring) dùng được nên không thể lưu {what} "
            "an toàn. Trên Windows dùng Windows Credential Manager; trên Linux cài và mở khóa GNOME "
            f"Keyring/KWallet, rồi {then}.")
