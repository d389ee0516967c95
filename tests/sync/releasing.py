"""Publishing a signed release on the reference server, as the province's CLI does."""

from __future__ import annotations

import hashlib
from pathlib import Path

from counter_app import __version__
from counter_app.core import releases
from counter_app.sync.releases import this_platform
from provincial_server.releases import add_release


def newer_than_running() -> str:
    return "0.9.0" if releases.compare_versions(__version__, "0.9.0") < 0 else __version__ + ".1"


def release_key():
    """(private PEM, public key object) of a fresh release key."""
    private, public_pem = releases.new_key_pair()
    return private, releases.load_public_key(public_pem)


def publish(province, private: bytes, public, folder: Path, version: str, *, content: bytes | None = None,
            platform: str | None = None, min_from: str = "0", notes: str | None = None) -> dict:
    """Sign and store a release; returns what ``add_release`` answered (with the stored ``path``)."""
    platform = platform or this_platform()
    content = content if content is not None else f"{platform} {version}".encode() * 100
    file = folder / f"counter-app-{version}-{platform}.bin"
    file.write_bytes(content)
    manifest = releases.parse_manifest({
        "version": version, "platform": platform, "file_name": file.name, "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(), "min_from": min_from,
        "notes": notes if notes is not None else f"Bản {version}: sửa lỗi in biên nhận.",
        "published_at": "2026-12-02T01:00:00+00:00"})
    return add_release(province.db, file, releases.sign(manifest, private), [public], folder / "store")
