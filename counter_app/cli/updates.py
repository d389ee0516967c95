"""``counter-app update status | download | install``: the province's new versions, for the IT
team and for scripts; the window does the same from its "Có bản cập nhật" notice."""

from __future__ import annotations

from counter_app import __version__
from counter_app.cli.common import emit, open_app
from counter_app.cli.sync import EXIT_OFFLINE

EXIT_NOT_READY = 4  # nothing to install yet, or the file was refused


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def cmd_status(args) -> int:
    updates = open_app(args).updates
    offer = updates.offer()
    data = {"running": __version__, "offer": offer.to_dict() if offer else None, "download": None}
    text = f"Phiên bản đang dùng: {__version__}."
    if offer is None:
        text += "\nChưa có bản cập nhật nào được tỉnh phát hành cho quầy này."
    else:
        state = updates.status()
        data["download"] = {"state": state.state, "received": state.received, "size": state.size,
                            "path": str(state.path) if state.path else None, "message": state.message}
        text += (f"\nCó bản cập nhật {offer.version} ({_size(offer.size)}, phát hành {offer.published_at}).\n"
                 f"Ghi chú: {offer.notes or '(không có)'}\n"
                 + {"ready": "Đã tải xong và kiểm tra chữ ký: chạy counter-app update install để cài.",
                    "partial": f"Đang tải: {state.percent}% ({_size(state.received)}).",
                    "refused": f"Tệp tải về bị từ chối: {state.message}"}[state.state])
    emit(args, data, text)
    return 0


def cmd_download(args) -> int:
    updates = open_app(args).updates
    offer = updates.offer()
    if offer is None:
        emit(args, {"offer": None}, "Chưa có bản cập nhật nào được tỉnh phát hành cho quầy này.")
        return EXIT_NOT_READY
    state = updates.status()
    while state.state == "partial":
        before = state.received
        state = updates.download(budget_s=args.budget)
        if state.state == "partial" and state.received == before:  # no progress: the link is down
            emit(args, {"state": state.state, "received": state.received, "size": state.size},
                 f"Không tải tiếp được ({state.message or 'mất kết nối'}); đã có {state.percent}%, lần sau tải "
                 "tiếp từ chỗ dừng.")
            return EXIT_OFFLINE
        if not args.json:
            print(f"Đã tải {state.percent}% ({_size(state.received)} / {_size(state.size)})", flush=True)
    data = {"state": state.state, "version": state.version, "path": str(state.path) if state.path else None,
            "message": state.message}
    if state.state == "refused":
        emit(args, data, f"Tệp cập nhật {state.version} bị từ chối: {state.message}")
        return EXIT_NOT_READY
    emit(args, data, f"Đã tải xong bản {state.version} và kiểm tra chữ ký, kích thước, mã băm: {state.path}")
    return 0


def cmd_install(args) -> int:
    updates = open_app(args).updates
    plan = updates.prepare_install()
    args.opened.pop().close()  # the store is closed before another program may touch the machine
    updates.run_installer(plan)
    data = {"version": plan.version, "file": str(plan.file), "command": plan.command, "backup": str(plan.backup),
            "pending": plan.pending, "detached": plan.detached}
    kept = f" {plan.pending} sự kiện chờ gửi vẫn nằm nguyên trong hàng đợi." if plan.pending else ""
    started = "Trình cài đặt đang chạy (chờ chương trình đóng rồi cài)." if plan.detached else "Đã cài xong."
    emit(args, data, f"Bản {plan.version}: {started} Sao lưu trước khi cập nhật: {plan.backup}.{kept}")
    return 0


def register(cli) -> None:
    group = cli.group("update", "bản cập nhật phần mềm quầy do tỉnh phát hành (có chữ ký)")
    group.add("status", cmd_status, "bản cập nhật được tỉnh báo và tình trạng tải về")
    sp = group.add("download", cmd_download, "tải bản cập nhật (tiếp tục từ chỗ dừng), rồi kiểm tra chữ ký")
    sp.add_argument("--budget", type=float, default=60.0, help="giây cho mỗi lượt tải (mặc định 60)")
    group.add("install", cmd_install, "kiểm tra lại, sao lưu, rồi chạy trình cài bản cập nhật đã tải")
