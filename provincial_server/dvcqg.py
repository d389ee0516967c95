"""Hand-off to the National Public Service Portal: dossiers as ``DongBoHoSoMC`` records.

Field names and the ``yyyyMMddHHmmss`` (Asia/Ho_Chi_Minh) date format follow the OpenCPS DVCQG
integration and a provincial system's sync service (``../shared/domain.md`` §8, §13); every value
is a string. Each field's source, format and what is unverified: ``docs/dvcqg-record.md``. Codes
whose meaning was not confirmed are data (``dvcqg_codes.json``, or ``--codes FILE``), not constants.
The portal's transport (session login, the adapter URL) differs per province and is left to the
province's integration layer; this writes the records it sends.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from counter_app.core import protocol
from counter_app.core.lifecycle import Status
from provincial_server.models import Agency, Change, Dossier, Event

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CODES_FILE = Path(__file__).with_name("dvcqg_codes.json")


def load_codes(override: dict[str, Any] | None = None) -> dict[str, dict[str, str]]:
    """``{field: {key: code}}`` from the shipped file, with a province's own file laid over it."""
    data = json.loads(CODES_FILE.read_text("utf-8"))
    codes = {k: dict(v["values"]) for k, v in data.items() if not k.startswith("_")}
    for field, values in (override or {}).items():
        if field.startswith("_"):
            continue
        values = values.get("values", values) if isinstance(values, dict) else {}
        codes.setdefault(field, {}).update({str(k): str(v) for k, v in values.items()})
    return codes


def portal_time(value: str | None) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN)
    return moment.strftime("%Y%m%d%H%M%S")


def _flag(value: Any) -> str:
    return "1" if value is True else "0"


def _submitted(data: dict[str, Any], status: str) -> list[dict[str, Any]]:
    """TaiLieuNop: what the applicant lodged. A dossier refused at the counter lodged nothing (the
    papers went back with the refusal slip). ``digitised``/``reused`` are read when a counter sends
    them; today's counters do not record them, so they go out as "0"."""
    if status == Status.REFUSED.value:
        return []
    out = []
    for doc in data.get("documents") or []:
        out.append({"TepDinhKemId": "", "TenTepDinhKem": str(doc.get("name", "")), "IsDeleted": "False",
                    "MaThanhPhanHoSo": str(doc.get("component_code") or ""), "DuongDanTaiTepTin": "",
                    "DuocSoHoa": _flag(doc.get("digitised")), "DuocTaiSuDung": _flag(doc.get("reused")),
                    "DuocLayTuKhoDMQG": _flag(doc.get("from_national_store"))})
    return out


