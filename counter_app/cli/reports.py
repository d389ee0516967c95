"""``counter-app report``: the statistics the province plans from, on screen, as JSON, XLSX or PDF."""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.common import check_suffix, emit, open_app, parse_day
from counter_app.core.report_tables import TITLE, ReportTable, cell_kind, format_cell, report_tables

TEXT_ROWS = 15  # the long tables on a terminal; the files and --json have every row


def table_text(table: ReportTable, limit: int | None = None) -> str:
    rows = [[format_cell(*cell_kind(c, v)) for c, v in zip(table.columns, r)] for r in table.rows]
    shown = rows if limit is None else rows[:limit]
    heads = [c.title for c in table.columns]
    widths = [min(48, max([len(h)] + [len(r[i]) for r in shown])) for i, h in enumerate(heads)]
    numeric = [c.kind not in ("text",) for c in table.columns]

    def line(cells):
        return "  ".join((cell[:w].rjust(w) if num else cell[:w].ljust(w))
                         for cell, w, num in zip(cells, widths, numeric)).rstrip()

    out = [table.title.upper(), line(heads), "  ".join("-" * w for w in widths)] + [line(r) for r in shown]
    if len(rows) > len(shown):
        out.append(f"… và {len(rows) - len(shown)} dòng nữa (xem đủ bằng --out TỆP.xlsx hoặc --json)")
    return "\n".join(out)


def report_text(report: dict, scope: str) -> str:
    p = report["period"]
    parts = [TITLE, f"{scope}; hồ sơ tiếp nhận từ {p['from']} đến {p['to']}", ""]
    for table in report_tables(report):
        if table.key == "Theo cơ quan" and len(table.rows) < 2:
            continue
        parts += [table_text(table, TEXT_ROWS if len(table.rows) > TEXT_ROWS else None), ""]
    return "\n".join(parts).rstrip()


def cmd_report(args) -> int:
    from counter_app.printing.report_export import write_report

    first, last = parse_day(args.date_from), parse_day(args.date_to)
    out = Path(args.out) if args.out else None
    if out is not None:
        check_suffix(out, (".xlsx", ".pdf"), "Báo cáo")
    reports = open_app(args).reports
    report = reports.build(first, last, args.agency)
    scope = reports.scope_label(args.agency)
    if out is not None:
        write_report(report, out, title=TITLE, scope=scope)
        if not args.json:
            print(f"Đã xuất báo cáo ({report['total']} hồ sơ, {report['procedures_with_dossiers']} thủ tục) ra {out}.")
            return 0
    emit(args, report, report_text(report, scope))
    return 0


def register(cli) -> None:
    sp = cli.add("report", cmd_report, "báo cáo thống kê hồ sơ theo kỳ (màn hình, JSON, XLSX, PDF)")
    sp.add_argument("--from", dest="date_from", required=True, help="ngày đầu kỳ, YYYY-MM-DD (hồ sơ tiếp nhận từ ngày này)")
    sp.add_argument("--to", dest="date_to", required=True, help="ngày cuối kỳ, YYYY-MM-DD (tính cả ngày này)")
    sp.add_argument("--agency", help="chỉ hồ sơ của cơ quan này (mã); mặc định: mọi cơ quan quầy tiếp nhận cho")
    sp.add_argument("--out", help="tệp .xlsx (mỗi bảng một trang tính) hoặc .pdf")
