"""``counter-app holder …``: designate this machine as the office's certification register holder,
pair desks with it, or move the registers to another machine."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from counter_app.cli import _open, emit
from counter_app.core.errors import ValidationError


def cmd_serve(args) -> int:
    from counter_app.holder.service import HolderServer, RegisterHolderService

    app = _open(args)
    if app.ctx.settings.register_holder:
        raise ValidationError(f"Máy này đang lấy số từ máy giữ sổ {app.ctx.settings.register_holder}; "
                              "không thể đồng thời giữ sổ.", "this desk is not the holder")
    service = RegisterHolderService(app.db, app.ctx.settings.agency.code, app.ctx.settings.cert_book_size,
                                    app.clock, timedelta(seconds=args.reservation_timeout))
    server = HolderServer(service, args.host, args.port)
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
    app = _open(args)
    with app.uow() as uow:
        code = uow.holder_desks.new_pair_code(app.clock.now(), args.hours)
        uow.commit()
    emit(args, {"code": code, "hours": args.hours},
         f"Mã ghép quầy (dùng một lần, {args.hours} giờ): {code}\nTrên quầy cần ghép: counter-app holder join "
         f"--url http://<máy này>:8765 --code {code}")
    return 0


def cmd_join(args) -> int:
    from counter_app.holder.client import join

    out = join(_open(args), args.url, args.code)
    emit(args, out, f"Đã ghép quầy với máy giữ sổ {out['holder']} (quầy số {out['desk_id']} của máy giữ sổ).")
    return 0


def cmd_export(args) -> int:
    app = _open(args)
    if not args.to.startswith(("http://", "https://")):
        raise ValidationError("--to phải là địa chỉ http(s):// của máy giữ sổ mới.", "bad URL")
    with app.uow() as uow:
        registers = uow.cert_register.export_all()
        uow.settings.set("register_holder", args.to.rstrip("/"))  # from now on this machine asks the new one
        uow.commit()
    Path(args.out).write_text(json.dumps(registers, ensure_ascii=False, indent=1, default=str), "utf-8")
    emit(args, {"out": args.out, "registers": len(registers["registers"]), "entries": len(registers["entries"])},
         f"Đã xuất {len(registers['registers'])} sổ, {len(registers['entries'])} dòng ra {args.out}. Máy này không "
         "cấp số nữa: chạy «holder import» trên máy giữ sổ mới, rồi «holder join» trên máy này.")
    return 0


def cmd_import(args) -> int:
    app = _open(args)
    try:
        data = json.loads(Path(args.file).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError(f"Không đọc được tệp sổ {args.file}.", str(exc)) from None
    with app.uow() as uow:
        n = uow.cert_register.import_all(data, app.ctx.settings.agency.code)
        uow.commit()
    emit(args, {"entries": n}, f"Đã nhận {n} dòng sổ chứng thực; máy này là máy giữ sổ từ nay.")
    return 0


def add_commands(add, common, sub_parser_class) -> None:
    sp = add("holder", None, "máy giữ sổ chứng thực của cơ quan")
    hsub = sp.add_subparsers(dest="holder_command", required=True, parser_class=sub_parser_class)
    common = [common]
    s = hsub.add_parser("serve", parents=common, help="phục vụ cấp số cho các quầy trong mạng nội bộ")
    s.add_argument("--host", default="0.0.0.0")
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--reservation-timeout", type=float, default=86400,
                   help="giây trước khi số đã cấp mà quầy không xác nhận bị hủy (mặc định 1 ngày)")
    s.set_defaults(func=cmd_serve)
    p = hsub.add_parser("pair-code", parents=common, help="cấp mã ghép một quầy với máy giữ sổ")
    p.add_argument("--hours", type=int, default=24)
    p.set_defaults(func=cmd_pair_code)
    j = hsub.add_parser("join", parents=common, help="ghép quầy này với máy giữ sổ")
    j.add_argument("--url", required=True)
    j.add_argument("--code", required=True)
    j.set_defaults(func=cmd_join)
    e = hsub.add_parser("export", parents=common, help="chuyển sổ sang máy khác: xuất sổ và thôi cấp số")
    e.add_argument("--out", required=True)
    e.add_argument("--to", required=True, help="địa chỉ máy giữ sổ mới (máy này sẽ lấy số từ đó)")
    e.set_defaults(func=cmd_export)
    i = hsub.add_parser("import", parents=common, help="nhận sổ từ máy giữ sổ cũ")
    i.add_argument("file")
    i.set_defaults(func=cmd_import)
