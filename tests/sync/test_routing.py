"""Issue 15 item 3: routing through sync, offline first, with the reference server and three counters
(a regional counter R serving communes A and B, and A's and B's own counters), each its own data
directory and each command its own ``counter-app`` process; once over a clean link, once through
the fault proxy failing 30% of the exchanges."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.sync.conftest import AGENCY_A, AGENCY_B, AGENCY_R
from tests.sync.faultproxy import OK, FaultProxy

PROCEDURE = "1.001612"


class CliCounter:
    """One counter: a data directory driven only through the ``counter-app`` command line."""

    def __init__(self, data: Path, name: str) -> None:
        self.data, self.name = data, name

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        # Each counter its own machine, so its own OS keyring: the test keyring is a JSON file
        # rewritten whole, and counters enrolling at once must not overwrite each other's keys.
        env = {**os.environ, "COUNTER_APP_OFFICER": f"Cán bộ {self.name}", "PYTHONIOENCODING": "utf-8",
               "TEST_KEYRING_FILE": str(self.data.parent / f"keyring-{self.name}.json")}
        done = subprocess.run([sys.executable, "-m", "counter_app", *args, "--data-dir", str(self.data)], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=180)
        if ok:
            assert done.returncode == 0, f"{self.name} {args}: {done.stdout}{done.stderr}"
        return done

    def json(self, *args: str):
        return json.loads(self.run(*args, "--json").stdout)

    def intake(self, competent: str, *, return_at: str | None = None) -> str:
        extra = ("--return-at", return_at) if return_at else ()
        return self.json("intake", "--procedure", PROCEDURE, "--name", "Nguyễn Văn An", "--id-number",
                         "052090123456", "--competent-agency", competent, *extra)["code"]

    def sync(self, attempts: int = 1) -> dict:
        """Sync until one run completes with nothing left to send (a faulty link may need several)."""
        for _ in range(attempts):
            done = self.run("sync", "--once", "--json", ok=False)
            out = json.loads(done.stdout)
            if done.returncode == 0 and out["pending"] == 0 and out["deferred"] == 0:
                return out
        raise AssertionError(f"{self.name} did not settle in {attempts} runs: {done.stdout}{done.stderr}")

    def codes(self) -> set[str]:
        return {d["code"] for d in self.json("list", "--limit", "1000")}

    def show(self, code: str) -> dict:
        return self.json("show", code)


def each(call, *counters: CliCounter) -> list:
    """``call`` on each counter at once: separate processes, as separate machines would be."""
    with ThreadPoolExecutor(len(counters)) as pool:
        return list(pool.map(call, counters))


def parallel(*calls) -> list:
    """Independent commands (on different counters, or reads) at once."""
    with ThreadPoolExecutor(len(calls)) as pool:
        return [f.result() for f in [pool.submit(c) for c in calls]]


def server_cli(province, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "provincial_server", "--db", province.process.db_url, *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def location_independent_catalogue(tmp_path: Path) -> Path:
    """The bundled catalogue with the test's procedure published as location-independent, so the
    regional counter may receive it for the communes it serves."""
    doc = json.loads((ROOT / "resources" / "catalogue" / "commune-procedures.json").read_text(encoding="utf-8"))
    for p in doc["procedures"]:
        if p["code"] == PROCEDURE:
            p["location_independent"] = True
    out = tmp_path / "catalogue.json"
    out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return out


def same_state(*views: dict) -> None:
    """Every counter holds the dossier in the same status with the same history (every event, by UUID;
    the province's own notes of a moved return point are local and left out)."""
    statuses = {v["status"] for v in views}
    histories = [sorted(e["uuid"] for e in v["events"] if e["kind"] != "province_status") for v in views]
    assert len(statuses) == 1, statuses
    assert all(h == histories[0] for h in histories), histories


@pytest.fixture(params=["clean", "faults30"])
def link(request, province):
    """The URL the counters enroll with and sync through, and the proxy when the link is faulty."""
    if request.param == "clean":
        yield province.url, None
        return
    proxy = FaultProxy(province.process.port, seed=15, delay=0.05)  # faults switched on after enrollment
    yield proxy.url, proxy
    proxy.close()


def test_three_counters_route_dossiers_and_converge(province, link, tmp_path):
    url, proxy = link
    r, a, b = (CliCounter(tmp_path / name, name) for name in ("R", "A", "B"))
    codes = {c.name: province.code(agency) for c, agency in ((r, AGENCY_R), (a, AGENCY_A), (b, AGENCY_B))}
    enrolled = each(lambda c: c.json("enroll", "--server", url, "--code", codes[c.name]), r, a, b)
    assert [e["agency"] for e in enrolled] == [AGENCY_R, AGENCY_A, AGENCY_B]
    r.run("catalogue", "import", str(location_independent_catalogue(tmp_path)))
    attempts = 1
    if proxy is not None:
        proxy.fault_rate, attempts = 0.3, 25

    # Offline at R: two dossiers for A (returned at A's counter), one for B (returned here at R).
    a1, a2 = r.intake(AGENCY_A, return_at=AGENCY_A), r.intake(AGENCY_A, return_at=AGENCY_A)
    b1 = r.intake(AGENCY_B)
    r.sync(attempts)
    each(lambda c: c.sync(attempts), a, b)
    assert each(CliCounter.codes, a, b) == [{a1, a2}, {b1}]  # each commune exactly its own
    routed = a.show(a1)
    assert (routed["competent_agency"], routed["receiving_agency"], routed["return_at"]) == (
        AGENCY_A, AGENCY_R, AGENCY_A)
    assert routed["status"] == "received" and routed["applicant_name"] == "Nguyễn Văn An"

    # A processes; R sees each step.
    a.run("forward", a1)
    a.run("result-ready", a1, "--note", "Đã ký")
    a.run("result-ready", a2)
    a.sync(attempts)
    r.sync(attempts)
    seen_a1, seen_a2 = parallel(lambda: r.show(a1), lambda: r.show(a2))
    assert seen_a1["status"] == "result_ready" and seen_a2["status"] == "result_ready"
    assert [e["kind"] for e in seen_a1["events"]] == ["received", "forwarded", "result_ready"]

    # The citizen collects at A, the return point: no reason asked. Both counters end alike.
    a.run("return", a1, "--receiver-name", "Nguyễn Văn An")
    a.sync(attempts)
    r.sync(attempts)
    at_a, at_r = each(lambda c: c.show(a1), a, r)
    same_state(at_a, at_r)
    assert at_r["status"] == "returned"

    # R is not a2's return point: without a reason nothing is written (no event, so no outbox row).
    refused = r.run("return", a2, ok=False)
    assert refused.returncode != 0 and "lý do trả kết quả tại quầy này" in refused.stderr
    assert r.show(a2)["events"] == seen_a2["events"]

    # Offline on both sides, the same result is handed over twice: flagged, nothing lost.
    reasons = {"A": (), "R": ("--reason", "Công dân đến nhận tại quầy khu vực")}
    each(lambda c: c.run("return", a2, "--receiver-name", "Nguyễn Văn An", *reasons[c.name]), a, r)
    each(lambda c: c.sync(attempts), a, r)
    each(lambda c: c.sync(attempts), a, r)  # what the other pushed in the same moment
    at_a, at_r = each(lambda c: c.show(a2), a, r)
    same_state(at_a, at_r)
    returns = [e for e in at_a["events"] if e["kind"] == "returned"]
    assert len(returns) == 2 and at_a["status"] == "returned"
    assert any(e["payload"].get("reason") == "Công dân đến nhận tại quầy khu vực" for e in returns)
    server_events = [e["uuid"] for e in province.events() if e["dossier"] == a2]
    assert {e["uuid"] for e in returns} <= set(server_events)

    flags = json.loads(server_cli(province, "flags", "--json").stdout)
    assert [(f["code"], f["reason"]) for f in flags] == [(a2, "double_return")]
    assert set(flags[0]["events"]) == {e["uuid"] for e in returns}
    for c, shown in ((a, at_a), (r, at_r)):
        (flag,) = shown["review_flags"]
        assert flag["code"] == a2 and flag["open"] and set(flag["events"]) == set(flags[0]["events"])
        assert flag["reason"] == "double_return"
    listed, shown_text, b_flags, b_codes, audit = parallel(
        lambda: r.json("flags"), lambda: a.run("show", a2).stdout, lambda: b.json("flags"), b.codes,
        lambda: json.loads(server_cli(province, "audit", "--json").stdout))
    assert [f["code"] for f in listed] == [a2]
    assert "CẦN KIỂM TRA: Hai quầy cùng ghi nhận trả kết quả" in shown_text
    assert b_flags == [] and b_codes == {b1}
    assert any(r_["kind"] == "review_flag" and a2 in r_["detail"] for r_ in audit)

    # The province looks at it and resolves it with a note; both counters learn it.
    done = server_cli(province, "flag-resolve", str(flags[0]["id"]), "--note", "Đã xác minh: trả một lần tại xã",
                      "--by", "Sở Nội vụ")
    assert done.returncode == 0, done.stderr
    assert json.loads(server_cli(province, "flags", "--json").stdout) == []
    each(lambda c: c.sync(attempts), a, r, b)
    *all_flags, open_at_a, b1_at_b, b1_at_r = parallel(
        lambda: a.json("flags", "--all"), lambda: r.json("flags", "--all"), lambda: a.json("flags"),
        lambda: b.show(b1), lambda: r.show(b1))
    for (flag,) in all_flags:
        assert not flag["open"] and flag["note"] == "Đã xác minh: trả một lần tại xã"
        assert flag["resolved_by"] == "Sở Nội vụ"
    assert open_at_a == []

    # B's dossier: untouched by all of this, the same on R and B.
    same_state(b1_at_b, b1_at_r)
    if proxy is not None:
        assert len([f for f in proxy.log if f != OK]) >= 3  # the faults really happened
