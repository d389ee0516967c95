"""``SyncEngine.run_once``: push the outbox in bounded batches, pull changes, reconcile per day.

Qt-free and synchronous; the window runs it on a worker thread through ``SyncScheduler`` and the
CLI runs it in the foreground. Every state change is a short SQLite transaction of its own, so a
kill at any point leaves either "pending" (sent again; the server answers duplicate) or
"sending" with a lease that expires back to pending.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from counter_app.core import protocol
from counter_app.core.admin import parse_overrides
from counter_app.core.calendar import TZ
from counter_app.core.catalogue import parse_procedure
from counter_app.core.errors import ValidationError
from counter_app.core.location_free import parse_list
from counter_app.core.model import Agency
from counter_app.core.outbox import CURSOR, DEVICE_ID, LAST_SUCCESS
from counter_app.core.serialize import iso
from counter_app.core.setting_defs import apply_province
from counter_app.core.swaps import parse_swaps
from counter_app.core.settings import settings_from_values, settings_to_values
from counter_app.sync.escrow import escrow_if_needed
from counter_app.sync.lock import InstanceLock
from counter_app.sync.releases import OFFER, ReleaseVerifier, store_offer
from counter_app.sync.transport import FailureKind, SyncClient, SyncFailure

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
RECONCILE_DAYS = 30

# sync_state keys
LAST_ATTEMPT, LAST_ERROR, LAST_SKEW = "last_attempt", "last_error", "clock_skew_s"


@dataclass
class SyncReport:
    started_at: str = ""
    finished_at: str = ""
    online: bool = False
    pushed: int = 0  # accepted + duplicate
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    conflicts: int = 0
    pulled: int = 0
    deferred: int = 0
    requeued: int = 0
    recovered: int = 0  # own events taken back from the server after a restore
    escrowed: bool = False  # the database key was sent, sealed, to the province in this run
    pending: int = 0
    sending: int = 0
    failed: int = 0  # rejected + conflict rows waiting for staff
    delivered: int = 0
    error: str | None = None
    error_kind: str | None = None
    error_detail: str | None = None
    error_reason: str | None = None  # the server's reason, e.g. device_revoked / device_suspended
    server_time: str | None = None
    clock_skew_seconds: float | None = None
    clock_warning: str | None = None
    cancelled: bool = False
    settings_changed: bool = False
    release_offer: str | None = None  # "kept", "refused" or "none"; None when the server said nothing
    release_download: str | None = None  # "partial", "ready", "refused" or "failed" when one was fetched
    min_version: str | None = None  # a 426: the version this counter must reach to sync again
    applied: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def ok(self) -> bool:
        return self.error is None


def _cancelled(cancel) -> bool:
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event):
        return cancel.is_set()
    return bool(cancel())


class SyncEngine:
    def __init__(self, uow_factory: Callable, clock, lock: InstanceLock, *, server_url: str,
                 token: str | None, client: SyncClient | None = None, lease: timedelta = LEASE,
                 database_key: Callable[[], bytes | None] | None = None,
                 releases: ReleaseVerifier | None = None, updates: Callable | None = None) -> None:
        self._uow = uow_factory
        self.releases = releases or ReleaseVerifier()
        self._downloader = updates  # client -> ReleaseDownloader; None: offers are kept, not fetched
        self._database_key = database_key or (lambda: None)
        self._clock = clock
        self._lock = lock
        self._lease = lease
        self.server_url = server_url
        self.client = client or SyncClient(server_url, token)
        self._fresh_lock = True

    def close(self) -> None:
        self.client.close()
        self._lock.release()

    # -- the run ------------------------------------------------------------------------------
    def run_once(self, cancel: threading.Event | Callable[[], bool] | None = None) -> SyncReport:
        report = SyncReport(started_at=iso(self._clock.now()))
        if not self._lock.acquire():
            report.error, report.error_kind = ("Một cửa sổ khác của phần mềm đang đồng bộ hàng đợi này.",
                                               "locked")
            return self._finish(report)
        with self._uow() as uow:
            uow.outbox.release_leases(self._clock.now(), all_sending=self._fresh_lock)
            uow.sync_state.set(LAST_ATTEMPT, report.started_at)
            uow.commit()
        self._fresh_lock = False
        if not self.client.token:
            report.error, report.error_kind = "Quầy chưa đăng ký với máy chủ tỉnh (thiếu mã xác thực).", "auth"
            return self._finish(report)
        try:
            self._catch_up(report, cancel)
            if not report.cancelled:
                self._push(report, cancel)
            if not report.cancelled:
                self._pull(report, cancel)
                self._apply_deferred(report)
            if not report.cancelled:
                self._reconcile(report, cancel)
            if not report.cancelled:
                report.escrowed = escrow_if_needed(self._uow, self.client, self._database_key)
            report.online = True
        except SyncFailure as failure:
            report.online = failure.kind not in (FailureKind.RETRYABLE,)
            report.error, report.error_kind, report.error_detail = failure.message, failure.kind.value, failure.detail
            report.error_reason = failure.reason or None  # the queue is untouched: released, never delivered
            if failure.kind is FailureKind.VERSION:
                self._below_floor(report, failure.body)
        if report.error_kind in (None, FailureKind.VERSION.value) and not report.cancelled:
            self._fetch_release(report, cancel)
        return self._finish(report)

    # -- updates --------------------------------------------------------------------------------
    def _below_floor(self, report: SyncReport, body: dict[str, Any]) -> None:
        """A 426 names the minimum version and the signed release that reaches it: keep the offer
        so the counter can fetch it while it goes on taking intakes offline."""
        report.min_version = str(body.get("min_version") or "") or None
        if "release" in body:
            with self._uow() as uow:
                report.release_offer = store_offer(uow.sync_state, self.releases, body["release"])
                uow.commit()

    def _fetch_release(self, report: SyncReport, cancel) -> None:
        if self._downloader is None:
            return
        with self._uow(write=False) as uow:
            envelope = uow.sync_state.get(OFFER)
        if not envelope:
            return
        try:
            report.release_download = self._downloader(self.client).step(envelope, cancel).state
        except SyncFailure as failure:  # the sync itself went well; the download tries again next run
            log.info("release download: %s %s", failure.message, failure.detail)
            report.release_download = "failed"
        except ValidationError as exc:
            log.warning("release download refused: %s", exc.detail)
            report.release_download = "refused"

    def _finish(self, report: SyncReport) -> SyncReport:
        now = self._clock.now()
        report.finished_at = iso(now)
        self._check_clock(report, now)
        with self._uow() as uow:
            counts = uow.outbox.counts()
            if report.error is None:
                uow.sync_state.set(LAST_SUCCESS, report.finished_at)
                uow.sync_state.set(LAST_ERROR, None)
            elif report.error_kind != "locked":
                uow.sync_state.set(LAST_ERROR, {"message": report.error, "kind": report.error_kind,
                                                "reason": report.error_reason, "at": report.finished_at})
            if report.clock_skew_seconds is not None:
                uow.sync_state.set(LAST_SKEW, report.clock_skew_seconds)
            uow.commit()
        report.pending, report.sending = counts["pending"], counts["sending"]
        report.failed, report.delivered = counts["rejected"] + counts["conflict"], counts["delivered"]
        return report

    def _check_clock(self, report: SyncReport, now: datetime) -> None:
        if not self.client.last_server_time:
            return
        server = datetime.fromisoformat(self.client.last_server_time)
        report.server_time = self.client.last_server_time
        skew = (now - server).total_seconds()
        report.clock_skew_seconds = round(skew, 1)
        if abs(skew) > protocol.CLOCK_SKEW_WARN_SECONDS:
            correct = server.astimezone(TZ).strftime("%H:%M ngày %d/%m/%Y")
            direction = "nhanh" if skew > 0 else "chậm"
            report.clock_warning = (f"Đồng hồ máy {direction} {abs(skew) / 60:.0f} phút so với máy chủ tỉnh. "
                                    f"Giờ đúng: {correct}. Hãy chỉnh lại giờ máy; việc tiếp nhận vẫn tiếp tục.")

    # -- catch-up after a restore ---------------------------------------------------------------
    def _catch_up(self, report: SyncReport, cancel) -> None:
        """Before anything is pushed: this device's events the server has and a restored backup
        lacks come back, page by page, in device order (see ``storage/catch_up.py``)."""
        with self._uow(write=False) as uow:
            after = uow.catch_up.pending_after()
        while after is not None and not _cancelled(cancel):
            answer = self.client.own_events(after)
            events = [e for e in answer.get("events") or [] if isinstance(e, dict)]
            with self._uow() as uow:
                report.recovered += uow.catch_up.import_own(events)
                after = max([after, *(int(e["device_seq"]) for e in events)])
                if not answer.get("more"):
                    uow.catch_up.finish(max(after, int(answer.get("head") or 0)))
                    after = None
                uow.commit()
        if after is not None:
            report.cancelled = True

    # -- push ---------------------------------------------------------------------------------
    def _push(self, report: SyncReport, cancel) -> None:
        while not _cancelled(cancel):
            with self._uow() as uow:
                batch = uow.outbox.claim(self._clock.now(), self._lease)
                uow.commit()
            if not batch:
                return
            uuids = [e["uuid"] for e in batch]
            try:
                answer = self.client.push(batch)
            except SyncFailure as failure:
                with self._uow() as uow:
                    uow.outbox.release(uuids, f"{failure.message} {failure.detail}".strip())
                    uow.commit()
                raise
            results = [r for r in answer.get("results", []) if isinstance(r, dict)]
            answered = {r.get("uuid") for r in results}
            with self._uow() as uow:
                tally = uow.outbox.settle(results, self._clock.now())
                unanswered = [u for u in uuids if u not in answered]
                if unanswered:
                    uow.outbox.release(unanswered, "Máy chủ không trả kết quả cho sự kiện này.")
                uow.commit()
            report.accepted += tally[protocol.ACCEPTED]
            report.duplicates += tally[protocol.DUPLICATE]
            report.rejected += tally[protocol.REJECTED]
            report.conflicts += tally[protocol.CONFLICT]
            report.pushed = report.accepted + report.duplicates
            if unanswered:
                return
        report.cancelled = True

    # -- pull ---------------------------------------------------------------------------------
    def _pull(self, report: SyncReport, cancel) -> None:
        while not _cancelled(cancel):
            with self._uow(write=False) as uow:
                cursor = int(uow.sync_state.get(CURSOR, 0) or 0)
            answer = self.client.pull(cursor)
            changes = answer.get("changes") or []
            with self._uow() as uow:
                for change in changes:
                    self._apply(uow, change, report)
                uow.sync_state.set(CURSOR, int(answer.get("cursor", cursor)))
                if "release" in answer:  # an older server says nothing: a kept offer stays
                    report.release_offer = store_offer(uow.sync_state, self.releases, answer["release"])
                uow.commit()  # changes and the cursor together: each change applied exactly once
            report.pulled += len(changes)
            if not answer.get("more"):
                return
        report.cancelled = True

    def _apply(self, uow, change: dict[str, Any], report: SyncReport) -> None:
        kind, data, seq = change.get("kind"), change.get("data") or {}, int(change.get("seq", 0))
        if kind in (protocol.CHANGE_STATUS, protocol.CHANGE_EVENT):
            apply = uow.remote.apply_status if kind == protocol.CHANGE_STATUS else uow.remote.apply_event
            outcome = apply(seq, data)
            if outcome == "deferred":
                report.deferred += 1
        elif kind == protocol.CHANGE_DOSSIER:
            outcome = uow.remote.import_dossier(data)
        elif kind == protocol.CHANGE_FLAG:
            outcome = uow.flags.apply(data)
        elif kind == protocol.CHANGE_CATALOGUE:
            try:
                outcome = uow.catalogue.upsert(parse_procedure(data, f"Thủ tục {data.get('code')}"))
            except ValidationError:
                outcome = "invalid"  # a bad entry from the province must not stop the feed
            report.settings_changed = True
        elif kind == protocol.CHANGE_CALENDAR:
            try:
                uow.calendar.replace_overrides(parse_overrides(json.dumps(data.get("overrides", [])), "json"))
                outcome = "replaced"
            except ValidationError:
                outcome = "invalid"
            report.settings_changed = True
        elif kind == protocol.CHANGE_SWAPS:
            try:
                uow.calendar.replace_swaps(parse_swaps(data))
                outcome = "replaced"
            except ValidationError:
                outcome = "invalid"  # the province checks before publishing; a bad list never stalls the feed
            report.settings_changed = True
        elif kind == protocol.CHANGE_SETTINGS:
            outcome = self._apply_settings(uow, data.get("values") or {})
            report.settings_changed = True
        elif kind == protocol.CHANGE_LOCATION_FREE:
            try:
                uow.catalogue.replace_location_free(parse_list(data))
                outcome = "replaced"
            except ValidationError:
                outcome = "invalid"  # checked at the province before publishing; never stalls the feed
            report.settings_changed = True
        elif kind == protocol.CHANGE_SERVES:
            outcome = self._apply_serves(uow, data)
            report.settings_changed = True
        else:
            outcome = "ignored"  # a newer server's change kind: skip, never stall
        key = f"{kind}:{outcome}"
        report.applied[key] = report.applied.get(key, 0) + 1

    @staticmethod
    def _apply_settings(uow, values: dict[str, Any]) -> str:
        """Only what the table lets the province change; the rest is refused key by key."""
        own = next(a for a in uow.settings.load_agencies() if a.own)
        before = settings_from_values(own, uow.settings.all())
        after, applied, refused = apply_province(before, values)
        for key, value in settings_to_values(after).items():
            uow.settings.set(key, value)
        if refused:
            log.warning("settings from the province refused: %s", refused)
        return "applied" if applied and not refused else "partly" if applied else "invalid"

    @staticmethod
    def _apply_serves(uow, data: dict[str, Any]) -> str:
        """The agencies this counter's agency serves, with this device's code slot in each."""
        mine = (data.get("slots") or {}).get(str(uow.sync_state.get(DEVICE_ID))) or {}
        own = next(a for a in uow.settings.load_agencies() if a.own)
        for item in data.get("serves") or []:
            try:
                info = protocol.AgencyInfo.from_dict(item)
            except protocol.WireError:
                return "invalid"
            slot = mine.get(info.code)
            if info.code != own.code:
                uow.settings.save_agency(Agency(info.code, info.name, info.province, False,
                                                slot if isinstance(slot, int) and not isinstance(slot, bool) else None))
        return "applied"

    def _apply_deferred(self, report: SyncReport) -> None:
        with self._uow() as uow:
            still = 0
            for seq, kind, data in uow.remote.deferred():
                apply = uow.remote.apply_event if kind == "event" else uow.remote.apply_status
                still += apply(seq, data) == "deferred"
            uow.commit()
        report.deferred = still

    # -- reconcile ----------------------------------------------------------------------------
    def _reconcile(self, report: SyncReport, cancel) -> None:
        since = self._clock.now() - timedelta(days=RECONCILE_DAYS)
        with self._uow(write=False) as uow:
            local = uow.outbox.delivered_per_day(since)
        if not local:
            return
        remote = self.client.reconcile(sorted(local))
        for day, count in sorted(local.items()):
            if int(remote.get(day, 0)) >= count or _cancelled(cancel):
                continue
            on_server = self.client.uuids_of_day(day)
            with self._uow() as uow:
                report.requeued += uow.outbox.requeue_missing(day, on_server)
                uow.commit()
        if report.requeued:
            self._push(report, cancel)
