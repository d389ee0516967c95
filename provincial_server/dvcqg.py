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


def export(session, since: datetime, *, updating: bool = False) -> dict[str, Any]:
    rows = session.scalars(select(Dossier).where(Dossier.updated_at >= since).order_by(Dossier.code))
    return {"service": "DongBoHoSoMC", "isUpdating": "True" if updating else "False",
            "data": [dossier_record(d) for d in rows]}
