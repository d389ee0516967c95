"""Issue 17: an enrolled counter fetches the signed release the province offers: in the sync's
background, resuming after cut connections (fault proxy) and across restarts, at a capped speed,
and keeping nothing that does not match the signed manifest. Reference server on 127.0.0.1."""

from __future__ import annotations

import os

import pytest

from counter_app.core.errors import ValidationError
from counter_app.sync.download import RateLimit, ReleaseDownloader
from counter_app.sync.releases import ReleaseVerifier
from counter_app.sync.transport import SyncClient
from counter_app.sync.updates import downloads_dir
from tests.sync.faultproxy import CUT_BODY, OK, FaultProxy
from tests.sync.releasing import newer_than_running, publish, release_key

SIZE = 900_000


def _enrolled(province, make_counter, tmp_path, content: bytes):
    private, public = release_key()
    counter = make_counter(province)
    counter.app.release_verifier = ReleaseVerifier([public], refused=dict)
    counter.app.__dict__.pop("updates", None)  # rebuilt with this test's key
    published = publish(province, private, public, tmp_path, newer_than_running(), content=content)
    return counter, published


def _content() -> bytes:
    return os.urandom(SIZE)


def _envelope(counter):
    from counter_app.sync.releases import OFFER

    with counter.app.read_uow() as uow:
        return uow.sync_state.get(OFFER)


def test_the_sync_fetches_the_offered_release_in_the_background(province, make_counter, tmp_path):
    content = _content()
    counter, published = _enrolled(province, make_counter, tmp_path, content)
    report = counter.sync()
    assert report.ok and report.release_offer == "kept" and report.release_download == "ready"
    state = counter.app.updates.status()
    assert state.state == "ready" and state.path.read_bytes() == content
    assert state.path.parent.parent == downloads_dir(counter.app.data_dir)
    assert not list(downloads_dir(counter.app.data_dir).glob("*.part"))
    assert counter.sync().release_download == "ready"  # nothing fetched twice


def test_download_resumes_where_a_cut_connection_left_it(province, make_counter, tmp_path):
    content = _content()
    counter, published = _enrolled(province, make_counter, tmp_path, content)
    counter.engine._downloader = None  # this test drives the download itself
    assert counter.sync().release_offer == "kept"
    proxy = FaultProxy(province.process.port, schedule=[CUT_BODY, CUT_BODY, OK], cut_after=250_000)
    try:
        client = SyncClient(proxy.url, counter.engine.client.token)
        asked = []
        real = client.release_file

        def recording(platform, version, offset):
            asked.append(offset)
            return real(platform, version, offset)

        client.release_file = recording
        folder = downloads_dir(counter.app.data_dir)
        state = ReleaseDownloader(client, folder, counter.app.release_verifier).step(_envelope(counter))
    finally:
        proxy.close()
    assert proxy.log[:3] == [CUT_BODY, CUT_BODY, OK]
    assert state.state == "ready" and state.path.read_bytes() == content
    # each request after a cut asked only for what was missing: nothing came down twice
    assert asked[0] == 0 and len(asked) == 3 and 0 < asked[1] < asked[2] < SIZE


def test_download_continues_after_a_restart_and_keeps_to_its_speed(province, make_counter, tmp_path):
    content = _content()
    counter, _ = _enrolled(province, make_counter, tmp_path, content)
    counter.engine._downloader = None
    counter.sync()
    folder, envelope = downloads_dir(counter.app.data_dir), _envelope(counter)
    client = SyncClient(province.url, counter.engine.client.token)
    first = ReleaseDownloader(client, folder, counter.app.release_verifier, rate=256 * 1024).step(envelope, budget_s=0.6)
    assert first.state == "partial" and 0 < first.received < SIZE
    assert first.received <= 256 * 1024 * 0.6 + 2 * 64 * 1024  # the cap, give or take one piece each side
    part = next(folder.glob("*.part"))
    assert part.stat().st_size == first.received  # on disk, flushed, for the next start
    # a new program start: a new downloader finds the part and asks only for the rest
    second = ReleaseDownloader(client, folder, counter.app.release_verifier).step(envelope)
    assert second.state == "ready" and second.path.read_bytes() == content


def test_rate_limit_spreads_the_bytes_over_time():
    now = [0.0]
    slept = []

    def sleep(s):
        slept.append(s)
        now[0] += s

    limit = RateLimit(100_000, clock=lambda: now[0], sleep=sleep)
    for _ in range(10):
        limit.spend(50_000)
    assert now[0] == pytest.approx(5.0)  # 500 kB at 100 kB/s
    unlimited = RateLimit(0, clock=lambda: now[0], sleep=sleep)
    unlimited.spend(10**9)
    assert now[0] == pytest.approx(5.0)


def test_a_file_that_does_not_match_its_signed_manifest_is_refused_and_not_fetched_again(
        province, make_counter, tmp_path):
    content = _content()
    counter, published = _enrolled(province, make_counter, tmp_path, content)
    with open(published["path"], "r+b") as f:  # the file on the server changed after it was signed
        f.seek(SIZE // 2)
        f.write(bytes([content[SIZE // 2] ^ 0xFF]))
    report = counter.sync()
    assert report.ok and report.release_download == "refused"
    state = counter.app.updates.status()
    assert state.state == "refused" and "không khớp" in state.message
    folder = downloads_dir(counter.app.data_dir)
    assert not list(folder.glob("*.part")) and not [p for p in folder.iterdir() if p.is_dir()]
    with pytest.raises(ValidationError, match="chưa tải xong"):
        counter.app.updates.prepare_install()
    assert counter.sync().release_download == "refused"  # not downloaded again


def test_a_release_file_cut_short_on_the_server_is_not_kept(province, make_counter, tmp_path):
    """The server will not serve a file whose size differs from its record (404); the counter keeps
    nothing, its sync still succeeds, and it asks again next time (the province may mend the file)."""
    content = _content()
    counter, published = _enrolled(province, make_counter, tmp_path, content)
    with open(published["path"], "r+b") as f:
        f.truncate(SIZE - 1000)
    report = counter.sync()
    assert report.ok and report.release_download == "failed"
    assert counter.app.updates.status().state == "partial" and counter.app.updates.status().received == 0


def test_a_counter_below_the_floor_still_fetches_its_update_and_keeps_its_queue(province, make_counter, tmp_path):
    content = _content()
    counter, _ = _enrolled(province, make_counter, tmp_path, content)
    counter.receive(2)
    province.service.set_min_client_version(newer_than_running())
    report = counter.sync()
    assert report.error_kind == "version" and report.min_version == newer_than_running()
    assert report.release_offer == "kept" and report.release_download == "ready"
    assert report.pending == 2  # nothing was sent, nothing was lost
    assert counter.app.updates.status().path.read_bytes() == content
    code = counter.receive(1)[0]  # intakes go on offline
    assert counter.app.queries.get(code) is not None
