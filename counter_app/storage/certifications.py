"""Certification storage: the register held on this machine (numbers) and the desk's requests.

Numbers are drawn inside the caller's write transaction (``BEGIN IMMEDIATE`` holds SQLite's write
lock), so a number and the row that uses it commit together or not at all: no gaps, no doubles,
even when the process dies half-way.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from counter_app.core.certification import (
    CertItem, Certification, CertKind, EntryDraft, RegisterEntry, RegisterNumber, book_label,
)
from counter_app.core.errors import NotFound, ValidationError
from counter_app.storage.models import (
    CertEntryRow, CertificationRow, CertItemRow, CertRegisterRow, DossierRow,
)

RESERVED, ISSUED, VOID = "reserved", "issued", "void"


def _entry(r: CertEntryRow) -> RegisterEntry:
    return RegisterEntry(number=r.number, book=r.book, register_type=r.register_type, day=r.day,
                         applicant_name=r.applicant_name, applicant_id=r.applicant_id, document=r.document,
                         pages=r.pages, copies=r.copies, fee=r.fee, officer=r.officer, desk=r.desk,
                         dossier_code=r.dossier_code, void=r.state == VOID, void_reason=r.void_reason, state=r.state,
                         signer_name=r.signer_name, signer_title=r.signer_title, signed_on=r.signed_on)


def _received_by(stmt, start: datetime, end: datetime, officer: str | None, desk: int | None):
    """Certification requests received in [start, end), by one officer and/or at one desk."""
    stmt = stmt.join(DossierRow, DossierRow.code == CertificationRow.dossier_code).where(
        DossierRow.received_at >= start, DossierRow.received_at < end)
    if officer:
        stmt = stmt.where(DossierRow.receiving_officer == officer)
    if desk is not None:
        stmt = stmt.where(DossierRow.desk == desk)
    return stmt


class SqlCertRegister:
    """The numbering authority's side: only on the machine that holds the registers."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def allocate(self, agency: str, year: int, register_type: str, book_size: int, request_id: str,
                 drafts: list[EntryDraft], now: datetime, *, state: str = ISSUED,
                 dossier_code: str | None = None) -> list[RegisterNumber]:
        """Idempotent on ``request_id``: a request asked again gets the numbers it already has."""
        existing = self.s.scalars(select(CertEntryRow).where(CertEntryRow.request_id == request_id)
                                  .order_by(CertEntryRow.position)).all()
        if existing:
            if len(existing) != len(drafts) or any(e.state == VOID for e in existing):
                raise ValidationError("Yêu cầu cấp số này đã được dùng cho một lượt khác hoặc đã bị hủy.",
                                      "request_id reused")
            return [RegisterNumber(e.number, e.book) for e in existing]
        register = self.s.get(CertRegisterRow, (agency, year, register_type))
        if register is None:
            register = CertRegisterRow(agency=agency, year=year, register_type=register_type, last=0)
            self.s.add(register)
        if register.closed_at is not None:
            raise ValidationError(f"Sổ chứng thực {register_type} năm {year} đã khóa; không cấp thêm số.",
                                  "register closed")
        numbers = []
        for d in drafts:
            register.last += 1
            number = RegisterNumber(register.last, book_label(register.last, year, book_size))
            numbers.append(number)
            self.s.add(CertEntryRow(
                agency=agency, year=year, register_type=register_type, number=number.number, book=number.book,
                request_id=request_id, position=d.position, state=state, day=d.day,
                applicant_name=d.applicant_name, applicant_id=d.applicant_id, document=d.document, pages=d.pages,
                copies=d.copies, fee=d.fee, officer=d.officer, desk=d.desk, dossier_code=dossier_code,
                reserved_at=now))
        self.s.flush()
        return numbers

    def confirm(self, request_id: str, dossier_code: str) -> int:
        return self.s.execute(update(CertEntryRow).where(CertEntryRow.request_id == request_id,
                                                         CertEntryRow.state == RESERVED)
                              .values(state=ISSUED, dossier_code=dossier_code)).rowcount

    def request_states(self, request_id: str) -> list[str]:
        return list(self.s.scalars(select(CertEntryRow.state).where(CertEntryRow.request_id == request_id)
                                   .order_by(CertEntryRow.position)))

    def void(self, agency: str, year: int, register_type: str, number: int, reason: str, officer: str,
             now: datetime, *, only_desk: int | None = None) -> RegisterEntry:
        """``only_desk``: a desk asking over the network may void only the numbers it drew."""
        row = self.s.scalars(select(CertEntryRow).where(
            CertEntryRow.agency == agency, CertEntryRow.year == year, CertEntryRow.register_type == register_type,
            CertEntryRow.number == number)).one_or_none()
        if row is None:
            raise NotFound(f"Không có số chứng thực {number} trong sổ {register_type} năm {year}.", "unknown number")
        if only_desk is not None and row.desk != only_desk:
            raise ValidationError(f"Số chứng thực {number} do quầy {row.desk} cấp; quầy {only_desk} không được hủy. "
                                  "Nhờ quầy đó hoặc máy giữ sổ hủy.", "not this desk's number")
        if row.state != VOID:
            row.state, row.void_reason, row.voided_at, row.voided_by = VOID, reason, now, officer
        return _entry(row)

    def sign(self, request_id: str, signed_on: date, signer_name: str, signer_title: str, *,
             only_desk: int | None = None) -> int:
        """Columns (2) and (5) of a request's lines once the signer has signed. The line keeps its
        place in the book (``day``: when its number was drawn), so printouts by period stay in
        number order with no gaps; column (2) shows ``signed_on``. ``only_desk`` as for ``void``."""
        rows = self.s.scalars(select(CertEntryRow).where(CertEntryRow.request_id == request_id)).all()
        if not rows:
            raise NotFound("Sổ chứng thực không có yêu cầu này.", "unknown request_id")
        if only_desk is not None and any(r.desk != only_desk for r in rows):
            raise ValidationError("Yêu cầu này do quầy khác cấp số; quầy này không ghi người ký.", "not this desk's")
        for r in rows:
            r.signer_name, r.signer_title, r.signed_on = signer_name, signer_title, signed_on
        self.s.flush()
        return len(rows)

    def sweep_reservations(self, older_than: datetime, now: datetime) -> int:
        """Numbers handed to a desk that never confirmed them (it crashed or gave up) become void:
        they stay in the register, so the sequence has no gap."""
        return self.s.execute(update(CertEntryRow).where(CertEntryRow.state == RESERVED,
                                                         CertEntryRow.reserved_at < older_than)
                              .values(state=VOID, voided_at=now, voided_by="hệ thống",
                                      void_reason="Yêu cầu không hoàn tất: quầy không xác nhận số")).rowcount

    def entries(self, register_type: str, start: date, end: date) -> list[RegisterEntry]:
        rows = self.s.scalars(select(CertEntryRow).where(
            CertEntryRow.register_type == register_type, CertEntryRow.day >= start, CertEntryRow.day <= end)
            .order_by(CertEntryRow.year, CertEntryRow.number))
        return [_entry(r) for r in rows]

    def close_year(self, agency: str, year: int, register_type: str, now: datetime, *, reason: str | None = None,
                   signer: str | None = None) -> int:
        """``signer``: "name|title" of who signs and seals the closing line; ``reason``: why early."""
        register = self.s.get(CertRegisterRow, (agency, year, register_type))
        if register is None:
            register = CertRegisterRow(agency=agency, year=year, register_type=register_type, last=0)
            self.s.add(register)
        if register.closed_at is None:
            register.closed_at, register.closed_count = now, register.last
            register.close_reason, register.closed_signer = reason, signer
        return register.closed_count

    def closing_of(self, agency: str, year: int, register_type: str) -> dict | None:
        """How a register was closed (None while open): when, count, reason, signer "name|title"."""
        r = self.s.get(CertRegisterRow, (agency, year, register_type))
        if r is None or r.closed_at is None:
            return None
        return {"closed_at": r.closed_at, "count": r.closed_count, "reason": r.close_reason,
                "signer": r.closed_signer}

    _ENTRY_FIELDS = ("agency", "year", "register_type", "number", "book", "request_id", "position", "state", "day",
                     "applicant_name", "applicant_id", "document", "pages", "copies", "fee", "officer", "desk",
                     "dossier_code", "reserved_at", "void_reason", "voided_at", "voided_by", "signer_name",
                     "signer_title", "signed_on")

    def export_all(self) -> dict:
        """Every register and line held here, for moving the holder role to another machine."""
        registers = [{"agency": r.agency, "year": r.year, "register_type": r.register_type, "last": r.last,
                      "closed_at": r.closed_at.isoformat() if r.closed_at else None, "closed_count": r.closed_count,
                      "close_reason": r.close_reason, "closed_signer": r.closed_signer}
                     for r in self.s.scalars(select(CertRegisterRow))]
        entries = [{f: getattr(e, f).isoformat() if isinstance(getattr(e, f), (date, datetime)) else getattr(e, f)
                    for f in self._ENTRY_FIELDS} for e in self.s.scalars(select(CertEntryRow).order_by(CertEntryRow.id))]
        return {"registers": registers, "entries": entries}

    def import_all(self, data: dict, agency: str) -> int:
        from counter_app.core.calendar import TZ

        for r in data.get("registers", []):
            if r["agency"] != agency:
                raise ValidationError(f"Sổ thuộc cơ quan {r['agency']}, máy này thuộc {agency}.", "agency mismatch")
            if self.s.get(CertRegisterRow, (r["agency"], r["year"], r["register_type"])) is not None:
                raise ValidationError(f"Máy này đã có sổ {r['register_type']} năm {r['year']}; không nhận chồng.",
                                      "register exists")
            self.s.add(CertRegisterRow(agency=r["agency"], year=r["year"], register_type=r["register_type"],
                                       last=r["last"], closed_count=r["closed_count"],
                                       close_reason=r.get("close_reason"), closed_signer=r.get("closed_signer"),
                                       closed_at=datetime.fromisoformat(r["closed_at"]).replace(tzinfo=TZ)
                                       if r["closed_at"] else None))
        for e in data.get("entries", []):
            values = dict(e)
            values["day"] = date.fromisoformat(e["day"])
            values["signed_on"] = date.fromisoformat(e["signed_on"]) if e.get("signed_on") else None
            for f in ("reserved_at", "voided_at"):
                if e[f]:
                    moment = datetime.fromisoformat(e[f])
                    values[f] = moment if moment.tzinfo else moment.replace(tzinfo=TZ)
            self.s.add(CertEntryRow(**values))
        self.s.flush()
        return len(data.get("entries", []))

    def registers(self) -> list[tuple[str, int, str, int, datetime | None]]:
        return [(r.agency, r.year, r.register_type, r.last, r.closed_at)
                for r in self.s.scalars(select(CertRegisterRow).order_by(CertRegisterRow.year))]


