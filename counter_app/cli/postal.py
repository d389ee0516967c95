"""``counter-app handover`` (biên bản giao nhận with the post: print, sign, what is unaccounted for)
and ``post-result | post-delivered | post-undelivered`` (results sent by post)."""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.common import check_suffix, dossier_text, emit, open_app, parse_day, parse_local_datetime
from counter_app.core.errors import ValidationError


def _batch_dict(batch) -> dict:
    return {"batch": batch.code, "direction": batch.direction.value, "day": batch.day.isoformat(),
            "signed_at": batch.signed_at.isoformat() if batch.signed_at else None,
            "postal_employee": batch.postal_employee,
            "items": [{"item": x.item, "dossier_code": x.dossier_code} for x in batch.items]}


def cmd_handover(args) -> int:
    from counter_app.core.postal import Direction

    if args.channel == "paper" or (args.batch or "").upper().startswith("BG-"):
        from counter_app.cli.transfer import paper_handover

        return paper_handover(args)
    app = open_app(args)
    service = app.postal
    if args.action == "sign":
        if not args.batch:
            raise ValidationError("Cần ghi số biên bản: counter-app handover sign BC-IN-YYYYMMDD-01-1 --at …",
                                  "batch code missing")
        batch = service.sign(args.batch, args.officer, postal_employee=args.postal_employee,
                             signed_at=parse_local_datetime(args.at) if args.at else None)
        emit(args, _batch_dict(batch), f"Đã ghi nhận ký biên bản {batch.code} lúc {batch.signed_at:%H:%M %d/%m/%Y} "
                                       f"({len(batch.items)} bưu gửi).")
        return 0
    if args.action == "pending":
        rows = service.unaccounted()
        emit(args, [{"batch": r.batch, "direction": r.direction.value, "item": r.item,
                     "dossier_code": r.dossier_code, "reason": r.reason} for r in rows],
             "\n".join(f"{r.batch}  {r.item}  {r.dossier_code or '—'}  {r.reason}" for r in rows)
             or "Mọi bưu gửi trên các biên bản đã ký đều đã được đối chiếu.")
        return 0
    from counter_app.printing.handover import render_handover_pdf

    if not args.out or not args.batch and not (args.date and args.direction):
        raise ValidationError("Cần --date, --direction và --out để in biên bản giao nhận (hoặc số biên bản và --out "
                              "để in lại).", "missing options")
    out = Path(args.out)
    check_suffix(out, (".pdf",), "Biên bản giao nhận")
    if args.batch:
        batch, dossiers = service.get(args.batch)
    else:
        batch, dossiers = service.prepare(Direction(args.direction), parse_day(args.date), args.officer,
                                          args.item or ())
    out.write_bytes(render_handover_pdf(batch, dossiers, app.ctx.settings))
    emit(args, {**_batch_dict(batch), "out": str(out)},
         f"Đã in biên bản {batch.code} ({len(batch.items)} bưu gửi) ra {out}.\n"
         f"Sau khi hai bên ký: counter-app handover sign {batch.code} --at YYYY-MM-DDTHH:MM")
    return 0


def cmd_post(args) -> int:
    from counter_app.core.serialize import dossier_to_dict

    service = open_app(args).postal
    at = parse_local_datetime(args.at) if args.at else None
    match args.command:
        case "post-result":
            d = service.post_result(args.code, args.officer, item=args.item, recipient=args.recipient,
                                    address=args.address, phone=args.phone, cod_vnd=args.cod, handed_at=at)
            headline = "Đã ghi nhận giao kết quả cho bưu chính."
        case "post-delivered":
            d = service.delivered(args.code, args.officer, receiver_name=args.receiver_name, delivered_at=at)
            headline = "Đã ghi nhận bưu chính phát kết quả thành công."
        case _:
            d = service.undelivered(args.code, args.officer, attempts=args.attempts, reason=args.reason)
            headline = "Đã ghi nhận bưu chính chuyển trả kết quả: hồ sơ chờ trả tại quầy."
    emit(args, dossier_to_dict(d), f"{headline}\n{dossier_text(d)}")
    return 0


def register(cli) -> None:
    sp = cli.add("handover", cmd_handover, "biên bản giao nhận với bưu chính: in, ký (sign), đối chiếu (pending); "
                                           "--channel paper: bàn giao hồ sơ giấy cho cơ quan giải quyết")
    sp.add_argument("action", nargs="?", default="print", choices=["print", "sign", "pending"])
    sp.add_argument("batch", nargs="?", help="số biên bản (sign; hoặc in lại một biên bản / danh sách BG-…)")
    sp.add_argument("--channel", default="post", choices=["post", "paper"],
                    help="post: với bưu chính; paper: hồ sơ giấy cho cơ quan giải quyết")
    sp.add_argument("--to", help="paper: mã cơ quan giải quyết nhận hồ sơ")
    sp.add_argument("--receiver", help="paper: họ tên người nhận của cơ quan giải quyết")
    sp.add_argument("--code", action="append", help="paper: mã hồ sơ đưa vào danh sách (lặp lại; mặc định: mọi hồ sơ chờ)")
    sp.add_argument("--date", help="YYYY-MM-DD")
    sp.add_argument("--direction", choices=["in", "out"], help="in: hồ sơ bưu chính giao; out: kết quả giao bưu chính")
    sp.add_argument("--item", action="append", help="số hiệu bưu gửi trên danh sách của bưu chính (lặp lại)")
    sp.add_argument("--out", help="tệp .pdf")
    sp.add_argument("--at", help="thời điểm hai bên ký (paper: thời điểm bàn giao), YYYY-MM-DDTHH:MM")
    sp.add_argument("--postal-employee", help="họ tên nhân viên bưu chính ký biên bản")
    sp = cli.add("post-result", cmd_post, "giao kết quả cho bưu chính để phát")
    sp.add_argument("code")
    sp.add_argument("--item", required=True, help="số hiệu bưu gửi (S10)")
    sp.add_argument("--recipient", required=True)
    sp.add_argument("--address", required=True)
    sp.add_argument("--phone")
    sp.add_argument("--cod", type=int, help="số tiền bưu chính thu khi phát (đồng)")
    sp.add_argument("--at", help="thời điểm giao cho bưu chính, YYYY-MM-DDTHH:MM")
    sp = cli.add("post-delivered", cmd_post, "bưu chính đã phát kết quả")
    sp.add_argument("code")
    sp.add_argument("--receiver-name")
    sp.add_argument("--at", help="thời điểm phát, YYYY-MM-DDTHH:MM")
    sp = cli.add("post-undelivered", cmd_post, "bưu chính chuyển trả kết quả không phát được")
    sp.add_argument("code")
    sp.add_argument("--attempts", type=int, required=True, help="số lần phát không thành công")
    sp.add_argument("--reason")
