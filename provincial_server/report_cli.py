"""``provincial-server report`` and ``planning``: the province's report as Vietnamese tables, JSON
(the counter's keys) or a file (XLSX/PDF through the counter's exporter)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from counter_app.core.model import OnlineLevel
from counter_app.core.report_tables import TITLE, ReportTable, cell_kind, format_cell, report_tables
from counter_app.core.report_tables import planning as planning_table
from provincial_server.reports import ReportError, period, province_report
from provincial_server.service import ServerError

PLANNING_TITLE = "BẢNG PHỤC VỤ KẾ HOẠCH CẢI CÁCH THỦ TỤC HÀNH CHÍNH"
LEVEL_ORDER = {OnlineLevel.FULL.value: 0, OnlineLevel.PARTIAL.value: 1, OnlineLevel.PAPER.value: 2}
# Sort keys of the planning table: the figure, and whether the largest comes first.
PLANNING_SORTS = {
    "count": ("count", True), "online_level": ("online_level", False), "other_counter_share":
    ("other_counter_share", True), "median_working_days": ("median_working_days", True),
    "postal_share": ("postal_share", True), "location_independent": ("location_independent", True),
    "postal_allowed": ("postal_allowed", True), "code": ("code", False), "name": ("name", False),
}


def table_text(table: ReportTable) -> str:
    """One of the report's tables (core.report_tables: the same as the XLSX sheets and the PDF) as
    plain text, every row; figures aligned right."""
    rows = [[format_cell(*cell_kind(c, v)) for c, v in zip(table.columns, r)] for r in table.rows]
    heads = [c.title for c in table.columns]
    widths = [min(60, max([len(h)] + [len(r[i]) for r in rows])) for i, h in enumerate(heads)]
    numeric = [c.kind != "text" for c in table.columns]

    def line(cells: list[str]) -> str:
        cut = [c if len(c) <= w else c[:w - 1] + "…" for c, w in zip(cells, widths)]
        return "  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cut, widths, numeric)).rstrip()

    return "\n".join([table.title.upper(), line(heads), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def _day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def _scope(report: dict[str, Any]) -> str:
    agency = report["agency"]
    if not agency:
        return "Toàn tỉnh (mọi cơ quan)"
    name = next((a["name"] for a in report["by_agency"] if a["agency"] == agency), agency)
    return f"{name} ({agency})"


def report_text(report: dict[str, Any], calendar_note: str) -> str:
    p = report["period"]
    parts = [TITLE, f"{_scope(report)}; hồ sơ tiếp nhận từ {_day(p['from'])} đến {_day(p['to'])}; số liệu tính đến "
             f"{p['as_of'][11:16]} {_day(p['as_of'])}", f"Lịch làm việc: {calendar_note}", ""]
    for table in report_tables(report):
        if table.key != "Kế hoạch cải cách":  # its own command: provincial-server planning
            parts += [table_text(table), ""]
    return "\n".join(parts).rstrip()


def sort_planning(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Sorted by ``key`` (largest first for figures; a missing figure last), then by code."""
    field, largest_first = PLANNING_SORTS[key]

    def rank(r: dict[str, Any]):
        v = r[field]
        if field == "online_level":
            v = LEVEL_ORDER.get(v, 9)
        if v is None:
            return (1, 0)
        if isinstance(v, str):
            return (0, v)
        return (0, -v if largest_first else v)

    return sorted(sorted(rows, key=lambda r: r["code"]), key=rank)


def planning_text(report: dict[str, Any], rows: list[dict[str, Any]], key: str) -> str:
    p = report["period"]
    return "\n".join([PLANNING_TITLE, f"{_scope(report)}; hồ sơ tiếp nhận từ {_day(p['from'])} đến {_day(p['to'])}; "
                      f"sắp xếp theo {key}", "", table_text(planning_table({**report, "planning": rows}))])


def _export(report: dict[str, Any], out: str, title: str, suffixes: tuple[str, ...]) -> Path:
    path = Path(out)
    if path.suffix.lower() not in suffixes:
        raise ServerError(f"Tệp xuất phải có đuôi {' hoặc '.join(suffixes)} (nhận được «{path.name}»).", 2)
    from counter_app.core.errors import ValidationError
    from counter_app.printing.report_export import write_report  # ReportLab and openpyxl: only when asked

    try:
        return write_report(report, path, title=title, scope=_scope(report))
    except ValidationError as exc:
        raise ServerError(exc.message, 2, exc.detail or "") from None
    except OSError as exc:
        raise ServerError(f"Không ghi được tệp {path}.", 2, str(exc)) from None


def _build(args, db) -> tuple[dict[str, Any], str]:
    try:
        start, end = period(args.start, args.end)
        with db.read() as s:
            return province_report(s, start, end, agency=getattr(args, "agency", None) or None,
                                   worst=args.dissatisfied_at_most)
    except ReportError as exc:
        raise ServerError(str(exc), 2) from None


def cmd_report(args, db) -> int:
    report, note = _build(args, db)
    if args.out:
        path = _export(report, args.out, TITLE, (".xlsx", ".pdf"))
        print(f"Đã ghi báo cáo vào {path}")
    elif args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(report_text(report, note))
    return 0


def cmd_planning(args, db) -> int:
    report, _ = _build(args, db)
    rows = sort_planning(report["planning"], args.sort)
    if args.out:
        path = _export({**report, "planning": rows}, args.out, PLANNING_TITLE, (".xlsx",))
        print(f"Đã ghi bảng vào {path}")
    elif args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(planning_text(report, rows, args.sort))
    return 0


def add_parsers(sub) -> None:
    for name, func, text in (("report", cmd_report, "báo cáo tình hình giải quyết hồ sơ toàn tỉnh"),
                             ("planning", cmd_planning, "bảng phục vụ kế hoạch cải cách (theo thủ tục)")):
        r = sub.add_parser(name, help=text)
        r.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD (ngày tiếp nhận, tính cả ngày này)")
        r.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD (tính cả ngày này)")
        r.add_argument("--agency", help="chỉ một cơ quan giải quyết (mã)")
        r.add_argument("--dissatisfied-at-most", type=int, help="mức đánh giá tính là không hài lòng "
                       "(mặc định: thiết lập report_dissatisfied_at_most tỉnh đã phát hành, nếu chưa có: 2)")
        r.add_argument("--json", action="store_true")
        r.add_argument("--out", help="tệp .xlsx" + (" hoặc .pdf" if name == "report" else ""))
        if name == "planning":
            r.add_argument("--sort", default="count", choices=sorted(PLANNING_SORTS))
        r.set_defaults(func=func)
