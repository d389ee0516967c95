"""Desks paired with this register holder: one-time pairing codes, hashed bearer tokens, each
desk's number in the office (unique among the desks not revoked), revocation."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.errors import NotFound, ValidationError
from counter_app.core.protocol import one_time_code, pairing_proof_from_hash, proofs_equal, secret_hash
from counter_app.storage.models import HolderDeskRow, HolderPairCodeRow

BAD_CODE = "invalid pairing code"


class SqlHolderDesks:
    def __init__(self, session: Session) -> None:
        self.s = session

    def new_pair_code(self, now: datetime, hours: int = 24) -> str:
        shown, raw = one_time_code()
        self.s.add(HolderPairCodeRow(code_hash=secret_hash(raw), created_at=now, expires_at=now + timedelta(hours=hours)))
        return shown

    def pair(self, proof: str, nonce: str, name: str, desk: int, fingerprint: str, now: datetime,
             own_desk: int) -> tuple[int, str, str]:
        """(desk id, token, the code's hash) for the code whose HMAC over ``fingerprint`` is ``proof``.
        The code is never sent: the live codes are few, each is tried. Desk numbers are unique
        among the desks not revoked, and differ from the holder's own desk."""
        live = self.s.scalars(select(HolderPairCodeRow).where(HolderPairCodeRow.expires_at >= now)).all()
        row = next((r for r in live if proofs_equal(pairing_proof_from_hash(r.code_hash, fingerprint, nonce, "desk"),
                                                    proof)), None)
        token = secrets.token_urlsafe(32)
        if row is not None and row.used_at is not None and nonce and row.nonce_hash == secret_hash(nonce):
            paired = self.s.get(HolderDeskRow, row.desk_id)  # a retry whose answer was lost
            if paired is not None and not paired.revoked:
                paired.token_hash = secret_hash(token)
                return paired.id, token, row.code_hash
        if row is None or row.used_at is not None:
            raise ValidationError("Mã ghép quầy không đúng, đã dùng hoặc đã hết hạn; xin máy giữ sổ cấp mã mới.",
                                  BAD_CODE)
        if not 1 <= desk <= 999:
            raise ValidationError("Số quầy phải từ 1 đến 999.", f"desk={desk}")
        taken = self.s.scalars(select(HolderDeskRow).where(HolderDeskRow.desk_number == desk,
                                                           HolderDeskRow.revoked.is_(False))).first()
        if desk == own_desk or taken is not None:
            holder = "máy giữ sổ" if desk == own_desk else f"quầy «{taken.name}»"
            raise ValidationError(f"Số quầy {desk} đã được {holder} dùng; hai quầy cùng số sẽ cấp trùng mã hồ sơ. "
                                  "Đổi số quầy trong Cài đặt rồi ghép lại.", "desk number taken")
        paired = HolderDeskRow(name=name[:200], token_hash=secret_hash(token), paired_at=now, revoked=False,
                               desk_number=desk)
        self.s.add(paired)
        self.s.flush()
        row.used_at, row.desk_id, row.nonce_hash = now, paired.id, secret_hash(nonce) if nonce else None
        return paired.id, token, row.code_hash

    def desk_for(self, token: str | None) -> tuple[int, int | None] | None:
        """(the paired desk's id, its desk number) for this token; None for an unknown or revoked token."""
        if not token:
            return None
        desk = self.s.scalars(select(HolderDeskRow).where(HolderDeskRow.token_hash == secret_hash(token))).one_or_none()
        return None if desk is None or desk.revoked else (desk.id, desk.desk_number)

    def desks(self) -> list[dict]:
        return [{"id": d.id, "name": d.name, "desk": d.desk_number, "paired_at": d.paired_at, "revoked": d.revoked}
                for d in self.s.scalars(select(HolderDeskRow).order_by(HolderDeskRow.id))]

    def revoke(self, desk_id: int) -> dict:
        desk = self.s.get(HolderDeskRow, desk_id)
        if desk is None:
            raise NotFound(f"Không có quầy đã ghép mang mã {desk_id}.", "unknown desk")
        desk.revoked = True
        return {"id": desk.id, "name": desk.name, "desk": desk.desk_number}
