"""Counter settings: who this counter is and how it counts time. Stored by ``storage`` as rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from counter_app.core.calendar import OfficeHours
from counter_app.core.model import Agency


@dataclass(frozen=True)
class CounterSettings:
    agency: Agency
    desk: int = 1
    # Partition of the daily dossier-code sequence; the desk number for a standalone install,
    # later assigned by the provincial server at enrollment.
    device_slot: int = 1
    code_prefix: str = ""  # defaults to the agency code
    hours: OfficeHours = field(default_factory=OfficeHours)
    # ND 107/2021 allowed one re-appointment after an apology [unverified under ND 118]: a setting.
    max_reschedules: int = 1
    # Tracking register (Sổ theo dõi hồ sơ): 0 = one book per desk per year, else entries per book.
    register_book_size: int = 0
    # After a supplement the time limit runs again from the complete dossier [unverified]: a setting.
    restart_due_on_supplement: bool = True

    @property
    def prefix(self) -> str:
        return self.code_prefix or self.agency.code


def _hhmm(t) -> str:
    return t.strftime("%H:%M")


def settings_to_values(s: CounterSettings) -> dict:
    """Setting rows (key → JSON value), without the agency, which has its own table."""
    h = s.hours
    return {
        "desk": s.desk,
        "device_slot": s.device_slot,
        "code_prefix": s.code_prefix,
        "office_hours": {"morning": [_hhmm(h.morning_start), _hhmm(h.morning_end)],
                         "afternoon": [_hhmm(h.afternoon_start), _hhmm(h.afternoon_end)],
                         "cutoff": _hhmm(h.cutoff)},
        "max_reschedules": s.max_reschedules,
        "register_book_size": s.register_book_size,
        "restart_due_on_supplement": s.restart_due_on_supplement,
    }


def settings_from_values(agency: Agency, values: dict) -> CounterSettings:
    from datetime import time

    def t(text: str) -> time:
        return time.fromisoformat(text)

    defaults = CounterSettings(agency=agency)
    hours = defaults.hours
    if "office_hours" in values:
        oh = values["office_hours"]
        hours = OfficeHours(t(oh["morning"][0]), t(oh["morning"][1]), t(oh["afternoon"][0]),
                            t(oh["afternoon"][1]), t(oh["cutoff"]))
    return CounterSettings(
        agency=agency,
        desk=int(values.get("desk", defaults.desk)),
        device_slot=int(values.get("device_slot", values.get("desk", defaults.device_slot))),
        code_prefix=values.get("code_prefix", ""),
        hours=hours,
        max_reschedules=int(values.get("max_reschedules", defaults.max_reschedules)),
        register_book_size=int(values.get("register_book_size", defaults.register_book_size)),
        restart_due_on_supplement=bool(values.get("restart_due_on_supplement",
                                                  defaults.restart_due_on_supplement)),
    )
