"""A procedure's online level over time.

The province upgrades procedures to full online service and downgrades others by decision, so a
report for a past period must count each procedure at the level in force then, not today's. The
catalogue item carries the history as ``online_levels``: ``[{"level": "full", "from":
"2025-07-01", "decision": "QĐ 1234/QĐ-UBND"}]``; ``online_level`` stays the level as the catalogue
states it now, used where no history entry is in force yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from counter_app.core.errors import ValidationError
from counter_app.core.model import OnlineLevel, Procedure
from counter_app.core.text import clean

LEVELS_KEY = "online_levels"
LEVEL_LABELS_VI = {OnlineLevel.FULL: "Toàn trình", OnlineLevel.PARTIAL: "Một phần", OnlineLevel.PAPER: "Chỉ trực tiếp"}


@dataclass(frozen=True)
class LevelChange:
    level: OnlineLevel
    effective_from: date
    decision: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level.value, "from": self.effective_from.isoformat(), "decision": self.decision}


def parse_history(value: Any, where: str) -> tuple[LevelChange, ...]:
    """Validate the ``online_levels`` list of one catalogue item; sorted by effective date."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValidationError(f"{where}: online_levels phải là một danh sách.", "online_levels not a list")
    out: list[LevelChange] = []
    for i, item in enumerate(value, 1):
        here = f"{where} online_levels[{i}]"
        if not isinstance(item, dict):
            raise ValidationError(f"{here}: phải là một đối tượng JSON.", "level entry not an object")
        try:
            level = OnlineLevel(item.get("level"))
        except ValueError:
            raise ValidationError(f"{here}: mức «{item.get('level')}» không hợp lệ (full, partial, paper).",
                                  f"level={item.get('level')!r}") from None
        try:
            day = date.fromisoformat(str(item.get("from")))
        except ValueError:
            raise ValidationError(f"{here}: ngày hiệu lực «{item.get('from')}» phải có dạng YYYY-MM-DD.",
                                  f"from={item.get('from')!r}") from None
        decision = item.get("decision") or ""
        if not isinstance(decision, str):
            raise ValidationError(f"{here}: decision phải là chuỗi ký tự.", "decision not a string")
        out.append(LevelChange(level, day, clean(decision)))
    days = [c.effective_from for c in out]
    if len(set(days)) != len(days):
        raise ValidationError(f"{where}: hai mức trực tuyến có cùng ngày hiệu lực.", "duplicate level date")
    return tuple(sorted(out, key=lambda c: c.effective_from))


def history(procedure: Procedure) -> tuple[LevelChange, ...]:
    return parse_history(procedure.extra.get(LEVELS_KEY), procedure.code)


def level_on(procedure: Procedure, day: date) -> OnlineLevel:
    """The level in force on ``day``: the last change effective by then; before the first recorded
    change, or with no history, the catalogue's stated level."""
    current = procedure.online_level
    for change in history(procedure):
        if change.effective_from > day:
            break
        current = change.level
    return current
