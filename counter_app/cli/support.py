"""For the province's support staff: ``check``, ``backup``, ``restore`` and ``logs --tail``."""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.common import EXIT_ERROR, data_dir, emit


def cmd_check(args) -> int:
    from counter_app.startup import check_store

    report = check_store(data_dir(args))
    emit(args, report.as_dict(), report.text())
    return 0 if report.ok else EXIT_ERROR


def cmd_backup(args) -> int:
    from counter_app.startup import backup_store

    out = Path(args.out)
    size = backup_store(data_dir(args), out)
    emit(args, {"backup": str(out), "bytes": size}, f"Đã sao lưu cơ sở dữ liệu ra {out}.")
    return 0


def cmd_restore(args) -> int:
    from counter_app.startup import restore_store

    result = restore_store(data_dir(args), Path(args.file))
    kept = f" Cơ sở dữ liệu cũ được giữ ở {result['previous']}." if result["previous"] else ""
    emit(args, result, f"Đã khôi phục cơ sở dữ liệu từ {args.file}.{kept}")
    return 0


def cmd_logs(args) -> int:
    from counter_app import logs

    lines = logs.tail(data_dir(args), args.tail)
    emit(args, {"log": str(logs.log_path(data_dir(args))), "lines": lines}, "\n".join(lines))
    return 0


def register(cli) -> None:
    cli.add("logs", cmd_logs, "nhật ký của quầy (cho cán bộ hỗ trợ; số định danh và mã xác thực đã được ẩn)") \
        .add_argument("--tail", type=int, default=50, metavar="N", help="N dòng cuối (mặc định 50)")
    cli.add("check", cmd_check, "kiểm tra toàn vẹn cơ sở dữ liệu và phiên bản lược đồ")
    cli.add("backup", cmd_backup, "sao lưu cơ sở dữ liệu (an toàn khi ứng dụng đang chạy)").add_argument(
        "--out", required=True)
    cli.add("restore", cmd_restore, "khôi phục cơ sở dữ liệu từ bản sao lưu (đóng cửa sổ quầy trước; "
            "cơ sở dữ liệu hiện tại được giữ lại)").add_argument("file", metavar="TỆP")
