"""Counter settings: who this counter is and how it counts time. Stored by ``storage`` as rows."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from counter_app.core.calendar import OfficeHours
from counter_app.core.model import Agency
from counter_app.core.setting_defs import SETTINGS, Who, apply_text, choices
from counter_app.core.signers import SignerList


FORM_SETS = choices("forms.form_set")
RECEIPT_LAYOUTS = choices("forms.receipt_layout")
STAMP_LAYOUTS = choices("stamps.layout")


@dataclass(frozen=True)
class FormSettings:
    """What the printed forms say about the office. Wording of the forms themselves is template
    data in ``resources/forms``; these are the office's own lines."""

    form_set: str = "2025"  # Circular 03/2025/TT-VPCP; "2018" = Circular 01/2018/TT-VPCP
    header_lines: tuple[str, ...] = ()  # left column above the unit, e.g. ("UBND XÃ ĐỊNH MỸ",)
    unit_name: str = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"  # bold line of the left column
    place_name: str = ""  # "<Địa danh>, ngày … tháng … năm …"
    number_suffix: str = "TTPVHCC"  # "Số: …/TTPVHCC"
    # One A4 page per copy (Decree 30 paper), two A5 pages, or two A5 halves of one A4 landscape sheet.
    receipt_layout: str = "a4_pages"
    paper: str = "a4"  # the other slips (Mẫu 02, the control sheet); letters are always A4
    lookup_url: str = ""  # QR content; "{code}" is replaced by the dossier code. Empty: the code alone
    result_place: str = ""  # "Đăng ký nhận kết quả tại: …" for counter returns
    contact: str = ""  # Mẫu 02 closing line: whom to call, with the phone number
    head_title: str = "CHỦ TỊCH"  # who signs the apology / stop notice for the agency
    # The body the head signs for ("TM." line, Decree 30 for collective bodies); empty: signs in person.
    head_for: str = "TM. ỦY BAN NHÂN DÂN"
    head_name: str = ""  # the signer's name under the signature (empty: written by hand)
    # The issuing body of the letters, as the header, the body and the signature name it; empty:
    # the agency's name written in full ("UBND xã …" → "Ủy ban nhân dân xã …").
    issuer_name: str = ""
    letter_suffix: str = "UBND"  # "Số: 12/TB-UBND": the issuer's sign after the letter's number

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
    # Who may sign certifications, with dates: the office decides (``cert-signer`` command, window).
    cert_signers: SignerList = field(default_factory=SignerList)
    # Automatic daily backup from the window's idle maintenance: a folder (a second disk, a USB
    # drive); empty: off. The newest ``backup_keep`` daily copies are kept there.
    backup_folder: str = ""
    backup_keep: int = 7
    # The province's X25519 public key (base64): the database key is escrowed, sealed to it, with
    # the provincial server at the next sync. Empty: no escrow.
    escrow_public_key: str = ""
    # QĐ 766 counts a dossier "rated dissatisfied"; the official scale is not settled [M], so the
    # ratings at or below this one count as dissatisfied ("1", "2" or "3" of the counter's 1–5).
    report_dissatisfied_at_most: str = "2"
    # Updates come down the commune's own link: capped so intakes still sync while one downloads.
    update_download_kib_s: int = 512
    # How this machine installs an update, with {file}; empty: the platform's installer (NSIS
    # silent on Windows, dpkg, through pkexec unless root, on Linux).
    update_install_command: str = ""

    @property
    def prefix(self) -> str:
        return self.code_prefix or self.agency.code


def _hhmm(t) -> str:
    return t.strftime("%H:%M")


def _hours_values(h: OfficeHours) -> dict:
    return {"morning": [_hhmm(h.morning_start), _hhmm(h.morning_end)],
            "afternoon": [_hhmm(h.afternoon_start), _hhmm(h.afternoon_end)], "cutoff": _hhmm(h.cutoff)}


def _hours(values: dict) -> OfficeHours:
    from datetime import time

    t = time.fromisoformat
    return OfficeHours(t(values["morning"][0]), t(values["morning"][1]), t(values["afternoon"][0]),
                       t(values["afternoon"][1]), t(values["cutoff"]))


# Read field by field from the dataclass so that a new field needs no edit here.
def settings_to_values(s: CounterSettings) -> dict:
    """Setting rows (key → JSON value), without the agency, which has its own table."""
    values: dict = {}
    for f in fields(CounterSettings):
        value = getattr(s, f.name)
        if f.name == "hours":
            values["office_hours"] = _hours_values(value)
        elif f.name != "agency":
            values[f.name] = value.as_values() if hasattr(value, "as_values") else (
                list(value) if isinstance(value, tuple) else value)
    return values


def settings_from_values(agency: Agency, values: dict) -> CounterSettings:
    defaults = CounterSettings(agency=agency)
    known: dict = {"forms": FormSettings.from_values(values.get("forms") or default_form_values(agency)),
                   "device_slot": int(values.get("device_slot", values.get("desk", defaults.device_slot)))}
    if "office_hours" in values:
        known["hours"] = _hours(values["office_hours"])
    for f in fields(CounterSettings):
        if f.name in known or f.name not in values or f.name in ("agency", "hours"):
            continue
        default, value = getattr(defaults, f.name), values[f.name]
        if hasattr(default, "from_values"):
            known[f.name] = type(default).from_values(value or {})
        elif isinstance(default, tuple):
            known[f.name] = tuple(value or ())
        elif isinstance(default, bool | int):
            known[f.name] = type(default)(value)
        else:
            known[f.name] = value or type(default)()
    return replace(defaults, **known)


def default_form_values(agency: Agency) -> dict:
    """Header lines an office gets before it edits them: its own name, and the place taken from it."""
    import re

    place = re.sub(r"^(UBND|Ủy ban nhân dân|ỦY BAN NHÂN DÂN)\s+(xã|phường|đặc khu|thị trấn)?\s*", "",
                   agency.name, flags=re.IGNORECASE).strip()
    return FormSettings(header_lines=(agency.name.upper(),), place_name=place or agency.province,
                        result_place=f"Trung tâm Phục vụ hành chính công – {agency.name}").as_values()


# The command line's call shape, kept: both read the one table in ``core.setting_defs``.
SETTING_KEYS = {d.key: d.help for d in SETTINGS}


def apply_setting(settings: CounterSettings, key: str, value: str) -> CounterSettings:
    """A copy of ``settings`` with one key changed from its text form; bad values are refused."""
    return apply_text(settings, key, value, Who.ADMIN)
