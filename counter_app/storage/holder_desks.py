"""Desks paired with this register holder: one-time pairing codes and hashed bearer tokens."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.errors import ValidationError
from counter_app.core.protocol import normalise_code, one_time_code
from counter_app.core.protocol import secret_hash
from counter_app.storage.models import HolderDeskRow, HolderPairCodeRow


class SqlHolderDesks:
    def __init__(self, session: Session) -> None:
        self.s = session

    def new_pair_code(self, now: datetime, hours: int = 24) -> str:
        shown, raw = one_time_code()
        self.s.add(HolderPairCodeRow(code_hash=secret_hash(raw), created_at=now, expires_at=now + timedelta(hours=hours)))
        return shown

    def pair(self, code: str, name: str, nonce: str, now: datetime) -> tuple[int, str]:
        row = self.s.get(HolderPairCodeRow, secret_hash(normalise_code(code)))
        token = secrets.token_urlsafe(32)
        if row is not None and row.used_at is not None and nonce and row.nonce_hash == secret_hash(nonce) \
                and row.expires_at >= now:
            desk = self.s.get(HolderDeskRow, row.desk_id)  # a retry whose answer was lost
            desk.token_hash = secret_hash(token)
            return desk.id, token
        if row is None or row.used_at is not None or row.expires_at < now:
            raise ValidationError("Mã ghép quầy không đúng, đã dùng hoặc đã hết hạn; xin máy giữ sổ cấp mã mới.",
                                  "invalid pairing code")
        desk = HolderDeskRow(name=name[:200], token_hash=secret_hash(token), paired_at=now, revoked=False)
        self.s.add(desk)
        self.s.flush()
        row.used_at, row.desk_id, row.nonce_hash = now, desk.id, secret_hash(nonce) if nonce else None
        return desk.id, token

    def desk_for(self, token: str | None) -> int | None:
        """The paired desk's id for this token; None for an unknown or revoked token."""
        if not token:
            return None
        desk = self.s.scalars(select(HolderDeskRow).where(HolderDeskRow.token_hash == secret_hash(token))).one_or_none()
        return None if desk is None or desk.revoked else desk.id
