"""``provincial-server report`` and ``planning``: the province's report as Vietnamese tables, JSON
(the counter's keys) or a file (XLSX/PDF through the counter's exporter)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from counter_app.core.lifecycle import Status
from counter_app.core.model import OnlineLevel
from counter_app.core.online_levels import LEVEL_LABELS_VI
from counter_app.core.report import BAND_LABELS_VI
from provincial_server.reports import ReportError, period, province_report
from provincial_server.service import ServerError

CHANNELS_VI = {"counter": "Trực tiếp tại quầy", "post": "Qua bưu chính", "online": "Trực tuyến"}
LEVEL_ORDER = {OnlineLevel.FULL.value: 0, OnlineLevel.PARTIAL.value: 1, OnlineLevel.PAPER.value: 2}
# Sort keys of the planning table: the figure, and whether the largest comes first.
PLANNING_SORTS = {
    "count": ("count", True), "online_level": ("online_level", False), "other_counter_share":
    ("other_counter_share", True), "median_working_days": ("median_working_days", True),
    "postal_share": ("postal_share", True), "location_independent": ("location_independent", True),
    "postal_allowed": ("postal_allowed", True), "code": ("code", False), "name": ("name", False),
}


def _level(value: str) -> str:
    return LEVEL_LABELS_VI[OnlineLevel(value)]


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def _num(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def _days(value: float | int | None) -> str:
    return "–" if value is None else f"{value:g}".replace(".", ",")


def _day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def table(headers: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> str:
    """A plain-text table; columns in ``right`` aligned right (figures)."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _scope(report: dict[str, Any]) -> str:
    agency = report["agency"]
    if not agency:
        return "Toàn tỉnh (mọi cơ quan)"
    name = next((a["name"] for a in report["by_agency"] if a["agency"] == agency), agency)
    return f"{name} ({agency})"


