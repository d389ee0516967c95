"""``counter-app intake | refuse | show | list | search`` and the dossier's legal actions."""

from __future__ import annotations

from counter_app.cli.common import (
    dossier_text, day_start, emit, open_app, parse_document, parse_gender, parse_local_datetime, summary_line,
)
from counter_app.core.lifecycle import Status
from counter_app.core.model import ApplicantKind, Channel, ReturnMethod
from counter_app.core.text import parse_dmy

ACTIONS = {
    "forward": "chuyển hồ sơ cho cơ quan giải quyết", "result-ready": "ghi nhận đã có kết quả",
    "supplement": "yêu cầu bổ sung (Mẫu 02)", "supplied": "nhận hồ sơ bổ sung",
    "reschedule": "xin lỗi và hẹn lại ngày trả (Mẫu 04)", "stop": "dừng xử lý",
    "withdraw": "công dân rút hồ sơ", "return": "trả kết quả",
}


def _return_point(args) -> tuple[ReturnMethod, str | None]:
    """``--return-at post`` is ``--return-method post``; ``--return-at CODE`` a counter return at
    that agency. Both flags may be given only when they agree."""
    from counter_app.core.errors import ValidationError
    from counter_app.core.text import clean

    at = clean(args.return_at or "")
    method = ReturnMethod(args.return_method) if args.return_method else None
    if not at:
        return method or ReturnMethod.COUNTER, None
    wanted = ReturnMethod.POST if at.casefold() == "post" else ReturnMethod.COUNTER
    if method is not None and method is not wanted:
        raise ValidationError(f"--return-at {at} mâu thuẫn với --return-method {method.value}.",
                              "return-at contradicts return-method")
    return wanted, None if wanted is ReturnMethod.POST else at


def _intake_request(args, app):
    from counter_app.core.intake import ApplicantInput, IntakeRequest
    from counter_app.core.postal import PostalIntake, parse_yes_no

    applicant = ApplicantInput(
        full_name=args.name or "", kind=ApplicantKind(args.applicant_kind), id_number=args.id_number,
        date_of_birth=parse_dmy(args.dob) if args.dob else None, gender=parse_gender(args.gender),
        phone=args.phone, email=args.email, address=args.address,
    )
    method, return_agency = _return_point(args)
    postal = None
    if args.postal_item is not None or args.channel == Channel.POST.value:
        postal = PostalIntake(item=args.postal_item or "", employee=args.postal_employee,
                              seal_intact=parse_yes_no(args.seal_intact), fee_vnd=args.postal_fee)
    # An account of the organisation operating the counter (the post) receives under its full name,
    # and the receipt names that organisation too; anyone else as before.
    account = app.officers.account_named(args.officer)
    officer, operator = ((account.full_name, account.organisation) if account and account.organisation
                         else (args.officer, None))
    return IntakeRequest(
        procedure_code=args.procedure, postal=postal, applicant=applicant, officer=officer, operator=operator,
        documents=[parse_document(d) for d in args.document] if args.document else None,
        channel=Channel(args.channel),
        received_at=parse_local_datetime(args.received_at) if args.received_at else None,
        return_method=method, return_address=args.return_address, return_agency=return_agency,
        receiving_agency=args.agency, competent_agency=args.competent_agency,
        cccd_qr=args.cccd_qr, sets=args.sets, backdate_reason=args.backdate_reason,
    )


def _emit_dossier(args, dossier, headline: str) -> None:
    from counter_app.core.serialize import dossier_to_dict

    emit(args, dossier_to_dict(dossier, include_events=args.command == "show"),
         f"{headline}\n{dossier_text(dossier)}" if headline else dossier_text(dossier))


def cmd_intake(args) -> int:
    app = open_app(args)
    dossier = app.intake.receive(_intake_request(args, app))
    _emit_dossier(args, dossier, "Đã tiếp nhận hồ sơ.")
    return 0


def cmd_refuse(args) -> int:
    app = open_app(args)
    dossier = app.intake.refuse(_intake_request(args, app), args.reason)
    _emit_dossier(args, dossier, "Đã ghi nhận từ chối tiếp nhận hồ sơ.")
    return 0


def cmd_show(args) -> int:
    from counter_app.core.lifecycle import IMPORTED, event_label_vi
    from counter_app.core.serialize import dossier_to_dict

    app = open_app(args)
    dossier = app.queries.get(args.code)
    flags = app.flags.for_dossier(dossier.code)
    history = "\n".join(f"  {e.at:%d/%m/%Y %H:%M}  {event_label_vi(e.kind)}  ({e.officer})"
                        + (f" – tại quầy {e.payload['routed_from']}" if (e.payload or {}).get("routed_from") else "")
                        + (f" – {e.payload['note']}" if e.kind == IMPORTED and (e.payload or {}).get("note") else "")
                        for e in dossier.events)
    warning = "".join(f"\nCẦN KIỂM TRA: {f.text_vi()}" for f in flags)
    emit(args, {**dossier_to_dict(dossier), "review_flags": [f.as_dict() for f in flags]},
         f"{dossier_text(dossier)}{warning}\nLịch sử:\n{history}")
    return 0


