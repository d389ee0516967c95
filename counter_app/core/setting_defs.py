"""Every counter setting declared once: key, kind, validation, Vietnamese label, the Vietnamese
labels of its values, and who may change it.

The command line (``settings show/set``), the settings screen and the sync pull all read
:data:`SETTINGS`, so a new setting is one field on the dataclass in ``core.settings`` (which
holds its default) and one row here. Defaults are read from those dataclasses rather than
repeated, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, is_dataclass, replace
from datetime import time
from enum import Enum
from typing import Any

from counter_app.core.errors import ValidationError
from counter_app.core.text import clean, fold


class Who(str, Enum):
    """Who may change a setting."""

    ADMIN = "admin"  # an administrator at this counter
    PROVINCE = "province"  # the provincial server through the sync pull (an administrator may too)
    OFFICER = "officer"  # any officer signed in at this counter


# Who a change comes from → the kinds of setting it may change.
_MAY_CHANGE = {
    Who.ADMIN: {Who.ADMIN, Who.PROVINCE, Who.OFFICER},
    Who.PROVINCE: {Who.PROVINCE},
    Who.OFFICER: {Who.OFFICER},
}

MAX_MM = 400  # larger than any sheet the office prints on: a typo, not a layout


@dataclass(frozen=True)
class SettingDef:
    key: str  # what the command line and the sync pull call it
    kind: str  # text | template | url | list | choice | int | mm | bool | time | pubkey
    label: str  # short Vietnamese label (the settings screen)
    help: str  # one Vietnamese line for ``settings show``
    who: Who = Who.ADMIN
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, Vietnamese label)
    minimum: int = 0
    attr: str = ""  # where it lives in CounterSettings when that differs from the key

    @property
    def path(self) -> tuple[str, ...]:
        return tuple((self.attr or self.key).split("."))

    def get(self, settings) -> Any:
        value = settings
        for name in self.path:
            value = getattr(value, name)
        return value

    def default(self) -> Any:
        from counter_app.core.model import Agency
        from counter_app.core.settings import CounterSettings

        return self.get(CounterSettings(agency=Agency("", "")))

    def choice_label(self, value: str) -> str:
        return dict(self.choices).get(value, value)

    def text(self, value: Any) -> str:
        """The value as typed on the command line (and accepted back by :meth:`parse`)."""
        if isinstance(value, tuple):
            return " | ".join(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, time):
            return value.strftime("%H:%M")
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def parse(self, text: str) -> Any:
        """The typed text → the stored value; a Vietnamese error naming the setting otherwise."""
        value = text.strip() if self.kind == "template" else clean(text)
        if self.kind in ("text", "template"):
            return value
        if self.kind == "list":
            return tuple(clean(x) for x in value.split("|") if clean(x))
        if self.kind == "pubkey":  # an X25519 public key in base64; empty: none
            if value:
                from counter_app.core.escrow import public_key_bytes

                public_key_bytes(value)
            return value
        if self.kind == "url":
            if value and not value.startswith(("http://", "https://")):
                raise ValidationError(f"{self.label} phải bắt đầu bằng http:// hoặc https://.", "bad URL")
            return value.rstrip("/")
        if self.kind == "choice":
            return self._choice(value)
        if self.kind == "int":
            if not value.isascii() or not value.isdigit() or int(value) < self.minimum or len(value) > 9:
                raise ValidationError(f"«{self.key}» phải là số nguyên ≥ {self.minimum}.", "not an integer")
            return int(value)
        if self.kind == "mm":
            try:
                number = float(value.replace(",", "."))
            except ValueError:
                number = -1.0
            if not 0 <= number <= MAX_MM:
                raise ValidationError(f"«{self.key}» phải là số milimét từ 0 đến {MAX_MM}.", "bad millimetres")
            return number
        if self.kind == "bool":
            if value.lower() not in ("true", "false"):
                raise ValidationError("Giá trị phải là true hoặc false.", "not a boolean")
            return value.lower() == "true"
        try:
            return time.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"{self.label} phải có dạng HH:MM.", "bad time") from None

    def _choice(self, value: str) -> str:
        for stored, label in self.choices:
            if value == stored or fold(value) == fold(label):  # the Vietnamese label is accepted too
                return stored
        names = ", ".join(f"{v} ({label})" for v, label in self.choices)
        raise ValidationError(f"{self.label} phải là một trong: {names}.", f"bad {self.key}")


def _mm(key: str, label: str) -> SettingDef:
    return SettingDef(key, "mm", label, f"{label[0].lower()}{label[1:]} (mm)")


SETTINGS: tuple[SettingDef, ...] = (
    SettingDef("forms.header_lines", "list", "Dòng tên cơ quan (ngăn bằng |)",
               "các dòng tên cơ quan phía trên, ngăn cách bằng |"),
    SettingDef("forms.unit_name", "text", "Tên bộ phận", "dòng in đậm của cột trái (tên bộ phận/trung tâm)"),
    SettingDef("forms.place_name", "text", "Địa danh", "địa danh trong dòng «…, ngày … tháng … năm …»"),
    SettingDef("forms.result_place", "text", "Nơi trả kết quả", "nơi nhận kết quả in trên giấy hẹn"),
    SettingDef("forms.contact", "text", "Liên hệ (Mẫu 02)", "người và số điện thoại liên hệ in trên phiếu bổ sung"),
    SettingDef("forms.head_title", "text", "Người ký văn bản", "chức danh người ký văn bản xin lỗi, thông báo dừng"),
    SettingDef("forms.head_for", "text", "Thay mặt (TM.)",
               "dòng «TM. …» trên chức danh người ký (để trống: người đứng đầu ký trực tiếp)"),
    SettingDef("forms.head_name", "text", "Họ tên người ký văn bản", "họ tên in dưới chữ ký (để trống: ghi tay)"),
    SettingDef("forms.issuer_name", "text", "Cơ quan ban hành văn bản",
               "tên cơ quan ban hành văn bản xin lỗi, thông báo dừng (để trống: tên cơ quan viết đầy đủ)"),
    SettingDef("forms.letter_suffix", "text", "Ký hiệu cơ quan trên văn bản",
               "ký hiệu cơ quan sau số văn bản đi (Số: 12/TB-UBND)"),
    SettingDef("forms.lookup_url", "template", "Địa chỉ tra cứu trong QR",
               "địa chỉ tra cứu mã hóa trong QR, {code} là mã hồ sơ (để trống: chỉ mã hồ sơ)", Who.PROVINCE),
    SettingDef("forms.number_suffix", "text", "Ký hiệu văn bản", "ký hiệu sau số văn bản (Số: …/KÝ HIỆU)"),
    SettingDef("forms.form_set", "choice", "Bộ biểu mẫu",
               "bộ biểu mẫu: 2025 (TT 03/2025/TT-VPCP) hoặc 2018 (TT 01/2018/TT-VPCP)", Who.PROVINCE,
               (("2025", "Thông tư 03/2025/TT-VPCP"), ("2018", "Thông tư 01/2018/TT-VPCP"))),
    SettingDef("forms.receipt_layout", "choice", "Khổ giấy hẹn",
               "a4_pages (mỗi liên một trang A4), a5_pages (hai trang A5) hoặc a4_halves (hai nửa tờ A4 ngang)",
               Who.ADMIN, (("a4_pages", "Hai trang A4"), ("a5_pages", "Hai trang A5"),
                           ("a4_halves", "Hai nửa tờ A4 ngang"))),
    SettingDef("forms.paper", "choice", "Khổ giấy phiếu", "khổ giấy phiếu bổ sung, phiếu kiểm soát: a4 hoặc a5",
               Who.ADMIN, (("a4", "Khổ A4"), ("a5", "Khổ A5"))),
    SettingDef("cutoff", "time", "Giờ chốt", "giờ chốt nhận trong ngày, HH:MM", attr="hours.cutoff"),
    SettingDef("report_dissatisfied_at_most", "choice", "Mức đánh giá tính là không hài lòng",
               "báo cáo QĐ 766: mức đánh giá từ mức này trở xuống tính là không hài lòng (1, 2 hoặc 3)",
               Who.PROVINCE, (("1", "Chỉ mức 1"), ("2", "Mức 1 và 2"), ("3", "Mức 1 đến 3"))),
    SettingDef("max_reschedules", "int", "Số lần hẹn lại tối đa", "số lần hẹn lại tối đa", Who.PROVINCE),
    SettingDef("restart_due_on_supplement", "bool", "Tính lại hạn trả khi nhận đủ bổ sung",
               "tính lại hạn trả khi nhận đủ hồ sơ bổ sung (true/false)", Who.PROVINCE),
    SettingDef("register_book_size", "int", "Số dòng mỗi quyển Sổ theo dõi (0: cả năm)",
               "số dòng mỗi quyển Sổ theo dõi (0: một quyển mỗi năm)"),
    SettingDef("stamps.layout", "choice", "Lời chứng",
               "labels (nhãn trên tờ nhãn) hoặc overlay (in thẳng lên bản sao)", Who.ADMIN,
               (("labels", "Nhãn trên tờ nhãn"), ("overlay", "In thẳng lên bản sao"))),
    SettingDef("stamps.columns", "int", "Số cột nhãn", "số cột nhãn trên tờ", minimum=1),
    SettingDef("stamps.rows", "int", "Số hàng nhãn", "số hàng nhãn trên tờ", minimum=1),
    _mm("stamps.label_width_mm", "Chiều rộng nhãn"),
    _mm("stamps.label_height_mm", "Chiều cao nhãn"),
    _mm("stamps.margin_left_mm", "Lề trái tờ nhãn"),
    _mm("stamps.margin_top_mm", "Lề trên tờ nhãn"),
    SettingDef("stamps.overlay_x_mm", "mm", "Lời chứng cách mép trái",
               "vị trí lời chứng trên bản sao: cách mép trái (mm)"),
    SettingDef("stamps.overlay_y_mm", "mm", "Lời chứng cách mép dưới",
               "vị trí lời chứng trên bản sao: cách mép dưới (mm)"),
    SettingDef("cert_book_size", "int", "Số chứng thực mỗi quyển (0: cả năm)",
               "số chứng thực mỗi quyển sổ chứng thực (0: một quyển mỗi năm; số tiếp nối giữa các quyển)"),
    SettingDef("cert_documents", "list", "Giấy tờ gợi ý (chứng thực)",
               "danh sách giấy tờ gợi ý ở bàn chứng thực, ngăn cách bằng | (để trống: danh sách chung)"),
    SettingDef("register_holder", "url", "Địa chỉ máy giữ sổ",
               "địa chỉ máy giữ sổ chứng thực của cơ quan (để trống: máy này giữ sổ)"),
    SettingDef("backup_folder", "text", "Thư mục sao lưu hằng ngày",
               "thư mục (ổ thứ hai, USB) nhận bản sao lưu tự động mỗi ngày (để trống: tắt)"),
    SettingDef("backup_keep", "int", "Số bản sao lưu giữ lại", "số bản sao lưu hằng ngày giữ lại (cũ hơn bị xóa)",
               minimum=1),
    SettingDef("escrow_public_key", "pubkey", "Khóa công khai lưu giữ khóa khôi phục",
               "khóa công khai (base64) của tỉnh: quầy gửi khóa giải mã cơ sở dữ liệu, đã niêm phong bằng khóa "
               "này, cho máy chủ tỉnh lưu giữ (để trống: không gửi)", Who.PROVINCE),
    SettingDef("update_download_kib_s", "int", "Tốc độ tải bản cập nhật tối đa (KiB/s)",
               "tốc độ tải bản cập nhật tối đa, KiB/giây (0: không giới hạn)", Who.PROVINCE),
    SettingDef("update_install_command", "template", "Lệnh cài bản cập nhật",
               "lệnh cài bản cập nhật trên máy này, có {file} là tệp cài đặt (để trống: trình cài của hệ điều "
               "hành)"),
)
BY_KEY = {d.key: d for d in SETTINGS}


def setting(key: str) -> SettingDef:
    try:
        return BY_KEY[key]
    except KeyError:
        raise ValidationError(f"Không có cài đặt «{key}». Các khóa: {', '.join(BY_KEY)}.", "unknown key") from None


def choices(key: str) -> tuple[str, ...]:
    return tuple(v for v, _ in BY_KEY[key].choices)


def may_change(key: str, who: Who) -> bool:
    return BY_KEY[key].who in _MAY_CHANGE[who]


def replace_path(obj, path: tuple[str, ...], value):
    """A copy of the frozen dataclass ``obj`` with the attribute at ``path`` set to ``value``."""
    head, *rest = path
    if rest:
        return replace(obj, **{head: replace_path(getattr(obj, head), tuple(rest), value)})
    assert is_dataclass(obj)
    return replace(obj, **{head: value})


def apply_text(settings, key: str, text: str, who: Who = Who.ADMIN):
    """A copy of ``settings`` with one setting changed from its typed form; refused when invalid or
    when ``who`` may not change it."""
    defn = setting(key)
    if not may_change(key, who):
        raise ValidationError(f"«{defn.label}» không được thay đổi từ đây.", f"{who.value} may not change {key}")
    return replace_path(settings, defn.path, defn.parse(text))


def rows(settings) -> list[tuple[SettingDef, str]]:
    """Every setting with its current value as text, in table order (for ``settings show``)."""
    return [(d, d.text(d.get(settings))) for d in SETTINGS]


def as_text(value: Any) -> str:
    """A JSON value from the server → the typed form :meth:`SettingDef.parse` reads."""
    if isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def apply_province(settings, values: dict[str, Any]):
    """Settings the provincial server sent: ``(new settings, applied keys, refused {key: reason})``.
    A key the province may not change, an unknown key (a newer server) or a bad value is refused
    alone, so one bad entry never stops the rest of the feed."""
    applied: list[str] = []
    refused: dict[str, str] = {}
    for key, value in values.items():
        try:
            settings = apply_text(settings, key, as_text(value), Who.PROVINCE)
        except ValidationError as exc:
            refused[key] = exc.detail or exc.message
            continue
        applied.append(key)
    return settings, applied, refused