def report_text(report: dict[str, Any], calendar_note: str) -> str:
    p = report["period"]
    t, s, c = report["timeliness"], report["satisfaction"], report["certification"]
    out = [f"BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ từ {_day(p['from'])} đến {_day(p['to'])}",
           f"Phạm vi: {_scope(report)} · số liệu tính đến {p['as_of'][11:16]} {_day(p['as_of'])} · lịch: {calendar_note}",
           "", f"Tổng số hồ sơ tiếp nhận: {_num(report['total'])}",
           f"Danh mục: {report['catalogue_size']} thủ tục, {report['procedures_with_dossiers']} thủ tục có hồ sơ", "",
           table(["Trạng thái", "Số hồ sơ"], [[Status(k).label_vi, _num(v)] for k, v in report["by_status"].items()],
                 {1}), "",
           table(["Kênh tiếp nhận", "Số hồ sơ"], [[CHANNELS_VI.get(k, k), _num(v)]
                                                 for k, v in report["by_channel"].items()], {1}), "",
           table(["Mã TTHC", "Tên thủ tục", "Số hồ sơ", "Tỷ lệ", "Mức trực tuyến", "Sớm", "Đúng hạn", "Trễ hạn",
                  "TB ngày làm việc"],
                 [[r["code"], _short(r["name"]), _num(r["count"]), _pct(r["share"]), _level(r["online_level"]),
                   _num(r["early"]), _num(r["on_time"]), _num(r["late"]), _num(r["average_working_days"])]
                  for r in report["by_procedure"]], {2, 3, 5, 6, 7, 8}), "",
           table(["Nhóm theo số hồ sơ", "Số thủ tục", "Số hồ sơ"],
                 [[BAND_LABELS_VI[k], _num(v), _num(report["volume_band_dossiers"][k])]
                  for k, v in report["volume_bands"].items()], {1, 2}), "",
           table(["Mức dịch vụ trực tuyến", "Số thủ tục", "Số hồ sơ"],
                 [[_level(k), _num(v["procedures"]), _num(v["dossiers"])] for k, v in report["online_levels"].items()],
                 {1, 2}), "",
           table(["Tiến độ giải quyết", "Số hồ sơ"], [
               ["Đã giải quyết", _num(t["finished"])], ["  trước hạn", _num(t["early"])],
               ["  đúng hạn", _num(t["on_time"])], ["  quá hạn", _num(t["late"])],
               ["  không có ngày hẹn", _num(t["finished_without_due"])], ["Đang giải quyết", _num(t["open"])],
               ["  đã quá hạn", _num(t["open_overdue"])], ["Tỷ lệ đúng hạn và trước hạn", _pct(t["on_time_share"])],
               ["Thời gian xử lý trung bình (ngày làm việc)", _num(t["average_working_days"])],
               ["Hồ sơ hẹn lại có xin lỗi", _num(t["rescheduled_dossiers"])], ["Số lần hẹn lại", _num(t["reschedules"])],
           ], {1}), "",
           table(["Mức độ hài lòng (QĐ 766/QĐ-TTg)", "Giá trị"], [
               ["Số lượt đánh giá", _num(s["rated"])],
               *[[f"  mức {k}", _num(v)] for k, v in s["by_rating"].items()],
               [f"Không hài lòng (mức ≤ {s['dissatisfied_at_most']})", _num(s["dissatisfied"])],
               ["Hồ sơ đã giải quyết", _num(s["finished"])],
               ["  trong đó trễ hạn hoặc không hài lòng", _num(s["late_or_dissatisfied"])],
               ["Tỷ lệ hài lòng", _pct(s["ratio"])],
           ], {1}), "",
           table(["Chứng thực", "Giá trị"], [
               ["Yêu cầu", _num(c["requests"])], ["Giấy tờ được chứng thực", _num(c["documents"])],
               ["Bản sao", _num(c["copies"])], ["Số trang", _num(c["pages"])], ["Lệ phí (đồng)", _num(c["fees_vnd"])],
           ], {1}), "",
           table(["Mã cơ quan", "Tên cơ quan", "Số hồ sơ", "Thủ tục", "Đã giải quyết", "Trễ hạn", "Quá hạn đang xử lý",
                  "Tỷ lệ đúng hạn", "Tỷ lệ hài lòng"],
                 [[a["agency"], _short(a["name"], 40), _num(a["total"]), _num(a["procedures_with_dossiers"]),
                   _num(a["finished"]), _num(a["late"]), _num(a["open_overdue"]), _pct(a["on_time_share"]),
                   _pct(a["satisfaction_ratio"])] for a in report["by_agency"]], {2, 3, 4, 5, 6, 7, 8})]
    return "\n".join(out)


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
    head = [f"BẢNG PHỤC VỤ KẾ HOẠCH CẢI CÁCH THỦ TỤC HÀNH CHÍNH từ {_day(p['from'])} đến {_day(p['to'])}",
            f"Phạm vi: {_scope(report)} · sắp xếp theo: {key}", ""]
    body = table(["Mã TTHC", "Tên thủ tục", "Số hồ sơ", "Mức trực tuyến", "Phi địa giới", "Cho phép BC", "Tỷ lệ BC",
                  "Nhận tại nơi khác", "Trung vị ngày XL"],
                 [[r["code"], _short(r["name"], 50), _num(r["count"]), _level(r["online_level"]),
                   "có" if r["location_independent"] else "không", "có" if r["postal_allowed"] else "không",
                   _pct(r["postal_share"]), _pct(r["other_counter_share"]), _days(r["median_working_days"])]
                  for r in rows], {2, 6, 7, 8})
    return "\n".join(head) + body


def _export(report: dict[str, Any], out: str, title: str, suffixes: tuple[str, ...]) -> Path:
    path = Path(out)
    if path.suffix.lower() not in suffixes:
        raise ServerError(f"Tệp xuất phải có đuôi {' hoặc '.join(suffixes)} (nhận được «{path.name}»).", 2)
    try:
        from counter_app.printing.report_export import write_report
    except ImportError:
        raise ServerError("Chưa xuất được tệp XLSX/PDF trong bản này: mô-đun xuất báo cáo của ứng dụng quầy "
                          "(counter_app/printing/report_export.py) chưa có. Dùng --json hoặc bảng văn bản.", 2,
                          "report_export not yet available") from None
    return write_report(report, path, title=title, scope=_scope(report))


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
        path = _export(report, args.out, "Báo cáo tình hình tiếp nhận, giải quyết hồ sơ", (".xlsx", ".pdf"))
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
        path = _export({**report, "planning": rows}, args.out, "Bảng phục vụ kế hoạch cải cách thủ tục hành chính",
                       (".xlsx",))
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
                       "(mặc định: thiết lập report.dissatisfied_at_most của máy chủ, nếu không có: 2)")
        r.add_argument("--json", action="store_true")
        r.add_argument("--out", help="tệp .xlsx" + (" hoặc .pdf" if name == "report" else ""))
        if name == "planning":
            r.add_argument("--sort", default="count", choices=sorted(PLANNING_SORTS))
        r.set_defaults(func=func)
