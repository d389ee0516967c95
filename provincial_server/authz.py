"""Who may push what: decided from the server's registry (the device, its agency, the agencies that
agency serves) and the dossier's owner of record, never from what an event claims.

- An intake creates a dossier only under a code the sending device issued: the code's prefix is
  the device's own agency or one it serves, and its sequence starts with the device's two-digit
  slot in that agency (``<agency>-<yyMMdd>-<slot:02d><n:04d>``, see counter_app/core/codes.py and
  provincial_server/slots.py). So no device can take another device's next code, whichever agency
  the codes are for.
- Every agency an intake names (the event's ``agency``, the dossier's receiving, competent and
  return agencies) must be the device's own agency or one it serves.
- Any other event is allowed only if the device's agencies include the dossier's competent or
  receiving agency, or the device's own agency is where the result is returned. An event held while
  its dossier had not arrived is checked again, against the sending device as it is now (suspended
  or revoked devices included), when it would be released.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.codes import CODE_RE
from provincial_server.models import AgencyServes, Device, Dossier

Refusal = tuple[str, str]  # (machine-readable reason, Vietnamese message)


def code_owner_refusal(slots: Mapping[str, int], code: str) -> Refusal | None:
    """``None`` when ``code`` lies in the device's slot of the agency its prefix names; ``slots``:
    agency → the device's slot there (its own agency and each agency it has a slot in)."""
    m = CODE_RE.match(code or "")
    if m is None:
        return "code_format", f"Mã hồ sơ {code} không đúng dạng <mã cơ quan>-<yyMMdd>-<số>."
    try:
        date(2000 + int(m["day"][:2]), int(m["day"][2:4]), int(m["day"][4:]))
    except ValueError:
        return "code_format", f"Mã hồ sơ {code} có ngày không hợp lệ."
    agency = m["prefix"]
    if agency not in slots:
        return "code_not_yours", (f"Mã hồ sơ {code} không thuộc cơ quan của thiết bị này hay cơ quan thiết bị "
                                  f"được cấp dãy số mã (mã mang cơ quan {agency}); thiết bị chỉ được dùng mã "
                                  "do chính nó cấp.")
    slot = slots[agency]
    if int(m["seq"][:2]) != slot:
        return "code_not_yours", (f"Mã hồ sơ {code} thuộc dải số của thiết bị (quầy) số {m['seq'][:2]}, "
                                  f"của cơ quan {agency}, không phải của thiết bị này (số {slot:02d}).")
    return None


def intake_refusal(agencies: frozenset[str], slots: Mapping[str, int], body: dict[str, Any]) -> Refusal | None:
    refusal = code_owner_refusal(slots, body.get("dossier_code", ""))
    if refusal is not None:
        return refusal
    d = (body.get("payload") or {}).get("dossier") or {}
    named = {body.get("agency")} | {d.get(k) for k in ("receiving_agency", "competent_agency", "return_agency")
                                    if d.get(k)}
    foreign = sorted(str(a) for a in named if a not in agencies)
    if foreign:
        return "agency_not_served", (f"Thiết bị không được phép tiếp nhận hồ sơ cho cơ quan {', '.join(foreign)} "
                                     "(không phải cơ quan của quầy hay cơ quan quầy được tiếp nhận hộ).")
    return None


def may_act_on(agencies: frozenset[str], own: str, dossier: Dossier) -> bool:
    return (dossier.competent_agency in agencies or dossier.receiving_agency in agencies
            or dossier.return_agency == own)


def device_agencies(session: Session, device: Device) -> frozenset[str]:
    serves = session.scalars(select(AgencyServes.served).where(AgencyServes.agency == device.agency))
    return frozenset(serves) | {device.agency}


def held_event_allowed(session: Session, device_id: int, dossier: Dossier) -> bool:
    """At release: the device that sent a held event, as the registry knows it now."""
    device = session.get(Device, device_id)
    if device is None or device.revoked or device.suspended:
        return False
    return may_act_on(device_agencies(session, device), device.agency, dossier)
