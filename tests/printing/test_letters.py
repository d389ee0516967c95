"""The letters (refusal, apology/extension, stop notice) as Decree 30/2020 documents, read back
from the PDF with positions: paper, margins, sizes, header rules, the issuer, "Số:" and "Nơi nhận"."""

from dataclasses import replace

import pytest

from tests.printing.conftest import assert_header_rules, text_mm

LETTERS = [("refused", "refusal", "Xin thông báo cho Ông/Bà"), ("late", "apology", "Trân trọng./."),
           ("stopped", "stop", "Xin thông báo để Ông/Bà")]


def _forms(app, **changes):
    with app.uow() as uow:
        uow.settings.set("forms", replace(app.ctx.settings.forms, **changes).as_values())
        uow.commit()


def _lines(pdf):
    """Runs drawn on one line joined: (x, y, end x) in mm, the footer (in the bottom margin) left out."""
    lines: dict = {}
    for s in pdf.spans():
        font = "TNR-BoldItalic" if "BoldItalic" in s["font"] else "TNR-Bold" if "Bold" in s["font"] else \
            "TNR-Italic" if "Italic" in s["font"] else "TNR"
        key = (round(s["x"], 2), round(s["y"], 2))
        lines[key] = lines.get(key, 0.0) + text_mm(s["text"], font, s["size"])
    return [(x, y, x + w) for (x, y), w in lines.items() if y > 10]


@pytest.mark.parametrize("key, form, closing", LETTERS)
def test_letters_are_decree_30_documents_on_a4(printer, dossiers, key, form, closing):
    pdf, _ = printer(dossiers[key], form)
    assert len(pdf.pages) == 1 and pdf.size_mm() == (210, 297)
    lines = _lines(pdf)
    assert min(x for x, _, _ in lines) >= 30 - 0.05  # left margin 30–35 mm
    assert max(end for _, _, end in lines) <= 210 - 15 + 0.3  # right margin 15–20 mm
    assert max(y for _, y, _ in lines) <= 297 - 20  # top margin 20–25 mm (baselines below it)
    assert min(y for _, y, _ in lines) >= 20  # bottom margin
    assert pdf.span(closing)["size"] == 13  # body 13–14 pt
    assert pdf.span("Độc lập - Tự do - Hạnh phúc")["size"] == 13
    assert pdf.span("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")["size"] == 12


@pytest.mark.parametrize("key, form", [("late", "apology"), ("stopped", "stop")])
def test_nơi_nhận_is_upright_11_pt_under_a_12_pt_bold_italic_heading(printer, dossiers, key, form):
    pdf, _ = printer(dossiers[key], form)
    heading, item = pdf.span("Nơi nhận:"), pdf.span("- Lưu: VT.")
    assert heading["size"] == 12 and "BoldItalic" in heading["font"]
    assert item["size"] == 11 and "Italic" not in item["font"] and "Bold" not in item["font"]


def test_header_rules_sit_centred_under_what_they_rule(printer, dossiers):
    pdf, _ = printer(dossiers["late"], "apology")
    assert_header_rules(pdf, "ỦY BAN NHÂN DÂN XÃ ĐỊNH MỸ")
    pdf, _ = printer(dossiers["refused"], "refusal")
    assert_header_rules(pdf, "TRUNG TÂM PHỤC VỤ")  # the unit wraps in two even lines; the rule follows them


def test_the_issuer_heads_the_letter_speaks_in_it_and_signs_for_the_body(printer, dossiers, app):
    _forms(app, header_lines=("UBND TỈNH GIA LAI", "UBND XÃ ĐỊNH MỸ"), head_name="Nguyễn Văn Bình")
    pdf, _ = printer(dossiers["late"], "apology")
    text = pdf.text()
    unit, parent = pdf.span("ỦY BAN NHÂN DÂN XÃ ĐỊNH MỸ"), pdf.span("UBND TỈNH GIA LAI")
    assert "Bold" in unit["font"] and parent["y"] > unit["y"]
    # The counter's own header (its unit and the abbreviated agency line) is not the issuer's.
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" not in text and "UBND XÃ ĐỊNH MỸ" not in text
    assert "Tuy nhiên đến nay, Ủy ban nhân dân xã Định Mỹ chưa trả kết quả" in text
    assert "Ủy ban nhân dân xã Định Mỹ xin lỗi Ông/Bà" in text
    for_body, title, name = pdf.span("TM. ỦY BAN NHÂN DÂN"), pdf.span("CHỦ TỊCH"), pdf.span("Nguyễn Văn Bình")
    assert for_body["y"] > title["y"] > name["y"] and for_body["x"] > 105  # the right half
    _forms(app, head_for="", head_title="GIÁM ĐỐC", issuer_name="Trung tâm Phục vụ hành chính công xã Định Mỹ")
    text = printer(dossiers["stopped"], "stop")[0].text()
    assert "TM." not in text and "GIÁM ĐỐC" in text and "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ ĐỊNH MỸ" in text
    assert "Trung tâm Phục vụ hành chính công xã Định Mỹ thông báo dừng giải quyết hồ sơ" in text


def test_letter_numbers_come_from_the_offices_outgoing_sequence_of_the_year(printer, dossiers, app):
    assert "Số: 01/TTPVHCC" in printer(dossiers["refused"], "refusal", preview=True)[0].text()
    assert "Số: 01/TTPVHCC" in printer(dossiers["refused"], "refusal")[0].text()  # the preview took nothing
    assert "Số: 02/TB-UBND" in printer(dossiers["stopped"], "stop")[0].text()
    assert "Số: 02/TB-UBND" in printer(dossiers["stopped"], "stop")[0].text()  # a reprint keeps its number
    _forms(app, letter_suffix="UBND-VP")
    assert "Số: 03/UBND-VP" in printer(dossiers["late"], "apology")[0].text()
    printed = [e.payload for e in app.queries.get(dossiers["stopped"]).events if e.kind == "printed"]
    assert [(p["outgoing_number"], p["outgoing_year"], p["reprint"]) for p in printed] == [
        (2, 2026, False), (2, 2026, True)]
    # The slips keep their own "Số:" (the dossier code), outside the letters' sequence.
    assert f"Số: {dossiers['supplement']}/HDHS" in printer(dossiers["supplement"], "supplement")[0].text()


def test_a_restored_counter_numbers_its_letters_after_those_it_had_printed(printer, dossiers, app):
    """Catch-up after a restore takes back the server's copies of this device's events; a letter
    number one of them used is used, and the next letter comes after it."""
    code = dossiers["stopped"]
    status = app.queries.get(code).status
    body = {"uuid": "00000000-0000-4000-8000-000000000777", "device_seq": 10_000, "dossier_code": code,
            "kind": "printed", "at": "2026-06-12T11:00:00+07:00", "officer": "Cán bộ A", "status_before": status,
            "status_after": status, "payload": {"form": "stop", "print_number": 1, "form_set": "2025",
                                                "reprint": False, "outgoing_number": 7, "outgoing_year": 2026,
                                                "for_event": "another letter"}}
    with app.uow() as uow:
        assert uow.catch_up.import_own([body]) == 1
        uow.commit()
    assert "Số: 08/TB-UBND" in printer(code, "stop")[0].text()
