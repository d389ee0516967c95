"""The counter's side of signed releases: the public keys it carries in its build, the offer the
server makes during a pull, and the check of a downloaded file before anything installs it.

Nothing here trusts the server: an offer is kept only when a key of this build signed it and the
rules of core.releases allow it, and a file is accepted only when its size and SHA-256 match that
signed manifest.
"""

from __future__ import annotations

import logging
import platform as _platform
import sys
from pathlib import Path
from typing import Any, Callable

from counter_app import __version__
from counter_app.core import releases
from counter_app.core.errors import ValidationError
from counter_app.paths import resource_path

log = logging.getLogger(__name__)

KEYS_FOLDER = ("resources", "release-keys")
OFFER = "release_offer"  # sync_state key: the signed envelope of the newest applicable release


def this_platform() -> str:
    machine = _platform.machine().lower()
    arch = "x64" if machine in ("amd64", "x86_64") else machine
    if sys.platform.startswith("win"):
        return f"windows-{arch}"
    return f"linux-{'amd64' if arch == 'x64' else arch}"


def bundled_keys(folder: Path | None = None) -> list:
    """The release public keys of this build (``*.pub``: PEM, or 32 raw bytes). The province's
    build machine adds its key before building; a build without one accepts no update."""
    folder = folder or resource_path(*KEYS_FOLDER)
    keys = []
    for path in sorted(folder.glob("*.pub")) if folder.is_dir() else []:
        try:
            keys.append(releases.load_public_key(path.read_bytes()))
        except (OSError, ValidationError) as exc:
            log.warning("release key %s skipped: %s", path.name, exc)
    return keys


class ReleaseVerifier:
    def __init__(self, public_keys: list | None = None, *, version: str = __version__,
                 platform: str | None = None, refused: Callable[[], dict[str, str]] | None = None) -> None:
        self.public_keys = bundled_keys() if public_keys is None else list(public_keys)
        self.version = version
        self.platform = platform or this_platform()
        self.refused = refused or dict  # versions that failed to open this counter's store

    def check_offer(self, envelope: Any) -> releases.ReleaseManifest:
        """The signed manifest, if it is for this machine and this version may move to it."""
        manifest = releases.verify_envelope(envelope, self.public_keys)
        releases.check_applicable(manifest, self.version, self.platform)
        reason = self.refused().get(manifest.version)
        if reason is not None:
            raise ValidationError(f"Bản {manifest.version} đã không mở được cơ sở dữ liệu của quầy này; quầy "
                                  "không cài lại bản đó.", reason)
        return manifest

    def check_download(self, envelope: Any, path: Path) -> releases.ReleaseManifest:
        """The offer's rules again, then the file's size and SHA-256, read in chunks."""
        manifest = self.check_offer(envelope)
        try:
            with open(path, "rb") as f:
                size, sha256 = releases.digest_chunks(f.read)
        except OSError as exc:
            raise ValidationError("Không đọc được tệp cập nhật đã tải về.", str(exc)) from None
        releases.check_file(manifest, size, sha256)
        return manifest


def store_offer(sync_state, verifier: ReleaseVerifier, envelope: Any) -> str:
    """Keep the server's offer when it passes ``verifier``; drop a stale one. The outcome is for
    the sync report: "none", "kept" or "refused"."""
    if envelope is None:
        sync_state.set(OFFER, None)
        return "none"
    try:
        verifier.check_offer(envelope)
    except ValidationError as exc:
        log.warning("release offer refused: %s (%s)", exc.message, exc.detail)
        sync_state.set(OFFER, None)
        return "refused"
    sync_state.set(OFFER, envelope)
    return "kept"


def stored_offer(sync_state, verifier: ReleaseVerifier) -> releases.ReleaseManifest | None:
    """The kept offer, checked again: the counter may have been updated since it was stored."""
    envelope = sync_state.get(OFFER)
    if not envelope:
        return None
    try:
        return verifier.check_offer(envelope)
    except ValidationError:
        return None