def _supplements(events: list[dict[str, Any]], codes: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """DanhSachHoSoBoSung: each supplement request a counter recorded (who asked, when, for what),
    closed by the ``supplied`` event that follows it (who took the papers in, when, the new due)."""
    out: list[dict[str, Any]] = []
    state = codes.get("TrangThaiBoSung", {})
    due = None  # the appointment in force as the events go by
    for e in events:
        payload = e.get("payload") or {}
        if e.get("kind") == "received":
            due = (payload.get("dossier") or {}).get("due_at")
        due = payload.get("new_due_at") or due
        if e.get("kind") == "supplement_requested":
            documents = [str(d) for d in payload.get("documents") or []]
            reason = str(payload.get("reason") or "")
            out.append({
                "HoSoBoSungId": e.get("uuid", ""), "NguoiYeuCauBoSung": e.get("officer", ""),
                "NoiDungBoSung": reason + ("" if not documents else ". Giấy tờ cần bổ sung: " + "; ".join(documents)),
                "NgayBoSung": portal_time(e.get("at")), "NguoiTiepNhanBoSung": "", "ThongTinTiepNhan": "",
                "NgayTiepNhanBoSung": "", "TrangThaiBoSung": state.get("requested", ""),
                "DanhSachGiayToBoSung": [{"TenGiayTo": d, "SoLuong": "1", "LoaiGiayTo": ""} for d in documents],
                "DanhSachLePhiBoSung": [], "NgayHenTraTruoc": portal_time(due), "NgayHenTraMoi": "",
            })
        elif e.get("kind") == "supplied" and out and not out[-1]["NgayTiepNhanBoSung"]:
            out[-1].update(NguoiTiepNhanBoSung=e.get("officer", ""), NgayTiepNhanBoSung=portal_time(e.get("at")),
                           TrangThaiBoSung=state.get("supplied", ""), NgayHenTraMoi=portal_time(due))
    return out


def _result_ready_at(d: Dossier, events: list[dict[str, Any]]) -> str | None:
    if d.status not in (Status.RESULT_READY.value, Status.RETURNED.value):
        return None  # sent back to processing after a result: not finished
    if d.result_ready_at:
        return d.result_ready_at
    ready = [e.get("at") for e in events if e.get("status_after") == Status.RESULT_READY.value]
    return ready[-1] if ready else None  # rows stored before result_ready_at existed


def dossier_record(d: Dossier, events: list[dict[str, Any]] | None = None, agencies: dict[str, str] | None = None,
                   catalogue: dict[str, dict[str, Any]] | None = None,
                   codes: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    events, agencies, catalogue = events or [], agencies or {}, catalogue or {}
    codes = codes if codes is not None else load_codes()
    if not isinstance(d.data, dict):
        raise TypeError("stored dossier data is not an object")
    data = d.data
    applicant = data.get("applicant") or {}
    organisation = applicant.get("kind") == "organisation"
    channel = data.get("channel") or "counter"
    id_number = str(applicant.get("id_number") or "")
    published = catalogue.get(d.procedure_code) or {}
    field_name = data.get("procedure_field") or published.get("field") or ""
    field_code = data.get("procedure_field_code") or published.get("field_code") or ""
    refused = d.status == Status.REFUSED.value
    submitted = _submitted(data, d.status)
    # A postal dossier is submitted when the hand-over record is signed (QĐ 45/2016 Art. 7(4)),
    # which may be after the counter entered it.
    handed = [(e.get("payload") or {}).get("submitted_at") for e in events if e.get("kind") == "postal_handover"]
    handed = [x for x in handed if isinstance(x, str)]
    return {
        "MaHoSo": d.code,
        "MaTTHC": d.procedure_code,
        "TenTTHC": d.procedure_name,
        "MaLinhVuc": str(field_code),
        "TenLinhVuc": str(field_name),
        "KenhThucHien": codes.get("KenhThucHien", {}).get(channel, ""),
        "SoBienNhan": d.code,
        "ChuHoSo": d.applicant_name,
        "LoaiDoiTuong": "2" if organisation else "1",
        "MaDoiTuong": id_number,
        "ThongTinKhac": "",
        "Email": applicant.get("email") or "",
        "Fax": "",
        "SoDienThoai": applicant.get("phone") or "",
        "TrichYeuHoSo": d.procedure_name,
        "NgayNopHoSo": portal_time(handed[-1] if handed else d.received_at),
        "NgayTiepNhan": portal_time(d.received_at),
        "NgayHenTra": portal_time(d.due_at),
        "TrangThaiHoSo": str(Status(d.status).national_code),
        "NgayTra": portal_time(d.returned_at),
        "ThongTinTra": "",
        "HinhThuc": "1" if data.get("return_method") == "post" else "0",
        "NgayKetThucXuLy": portal_time(_result_ready_at(d, events)),
        "DonViXuLy": agencies.get(d.competent_agency) or d.competent_agency,
        "GhiChu": "",
        "NgayTuChoi": portal_time(d.received_at) if refused else "",
        "SoGiayToChuHoSo": "" if organisation else id_number,
        "DinhDanhCHS": "" if organisation else codes.get("DinhDanhCHS", {}).get(str(len(id_number)), ""),
        "NoiNopHoSo": codes.get("NoiNopHoSo", {}).get(channel, ""),
        "HoSoCoThanhPhanSoHoa": "1" if any(t["DuocSoHoa"] == "1" for t in submitted) else "0",
        "TaiLieuNop": submitted,
        "DanhSachLePhi": [{"TenPhiLePhi": fee.get("name", ""), "MaPhiLePhi": fee.get("code") or "",
                           "HinhThucThu": "1", "Gia": str(fee.get("amount_vnd", 0)), "LoaiPhiLePhi": "2"}
                          for fee in data.get("fees", [])],
        "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": _supplements(events, codes),
        "DanhSachGiayToKetQua": [],
    }


def _catalogue(session) -> dict[str, dict[str, Any]]:
    """The province's published catalogue, latest entry per procedure: the field of dossiers whose
    intake did not carry it (counters older than the field in the payload)."""
    out: dict[str, dict[str, Any]] = {}
    for data in session.scalars(select(Change.data).where(Change.kind == protocol.CHANGE_CATALOGUE)
                                .order_by(Change.seq)):
        if isinstance(data, dict) and isinstance(data.get("code"), str):
            out[data["code"]] = data
    return out


def export(session, since: datetime, *, updating: bool = False, skipped: list[dict[str, str]] | None = None,
           codes: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    """Every dossier changed since ``since``. A stored record that cannot be written (a status or a
    date the server should never have accepted) is left out and listed in ``skipped`` with its
    reason: one bad row never stops the province's export."""
    codes = codes if codes is not None else load_codes()
    agencies = dict(session.execute(select(Agency.code, Agency.name)).all())
    catalogue = _catalogue(session)
    data: list[dict[str, Any]] = []
    codes_list = session.scalars(select(Dossier.code).where(Dossier.updated_at >= since)
                                 .order_by(Dossier.code)).all()
    for start in range(0, len(codes_list), 500):
        chunk = codes_list[start:start + 500]
        events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for code, body in session.execute(select(Event.dossier_code, Event.body).where(
                Event.dossier_code.in_(chunk), Event.applied.is_(True)).order_by(Event.seq)):
            if isinstance(body, dict):
                events[code].append(body)
        try:
            rows = [(d.code, d) for d in session.scalars(
                select(Dossier).where(Dossier.code.in_(chunk)).order_by(Dossier.code))]
        except Exception:  # noqa: BLE001 - a row the driver cannot decode: load the chunk row by row
            session.rollback()
            rows = [(code, None) for code in chunk]
        for code, dossier in rows:
            try:
                dossier = dossier if dossier is not None else session.get(Dossier, code)
                data.append(dossier_record(dossier, events.get(code, []), agencies, catalogue, codes))
            except Exception as exc:  # noqa: BLE001 - whatever is wrong with one row, report it, go on
                session.rollback()
                if skipped is not None:
                    skipped.append({"code": code, "reason": f"{type(exc).__name__}: {exc}"[:300]})
    return {"service": "DongBoHoSoMC", "isUpdating": "True" if updating else "False", "data": data}