def cmd_flags(args) -> int:
    flags = open_app(args).flags.list(open_only=not args.all)
    emit(args, [f.as_dict() for f in flags],
         "\n".join(f"{f.dossier_code}  {f.text_vi()}" for f in flags) or "Không có hồ sơ nào cần kiểm tra.")
    return 0


def cmd_list(args) -> int:
    from counter_app.core.serialize import summary_to_dict

    app = open_app(args)
    window = dict(status=args.status, limit=args.limit, received_from=day_start(args.date_from),
                  received_to=day_start(args.date_to, next_day=True))
    rows = app.queries.search(args.text, **window) if args.command == "search" else app.queries.list(**window)
    emit(args, [summary_to_dict(r) for r in rows],
         "\n".join(summary_line(r) for r in rows) or "Không có hồ sơ nào.")
    return 0


def cmd_action(args) -> int:
    act, officer = open_app(args).actions, args.officer
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
                                  fees_collected_vnd=args.fees_collected, reason=args.reason)
    _emit_dossier(args, a, f"Đã ghi nhận: {Status(a.status).label_vi}.")
    return 0


def _intake_arguments(sp, *, refusal: bool) -> None:
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
    sp.add_argument("--postal-item", help="số hiệu bưu gửi trên phiếu gửi (UPU S10, ví dụ RR123456785VN)")
    sp.add_argument("--postal-employee", help="họ tên nhân viên bưu chính giao hồ sơ")
    sp.add_argument("--seal-intact", help="niêm phong còn nguyên vẹn: yes|no")
    sp.add_argument("--postal-fee", type=int, help="cước bưu chính (đồng)")
    sp.add_argument("--received-at", help="YYYY-MM-DDTHH:MM (giờ Việt Nam)")
    sp.add_argument("--backdate-reason", help="lý do nhập lùi ngày (--received-at cách hôm nay hơn 30 ngày)")
    sp.add_argument("--return-method", choices=[m.value for m in ReturnMethod],
                    help="counter (mặc định) | post; nơi trả cụ thể: --return-at")
    sp.add_argument("--return-at", metavar="MÃ|post",
                    help="nơi trả kết quả: mã cơ quan có quầy trả (mặc định: quầy này) hoặc post (bưu chính)")
    sp.add_argument("--return-address", help="địa chỉ nhận kết quả qua bưu chính (mặc định: địa chỉ người nộp)")
    sp.add_argument("--agency", help="cơ quan tiếp nhận (quầy liên thông nhiều cơ quan)")
    sp.add_argument("--competent-agency")
    sp.add_argument("--sets", type=int, default=1)
    if refusal:
        sp.add_argument("--reason", required=True)


def _action_arguments(sp, name: str) -> None:
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
        sp.add_argument("--reason", help="lý do trả tại quầy này khi quầy không phải nơi trả đã chọn (bắt buộc khi đó)")


def register(cli) -> None:
    _intake_arguments(cli.add("intake", cmd_intake, "tiếp nhận hồ sơ"), refusal=False)
    _intake_arguments(cli.add("refuse", cmd_refuse, "từ chối tiếp nhận (Mẫu 03)"), refusal=True)
    cli.add("show", cmd_show, "xem hồ sơ và lịch sử").add_argument("code")
    cli.add("flags", cmd_flags, "hồ sơ tỉnh gắn cờ cần kiểm tra (hai quầy cùng trả kết quả, …)").add_argument(
        "--all", action="store_true", help="cả các cờ tỉnh đã xử lý")
    for name, help_ in (("list", "liệt kê hồ sơ"), ("search", "tìm theo mã, số định danh, điện thoại, họ tên")):
        sp = cli.add(name, cmd_list, help_)
        if name == "search":
            sp.add_argument("text")
        sp.add_argument("--status", choices=[s.value for s in Status])
        sp.add_argument("--from", dest="date_from", help="nhận từ ngày YYYY-MM-DD")
        sp.add_argument("--to", dest="date_to", help="nhận đến hết ngày YYYY-MM-DD")
        sp.add_argument("--limit", type=int, default=100)
    for name, help_ in ACTIONS.items():
        _action_arguments(cli.add(name, cmd_action, help_), name)
