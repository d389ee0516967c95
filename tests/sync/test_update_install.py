"""Issue 17: installing a downloaded release. The file is checked again, the queue gets one chance
to go out and otherwise stays in the store, the store is backed up, the running version preserved,
the update recorded; then the installer runs. A new version that cannot migrate the store is
refused on this counter and the preserved previous version is named to start."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace

import pytest

from counter_app import __version__
from counter_app.core.errors import ValidationError
from counter_app.storage import cipher
from counter_app.sync import install
from counter_app.sync.install import preserve_running_version, read_record
from counter_app.sync.releases import ReleaseVerifier
from tests.sync.releasing import newer_than_running, publish, release_key

INSTALLER = ("import shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2]); "
             "print('installed', sys.argv[1])")


def _ready_counter(province, make_counter, tmp_path, content: bytes):
    private, public = release_key()
    counter = make_counter(province)
    counter.app.release_verifier = ReleaseVerifier([public], refused=lambda: install.refused_versions(
        counter.app.data_dir))
    counter.app.__dict__.pop("updates", None)
    publish(province, private, public, tmp_path, newer_than_running(), content=content)
    assert counter.sync().release_download == "ready"
    return counter, private, public


def _installer_setting(app, tmp_path, command: str | None = None):
    installed = tmp_path / "installed.bin"
    command = command or f'"{sys.executable}" -c "{INSTALLER}" {{file}} "{installed}"'
    app.setup.save_settings(replace(app.ctx.settings, update_install_command=command))
    return installed


def test_install_backs_up_keeps_the_queue_and_hands_the_verified_file_over(province, make_counter, tmp_path):
    content = os.urandom(300_000)
    counter, _, _ = _ready_counter(province, make_counter, tmp_path, content)
    installed = _installer_setting(counter.app, tmp_path)
    codes = counter.receive(2)
    province.process.stop()  # the link is down at close: the queue must stay, not be dropped
    updates = counter.app.updates

    plan = updates.prepare_install()
    assert plan.version == newer_than_running() and not plan.detached and plan.pending == 2
    assert plan.relaunch == []  # the command line installs; it does not start the window
    record = read_record(counter.app.data_dir)
    assert record["from_version"] == __version__ and record["to_version"] == plan.version
    assert record["previous_command"] is None  # a source install is not overwritten by an installer
    backup = cipher.connect(plan.backup, cipher.key_for(counter.app.db.path))  # the store's own key
    try:
        assert {r[0] for r in backup.execute("SELECT code FROM dossier")} == set(codes)
        assert backup.execute("SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone() == (2,)
    finally:
        backup.close()

    updates.run_installer(plan)
    assert installed.read_bytes() == content
    assert counter.app.outbox.status().pending == 2  # still there for the new version to send
    install.opened(counter.app.data_dir, plan.version)  # the new version opened the store
    assert read_record(counter.app.data_dir) is None


def test_a_file_changed_after_download_is_not_installed(province, make_counter, tmp_path):
    content = os.urandom(200_000)
    counter, _, _ = _ready_counter(province, make_counter, tmp_path, content)
    installed = _installer_setting(counter.app, tmp_path)
    path = counter.app.updates.status().path
    data = bytearray(path.read_bytes())
    data[1000] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ValidationError, match="không khớp"):
        counter.app.updates.prepare_install()
    assert read_record(counter.app.data_dir) is None and not installed.exists()
    assert not list((counter.app.data_dir / "backups").glob("counter-before-*"))


def test_a_failing_installer_leaves_the_running_version_and_no_record(province, make_counter, tmp_path):
    counter, _, _ = _ready_counter(province, make_counter, tmp_path, os.urandom(50_000))
    _installer_setting(counter.app, tmp_path, f'"{sys.executable}" -c "import sys; sys.exit(3)" {{file}}')
    plan = counter.app.updates.prepare_install()
    with pytest.raises(ValidationError, match="mã 3"):
        counter.app.updates.run_installer(plan)
    assert read_record(counter.app.data_dir) is None


def test_an_install_command_without_the_file_is_refused(province, make_counter, tmp_path):
    counter, _, _ = _ready_counter(province, make_counter, tmp_path, os.urandom(50_000))
    _installer_setting(counter.app, tmp_path, "dpkg -i")
    with pytest.raises(ValidationError, match="{file}"):
        counter.app.updates.prepare_install()
    assert read_record(counter.app.data_dir) is None  # refused before anything was written
    assert not list((counter.app.data_dir / "backups").glob("counter-before-*"))


def test_a_frozen_build_is_copied_aside_so_it_can_start_again(tmp_path, monkeypatch):
    bundle = tmp_path / "opt" / "counter-app"
    (bundle / "_internal" / "resources").mkdir(parents=True)
    (bundle / "_internal" / "resources" / "catalogue.json").write_text("{}", "utf-8")
    exe = bundle / "counter-app"
    exe.write_text("#!/bin/sh\n", "utf-8")
    exe.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    data = tmp_path / "data"
    command = preserve_running_version(data, "1.2.0")
    copy = data / "updates" / "previous" / "1.2.0"
    assert command == [str(copy / "counter-app")] and os.access(command[0], os.X_OK)
    assert (copy / "_internal" / "resources" / "catalogue.json").read_text("utf-8") == "{}"
    preserve_running_version(data, "1.3.0")  # the next update keeps only the version it replaces
    assert [p.name for p in (data / "updates" / "previous").iterdir()] == ["1.3.0"]


def test_refused_versions_are_read_back(tmp_path):
    data = tmp_path / "data"
    (data / "updates").mkdir(parents=True)
    (data / "updates" / "refused-versions.json").write_text(json.dumps({"2.0.0": "migration failed"}), "utf-8")
    assert install.refused_versions(data) == {"2.0.0": "migration failed"}
    (data / "updates" / "refused-versions.json").write_text("not json", "utf-8")
    assert install.refused_versions(data) == {}


def test_the_platform_installers_and_an_administrators_command(tmp_path):
    setup = tmp_path / "counter-app-0.9.0-setup.exe"
    assert install.platform_command(setup, "windows-x64") == ([str(setup), "/S", "/UPDATE"], True)
    assert install.platform_command(setup, "windows-x64", relaunch=True)[0][-1] == "/RELAUNCH"
    deb = tmp_path / "counter-app_0.9.0_amd64.deb"
    command, detached = install.platform_command(deb, "linux-amd64")
    assert command[-3:] == ["dpkg", "-i", str(deb)] and not detached
    assert command[0] == ("dpkg" if os.geteuid() == 0 else "pkexec")
    mine = install.platform_command(deb, "linux-amd64", 'sudo -n apt-get install -y "{file}"')
    assert mine == (["sudo", "-n", "apt-get", "install", "-y", str(deb)], False)
