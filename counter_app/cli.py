"""Headless command line over the same services as the window: ``counter-app`` or
``python -m counter_app``.

Errors print a Vietnamese message (with an English detail) on stderr, exit non-zero, and write
nothing: every command is one transaction that commits only when it succeeded.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from counter_app import __version__, paths
from counter_app.core.errors import CounterError, ValidationError
from counter_app.core.lifecycle import Status
from counter_app.core.model import (
    ApplicantKind, Channel, DocumentKind, DocumentLine, ReturnMethod,
)
from counter_app.core.text import fold, parse_dmy

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

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


# -- argument parsing helpers ----------------------------------------------------------------------
def parse_local_datetime(text: str) -> datetime:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        raise ValidationError(f"Thời điểm «{text}» phải có dạng YYYY-MM-DDTHH:MM.",
                              "expected YYYY-MM-DDTHH:MM") from None


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"Ngày «{text}» phải có dạng YYYY-MM-DD.", "expected YYYY-MM-DD") from None


def _day_start(text: str | None, *, next_day: bool = False) -> datetime | None:
    """``YYYY-MM-DD`` → 00:00 of that day (of the day after, for an inclusive upper bound)."""
    from datetime import timedelta

    from counter_app.core.calendar import TZ

    if not text:
        return None
    return datetime.combine(_parse_day(text) + timedelta(days=next_day), datetime.min.time(), TZ)


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


# -- output ------------------------------------------------------------------------------------------
def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(text)


def vnd(amount: int) -> str:
    return f"{amount:,} đồng".replace(",", ".")


def fmt_time(value: datetime | None) -> str:
    return value.strftime("%H giờ %M phút, ngày %d/%m/%Y") if value else "—"


def dossier_text(d) -> str:
    from counter_app.core.cccd import mask_id

    lines = [
        f"Mã hồ sơ: {d.code}",
        f"Trạng thái: {Status(d.status).label_vi} ({Status(d.status).national_code})",
        f"Thủ tục: {d.procedure_code} – {d.procedure_name}",
        f"Người nộp: {d.applicant.full_name}" + (f" – {mask_id(d.applicant.id_number)}" if d.applicant.id_number else ""),
        f"Tiếp nhận: {fmt_time(d.received_at)}",
        f"Hẹn trả: {fmt_time(d.due_at)}",
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


# -- commands ----------------------------------------------------------------------------------------
def _open(args):
    from counter_app.app import CounterApp

    return CounterApp.open(paths.data_dir(args.data_dir))


def _intake_request(args):
    from counter_app.core.intake import ApplicantInput, IntakeRequest

    applicant = ApplicantInput(
        full_name=args.name or "", kind=ApplicantKind(args.applicant_kind), id_number=args.id_number,
        date_of_birth=parse_dmy(args.dob) if args.dob else None, gender=parse_gender(args.gender),
        phone=args.phone, email=args.email, address=args.address,
    )
    return IntakeRequest(
        procedure_code=args.procedure, applicant=applicant, officer=args.officer,
        documents=[parse_document(d) for d in args.document] if args.document else None,
        channel=Channel(args.channel),
        received_at=parse_local_datetime(args.received_at) if args.received_at else None,
        return_method=ReturnMethod(args.return_method), return_address=args.return_address,
        receiving_agency=args.agency, competent_agency=args.competent_agency,
        cccd_qr=args.cccd_qr, sets=args.sets,
    )


def _emit_dossier(args, dossier, headline: str) -> None:
    from counter_app.core.serialize import dossier_to_dict

    emit(args, dossier_to_dict(dossier, include_events=args.command == "show"),
         f"{headline}\n{dossier_text(dossier)}" if headline else dossier_text(dossier))


def cmd_intake(args) -> int:
    app = _open(args)
    dossier = app.intake.receive(_intake_request(args))
    _emit_dossier(args, dossier, "Đã tiếp nhận hồ sơ.")
    return 0


def cmd_refuse(args) -> int:
    app = _open(args)
    dossier = app.intake.refuse(_intake_request(args), args.reason)
    _emit_dossier(args, dossier, "Đã ghi nhận từ chối tiếp nhận hồ sơ.")
    return 0


def cmd_show(args) -> int:
    from counter_app.core.lifecycle import event_label_vi
    from counter_app.core.serialize import dossier_to_dict

    dossier = _open(args).queries.get(args.code)
    history = "\n".join(f"  {e.at:%d/%m/%Y %H:%M}  {event_label_vi(e.kind)}  ({e.officer})" for e in dossier.events)
    emit(args, dossier_to_dict(dossier), f"{dossier_text(dossier)}\nLịch sử:\n{history}")
    return 0


def cmd_list(args) -> int:
    from counter_app.core.serialize import summary_to_dict

    app = _open(args)
    window = dict(status=args.status, limit=args.limit, received_from=_day_start(args.date_from),
                  received_to=_day_start(args.date_to, next_day=True))
    rows = app.queries.search(args.text, **window) if args.command == "search" else app.queries.list(**window)
    emit(args, [summary_to_dict(r) for r in rows],
         "\n".join(summary_line(r) for r in rows) or "Không có hồ sơ nào.")
    return 0


def cmd_action(args) -> int:
    act, officer = _open(args).actions, args.officer
    match args.command:
        case "forward":
            a = act.forward(args.code, officer, args.to_agency)
        case "result-ready":
            a = act.result_ready(args.code, officer, args.note)
        case "supplement":
            a = act.request_supplement(args.code, officer, args.reason, args.document or [])
        case "supplied":
            a = act.supplied(args.code, officer)
        case "reschedule":
            a = act.reschedule(args.code, officer, parse_local_datetime(args.new_due), args.reason)
        case "stop":
            a = act.stop(args.code, officer, args.reason)
        case "withdraw":
            a = act.withdraw(args.code, officer, args.reason)
        case "return":
            a = act.return_result(args.code, officer, receiver_name=args.receiver_name,
                                  receiver_id=args.receiver_id, rating=args.rating,
                                  fees_collected_vnd=args.fees_collected)
    _emit_dossier(args, a, f"Đã ghi nhận: {Status(a.status).label_vi}.")
    return 0


def cmd_gui(args) -> int:
    """No subcommand: the desktop window."""
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
        # Qt would abort the process; say what is wrong instead.
        sys.stderr.write("Lỗi: không có màn hình (DISPLAY/WAYLAND_DISPLAY chưa đặt) để mở cửa sổ quầy. "
                         "Các lệnh dòng lệnh vẫn dùng được: counter-app --help\n"
                         "(detail: no display; set DISPLAY or QT_QPA_PLATFORM)\n")
        return EXIT_ERROR
    try:
        from counter_app.ui.app_main import run
    except ImportError as exc:  # Qt missing or not loadable (no display libraries)
        sys.stderr.write(f"Lỗi: không mở được giao diện Qt ({exc}). Các lệnh dòng lệnh vẫn dùng được: "
                         "counter-app --help\n")
        return EXIT_ERROR
    return run(args.data_dir)


# -- parser ------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    from counter_app import cli_admin as admin  # imports this module's helpers: load it only here

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS,
                        help=f"thư mục dữ liệu (mặc định: ${paths.DATA_DIR_ENV} hoặc thư mục dữ liệu người dùng)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="in kết quả dạng JSON")
    common.add_argument("--officer", default=argparse.SUPPRESS, help="cán bộ thực hiện (mặc định: người dùng hệ thống)")

    p = VietnameseArgumentParser(prog="counter-app", parents=[common],
                                 description="Phần mềm quầy Một cửa: tiếp nhận và trả kết quả hồ sơ.")
    p.add_argument("--version", action="version", version=f"counter_app {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=VietnameseArgumentParser)

    def add(name, func, help_):
        sp = sub.add_parser(name, parents=[common], help=help_)
        sp.set_defaults(func=func)
        return sp

    sp = add("init", admin.cmd_init, "khởi tạo quầy và nạp danh mục thủ tục")
    sp.add_argument("--agency-code", required=True)
    sp.add_argument("--agency-name", required=True)
    sp.add_argument("--province")
    sp.add_argument("--desk", type=int, default=1)
    sp.add_argument("--catalogue", help="tệp danh mục JSON thay cho danh mục có sẵn")

    sp = add("catalogue", admin.cmd_catalogue, "danh mục thủ tục")
    csub = sp.add_subparsers(dest="catalogue_command", required=True, parser_class=VietnameseArgumentParser)
    ci = csub.add_parser("import", parents=[common], help="nhập danh mục từ tệp JSON")
    ci.add_argument("file")
    ci.add_argument("--replace", action="store_true",
                    help="thủ tục không có trong tệp: ngừng áp dụng (nếu đã có hồ sơ) hoặc xóa")
    cl = csub.add_parser("list", parents=[common], help="liệt kê thủ tục")
    cl.add_argument("--all", action="store_true", help="gồm cả thủ tục đã ngừng áp dụng")
    ce = csub.add_parser("export", parents=[common], help="xuất danh mục ra JSON")
    ce.add_argument("--out")

    sp = add("agency", admin.cmd_agency, "cơ quan mà quầy tiếp nhận hồ sơ hộ (quầy liên thông)")
    asub = sp.add_subparsers(dest="agency_command", required=True, parser_class=VietnameseArgumentParser)
    aa = asub.add_parser("add", parents=[common], help="thêm cơ quan được tiếp nhận hộ")
    aa.add_argument("--code", required=True)
    aa.add_argument("--name", required=True)
    aa.add_argument("--province")
    asub.add_parser("list", parents=[common], help="liệt kê cơ quan")

    sp = add("settings", admin.cmd_settings, "cài đặt của quầy (biểu mẫu, giờ chốt, …)")
    ssub = sp.add_subparsers(dest="settings_command", required=True, parser_class=VietnameseArgumentParser)
    ssub.add_parser("show", parents=[common], help="xem cài đặt")
    ss = ssub.add_parser("set", parents=[common], help="đổi một cài đặt")
    ss.add_argument("key")
    ss.add_argument("value")

    sp = add("calendar", admin.cmd_calendar, "ngày nghỉ, ngày làm bù, buổi sáng thứ Bảy")
    calsub = sp.add_subparsers(dest="calendar_command", required=True, parser_class=VietnameseArgumentParser)
    cai = calsub.add_parser("import", parents=[common], help="thay danh sách điều chỉnh từ tệp JSON/CSV")
    cai.add_argument("file")
    calsub.add_parser("list", parents=[common], help="liệt kê ngày điều chỉnh")

    for name, func, help_ in (("intake", cmd_intake, "tiếp nhận hồ sơ"),
                              ("refuse", cmd_refuse, "từ chối tiếp nhận (Mẫu 03)")):
        sp = add(name, func, help_)
        sp.add_argument("--procedure", required=True)
        sp.add_argument("--name")
        sp.add_argument("--applicant-kind", choices=[k.value for k in ApplicantKind], default="citizen")
        sp.add_argument("--id-number")
        sp.add_argument("--cccd-qr", help="nội dung mã QR trên căn cước")
        sp.add_argument("--dob", help="DD/MM/YYYY")
        sp.add_argument("--gender", help="Nam|Nữ")
        sp.add_argument("--phone")
        sp.add_argument("--email")
        sp.add_argument("--address")
        sp.add_argument("--document", action="append", help="TÊN|LOẠI|SỐ LƯỢNG[|SỐ TRANG] (lặp lại)")
        sp.add_argument("--channel", choices=[c.value for c in Channel], default="counter")
        sp.add_argument("--received-at", help="YYYY-MM-DDTHH:MM (giờ Việt Nam)")
        sp.add_argument("--return-method", choices=[m.value for m in ReturnMethod], default="counter")
        sp.add_argument("--return-address")
        sp.add_argument("--agency", help="cơ quan tiếp nhận (quầy liên thông nhiều cơ quan)")
        sp.add_argument("--competent-agency")
        sp.add_argument("--sets", type=int, default=1)
        if name == "refuse":
            sp.add_argument("--reason", required=True)

    sp = add("show", cmd_show, "xem hồ sơ và lịch sử")
    sp.add_argument("code")
    for name, help_ in (("list", "liệt kê hồ sơ"), ("search", "tìm theo mã, số định danh, điện thoại, họ tên")):
        sp = add(name, cmd_list, help_)
        if name == "search":
            sp.add_argument("text")
        sp.add_argument("--status", choices=[s.value for s in Status])
        sp.add_argument("--from", dest="date_from", help="nhận từ ngày YYYY-MM-DD")
        sp.add_argument("--to", dest="date_to", help="nhận đến hết ngày YYYY-MM-DD")
        sp.add_argument("--limit", type=int, default=100)

    actions = {
        "forward": "chuyển hồ sơ cho cơ quan giải quyết", "result-ready": "ghi nhận đã có kết quả",
        "supplement": "yêu cầu bổ sung (Mẫu 02)", "supplied": "nhận hồ sơ bổ sung",
        "reschedule": "xin lỗi và hẹn lại ngày trả (Mẫu 04)", "stop": "dừng xử lý",
        "withdraw": "công dân rút hồ sơ", "return": "trả kết quả",
    }
    for name, help_ in actions.items():
        sp = add(name, cmd_action, help_)
        sp.add_argument("code")
        if name == "forward":
            sp.add_argument("--to-agency")
        if name == "result-ready":
            sp.add_argument("--note")
        if name in ("supplement", "stop", "reschedule"):
            sp.add_argument("--reason", required=True)
        if name == "withdraw":
            sp.add_argument("--reason")
        if name == "supplement":
            sp.add_argument("--document", action="append", help="giấy tờ cần bổ sung (lặp lại)")
        if name == "reschedule":
            sp.add_argument("--new-due", required=True, help="YYYY-MM-DDTHH:MM")
        if name == "return":
            sp.add_argument("--receiver-name")
            sp.add_argument("--receiver-id")
            sp.add_argument("--rating", type=int, choices=range(1, 6), metavar="1-5")
            sp.add_argument("--fees-collected", type=int)

    sp = add("print", admin.cmd_print, "in biểu mẫu của hồ sơ ra PDF")
    sp.add_argument("code")
    sp.add_argument("--form", required=True, choices=["receipt", "supplement", "refusal", "apology", "stop", "control",
                                                      "stamps", "cert_receipt"])
    sp.add_argument("--out", required=True, help="tệp .pdf")
    sp.add_argument("--preview", action="store_true", help="bản xem trước: đóng dấu BẢN XEM TRƯỚC, không ghi vào lịch sử")
    sp = add("register", admin.cmd_register, "Sổ theo dõi hồ sơ theo khoảng ngày, ra PDF hoặc XLSX")
    sp.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
    sp.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
    sp.add_argument("--out", required=True, help="tệp .pdf hoặc .xlsx")

    from counter_app import cli_sync

    cli_sync.add_commands(add)
    from counter_app import cli_cert

    cli_cert.add_commands(add)
    from counter_app import cli_holder

    cli_holder.add_commands(add, common, VietnameseArgumentParser)
    add("check", admin.cmd_check, "kiểm tra toàn vẹn cơ sở dữ liệu và phiên bản lược đồ")
    sp = add("backup", admin.cmd_backup, "sao lưu cơ sở dữ liệu (an toàn khi ứng dụng đang chạy)")
    sp.add_argument("--out", required=True)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from counter_app import logs

    logs.configure()
    parser = build_parser()
    args = parser.parse_args(argv)
    args.data_dir = getattr(args, "data_dir", None)
    args.json = getattr(args, "json", False)
    args.officer = getattr(args, "officer", None) or os.environ.get("COUNTER_APP_OFFICER") or _system_user()
    func = getattr(args, "func", cmd_gui)
    try:
        return func(args)
    except CounterError as exc:
        sys.stderr.write(f"Lỗi: {exc.message}\n")
        if exc.detail:
            sys.stderr.write(f"(detail: {exc.detail})\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("Đã dừng theo yêu cầu.\n")
        return 130


def _system_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers); the officer can still be passed explicitly
        return "unknown"
