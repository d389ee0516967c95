"""The intake checklist of a procedure's documents: what is ticked as submitted before the officer
changes anything, and what a supplement request (Mẫu 02) asks for."""

from __future__ import annotations

from collections.abc import Sequence

from counter_app.core.model import DocumentLine, Procedure


def default_documents(procedure: Procedure) -> tuple[DocumentLine, ...]:
    """The required documents: alternatives and documents for a named case are left unticked."""
    return tuple(DocumentLine(d.name, d.kind, d.count) for d in procedure.documents if d.required)


def missing_documents(procedure: Procedure | None, submitted: Sequence[str],
                      unticked: Sequence[str]) -> list[str]:
    """The lines of a supplement request, from the names of the ticked and unticked rows.

    An unticked required document (or a row the officer added) is asked for by name. An
    alternative is not asked for by itself: if no document of its group was submitted, the group
    is asked for once, as one of its documents. A document for a named case is left to the officer,
    who knows whether the case applies (and adds it as a row if it does)."""
    by_name = {d.name: d for d in procedure.documents} if procedure else {}
    given = set(submitted)
    out: list[str] = []
    asked_groups: set[str] = set()
    for name in unticked:
        doc = by_name.get(name)
        if doc is None or doc.required:
            out.append(name)
        elif doc.group and not doc.case and doc.group not in asked_groups:
            members = [d.name for d in procedure.documents if d.group == doc.group and not d.case]
            if not given.intersection(members):
                asked_groups.add(doc.group)
                out.append(f"Một trong các giấy tờ ({doc.group}): {'; '.join(members)}")
    return out
