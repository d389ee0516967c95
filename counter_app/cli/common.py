"""Helpers every command group shares: the parser class, opening the app, output, and the
argument parsers. A leaf: it imports no command module, so groups import it and never each other."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, timedelta
from typing import Any

from counter_app import paths
from counter_app.core.errors import ValidationError
from counter_app.core.formats import fmt_time_long, parse_datetime, vnd  # noqa: F401 (vnd: groups)
from counter_app.core.lifecycle import Status
from counter_app.core.model import DocumentKind, DocumentLine
from counter_app.core.text import fold

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_ROWS_SKIPPED = 4  # import-dossiers: the good rows are in, some rows were skipped (listed)
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a reader that went away

_KIND_ALIASES = {
    "original": DocumentKind.ORIGINAL, "ban chinh": DocumentKind.ORIGINAL,
    "certified copy": DocumentKind.CERTIFIED_COPY, "ban sao chung thuc": DocumentKind.CERTIFIED_COPY,
    "ban sao": DocumentKind.CERTIFIED_COPY,
    "photocopy": DocumentKind.PHOTOCOPY, "ban chup": DocumentKind.PHOTOCOPY, "ban photo": DocumentKind.PHOTOCOPY,
}


class VietnameseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own messages are English; say what to do in Vietnamese
        self.print_usage(sys.stderr)
        sys.stderr.write(f"Lỗi cú pháp lệnh: {message}\nXem hướng dẫn: {self.prog} --help\n")
        raise SystemExit(EXIT_USAGE)


def open_app(args: argparse.Namespace):
    """The application core of ``--data-dir``; ``main`` closes it when the command ends."""
    from counter_app.app import CounterApp

    app = CounterApp.open(paths.data_dir(args.data_dir))
    args.opened.append(app)
    return app


def data_dir(args: argparse.Namespace):
    return paths.data_dir(args.data_dir)


# -- argument parsing ----------------------------------------------------------------------------
def parse_local_datetime(text: str) -> datetime:
    """``YYYY-MM-DDTHH:MM`` or ``DD/MM/YYYY HH:MM``: the same formats as the window."""
    return parse_datetime(text)


def parse_day(text: str) -> date:
    """Date filters (``--from``, ``--to``, ``--date``) stay ISO-only, as documented in their help."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"Ngày «{text}» phải có dạng YYYY-MM-DD.", "expected YYYY-MM-DD") from None


def day_start(text: str | None, *, next_day: bool = False) -> datetime | None:
    """``YYYY-MM-DD`` → 00:00 of that day (of the day after, for an inclusive upper bound)."""
    from counter_app.core.calendar import TZ

    if not text:
        return None
    return datetime.combine(parse_day(text) + timedelta(days=next_day), datetime.min.time(), TZ)


def parse_document(text: str) -> DocumentLine:
    """``NAME|KIND|COUNT[|PAGES]``; KIND may be written in English or Vietnamese."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) < 3 or len(parts) > 4 or not parts[0]:
        raise ValidationError(f"Giấy tờ «{text}» phải có dạng TÊN|LOẠI|SỐ LƯỢNG[|SỐ TRANG].",
                              "expected NAME|KIND|COUNT[|PAGES]")
    kind = _KIND_ALIASES.get(fold(parts[1]))  # fold: "certified_copy" → "certified copy", "Bản chính" → "ban chinh"
    if kind is None:
        raise ValidationError(f"Loại giấy tờ «{parts[1]}» không hợp lệ (original, certified_copy, photocopy).",
                              "bad document kind")
    try:
        count = int(parts[2])
        pages = int(parts[3]) if len(parts) == 4 and parts[3] else None
    except ValueError:
        raise ValidationError(f"Số lượng/số trang trong «{text}» phải là số nguyên.", "not an integer") from None
    return DocumentLine(parts[0], kind, count, pages)


def parse_gender(text: str | None):
    from counter_app.core.cccd import parse_gender as _parse

    if text is None:
        return None
    gender = _parse(text)
    if gender is None:
        raise ValidationError(f"Giới tính «{text}» phải là Nam hoặc Nữ.", "bad gender")
    return gender


# -- output --------------------------------------------------------------------------------------
def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(text)


def dossier_text(d) -> str:
    from counter_app.core.cccd import mask_id

    lines = [
        f"Mã hồ sơ: {d.code}",
        f"Trạng thái: {Status(d.status).label_vi} ({Status(d.status).national_code})",
        f"Thủ tục: {d.procedure_code} – {d.procedure_name}",
        f"Người nộp: {d.applicant.full_name}" + (f" – {mask_id(d.applicant.id_number)}" if d.applicant.id_number else ""),
        f"Tiếp nhận: {fmt_time_long(d.received_at)}",
        f"Hẹn trả: {fmt_time_long(d.due_at)}",
        f"Nơi trả kết quả: qua bưu chính đến {d.return_address}" if d.return_at == "post"
        else f"Nơi trả kết quả: quầy của {d.return_at}",
    ]
    if d.register:
        lines.append(f"Sổ theo dõi hồ sơ: Quyển số {d.register.book}, Số thứ tự {d.register.serial}")
    if d.fees:
        lines.append(f"Phí, lệ phí: {vnd(d.total_fee_vnd)}")
    return "\n".join(lines)


def summary_line(s) -> str:
    from counter_app.core.cccd import mask_id

    return (f"{s.code}  {Status(s.status).label_vi:<18}  {s.received_at:%d/%m/%Y %H:%M}  "
            f"{s.applicant_name}  {mask_id(s.id_number)}  {s.procedure_name[:50]}")


def check_suffix(path, allowed: tuple[str, ...], what: str) -> str:
    """The output file's suffix, or a Vietnamese error naming what ``what`` may be written to."""
    suffix = path.suffix.lower()
    if suffix not in allowed:
        names = " hoặc ".join(allowed)
        raise ValidationError(f"{what} xuất ra tệp {names}.", f"expected {' or '.join(allowed)}")
    return suffix
