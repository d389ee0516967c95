"""Logging that cannot leak personal data: every record passes a filter that masks ID numbers
and whole CCCD QR payloads before any handler sees it."""

from __future__ import annotations

import logging
import re
from pathlib import Path

# A QR payload is several |-separated fields starting with a 12-digit ID; mask it whole.
_QR_RE = re.compile(r"\d{12}\|[^\s]*(?:\|[^|\n]*){4,}")
_ID_RE = re.compile(r"(?<!\d)(\d{3})\d{6}(\d{3})(?!\d)")


def redact(text: str) -> str:
    text = _QR_RE.sub("[QR đã ẩn]", text)
    return _ID_RE.sub(r"\1******\2", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


def configure(level: int = logging.WARNING, log_file: Path | None = None) -> None:
    """Root logging to stderr (and optionally a file), every handler behind the redacting filter."""
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    for h in handlers:
        h.addFilter(RedactingFilter())
        h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=handlers, force=True)
