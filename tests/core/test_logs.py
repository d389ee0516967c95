import logging
import logging.handlers
import secrets
import sys
import threading

import pytest

from counter_app import logs
from counter_app.core.errors import ValidationError
from counter_app.core.protocol import one_time_code
from counter_app.logs import RedactingFilter, redact


def test_redact_masks_ids_and_qr_payloads():
    qr = "052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2, xã Định Mỹ|01072024"
    assert redact(f"scan: {qr}") == "scan: [QR đã ẩn]"
    assert redact("id=052195000123 phone=0912345678") == "id=052******123 phone=0912345678"
    assert redact("H52.101-260610-010001") == "H52.101-260610-010001"


def test_filter_applies_to_formatted_arguments(caplog):
    logger = logging.getLogger("counter_app.test")
    caplog.handler.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO):
        logger.info("received dossier for %s", "052195000123")
    assert "052195000123" not in caplog.text and "052******123" in caplog.text


# -- the log file, the excepthook and tail ---------------------------------------------------------
TOKEN = secrets.token_urlsafe(32)
CODE = one_time_code()[0]


@pytest.fixture
def log_file(tmp_path):
    saved = logging.getLogger().handlers[:], logging.getLogger().level
    path = logs.configure(data_dir=tmp_path)
    yield path
    for h in logging.getLogger().handlers:
        h.close()
    logging.getLogger().handlers[:], _ = saved
    logging.getLogger().setLevel(saved[1])


@pytest.mark.parametrize("text, hidden, kept", [
    ("Authorization: Bearer abc.DEF-123", "abc.DEF-123", "Bearer [đã ẩn]"),
    ("GET /pair?token=s3cr3t&x=1", "s3cr3t", "token=[đã ẩn]&x=1"),
    ('{"device_token": "zz-top-9"}', "zz-top-9", '"device_token": "[đã ẩn]"'),
    (f"paired with {TOKEN}.", TOKEN, "paired with [đã ẩn]."),
    (f"enrollment code {CODE}", CODE, "enrollment code [đã ẩn]"),
    ("CMND 123456789 scanned", "123456789", "CMND ******789 scanned"),
    ("test_a_settings_change_applies_only_what_the", None, "test_a_settings_change_applies_only_what_the"),
    ("H52.101-260610-010001 phone 0912345678", None, "H52.101-260610-010001 phone 0912345678"),
])
def test_redact_masks_tokens_codes_and_old_ids_but_not_codes_or_names(text, hidden, kept):
    out = redact(text)
    assert kept in out and (hidden is None or hidden not in out)


def test_the_file_holds_the_traceback_without_id_numbers_or_tokens(log_file, tmp_path):
    log = logging.getLogger("counter_app.test")
    try:
        raise ValueError(f"bad id 052195000123 with token={TOKEN}")
    except ValueError:
        log.exception("while pairing with %s", TOKEN)
    for h in logging.getLogger().handlers:
        h.flush()
    text = log_file.read_text("utf-8")
    assert "Traceback (most recent call last)" in text and "ValueError: bad id 052******123" in text
    assert "052195000123" not in text and TOKEN not in text
    rotating = next(h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler))
    assert (rotating.maxBytes, rotating.backupCount) == (logs.MAX_BYTES, logs.BACKUPS)
    assert 1024 * 1024 <= logs.MAX_BYTES <= 10 * 1024 * 1024 and 2 <= logs.BACKUPS <= 10
    assert log_file == tmp_path / "logs" / "counter_app.log"


def test_the_excepthooks_log_uncaught_exceptions(log_file, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, "excepthook", lambda *a: seen.append(a[0]))
    monkeypatch.setattr(threading, "excepthook", lambda args: seen.append(args.exc_type))
    logs.install_excepthook()
    try:
        raise RuntimeError("main thread boom 052195000123")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())

    def work():
        raise KeyError("worker boom")

    worker = threading.Thread(target=work, name="sync-worker")
    worker.start()
    worker.join()
    for h in logging.getLogger().handlers:
        h.flush()
    text = log_file.read_text("utf-8")
    assert "RuntimeError: main thread boom 052******123" in text
    assert "uncaught exception in thread sync-worker" in text and "KeyError: 'worker boom'" in text
    assert seen == [RuntimeError, KeyError]  # the previous hooks still run


def test_tail_on_a_missing_log_says_so_in_vietnamese(tmp_path):
    with pytest.raises(ValidationError, match="Chưa có tệp nhật ký"):
        logs.tail(tmp_path, 10)


def test_tail_returns_the_last_lines(tmp_path):
    path = logs.log_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("".join(f"dòng {i}\n" for i in range(100)), "utf-8")
    assert logs.tail(tmp_path, 3) == ["dòng 97", "dòng 98", "dòng 99"]
    assert len(logs.tail(tmp_path, 500)) == 100 and logs.tail(tmp_path, 0) == []
