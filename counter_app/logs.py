"""Logging that cannot leak personal data or secrets: ID numbers, whole CCCD QR payloads, bearer
tokens, ``token=`` values, pairing and enrollment codes are masked in the final formatted line
(tracebacks included) before any handler writes it.

The window and the command line keep a rotating log in ``<data_dir>/logs/counter_app.log``; an
uncaught exception, on any thread, lands there with its traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from collections import deque
from pathlib import Path

from counter_app import paths
from counter_app.core.errors import ValidationError

LOG_NAME = "counter_app.log"
MAX_BYTES = 2 * 1024 * 1024  # a few weeks of a busy counter; small enough to e-mail to support
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"

# A QR payload is several |-separated fields starting with a 12-digit ID; mask it whole.
_QR_RE = re.compile(r"\d{12}\|[^\s]*(?:\|[^|\n]*){4,}")
_ID_RE = re.compile(r"(?<!\d)(\d{3})\d{6}(\d{3})(?!\d)")  # CCCD: 12 digits
_CMND_RE = re.compile(r"(?<!\d)\d{6}(\d{3})(?!\d)")  # old ID card: 9 digits
_BEARER_RE = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")
_SECRET_FIELD_RE = re.compile(
    r"""(?ix)(["']?\b(?:[a-z_]*token|secret|password|passwd|api_key|pairing_code|enrollment_code|otp)["']?
    \s*[:=]\s*["']?)[^"'&\s,;}]+""")
# ``protocol.one_time_code``: three groups of four, read aloud over the phone.
_ONE_TIME_CODE_RE = re.compile(r"(?<![A-Z0-9-])[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}(?![A-Z0-9-])")
# ``secrets.token_urlsafe(32)``: 43 characters with digits and both cases, unlike a long identifier.
_URLSAFE_RE = re.compile(r"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]{0,42}\d)(?=[A-Za-z0-9_-]{0,42}[A-Z])"
                         r"(?=[A-Za-z0-9_-]{0,42}[a-z])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
HIDDEN = "[đã ẩn]"


def redact(text: str) -> str:
    text = _QR_RE.sub("[QR đã ẩn]", text)
    text = _BEARER_RE.sub(rf"\1{HIDDEN}", text)
    text = _SECRET_FIELD_RE.sub(rf"\1{HIDDEN}", text)
    text = _ONE_TIME_CODE_RE.sub(HIDDEN, text)
    text = _URLSAFE_RE.sub(HIDDEN, text)
    text = _ID_RE.sub(r"\1******\2", text)
    return _CMND_RE.sub(r"******\1", text)


class RedactingFilter(logging.Filter):
    """Masks the message early, for handlers that format on their own (pytest's caplog)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


class RedactingFormatter(logging.Formatter):
    """Masks the whole formatted line: the filter cannot reach a traceback, which is only
    formatted here, and an exception's text may carry the ID number that was being validated."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / "logs" / LOG_NAME


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """The log names officers and dossier codes: its folder 0700 and its files 0600 (POSIX)."""

    def _open(self):
        stream = super()._open()
        paths.make_private(self.baseFilename)
        paths.make_private(Path(self.baseFilename).parent)
        return stream


def _handler(handler: logging.Handler, level: int) -> logging.Handler:
    handler.setLevel(level)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(RedactingFormatter(FORMAT))
    return handler


def configure(level: int = logging.WARNING, log_file: Path | None = None, *,
              data_dir: str | Path | None = None, file_level: int = logging.INFO) -> Path | None:
    """Root logging to stderr at ``level``; with ``data_dir`` (or ``log_file``) also to a rotating
    file at ``file_level``. Returns the file's path, or None."""
    handlers = [_handler(logging.StreamHandler(), level)]
    path = log_path(data_dir) if data_dir is not None else log_file
    if path is not None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        rotating = PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        handlers.append(_handler(rotating, file_level))
    logging.basicConfig(level=min(level, file_level) if path else level, handlers=handlers, force=True)
    return path


_crash_log = logging.getLogger("counter_app.crash")


def install_excepthook() -> None:
    """Uncaught exceptions (main thread and other threads) go to the log with their traceback,
    then to the hook that was there before (Python's prints them on stderr)."""
    previous, previous_thread = sys.excepthook, threading.excepthook

    def hook(kind, value, tb) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            _crash_log.critical("uncaught exception", exc_info=(kind, value, tb))
        previous(kind, value, tb)

    def thread_hook(args) -> None:
        if args.exc_type is not SystemExit:
            name = args.thread.name if args.thread else "?"
            _crash_log.critical("uncaught exception in thread %s", name,
                                exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
        previous_thread(args)

    sys.excepthook, threading.excepthook = hook, thread_hook


def tail(data_dir: str | Path, lines: int = 50) -> list[str]:
    """The last ``lines`` lines of the log, for ``counter-app logs --tail N``."""
    path = log_path(data_dir)
    if not path.is_file():
        raise ValidationError(f"Chưa có tệp nhật ký tại {path}: phần mềm chưa ghi nhật ký nào trong thư mục "
                              "dữ liệu này.", "no log file yet")
    with path.open(encoding="utf-8", errors="replace") as f:
        return [line.rstrip("\n") for line in deque(f, maxlen=max(lines, 0))]
