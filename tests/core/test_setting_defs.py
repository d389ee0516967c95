from dataclasses import fields

import pytest

from counter_app.core.errors import ValidationError
from counter_app.core.model import Agency
from counter_app.core.setting_defs import (
    BY_KEY, SETTINGS, Who, apply_province, apply_text, may_change, rows, setting,
)
from counter_app.core.settings import (
    SETTING_KEYS, CounterSettings, apply_setting, settings_from_values, settings_to_values,
)

AGENCY = Agency("H52.101", "UBND xã Định Mỹ", "Gia Lai")


@pytest.fixture
def settings() -> CounterSettings:
    return settings_from_values(AGENCY, {})


def test_every_setting_has_a_vietnamese_label_help_and_a_default(settings):
    assert list(SETTING_KEYS) == [d.key for d in SETTINGS]
    for d in SETTINGS:
        assert d.label and d.help and d.default() is not None
        d.get(settings)  # the path exists on the dataclass


def test_enumerated_values_have_vietnamese_labels():
    assert setting("forms.receipt_layout").choice_label("a5_pages") == "Hai trang A5"
    for d in SETTINGS:
        if d.kind == "choice":
            assert all(label for _, label in d.choices)


@pytest.mark.parametrize("key, text, expected", [
    ("forms.header_lines", "UBND TỈNH GIA LAI | UBND XÃ ĐỊNH MỸ |", ("UBND TỈNH GIA LAI", "UBND XÃ ĐỊNH MỸ")),
    ("forms.form_set", "2018", "2018"),
    ("forms.receipt_layout", "hai nửa tờ a4 ngang", "a4_halves"),  # the Vietnamese label is accepted
    ("forms.lookup_url", " https://x.vn/?ma={code} ", "https://x.vn/?ma={code}"),
    ("cutoff", "16:30", __import__("datetime").time(16, 30)),
    ("max_reschedules", "2", 2),
    ("restart_due_on_supplement", "FALSE", False),
    ("stamps.columns", "2", 2),
    ("stamps.overlay_x_mm", "12,5", 12.5),
    ("register_holder", "http://may-giu-so:8765/", "http://may-giu-so:8765"),
    ("cert_documents", "Giấy khai sinh|Học bạ", ("Giấy khai sinh", "Học bạ")),
])
def test_typed_values_are_parsed_and_read_back(settings, key, text, expected):
    changed = apply_setting(settings, key, text)
    assert BY_KEY[key].get(changed) == expected
    assert apply_setting(settings, key, BY_KEY[key].text(expected)) == changed  # show → set round trip


@pytest.mark.parametrize("key, text, message", [
    ("no.such.key", "1", "Không có cài đặt"),
    ("forms.form_set", "1999", "Bộ biểu mẫu phải là một trong"),
    ("max_reschedules", "-1", "số nguyên"),
    ("stamps.rows", "0", "≥ 1"),
    ("stamps.label_width_mm", "500", "milimét"),
    ("restart_due_on_supplement", "có lẽ", "true hoặc false"),
    ("cutoff", "25h", "HH:MM"),
    ("register_holder", "may-giu-so", "http://"),
])
def test_bad_values_are_refused_in_vietnamese(settings, key, text, message):
    with pytest.raises(ValidationError, match=message):
        apply_setting(settings, key, text)


def test_who_may_change_what(settings):
    assert may_change("forms.form_set", Who.PROVINCE) and may_change("forms.form_set", Who.ADMIN)
    assert not may_change("forms.unit_name", Who.PROVINCE)
    assert not may_change("forms.unit_name", Who.OFFICER)
    with pytest.raises(ValidationError, match="không được thay đổi"):
        apply_text(settings, "forms.unit_name", "X", Who.PROVINCE)


def test_the_province_changes_only_its_own_settings_and_bad_entries_stay_alone(settings):
    after, applied, refused = apply_province(settings, {
        "forms.form_set": "2018", "max_reschedules": 2, "restart_due_on_supplement": False,
        "forms.unit_name": "KHÔNG ĐƯỢC", "forms.lookup_url": ["not", "text"], "future.key": 1,
    })
    assert sorted(applied) == ["forms.form_set", "forms.lookup_url", "max_reschedules",
                               "restart_due_on_supplement"]
    assert set(refused) == {"forms.unit_name", "future.key"}
    assert (after.forms.form_set, after.max_reschedules, after.restart_due_on_supplement) == ("2018", 2, False)
    assert after.forms.unit_name == settings.forms.unit_name


def test_values_round_trip_for_every_field(settings):
    changed = settings
    for key, text in (("forms.form_set", "2018"), ("cert_documents", "A|B"), ("stamps.layout", "overlay"),
                      ("cutoff", "16:00"), ("register_book_size", "300")):
        changed = apply_setting(changed, key, text)
    assert settings_from_values(AGENCY, settings_to_values(changed)) == changed
    assert set(settings_to_values(changed)) == {f.name for f in fields(CounterSettings)
                                                if f.name not in ("agency", "hours")} | {"office_hours"}


def test_rows_show_every_setting_as_text(settings):
    shown = dict((d.key, text) for d, text in rows(settings))
    assert shown["cutoff"] == "15:00" and shown["stamps.margin_top_mm"] == "0.5"
