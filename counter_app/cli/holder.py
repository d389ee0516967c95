"""``counter-app holder …``: designate this machine as the office's certification register holder,
pair desks with it, or move the registers to another machine."""

from __future__ import annotations

from counter_app.cli.common import emit, open_app


def cmd_serve(args) -> int:
    app = open_app(args)
    server = app.holder_admin.server(args.host, args.port, args.reservation_timeout)
    print(f"Máy giữ sổ chứng thực của {app.ctx.settings.agency.code} đang phục vụ tại "
          f"http://{args.host}:{server.port} (Ctrl+C để dừng).", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def cmd_pair_code(args) -> int:
    code = open_app(args).holder_admin.new_pair_code(args.hours)
    emit(args, {"code": code, "hours": args.hours},
         f"Mã ghép quầy (dùng một lần, {args.hours} giờ): {code}\nTrên quầy cần ghép: counter-app holder join "
         f"--url http://<máy này>:8765 --code {code}")
    return 0


def cmd_join(args) -> int:
    out = open_app(args).holder_admin.join(args.url, args.code)
    emit(args, out, f"Đã ghép quầy với máy giữ sổ {out['holder']} (quầy số {out['desk_id']} của máy giữ sổ).")
    return 0


def cmd_export(args) -> int:
    out = open_app(args).holder_admin.export_registers(args.out, args.to)
    emit(args, out, f"Đã xuất {out['registers']} sổ, {out['entries']} dòng ra {args.out}. Máy này không "
                    "cấp số nữa: chạy «holder import» trên máy giữ sổ mới, rồi «holder join» trên máy này.")
    return 0


def cmd_import(args) -> int:
    out = open_app(args).holder_admin.import_registers(args.file)
    emit(args, out, f"Đã nhận {out['entries']} dòng sổ chứng thực; máy này là máy giữ sổ từ nay.")
    return 0


def register(cli) -> None:
    holder = cli.group("holder", "máy giữ sổ chứng thực của cơ quan")
    s = holder.add("serve", cmd_serve, "phục vụ cấp số cho các quầy trong mạng nội bộ")
    s.add_argument("--host", default="0.0.0.0")
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--reservation-timeout", type=float, default=86400,
                   help="giây trước khi số đã cấp mà quầy không xác nhận bị hủy (mặc định 1 ngày)")
    holder.add("pair-code", cmd_pair_code, "cấp mã ghép một quầy với máy giữ sổ").add_argument(
        "--hours", type=int, default=24)
    j = holder.add("join", cmd_join, "ghép quầy này với máy giữ sổ")
    j.add_argument("--url", required=True)
    j.add_argument("--code", required=True)
    e = holder.add("export", cmd_export, "chuyển sổ sang máy khác: xuất sổ và thôi cấp số")
    e.add_argument("--out", required=True)
    e.add_argument("--to", required=True, help="địa chỉ máy giữ sổ mới (máy này sẽ lấy số từ đó)")
    holder.add("import", cmd_import, "nhận sổ từ máy giữ sổ cũ").add_argument("file")
