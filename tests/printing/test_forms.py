"""Each official form rendered from a committed dossier and read back from the PDF."""

import unicodedata

import pytest

from counter_app.core.errors import ValidationError
from counter_app.core.model import DocumentLine
from counter_app.printing.templates import load_form_set
from tests.conftest import applicant, outbox_count, request
from tests.printing.conftest import assert_clean_fonts, needs_tools, text_mm

A5 = (148, 210)
A4 = (210, 297)


def test_receipt_has_every_field_in_two_a4_copies(printer, dossiers):
    pdf, job = printer(dossiers["received"], "receipt")
    assert len(pdf.pages) == 2 and pdf.size_mm(0) == A4 and pdf.size_mm(1) == A4
    first, second = pdf.text(0), pdf.text(1)
    for text in (first, second):
        for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         "UBND XÃ ĐỊNH MỸ", "Định Mỹ, ngày 10 tháng 6 năm 2026",
                         "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {dossiers['received']}",
                         "Tiếp nhận hồ sơ của: Nguyễn Văn Ấn", "Địa chỉ: Thôn Phú Mỹ, xã Định Mỹ, tỉnh Gia Lai",
                         "Số điện thoại: 0912345678", "an.nguyen@example.vn",
                         "Trung tâm Phục vụ hành chính công – UBND xã Định Mỹ:",
                         "Nội dung yêu cầu giải quyết: Đăng ký thành lập hộ kinh doanh",
                         "1. Thành phần hồ sơ nộp gồm", "Giấy đề nghị đăng ký hộ kinh doanh",
                         "2. Số lượng hồ sơ: 1 (bộ)",
                         "3. Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc",
                         "4. Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 10/06/2026",
                         "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 15 phút, ngày 15/06/2026",
                         "6. Đăng ký nhận kết quả tại", "50.000 đồng",
                         "Vào Sổ theo dõi hồ sơ, Quyển số: 01/2026", "Số thứ tự: 1",
                         "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", "Cán bộ A",
                         "được lập thành 2 liên"]:
            assert expected in text, expected
        assert unicodedata.is_normalized("NFC", text)
    assert "(Liên 1: Lưu)" in first and "(Liên 2: Giao khách hàng)" in second
    assert "BẢN IN LẠI" not in first and "BẢN XEM TRƯỚC" not in first
    assert_clean_fonts(pdf)


def test_receipt_on_a5_stays_a_setting(printer, dossiers, app):
    from counter_app.core.settings import FormSettings

    _use_forms(app, FormSettings.from_values({**app.ctx.settings.forms.as_values(), "receipt_layout": "a5_pages",
                                              "paper": "a5"}))
    pdf, _ = printer(dossiers["received"], "receipt")
    assert len(pdf.pages) == 2 and pdf.size_mm(0) == A5 and pdf.size_mm(1) == A5
    assert "(Liên 1: Lưu)" in pdf.text(0) and "(Liên 2: Giao khách hàng)" in pdf.text(1)
    assert printer(dossiers["supplement"], "supplement")[0].size_mm() == A5


@needs_tools
def test_receipt_qr_and_barcode_decode(printer, dossiers, app):
    from counter_app.core.settings import FormSettings

    code = dossiers["received"]
    pdf, _ = printer(code, "receipt")
    assert pdf.decode_codes(page=1) >= {f"QR-Code:{code}", f"CODE-128:{code}"}
    # A configured look-up URL goes into the QR, with the code in it.
    forms = FormSettings.from_values({**app.ctx.settings.forms.as_values(),
                                      "lookup_url": "https://dichvucong.gialai.gov.vn/tra-cuu?ma={code}"})
    _use_forms(app, forms)
    pdf, _ = printer(code, "receipt")
    assert f"QR-Code:https://dichvucong.gialai.gov.vn/tra-cuu?ma={code}" in pdf.decode_codes(page=2)


