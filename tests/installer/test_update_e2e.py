"""Issue 17, done when: a counter installed from the .deb and enrolled with the reference server is
offered a signed release, fetches and verifies it, and installs it with dpkg; the new version opens
the same store and sends the queue the old one kept.

Two real builds: the session's bundle (this checkout's version) with the test's release key put
where ``build.py bundle --release-keys`` puts it, and a second bundle built by ``build.py bundle
--release-keys`` from a copy of this checkout whose version is one step newer. dpkg installs into a
scratch root (``--root``), so the test needs root, as the CI machine is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app import __version__
from counter_app.core import releases
from tests.conftest import ROOT
from tests.installer.conftest import BUILD, build, run_frozen
from tests.sync.releasing import newer_than_running

pytestmark = [pytest.mark.installer, pytest.mark.timeout(2400),
              pytest.mark.skipif(shutil.which("dpkg") is None or os.geteuid() != 0,
                                 reason="dpkg --root needs root (CI runs as root)")]

NEW = newer_than_running()
COPIED = ("counter_app", "resources", "migrations", "installer", "pyproject.toml", "README.md")


@pytest.fixture(scope="module")
def release_keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("build-keys")
    private, public = releases.new_key_pair()
    (folder / "release-private.pem").write_bytes(private)
    (folder / "public").mkdir()
    (folder / "public" / "release.pub").write_bytes(public)
    return folder


@pytest.fixture(scope="module")
def old_deb(bundle, release_keys, tmp_path_factory) -> Path:
    """Today's version as the province shipped it: its build carries the release key."""
    work = tmp_path_factory.mktemp("old")
    keyed = work / "counter-app"
    shutil.copytree(bundle, keyed, symlinks=True)
    keys = keyed / "_internal" / "resources" / "release-keys"  # where build.py --release-keys puts them
    keys.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(release_keys / "public" / "release.pub", keys / "release.pub")
    build("deb", "--from", str(keyed), "--out", str(work), "--compression", "gzip")
    [package] = work.glob(f"counter-app_{__version__}_amd64.deb")
    return package


@pytest.fixture(scope="module")
def new_deb(release_keys, tmp_path_factory) -> Path:
    """The next version, built from a copy of this checkout with its version raised."""
    src = tmp_path_factory.mktemp("next-src")
    for name in COPIED:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copyfile(path, src / name)
    init = src / "counter_app" / "__init__.py"
    init.write_text(init.read_text("utf-8").replace(f'"{__version__}"', f'"{NEW}"'), "utf-8")
    assert f'"{NEW}"' in init.read_text("utf-8")
    out = src / "dist"
    for step in (["bundle", "--out", str(out), "--release-keys", str(release_keys / "public")],
                 ["deb", "--from", str(out / "counter-app"), "--out", str(out), "--compression", "gzip"]):
        done = subprocess.run([sys.executable, str(src / "installer" / BUILD.name), *step], cwd=src,
                              capture_output=True, text=True, timeout=1800, preexec_fn=lambda: os.umask(0o077))
        assert done.returncode == 0, done.stdout + done.stderr
    [package] = out.glob(f"counter-app_{NEW}_amd64.deb")
    return package


def _scratch_root(path: Path) -> Path:
    for folder in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"):
        (path / folder).mkdir(parents=True)
    (path / "var/lib/dpkg/status").touch()
    return path


def test_an_installed_counter_is_offered_verifies_and_installs_a_signed_release(
        old_deb, new_deb, release_keys, tmp_path, monkeypatch):
    from tests.sync.conftest import Province

    root = _scratch_root(tmp_path / "root")
    dpkg = f"dpkg --root={root} --force-depends --force-script-chrootless --log=/dev/null"
    first = subprocess.run([*dpkg.split(), "-i", str(old_deb)], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    exe = root / "usr" / "bin" / "counter-app"
    # the test's stand-in for the OS keyring, configured the way keyring reads its configuration
    config = tmp_path / "config" / "python_keyring"
    config.mkdir(parents=True)
    (config / "keyringrc.cfg").write_text(f"[backend]\ndefault-keyring=testkeyring.FileKeyring\n"
                                          f"keyring-path={ROOT / 'tests'}\n", "utf-8")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}
    data = tmp_path / "home" / "counter_app"
    data.parent.mkdir()

    def counter(*args: str, ok: bool = True) -> dict:
        done = run_frozen(exe, *args, "--json", data=data, env=env, timeout=600)
        assert not ok or done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else {}

    assert run_frozen(exe, "--version").stdout.strip() == f"counter_app {__version__}"
    province = Province(f"sqlite:///{tmp_path / 'province.sqlite'}", tmp_path)
    province.process.start()
    try:
        counter("enroll", "--server", province.url, "--code", province.code())
        counter("settings", "set", "update_install_command", f"{dpkg} -i {{file}}")
        counter("settings", "set", "update_download_kib_s", "0")
        assert counter("update", "status")["offer"] is None

        from provincial_server.cli import main as server
        assert server(["release", "sign", str(new_deb), "--key", str(release_keys / "release-private.pem"),
                       "--version", NEW, "--platform", "linux-amd64", "--notes", "Bản thử nghiệm cập nhật."]) == 0
        monkeypatch.chdir(tmp_path)
        assert server(["--db", province.db.url, "release", "add", str(new_deb), "--manifest",
                       f"{new_deb}.manifest.json", "--keys", str(release_keys / "public"),
                       "--store", str(tmp_path / "releases")]) == 0

        counter("sync", "--once")  # the offer comes with the pull; the download starts
        fetched = counter("update", "download")
        assert fetched["state"] == "ready" and fetched["version"] == NEW
        province.process.stop()  # offline at close: the intake waits in the queue through the update
        dossier = counter("intake", "--procedure", "1.001612", "--name", "Nguyễn Văn Ấn")
        plan = counter("update", "install")
        assert plan["version"] == NEW and plan["pending"] >= 1 and Path(plan["backup"]).exists()

        assert run_frozen(exe, "--version").stdout.strip() == f"counter_app {NEW}"
        check = run_frozen(exe, "check", data=data, env=env)
        assert check.returncode == 0, check.stdout + check.stderr
        previous = data / "updates" / "previous" / __version__ / "counter-app"
        assert run_frozen(previous, "--version").stdout.strip() == f"counter_app {__version__}"
        province.process.start()
        sent = counter("sync", "--once")
        assert sent["pending"] == 0 and sent["error"] is None
        assert dossier["code"] in {e["dossier"] for e in province.events()}
        assert counter("update", "status")["offer"] is None  # the new version is the newest
    finally:
        province.close()
