"""``counter-app cert-signer add|list|end`` (who may sign certifications), ``certify-sign`` (the
signer signed: the day of certification) and ``certify-unsigned`` (requests awaiting signature)."""

from __future__ import annotations

from counter_app.cli.common import emit, open_app, parse_day, parse_local_datetime
from counter_app.core.serialize import iso


def _signer_dict(s) -> dict:
    return {"name": s.name, "title": s.title, "from": s.valid_from.isoformat() if s.valid_from else None,
            "to": s.valid_to.isoformat() if s.valid_to else None}


def _signer_text(s) -> str:
    span = f"từ {s.valid_from:%d/%m/%Y}" if s.valid_from else "từ trước"
    span += f" đến {s.valid_to:%d/%m/%Y}" if s.valid_to else " (chưa đặt ngày hết)"
    return f"{s.name} – {s.title} ({span})"


def cmd_signer(args) -> int:
    from dataclasses import replace

    app = open_app(args)
    signers = app.ctx.settings.cert_signers
    if getattr(args, "cert-signer_command") == "add":
        signers = signers.added(args.name, args.title, parse_day(args.date_from) if args.date_from else None,
                                parse_day(args.date_to) if args.date_to else None)
    elif getattr(args, "cert-signer_command") == "end":
        signers = signers.ended(args.name, parse_day(args.last_day))
    if signers is not app.ctx.settings.cert_signers:
        app.setup.save_settings(replace(app.ctx.settings, cert_signers=signers))
    emit(args, [_signer_dict(s) for s in signers.signers],
         "\n".join(_signer_text(s) for s in signers.signers) or "Chưa có người ký chứng thực nào. "
         "Thêm bằng: cert-signer add --name … --title …")
    return 0


def cmd_certify_sign(args) -> int:
    from counter_app.cli.cert import cert_dict, cert_text

    app = open_app(args)
    at = parse_local_datetime(args.at) if args.at else None
    cert = app.certification.sign(args.code, args.signer, args.officer, at=at)
    emit(args, cert_dict(app.queries.get(cert.code), cert),
         f"{cert.signer_name} ({cert.signer_title}) đã ký chứng thực ngày {cert.signed_at:%d/%m/%Y}.\n"
         + cert_text(cert))
    return 0


def cmd_certify_unsigned(args) -> int:
    app = open_app(args)
    waiting = app.certification.awaiting_signature()
    emit(args, [{"code": c.code, "kind": c.kind.value, "applicant": c.applicant_name, "received_at": iso(c.received_at),
                 "due_at": iso(c.due_at), "numbers": [i.number for i in c.items if not i.void]} for c in waiting],
         "\n".join(f"{c.code}  {c.applicant_name}  {c.kind.label_vi}  hẹn {c.due_at:%H:%M %d/%m/%Y}"
                   for c in waiting) or "Không có yêu cầu nào chờ ký.")
    return 0


def register(cli) -> None:
    group = cli.group("cert-signer", "người ký chứng thực của cơ quan (Chủ tịch, Phó Chủ tịch…)")
    sp = group.add("add", cmd_signer, "thêm người ký chứng thực")
    sp.add_argument("--name", required=True)
    sp.add_argument("--title", required=True, help='chức danh, vd. "Phó Chủ tịch UBND xã Định Mỹ"')
    sp.add_argument("--from", dest="date_from", help="được ký từ ngày YYYY-MM-DD")
    sp.add_argument("--to", dest="date_to", help="được ký đến hết ngày YYYY-MM-DD")
    group.add("list", cmd_signer, "danh sách người ký chứng thực")
    sp = group.add("end", cmd_signer, "thôi ký chứng thực sau một ngày (chữ ký cũ giữ nguyên)")
    sp.add_argument("--name", required=True)
    sp.add_argument("--last-day", required=True, help="ngày cuối được ký, YYYY-MM-DD")
    sp = cli.add("certify-sign", cmd_certify_sign, "ghi nhận người có thẩm quyền đã ký chứng thực (ngày chứng thực)")
    sp.add_argument("code")
    sp.add_argument("--signer", required=True, help="họ tên người ký (trong danh sách cert-signer)")
    sp.add_argument("--at", help="thời điểm ký, YYYY-MM-DDTHH:MM (mặc định: bây giờ)")
    cli.add("certify-unsigned", cmd_certify_unsigned, "các yêu cầu chứng thực đã cấp số, chờ người có thẩm quyền ký")
