"""Errors carry a Vietnamese message for the officer and an optional English detail for support."""


class CounterError(Exception):
    """Base error. ``message`` is Vietnamese (shown to officers), ``detail`` is English (for support)."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message if not detail else f"{message} ({detail})")
        self.message = message
        self.detail = detail


class ValidationError(CounterError):
    """Input that cannot be accepted; nothing was written."""


class IllegalTransition(CounterError):
    """A life-cycle action that the dossier's current status does not allow."""


class NotFound(CounterError):
    """A dossier, procedure or setting that does not exist."""


class ConfigurationError(CounterError):
    """The counter has not been set up (or its data directory is not usable)."""


class StorageError(CounterError):
    """The store could not be written (disk full, I/O error); the transaction was rolled back."""


class KeyMissing(ConfigurationError):
    """The store is encrypted and this machine's keyring has no key for it: the recovery key helps."""
