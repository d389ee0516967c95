"""``counter-app certify | certify-void | certify-assign | certbook | certbook-close | closing``."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from counter_app.cli.common import check_suffix, emit, open_app, parse_day, parse_local_datetime, vnd
from counter_app.core.certification import CertItemInput, CertKind
from counter_app.core.errors import ValidationError
from counter_app.core.serialize import iso

_DOC_PART = re.compile(r"^(pages|copies)\s*=\s*(\d+)$")


def parse_cert_document(text: str) -> CertItemInput:
    """``"Giấy khai sinh|pages=2|copies=3"``: name, then pages and copies (default 1 each)."""
    parts = [p.strip() for p in text.split("|")]
    values = {"pages": 1, "copies": 1}
    for part in parts[1:]:
        match = _DOC_PART.match(part)
        if not match:
            raise ValidationError(f"«{part}» trong --document phải có dạng pages=N hoặc copies=N.",
                                  "bad --document part")
        values[match.group(1)] = int(match.group(2))
    return CertItemInput(parts[0], values["pages"], values["copies"])


def cert_dict(dossier, cert) -> dict:
    return {
        "code": cert.code, "kind": cert.kind.value, "register_type": cert.register_type, "status": dossier.status,
        "received_at": iso(cert.received_at), "due_at": iso(cert.due_at),
        "book": f"{cert.items[0].book}-{cert.register_type}" if cert.items[0].book else None,
        "fee_total": cert.fee_total, "exemption_reason": cert.exemption_reason,
        "extension_days": cert.extension_days, "extension_reason": cert.extension_reason,
        "awaiting_numbers": not cert.numbered, "signed_at": iso(cert.signed_at) if cert.signed_at else None,
        "signer_name": cert.signer_name, "signer_title": cert.signer_title,
        "items": [{"document": i.document, "pages": i.pages, "copies": i.copies, "fee": i.fee,
                   "certificate_number": i.number, "book": i.book, "void": i.void, "void_reason": i.void_reason}
                  for i in cert.items],
    }


def cert_text(cert) -> str:
    lines = [f"Mã hồ sơ: {cert.code} – {cert.kind.label_vi}", f"Hẹn trả: {cert.due_at:%H:%M %d/%m/%Y}"]
    for i in cert.items:
        number = "ĐÃ HỦY" if i.void else (f"số {i.number:02d}, quyển {i.book}-{cert.register_type}" if i.number
                                          else "chờ cấp số")
        lines.append(f"  {i.position}. {i.document}: {i.pages} trang × {i.copies} bản = {vnd(i.fee)} ({number})")
    lines.append(f"Tổng phí, lệ phí: {vnd(cert.fee_total)}")
    return "\n".join(lines)


def cmd_certify(args) -> int:
    from counter_app.core.certify import CertRequest
    from counter_app.core.intake import ApplicantInput

    if not args.document:
        raise ValidationError("Cần ít nhất một --document \"TÊN|pages=P|copies=C\".", "no documents")
    request = CertRequest(
        applicant=ApplicantInput(full_name=args.name or "", id_number=args.id_number), cccd_qr=args.cccd_qr,
        items=tuple(parse_cert_document(d) for d in args.document), officer=args.officer,
        kind=CertKind(args.kind), received_at=parse_local_datetime(args.received_at) if args.received_at else None,
        backdate_reason=args.backdate_reason,
        exemption_reason=args.exempt, extension_days=args.extend, extension_reason=args.extend_reason,
        return_now=args.return_now, queue_if_unreachable=args.queue, signer=args.signer)
    app = open_app(args)
    dossier, cert = app.certification.certify(request)
    emit(args, cert_dict(dossier, cert), "Đã tiếp nhận yêu cầu chứng thực.\n" + cert_text(cert))
    return 0


def cmd_certify_void(args) -> int:
    app = open_app(args)
    cert = app.certification.void(args.code, args.number, args.reason, args.officer)
    emit(args, cert_dict(app.queries.get(args.code), cert),
         f"Đã hủy số chứng thực {args.number} của hồ sơ {args.code}; số vẫn ghi trong sổ với ghi chú ĐÃ HỦY.")
    return 0


def cmd_certify_assign(args) -> int:
    app = open_app(args)
    done = app.certification.assign_pending(args.officer)
    confirmed = app.certification.confirm_pending()
    emit(args, {"numbered": done, "confirmed": confirmed},
         f"Đã cấp số cho {len(done)} yêu cầu đang chờ; xác nhận {confirmed} yêu cầu với máy giữ sổ.")
    return 0


def cmd_certbook(args) -> int:
    from counter_app.printing.certificates import render_certbook_pdf, write_certbook_xlsx

    first, last = parse_day(args.date_from), parse_day(args.date_to)
    kind = CertKind(args.kind)
    app = open_app(args)
    entries = app.certification.book(kind, first, last)
    if args.out:
        out = Path(args.out)
        if check_suffix(out, (".pdf", ".xlsx"), "Sổ chứng thực") == ".pdf":
            closed = app.certification.register_closing(kind, last.year)
            out.write_bytes(render_certbook_pdf(entries, kind.register_type, app.ctx.settings, first, last, closed))
        else:
            write_certbook_xlsx(entries, kind.register_type, app.ctx.settings, first, last, out)
        print(f"Đã xuất {len(entries)} dòng sổ {kind.register_type} ra {out}.")
        return 0
    if not args.json:
        raise ValidationError("Cần --out TỆP.pdf|TỆP.xlsx hoặc --json.", "no output chosen")
    emit(args, {"register_type": kind.register_type, "from": first.isoformat(), "to": last.isoformat(),
                "entries": [{"number": e.number, "book": f"{e.book}-{e.register_type}", "date": e.day.isoformat(),
                             "applicant": e.applicant_name, "document": e.document, "pages": e.pages,
                             "copies": e.copies, "fee": e.fee, "officer": e.officer, "desk": e.desk,
                             "dossier_code": e.dossier_code, "void": e.void, "void_reason": e.void_reason,
                             "state": e.state, "signer_name": e.signer_name, "signer_title": e.signer_title,
                             "signed_on": e.signed_on.isoformat() if e.signed_on else None} for e in entries]}, "")
    return 0


def cmd_certbook_close(args) -> int:
    app = open_app(args)
    count = app.certification.close_year(CertKind(args.kind), args.year, signer=args.signer, force=args.force,
                                         reason=args.reason)
    print(f"Đã khóa sổ {CertKind(args.kind).register_type} năm {args.year}: {count} số chứng thực.")
    return 0


def cmd_closing(args) -> int:
    from counter_app.printing.certificates import render_closing_pdf, write_closing_xlsx

    day = parse_day(args.date) if args.date else date.today()
    app = open_app(args)
    officer = args.for_officer
    report = app.certification.closing(day, officer=officer, desk=args.desk)
    data = {k: getattr(report, k) for k in ("requests", "certifications", "copies", "pages", "fees", "voids",
                                             "register_certifications", "register_copies", "register_fees",
                                             "awaiting_numbers", "by_kind")}
    data.update(date=day.isoformat(), officer=officer, desk=args.desk, balanced=report.balanced)
    if args.out:
        out = Path(args.out)
        if check_suffix(out, (".pdf", ".xlsx"), "Bản chốt sổ") == ".pdf":
            out.write_bytes(render_closing_pdf(report, app.ctx.settings))
        else:
            write_closing_xlsx(report, app.ctx.settings, out)
    emit(args, data, (f"Chốt ngày {day:%d/%m/%Y}: {report.requests} lượt, {report.certifications} số chứng thực, "
                      f"{report.copies} bản, {report.pages} trang, {vnd(report.fees)}, {report.voids} số hủy. "
                      + ("Khớp với sổ." if report.balanced else "KHÔNG KHỚP với sổ chứng thực!")))
    return 0 if report.balanced else 6


def register(cli) -> None:
    add = cli.add
    sp = add("certify", cmd_certify, "chứng thực (bàn chứng thực): một người, nhiều giấy tờ")
    sp.add_argument("--name")
    sp.add_argument("--id-number")
    sp.add_argument("--cccd-qr")
    sp.add_argument("--document", action="append", help='"TÊN|pages=P|copies=C" (lặp lại)')
    sp.add_argument("--kind", choices=[k.value for k in CertKind], default="copy")
    sp.add_argument("--received-at", help="YYYY-MM-DDTHH:MM")
    sp.add_argument("--backdate-reason", help="lý do nhập lùi ngày (--received-at cách hôm nay hơn 30 ngày)")
    sp.add_argument("--exempt", metavar="LÝ DO", help="miễn phí/lệ phí, ghi lý do")
    sp.add_argument("--extend", type=int, default=0, metavar="NGÀY", help="gia hạn 1–2 ngày làm việc")
    sp.add_argument("--extend-reason")
    sp.add_argument("--return-now", action="store_true", help="trả ngay: tiếp nhận và trả kết quả một bước")
    sp.add_argument("--queue", action="store_true", help="máy giữ sổ không liên lạc được: lưu, chờ cấp số sau")
    sp.add_argument("--signer", help="người có thẩm quyền ký ngay (việc trong ngày); bỏ trống: chờ ký")
    sp = add("certify-void", cmd_certify_void, "hủy một số chứng thực (giữ trong sổ, ghi ĐÃ HỦY)")
    sp.add_argument("code")
    sp.add_argument("--number", type=int, required=True)
    sp.add_argument("--reason", required=True)
    add("certify-assign", cmd_certify_assign, "cấp số cho các yêu cầu đang chờ (máy giữ sổ đã liên lạc được)")
    sp = add("certbook", cmd_certbook, "sổ chứng thực theo khoảng ngày")
    sp.add_argument("--from", dest="date_from", required=True)
    sp.add_argument("--to", dest="date_to", required=True)
    sp.add_argument("--kind", choices=[k.value for k in CertKind], default="copy")
    sp.add_argument("--out", help="tệp .pdf hoặc .xlsx")
    sp = add("certbook-close", cmd_certbook_close, "khóa sổ chứng thực cuối năm (từ ngày 31/12)")
    sp.add_argument("--year", type=int, required=True)
    sp.add_argument("--signer", help="người ký xác nhận khóa sổ (mặc định: người ký đầu danh sách hôm nay)")
    sp.add_argument("--force", action="store_true", help="khóa trước ngày 31/12 (phải có --reason)")
    sp.add_argument("--reason", help="lý do khóa sổ sớm (được ghi lại)")
    sp.add_argument("--kind", choices=[k.value for k in CertKind], default="copy")
    sp = add("closing", cmd_closing, "chốt sổ chứng thực trong ngày")
    sp.add_argument("--date", help="YYYY-MM-DD (mặc định: hôm nay)")
    sp.add_argument("--for-officer", help="chỉ cán bộ này (mặc định: mọi cán bộ)")
    sp.add_argument("--desk", type=int)
    sp.add_argument("--out", help="tệp .pdf (bản in) hoặc .xlsx (bảng tính) của bản chốt sổ")
