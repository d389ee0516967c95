"""For the province's support staff: ``check``, ``backup``, ``restore``, ``encrypt``, ``recover-key``
and ``logs --tail``."""

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

    result = restore_store(data_dir(args), Path(args.file), args.recovery_key)
    kept = f" Cơ sở dữ liệu cũ được giữ ở {result['previous']}." if result["previous"] else ""
    emit(args, result, f"Đã khôi phục cơ sở dữ liệu từ {args.file}.{kept} Lần đồng bộ tới, quầy lấy lại từ "
                       "máy chủ tỉnh những sự kiện đã gửi sau thời điểm sao lưu.")
    return 0


def cmd_encrypt(args) -> int:
    from counter_app.startup import encrypt_store

    result = encrypt_store(data_dir(args))
    emit(args, result, "Đã mã hóa cơ sở dữ liệu; khóa nằm trong kho mật khẩu của hệ điều hành.\n"
                       + recovery_notice(result["recovery_key"])
                       + (f"\nĐã mã hóa {len(result['backups_encrypted'])} bản sao lưu cũ trong backups/."
                          if result["backups_encrypted"] else ""))
    return 0


def recovery_notice(key: str) -> str:
    return (f"KHÓA KHÔI PHỤC (chỉ hiện một lần; in hoặc chép ra giấy, cất nơi an toàn, không lưu trên máy này):\n"
            f"    {key}\nKhi mất kho mật khẩu hoặc chuyển sang máy khác: counter-app recover-key.")


def cmd_recover_key(args) -> int:
    import getpass

    from counter_app.startup import recover_key

    text = args.recovery_key or getpass.getpass("Khóa khôi phục: ")
    result = recover_key(data_dir(args), text)
    emit(args, result, "Khóa khôi phục đúng; khóa giải mã đã được lưu lại vào kho mật khẩu của máy này.")
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
    restore = cli.add("restore", cmd_restore, "khôi phục cơ sở dữ liệu từ bản sao lưu (đóng cửa sổ quầy trước; "
                      "cơ sở dữ liệu hiện tại được giữ lại)")
    restore.add_argument("file", metavar="TỆP")
    restore.add_argument("--recovery-key", metavar="KHÓA", help="khóa khôi phục của máy đã tạo bản sao lưu")
    cli.add("encrypt", cmd_encrypt, "mã hóa cơ sở dữ liệu chưa mã hóa (đóng cửa sổ quầy trước)")
    cli.add("recover-key", cmd_recover_key, "nhập khóa khôi phục khi máy mất khóa giải mã").add_argument(
        "--recovery-key", metavar="KHÓA", help="không đưa: hỏi khi chạy (không lưu vào lịch sử lệnh)")
