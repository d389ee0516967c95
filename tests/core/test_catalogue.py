import json

import pytest

from counter_app.core.catalogue import export_catalogue, parse_catalogue
from counter_app.core.errors import ValidationError
from counter_app.core.model import FeeRule
from tests.conftest import ROOT

BUNDLED = ROOT / "resources" / "catalogue" / "commune-procedures.json"


def test_bundled_catalogue_is_valid_and_keeps_provenance():
    procedures = parse_catalogue(json.loads(BUNDLED.read_text("utf-8")))
    assert len(procedures) == 90
    by_code = {p.code: p for p in procedures}
    for code in ("1.001193", "1.000894", "1.004222", "1.001612", "2.000815", "2.000884"):
        assert code in by_code
    assert by_code["2.000815"].fee_rule is FeeRule.CERTIFIED_COPY_PAGES
    assert by_code["2.000884"].fee_vnd == 10_000
    for p in procedures:
        assert p.extra["source"] and p.extra["confidence"] in {"C", "S", "M"}
        assert "online_level" in p.extra["unsettled"]
        for d in p.documents:
            assert d.name == d.name.strip() and not d.name.endswith((";", ".", ",")) and not d.name.startswith("-")


def test_round_trip_keeps_required_keys_and_extras():
    data = json.loads(BUNDLED.read_text("utf-8"))
    exported = export_catalogue(parse_catalogue(data))
    required = {"code", "name", "field", "working_days", "fee_vnd", "online_level", "location_independent",
                "documents"}
    assert all(required <= set(p) for p in exported["procedures"])
    by_code = lambda ps: sorted(ps, key=lambda p: p.code)  # noqa: E731
    assert by_code(parse_catalogue(exported)) == by_code(parse_catalogue(data))
    assert exported["procedures"][0]["source"]


@pytest.mark.parametrize("mutate, message", [
    (lambda p: p.pop("name"), "thiếu trường"),
    (lambda p: p.update(code="12345"), "không đúng dạng"),
    (lambda p: p.update(working_days=-1), "số nguyên"),
    (lambda p: p.update(online_level="sometimes"), "không hợp lệ"),
    (lambda p: p["documents"].append({"name": "", "kind": "original", "count": 1}), "thiếu tên"),
    (lambda p: p["documents"].append({"name": "X", "kind": "scan", "count": 1}), "không hợp lệ"),
])
def test_bad_catalogue_entries_are_refused(mutate, message):
    item = {"code": "1.001612", "name": "Đăng ký thành lập hộ kinh doanh", "field": "HKD", "working_days": 3,
            "fee_vnd": 0, "online_level": "partial", "location_independent": False,
            "documents": [{"name": "Giấy đề nghị", "kind": "original", "count": 1}]}
    mutate(item)
    with pytest.raises(ValidationError, match=message):
        parse_catalogue({"procedures": [item]})


def test_duplicate_codes_are_refused():
    item = {"code": "1.001612", "name": "A", "field": "B", "working_days": 3}
    with pytest.raises(ValidationError, match="hai lần"):
        parse_catalogue({"procedures": [item, dict(item)]})
