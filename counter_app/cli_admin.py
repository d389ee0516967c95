"""Administrative commands of the command line: set-up, catalogue, calendar, settings, printing,
the tracking register, checks and backups. Registered by ``counter_app.cli.build_parser``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from counter_app import paths
from counter_app.cli import EXIT_ERROR, _open, _parse_day, emit
from counter_app.core.errors import ValidationError


def cmd_init(args) -> int:
    from counter_app.app import CounterApp
    from counter_app.core.settings import settings_to_values

    app = CounterApp.initialise(paths.data_dir(args.data_dir), agency_code=args.agency_code,
                                agency_name=args.agency_name, province=args.province or "", desk=args.desk,
                                catalogue_file=Path(args.catalogue) if args.catalogue else None)
    count = len(app.catalogue.procedures())
    data = {"data_dir": str(app.data_dir), "agency_code": app.ctx.settings.agency.code,
            "agency_name": app.ctx.settings.agency.name, "desk": app.ctx.settings.desk,
            "procedures": count, "settings": settings_to_values(app.ctx.settings)}
    emit(args, data, f"Đã khởi tạo quầy {app.ctx.settings.desk} của {app.ctx.settings.agency.name} "
                     f"({app.ctx.settings.agency.code}) tại {app.data_dir}; danh mục có {count} thủ tục.")
    return 0


def cmd_catalogue(args) -> int:
    from counter_app.app import load_json
    from counter_app.core.catalogue import export_catalogue, parse_catalogue, procedure_to_dict

    app = _open(args)
    if args.catalogue_command == "import":
        report = app.catalogue.import_procedures(parse_catalogue(load_json(Path(args.file))), replace=args.replace)
        r = report.as_dict()
        emit(args, r, f"Đã nhập danh mục: thêm {r['added']}, cập nhật {r['updated']}, giữ nguyên "
                      f"{r['unchanged']}, ngừng áp dụng {r['closed']}, xóa {r['deleted']}.")
    elif args.catalogue_command == "export":
        doc = export_catalogue(app.catalogue.procedures())
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        if args.out:
            Path(args.out).write_text(text + "\n", encoding="utf-8")
            print(f"Đã xuất {len(doc['procedures'])} thủ tục ra {args.out}.", file=sys.stderr)
        else:
            print(text)
    else:
        procs = app.catalogue.procedures(include_closed=args.all)
        emit(args, {"procedures": [procedure_to_dict(p) for p in procs]},
             "\n".join(f"{p.code}  {'' if p.active else '[ngừng] '}{p.name}  "
                       f"({'?' if p.working_days is None else p.working_days} ngày làm việc)" for p in procs))
    return 0


def cmd_agency(args) -> int:
    from counter_app.core.admin import make_agency

    app = _open(args)
    if args.agency_command == "add":
        app.setup.add_served_agency(make_agency(args.code, args.name, args.province or "", own=False))
    with app.read_uow() as uow:
        agencies = uow.settings.load_agencies()
    emit(args, {"agencies": [a.__dict__ for a in agencies]},
         "\n".join(f"{a.code}  {a.name}  {'(cơ quan của quầy)' if a.own else '(tiếp nhận hộ)'}" for a in agencies))
    return 0


def cmd_settings(args) -> int:
    from counter_app.core.settings import SETTING_KEYS, apply_setting, settings_to_values

    app = _open(args)
    if args.settings_command == "set":
        app.setup.save_settings(apply_setting(app.ctx.settings, args.key, args.value))
        app.reload()
    values = settings_to_values(app.ctx.settings)
    flat = {**{k: v for k, v in values.items() if k != "forms"},
            **{f"forms.{k}": v for k, v in values["forms"].items()}}
    emit(args, values, "\n".join(f"{k} = {v}" + (f"    # {SETTING_KEYS[k]}" if k in SETTING_KEYS else "")
                                  for k, v in flat.items()))
    return 0


def cmd_calendar(args) -> int:
    from counter_app.core.admin import parse_overrides

    app = _open(args)
    if args.calendar_command == "import":
        path = Path(args.file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError(f"Không đọc được tệp {path}.", str(exc)) from None
        overrides = parse_overrides(text, "csv" if path.suffix.lower() == ".csv" else "json")
        app.calendar_admin.replace_overrides(overrides)
        emit(args, {"overrides": len(overrides)}, f"Đã nhập {len(overrides)} ngày điều chỉnh lịch làm việc.")
        return 0
    overrides = app.calendar_admin.overrides()
    emit(args, {"overrides": [{"day": o.day.isoformat(), "kind": o.kind.value, "agency_code": o.agency_code,
                               "note": o.note} for o in overrides]},
         "\n".join(f"{o.day:%d/%m/%Y}  {o.kind.value}  {o.agency_code or '(mọi cơ quan)'}  {o.note}"
                   for o in overrides) or "Chưa có ngày điều chỉnh nào.")
    return 0


def cmd_print(args) -> int:
    from counter_app.core.prints import FormKind
    from counter_app.printing.forms import render

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise ValidationError("Tệp in phải có đuôi .pdf.", "expected a .pdf output")
    pdf, job = _open(args).prints.produce(args.code, FormKind(args.form), args.officer, render,
                                          preview=args.preview)
    out.write_bytes(pdf)
    labels = {"original": "bản in", "reprint": "bản in lại", "preview": "bản xem trước (không ghi sổ)"}
    emit(args, {"code": job.dossier.code, "form": job.form.value, "mark": job.mark.value,
                "print_number": job.print_number, "form_set": job.settings.forms.form_set, "out": str(out),
                "bytes": len(pdf)},
         f"Đã in {job.form.value} cho hồ sơ {job.dossier.code} ({labels[job.mark.value]}) ra {out}.")
    return 0


def cmd_register(args) -> int:
    from counter_app.printing.register import render_register_pdf, write_register_xlsx

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise ValidationError("Sổ theo dõi xuất ra tệp .pdf hoặc .xlsx.", "expected .pdf or .xlsx")
    first, last = _parse_day(args.date_from), _parse_day(args.date_to)
    register = _open(args).tracking_register
    lines = register.lines(first, last)
    if suffix == ".pdf":
        out.write_bytes(render_register_pdf(lines, register.settings, first, last))
    else:
        write_register_xlsx(lines, register.settings, first, last, out)
    emit(args, {"rows": len(lines), "out": str(out)}, f"Đã xuất Sổ theo dõi hồ sơ ({len(lines)} dòng) ra {out}.")
    return 0


def cmd_check(args) -> int:
    from counter_app.storage.maintenance import check_database

    report = check_database(paths.data_dir(args.data_dir), paths.migrations_dir())
    emit(args, report.as_dict(), report.text())
    return 0 if report.ok else EXIT_ERROR


def cmd_backup(args) -> int:
    from counter_app.storage.migrate import backup_database

    data_dir = paths.data_dir(args.data_dir)
    db = paths.database_path(data_dir)
    if not db.exists():
        raise ValidationError(f"Không có cơ sở dữ liệu trong {data_dir}.", "database not found")
    out = Path(args.out)
    if out.exists():
        raise ValidationError(f"Tệp {out} đã tồn tại; chọn tên khác.", "refusing to overwrite")
    backup_database(db, out)
    emit(args, {"backup": str(out), "bytes": out.stat().st_size}, f"Đã sao lưu cơ sở dữ liệu ra {out}.")
    return 0
