"""Column types. Datetimes are stored as naive Asia/Ho_Chi_Minh wall time (Vietnam has no DST,
so that is unambiguous, and the file stays readable for province IT staff)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from counter_app.core.calendar import TZ


class LocalDateTime(TypeDecorator):
    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime")
        return value.astimezone(TZ).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=TZ)
