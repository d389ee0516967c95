"""Issue 14 item 15: the national portal's DongBoHoSoMC record built from what counters pushed.

Real counters (SQLite files) push to the real reference server; ``provincial-server export-dvcqg``
runs as a process and its file is read back."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta

from counter_app.core.calendar import TZ
from counter_app.core.intake import IntakeRequest
from counter_app.core.model import Channel, DocumentKind, DocumentLine, ReturnMethod
from counter_app.core.postal import PostalIntake
from tests.conftest import ROOT, FixedClock, applicant

FIELD = "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)"  # 1.001612's lĩnh vực in the catalogue


def portal(moment: datetime | str | None) -> str:
    if moment is None:
        return ""
    moment = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return moment.astimezone(TZ).strftime("%Y%m%d%H%M%S")


def export(province, tmp_path, codes: dict | None = None) -> dict[str, dict]:
    out, args = tmp_path / "dvcqg.json", []
    if codes is not None:
        (tmp_path / "codes.json").write_text(json.dumps(codes), "utf-8")
        args = ["--codes", str(tmp_path / "codes.json")]
    run = subprocess.run([sys.executable, "-m", "provincial_server", "--db", province.db.url, "export-dvcqg",
                          "--since", "2000-01-01", "--out", str(out), *args], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    return {r["MaHoSo"]: r for r in json.loads(out.read_text("utf-8"))["data"]}


def intake(**kw) -> IntakeRequest:
    values = dict(procedure_code="1.001612", applicant=applicant(), officer="Cán bộ A",
                  documents=[DocumentLine("Giấy đề nghị đăng ký hộ kinh doanh", DocumentKind.ORIGINAL, 1)])
    values.update(kw)
    return IntakeRequest(**values)


def test_the_record_carries_the_portal_fields_from_the_pushed_events(province, make_counter, tmp_path):
    clock = FixedClock(datetime.now(TZ).replace(microsecond=0, second=0) - timedelta(days=3))
    counter = make_counter(province, clock=clock)
    app = counter.app
    a = app.intake.receive(intake())
    b = app.intake.receive(intake(channel=Channel.POST, return_method=ReturnMethod.POST,
                                  return_address="Thôn 1, xã Định Mỹ", postal=PostalIntake("RR123456785VN")))
    c = app.intake.refuse(intake(), "Hồ sơ không thuộc thẩm quyền")
    app.actions.forward(a.code, "Cán bộ A")
    clock.at += timedelta(days=1)
    app.actions.request_supplement(a.code, "Cán bộ Bình", "Thiếu giấy tờ về địa điểm kinh doanh",
                                   ["Hợp đồng thuê địa điểm", "Bản sao giấy chứng nhận quyền sử dụng đất"])
    asked_at = clock.now()
    clock.at += timedelta(days=1)
    app.actions.supplied(a.code, "Cán bộ Châu")
    supplied_at = clock.now()
    app.actions.result_ready(b.code, "Cán bộ A")
    assert counter.sync().ok
    ready = province.service.set_status(a.code, "result_ready", note="Đã ký")  # the province's own system

    records = export(province, tmp_path, codes={"NoiNopHoSo": {"counter": "1"}})
    ra, rb, rc = records[a.code], records[b.code], records[c.code]
    assert all(isinstance(v, str) for r in records.values() for v in r.values() if not isinstance(v, list))

    assert (ra["MaLinhVuc"], ra["TenLinhVuc"]) == ("", FIELD)  # the catalogue has no field codes
    assert (ra["KenhThucHien"], rb["KenhThucHien"], rc["KenhThucHien"]) == ("1", "3", "1")
    assert ra["NgayNopHoSo"] == ra["NgayTiepNhan"] == portal(a.received_at)
    assert (ra["SoGiayToChuHoSo"], ra["DinhDanhCHS"]) == ("052090123456", "1")
    assert (ra["NoiNopHoSo"], rb["NoiNopHoSo"]) == ("1", "")  # the province's code file; unknown stays empty
    assert ra["DonViXuLy"] == "UBND xã Định Mỹ"
    assert ra["NgayKetThucXuLy"] == portal(ready["at"]) and rb["NgayKetThucXuLy"] == portal(supplied_at)
    assert ra["HoSoCoThanhPhanSoHoa"] == "0"
    assert [(t["TenTepDinhKem"], t["DuocSoHoa"], t["DuocTaiSuDung"]) for t in ra["TaiLieuNop"]] == [
        ("Giấy đề nghị đăng ký hộ kinh doanh", "0", "0")]

    (supplement,) = ra["DanhSachHoSoBoSung"]
    assert supplement["NguoiYeuCauBoSung"] == "Cán bộ Bình" and supplement["NgayBoSung"] == portal(asked_at)
    assert "Thiếu giấy tờ về địa điểm kinh doanh" in supplement["NoiDungBoSung"]
    assert [g["TenGiayTo"] for g in supplement["DanhSachGiayToBoSung"]] == [
        "Hợp đồng thuê địa điểm", "Bản sao giấy chứng nhận quyền sử dụng đất"]
    assert (supplement["NguoiTiepNhanBoSung"], supplement["NgayTiepNhanBoSung"]) == ("Cán bộ Châu", portal(supplied_at))
    assert supplement["NgayHenTraTruoc"] == portal(a.due_at)
    assert supplement["NgayHenTraMoi"] == portal(app.queries.get(a.code).due_at) != portal(a.due_at)
    assert rb["DanhSachHoSoBoSung"] == []

    assert (rc["TrangThaiHoSo"], rc["NgayTuChoi"], rc["TaiLieuNop"]) == ("3", portal(c.received_at), [])
    assert ra["NgayTuChoi"] == "" and rc["NgayKetThucXuLy"] == ""


def test_the_field_code_comes_from_the_catalogue_through_the_intake(province, make_counter, tmp_path):
    counter = make_counter(province)
    procedure = next(p for p in counter.app.catalogue.procedures() if p.code == "1.001612")
    entry = {"code": procedure.code, "name": procedure.name, "field": procedure.field, "field_code": "LV-THU",
             "working_days": procedure.working_days, "fee_vnd": procedure.fee_vnd,
             "documents": [{"name": "Giấy đề nghị đăng ký hộ kinh doanh", "kind": "original"}]}
    province.service.publish("catalogue", [entry])
    assert counter.sync().ok
    code = counter.app.intake.receive(intake()).code
    assert counter.sync().ok
    record = export(province, tmp_path)[code]
    assert (record["MaLinhVuc"], record["TenLinhVuc"]) == ("LV-THU", procedure.field)
    assert record["NoiNopHoSo"] == ""  # the shipped code file leaves the unverified code empty


def test_older_intakes_take_the_field_from_the_servers_catalogue_and_id_kinds_are_coded():
    """Rows as an older counter pushed them: no field in the intake, a 9-digit CMND, an organisation."""
    from provincial_server.dvcqg import dossier_record, load_codes
    from provincial_server.models import Dossier

    def row(applicant: dict) -> Dossier:
        return Dossier(code="H52.101-260610-010001", receiving_agency="H52.101", competent_agency="H52.999",
                       return_agency="H52.101", procedure_code="1.001612", procedure_name="Thủ tục",
                       applicant_name="A", received_at="2026-06-10T15:00:00+07:00", due_at=None,
                       returned_at=None, status="received", status_source="counter", intake_uuid="u",
                       data={"applicant": applicant, "channel": "online"})

    catalogue = {"1.001612": {"code": "1.001612", "field": FIELD, "field_code": "LV-THU"}}
    cmnd = dossier_record(row({"id_number": "212345678"}), [], {}, catalogue)
    assert (cmnd["TenLinhVuc"], cmnd["MaLinhVuc"]) == (FIELD, "LV-THU")
    assert (cmnd["DinhDanhCHS"], cmnd["SoGiayToChuHoSo"], cmnd["KenhThucHien"]) == ("2", "212345678", "2")
    assert cmnd["DonViXuLy"] == "H52.999"  # an agency the server does not know: its code
    assert cmnd["NgayNopHoSo"] == "20260610150000"
    firm = dossier_record(row({"id_number": "0101234567", "kind": "organisation"}), [], {}, {})
    assert (firm["LoaiDoiTuong"], firm["DinhDanhCHS"], firm["SoGiayToChuHoSo"], firm["TenLinhVuc"]) == ("2", "", "", "")
    assert load_codes({"KenhThucHien": {"values": {"online": "9"}}})["KenhThucHien"] == {
        "counter": "1", "online": "9", "post": "3"}
