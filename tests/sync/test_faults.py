"""An unreliable link, a dying server, a long offline backlog: nothing lost, nothing twice,
order kept within each dossier."""

from __future__ import annotations

import threading
import time
from collections import defaultdict

import pytest

from tests.sync import faultproxy
from tests.sync.conftest import AGENCY_A, bulk_receive
from tests.sync.faultproxy import FaultProxy


def assert_exactly_once_in_order(province, *counters) -> None:
    server = province.events()
    uuids = [e["uuid"] for e in server]
    assert len(uuids) == len(set(uuids)), "an event was stored twice"
    local = [e for c in counters for e in c.local_events()]
    assert set(uuids) == {e["uuid"] for e in local}, "the server does not hold exactly the counters' events"
    assert all(e["applied"] for e in server)
    by_dossier = defaultdict(list)
    for e in server:
        by_dossier[(e["device"], e["dossier"])].append(e["device_seq"])
    for seqs in by_dossier.values():
        assert seqs == sorted(seqs), "events of one dossier arrived out of order"


def sync_until_drained(counter, attempts: int = 60):
    for _ in range(attempts):
        report = counter.sync()
        if report.ok and report.pending == 0:
            return report
    raise AssertionError(f"queue never drained: {report}")


@pytest.mark.parametrize("fault", faultproxy.FAULTS)
def test_each_kind_of_fault_on_the_first_push_loses_nothing(province, make_counter, fault):
    proxy = FaultProxy(province.process.port)
    counter = make_counter(province, url=proxy.url)
    codes = counter.receive(3)
    counter.app.actions.forward(codes[0], "Cán bộ A")
    proxy.schedule = [fault] * 3  # outlasts the client's own quick retries
    sync_until_drained(counter)
    assert_exactly_once_in_order(province, counter)
    proxy.close()


def test_random_faults_over_many_runs_on_two_counters(any_province, make_counter):
    proxy = FaultProxy(any_province.process.port, fault_rate=0.45, seed=7, delay=0.05)
    a = make_counter(any_province, AGENCY_A, "a", url=proxy.url)
    b = make_counter(any_province, AGENCY_A, "b", url=proxy.url)
    for round_ in range(4):
        for counter in (a, b):
            codes = counter.receive(5)
            for code in codes[:3]:
                counter.app.actions.forward(code, "Cán bộ")
            counter.app.actions.result_ready(codes[0], "Cán bộ")
            counter.sync()
    proxy.fault_rate = 0.2
    sync_until_drained(a)
    sync_until_drained(b)
    assert len([f for f in proxy.log if f != faultproxy.OK]) >= 5
    assert_exactly_once_in_order(any_province, a, b)


def test_server_killed_mid_batch_and_restarted(province, make_counter):
    counter = make_counter(province)
    bulk_receive(counter.app, 2000)
    done = threading.Event()
    worker = threading.Thread(target=lambda: (counter.sync(), done.set()))
    worker.start()
    time.sleep(0.4)
    province.process.kill()
    worker.join(60)
    assert done.is_set()
    province.process.start()
    sync_until_drained(counter)
    assert_exactly_once_in_order(province, counter)


def test_a_ten_thousand_event_backlog_created_offline(province, make_counter):
    counter = make_counter(province)
    province.process.stop()
    bulk_receive(counter.app, 10_000)
    assert counter.sync().pending == 10_000
    province.process.start()
    report = sync_until_drained(counter)
    assert report.failed == 0
    assert province.service.stats()["events"] == 10_000
    assert_exactly_once_in_order(province, counter)


def test_counter_killed_mid_sync_then_resumed(province, make_counter, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT

    counter = make_counter(province)
    bulk_receive(counter.app, 2000)
    # The subprocess reads the token and the database key from the test's file keyring (conftest).
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "counter_app", "sync", "--once", "--data-dir",
                             str(counter.app.data_dir)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and province.service.stats()["events"] == 0:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)  # mid-backlog: some events delivered, some "sending"
    proc.wait(10)
    delivered_before = province.service.stats()["events"]
    assert 0 < delivered_before < 2000
    sync_until_drained(counter)  # a fresh engine takes the lock and returns "sending" rows to pending
    assert_exactly_once_in_order(province, counter)
