"""``counter-app enroll | sync | outbox``: the sync commands of the headless face."""

from __future__ import annotations

from counter_app.cli.common import data_dir, emit, open_app
from counter_app.core.errors import ConfigurationError
from counter_app.core.outbox import LISTED_STATES, STATE_LABELS

EXIT_OFFLINE = 3  # the server could not be reached; the queue is untouched
EXIT_NEEDS_PERSON = 4  # re-enrollment or a software update is needed; the queue is untouched
EXIT_SET_ASIDE = 5  # delivered what it could, but some events were set aside for staff


def _label(state: str) -> str:
    return STATE_LABELS.get(state, state).lower()


def cmd_enroll(args) -> int:
    from counter_app.app import enroll

    out = enroll(data_dir(args), args.server, args.code)
    served = f"; tiếp nhận hộ: {', '.join(out['serves'])}" if out["serves"] else ""
    emit(args, out, f"Đã đăng ký quầy với máy chủ {out['server']}: cơ quan {out['agency']} – "
                    f"{out['agency_name']}, thiết bị số {out['device_id']}, dãy mã {out['device_slot']:02d}{served}.\n"
                    "Mã xác thực được lưu trong kho mật khẩu của hệ điều hành.")
    return 0


def cmd_sync(args) -> int:
    engine = open_app(args).sync_engine()
    if engine is None:
        raise ConfigurationError("Quầy chưa đăng ký với máy chủ tỉnh. Chạy: counter-app enroll --server URL "
                                 "--code MÃ", "not enrolled")
    try:
        report = engine.run_once()
    finally:
        engine.close()
    lines = [f"Đã gửi: {report.pushed} (mới {report.accepted}, trùng {report.duplicates}) · "
             f"nhận về: {report.pulled} · chờ gửi: {report.pending} · lỗi: {report.failed}"]
    if report.requeued:
        lines.append(f"Đối soát: gửi lại {report.requeued} sự kiện máy chủ còn thiếu.")
    if report.deferred:
        lines.append(f"{report.deferred} thay đổi trạng thái chờ hồ sơ gửi xong mới áp dụng.")
    if report.clock_warning:
        lines.append(f"Cảnh báo: {report.clock_warning}")
    if report.error:
        lines.append(f"Lỗi: {report.error}" + (f" ({report.error_detail})" if report.error_detail else ""))
    emit(args, report.as_dict(), "\n".join(lines))
    if report.error_kind in ("retryable", "locked"):
        return EXIT_OFFLINE
    if report.error:
        return EXIT_NEEDS_PERSON
    return EXIT_SET_ASIDE if report.failed else 0


def cmd_outbox(args) -> int:
    outbox = open_app(args).outbox
    if args.retry:
        n = outbox.retry(args.seq)
        print(f"Đã đưa {n} sự kiện bị từ chối/xung đột trở lại hàng chờ gửi.")
    status = outbox.status()
    items = outbox.items(tuple(args.state), limit=args.limit) if args.state else []
    data = status.as_dict()
    if items:
        data["items"] = [i.as_dict() for i in items]
    text = " · ".join(f"{_label(k)}: {status.counts[k]}" for k in STATE_LABELS)
    text += f"\nĐồng bộ thành công gần nhất: {status.last_success or 'chưa có'}"
    for i in items:
        text += f"\n#{i.device_seq} {i.dossier_code} {i.kind} {_label(i.state)}" + (f" – {i.reason}" if i.reason else "")
    emit(args, data, text)
    return 0


def register(cli) -> None:
    sp = cli.add("enroll", cmd_enroll, "đăng ký quầy với máy chủ đồng bộ cấp tỉnh")
    sp.add_argument("--server", required=True, help="địa chỉ máy chủ, ví dụ https://dongbo.tinh.gov.vn")
    sp.add_argument("--code", required=True, help="mã đăng ký dùng một lần do quản trị tỉnh cấp")
    sp = cli.add("sync", cmd_sync, "đồng bộ với máy chủ tỉnh")
    sp.add_argument("--once", action="store_true", required=True, help="chạy một lượt rồi thoát")
    sp = cli.add("outbox", cmd_outbox, "hàng đợi gửi lên máy chủ tỉnh")
    sp.add_argument("--state", action="append", choices=list(LISTED_STATES),
                    help="liệt kê các sự kiện ở trạng thái này (lặp lại được)")
    sp.add_argument("--limit", type=int, default=200)
    sp.add_argument("--retry", action="store_true", help="gửi lại các sự kiện bị từ chối/xung đột")
    sp.add_argument("--seq", type=int, action="append", help="chỉ sự kiện số này (với --retry)")
