"""Where things live: the data directory (database, backups) and bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "counter_app"
DB_FILENAME = "counter.sqlite"
DATA_DIR_ENV = "COUNTER_APP_DATA_DIR"


def resource_root() -> Path:
    """The folder holding ``resources/`` and ``migrations/``: the bundle in a frozen build, else
    the source checkout (the package is installed in editable mode)."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def migrations_dir() -> Path:
    return resource_path("migrations")


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """``--data-dir`` wins, then ``COUNTER_APP_DATA_DIR``, then the platform's user data folder."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(directory: Path) -> Path:
    return directory / DB_FILENAME
