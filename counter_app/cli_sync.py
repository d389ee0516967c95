"""``counter-app enroll | sync | outbox``: the sync commands of the headless face."""

from __future__ import annotations

from counter_app import paths
from counter_app.cli import _open, emit
from counter_app.core.errors import ConfigurationError

EXIT_OFFLINE = 3  # the server could not be reached; the queue is untouched
EXIT_NEEDS_PERSON = 4  # re-enrollment or a software update is needed; the queue is untouched
EXIT_SET_ASIDE = 5  # delivered what it could, but some events were set aside for staff

STATE_LABELS = {"pending": "chờ gửi", "sending": "đang gửi", "delivered": "đã gửi",
                "rejected": "bị từ chối", "conflict": "xung đột", "waiting": "chờ sự kiện trước"}


def cmd_enroll(args) -> int:
    from counter_app.enrollment import enroll

    out = enroll(paths.data_dir(args.data_dir), args.server, args.code)
    served = f"; tiếp nhận hộ: {', '.join(out['serves'])}" if out["serves"] else ""
    emit(args, out, f"Đã đăng ký quầy với máy chủ {out['server']}: cơ quan {out['agency']} – "
                    f"{out['agency_name']}, thiết bị số {out['device_id']}, dãy mã {out['device_slot']:02d}{served}.\n"
                    "Mã xác thực được lưu trong kho mật khẩu của hệ điều hành.")
    return 0


def cmd_sync(args) -> int:
    from counter_app.enrollment import build_engine

    app = _open(args)
    try:
        engine = build_engine(app)
        if engine is None:
            raise ConfigurationError("Quầy chưa đăng ký với máy chủ tỉnh. Chạy: counter-app enroll --server URL "
                                     "--code MÃ", "not enrolled")
        try:
            report = engine.run_once()
        finally:
            engine.close()
    finally:
        app.close()
    data = report.as_dict()
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
    emit(args, data, "\n".join(lines))
    if report.error_kind == "retryable" or report.error_kind == "locked":
        return EXIT_OFFLINE
    if report.error:
        return EXIT_NEEDS_PERSON
    return EXIT_SET_ASIDE if report.failed else 0


def cmd_outbox(args) -> int:
    app = _open(args)
    try:
        if args.retry:
            with app.uow() as uow:
                n = uow.outbox.retry_set_aside(args.seq or None)
                uow.commit()
            print(f"Đã đưa {n} sự kiện bị từ chối/xung đột trở lại hàng chờ gửi.")
        with app.read_uow() as uow:
            counts = uow.outbox.counts()
            state = uow.sync_state.all()
            items = uow.outbox.items(states=tuple(args.state), limit=args.limit) if args.state else []
    finally:
        app.close()
    data = {**counts, "failed": counts["rejected"] + counts["conflict"],
            "last_success": state.get("last_success"), "last_error": state.get("last_error"),
            "server_url": state.get("server_url")}
    if items:
        data["items"] = [{"device_seq": i.device_seq, "event_uuid": i.event_uuid, "dossier_code": i.dossier_code,
                          "kind": i.kind, "at": i.at.isoformat(), "state": i.state, "attempts": i.attempts,
                          "reason": i.reason, "last_error": i.last_error} for i in items]
    text = " · ".join(f"{STATE_LABELS[k]}: {counts[k]}" for k in STATE_LABELS)
    text += f"\nĐồng bộ thành công gần nhất: {state.get('last_success') or 'chưa có'}"
    for i in items:
        text += f"\n#{i.device_seq} {i.dossier_code} {i.kind} {STATE_LABELS.get(i.state, i.state)}" \
                + (f" – {i.reason}" if i.reason else "")
    emit(args, data, text)
    return 0


def add_commands(add) -> None:
    sp = add("enroll", cmd_enroll, "đăng ký quầy với máy chủ đồng bộ cấp tỉnh")
    sp.add_argument("--server", required=True, help="địa chỉ máy chủ, ví dụ https://dongbo.tinh.gov.vn")
    sp.add_argument("--code", required=True, help="mã đăng ký dùng một lần do quản trị tỉnh cấp")
    sp = add("sync", cmd_sync, "đồng bộ với máy chủ tỉnh")
    sp.add_argument("--once", action="store_true", required=True, help="chạy một lượt rồi thoát")
    sp = add("outbox", cmd_outbox, "hàng đợi gửi lên máy chủ tỉnh")
    sp.add_argument("--state", action="append", choices=["pending", "sending", "delivered", "rejected", "conflict"],
                    help="liệt kê các sự kiện ở trạng thái này (lặp lại được)")
    sp.add_argument("--limit", type=int, default=200)
    sp.add_argument("--retry", action="store_true", help="gửi lại các sự kiện bị từ chối/xung đột")
    sp.add_argument("--seq", type=int, action="append", help="chỉ sự kiện số này (với --retry)")
