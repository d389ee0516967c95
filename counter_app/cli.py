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
from pathlib import Path
from typing import Any

from counter_app import __version__, paths
from counter_app.core.errors import CounterError, ValidationError
from counter_app.core.lifecycle import Status
from counter_app.core.model import (
    ApplicantKind, Channel, DocumentKind, DocumentLine, ReturnMethod,
)
from counter_app.core.text import fold

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
def parse_dmy(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise ValidationError(f"Ngày «{text}» phải có dạng DD/MM/YYYY.", "expected DD/MM/YYYY") from None


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


def cmd_init(args) -> int:
    from counter_app.app import CounterApp
    from counter_app.core.settings import settings_to_values

    app = CounterApp.initialise(paths.data_dir(args.data_dir), agency_code=args.agency_code,
                                agency_name=args.agency_name, province=args.province or "", desk=args.desk,
                                catalogue_file=Path(args.catalogue) if args.catalogue else None)
    count = len(app.catalogue.procedures())
    data = {"data_dir": str(app.data_dir), "agency_code": app.ctx.settings.agency.code,
            "agency_name": app.ctx.settings.agency.name, "desk": app.ctx.settings.desk,
            "procedures": count, "settings": settings_to_values(app.ctx.settings)}
    emit(args, data, f"Đã khởi tạo quầy {app.ctx.settings.desk} của {app.ctx.settings.agency.name} "
                     f"({app.ctx.settings.agency.code}) tại {app.data_dir}; danh mục có {count} thủ tục.")
    return 0


def cmd_catalogue(args) -> int:
    from counter_app.app import load_json
    from counter_app.core.catalogue import export_catalogue, parse_catalogue, procedure_to_dict

    app = _open(args)
    if args.catalogue_command == "import":
        report = app.catalogue.import_procedures(parse_catalogue(load_json(Path(args.file))), replace=args.replace)
        r = report.as_dict()
        emit(args, r, f"Đã nhập danh mục: thêm {r['added']}, cập nhật {r['updated']}, giữ nguyên "
                      f"{r['unchanged']}, ngừng áp dụng {r['closed']}, xóa {r['deleted']}.")
    elif args.catalogue_command == "export":
        doc = export_catalogue(app.catalogue.procedures())
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        if args.out:
            Path(args.out).write_text(text + "\n", encoding="utf-8")
            print(f"Đã xuất {len(doc['procedures'])} thủ tục ra {args.out}.", file=sys.stderr)
        else:
            print(text)
    else:
        procs = app.catalogue.procedures(include_closed=args.all)
        emit(args, {"procedures": [procedure_to_dict(p) for p in procs]},
             "\n".join(f"{p.code}  {'' if p.active else '[ngừng] '}{p.name}  "
                       f"({'?' if p.working_days is None else p.working_days} ngày làm việc)" for p in procs))
    return 0


def cmd_agency(args) -> int:
    from counter_app.core.admin import make_agency

    app = _open(args)
    if args.agency_command == "add":
        app.setup.add_served_agency(make_agency(args.code, args.name, args.province or "", own=False))
    with app.read_uow() as uow:
        agencies = uow.settings.load_agencies()
    emit(args, {"agencies": [a.__dict__ for a in agencies]},
         "\n".join(f"{a.code}  {a.name}  {'(cơ quan của quầy)' if a.own else '(tiếp nhận hộ)'}" for a in agencies))
    return 0


def cmd_calendar(args) -> int:
    from counter_app.core.admin import parse_overrides

    app = _open(args)
    if args.calendar_command == "import":
        path = Path(args.file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(f"Không đọc được tệp {path}.", str(exc)) from None
        overrides = parse_overrides(text, "csv" if path.suffix.lower() == ".csv" else "json")
        app.calendar_admin.replace_overrides(overrides)
        emit(args, {"overrides": len(overrides)}, f"Đã nhập {len(overrides)} ngày điều chỉnh lịch làm việc.")
        return 0
    overrides = app.calendar_admin.overrides()
    emit(args, {"overrides": [{"day": o.day.isoformat(), "kind": o.kind.value, "agency_code": o.agency_code,
                               "note": o.note} for o in overrides]},
         "\n".join(f"{o.day:%d/%m/%Y}  {o.kind.value}  {o.agency_code or '(mọi cơ quan)'}  {o.note}"
                   for o in overrides) or "Chưa có ngày điều chỉnh nào.")
    return 0


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


def cmd_print(args) -> int:
    from counter_app.core.prints import FormKind
    from counter_app.printing.forms import render

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise ValidationError("Tệp in phải có đuôi .pdf.", "expected a .pdf output")
    pdf, job = _open(args).prints.produce(args.code, FormKind(args.form), args.officer, render,
                                          preview=args.preview)
    out.write_bytes(pdf)
    labels = {"original": "bản in", "reprint": "bản in lại", "preview": "bản xem trước (không ghi sổ)"}
    emit(args, {"code": job.dossier.code, "form": job.form.value, "mark": job.mark.value,
                "print_number": job.print_number, "form_set": job.settings.forms.form_set, "out": str(out),
                "bytes": len(pdf)},
         f"Đã in {job.form.value} cho hồ sơ {job.dossier.code} ({labels[job.mark.value]}) ra {out}.")
    return 0


def cmd_register(args) -> int:
    from counter_app.printing.register import render_register_pdf, write_register_xlsx

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise ValidationError("Sổ theo dõi xuất ra tệp .pdf hoặc .xlsx.", "expected .pdf or .xlsx")
    first, last = _parse_day(args.date_from), _parse_day(args.date_to)
    register = _open(args).tracking_register
    lines = register.lines(first, last)
    if suffix == ".pdf":
        out.write_bytes(render_register_pdf(lines, register.settings, first, last))
    else:
        write_register_xlsx(lines, register.settings, first, last, out)
    emit(args, {"rows": len(lines), "out": str(out)}, f"Đã xuất Sổ theo dõi hồ sơ ({len(lines)} dòng) ra {out}.")
    return 0


def cmd_check(args) -> int:
    from counter_app.storage.maintenance import check_database

    report = check_database(paths.data_dir(args.data_dir), paths.migrations_dir())
    emit(args, report.as_dict(), report.text())
    return 0 if report.ok else EXIT_ERROR


def cmd_backup(args) -> int:
    from counter_app.storage.migrate import backup_database

    data_dir = paths.data_dir(args.data_dir)
    db = paths.database_path(data_dir)
    if not db.exists():
        raise ValidationError(f"Không có cơ sở dữ liệu trong {data_dir}.", "database not found")
    out = Path(args.out)
    if out.exists():
        raise ValidationError(f"Tệp {out} đã tồn tại; chọn tên khác.", "refusing to overwrite")
    backup_database(db, out)
    emit(args, {"backup": str(out), "bytes": out.stat().st_size}, f"Đã sao lưu cơ sở dữ liệu ra {out}.")
    return 0


def cmd_gui(args) -> int:
    print("Giao diện quầy (cửa sổ PySide6) sẽ có trong bản phát hành tiếp theo. Hiện tại hãy dùng các lệnh:\n"
          "  counter-app init --agency-code MÃ --agency-name TÊN   (khởi tạo quầy)\n"
          "  counter-app intake --procedure MÃ --name HỌ_TÊN      (tiếp nhận hồ sơ)\n"
          "  counter-app --help                                   (mọi lệnh)\n"
          "(The desktop window arrives in the next release; use the commands above.)")
    return 0


# -- parser ------------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
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

    sp = add("init", cmd_init, "khởi tạo quầy và nạp danh mục thủ tục")
    sp.add_argument("--agency-code", required=True)
    sp.add_argument("--agency-name", required=True)
    sp.add_argument("--province")
    sp.add_argument("--desk", type=int, default=1)
    sp.add_argument("--catalogue", help="tệp danh mục JSON thay cho danh mục có sẵn")

    sp = add("catalogue", cmd_catalogue, "danh mục thủ tục")
    csub = sp.add_subparsers(dest="catalogue_command", required=True, parser_class=VietnameseArgumentParser)
    ci = csub.add_parser("import", parents=[common], help="nhập danh mục từ tệp JSON")
    ci.add_argument("file")
    ci.add_argument("--replace", action="store_true",
                    help="thủ tục không có trong tệp: ngừng áp dụng (nếu đã có hồ sơ) hoặc xóa")
    cl = csub.add_parser("list", parents=[common], help="liệt kê thủ tục")
    cl.add_argument("--all", action="store_true", help="gồm cả thủ tục đã ngừng áp dụng")
    ce = csub.add_parser("export", parents=[common], help="xuất danh mục ra JSON")
    ce.add_argument("--out")

    sp = add("agency", cmd_agency, "cơ quan mà quầy tiếp nhận hồ sơ hộ (quầy liên thông)")
    asub = sp.add_subparsers(dest="agency_command", required=True, parser_class=VietnameseArgumentParser)
    aa = asub.add_parser("add", parents=[common], help="thêm cơ quan được tiếp nhận hộ")
    aa.add_argument("--code", required=True)
    aa.add_argument("--name", required=True)
    aa.add_argument("--province")
    asub.add_parser("list", parents=[common], help="liệt kê cơ quan")

    sp = add("calendar", cmd_calendar, "ngày nghỉ, ngày làm bù, buổi sáng thứ Bảy")
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

    sp = add("print", cmd_print, "in biểu mẫu của hồ sơ ra PDF")
    sp.add_argument("code")
    sp.add_argument("--form", required=True, choices=["receipt", "supplement", "refusal", "apology", "stop", "control"])
    sp.add_argument("--out", required=True, help="tệp .pdf")
    sp.add_argument("--preview", action="store_true", help="bản xem trước: đóng dấu BẢN XEM TRƯỚC, không ghi vào lịch sử")
    sp = add("register", cmd_register, "Sổ theo dõi hồ sơ theo khoảng ngày, ra PDF hoặc XLSX")
    sp.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
    sp.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
    sp.add_argument("--out", required=True, help="tệp .pdf hoặc .xlsx")

    add("check", cmd_check, "kiểm tra toàn vẹn cơ sở dữ liệu và phiên bản lược đồ")
    sp = add("backup", cmd_backup, "sao lưu cơ sở dữ liệu (an toàn khi ứng dụng đang chạy)")
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
