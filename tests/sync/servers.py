"""Real servers for the sync tests: the reference provincial server as a subprocess on
127.0.0.1, and a throwaway PostgreSQL cluster (``initdb``/``pg_ctl``, run as the ``postgres``
user when the tests run as root, which PostgreSQL refuses; ../shared/tooling.md §6)."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    def __init__(self, db_url: str, workdir: Path) -> None:
        self.db_url = db_url
        self.workdir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *extra: str) -> ServerProcess:
        with open(self.workdir / "server.log", "ab") as log:  # the child keeps its own handle
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "provincial_server", "--db", self.db_url, "serve", "--port", str(self.port),
                 "--blob-dir", str(self.workdir / "blobs"), *extra],
                cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError((self.workdir / "server.log").read_text(errors="replace")[-3000:])
            try:
                if requests.get(f"{self.url}/api/v1/health", timeout=1).ok:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("provincial server did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def _pg_bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (.ci/run installs it with apt-get)")
    return found


class PostgresCluster:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self._dbs = 0

    def _run(self, *cmd: str) -> None:
        if self.as_root:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> PostgresCluster:
        (self.base / "sock").mkdir(parents=True)
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
            shutil.chown(self.base / "sock", "postgres", "postgres")
        self._run(_pg_bin("initdb"), "-D", str(self.base / "data"), "-U", "app", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        # fsync stays on: the ingest figure in docs/benchmarks.md must be an honest one.
        self._run(_pg_bin("pg_ctl"), "-D", str(self.base / "data"), "-l", str(self.base / "log"), "-w", "-t", "60",
                  "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base / 'sock'}", "start")
        return self

    def new_database(self) -> str:
        import psycopg

        self._dbs += 1
        name = f"province_{self._dbs}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=app dbname=postgres", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {name}")
        return f"postgresql+psycopg://app@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run(_pg_bin("pg_ctl"), "-D", str(self.base / "data"), "-m", "fast", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
