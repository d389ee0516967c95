"""Settings of this machine rather than of the office: printer, print mode, window language.

Kept as JSON in the data directory (next to the database, isolated per counter and per test).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEFAULTS = {"printer": "", "print_mode": "preview", "print_to_file": "", "recent_procedures": []}


class LocalSettings:
    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "window.json"
        try:
            self.values = {**DEFAULTS, **json.loads(self.path.read_text("utf-8"))}
        except (OSError, ValueError):
            self.values = dict(DEFAULTS)

    def get(self, key: str) -> Any:
        return self.values.get(key, DEFAULTS.get(key))

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value
        self.path.write_text(json.dumps(self.values, ensure_ascii=False, indent=1), "utf-8")
