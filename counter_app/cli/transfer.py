"""``counter-app handover --channel paper`` (paper files handed to the competent agency: record the
list and print it, reprint, what is waiting or late) and ``counter-app lists`` (the regional
counter's ready-made lists)."""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.common import check_suffix, emit, open_app, parse_local_datetime
from counter_app.core.errors import ValidationError
from counter_app.core.lifecycle import Status

LISTS = {
    "waiting-transfer": "Chờ chuyển cho cơ quan khác",
    "awaiting-result": "Chờ nhận kết quả từ cơ quan khác",
    "with-post": "Đang gửi bưu chính",
}


def _when(value) -> str:
    return f"{value:%H:%M %d/%m/%Y}" if value else "—"


def _line(x, kind: str) -> str:
    if kind == "waiting-transfer":
        late = "  QUÁ HẠN" if x.late else ""
        return f"{x.code}  → {x.competent_agency}  nhận {_when(x.received_at)}  hạn chuyển {_when(x.deadline)}{late}"
    if kind == "awaiting-result":
        return f"{x.code}  {x.competent_agency}  {Status(x.status).label_vi}  hẹn trả {_when(x.due_at)}  {x.applicant_name}"
    post = x.detail or {}
    return f"{x.code}  {post.get('item', '')}  {post.get('recipient', '')}  giao bưu chính {post.get('handed_at', '')}"


def _listing(app, kind: str, *, to: str | None = None, late: bool = False) -> list:
    service = app.transfers
    if kind == "waiting-transfer":
        rows = service.waiting(to)
        return [x for x in rows if x.late] if late else rows
    return service.awaiting_result() if kind == "awaiting-result" else service.with_post()


def cmd_lists(args) -> int:
    from counter_app.core.transfer import listed_to_dict

    rows = _listing(open_app(args), args.kind, to=args.to, late=args.late)
    late = sum(1 for x in rows if x.late)
    head = f"{LISTS[args.kind]}: {len(rows)} hồ sơ" + (f", {late} quá hạn bàn giao" if late else "")
    emit(args, [listed_to_dict(x) for x in rows], "\n".join([head, *(_line(x, args.kind) for x in rows)]))
    return 0


def paper_handover(args) -> int:
    """Record the hand-over (one transaction) and only then print the list; or reprint one; or
    show what waits (``pending``)."""
    from counter_app.core.transfer import batch_to_dict, listed_to_dict
    from counter_app.printing.transfer import render_transfer_list_pdf

    app = open_app(args)
    service = app.transfers
    if args.action == "pending":
        rows = service.waiting(args.to)
        emit(args, [listed_to_dict(x) for x in rows],
             "\n".join(_line(x, "waiting-transfer") for x in rows) or "Không có hồ sơ giấy nào chờ bàn giao.")
        return 0
    if args.action == "sign":
        raise ValidationError("Danh sách bàn giao hồ sơ giấy được ghi nhận ngay khi lập (--to, --receiver); "
                              "không có bước ký riêng.", "no sign step for paper lists")
    if not args.out:
        raise ValidationError("Cần --out TỆP.pdf để in danh sách bàn giao.", "missing --out")
    out = Path(args.out)
    check_suffix(out, (".pdf",), "Danh sách bàn giao hồ sơ")
    if args.batch:
        batch, dossiers = service.get(args.batch)
        reprint = True
    else:
        if not args.to or not args.receiver:
            raise ValidationError("Cần --to MÃ_CƠ_QUAN và --receiver «họ tên người nhận» để lập danh sách bàn giao "
                                  "(hoặc số danh sách và --out để in lại).", "missing --to/--receiver")
        recorded = service.record(args.to, args.officer, args.receiver, args.code or (),
                                  handed_at=parse_local_datetime(args.at) if args.at else None)
        batch, dossiers = service.get(recorded.code)
        reprint = False
    names = {a.code: a.name for a in app.ctx.agencies}
    out.write_bytes(render_transfer_list_pdf(batch, dossiers, app.ctx.settings, names, reprint=reprint,
                                             printed_at=app.clock.now()))
    verb = "In lại" if reprint else "Đã ghi nhận bàn giao và in"
    emit(args, {**batch_to_dict(batch), "out": str(out), "reprint": reprint},
         f"{verb} danh sách {batch.code} ({len(batch.dossier_codes)} hồ sơ cho {names.get(batch.to_agency, batch.to_agency)}) "
         f"ra {out}.")
    return 0


def register(cli) -> None:
    sp = cli.add("lists", cmd_lists, "danh sách lập sẵn: chờ chuyển cho cơ quan khác, chờ nhận kết quả, đang gửi bưu chính")
    sp.add_argument("kind", choices=list(LISTS))
    sp.add_argument("--to", help="chỉ hồ sơ của cơ quan giải quyết này (waiting-transfer)")
    sp.add_argument("--late", action="store_true", help="chỉ hồ sơ quá hạn bàn giao (waiting-transfer)")
