"""Counter settings: who this counter is and how it counts time. Stored by ``storage`` as rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from counter_app.core.calendar import OfficeHours
from counter_app.core.model import Agency


FORM_SETS = ("2025", "2018")
RECEIPT_LAYOUTS = ("a5_pages", "a4_halves")


@dataclass(frozen=True)
class FormSettings:
    """What the printed forms say about the office. Wording of the forms themselves is template
    data in ``resources/forms``; these are the office's own lines."""

    form_set: str = "2025"  # Circular 03/2025/TT-VPCP; "2018" = Circular 01/2018/TT-VPCP
    header_lines: tuple[str, ...] = ()  # left column above the unit, e.g. ("UBND XÃ ĐỊNH MỸ",)
    unit_name: str = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"  # bold line of the left column
    place_name: str = ""  # "<Địa danh>, ngày … tháng … năm …"
    number_suffix: str = "TTPVHCC"  # "Số: …/TTPVHCC"
    receipt_layout: str = "a5_pages"  # two A5 pages, or two A5 halves of one A4 landscape sheet
    lookup_url: str = ""  # QR content; "{code}" is replaced by the dossier code. Empty: the code alone
    result_place: str = ""  # "Đăng ký nhận kết quả tại: …" for counter returns
    contact: str = ""  # Mẫu 02 closing line: whom to call, with the phone number
    head_title: str = "CHỦ TỊCH"  # who signs the apology / stop notice for the agency

    def as_values(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}

    @classmethod
    def from_values(cls, values: dict) -> FormSettings:
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        if "header_lines" in known:
            known["header_lines"] = tuple(known["header_lines"])
        return cls(**known)


