"""The pull tells an enrolled counter about the newest release it may install (reference server)."""

from __future__ import annotations

from counter_app import __version__
from counter_app.core import releases
from counter_app.sync.releases import ReleaseVerifier, this_platform
from tests.sync.releasing import newer_than_running, publish


def _publish(province, private, public, tmp_path, version, platform, min_from="0"):
    publish(province, private, public, tmp_path, version, platform=platform, min_from=min_from)


def test_a_counter_learns_of_the_newest_release_for_its_platform_only(province, make_counter, tmp_path):
    mine = this_platform()
    other = next(p for p in releases.PLATFORMS if p != mine)
    private, public_pem = releases.new_key_pair()
    public = releases.load_public_key(public_pem)
    newer = newer_than_running()

    counter = make_counter(province)
    counter.app.release_verifier = ReleaseVerifier([public])
    assert counter.sync().release_offer == "none"
    assert counter.app.updates.offer() is None

    _publish(province, private, public, tmp_path, "0.0.5", mine)  # older than the counter
    _publish(province, private, public, tmp_path, "99.0.0", other)  # another platform
    report = counter.sync()
    assert report.ok and report.release_offer == "none" and counter.app.updates.offer() is None

    _publish(province, private, public, tmp_path, newer, mine, min_from=__version__)
    # newer still, but this counter is below its min_from: the server offers the newest it may take
    _publish(province, private, public, tmp_path, "98.0.0", mine, min_from="97.0.0")
    report = counter.sync()
    assert report.ok and report.release_offer == "kept"
    offer = counter.app.updates.offer()
    assert (offer.version, offer.platform, offer.notes) == (newer, mine, f"Bản {newer}: sửa lỗi in biên nhận.")

    # a counter whose build carries another key keeps no offer from the same server
    stranger = make_counter(province, name="c2")
    _, stranger_pem = releases.new_key_pair()
    stranger.app.release_verifier = ReleaseVerifier([releases.load_public_key(stranger_pem)])
    assert stranger.sync().release_offer == "refused"
    assert stranger.app.updates.offer() is None