def _use_forms(app, forms):
    from dataclasses import replace

    with app.uow() as uow:
        uow.settings.set("forms", forms.as_values())
        uow.commit()
    assert app.ctx.settings.forms == forms or replace(forms) == app.ctx.settings.forms


def test_receipt_on_two_halves_of_an_a4_sheet(printer, dossiers, app):
    from counter_app.core.settings import FormSettings

    _use_forms(app, FormSettings.from_values({**app.ctx.settings.forms.as_values(), "receipt_layout": "a4_halves"}))
    pdf, _ = printer(dossiers["received"], "receipt")
    assert len(pdf.pages) == 1 and pdf.size_mm(0) == (297, 210)
    text = pdf.text()
    assert "(Liên 1: Lưu)" in text and "(Liên 2: Giao khách hàng)" in text


def test_certified_copy_receipt_lists_pages_copies_and_fees(printer, dossiers):
    pdf, _ = printer(dossiers["copies"], "receipt")
    text = pdf.text(0)
    for expected in ("Số trang", "Số bản", "Lệ phí", "Giấy khai sinh", "4.000 đồng", "12.000 đồng",
                     "trong ngày (nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo)", "16.000 đồng"):
        assert expected in text, expected


def test_print_is_recorded_and_a_second_print_is_marked_reprint(printer, dossiers, app):
    code = dossiers["received"]
    before = outbox_count(app)
    first, job1 = printer(code, "receipt")
    second, job2 = printer(code, "receipt")
    assert (job1.mark.value, job2.mark.value, job2.print_number) == ("original", "reprint", 2)
    assert "BẢN IN LẠI" in second.text(0) and "BẢN IN LẠI" not in first.text(0)
    printed = [e for e in app.queries.get(code).events if e.kind == "printed"]
    assert [e.payload["print_number"] for e in printed] == [1, 2]
    assert printed[0].payload["form"] == "receipt" and printed[0].officer == "Trần Thị Bích"
    assert outbox_count(app) == before + 2  # each print is an event with its outbox row


def test_preview_is_marked_and_not_recorded(printer, dossiers, app):
    code = dossiers["received"]
    before = outbox_count(app)
    pdf, job = printer(code, "receipt", preview=True)
    assert job.mark.value == "preview" and "BẢN XEM TRƯỚC" in pdf.text(0)
    assert outbox_count(app) == before
    assert not [e for e in app.queries.get(code).events if e.kind == "printed"]


def test_supplement_form(printer, dossiers):
    pdf, _ = printer(dossiers["supplement"], "supplement")
    text = pdf.text()
    for expected in ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", f"Số: {dossiers['supplement']}/HDHS",
                     "Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:",
                     "1. Giấy chứng sinh (bản chính)", "2. Văn bản ủy quyền có chứng thực",
                     "Lý do: Giấy chứng sinh bị nhòe, không đọc được", "để được hướng dẫn./.",
                     "NGƯỜI HƯỚNG DẪN", "Lê Văn Cường", "Đăng ký khai sinh"):
        assert expected in text, expected
    assert pdf.size_mm() == A4
    assert_clean_fonts(pdf)


def test_refusal_form(printer, dossiers):
    pdf, _ = printer(dossiers["refused"], "refusal")
    text = pdf.text()
    for expected in ("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "thông báo không tiếp nhận, giải quyết hồ sơ này",
                     "Thủ tục thuộc thẩm quyền Công an xã", "Xin thông báo cho Ông/Bà được biết và thực hiện",
                     "NGƯỜI TIẾP NHẬN HỒ SƠ", "Đăng ký thường trú"):
        assert expected in text, expected
    assert_clean_fonts(pdf)


