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
    (lambda p: p["documents"].append({"name": "X", "group": 3}), "chuỗi ký tự"),
    (lambda p: p["documents"].append({"name": "X", "case": ["ủy quyền"]}), "chuỗi ký tự"),
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


DOCS = [
    {"name": "Tờ khai thay đổi thông tin cư trú", "kind": "original", "count": 1},
    {"name": "Giấy giới thiệu (Quân đội nhân dân)", "kind": "original", "count": 1,
     "group": "Giấy giới thiệu của đơn vị", "case": "đăng ký tạm trú tại nơi đơn vị đóng quân"},
    {"name": "Giấy giới thiệu (Công an nhân dân)", "kind": "original", "count": 1,
     "group": "Giấy giới thiệu của đơn vị", "case": "đăng ký tạm trú tại nơi đơn vị đóng quân"},
    {"name": "Văn bản đề nghị kèm danh sách", "kind": "original", "count": 1, "case": "đăng ký theo danh sách"},
    {"name": "Căn cước điện tử", "kind": "original", "count": 1, "group": "Giấy tờ tùy thân"},
]


def _procedure(documents):
    return {"code": "1.004194", "name": "Đăng ký tạm trú", "field": "Cư trú", "working_days": 3,
            "documents": documents}


def test_documents_carry_their_group_and_case_through_export():
    (p,) = parse_catalogue({"procedures": [_procedure(DOCS)]})
    assert [d.required for d in p.documents] == [True, False, False, False, False]
    assert p.documents[1].group == "Giấy giới thiệu của đơn vị" and p.documents[3].case == "đăng ký theo danh sách"
    assert p.documents[1].condition_vi == ("Trường hợp đăng ký tạm trú tại nơi đơn vị đóng quân; "
                                           "Một trong: Giấy giới thiệu của đơn vị")
    exported = export_catalogue([p])["procedures"][0]["documents"]
    assert exported == DOCS  # keys only where set, so a required document keeps the old shape
    assert parse_catalogue({"procedures": [_procedure(exported)]}) == [p]


def test_old_files_without_group_or_case_load_as_required_documents():
    old = [{"name": "Giấy đề nghị", "kind": "original", "count": 1}, {"name": "Bản sao hợp đồng"}]
    (p,) = parse_catalogue({"procedures": [_procedure(old)]})
    assert all(d.required and d.group is None and d.case is None for d in p.documents)
    blank = [{"name": "Giấy đề nghị", "group": " ", "case": ""}]  # blank keys are no keys
    assert parse_catalogue({"procedures": [_procedure(blank)]})[0].documents[0].required


# A document name that stops on one of these (or on open punctuation) was cut mid-sentence.
DANGLING_WORDS = {"số", "theo", "của", "và", "hoặc", "tại", "về", "cho", "với", "các", "những", "trong", "được",
                  "là", "thì", "bằng", "từ", "do", "gồm", "như", "để", "mà", "nếu", "trừ", "kèm", "Điều",
                  "khoản", "điểm", "ngày", "đối", "Mẫu", "sau", "đây"}
DANGLING_TAILS = ("…", "...", ",", ";", ":", "-", "+", "/", "(", "Thông tư số", "Nghị định số", "Quyết định số",
                  "ban hành kèm theo", "trong trường hợp", "đối với trường hợp")


def _cut_mid_sentence(name: str) -> str | None:
    if name.endswith(DANGLING_TAILS):
        return "dangling tail"
    if name.rsplit(" ", 1)[-1] in DANGLING_WORDS:
        return "dangling word"
    depth = 0
    for ch in name:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return "closing parenthesis before opening"
    if depth or name.count('"') % 2 or name.count("“") != name.count("”") or name.count("«") != name.count("»"):
        return "unbalanced parentheses or quotes"
    if any(a.islower() and b.isupper() and c.islower() for a, b, c in zip(name, name[1:], name[2:])):
        return "two words run together"  # "…QĐ-TTgGiấy đề"
    return None


def test_bundled_document_names_are_whole():
    procedures = parse_catalogue(json.loads(BUNDLED.read_text("utf-8")))
    cut = {(p.code, d.name): why for p in procedures for d in p.documents if (why := _cut_mid_sentence(d.name))}
    assert cut == {}
    for p in procedures:
        assert len({d.name.casefold() for d in p.documents}) == len(p.documents), p.code
        for d in p.documents:
            assert 1 <= d.count <= 10, (p.code, d.name)  # no form number glued to the count
            assert not d.name.startswith(("Trường hợp", "Nếu ", "Một trong")), (p.code, d.name)
        groups = [d.group for d in p.documents if d.group]
        assert all(groups.count(g) >= 2 for g in groups), p.code  # an alternative has company


def test_the_dangling_check_catches_what_the_source_had():
    for name in ("Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số",
                 "Giấy đề nghị rà soát hộ nghèo theo Mẫu số 01 tại Phụ lục ban hành kèm theo Quyết định số "
                 "24/2021/QĐ-TTgGiấy đề", "Đơn đăng ký biến động đất đai theo Mẫu số",
                 "Văn bản đề nghị (Mẫu số 08 tại Phụ lục", "Văn bản ủy quyền theo quy định của",
                 "Giấy tờ tùy thân để chứng minh về nhân thân…"):
        assert _cut_mid_sentence(name), name
    assert _cut_mid_sentence("Giấy chứng sinh") is None


def test_bundled_temporary_residence_ticks_only_the_declaration():
    from counter_app.core.checklist import default_documents

    by_code = {p.code: p for p in parse_catalogue(json.loads(BUNDLED.read_text("utf-8")))}
    residence = by_code["1.004194"]  # Đăng ký tạm trú: 7 portal items, 4 of them for other cases
    assert [d.name for d in default_documents(residence)] == [
        "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA); người chưa "
        "thành niên ghi rõ ý kiến đồng ý của cha, mẹ hoặc người giám hộ"]
    letters = [d for d in residence.documents if d.group == "Giấy giới thiệu của đơn vị"]
    assert len(letters) == 2 and all(d.case == "đăng ký tạm trú tại nơi đơn vị đóng quân" for d in letters)
    assert {d.case for d in residence.documents if "danh sách" in d.name} == {"đăng ký tạm trú theo danh sách"}
    birth = by_code["1.001193"]  # Đăng ký khai sinh: the fallbacks of a birth certificate are cases
    assert [d.name for d in default_documents(birth)][0] == "Giấy chứng sinh"
    assert {d.case for d in birth.documents if not d.required} >= {"không có Giấy chứng sinh", "trẻ em bị bỏ rơi",
                                                                   "nộp hồ sơ trực tuyến"}
    signature = by_code["2.000884"]  # "một trong các giấy tờ sau": identity papers are alternatives
    assert {d.group for d in signature.documents if d.group} == {"Giấy tờ tùy thân còn giá trị sử dụng"}


SHARED_SOURCE = ROOT.parent / "shared" / "data" / "commune-procedures.json"


@pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="the portal extract lives in shared/, beside the repo")
def test_bundled_catalogue_is_what_the_build_script_makes(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "catalogue.json"
    subprocess.run([sys.executable, str(ROOT / "resources" / "catalogue" / "build_catalogue.py"),
                    str(SHARED_SOURCE), str(out)], check=True, timeout=120)
    assert out.read_text("utf-8") == BUNDLED.read_text("utf-8")
