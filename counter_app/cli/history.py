"""``import-dossiers``: dossiers of the previous system from a CSV file (core/history_import.py)."""

from __future__ import annotations

import sys

from counter_app.cli.common import EXIT_ROWS_SKIPPED, emit, open_app


def cmd_import_dossiers(args) -> int:
    app = open_app(args)

    def progress(result) -> None:
        if not args.json:
            print(f"… đã đọc {result.rows} dòng, nhập {result.imported} hồ sơ", file=sys.stderr, flush=True)

    result = app.history.import_file(args.file, args.officer, progress=progress)
    lines = [f"Tệp {result.source}: {result.rows} dòng hồ sơ; đã nhập {result.imported}, đã có từ trước "
             f"{result.already_present}, bỏ qua {len(result.problems)} dòng lỗi.", *result.warnings]
    if result.problems:
        lines.append("Các dòng bị bỏ qua (sửa rồi nhập lại tệp; các hồ sơ đã nhập không bị nhập lần nữa):")
        lines.extend(f"  {p.text_vi()}" for p in result.problems)
    emit(args, result.as_dict(), "\n".join(lines))
    return 0 if result.complete else EXIT_ROWS_SKIPPED


def register(cli) -> None:
    sp = cli.add("import-dossiers", cmd_import_dossiers,
                 "nhập hồ sơ từ hệ thống cũ (tệp CSV: code,procedure_code,received_at,due_at,finished_at,"
                 "returned_at,status,channel,applicant_name,id_number)")
    sp.add_argument("file", help="tệp CSV UTF-8 (có hoặc không có BOM)")