def test_apology_2025_and_2018_wording(printer, dossiers, app):
    from counter_app.core.settings import FormSettings

    pdf, _ = printer(dossiers["late"], "apology")
    text = pdf.text()
    for expected in ("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", "Kính gửi: Ông/Bà Nguyễn Văn Ấn",
                     "Ngày hẹn trả kết quả giải quyết hồ sơ: 09 giờ 15 phút, ngày 15/06/2026",
                     "Chờ kết quả xác minh tình trạng hôn nhân", "xin lỗi Ông/Bà vì sự chậm trễ này",
                     "09 giờ 00 phút, ngày 22/06/2026", "Nơi nhận:", "CHỦ TỊCH", "(Ký, ghi rõ họ tên và đóng dấu)"):
        assert expected in text, expected
    _use_forms(app, FormSettings.from_values({**app.ctx.settings.forms.as_values(), "form_set": "2018"}))
    old = printer(dossiers["late"], "apology")[0].text()
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in old and "Thời gian hẹn trả kết quả lại" in old
    assert "Mẫu số 04 – Thông tư 01/2018/TT-VPCP" in old


def test_stop_notice_exists_only_in_the_2025_set(printer, dossiers, app):
    from counter_app.core.settings import FormSettings

    text = printer(dossiers["stopped"], "stop")[0].text()
    for expected in ("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "thông báo dừng giải quyết hồ sơ nêu trên",
                     "Người nộp không bổ sung hồ sơ trong thời hạn", "Mẫu số 05 – Thông tư 03/2025/TT-VPCP"):
        assert expected in text, expected
    _use_forms(app, FormSettings.from_values({**app.ctx.settings.forms.as_values(), "form_set": "2018"}))
    before = outbox_count(app)
    with pytest.raises(ValidationError, match="không có mẫu"):
        printer(dossiers["stopped"], "stop")
    assert outbox_count(app) == before  # a failed render records nothing


def test_control_sheet_from_history_with_deadline_marks(printer, dossiers):
    pdf, _ = printer(dossiers["received"], "control")
    text = pdf.text()
    for expected in ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Kèm theo hồ sơ của: Nguyễn Văn Ấn",
                     "TÊN CƠ QUAN", "THỜI GIAN GIAO, NHẬN HỒ SƠ", "1. Giao: UBND xã Định Mỹ",
                     "2. Nhận: Trung tâm Phục vụ hành chính công",
                     "16 giờ 00 phút, ngày 15/06/2026", "Quá hạn", "Người giao", "Người nhận",
                     "Mẫu số 06 – Thông tư 03/2025/TT-VPCP"):
        assert expected in text, expected
    supplement = printer(dossiers["supplement"], "control")[0].text()
    assert "Trước hạn" in supplement and "Công chức Tư pháp – Hộ tịch" in supplement


@pytest.mark.parametrize("key, form", [("received", "refusal"), ("refused", "receipt"), ("received", "supplement"),
                                       ("received", "apology"), ("received", "stop"), ("refused", "control")])
def test_forms_the_history_does_not_support_are_refused(printer, dossiers, app, key, form):
    before = outbox_count(app)
    with pytest.raises(ValidationError, match="Không in được"):
        printer(dossiers[key], form)
    assert outbox_count(app) == before


def test_decomposed_input_prints_composed(printer, app):
    from tests.conftest import applicant, request

    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Thuỷ")
    code = app.intake.receive(request(applicant=applicant(full_name=nfd, gender=None, id_number=None))).code
    text = printer(code, "receipt")[0].text(0)
    assert "Nguyễn Thị Thuỷ" in text and nfd not in text


def test_form_sets_inherit_and_differ_where_the_circulars_differ():
    new, old = load_form_set("2025"), load_form_set("2018")
    differ = {k for k, v in new.form("receipt")["lines"].items() if old.form("receipt")["lines"][k] != v}
    assert differ == {"unit"}  # the counter named as the 2025 header names it
    assert new.form("receipt")["wording_from"] == "2018"
    assert (new.form("control")["number"], old.form("control")["number"]) == ("06", "05")
    assert (new.form("register")["number"], old.form("register")["number"]) == ("07", "06")
    assert new.form("apology")["title"] != old.form("apology")["title"]
    assert "stop" in new.forms and "stop" not in old.forms
    assert len(new.form("register")["columns"]) == 14


