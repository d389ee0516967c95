"""The intake checklist: what is ticked by default, and what a supplement request asks for."""

from counter_app.core.checklist import default_documents, missing_documents
from counter_app.core.intake import normalise_documents
from counter_app.core.model import DocumentKind, DocumentLine, Procedure, RequiredDocument

ID = "Giấy tờ tùy thân"
PROCEDURE = Procedure(
    code="1.004194", name="Đăng ký tạm trú", field="Cư trú", working_days=3,
    documents=(
        RequiredDocument("Tờ khai CT01"),
        RequiredDocument("Giấy chứng nhận kết hôn", DocumentKind.CERTIFIED_COPY, 2),
        RequiredDocument("Căn cước điện tử", group=ID),
        RequiredDocument("Hộ chiếu", group=ID),
        RequiredDocument("Giấy giới thiệu (Quân đội)", group="Giấy giới thiệu", case="đơn vị đóng quân"),
        RequiredDocument("Giấy giới thiệu (Công an)", group="Giấy giới thiệu", case="đơn vị đóng quân"),
        RequiredDocument("Văn bản ủy quyền", case="ủy quyền thực hiện thủ tục"),
    ))


def test_only_required_documents_are_ticked_by_default():
    assert default_documents(PROCEDURE) == (
        DocumentLine("Tờ khai CT01"), DocumentLine("Giấy chứng nhận kết hôn", DocumentKind.CERTIFIED_COPY, 2))
    assert normalise_documents(None, PROCEDURE) == default_documents(PROCEDURE)  # intake without a list
    assert [d.condition_vi for d in PROCEDURE.documents] == [
        "", "", "Một trong: Giấy tờ tùy thân", "Một trong: Giấy tờ tùy thân",
        "Trường hợp đơn vị đóng quân; Một trong: Giấy giới thiệu",
        "Trường hợp đơn vị đóng quân; Một trong: Giấy giới thiệu", "Trường hợp ủy quyền thực hiện thủ tục"]


def test_supplement_asks_for_missing_required_documents_and_an_empty_group_once():
    names = [d.name for d in PROCEDURE.documents]
    ticked = ["Giấy chứng nhận kết hôn"]
    unticked = [n for n in names if n not in ticked] + ["Bản sao sổ đỏ"]  # a row the officer added
    assert missing_documents(PROCEDURE, ticked, unticked) == [
        "Tờ khai CT01", "Một trong các giấy tờ (Giấy tờ tùy thân): Căn cước điện tử; Hộ chiếu", "Bản sao sổ đỏ"]


def test_supplement_leaves_out_a_group_with_one_document_submitted():
    ticked = ["Tờ khai CT01", "Giấy chứng nhận kết hôn", "Hộ chiếu"]
    unticked = [d.name for d in PROCEDURE.documents if d.name not in ticked]
    assert missing_documents(PROCEDURE, ticked, unticked) == []
    assert missing_documents(None, [], ["Giấy tờ khác"]) == ["Giấy tờ khác"]  # no procedure chosen
