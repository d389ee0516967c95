"""The province's location-independent list (core/location_free.py): decisions, removals, and how
the list combines with the catalogue's flag."""

from dataclasses import replace
from datetime import date

import pytest

from counter_app.core.errors import ValidationError
from counter_app.core.location_free import entry_to_dict, is_location_independent, listing, parse_list
from counter_app.core.model import Procedure

LISTED = {"procedure_code": "1.001193", "decision": "2608/QĐ-UBND", "decision_date": "2025-11-24",
          "effective_from": "2025-12-01", "removed_by": "150/QĐ-UBND", "removed_on": "2026-03-01"}
RELISTED = {"procedure_code": "1.001193", "decision": "900/QĐ-UBND", "decision_date": "2026-05-10",
            "effective_from": "2026-05-15"}
OTHER = {"procedure_code": "2.000001", "decision": "2608/QĐ-UBND", "decision_date": "2025-11-24",
         "effective_from": "2025-12-01"}
BIRTH = Procedure(code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch", working_days=0)


def test_an_entry_is_in_force_from_its_effective_date_until_the_day_it_is_removed():
    entries = parse_list({"entries": [LISTED, RELISTED, OTHER]})
    on = {day: is_location_independent(BIRTH, entries, day) for day in (
        date(2025, 11, 30), date(2025, 12, 1), date(2026, 2, 28), date(2026, 3, 1), date(2026, 5, 14), date(2026, 5, 15))}
    assert on == {date(2025, 11, 30): False, date(2025, 12, 1): True, date(2026, 2, 28): True,
                  date(2026, 3, 1): False, date(2026, 5, 14): False, date(2026, 5, 15): True}
    assert listing(entries, "1.001193", date(2026, 6, 1)).decision == "900/QĐ-UBND"


def test_the_flag_decides_only_while_no_list_is_loaded():
    flagged = replace(BIRTH, location_independent=True)
    assert is_location_independent(flagged, [], date(2026, 1, 1))
    assert not is_location_independent(BIRTH, [], date(2026, 1, 1))
    only_other = parse_list([OTHER])  # a bare list is accepted too
    assert not is_location_independent(flagged, only_other, date(2026, 1, 1))


def test_entries_round_trip_through_their_dict_form():
    entries = parse_list({"entries": [LISTED, {**OTHER, "places": ["any_commune", "any_commune"],
                                               "channels": ["post"]}]})
    assert entries[1].places == ("any_commune",)
    assert parse_list({"entries": [entry_to_dict(e) for e in entries]}) == entries


@pytest.mark.parametrize("doc, message", [
    ({"procedures": []}, "phải có dạng"),
    ({"entries": [LISTED, LISTED]}, "xuất hiện hai lần"),
    ({"entries": [{**OTHER, "note": "x"}]}, "trường không biết: note"),
    ({"entries": [{**OTHER, "procedure_code": "a b"}]}, "mã thủ tục"),
    ({"entries": [{**LISTED, "removed_on": "2025-11-30"}]}, "bãi bỏ trước ngày hiệu lực"),
    ({"entries": [{**OTHER, "places": "any_commune"}]}, "chỉ gồm"),
    ({"entries": ["1.001193"]}, "đối tượng JSON"),
])
def test_a_bad_document_is_refused_in_vietnamese(doc, message):
    with pytest.raises(ValidationError, match=message):
        parse_list(doc)
