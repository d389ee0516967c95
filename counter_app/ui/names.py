"""What the window calls things: Vietnamese names for the stored codes the officer would otherwise
read (form kinds, setting values, the details of a dossier's history) and its window titles.

Stored values stay codes; only what is shown is translated here."""

from __future__ import annotations

import errno
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from counter_app.core.formats import fmt_datetime
from counter_app.core.lifecycle import PRINTED, PROVINCE_STATUS, Status
from counter_app.core.prints import form_title_vi
from counter_app.core.setting_defs import SettingDef
from counter_app.ui.translations import DISPLAY_NAME


def form_title(core, form) -> str:
    """The form's name in the form set this counter prints."""
    return form_title_vi(form, core.ctx.settings.forms.form_set)


def preview_title(core, form, code: str) -> str:
    return f"{form_title(core, form)} – {code}"


def main_title(agency_name: str) -> str:
    """The main window's title. Linux and Windows desktops add " — Phần mềm Một cửa" (the
    application's display name) after every window's title, so it is not repeated here."""
    return agency_name or DISPLAY_NAME


def setting_tip(defn: SettingDef) -> str:
    """The tooltip of a setting on the settings screen. The help is written for the command line,
    which types stored values; the screen shows a choice's Vietnamese labels instead."""
    if defn.kind == "choice" and defn.choices:
        return f"{defn.label}: " + " hoặc ".join(label for _, label in defn.choices)
    if defn.kind in ("bool", "time"):  # a check box, a time field: no "(true/false)", no "HH:MM"
        return defn.help.replace(" (true/false)", "").replace(", HH:MM", "")
    return defn.help


_OS_ERRORS = {
    errno.ENOENT: "không tìm thấy tệp hoặc thư mục", errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không có quyền truy cập", errno.ENOSPC: "ổ đĩa đã đầy", errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.EISDIR: "đây là một thư mục, không phải tệp", errno.EADDRINUSE: "cổng đang được phần mềm khác dùng",
    errno.ECONNREFUSED: "máy kia không nhận kết nối", errno.ETIMEDOUT: "quá thời gian chờ",
}


def os_error_vi(exc: OSError) -> str:
    """What went wrong with a file, a folder or a port, in Vietnamese (Python's text is English)."""
    reason = _OS_ERRORS.get(exc.errno, f"lỗi hệ thống (mã {exc.errno})" if exc.errno else "lỗi hệ thống")
    return reason + (f": {exc.filename}" if exc.filename else "")


def status_label(value: str | None) -> str:
    try:
        return Status(value).label_vi
    except ValueError:
        return value or ""


def event_detail(kind: str, payload: Mapping[str, Any], status_after: str | None = None,
                 form_set: str = "2025") -> str:
    """The "Chi tiết" column of a dossier's history, in Vietnamese."""
    parts: list[str] = []
    if kind == PRINTED and payload.get("form"):
        parts.append(form_title_vi(payload["form"], payload.get("form_set") or form_set))
        if payload.get("reprint"):
            parts.append(f"bản in lại lần {max(int(payload.get('print_number') or 2) - 1, 1)}")
    if payload.get("to_agency"):
        parts.append(f"chuyển đến: {payload['to_agency']}")
    if kind == PROVINCE_STATUS and status_after:
        parts.append(f"trạng thái: {status_label(status_after)}")
    if payload.get("new_due_at"):
        try:
            parts.append(f"hẹn mới: {fmt_datetime(datetime.fromisoformat(payload['new_due_at']))}")
        except (TypeError, ValueError):
            pass
    if payload.get("off_return_point"):
        parts.append(f"không phải nơi trả đã chọn ({payload['off_return_point']})")
    for key in ("reason", "note", "receiver_name"):
        if payload.get(key):
            parts.append(("người nhận: " if key == "receiver_name" else "") + str(payload[key]))
    if payload.get("routed_from"):
        parts.append(f"tại quầy {payload['routed_from']}")
    return "; ".join(parts)
