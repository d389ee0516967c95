"""What a committed transaction changed, and the one bus that tells the faces about it.

Anki's ``OpChanges`` is the model: views do not guess when to reload; every commit says which kinds
of data it touched and each view refreshes what it shows. The unit of work fills the value from
the tables it wrote, so a mutation cannot forget to report itself, and a pull applied by sync
produces the same value as a change made at the counter.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Changes:
    dossiers: bool = False
    catalogue: bool = False
    calendar: bool = False
    settings: bool = False
    outbox: bool = False
    certifications: bool = False
    officers: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def context(self) -> bool:
        """Whether the counter's loaded context (settings, calendar, fees, agencies) is stale."""
        return self.settings or self.calendar

    def names(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name)]

    @classmethod
    def of(cls, *names: str) -> Changes:
        return cls(**{n: True for n in names})

    @classmethod
    def from_tables(cls, tables: Iterable[str]) -> Changes:
        kinds = {TABLE_KINDS[t] for t in tables if t in TABLE_KINDS}
        return cls.of(*kinds)


NOTHING = Changes()

# Which kind of data each table of the counter's store belongs to. A table missing here is
# internal bookkeeping that no view shows.
TABLE_KINDS = {
    "dossier": "dossiers", "dossier_document": "dossiers", "dossier_fee": "dossiers",
    "dossier_event": "dossiers", "dossier_outcome": "dossiers", "code_sequence": "dossiers",
    "register_sequence": "dossiers",
    "procedure": "catalogue", "location_free": "catalogue",
    "calendar_override": "calendar", "calendar_swap": "calendar",
    "setting": "settings", "agency": "settings", "agency_alias": "settings", "fee_schedule": "settings",
    "officer": "officers",
    "outbox": "outbox", "sync_state": "outbox", "sync_deferred": "outbox", "device_counter": "outbox",
    "cert_register": "certifications", "cert_entry": "certifications", "certification": "certifications",
    "cert_item": "certifications", "holder_desk": "certifications", "holder_pair_code": "certifications",
}


class ChangeBus:
    """Subscribers are called on the committing thread, after the commit; the window's bridge
    hops to the GUI thread itself. A failing subscriber is logged and never undoes a commit."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[[Changes], None]] = []
        self._lock = threading.Lock()

    def subscribe(self, callback: Callable[[Changes], None]) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def publish(self, changes: Changes) -> None:
        if not changes:
            return
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(changes)
            except Exception:  # the data is committed; a view that fails to refresh must not hide that
                log.exception("change subscriber failed for %s", changes.names())