class SqlCertifications:
    """The desk's side: which certification a dossier is, its items and their numbers."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def add(self, code: str, kind: CertKind, request_id: str, items: list[CertItem], *, exemption_reason,
            extension_days: int, extension_reason, holder_confirmed: bool) -> None:
        self.s.add(CertificationRow(
            dossier_code=code, kind=kind.value, request_id=request_id, exemption_reason=exemption_reason,
            extension_days=extension_days, extension_reason=extension_reason, holder_confirmed=holder_confirmed,
            items=[CertItemRow(position=i.position, document=i.document, pages=i.pages, copies=i.copies, fee=i.fee,
                               number=i.number, book=i.book) for i in items]))
        self.s.flush()

    def _row(self, code: str) -> CertificationRow:
        row = self.s.scalars(select(CertificationRow).where(CertificationRow.dossier_code == code)
                             .options(selectinload(CertificationRow.items))).one_or_none()
        if row is None:
            raise NotFound(f"Hồ sơ {code} không phải yêu cầu chứng thực.", "not a certification")
        return row

    def get(self, code: str) -> Certification:
        row = self._row(code)
        d = self.s.scalars(select(DossierRow).where(DossierRow.code == code)).one()
        return Certification(
            code=code, kind=CertKind(row.kind), request_id=row.request_id, applicant_name=d.applicant_name,
            applicant_id=d.id_number, received_at=d.received_at, due_at=d.due_at, officer=d.receiving_officer,
            desk=d.desk, agency=d.receiving_agency, status=d.status, exemption_reason=row.exemption_reason,
            extension_days=row.extension_days, extension_reason=row.extension_reason,
            signer_name=row.signer_name, signer_title=row.signer_title, signed_at=row.signed_at,
            items=tuple(CertItem(i.position, i.document, i.pages, i.copies, i.fee, i.number, i.book, i.void,
                                 i.void_reason) for i in row.items))

    def set_numbers(self, code: str, numbers: list[RegisterNumber], *, confirmed: bool) -> None:
        row = self._row(code)
        for item, number in zip(row.items, numbers):
            item.number, item.book = number.number, number.book
        row.holder_confirmed = confirmed

    def sign(self, code: str, signer_name: str, signer_title: str, signed_at: datetime) -> None:
        row = self._row(code)
        if row.signed_at is not None:
            raise ValidationError(f"Yêu cầu {code} đã được ký chứng thực lúc {row.signed_at:%H:%M %d/%m/%Y}.",
                                  "already signed")
        row.signer_name, row.signer_title, row.signed_at = signer_name, signer_title, signed_at

    def awaiting_signature(self) -> list[str]:
        """Numbered requests not yet signed, oldest first (the signer's tray)."""
        stmt = (select(CertificationRow.dossier_code).join(DossierRow, DossierRow.code == CertificationRow.dossier_code)
                .where(CertificationRow.signed_at.is_(None)).order_by(DossierRow.received_at))
        return list(self.s.scalars(stmt))

    def mark_confirmed(self, code: str) -> None:
        self._row(code).holder_confirmed = True

    def mark_void(self, code: str, number: int, reason: str) -> CertItem:
        row = self._row(code)
        item = next((i for i in row.items if i.number == number), None)
        if item is None:
            raise NotFound(f"Hồ sơ {code} không có số chứng thực {number}.", "number not in this request")
        if item.void:
            raise ValidationError(f"Số chứng thực {number} đã bị hủy trước đó.", "already void")
        item.void, item.void_reason = True, reason
        return CertItem(item.position, item.document, item.pages, item.copies, item.fee, item.number, item.book,
                        True, reason)

    def awaiting_numbers(self) -> list[str]:
        return list(self.s.scalars(select(CertItemRow.dossier_code).where(CertItemRow.number.is_(None))
                                   .group_by(CertItemRow.dossier_code)))

    def unconfirmed(self) -> list[str]:
        return list(self.s.scalars(select(CertificationRow.dossier_code).where(
            CertificationRow.holder_confirmed.is_(False))))

    def day_items(self, start: datetime, end: datetime, officer: str | None, desk: int | None):
        """(kind, dossier_code, item) rows for requests received in [start, end) by officer/desk."""
        stmt = _received_by(select(CertificationRow.kind, CertItemRow, DossierRow.code)
                            .join(CertItemRow, CertItemRow.dossier_code == CertificationRow.dossier_code),
                            start, end, officer, desk)
        return [(kind, code, CertItem(i.position, i.document, i.pages, i.copies, i.fee, i.number, i.book, i.void,
                                      i.void_reason)) for kind, i, code in self.s.execute(stmt)]

    def count_requests(self, start: datetime, end: datetime, officer: str | None, desk: int | None) -> int:
        stmt = _received_by(select(func.count()).select_from(CertificationRow), start, end, officer, desk)
        return self.s.scalar(stmt) or 0
