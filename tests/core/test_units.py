"""Issue 15 item 7: agencies found by their former names and codes (core.units), pure Python."""

import json
from datetime import date

import pytest

from counter_app.core.errors import ValidationError
from counter_app.core.model import Agency, AgencyAlias
from counter_app.core.units import (
    bundled_aliases, check_alias, find_agency, make_alias, province_names, search_agencies,
)
from tests.conftest import ROOT

OWN = Agency("H52.101", "UBND xã Định Mỹ")
NEW = Agency("H52.102", "UBND xã Bình Nghi", own=False)
AGENCIES = [OWN, NEW]
OLD = AgencyAlias("H52.102", "UBND xã Tây Bình", "000.21.33.H08", date(2025, 6, 30))
PROVINCES = ("Bình Định", "Gia Lai")


@pytest.mark.parametrize("typed", [
    "H52.102", "h52.102", "000.21.33.H08", "UBND xã Bình Nghi", "ubnd xa binh nghi", "UBND xã Tây Bình",
    "  ubnd  xa tay binh ", "UBND xã Tây Bình, tỉnh Bình Định", "ubnd xa tay binh tinh gia lai",
])
def test_current_and_former_codes_and_names_find_the_agency_as_it_is_now(typed):
    assert find_agency(typed, AGENCIES, [OLD], PROVINCES) == NEW


@pytest.mark.parametrize("typed", ["", "UBND xã Tây", "H52.103", "UBND xã Tây Bình, tỉnh Quảng Ngãi"])
def test_nothing_is_guessed(typed):
    assert find_agency(typed, AGENCIES, [OLD], PROVINCES) is None


def test_a_former_name_two_agencies_share_is_refused_not_guessed():
    twin = AgencyAlias("H52.101", "UBND xã Tây Bình")
    with pytest.raises(ValidationError, match="nhiều cơ quan"):
        find_agency("UBND xa Tay Binh", AGENCIES, [OLD, twin])


def test_search_matches_former_names_and_says_which():
    assert search_agencies("tay binh", AGENCIES, [OLD]) == [(NEW, OLD)]
    assert search_agencies("dinh my", AGENCIES, [OLD]) == [(OWN, None)]
    assert search_agencies("h08", AGENCIES, [OLD]) == [(NEW, OLD)]


def test_alias_checks():
    check_alias(OLD, AGENCIES, [])
    with pytest.raises(ValidationError, match="chưa có cơ quan"):
        check_alias(AgencyAlias("H52.999", "UBND xã Cũ"), AGENCIES, [])
    with pytest.raises(ValidationError, match="Mã cũ"):
        check_alias(AgencyAlias("H52.101", "UBND xã Khác", "h52.102"), AGENCIES, [])
    with pytest.raises(ValidationError, match="tên cũ"):
        check_alias(AgencyAlias("H52.101", "ubnd xa tay binh"), AGENCIES, [OLD])
    check_alias(AgencyAlias("H52.102", "UBND xã Tây Bình", "000.21.33.H08"), AGENCIES, [OLD])  # its own: an update
    with pytest.raises(ValidationError, match="tên cũ"):
        make_alias("H52.102", "   ")


def test_the_bundled_file_reads():
    data = json.loads((ROOT / "resources" / "reference" / "former-units.json").read_text(encoding="utf-8"))
    assert bundled_aliases(data) == ()  # no commune-level rename is verified yet (domain.md §12.4)
    assert set(province_names(data)) == {"Bình Định", "Gia Lai"}
    assert bundled_aliases({"aliases": [{"agency_code": "H52.102", "former_name": " UBND xã  Tây Bình ",
                                         "until": "2025-06-30"}]}) == (
        AgencyAlias("H52.102", "UBND xã Tây Bình", None, date(2025, 6, 30)),)
