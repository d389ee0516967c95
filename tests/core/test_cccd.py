import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.core.cccd import id_problems, mask_id, parse_qr, validate_personal_id
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
