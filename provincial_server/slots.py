"""Code slots: each device's partition of the dossier-code space of every agency it issues codes
for (its own, and each agency its agency serves). See models.CodeSlot and docs/sync-protocol.md.

A device keeps its slots for good (revoked or not): codes it issued stay its own. When an agency
starts serving another one, each of its devices gets a slot there and a ``serves`` change tells
the agency's counters their new served list and slots."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core import protocol
from counter_app.core.codes import MAX_SLOT  # two digits in the code
from provincial_server.models import Agency, AgencyServes, Change, CodeSlot, Device


def free_slot(s: Session, agency: str) -> int | None:
    """The lowest slot of ``agency`` no device holds (own devices and serving devices alike)."""
    used = set(s.scalars(select(CodeSlot.slot).where(CodeSlot.agency == agency)))
    used |= set(s.scalars(select(Device.slot).where(Device.agency == agency)))  # devices from before 0006
    return next((n for n in range(1, MAX_SLOT + 1) if n not in used), None)


def slot_of(s: Session, device_id: int, agency: str) -> int | None:
    return s.scalar(select(CodeSlot.slot).where(CodeSlot.device_id == device_id, CodeSlot.agency == agency))


def allocate(s: Session, device_id: int, agency: str) -> int | None:
    """The device's slot in ``agency``, assigned now if it has none; None when all 99 are taken."""
    slot = slot_of(s, device_id, agency)
    if slot is None:
        slot = free_slot(s, agency)
        if slot is None:
            return None
        s.add(CodeSlot(agency=agency, slot=slot, device_id=device_id))
        s.flush()
    return slot


def served_codes(s: Session, agency: str) -> list[str]:
    return list(s.scalars(select(AgencyServes.served).where(AgencyServes.agency == agency)
                          .order_by(AgencyServes.served)))


def assign_served(s: Session, device: Device) -> list[str]:
    """Give the device a slot in every agency its agency serves; returns the agencies that are full."""
    return [a for a in served_codes(s, device.agency) if allocate(s, device.id, a) is None]


def device_slots(s: Session, device: Device) -> dict[str, int]:
    """Agency → slot for this device, its own agency included (``Device.slot``)."""
    slots = dict(s.execute(select(CodeSlot.agency, CodeSlot.slot).where(CodeSlot.device_id == device.id)).all())
    slots[device.agency] = device.slot
    return slots


def agency_info(a: Agency, slot: int | None = None) -> protocol.AgencyInfo:
    return protocol.AgencyInfo(code=a.code, name=a.name, province=a.province or "", slot=slot)


def serves_change(s: Session, agency: str, now: datetime) -> tuple[Change, list[str]]:
    """After ``agency``'s served list changed: slots for each of its devices, and the change that
    tells its counters (every device reads its own slots by device id)."""
    full: set[str] = set()
    per_device: dict[str, Mapping[str, int]] = {}
    for device in s.scalars(select(Device).where(Device.agency == agency, Device.revoked.is_(False))):
        full.update(assign_served(s, device))
        per_device[str(device.id)] = device_slots(s, device)
    served = [agency_info(s.get(Agency, c)).to_dict() for c in served_codes(s, agency)]
    data: dict[str, Any] = {"serves": served, "slots": per_device}
    return Change(agency=agency, kind=protocol.CHANGE_SERVES, created_at=now, data=data), sorted(full)
