"""One translation function for the window: Vietnamese is the source language, English the second.

Strings are written in Vietnamese in the code and looked up here; a missing English entry falls back
to the Vietnamese text, so an untranslated label is never blank.
"""

from __future__ import annotations

import os

LANGUAGE = os.environ.get("COUNTER_APP_LANG", "vi")

_EN = {
    "Tiếp nhận": "Intake", "Trả kết quả": "Return", "Tra cứu": "Search", "Sổ theo dõi": "Register",
    "Cài đặt": "Settings", "Báo cáo": "Reports", "Cán bộ": "Officer", "Quầy": "Desk", "Đồng bộ": "Sync",
    "Hồ sơ mới (F2)": "New dossier (F2)", "Lưu (Ctrl+S)": "Save (Ctrl+S)", "Từ chối (Mẫu 03)": "Refuse (form 03)",
    "Yêu cầu bổ sung (Mẫu 02)": "Request supplement (form 02)", "Thủ tục": "Procedure",
    "Họ tên": "Full name", "Số định danh": "ID number", "Ngày sinh": "Date of birth", "Giới tính": "Gender",
    "Điện thoại": "Phone", "Thư điện tử": "Email", "Địa chỉ": "Address", "Hẹn trả": "Due",
    "Phí, lệ phí": "Fees", "Giấy tờ": "Documents", "Đăng nhập": "Log in", "Tên đăng nhập": "Username",
    "Mật khẩu": "Password", "Khóa (Ctrl+L)": "Lock (Ctrl+L)", "In": "Print", "Đóng": "Close",
    "Lưu PDF": "Save PDF", "Tìm": "Find", "Mã hồ sơ": "Dossier code", "Trạng thái": "Status",
    "Người nộp": "Applicant", "Nhận lúc": "Received", "Chưa chọn thủ tục": "No procedure chosen",
}


def tr(text: str) -> str:
    return _EN.get(text, text) if LANGUAGE == "en" else text
