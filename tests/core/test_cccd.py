import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.core.cccd import LAYOUTS, id_problems, mask_id, parse_qr, validate_personal_id
from counter_app.core.errors import ValidationError
from counter_app.core.model import Gender
from tests.conftest import PROVINCES

QR = "001090123456|012345678|NGUYỄN VĂN A|01011990|Nam|Phường X, TP. Hà Nội|15042021"


def test_parse_standard_qr():
    card = parse_qr(QR)
    assert card.id_number == "001090123456"
    assert card.old_id_number == "012345678"
    assert card.full_name == "NGUYỄN VĂN A"
    assert card.date_of_birth == date(1990, 1, 1)
    assert card.gender is Gender.MALE
    assert card.address == "Phường X, TP. Hà Nội"
    assert card.issued_on == date(2021, 4, 15)


@pytest.mark.parametrize("text", [
    "052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2, xã Định Mỹ, Gia Lai|01072024",  # no old ID
    "052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2, xã Định Mỹ, Gia Lai|01072024|extra|more\r\n",
    "\x00052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2, xã Định Mỹ, Gia Lai\n",  # 6 fields, NUL
    unicodedata.normalize("NFD", "052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2, xã Định Mỹ, Gia Lai|01072024"),
])
def test_parse_is_tolerant(text):
    card = parse_qr(text)
    assert card.id_number == "052195000123"
    assert card.old_id_number is None
    assert card.full_name == "TRẦN THỊ BÍCH" and unicodedata.is_normalized("NFC", card.full_name)
    assert card.gender is Gender.FEMALE
    assert card.date_of_birth == date(1995, 3, 12)
    assert card.address.startswith("Thôn 2")


@pytest.mark.parametrize("text", ["", "hello", "1|2|3|4|5|6", "001090123456|x|", "00109012345|x|A|01011990|Nam|X"])
def test_unreadable_qr_is_refused_without_echoing_it(text):
    with pytest.raises(ValidationError) as err:
        parse_qr(text)
    assert "001090123456" not in str(err.value)


@pytest.mark.parametrize("id_number, dob, gender, ok", [
    ("001090123456", date(1990, 1, 1), Gender.MALE, True),
    ("001190123456", date(1990, 1, 1), Gender.FEMALE, True),
    ("079203001234", date(2003, 5, 5), Gender.MALE, True),
    ("079303001234", date(2003, 5, 5), Gender.FEMALE, True),
    ("001090123456", date(1991, 1, 1), None, False),  # year mismatch
    ("001090123456", None, Gender.FEMALE, False),  # gender mismatch (0 = male, 1900s)
    ("003090123456", None, None, False),  # 003 is not a province code
    ("00109012345", None, None, False),  # 11 digits
    ("00109012345a", None, None, False),
    ("001290123456", None, None, False),  # born in 2090: in the future
])
def test_personal_id_validation(id_number, dob, gender, ok):
    problems = id_problems(id_number, PROVINCES, date_of_birth=dob, gender=gender, today=date(2026, 11, 29))
    assert (problems == []) is ok, problems


def test_validate_raises_in_vietnamese():
    with pytest.raises(ValidationError, match="Mã tỉnh"):
        validate_personal_id("003090123456", PROVINCES)


def test_mask_id():
    assert mask_id("052090123456") == "052******456"
    assert mask_id(None) == ""
    assert "123456" not in mask_id("052090123456")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_qr_parser_never_crashes(text):
    try:
        card = parse_qr(text)
    except ValidationError:
        return
    assert len(card.id_number) == 12


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="|"), max_size=30), min_size=0, max_size=10)
       .map("|".join))
def test_qr_parser_never_crashes_on_pipe_separated_text(text):
    try:
        parse_qr(text)
    except ValidationError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20), st.one_of(st.none(), st.dates()), st.one_of(st.none(), st.sampled_from(Gender)))
def test_id_validator_never_crashes(id_number, dob, gender):
    assert isinstance(id_problems(id_number, PROVINCES, date_of_birth=dob, gender=gender), list)


