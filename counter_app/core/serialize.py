"""Plain-dict views of core values: for the CLI's JSON output and for outbox event payloads."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from counter_app.core.cccd import mask_id
from counter_app.core.lifecycle import Status
from counter_app.core.model import Applicant, Dossier, DossierEvent, DossierSummary


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def applicant_to_dict(a: Applicant, *, masked: bool = False) -> dict[str, Any]:
    return {
        "full_name": a.full_name,
        "kind": a.kind.value,
        "id_number": mask_id(a.id_number) if masked else a.id_number,
        "date_of_birth": iso(a.date_of_birth),
        "gender": a.gender.value if a.gender else None,
        "phone": a.phone,
        "email": a.email,
        "address": a.address,
    }


def event_to_dict(e: DossierEvent) -> dict[str, Any]:
    return {
        "uuid": e.uuid, "kind": e.kind, "at": iso(e.at), "officer": e.officer,
        "status_before": e.status_before, "status_after": e.status_after, "payload": e.payload,
    }


def dossier_to_dict(d: Dossier, *, include_events: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": d.code,
        "status": d.status,
        "status_code": Status(d.status).national_code,
        "status_label": Status(d.status).label_vi,
        "received_at": iso(d.received_at),
        "due_at": iso(d.due_at),
        "procedure_code": d.procedure_code,
        "procedure_name": d.procedure_name,
        "applicant_name": d.applicant.full_name,
        "applicant": applicant_to_dict(d.applicant),
        "receiving_agency": d.receiving_agency,
        "competent_agency": d.competent_agency,
        "channel": d.channel.value,
        "postal_item": d.postal_item,
        "documents": [{"name": x.name, "kind": x.kind.value, "count": x.count, "pages": x.pages}
                      for x in d.documents],
        "fees": [{"name": f.name, "amount_vnd": f.amount_vnd, "code": f.code} for f in d.fees],
        "total_fee_vnd": d.total_fee_vnd,
        "return_method": d.return_method.value,
        "return_address": d.return_address,
        "return_agency": d.return_agency,
        "return_at": d.return_at,
        "receiving_officer": d.receiving_officer,
        "desk": d.desk,
        "sets": d.sets,
        "register": {"book": d.register.book, "serial": d.register.serial} if d.register else None,
        "reschedule_count": d.reschedule_count,
    }
    if include_events:
        from counter_app.core.staff import counter_operator  # it builds on this module

        out["operator"] = counter_operator(d)
        out["events"] = [event_to_dict(e) for e in d.events]
    return out


def summary_to_dict(s: DossierSummary) -> dict[str, Any]:
    """A list row: the ID number is masked (lists are seen over shoulders)."""
    return {
        "code": s.code,
        "status": s.status,
        "status_code": Status(s.status).national_code,
        "received_at": iso(s.received_at),
        "due_at": iso(s.due_at),
        "procedure_code": s.procedure_code,
        "procedure_name": s.procedure_name,
        "applicant_name": s.applicant_name,
        "id_number": mask_id(s.id_number),
        "phone": s.phone,
    }
