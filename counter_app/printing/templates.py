"""Form wording as versioned data (``resources/forms/*.json``): the 2025 set of Circular
03/2025/TT-VPCP and the 2018 set of Circular 01/2018/TT-VPCP. A set may name a ``base`` set and
override only what differs; a corrected or newer set is a data change, not a code change."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from counter_app import paths
from counter_app.core.errors import ValidationError
from counter_app.core.text import nfc_deep


def forms_dir() -> Path:
    return paths.resource_path("resources", "forms")


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        out = copy.deepcopy(base)
        for key, value in override.items():
            out[key] = _merge(out.get(key), value) if key in out else copy.deepcopy(value)
        return out
    return copy.deepcopy(override)


class SafeDict(dict):
    def __missing__(self, key: str) -> str:  # a field the template names but the form lacks
        return "……………"


@dataclass(frozen=True)
class FormSet:
    id: str
    name: str
    common: dict[str, Any]
    forms: dict[str, dict[str, Any]]

    def form(self, kind: str) -> dict[str, Any]:
        try:
            return self.forms[kind]
        except KeyError:
            raise ValidationError(
                f"Bộ biểu mẫu {self.name} không có mẫu «{kind}». Chọn bộ mẫu khác trong cài đặt.",
                f"form {kind!r} not in set {self.id}",
            ) from None

    @staticmethod
    def fill(text: str, **values: Any) -> str:
        return text.format_map(SafeDict({k: v for k, v in values.items() if v not in (None, "")}))


def _load_raw(directory: Path) -> dict[str, dict[str, Any]]:
    raw = {}
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        raw[data["id"]] = data
    return raw


@lru_cache(maxsize=8)
def load_form_set(set_id: str, directory: Path | None = None) -> FormSet:
    raw = _load_raw(directory or forms_dir())
    if set_id not in raw:
        raise ValidationError(f"Không có bộ biểu mẫu «{set_id}» (có: {', '.join(sorted(raw))}).",
                              "unknown form set")
    chain, current = [], raw[set_id]
    while True:
        chain.append(current)
        base = current.get("base")
        if not base:
            break
        if base not in raw or len(chain) > 5:
            raise ValidationError(f"Bộ biểu mẫu «{current['id']}» kế thừa bộ «{base}» không tồn tại.",
                                  "bad base form set")
        current = raw[base]
    merged: dict[str, Any] = {}
    for data in reversed(chain):
        merged = _merge(merged, data)
    merged = nfc_deep(merged)
    return FormSet(id=set_id, name=merged["name"], common=merged["common"], forms=merged["forms"])
