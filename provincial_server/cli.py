"""``provincial-server``: run the sync gateway and administer it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from provincial_server import release_cli, report_cli
from provincial_server.db import ServerDatabase, default_url
from provincial_server.service import ProvincialService, ServerError

DB_ENV = "PROVINCIAL_SERVER_DB"


class Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        print(f"Lỗi tham số: {message}", file=sys.stderr)
        raise SystemExit(2)


def _emit(args, data, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2) if getattr(args, "json", False) else text)


def _load_json(path: str):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ServerError(f"Không đọc được tệp JSON {path}.", 2, str(exc)) from None


def cmd_serve(args, db: ServerDatabase) -> int:
    import uvicorn

    from provincial_server.api import create_app

    blob_dir = Path(args.blob_dir) if args.blob_dir else db.folder_beside("attachments")
    if args.min_client_version:
        ProvincialService(db).set_min_client_version(args.min_client_version)
    app = create_app(db, blob_dir)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    return 0


def cmd_agency_add(args, db) -> int:
    serves = [c.strip() for c in (args.serves or "").split(",") if c.strip()]
    grew = ProvincialService(db).add_agency(args.code, args.name, args.province or "", serves)
    print(f"Đã lưu cơ quan {args.code}" + (f" (tiếp nhận hộ: {', '.join(serves)})" if serves else "")
          + (". Các quầy đã đăng ký của cơ quan nhận danh sách mới và dãy số mã ở lần đồng bộ tới." if grew else ""))
    return 0


def cmd_enroll_code(args, db) -> int:
    out = ProvincialService(db).create_enroll_code(args.agency, args.hours)
    _emit(args, out, f"Mã đăng ký thiết bị cho {out['agency']}: {out['code']} (hết hạn {out['expires_at']})")
    return 0


def cmd_stats(args, db) -> int:
    out = ProvincialService(db).stats()
    lines = [f"Hồ sơ: {out['dossiers']} · sự kiện: {out['events']} · chờ sự kiện trước: {out['held_events']}"
             f" · cách ly: {out['quarantined']} · thiết bị: {out['devices']}"]
    lines += [f"  {a}: {v['dossiers']} hồ sơ, {v['events']} sự kiện" for a, v in out["agencies"].items()]
    _emit(args, out, "\n".join(lines))
    return 0


def cmd_set_status(args, db) -> int:
    out = ProvincialService(db).set_status(args.code, args.status, note=args.note or "", return_at=args.return_at)
    _emit(args, out, f"{args.code}: {out['status_before']} → {out['status']}")
    return 0


def cmd_publish(args, db) -> int:
    data = _load_json(args.file)
    if args.kind == "settings":  # {"values": {key: value}} or the bare object
        items = data.get("values", data) if isinstance(data, dict) else data
    elif args.kind == "catalogue":
        items = data.get("procedures", data) if isinstance(data, dict) else data
    elif args.kind == "location_free":  # the shape of `counter-app location-free import`'s file
        items = data.get("entries", data) if isinstance(data, dict) else data
    elif args.kind == "calendar_swaps":  # the shape of resources/calendar/vn-swaps.json
        items = data.get("swaps", data) if isinstance(data, dict) else data
    else:
        items = data.get("overrides", data) if isinstance(data, dict) else data
    if args.kind != "settings" and not isinstance(items, list):
        raise ServerError("Tệp phải chứa một danh sách.", 2)
    n = ProvincialService(db).publish(args.kind, items, args.agency)
    print(f"Đã phát hành {n} thay đổi ({args.kind}).")
    return 0


def cmd_min_version(args, db) -> int:
    ProvincialService(db).set_min_client_version(args.version)
    print(f"Phiên bản quầy tối thiểu: {args.version}")
    return 0


def cmd_device_list(args, db) -> int:
    out = ProvincialService(db).devices()
    labels = {"active": "hoạt động", "suspended": "tạm ngừng", "revoked": "đã thu hồi"}
    lines = [f"#{d['id']} {d['agency']} quầy {d['slot']:02d} «{d['name']}» {labels[d['state']]} · "
             f"lần cuối {d['last_seen_at'] or 'chưa đồng bộ'}" for d in out]
    _emit(args, out, "\n".join(lines) or "Chưa có thiết bị nào.")
    return 0


def cmd_device_state(args, db) -> int:
    d = ProvincialService(db).set_device_state(args.id, args.action, who=f"cli:{os.environ.get('USER', '')}")
    done = {"suspend": "đã tạm ngừng", "resume": "đã mở lại", "revoke": "đã thu hồi"}[args.action]
    _emit(args, d, f"Thiết bị #{d['id']} ({d['agency']}, quầy {d['slot']:02d}) {done}.")
    return 0


def cmd_audit(args, db) -> int:
    out = ProvincialService(db).audit_log(args.limit)
    _emit(args, out, "\n".join(f"{r['at']} {r['kind']} nguồn={r['source']} cơ quan={r['agency'] or '-'} "
                               f"thiết bị={r['device_id'] or '-'} {r['detail']}" for r in out) or "Nhật ký trống.")
    return 0


REASONS_VI = {"double_return": "hai quầy cùng trả kết quả", "final_state_conflict": "thao tác trên hồ sơ đã kết thúc"}


def _flag_line(f) -> str:
    state = (f"đã xử lý {f['resolved_at']} ({f['resolved_by']}): {f['note']}" if f["resolved_at"]
             else "chờ kiểm tra")
    return (f"#{f['id']} {f['code']} – {REASONS_VI.get(f['reason'], f['reason'])}; sự kiện: "
            f"{', '.join(f['events'])}; cơ quan: {', '.join(f['agencies'])}; {state}")


def cmd_flags(args, db) -> int:
    out = ProvincialService(db).review_flags(open_only=not args.all)
    _emit(args, out, "\n".join(_flag_line(f) for f in out) or "Không có hồ sơ nào cần kiểm tra.")
    return 0


def cmd_flag_resolve(args, db) -> int:
    who = args.by or f"cli:{os.environ.get('USER', '')}"
    out = ProvincialService(db).resolve_flag(args.id, args.note, who)
    _emit(args, out, f"Đã xử lý: {_flag_line(out)}")
    return 0


def cmd_escrow_keygen(args, db) -> int:
    """The province's escrow key pair: the private key goes to a file for the IT team's offline
    store (never to the server); the public key is published to counters with publish-settings."""
    from counter_app.core.escrow import new_keypair

    out = Path(args.out)
    if out.exists():
        raise ServerError(f"Tệp {out} đã tồn tại; chọn tên khác.", 2)
    pem, public = new_keypair()
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    _emit(args, {"private_key_file": str(out), "public_key": public},
          f"Khóa bí mật: {out} (cất ngoại tuyến, không để trên máy chủ).\nKhóa công khai: {public}\n"
          f"Phát hành cho các quầy: tệp JSON {{\"escrow_public_key\": \"{public}\"}} → publish-settings.")
    return 0


def cmd_escrow_open(args, db) -> int:
    from counter_app.core.errors import ValidationError
    from counter_app.core.escrow import open_sealed, recovery_text

    sealed = ProvincialService(db).escrowed_key(args.device)
    try:
        key = open_sealed(Path(args.private_key).read_bytes(), sealed)
    except OSError as exc:
        raise ServerError(f"Không đọc được tệp khóa bí mật {args.private_key}.", 2, str(exc)) from None
    except ValidationError as exc:
        raise ServerError(exc.message, 2, exc.detail) from None
    text = recovery_text(key)
    _emit(args, {"device": args.device, "recovery_key": text},
          f"Khóa khôi phục của thiết bị #{args.device}: {text}\n(nhập trên quầy: counter-app recover-key)")
    return 0


def cmd_export_dvcqg(args, db) -> int:
    from provincial_server.dvcqg import export

    try:
        day = datetime.fromisoformat(args.since)
    except ValueError:
        raise ServerError("--since phải có dạng YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM.", 2) from None
    if day.tzinfo is None:
        day = datetime.combine(day.date(), day.time() or time(0), ZoneInfo("Asia/Ho_Chi_Minh"))
    from provincial_server.dvcqg import load_codes

    codes = load_codes(_load_json(args.codes) if args.codes else None)
    skipped: list[dict[str, str]] = []
    with db.read() as s:
        out = export(s, day, updating=args.updating, skipped=skipped, codes=codes)
    for bad in skipped:  # reported, never fatal: the rest of the province still goes out
        print(f"Bỏ qua hồ sơ {bad['code']}: dữ liệu lưu trên máy chủ không hợp lệ ({bad['reason']})",
              file=sys.stderr)
    text = json.dumps(out, ensure_ascii=False, indent=2)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Đã ghi {len(out['data'])} hồ sơ vào {args.out}")
    else:
        print(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="provincial-server", description="Máy chủ đồng bộ cấp tỉnh (tham chiếu)")
    p.add_argument("--db", default=os.environ.get(DB_ENV) or default_url(),
                   help="SQLAlchemy URL, ví dụ postgresql+psycopg://user@host/db (mặc định SQLite tại chỗ)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    s = sub.add_parser("serve", help="chạy máy chủ HTTP")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8700)
    s.add_argument("--blob-dir")
    s.add_argument("--min-client-version")
    s.add_argument("--log-level", default="warning")
    s.set_defaults(func=cmd_serve)
    a = sub.add_parser("agency", help="cơ quan").add_subparsers(dest="agency_cmd", required=True,
                                                                 parser_class=Parser)
    aa = a.add_parser("add")
    aa.add_argument("--code", required=True)
    aa.add_argument("--name", required=True)
    aa.add_argument("--province")
    aa.add_argument("--serves", help="mã các cơ quan được tiếp nhận hộ, cách nhau bởi dấu phẩy")
    aa.set_defaults(func=cmd_agency_add)
    e = sub.add_parser("enroll-code", help="cấp mã đăng ký thiết bị dùng một lần")
    e.add_argument("--agency", required=True)
    e.add_argument("--hours", type=int, default=72)
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_enroll_code)
    st = sub.add_parser("stats", help="thống kê")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_stats)
    ss = sub.add_parser("set-status", help="đặt trạng thái xử lý như hệ thống của tỉnh")
    ss.add_argument("code")
    ss.add_argument("status")
    ss.add_argument("--note")
    ss.add_argument("--return-at", help="mã cơ quan nơi trả kết quả (nếu khác nơi tiếp nhận)")
    ss.add_argument("--json", action="store_true")
    ss.set_defaults(func=cmd_set_status)
    for kind, command in (("catalogue", "catalogue"), ("calendar", "calendar"), ("settings", "settings"),
                          ("calendar_swaps", "swaps"), ("location_free", "location-free")):
        pp = sub.add_parser(f"publish-{command}", help=f"phát hành {kind} cho các quầy")
        pp.add_argument("file")
        pp.add_argument("--agency", help="chỉ cho một cơ quan (mặc định: mọi quầy)")
        pp.set_defaults(func=cmd_publish, kind=kind)
    mv = sub.add_parser("min-version", help="phiên bản phần mềm quầy tối thiểu")
    mv.add_argument("version")
    mv.set_defaults(func=cmd_min_version)
    dv = sub.add_parser("device", help="thiết bị đã đăng ký").add_subparsers(dest="device_cmd", required=True,
                                                                            parser_class=Parser)
    dl = dv.add_parser("list", help="liệt kê thiết bị")
    dl.add_argument("--json", action="store_true")
    dl.set_defaults(func=cmd_device_list)
    for action, text in (("suspend", "tạm ngừng (mở lại bằng resume)"), ("resume", "mở lại thiết bị tạm ngừng"),
                         ("revoke", "thu hồi vĩnh viễn")):
        da = dv.add_parser(action, help=text)
        da.add_argument("id", type=int)
        da.add_argument("--json", action="store_true")
        da.set_defaults(func=cmd_device_state, action=action)
    au = sub.add_parser("audit", help="nhật ký an ninh (thử sai, đăng ký, thu hồi)")
    au.add_argument("--limit", type=int, default=100)
    au.add_argument("--json", action="store_true")
    au.set_defaults(func=cmd_audit)
    fl = sub.add_parser("flags", help="hồ sơ cần kiểm tra (hai quầy trả cùng một kết quả, …)")
    fl.add_argument("--all", action="store_true", help="cả các cờ đã xử lý")
    fl.add_argument("--json", action="store_true")
    fl.set_defaults(func=cmd_flags)
    fr = sub.add_parser("flag-resolve", help="ghi nhận đã kiểm tra một hồ sơ bị gắn cờ")
    fr.add_argument("id", type=int)
    fr.add_argument("--note", required=True, help="nội dung xử lý")
    fr.add_argument("--by", help="người xử lý (mặc định: người dùng hệ thống)")
    fr.add_argument("--json", action="store_true")
    fr.set_defaults(func=cmd_flag_resolve)
    es = sub.add_parser("escrow", help="lưu giữ khóa khôi phục của các quầy").add_subparsers(
        dest="escrow_cmd", required=True, parser_class=Parser)
    ek = es.add_parser("keygen", help="tạo cặp khóa lưu giữ của tỉnh (khóa bí mật ra tệp)")
    ek.add_argument("--out", required=True, help="tệp khóa bí mật (cất ngoại tuyến)")
    ek.add_argument("--json", action="store_true")
    ek.set_defaults(func=cmd_escrow_keygen)
    eo = es.add_parser("open", help="mở khóa lưu giữ của một thiết bị thành khóa khôi phục")
    eo.add_argument("--device", type=int, required=True)
    eo.add_argument("--private-key", required=True)
    eo.add_argument("--json", action="store_true")
    eo.set_defaults(func=cmd_escrow_open)
    x = sub.add_parser("export-dvcqg", help="xuất hồ sơ theo cấu trúc DongBoHoSoMC")
    x.add_argument("--since", required=True)
    x.add_argument("--out")
    x.add_argument("--updating", action="store_true", help="isUpdating=True (cập nhật hồ sơ đã gửi)")
    x.add_argument("--codes", help="tệp JSON mã của tỉnh (KenhThucHien, NoiNopHoSo, …) đè lên dvcqg_codes.json")
    x.set_defaults(func=cmd_export_dvcqg)
    report_cli.add_parsers(sub)
    release_cli.add_parsers(sub, Parser)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "no_db", False):
        try:
            return args.func(args, None)
        except ServerError as exc:
            print(f"Lỗi: {exc.message}" + (f" ({exc.detail})" if exc.detail else ""), file=sys.stderr)
            return 2
    db = ServerDatabase(args.db)
    try:
        db.upgrade()
        return args.func(args, db)
    except ServerError as exc:
        print(f"Lỗi: {exc.message}" + (f" ({exc.detail})" if exc.detail else ""), file=sys.stderr)
        return 2
    finally:
        db.dispose()


if __name__ == "__main__":
    sys.exit(main())
