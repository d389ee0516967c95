"""Documents of a procedure keep their group and case through the store; rows stored before these
keys existed load as required documents (the column is JSON: no schema change)."""

import json

from counter_app.storage.cipher import open_store
from counter_app.core.catalogue import export_catalogue, parse_catalogue

ITEM = {"code": "1.004194", "name": "Đăng ký tạm trú", "field": "Cư trú", "working_days": 3, "documents": [
    {"name": "Tờ khai CT01", "kind": "original", "count": 1},
    {"name": "Căn cước điện tử", "kind": "original", "count": 1, "group": "Giấy tờ tùy thân"},
    {"name": "Hộ chiếu", "kind": "certified_copy", "count": 2, "group": "Giấy tờ tùy thân"},
    {"name": "Văn bản đề nghị kèm danh sách", "kind": "original", "count": 1, "case": "đăng ký theo danh sách"},
]}


def _stored(app, code):
    return next(p for p in app.catalogue.procedures() if p.code == code)


def test_group_and_case_survive_the_store_and_export(app):
    (procedure,) = parse_catalogue({"procedures": [ITEM]})
    app.catalogue.import_procedures([procedure])
    stored = _stored(app, "1.004194")
    assert stored.documents == procedure.documents
    assert [d.required for d in stored.documents] == [True, False, False, False]
    exported = export_catalogue(app.catalogue.procedures())["procedures"]
    exported = next(p for p in exported if p["code"] == "1.004194")
    assert exported["documents"] == ITEM["documents"]
    report = app.catalogue.import_procedures([procedure])
    assert report.unchanged == ["1.004194"]  # the stored shape compares equal to the imported one


def test_rows_written_before_group_and_case_load_as_required(app):
    con = open_store(app.db.path)
    with con:
        con.execute("UPDATE procedure SET documents = ? WHERE code = '1.001612'",
                    (json.dumps([{"name": "Giấy đề nghị đăng ký hộ kinh doanh", "kind": "original",
                                  "count": 1}]),))  # the shape every row had before
    con.close()
    (doc,) = _stored(app, "1.001612").documents
    assert doc.required and doc.group is None and doc.case is None
