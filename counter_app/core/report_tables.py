"""The report as tables with Vietnamese headers: what the Báo cáo screen shows, what the XLSX has
(one sheet per table) and what the PDF prints, from one definition so the three never differ.

Cells keep their raw values (counts as ints, shares as fractions, days as floats); each column
says how to show them (``ReportColumn.kind``), and each face formats by kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counter_app.core.lifecycle import LABELS_VI, Status
from counter_app.core.model import Channel, OnlineLevel
from counter_app.core.online_levels import LEVEL_LABELS_VI
from counter_app.core.report import BAND_LABELS_VI, BANDS

# The heading of every face of the report: the CLI's text, the Báo cáo screen, the XLSX and the PDF.
TITLE = "BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
CHANNEL_LABELS_VI = {Channel.COUNTER.value: "Trực tiếp tại quầy", Channel.POST.value: "Qua bưu chính",
                     Channel.ONLINE.value: "Trực tuyến"}
_LEVELS = {lv.value: LEVEL_LABELS_VI[lv] for lv in OnlineLevel}


@dataclass(frozen=True)
class ReportColumn:
    title: str
    kind: str = "text"  # text | int | share | days | yesno


@dataclass(frozen=True)
class ReportTable:
    key: str  # the sheet's name (≤ 31 characters, Excel's limit)
    title: str
    columns: tuple[ReportColumn, ...]
    rows: tuple[tuple[Any, ...], ...]


def format_cell(value: Any, kind: str) -> str:
    """How the screen and the PDF show a cell: 1.234 (Vietnamese grouping), 45,12 %, 3,5."""
    if value is None:
        return "–"
    if kind == "int":
        return f"{value:,}".replace(",", ".")
    if kind == "share":
        if 0 < value < 0.0001:  # a procedure with a handful of a province's dossiers is not 0 %
            return "< 0,01 %"
        return f"{value * 100:.2f} %".replace(".", ",")
    if kind == "days":
        return f"{value:g}".replace(".", ",")
    if kind == "yesno":
        return "Có" if value else "Không"
    return str(value)


def _pairs(key: str, title: str, rows: list[tuple[str, Any, str]]) -> ReportTable:
    """A two-column table of labelled figures, each with its own kind (kept in a hidden third cell)."""
    return ReportTable(key, title, (ReportColumn("Chỉ tiêu"), ReportColumn("Số liệu", "mixed")),
                       tuple((label, (value, kind)) for label, value, kind in rows))


def summary(r: dict[str, Any]) -> ReportTable:
    rows: list[tuple[str, Any, str]] = [("Tổng số hồ sơ tiếp nhận", r["total"], "int")]
    rows += [(f"Trạng thái: {LABELS_VI[Status(s)]}", n, "int") for s, n in r["by_status"].items()]
    rows += [(f"Kênh: {CHANNEL_LABELS_VI.get(c, c)}", n, "int") for c, n in r["by_channel"].items()]
    rows += [("Số thủ tục trong danh mục", r["catalogue_size"], "int"),
             ("Số thủ tục có hồ sơ", r["procedures_with_dossiers"], "int")]
    return _pairs("Tổng hợp", "Tổng hợp", rows)


def by_procedure(r: dict[str, Any]) -> ReportTable:
    cols = (ReportColumn("STT", "int"), ReportColumn("Mã TTHC"), ReportColumn("Tên thủ tục"),
            ReportColumn("Số hồ sơ", "int"), ReportColumn("Tỷ lệ", "share"), ReportColumn("Nhóm số lượng"),
            ReportColumn("Mức độ trực tuyến"), ReportColumn("Đã giải quyết", "int"), ReportColumn("Trước hạn", "int"),
            ReportColumn("Đúng hạn", "int"), ReportColumn("Quá hạn", "int"),
            ReportColumn("Thời gian giải quyết TB (ngày làm việc)", "days"))
    rows = tuple((i, p["code"], p["name"], p["count"], p["share"], BAND_LABELS_VI[p["band"]],
                  _LEVELS[p["online_level"]], p["finished"], p["early"], p["on_time"], p["late"],
                  p["average_working_days"]) for i, p in enumerate(r["by_procedure"], 1))
    return ReportTable("Theo thủ tục", "Số hồ sơ theo thủ tục", cols, rows)


def bands(r: dict[str, Any]) -> ReportTable:
    cols = (ReportColumn("Số hồ sơ của thủ tục"), ReportColumn("Số thủ tục", "int"), ReportColumn("Số hồ sơ", "int"))
    rows = tuple((BAND_LABELS_VI[k], r["volume_bands"][k], r["volume_band_dossiers"][k]) for k, _, _ in BANDS)
    return ReportTable("Nhóm số lượng", "Thủ tục theo nhóm số lượng hồ sơ", cols, rows)


def levels(r: dict[str, Any]) -> ReportTable:
    cols = (ReportColumn("Mức độ cung cấp dịch vụ trực tuyến"), ReportColumn("Số thủ tục có hồ sơ", "int"),
            ReportColumn("Số hồ sơ", "int"))
    rows = tuple((_LEVELS[k], v["procedures"], v["dossiers"]) for k, v in r["online_levels"].items())
    return ReportTable("Mức độ trực tuyến", "Thủ tục có hồ sơ theo mức độ trực tuyến (mức có hiệu lực cuối kỳ)",
                       cols, rows)


def timeliness(r: dict[str, Any]) -> ReportTable:
    t = r["timeliness"]
    return _pairs("Tiến độ", "Tiến độ giải quyết", [
        ("Đã giải quyết (có kết quả)", t["finished"], "int"),
        ("Trước hạn", t["early"], "int"), ("Đúng hạn", t["on_time"], "int"), ("Quá hạn", t["late"], "int"),
        ("Đã giải quyết, không có ngày hẹn", t["finished_without_due"], "int"),
        ("Đang giải quyết", t["open"], "int"), ("Đang giải quyết, đã quá hạn", t["open_overdue"], "int"),
        ("Tỷ lệ giải quyết trước hạn, đúng hạn", t["on_time_share"], "share"),
        ("Thời gian giải quyết trung bình (ngày làm việc)", t["average_working_days"], "days"),
        ("Hồ sơ xin lỗi, hẹn lại", t["rescheduled_dossiers"], "int"),
        ("Số lần xin lỗi, hẹn lại", t["reschedules"], "int"),
    ])


def satisfaction(r: dict[str, Any]) -> ReportTable:
    s = r["satisfaction"]
    rows = [("Số lượt đánh giá", s["rated"], "int")]
    rows += [(f"Mức {k}", n, "int") for k, n in s["by_rating"].items()]
    rows += [(f"Không hài lòng (mức ≤ {s['dissatisfied_at_most']})", s["dissatisfied"], "int"),
             ("Hồ sơ đã giải quyết", s["finished"], "int"),
             ("Quá hạn hoặc không hài lòng", s["late_or_dissatisfied"], "int"),
             ("Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC (QĐ 766)", s["ratio"], "share")]
    return _pairs("Hài lòng", "Mức độ hài lòng", rows)


def certification(r: dict[str, Any]) -> ReportTable:
    c = r["certification"]
    return _pairs("Chứng thực", "Chứng thực bản sao từ bản chính", [
        ("Số yêu cầu chứng thực", c["requests"], "int"), ("Số bản chính được chứng thực", c["documents"], "int"),
        ("Số bản sao", c["copies"], "int"), ("Số trang", c["pages"], "int"),
        ("Lệ phí (đồng)", c["fees_vnd"], "int")])


def by_agency(r: dict[str, Any]) -> ReportTable:
    cols = (ReportColumn("Mã cơ quan"), ReportColumn("Cơ quan có thẩm quyền"), ReportColumn("Số hồ sơ", "int"),
            ReportColumn("Số thủ tục có hồ sơ", "int"), ReportColumn("Đã giải quyết", "int"),
            ReportColumn("Trước hạn", "int"), ReportColumn("Đúng hạn", "int"), ReportColumn("Quá hạn", "int"),
            ReportColumn("Đang giải quyết quá hạn", "int"), ReportColumn("Tỷ lệ đúng hạn", "share"),
            ReportColumn("Tỷ lệ hài lòng", "share"))
    rows = tuple((a["agency"], a["name"], a["total"], a["procedures_with_dossiers"], a["finished"], a["early"],
                  a["on_time"], a["late"], a["open_overdue"], a["on_time_share"], a["satisfaction_ratio"])
                 for a in r["by_agency"])
    return ReportTable("Theo cơ quan", "Theo cơ quan có thẩm quyền", cols, rows)


def planning(r: dict[str, Any]) -> ReportTable:
    cols = (ReportColumn("Mã TTHC"), ReportColumn("Tên thủ tục"), ReportColumn("Số hồ sơ", "int"),
            ReportColumn("Mức độ trực tuyến"), ReportColumn("Phi địa giới", "yesno"),
            ReportColumn("Qua bưu chính", "yesno"), ReportColumn("Tỷ lệ qua bưu chính", "share"),
            ReportColumn("Tỷ lệ nhận tại nơi khác", "share"), ReportColumn("Trung vị thời gian (ngày làm việc)", "days"))
    rows = tuple((p["code"], p["name"], p["count"], _LEVELS[p["online_level"]], p["location_independent"],
                  p["postal_allowed"], p["postal_share"], p["other_counter_share"], p["median_working_days"])
                 for p in r["planning"])
    return ReportTable("Kế hoạch cải cách", "Bảng phục vụ kế hoạch cải cách", cols, rows)


def report_tables(r: dict[str, Any]) -> list[ReportTable]:
    return [summary(r), by_procedure(r), bands(r), levels(r), timeliness(r), satisfaction(r), certification(r),
            by_agency(r), planning(r)]


def cell_kind(column: ReportColumn, value: Any) -> tuple[Any, str]:
    """The raw value and the kind to show it with (a ``mixed`` cell carries its own)."""
    if column.kind == "mixed":
        return value
    return value, column.kind