@dataclass(frozen=True)
class StampSettings:
    """Where the certification text goes: labels on a sheet, or printed onto the copy itself."""

    layout: str = "labels"  # "labels" or "overlay"
    columns: int = 3  # a common A4 sheet of 24 labels, 70 × 37 mm
    rows: int = 8
    label_width_mm: float = 70.0
    label_height_mm: float = 37.0
    margin_left_mm: float = 0.0
    margin_top_mm: float = 0.5
    overlay_x_mm: float = 110.0  # bottom-left corner of the block on the copy, from the page's
    overlay_y_mm: float = 25.0  # bottom-left corner (blank space at the foot of the last page)

    def as_values(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_values(cls, values: dict) -> StampSettings:
        return cls(**{k: v for k, v in (values or {}).items() if k in cls.__dataclass_fields__})


STAMP_LAYOUTS = ("labels", "overlay")


@dataclass(frozen=True)
class CounterSettings:
    agency: Agency
    desk: int = 1
    # Partition of the daily dossier-code sequence; the desk number for a standalone install,
    # later assigned by the provincial server at enrollment.
    device_slot: int = 1
    code_prefix: str = ""  # defaults to the agency code
    hours: OfficeHours = field(default_factory=OfficeHours)
    # ND 107/2021 allowed one re-appointment after an apology [unverified under ND 118]: a setting.
    max_reschedules: int = 1
    # Tracking register (Sổ theo dõi hồ sơ): 0 = one book per desk per year, else entries per book.
    register_book_size: int = 0
    # After a supplement the time limit runs again from the complete dossier [unverified]: a setting.
    restart_due_on_supplement: bool = True
    forms: FormSettings = field(default_factory=FormSettings)
    # Certification register: 0 = one book per year, else entries per book (numbers continue).
    cert_book_size: int = 0
    # The office's register holder ("http://may-giu-so:8765"); empty: this machine holds the registers.
    register_holder: str = ""
    stamps: StampSettings = field(default_factory=StampSettings)
    cert_documents: tuple[str, ...] = ()  # the desk's autocomplete list; empty: the common documents

    @property
    def prefix(self) -> str:
        return self.code_prefix or self.agency.code


def _hhmm(t) -> str:
    return t.strftime("%H:%M")


def settings_to_values(s: CounterSettings) -> dict:
    """Setting rows (key → JSON value), without the agency, which has its own table."""
    h = s.hours
    return {
        "desk": s.desk,
        "device_slot": s.device_slot,
        "code_prefix": s.code_prefix,
        "office_hours": {"morning": [_hhmm(h.morning_start), _hhmm(h.morning_end)],
                         "afternoon": [_hhmm(h.afternoon_start), _hhmm(h.afternoon_end)],
                         "cutoff": _hhmm(h.cutoff)},
        "max_reschedules": s.max_reschedules,
        "register_book_size": s.register_book_size,
        "restart_due_on_supplement": s.restart_due_on_supplement,
        "forms": s.forms.as_values(),
        "cert_book_size": s.cert_book_size,
        "register_holder": s.register_holder,
        "stamps": s.stamps.as_values(),
        "cert_documents": list(s.cert_documents),
    }


def settings_from_values(agency: Agency, values: dict) -> CounterSettings:
    from datetime import time

    def t(text: str) -> time:
        return time.fromisoformat(text)

    defaults = CounterSettings(agency=agency)
    hours = defaults.hours
    if "office_hours" in values:
        oh = values["office_hours"]
        hours = OfficeHours(t(oh["morning"][0]), t(oh["morning"][1]), t(oh["afternoon"][0]),
                            t(oh["afternoon"][1]), t(oh["cutoff"]))
    return CounterSettings(
        agency=agency,
        desk=int(values.get("desk", defaults.desk)),
        device_slot=int(values.get("device_slot", values.get("desk", defaults.device_slot))),
        code_prefix=values.get("code_prefix", ""),
        hours=hours,
        max_reschedules=int(values.get("max_reschedules", defaults.max_reschedules)),
        register_book_size=int(values.get("register_book_size", defaults.register_book_size)),
        restart_due_on_supplement=bool(values.get("restart_due_on_supplement",
                                                  defaults.restart_due_on_supplement)),
        forms=FormSettings.from_values(values.get("forms") or default_form_values(agency)),
        cert_book_size=int(values.get("cert_book_size", 0)),
        register_holder=values.get("register_holder", "") or "",
        stamps=StampSettings.from_values(values.get("stamps") or {}),
        cert_documents=tuple(values.get("cert_documents") or ()),
    )


def default_form_values(agency: Agency) -> dict:
    """Header lines an office gets before it edits them: its own name, and the place taken from it."""
    import re

    place = re.sub(r"^(UBND|Ủy ban nhân dân|ỦY BAN NHÂN DÂN)\s+(xã|phường|đặc khu|thị trấn)?\s*", "",
                   agency.name, flags=re.IGNORECASE).strip()
    return FormSettings(header_lines=(agency.name.upper(),), place_name=place or agency.province,
                        result_place=f"Trung tâm Phục vụ hành chính công – {agency.name}").as_values()


SETTING_KEYS = {
    "forms.form_set": "bộ biểu mẫu: 2025 (TT 03/2025/TT-VPCP) hoặc 2018 (TT 01/2018/TT-VPCP)",
    "forms.header_lines": "các dòng tên cơ quan phía trên, ngăn cách bằng |",
    "forms.unit_name": "dòng in đậm của cột trái (tên bộ phận/trung tâm)",
    "forms.place_name": "địa danh trong dòng «…, ngày … tháng … năm …»",
    "forms.number_suffix": "ký hiệu sau số văn bản (Số: …/KÝ HIỆU)",
    "forms.receipt_layout": "a5_pages (hai trang A5) hoặc a4_halves (hai nửa tờ A4 ngang)",
    "forms.lookup_url": "địa chỉ tra cứu mã hóa trong QR, {code} là mã hồ sơ (để trống: chỉ mã hồ sơ)",
    "forms.result_place": "nơi nhận kết quả in trên giấy hẹn",
    "forms.contact": "người và số điện thoại liên hệ in trên phiếu bổ sung",
    "forms.head_title": "chức danh người ký văn bản xin lỗi, thông báo dừng",
    "max_reschedules": "số lần hẹn lại tối đa",
    "register_book_size": "số dòng mỗi quyển Sổ theo dõi (0: một quyển mỗi năm)",
    "restart_due_on_supplement": "tính lại hạn trả khi nhận đủ hồ sơ bổ sung (true/false)",
    "cutoff": "giờ chốt nhận trong ngày, HH:MM",
    "cert_book_size": "số chứng thực mỗi quyển sổ chứng thực (0: một quyển mỗi năm; số tiếp nối giữa các quyển)",
    "register_holder": "địa chỉ máy giữ sổ chứng thực của cơ quan (để trống: máy này giữ sổ)",
    "cert_documents": "danh sách giấy tờ gợi ý ở bàn chứng thực, ngăn cách bằng | (để trống: danh sách chung)",
    "stamps.layout": "labels (nhãn trên tờ nhãn) hoặc overlay (in thẳng lên bản sao)",
    "stamps.columns": "số cột nhãn trên tờ",
    "stamps.rows": "số hàng nhãn trên tờ",
    "stamps.label_width_mm": "chiều rộng nhãn (mm)",
    "stamps.label_height_mm": "chiều cao nhãn (mm)",
    "stamps.margin_left_mm": "lề trái tờ nhãn (mm)",
    "stamps.margin_top_mm": "lề trên tờ nhãn (mm)",
    "stamps.overlay_x_mm": "vị trí lời chứng trên bản sao: cách mép trái (mm)",
    "stamps.overlay_y_mm": "vị trí lời chứng trên bản sao: cách mép dưới (mm)",
}


def apply_setting(settings: CounterSettings, key: str, value: str) -> CounterSettings:
    """A copy of ``settings`` with one key changed from its text form; bad values are refused."""
    from dataclasses import replace
    from datetime import time

    from counter_app.core.errors import ValidationError
    from counter_app.core.text import clean

    value = clean(value) if key != "forms.lookup_url" else value.strip()
    if key not in SETTING_KEYS:
        raise ValidationError(f"Không có cài đặt «{key}». Các khóa: {', '.join(SETTING_KEYS)}.", "unknown key")

    def integer(minimum: int) -> int:
        if not value.isdigit() or int(value) < minimum:
            raise ValidationError(f"«{key}» phải là số nguyên ≥ {minimum}.", "not an integer")
        return int(value)

    if key.startswith("forms."):
        name = key.split(".", 1)[1]
        new: object = value
        if name == "form_set" and value not in FORM_SETS:
            raise ValidationError(f"Bộ biểu mẫu phải là một trong: {', '.join(FORM_SETS)}.", "bad form set")
        if name == "receipt_layout" and value not in RECEIPT_LAYOUTS:
            raise ValidationError(f"Khổ giấy hẹn phải là một trong: {', '.join(RECEIPT_LAYOUTS)}.", "bad layout")
        if name == "header_lines":
            new = tuple(clean(x) for x in value.split("|") if clean(x))
        return replace(settings, forms=replace(settings.forms, **{name: new}))
    if key == "max_reschedules":
        return replace(settings, max_reschedules=integer(0))
    if key == "cert_book_size":
        return replace(settings, cert_book_size=integer(0))
    if key == "cert_documents":
        return replace(settings, cert_documents=tuple(clean(x) for x in value.split("|") if clean(x)))
    if key == "register_holder":
        if value and not value.startswith(("http://", "https://")):
            raise ValidationError("Địa chỉ máy giữ sổ phải bắt đầu bằng http:// hoặc https://.", "bad URL")
        return replace(settings, register_holder=value.rstrip("/"))
    if key.startswith("stamps."):
        name = key.split(".", 1)[1]
        if name == "layout":
            if value not in STAMP_LAYOUTS:
                raise ValidationError(f"Kiểu in lời chứng phải là một trong: {', '.join(STAMP_LAYOUTS)}.", "bad layout")
            return replace(settings, stamps=replace(settings.stamps, layout=value))
        if name in ("columns", "rows"):
            return replace(settings, stamps=replace(settings.stamps, **{name: integer(1)}))
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            number = -1.0
        if not 0 <= number <= 400:
            raise ValidationError(f"«{key}» phải là số milimét từ 0 đến 400.", "bad millimetres")
        return replace(settings, stamps=replace(settings.stamps, **{name: number}))
    if key == "register_book_size":
        return replace(settings, register_book_size=integer(0))
    if key == "restart_due_on_supplement":
        if value.lower() not in ("true", "false"):
            raise ValidationError("Giá trị phải là true hoặc false.", "not a boolean")
        return replace(settings, restart_due_on_supplement=value.lower() == "true")
    try:
        cutoff = time.fromisoformat(value)
    except ValueError:
        raise ValidationError("Giờ chốt phải có dạng HH:MM.", "bad time") from None
    return replace(settings, hours=replace(settings.hours, cutoff=cutoff))