@given(st.from_regex(r"\A\d{12}\Z"))
def test_id_validator_on_any_twelve_digits(id_number):
    problems = id_problems(id_number, PROVINCES)
    if id_number[:3] in PROVINCES and (int(id_number[3]) // 2 + 19) * 100 + int(id_number[4:6]) <= date.today().year:
        assert problems == []


# -- layouts recognised by the shape of each field (issue 14 item 14) -------------------------------
LAYOUT_CASES = {
    "7 fields, ddMMyyyy": ("052195000123|212345678|TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2, xã Định Mỹ|01072024",
                           "212345678", date(2024, 7, 1)),
    "7 fields, dd/MM/yyyy": ("052195000123|212345678|TRẦN THỊ BÍCH|12/03/1995|Nữ|Thôn 2, xã Định Mỹ|01/07/2024",
                             "212345678", date(2024, 7, 1)),
    "no old-ID field (6 fields)": ("052195000123|TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2, xã Định Mỹ|01072024",
                                   None, date(2024, 7, 1)),
    "no old-ID field, dd/MM/yyyy": ("052195000123|TRẦN THỊ BÍCH|12/03/1995|Nữ|Thôn 2, xã Định Mỹ|01/07/2024",
                                    None, date(2024, 7, 1)),
    "no old-ID field, trailing fields": ("052195000123|TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2, xã Định Mỹ|01072024|"
                                         "Kinh|Không|X", None, date(2024, 7, 1)),
    "newer card, trailing fields": ("052195000123||TRẦN THỊ BÍCH|12/03/1995|Nữ|Thôn 2, xã Định Mỹ|01/07/2024|"
                                    "01/07/2039|Thôn 2|", None, date(2024, 7, 1)),
    "empty old ID, no issue date": ("052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2, xã Định Mỹ", None, None),
    "trailing separator": ("052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2, xã Định Mỹ||", None, None),
}


@pytest.mark.parametrize("text, old, issued", LAYOUT_CASES.values(), ids=LAYOUT_CASES.keys())
def test_known_layouts_by_field_shape(text, old, issued):
    card = parse_qr(text)
    assert (card.id_number, card.old_id_number, card.full_name) == ("052195000123", old, "TRẦN THỊ BÍCH")
    assert (card.date_of_birth, card.gender, card.issued_on) == (date(1995, 3, 12), Gender.FEMALE, issued)
    assert card.address == "Thôn 2, xã Định Mỹ"


MISFITS = {
    "a date where the name should be": "052195000123||12031995|TRẦN THỊ BÍCH|Nữ|Thôn 2|01072024",
    "a name where a date should be": "052195000123||TRẦN THỊ BÍCH|Nữ|12031995|Thôn 2|01072024",
    "name and date swapped, no old ID": "052195000123|12031995|TRẦN THỊ BÍCH|Nữ|Thôn 2|01072024",
    "gender missing, everything shifted": "052195000123||TRẦN THỊ BÍCH|12031995|Thôn 2, xã Định Mỹ|01072024",
    "address is a date": "052195000123||TRẦN THỊ BÍCH|12031995|Nữ|01072024|01072024",
    "impossible date of birth": "052195000123||TRẦN THỊ BÍCH|31021995|Nữ|Thôn 2|01072024",
    "half-slashed date": "052195000123||TRẦN THỊ BÍCH|12/031995|Nữ|Thôn 2|01072024",
    "issue date not a date": "052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2|Công an tỉnh",
    "old ID of 8 digits": "052195000123|21234567|TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2|01072024",
    "issued before born": "052195000123||TRẦN THỊ BÍCH|12031995|Nữ|Thôn 2|01071990",
}


@pytest.mark.parametrize("text", MISFITS.values(), ids=MISFITS.keys())
def test_fields_that_fit_no_layout_are_refused_in_vietnamese(text):
    with pytest.raises(ValidationError) as err:
        parse_qr(text)
    message = str(err.value)
    assert "không điền tự động" in message and "052195000123" not in message and "TRẦN" not in message


def test_refusal_names_the_misplaced_field():
    with pytest.raises(ValidationError, match="trường thứ 3 không phải họ và tên"):
        parse_qr(MISFITS["a date where the name should be"])


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(list(LAYOUT_CASES.values())), st.integers(0, 6), st.integers(0, 6))
def test_swapping_two_different_fields_never_fills_them_in_wrong(case, i, j):
    """Swap two of the fields a layout reads: either it is refused, or what it reads is what the card
    says (swapping two empty fields, or a field with itself, changes nothing). Trailing fields of
    newer cards are unknown text, so they are left where they are."""
    fields = case[0].split("|")
    read = len(LAYOUTS[parse_qr(case[0]).layout])
    i, j = 1 + i % read, 1 + j % read
    fields[i], fields[j] = fields[j], fields[i]
    try:
        card = parse_qr("|".join(fields))
    except ValidationError:
        return
    assert (card.full_name, card.date_of_birth, card.gender) == ("TRẦN THỊ BÍCH", date(1995, 3, 12), Gender.FEMALE)
    assert card.address == "Thôn 2, xã Định Mỹ"
