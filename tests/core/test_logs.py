import logging

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
