"""Set-up and administration: ``init``, ``catalogue``, ``agency``, ``settings``, ``calendar``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from counter_app.cli.common import data_dir, emit, open_app, parse_day
from counter_app.core.errors import ValidationError


def cmd_init(args) -> int:
    from counter_app.app import CounterApp
    from counter_app.core.settings import settings_to_values

    app = CounterApp.initialise(data_dir(args), agency_code=args.agency_code,
                                agency_name=args.agency_name, province=args.province or "", desk=args.desk,
                                catalogue_file=Path(args.catalogue) if args.catalogue else None,
                                serves=args.serves or "")
    args.opened.append(app)
    count = len(app.catalogue.procedures())
    s = app.ctx.settings
    data = {"data_dir": str(app.data_dir), "agency_code": s.agency.code, "agency_name": s.agency.name,
            "desk": s.desk, "procedures": count, "settings": settings_to_values(s),
            "serves": [{"code": a.code, "name": a.name} for a in app.ctx.served_agencies]}
    data["encrypted"] = app.encrypted
    data["recovery_key"] = app.recovery_key
    from counter_app.cli.support import recovery_notice

    notice = (recovery_notice(app.recovery_key) if app.recovery_key else
              "CHÚ Ý: máy không có kho mật khẩu của hệ điều hành nên cơ sở dữ liệu CHƯA được mã hóa; "
              "cài kho mật khẩu rồi chạy: counter-app encrypt.")
    emit(args, data, f"Đã khởi tạo quầy {s.desk} của {s.agency.name} ({s.agency.code}) tại {app.data_dir}; "
                     f"danh mục có {count} thủ tục."
                     + "".join(f"\nTiếp nhận hộ: {a.name} ({a.code})" for a in app.ctx.served_agencies)
                     + f"\n{notice}")
    return 0


def cmd_catalogue_import(args) -> int:
    from counter_app.app import load_json
    from counter_app.core.catalogue import parse_catalogue

    report = open_app(args).catalogue.import_procedures(parse_catalogue(load_json(Path(args.file))),
                                                        replace=args.replace, confirmed=args.yes)
    r = report.as_dict()
    emit(args, r, f"Đã nhập danh mục: thêm {r['added']}, cập nhật {r['updated']}, giữ nguyên "
                  f"{r['unchanged']}, ngừng áp dụng {r['closed']}, xóa {r['deleted']}.")
    return 0


def cmd_catalogue_export(args) -> int:
    from counter_app.core.catalogue import export_catalogue

    doc = export_catalogue(open_app(args).catalogue.procedures())
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"Đã xuất {len(doc['procedures'])} thủ tục ra {args.out}.", file=sys.stderr)
    else:
        print(text)
    return 0


def cmd_catalogue_list(args) -> int:
    from counter_app.core.catalogue import procedure_to_dict

    procs = open_app(args).catalogue.procedures(include_closed=args.all)
    emit(args, {"procedures": [procedure_to_dict(p) for p in procs]},
         "\n".join(f"{p.code}  {'' if p.active else '[ngừng] '}{p.name}  "
                   f"({'?' if p.working_days is None else p.working_days} ngày làm việc)" for p in procs))
    return 0


def cmd_catalogue_level(args) -> int:
    from counter_app.core.model import OnlineLevel
    from counter_app.core.online_levels import LEVEL_LABELS_VI, history

    p = open_app(args).catalogue.record_level(args.code, OnlineLevel(args.level), parse_day(args.date_from),
                                              args.decision or "")
    changes = history(p)
    emit(args, {"code": p.code, "online_level": p.online_level.value, "online_levels": [c.as_dict() for c in changes]},
         f"Thủ tục {p.code} ({p.name}):\n" + "\n".join(
             f"  từ {c.effective_from:%d/%m/%Y}: {LEVEL_LABELS_VI[c.level]}" + (f" ({c.decision})" if c.decision else "")
             for c in changes))
    return 0


def cmd_location_free(args) -> int:
    from counter_app.app import load_json
    from counter_app.core.location_free import CHANNELS, PLACES, entry_to_dict, parse_list

    app = open_app(args)
    if getattr(args, "location-free_command") == "import":
        n = app.catalogue.import_location_free(parse_list(load_json(Path(args.file))))
        emit(args, {"entries": n}, f"Đã nhập danh mục thủ tục không phụ thuộc địa giới: {n} dòng.")
        return 0
    entries = app.catalogue.location_free()
    names = {p.code: p.name for p in app.catalogue.procedures()}
    emit(args, {"entries": [entry_to_dict(e) for e in entries]}, "\n".join(
        f"{e.procedure_code}  {names.get(e.procedure_code, '(không có trong danh mục của quầy)')}  "
        f"QĐ {e.decision} ngày {e.decision_date:%d/%m/%Y}, hiệu lực {e.effective_from:%d/%m/%Y}"
        + (f"; bãi bỏ theo QĐ {e.removed_by} từ {e.removed_on:%d/%m/%Y}" if e.removed_by else "")
        + (f"; nơi nộp: {', '.join(PLACES[p] for p in e.places)}" if e.places else "")
        + (f"; cách nộp: {', '.join(CHANNELS[c] for c in e.channels)}" if e.channels else "")
        for e in entries) or "Chưa nạp danh mục thủ tục không phụ thuộc địa giới (quầy dùng cờ "
                             "location_independent của danh mục thủ tục).")
    return 0


def cmd_agency(args) -> int:
    from counter_app.core.admin import make_agency

    from counter_app.cli.common import parse_day
    from counter_app.core.units import alias_to_dict, make_alias

    app = open_app(args)
    if args.agency_command == "add":
        app.setup.add_served_agency(make_agency(args.code, args.name, args.province or "", own=False))
    elif args.agency_command == "alias":
        alias = make_alias(args.code, args.former_name, args.former_code, parse_day(args.until), args.source or "")
        recorded = app.setup.agency_aliases()
        app.setup.add_agency_alias(alias, bundled=[a for a in app.ctx.agency_aliases if a not in recorded])
    elif args.agency_command == "find":
        found = app.ctx.find_agency(args.text)
        if found is None:
            raise ValidationError(f"Không tìm thấy cơ quan «{args.text}» (theo mã, tên hoặc tên cũ).", "agency not found")
        emit(args, {"agency": found.__dict__}, f"{found.code}  {found.name}")
        return 0
    aliases = app.ctx.agency_aliases  # refreshed by the commit above (core.changes: agency_alias)
    listed = [{**a.__dict__, "former": [alias_to_dict(x) for x in aliases if x.agency_code == a.code]}
              for a in app.setup.agencies()]
    emit(args, {"agencies": listed}, "\n".join(
        f"{a['code']}  {a['name']}  {'(cơ quan của quầy)' if a['own'] else '(tiếp nhận hộ)'}"
        + "".join(f"\n    tên cũ: {x['former_name']}" + (f" ({x['former_code']})" if x['former_code'] else "")
                  + (f", đến hết {x['until']}" if x['until'] else "") for x in a["former"])
        for a in listed))
    return 0


def cmd_settings(args) -> int:
    from counter_app.core.settings import SETTING_KEYS, apply_setting, settings_to_values

    app = open_app(args)
    if args.settings_command == "set":
        app.setup.save_settings(apply_setting(app.ctx.settings, args.key, args.value))
    values = settings_to_values(app.ctx.settings)
    flat = {**{k: v for k, v in values.items() if k != "forms"},
            **{f"forms.{k}": v for k, v in values["forms"].items()}}
    emit(args, values, "\n".join(f"{k} = {v}" + (f"    # {SETTING_KEYS[k]}" if k in SETTING_KEYS else "")
                                  for k, v in flat.items()))
    return 0


def cmd_calendar_import(args) -> int:
    from counter_app.core.admin import parse_overrides

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Không đọc được tệp {path}.", str(exc)) from None
    overrides = parse_overrides(text, "csv" if path.suffix.lower() == ".csv" else "json")
    open_app(args).calendar_admin.replace_overrides(overrides)
    emit(args, {"overrides": len(overrides)}, f"Đã nhập {len(overrides)} ngày điều chỉnh lịch làm việc.")
    return 0


def cmd_calendar_list(args) -> int:
    overrides = open_app(args).calendar_admin.overrides()
    emit(args, {"overrides": [{"day": o.day.isoformat(), "kind": o.kind.value, "agency_code": o.agency_code,
                               "note": o.note} for o in overrides]},
         "\n".join(f"{o.day:%d/%m/%Y}  {o.kind.value}  {o.agency_code or '(mọi cơ quan)'}  {o.note}"
                   for o in overrides) or "Chưa có ngày điều chỉnh nào.")
    return 0


def cmd_calendar_swaps(args) -> int:
    """The government's days-off swaps in force here: the shipped file with the province's list over it."""
    swaps = sorted(open_app(args).ctx.calendar.swaps, key=lambda s: s.day_off or s.working_day)
    emit(args, {"swaps": [s.to_dict() for s in swaps]},
         "\n".join(f"{s.id}: nghỉ {_d(s.day_off)}, làm bù {_d(s.working_day)} — {s.name} "
                     f"[{'đã đối chiếu' if s.verified else 'CHƯA đối chiếu'}: {s.source}]" for s in swaps)
         or "Không có ngày đổi nào.")
    return 0


def _d(day) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def register(cli) -> None:
    sp = cli.add("init", cmd_init, "khởi tạo quầy và nạp danh mục thủ tục")
    sp.add_argument("--agency-code", required=True)
    sp.add_argument("--agency-name", required=True)
    sp.add_argument("--province")
    sp.add_argument("--desk", type=int, default=1)
    sp.add_argument("--catalogue", help="tệp danh mục JSON thay cho danh mục có sẵn")
    sp.add_argument("--serves", help="cơ quan quầy tiếp nhận hộ (quầy phi địa giới): MÃ=Tên,MÃ=Tên "
                                     "(chỉ MÃ khi tên đã có trong dữ liệu đơn vị hành chính đi kèm)")

    catalogue = cli.group("catalogue", "danh mục thủ tục")
    ci = catalogue.add("import", cmd_catalogue_import, "nhập danh mục từ tệp JSON")
    ci.add_argument("file")
    ci.add_argument("--replace", action="store_true",
                    help="thủ tục không có trong tệp: ngừng áp dụng (nếu đã có hồ sơ) hoặc xóa")
    ci.add_argument("--yes", action="store_true",
                    help="xác nhận ngừng áp dụng/xóa các thủ tục không có trong tệp (cùng --replace)")
    catalogue.add("list", cmd_catalogue_list, "liệt kê thủ tục").add_argument(
        "--all", action="store_true", help="gồm cả thủ tục đã ngừng áp dụng")
    catalogue.add("export", cmd_catalogue_export, "xuất danh mục ra JSON").add_argument("--out")
    cl = catalogue.add("level", cmd_catalogue_level,
                       "ghi quyết định nâng/hạ mức độ dịch vụ công trực tuyến của thủ tục từ một ngày")
    cl.add_argument("code")
    cl.add_argument("level", choices=["full", "partial", "paper"], help="toàn trình, một phần, chỉ trực tiếp")
    cl.add_argument("--from", dest="date_from", required=True, help="ngày có hiệu lực, YYYY-MM-DD")
    cl.add_argument("--decision", help="số, ký hiệu quyết định (QĐ 123/QĐ-UBND)")

    free = cli.group("location-free", "danh mục thủ tục không phụ thuộc địa giới hành chính của tỉnh")
    free.add("import", cmd_location_free, "thay danh mục từ tệp JSON {\"entries\": [...]}").add_argument("file")
    free.add("list", cmd_location_free, "liệt kê danh mục (kèm quyết định công bố, bãi bỏ)")

    agency = cli.group("agency", "cơ quan mà quầy tiếp nhận hồ sơ hộ (quầy liên thông)")
    aa = agency.add("add", cmd_agency, "thêm cơ quan được tiếp nhận hộ")
    aa.add_argument("--code", required=True)
    aa.add_argument("--name", required=True)
    aa.add_argument("--province")
    agency.add("list", cmd_agency, "liệt kê cơ quan (kèm tên cũ)")
    al = agency.add("alias", cmd_agency, "ghi tên, mã cũ của một cơ quan (trước sáp nhập, đổi tên)")
    al.add_argument("code", help="mã hiện nay của cơ quan")
    al.add_argument("--former-name", required=True, help="tên cũ, như trên giấy tờ cũ")
    al.add_argument("--former-code", help="mã cũ")
    al.add_argument("--until", required=True, help="ngày cuối cùng tên cũ còn hiệu lực, YYYY-MM-DD (vd. 2025-06-30)")
    al.add_argument("--source", help="văn bản căn cứ (số nghị quyết, quyết định)")
    agency.add("find", cmd_agency, "tìm cơ quan theo mã, tên hoặc tên cũ (không cần dấu)").add_argument("text")

    settings = cli.group("settings", "cài đặt của quầy (biểu mẫu, giờ chốt, …)")
    settings.add("show", cmd_settings, "xem cài đặt")
    ss = settings.add("set", cmd_settings, "đổi một cài đặt")
    ss.add_argument("key")
    ss.add_argument("value")

    calendar = cli.group("calendar", "ngày nghỉ, ngày làm bù, buổi sáng thứ Bảy")
    calendar.add("import", cmd_calendar_import, "thay danh sách điều chỉnh từ tệp JSON/CSV").add_argument("file")
    calendar.add("list", cmd_calendar_list, "liệt kê ngày điều chỉnh")
    calendar.add("swaps", cmd_calendar_swaps, "ngày đổi nghỉ / làm bù do Chính phủ công bố (kèm văn bản nguồn)")
