"""The audit log and the rate limit on guesses.

Every failed bearer token and enrollment code is written to ``audit_log`` (who: the client address
and, when the server can tell, the agency and device; what; when — never the token or code). The
same rows are the sliding window: once a source address, an agency, or (for enrollment codes, whose
agency a guesser does not know) the whole server has too many failures in ``WINDOW``, further
attempts are refused with HTTP 429 and ``Retry-After`` before the token or code is even looked at.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from provincial_server.models import AuditLog

WINDOW = timedelta(minutes=10)
MAX_PER_SOURCE = 10
MAX_PER_AGENCY = 30
MAX_ENROLL_GLOBAL = 200
BAD_TOKEN, BAD_ENROLL_CODE, RATE_LIMITED = "bad_token", "bad_enroll_code", "rate_limited"
FAILURES = (BAD_TOKEN, BAD_ENROLL_CODE)


def audit(session: Session, now: datetime, kind: str, *, source: str = "", agency: str | None = None,
          device_id: int | None = None, detail: str = "") -> None:
    session.add(AuditLog(at=now, kind=kind, source=(source or "")[:64], agency=agency, device_id=device_id,
                         detail=detail[:500]))


def _retry_after(session: Session, now: datetime, where, limit: int) -> int | None:
    since = now - WINDOW
    rows = session.scalars(select(AuditLog.at).where(AuditLog.kind.in_(FAILURES), AuditLog.at > since, where)
                           .order_by(AuditLog.at.desc()).limit(limit)).all()
    if len(rows) < limit:
        return None
    oldest = rows[-1] if rows[-1].tzinfo else rows[-1].replace(tzinfo=now.tzinfo)
    return max(1, math.ceil((oldest + WINDOW - now).total_seconds()))


def retry_after(session: Session, now: datetime, *, source: str | None, agency: str | None = None,
                enrollment: bool = False) -> int | None:
    """Seconds to wait if a limit is reached, else ``None``."""
    checks = [(AuditLog.source == source, MAX_PER_SOURCE)] if source is not None else []
    if agency:
        checks.append((AuditLog.agency == agency, MAX_PER_AGENCY))
    if enrollment:
        checks.append((AuditLog.kind == BAD_ENROLL_CODE, MAX_ENROLL_GLOBAL))
    waits = [w for where, limit in checks if (w := _retry_after(session, now, where, limit)) is not None]
    return max(waits) if waits else None


def recent(session: Session, limit: int = 100) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)))


def count(session: Session, kind: str) -> int:
    return session.scalar(select(func.count()).where(AuditLog.kind == kind)) or 0
