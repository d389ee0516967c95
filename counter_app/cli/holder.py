"""``counter-app holder …``: designate this machine as the office's certification register holder,
pair desks with it, or move the registers to another machine."""

from __future__ import annotations

from counter_app.cli.common import emit, open_app


def cmd_serve(args) -> int:
    app = open_app(args)
    server = app.holder_admin.server(args.host, args.port, args.reservation_timeout)
    print(f"Máy giữ sổ chứng thực của {app.ctx.settings.agency.code} đang phục vụ tại {server.url} "
          f"(chứng chỉ {app.holder_admin.fingerprint()}; Ctrl+C để dừng).", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def cmd_pair_code(args) -> int:
    admin = open_app(args).holder_admin
    code = admin.new_pair_code(args.hours)
    host = admin.bind_address() or "<địa chỉ máy này>"
    emit(args, {"code": code, "hours": args.hours, "fingerprint": admin.fingerprint()},
         f"Mã ghép quầy (dùng một lần, {args.hours} giờ): {code}\nTrên quầy cần ghép: counter-app holder join "
         f"--url https://{host}:8765 --code {code}")
    return 0


def cmd_bind(args) -> int:
    admin = open_app(args).holder_admin
    if args.address:
        host = admin.set_bind_address(args.address)
        emit(args, {"host": host}, f"Máy giữ sổ sẽ phục vụ tại địa chỉ {host}.")
    else:
        emit(args, {"host": admin.bind_address(), "addresses": admin.local_addresses()},
             f"Địa chỉ đang chọn: {admin.bind_address() or '(chưa chọn)'}; các địa chỉ của máy này: "
             f"{', '.join(admin.local_addresses())}")
    return 0


def cmd_desks(args) -> int:
    desks = open_app(args).holder_admin.desks()
    for d in desks:
        d["paired_at"] = d["paired_at"].isoformat()
    lines = [f"{d['id']:>4}  quầy {d['desk'] if d['desk'] is not None else '?':>3}  {d['name']}  "
             f"ghép {d['paired_at'][:16]}{'  ĐÃ THU HỒI' if d['revoked'] else ''}" for d in desks]
    emit(args, {"desks": desks}, "\n".join(lines) or "Chưa có quầy nào được ghép.")
    return 0


def cmd_unpair(args) -> int:
    out = open_app(args).holder_admin.unpair(args.id)
    emit(args, out, f"Đã thu hồi quầy «{out['name']}» (mã {out['id']}); quầy đó cần mã ghép mới để lấy số.")
    return 0


def cmd_join(args) -> int:
    out = open_app(args).holder_admin.join(args.url, args.code)
    emit(args, out, f"Đã ghép quầy với máy giữ sổ {out['holder']} (quầy số {out['desk_id']} của máy giữ sổ).")
    return 0


def cmd_export(args) -> int:
    out = open_app(args).holder_admin.export_registers(args.out, args.to)
    emit(args, out, f"Đã xuất {out['registers']} sổ, {out['entries']} dòng ra {args.out} (tệp được niêm phong).\n"
                    f"MÃ MỞ TỆP (chỉ hiện một lần; chép ra giấy, không gửi kèm tệp): {out['transfer_code']}\n"
                    "Máy này không cấp số nữa: chạy «holder import TỆP --code MÃ» trên máy giữ sổ mới, rồi "
                    "«holder join» trên máy này.")
    return 0


def cmd_import(args) -> int:
    out = open_app(args).holder_admin.import_registers(args.file, args.code)
    emit(args, out, f"Đã nhận {out['entries']} dòng sổ chứng thực; máy này là máy giữ sổ từ nay.")
    return 0


def cmd_void(args) -> int:
    out = open_app(args).holder_admin.void_number(args.register, args.year, args.number, args.reason, args.officer)
    emit(args, out, f"Đã hủy số {out['number']} (quầy {out['desk']}) trong sổ {args.register} năm {args.year}.")
    return 0


def register(cli) -> None:
    holder = cli.group("holder", "máy giữ sổ chứng thực của cơ quan")
    s = holder.add("serve", cmd_serve, "phục vụ cấp số cho các quầy trong mạng nội bộ")
    s.add_argument("--host", default=None, help="địa chỉ mạng nội bộ (mặc định: địa chỉ đã chọn bằng «holder bind»)")
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--reservation-timeout", type=float, default=86400,
                   help="giây trước khi số đã cấp mà quầy không xác nhận bị hủy (mặc định 1 ngày)")
    holder.add("pair-code", cmd_pair_code, "cấp mã ghép một quầy với máy giữ sổ").add_argument(
        "--hours", type=int, default=24)
    holder.add("bind", cmd_bind, "chọn địa chỉ mạng nội bộ để phục vụ cấp số").add_argument("address", nargs="?")
    holder.add("desks", cmd_desks, "các quầy đã ghép với máy giữ sổ này")
    holder.add("unpair", cmd_unpair, "thu hồi một quầy đã ghép").add_argument("id", type=int)
    v = holder.add("void", cmd_void, "máy giữ sổ hủy một số chứng thực của bất kỳ quầy nào (ghi lý do)")
    v.add_argument("--register", default="SCT/BS", help="SCT/BS hoặc SCT/CK,ĐC")
    v.add_argument("--year", type=int, required=True)
    v.add_argument("--number", type=int, required=True)
    v.add_argument("--reason", required=True)
    j = holder.add("join", cmd_join, "ghép quầy này với máy giữ sổ")
    j.add_argument("--url", required=True)
    j.add_argument("--code", required=True)
    e = holder.add("export", cmd_export, "chuyển sổ sang máy khác: xuất sổ và thôi cấp số")
    e.add_argument("--out", required=True)
    e.add_argument("--to", required=True, help="địa chỉ máy giữ sổ mới (máy này sẽ lấy số từ đó)")
    i = holder.add("import", cmd_import, "nhận sổ từ máy giữ sổ cũ")
    i.add_argument("file")
    i.add_argument("--code", help="mã mở tệp hiện khi xuất sổ")