def test_receipt_lists_only_the_documents_ticked_as_submitted(printer, app):
    procedure = next(p for p in app.catalogue.procedures() if p.code == "1.004194")  # Đăng ký tạm trú
    declaration, army, police = (next(d.name for d in procedure.documents if key in d.name)
                                 for key in ("Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA); người",
                                             "(Quân đội nhân dân)", "(Công an nhân dân)"))
    default = app.intake.receive(request("1.004194"))  # nothing said: the required documents
    pdf, _ = printer(default.code, "receipt")
    assert len(pdf.pages) == 2  # one A5 page per copy, not four
    text = pdf.text(0)
    assert "Mẫu CT01" in text and "Giấy giới thiệu" not in text and "theo danh sách" not in text
    ticked = app.intake.receive(request("1.004194", documents=[DocumentLine(declaration), DocumentLine(army)]))
    text = printer(ticked.code, "receipt")[0].text(0)
    assert "(Quân đội nhân dân)" in text and police not in text and "(Công an nhân dân)" not in text


LONG_ADDRESS = ("Số nhà 1234/56/7, hẻm 89 đường Nguyễn Thị Minh Khai, tổ dân phố số 15, khu phố Phú Mỹ Hưng, "
                "thôn Định Bình, xã Định Mỹ, tỉnh Gia Lai (gần chợ Định Mỹ, cạnh trạm y tế xã, đối diện trường tiểu học số 2)")


def _long_receipt(app, documents: int) -> str:
    from counter_app.core.model import DocumentKind

    assert len(LONG_ADDRESS) >= 200
    docs = [DocumentLine(f"Giấy tờ số {i:02d}: bản sao hợp lệ giấy chứng nhận kèm bản kê khai chi tiết", kind, 1)
            for i, kind in zip(range(1, documents + 1), [*DocumentKind] * documents)]
    return app.intake.receive(request(applicant=applicant(address=LONG_ADDRESS), documents=docs)).code


@pytest.mark.parametrize("layout, documents", [("a4_pages", 12), ("a5_pages", 12), ("a4_halves", 12),
                                               ("a5_pages", 40)])
