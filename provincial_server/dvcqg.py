"""Hand-off to the National Public Service Portal: dossiers as ``DongBoHoSoMC`` records.

Field names and the ``yyyyMMddHHmmss`` (Asia/Ho_Chi_Minh) date format follow the OpenCPS
DVCQG integration (``../shared/domain.md`` §8). The portal's transport (session login, the
adapter URL) differs per province and is left to the province's integration layer; this writes
the records it sends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from counter_app.core.lifecycle import Status
from provincial_server.models import Dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def portal_time(value: str | None) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN)
    return moment.strftime("%Y%m%d%H%M%S")


def dossier_record(d: Dossier) -> dict[str, Any]:
    data = d.data or {}
    applicant = data.get("applicant") or {}
    organisation = applicant.get("kind") == "organisation"
    return {
        "MaHoSo": d.code,
        "MaTTHC": d.procedure_code,
        "TenTTHC": d.procedure_name,
        "SoBienNhan": d.code,
        "ChuHoSo": d.applicant_name,
        "LoaiDoiTuong": "2" if organisation else "1",
        "MaDoiTuong": applicant.get("id_number") or "",
        "ThongTinKhac": "",
        "Email": applicant.get("email") or "",
        "Fax": "",
        "SoDienThoai": applicant.get("phone") or "",
        "TrichYeuHoSo": d.procedure_name,
        "NgayTiepNhan": portal_time(d.received_at),
        "NgayHenTra": portal_time(d.due_at),
        "TrangThaiHoSo": str(Status(d.status).national_code),
        "NgayTra": portal_time(d.returned_at),
        "ThongTinTra": "",
        "HinhThuc": "1" if data.get("return_method") == "post" else "0",
        "NgayKetThucXuLy": "",
        "DonViXuLy": d.competent_agency,
        "GhiChu": "",
        "TaiLieuNop": [{"TepDinhKemId": "", "TenTepDinhKem": doc.get("name", ""), "IsDeleted": "False",
                        "MaThanhPhanHoSo": "", "DuongDanTaiTepTin": ""} for doc in data.get("documents", [])],
        "DanhSachLePhi": [{"TenPhiLePhi": fee.get("name", ""), "MaPhiLePhi": fee.get("code") or "",
                           "HinhThucThu": "1", "Gia": str(fee.get("amount_vnd", 0)), "LoaiPhiLePhi": "2"}
                          for fee in data.get("fees", [])],
        "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": [],
        "DanhSachGiayToKetQua": [],
    }


def export(session, since: datetime, *, updating: bool = False,
           skipped: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """Every dossier changed since ``since``. A stored record that cannot be written (a status or a
    date the server should never have accepted) is left out and listed in ``skipped`` with its
    reason: one bad row never stops the province's export."""
    data: list[dict[str, Any]] = []
    codes = session.scalars(select(Dossier.code).where(Dossier.updated_at >= since)
                            .order_by(Dossier.code)).all()
    for start in range(0, len(codes), 500):
        chunk = codes[start:start + 500]
        try:
            rows = [(d.code, d) for d in session.scalars(
                select(Dossier).where(Dossier.code.in_(chunk)).order_by(Dossier.code))]
        except Exception:  # noqa: BLE001 - a row the driver cannot decode: load the chunk row by row
            session.rollback()
            rows = [(code, None) for code in chunk]
        for code, dossier in rows:
            try:
                data.append(dossier_record(dossier if dossier is not None else session.get(Dossier, code)))
            except Exception as exc:  # noqa: BLE001 - whatever is wrong with one row, report it, go on
                session.rollback()
                if skipped is not None:
                    skipped.append({"code": code, "reason": f"{type(exc).__name__}: {exc}"[:300]})
    return {"service": "DongBoHoSoMC", "isUpdating": "True" if updating else "False", "data": data}
