"""The real artefacts, built once per test session: the PyInstaller one-folder bundle and the .deb
made from it (installer/build.py, the README's commands). Building takes a few minutes on two
cores, so every test of the bundle shares one build.

``COUNTER_APP_TEST_BUNDLE=DIR`` uses a bundle already built into DIR (``build.py bundle --out DIR``)
instead, for working on these tests; CI never sets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BUILD = ROOT / "installer" / "build.py"


def build(*args: str) -> subprocess.CompletedProcess:
    # Under the private umask the app's own commands set (077): the package must come out 755/644
    # whatever the builder's umask (a .deb built under it once had a root-only control directory).
    result = subprocess.run([sys.executable, str(BUILD), *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=1800, preexec_fn=lambda: os.umask(0o077))
    assert result.returncode == 0, f"build.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    prebuilt = os.environ.get("COUNTER_APP_TEST_BUNDLE")
    if prebuilt:
        return Path(prebuilt).resolve()
    out = tmp_path_factory.mktemp("dist")
    build("bundle", "--out", str(out))
    return out


@pytest.fixture(scope="session")
def bundle(dist) -> Path:
    folder = dist / "counter-app"
    assert (folder / "counter-app").is_file(), f"no executable in {folder}"
    return folder


@pytest.fixture(scope="session")
def deb(bundle, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("deb")
    build("deb", "--from", str(bundle), "--out", str(out), "--compression", "gzip")  # xz: 3 more minutes
    [package] = out.glob("counter-app_*_amd64.deb")
    return package


def run_frozen(exe: Path, *args: str, data: Path | None = None, env: dict | None = None, stdin: str | None = None,
               timeout: int = 180) -> subprocess.CompletedProcess:
    """The frozen program as an officer's shell runs it: no virtualenv, no PYTHONPATH, started
    from another folder so nothing resolves against the source checkout."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "COUNTER_APP"))}
    clean.update({"COUNTER_APP_OFFICER": "Cán bộ CLI", "PYTHONIOENCODING": "utf-8", **(env or {})})
    command = [str(exe), *args] + (["--data-dir", str(data)] if data is not None else [])
    return subprocess.run(command, cwd=exe.parent.parent if data is None else data.parent, env=clean,
                          input=stdin, capture_output=True, text=True, timeout=timeout)