def test_a_receipt_copy_never_parts_from_its_signatures(printer, app, layout, documents):
    from counter_app.core.settings import FormSettings

    code = _long_receipt(app, documents)
    _use_forms(app, FormSettings.from_values({**app.ctx.settings.forms.as_values(), "receipt_layout": layout}))
    pdf, _ = printer(code, "receipt")
    halves = layout == "a4_halves"
    assert len(pdf.pages) == (1 if halves else 2)
    for page in range(len(pdf.pages)):
        text = pdf.text(page)
        copies = 2 if halves else 1
        for expected in ("Tiếp nhận hồ sơ của", "đối diện trường tiểu học", "Giấy tờ số 01", f"Giấy tờ số {documents}",
                         "Vào Sổ theo dõi hồ sơ", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Ghi chú"):
            assert text.count(expected) == copies, (page, expected)


def test_receipt_halves_put_copy_1_on_the_left_and_copy_2_on_the_right(printer, dossiers, app):
    from counter_app.core.settings import FormSettings

    _use_forms(app, FormSettings.from_values({**app.ctx.settings.forms.as_values(), "receipt_layout": "a4_halves"}))
    pdf, _ = printer(dossiers["received"], "receipt")
    half = 297 / 2
    first, second = pdf.span("(Liên 1: Lưu)"), pdf.span("(Liên 2: Giao khách hàng)")
    assert first["x"] + text_mm(first["text"], "TNR-Italic", first["size"]) < half < second["x"]
    # One copy is laid out once and stamped twice: at the left edge, then at the middle of the sheet;
    # everything in it (rules, grid) stays within a half.
    assert pdf.placements() == [0.0, pytest.approx(half, abs=0.01)]
    assert max(x1 for _, x1, _ in pdf.hlines()) < half


def test_a_reprinted_receipt_keeps_the_original_appointment(printer, dossiers):
    receipt = printer(dossiers["late"], "receipt")[0].text(0)
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 15 phút, ngày 15/06/2026" in receipt
    assert "22/06/2026" not in receipt
    assert "09 giờ 00 phút, ngày 22/06/2026" in printer(dossiers["late"], "apology")[0].text()


def test_a_multi_line_supplement_reason_keeps_its_lines(printer, app):
    code = app.intake.receive(request("1.001193")).code
    app.actions.forward(code, "Cán bộ A")
    app.actions.request_supplement(code, "Lê Văn Cường", "Giấy chứng sinh bị nhòe\n  Thiếu chữ ký của người đi "
                                   "đăng ký  \n\nTờ khai ghi sai ngày sinh")
    pdf, _ = printer(code, "supplement")
    numbered = {s["text"]: s["y"] for s in pdf.spans() if s["text"][:3] in ("1. ", "2. ", "3. ")}
    assert list(numbered) == ["1. Giấy chứng sinh bị nhòe", "2. Thiếu chữ ký của người đi đăng ký",
                              "3. Tờ khai ghi sai ngày sinh"]
    assert len(set(numbered.values())) == 3  # one line each
    # With documents listed, the reason follows them as its own numbered lines.
    code = app.intake.receive(request("1.001193")).code
    app.actions.forward(code, "Cán bộ A")
    app.actions.request_supplement(code, "Lê Văn Cường", "Giấy chứng sinh bị nhòe\nThiếu chữ ký",
                                   ["Giấy chứng sinh (bản chính)"])
    text = printer(code, "supplement")[0].text()
    assert "1. Giấy chứng sinh (bản chính) Lý do: 1. Giấy chứng sinh bị nhòe 2. Thiếu chữ ký" in text


def test_the_2025_forms_name_the_counter_as_the_header_does(printer, dossiers, app):
    from counter_app.core.settings import FormSettings
    from counter_app.core.text import fold

    forms = [("received", "receipt"), ("received", "control"), ("supplement", "supplement"),
             ("refused", "refusal"), ("late", "apology"), ("stopped", "stop")]
    for key, form in forms:
        text = printer(dossiers[key], form)[0].text()
        assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in text or form in ("apology", "stop")
        assert "bo phan tn&tkq" not in fold(text) and "bo phan tiep nhan va tra ket qua" not in fold(text), form
    assert "được lưu tại Trung tâm Phục vụ hành chính công" in printer(dossiers["received"], "receipt")[0].text()
    _use_forms(app, FormSettings.from_values({**app.ctx.settings.forms.as_values(), "form_set": "2018"}))
    assert "Bộ phận tiếp nhận và trả kết quả:" in printer(dossiers["received"], "receipt")[0].text()  # the 2018 text


def test_2025_wording_carried_over_from_2018_is_marked_in_the_data():
    import json

    from counter_app.printing.templates import forms_dir

    raw = json.loads((forms_dir() / "tt03-2025.json").read_text("utf-8"))["forms"]
    old, new = load_form_set("2018"), load_form_set("2025")
    for kind, own in raw.items():
        if kind not in old.forms:
            assert own["wording_from"].startswith("none"), kind  # written for this set, said so
            continue
        marked = set(own.get("carried_over", [])) | set(own.get("adapted", {}))
        lines = set(new.form(kind).get("lines", {}))
        assert own.get("wording_from") and lines <= marked, (kind, lines - marked)
        assert set(own.get("lines", {})) <= set(own.get("adapted", {})), kind  # a changed line says why
        # A line taken over unchanged is the 2018 text, word for word.
        for key in own.get("carried_over", []):
            if key in lines:
                assert new.form(kind)["lines"][key] == old.form(kind)["lines"][key], (kind, key)
