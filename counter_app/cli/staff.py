"""``counter-app staff-handover`` (bàn giao hồ sơ between the reception officer, a postal employee
where the post operates the counter, and the commune's specialist officers): record a hand-over,
and print or list the day's hand-overs for both sides to sign."""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.common import check_suffix, emit, open_app, parse_day, parse_local_datetime
from counter_app.core.errors import ValidationError


def _direction(args):
    from counter_app.core.staff import HandoverDirection

    return HandoverDirection(args.direction.replace("-", "_"))


def _as_dict(h) -> dict:
    return {"dossier_code": h.dossier_code, "direction": h.direction.value, "handed_at": h.handed_at.isoformat(),
            "giver": h.giver.name, "giver_organisation": h.giver.organisation, "receiver": h.receiver.name,
            "receiver_organisation": h.receiver.organisation}


def cmd_staff_handover(args) -> int:
    from counter_app.printing.staff_handover import person_text

    app = open_app(args)
    if args.action == "record":
        if not args.giver or not args.receiver:
            raise ValidationError("Cần --giver (người giao) và --receiver (người nhận).", "giver/receiver missing")
        done = app.staff.record(args.codes, args.officer, giver=args.giver, receiver=args.receiver,
                                direction=_direction(args),
                                handed_at=parse_local_datetime(args.at) if args.at else None)
        first = done[0]
        emit(args, [_as_dict(h) for h in done],
             f"Đã ghi nhận bàn giao {len(done)} hồ sơ lúc {first.handed_at:%H:%M %d/%m/%Y}: "
             f"{person_text(first.giver)} → {person_text(first.receiver)}.\n" + "\n".join(h.dossier_code for h in done))
        return 0
    if args.codes:
        raise ValidationError("Danh sách bàn giao lấy theo ngày (--date), không theo mã hồ sơ.", "codes with list")
    if not args.date:
        raise ValidationError("Cần --date YYYY-MM-DD để lập danh sách bàn giao trong ngày.", "date missing")
    day = parse_day(args.date)
    out = Path(args.out) if args.out else None
    if out is not None:
        check_suffix(out, (".pdf",), "Danh sách bàn giao")
    lines = app.staff.of_day(day, _direction(args))
    if out is not None:
        from counter_app.printing.staff_handover import render_staff_handover_pdf

        out.write_bytes(render_staff_handover_pdf(day, lines, app.ctx.settings, _direction(args)))
    text = "\n".join(f"{h.handed_at:%H:%M}  {d.code}  {d.applicant.full_name}  {person_text(h.giver)} → "
                     f"{person_text(h.receiver)}" for h, d in lines) or f"Không có hồ sơ bàn giao ngày {day:%d/%m/%Y}."
    if out is not None:
        text += f"\nĐã in danh sách bàn giao ({len(lines)} hồ sơ) ra {out}."
    emit(args, {"date": day.isoformat(), "handovers": [_as_dict(h) for h, _ in lines],
                "out": str(out) if out else None}, text)
    return 0


def register(cli) -> None:
    sp = cli.add("staff-handover", cmd_staff_handover,
                 "bàn giao hồ sơ giữa cán bộ tiếp nhận (bưu điện) và công chức chuyên môn: ghi (record), "
                 "danh sách trong ngày (list)")
    sp.add_argument("action", choices=["record", "list"])
    sp.add_argument("codes", nargs="*", help="mã hồ sơ bàn giao (record)")
    sp.add_argument("--giver", help="người giao: tên đăng nhập hoặc họ tên")
    sp.add_argument("--receiver", help="người nhận: tên đăng nhập hoặc họ tên")
    sp.add_argument("--direction", default="to-specialist", choices=["to-specialist", "to-counter"],
                    help="to-specialist: bộ phận tiếp nhận giao công chức chuyên môn (mặc định); "
                         "to-counter: công chức chuyên môn giao lại bộ phận tiếp nhận")
    sp.add_argument("--at", help="thời điểm bàn giao, YYYY-MM-DDTHH:MM (mặc định: bây giờ)")
    sp.add_argument("--date", help="ngày của danh sách, YYYY-MM-DD (list)")
    sp.add_argument("--out", help="tệp .pdf của danh sách bàn giao (list)")
