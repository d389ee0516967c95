"""Each device's hash chain, checked as its events arrive (docs/sync-protocol.md, "Hash chain").

An event's ``prev_hash`` is the payload hash of the same device's event with device_seq − 1, or
``CHAIN_GENESIS`` when that event predates the chain. Events arrive out of order (a counter skips
dossiers blocked behind a set-aside event), so an event is checked against both neighbours that
are already here: its predecessor (stored or quarantined) and its stored successor. A neighbour not
here yet is checked when it comes. Events without ``prev_hash`` (older counters) are not links
themselves, but a chained successor may still show they were rewritten.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core import protocol
from provincial_server.models import Event, Quarantine

CHAIN_BROKEN = "chain_broken"
# A quarantined body that is not the device's own event at that device_seq: never a neighbour.
NOT_NEIGHBOURS = (CHAIN_BROKEN, "payload_mismatch")
MESSAGE = ("Sự kiện không nối đúng chuỗi sự kiện của thiết bị (có thể dữ liệu trên máy quầy đã bị sửa); "
           "sự kiện bị cách ly để kiểm tra.")


class DeviceChain:
    """The neighbours of one push batch's events, loaded once and kept current as the batch goes."""

    def __init__(self, session: Session, device_id: int, events: list[dict[str, Any]]) -> None:
        seqs = {e["device_seq"] + d for e in events for d in (-1, 1)}
        self.hashes: dict[int, set[str]] = defaultdict(set)  # device_seq → payload hashes here
        self.chained: dict[int, bool] = defaultdict(bool)  # device_seq → some event there has prev_hash
        self.links: dict[int, set[str]] = defaultdict(set)  # device_seq → prev_hash of stored events
        for seq, digest, prev in session.execute(select(Event.device_seq, Event.payload_hash, Event.prev_hash).where(
                Event.device_id == device_id, Event.device_seq.in_(seqs))):
            self.add(seq, digest, prev, stored=True)
        for seq, digest, body in session.execute(select(Quarantine.device_seq, Quarantine.payload_hash,
                                                        Quarantine.body).where(
                Quarantine.device_id == device_id, Quarantine.device_seq.in_(seqs),
                Quarantine.reason.not_in(NOT_NEIGHBOURS))):
            self.add(seq, digest, (body or {}).get("prev_hash"), stored=False)

    def add(self, seq: int, digest: str, prev_hash: str | None, *, stored: bool) -> None:
        self.hashes[seq].add(digest)
        self.chained[seq] |= prev_hash is not None
        if stored and prev_hash is not None:
            self.links[seq].add(prev_hash)

    def broken(self, body: dict[str, Any], digest: str) -> str | None:
        """Which link fails (English, for the audit log), or None."""
        seq, prev = body["device_seq"], body.get("prev_hash")
        if prev is not None and self.hashes.get(seq - 1):
            genesis_ok = prev == protocol.CHAIN_GENESIS and not self.chained[seq - 1]
            if prev not in self.hashes[seq - 1] and not genesis_ok:
                return f"prev_hash does not match the device's event {seq - 1}"
        for link in self.links.get(seq + 1, ()):
            # A successor starts the chain (genesis) only after an event without one.
            if link != digest and not (link == protocol.CHAIN_GENESIS and prev is None):
                return f"the device's stored event {seq + 1} names another predecessor"
        return None
