"""Synthetic but plausible applicants for the benchmarks: Vietnamese names, 12-digit personal ID
numbers consistent with date of birth and gender, mobile numbers and addresses.

Shared by generate.py (the million-row load) and run.py (the applicants of the timed intakes).
Everything is NFC, as the application stores it.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from datetime import date, timedelta

# Family names with their approximate share of the Kinh population (Wikipedia "Vietnamese name",
# Lê Trung Hoa 2005); the long tail shares what is left. Hoàng/Huỳnh and Vũ/Võ are the same
# names written the northern and southern way.
FAMILY = [
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.0), ("Huỳnh", 2.1),
    ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.6), ("Trương", 0.6), ("Lâm", 0.4),
    ("Mai", 0.4), ("Đoàn", 0.4), ("Cao", 0.3), ("Lương", 0.3), ("Trịnh", 0.3), ("Tô", 0.2),
    ("Hà", 0.2), ("Châu", 0.2), ("Lưu", 0.2), ("Tạ", 0.1), ("Kiều", 0.1),
]
# Gia Lai is a Jrai and Bahnar province: a small share of applicants carry Jrai clan names.
JRAI_FAMILY = [("Ksor", 1.0), ("Siu", 0.8), ("Rơ Mah", 0.8), ("Nay", 0.5), ("Rơ Châm", 0.3), ("Kpă", 0.3)]
JRAI_MALE = ["Blơi", "Djuih", "Hyao", "Bơk", "Nhă", "Thuk"]
JRAI_FEMALE = ["H'Hen", "H'Blin", "H'Mai", "H'Ngăn", "H'Nhi"]

MIDDLE_MALE = [("Văn", 40), ("Minh", 10), ("Đức", 8), ("Hữu", 6), ("Quang", 6), ("Thanh", 6),
               ("Công", 5), ("Đình", 5), ("Quốc", 5), ("Xuân", 4), ("Ngọc", 3), ("Tấn", 3),
               ("Hoàng", 3), ("Anh", 3)]
MIDDLE_FEMALE = [("Thị", 55), ("Ngọc", 8), ("Thu", 6), ("Thanh", 5), ("Kim", 5), ("Hồng", 4),
                 ("Minh", 3), ("Mỹ", 3), ("Phương", 3), ("Thùy", 3), ("Bảo", 2), ("Diệu", 2), ("Khánh", 2)]
# Second middle name after "Thị" (Nguyễn Thị Thu Hương).
SECOND_MIDDLE_FEMALE = ["Thu", "Ngọc", "Kim", "Mỹ", "Thanh", "Hồng", "Bích", "Thúy"]

# Given names, most frequent first; weights fall off like a Zipf curve (see _zipf).
GIVEN_MALE = ["Hùng", "Dũng", "Tuấn", "Nam", "Hải", "Long", "Minh", "Cường", "Quang", "Sơn", "Thắng",
              "Trung", "Bình", "Hiếu", "Huy", "Phong", "Thành", "Vinh", "Đức", "Tùng", "An", "Việt",
              "Khánh", "Kiên", "Lâm", "Nghĩa", "Phúc", "Quân", "Tài", "Thịnh", "Toàn", "Đạt", "Đông",
              "Hòa", "Hậu", "Lộc", "Tâm", "Thông", "Duy", "Khoa", "Khôi", "Bảo", "Phát", "Đăng"]
GIVEN_FEMALE = ["Hương", "Lan", "Linh", "Trang", "Hà", "Hằng", "Mai", "Thảo", "Phương", "Yến", "Hường",
                "Ngọc", "Hoa", "Nga", "Dung", "Hạnh", "Hiền", "Huệ", "Loan", "Nhung", "Oanh", "Thủy",
                "Vân", "Anh", "Chi", "Giang", "Hồng", "Liên", "My", "Ngân", "Nhi", "Quỳnh", "Tâm",
                "Thanh", "Thu", "Trinh", "Tuyết", "Uyên", "Vy", "Xuân", "Đào", "Quyên"]
# Rare given names (a few hundred bearers in a million): the "rare name" search case uses Khuê.
RARE_GIVEN = ["Khuê", "Diệp", "Thoa", "Trâm", "Điệp"]
RARE_SHARE = 0.002

HAMLETS = ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn 4", "Thôn 5", "Thôn 6", "Thôn Định Mỹ", "Thôn Mỹ Thạnh",
           "Làng Plei Ku", "Làng Dơk", "Tổ dân phố 1", "Tổ dân phố 2"]
PHONE_PREFIXES = ["09", "09", "09", "03", "03", "08", "07"]  # 09x still the most common


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _cumulative(weights):
    """Cumulative weights: random.choices(cum_weights=...) then skips re-summing on every draw."""
    return list(itertools.accumulate(weights))


def _zipf(names: list[str], s: float = 0.9) -> tuple[list[str], list[float]]:
    return [_nfc(n) for n in names], _cumulative(1.0 / (i + 1) ** s for i in range(len(names)))


def _split(pairs):
    return [_nfc(n) for n, _ in pairs], _cumulative(w for _, w in pairs)


class People:
    """Draws applicants. ``reuse`` is the share of dossiers filed by someone already drawn
    (returning citizens); new people get ID numbers unique within this generator."""

    def __init__(self, provinces: dict[str, str], rng: random.Random, reuse: float = 0.15) -> None:
        self.rng = rng
        self.reuse = reuse
        self.province_codes = [c for c in provinces if c.isdigit()]
        self.family, self.family_w = _split(FAMILY + JRAI_FAMILY)
        self.jrai = {_nfc(n) for n, _ in JRAI_FAMILY}
        self.mid_m, self.mid_m_w = _split(MIDDLE_MALE)
        self.mid_f, self.mid_f_w = _split(MIDDLE_FEMALE)
        self.given_m, self.given_m_w = _zipf(GIVEN_MALE)
        self.given_f, self.given_f_w = _zipf(GIVEN_FEMALE)
        self.rare = [_nfc(n) for n in RARE_GIVEN]
        self.seen: list[tuple] = []
        self.ids: set[str] = set()

    # -- pieces -------------------------------------------------------------------------------
    def name(self, female: bool) -> str:
        r = self.rng
        fam = r.choices(self.family, cum_weights=self.family_w)[0]
        if fam in self.jrai:
            return f"{fam} {r.choice(JRAI_FEMALE if female else JRAI_MALE)}"
        if female:
            mid = r.choices(self.mid_f, cum_weights=self.mid_f_w)[0]
            if mid == "Thị" and r.random() < 0.2:
                mid += " " + r.choice(SECOND_MIDDLE_FEMALE)
        else:
            mid = r.choices(self.mid_m, cum_weights=self.mid_m_w)[0]
        if r.random() < RARE_SHARE:
            given = r.choice(self.rare)
        elif female:
            given = r.choices(self.given_f, cum_weights=self.given_f_w)[0]
        else:
            given = r.choices(self.given_m, cum_weights=self.given_m_w)[0]
        return _nfc(f"{fam} {mid} {given}")

    def id_number(self, dob: date, female: bool) -> str:
        """Province of birth registration, century+gender digit (0/1 = 1900s male/female,
        2/3 = 2000s), two year digits, six random digits. Unique among those drawn here."""
        r = self.rng
        x = r.random()
        province = "064" if x < 0.6 else "052" if x < 0.75 else r.choice(self.province_codes)
        digit = (dob.year // 100 - 19) * 2 + (1 if female else 0)
        while True:
            n = f"{province}{digit}{dob.year % 100:02d}{r.randrange(1_000_000):06d}"
            if n not in self.ids:
                self.ids.add(n)
                return n

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"

    def address(self) -> str:
        return f"{self.rng.choice(HAMLETS)}, xã Định Mỹ, tỉnh Gia Lai"

    # -- whole applicants ---------------------------------------------------------------------
    def new_person(self, on: date, *, always_id: bool = False) -> tuple:
        """(full_name, id_number, date_of_birth, gender, phone, address); gender is the stored
        value "Nam"/"Nữ". Some applicants give no ID (certified copies) or no phone."""
        r = self.rng
        female = r.random() < 0.52
        age_days = r.randrange(18 * 365, 80 * 365)
        dob = on - timedelta(days=age_days)
        has_id = always_id or r.random() < 0.92
        ident = self.id_number(dob, female) if has_id else None
        phone = self.phone() if always_id or r.random() < 0.8 else None
        gender = ("Nữ" if female else "Nam") if has_id else None
        return self.name(female), ident, dob if has_id else None, gender, phone, self.address()

    def applicant(self, on: date) -> tuple:
        """A returning applicant with probability ``reuse``, otherwise a new one."""
        if self.seen and self.rng.random() < self.reuse:
            return self.rng.choice(self.seen)
        p = self.new_person(on)
        self.seen.append(p)
        return p
