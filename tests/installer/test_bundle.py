"""The frozen program (issue 17): the PyInstaller one-folder bundle runs the counter with no Python
installed, from any folder: ``--version``, ``init`` of a fresh data folder (Alembic migrations
read from the bundle), an intake, a receipt PDF whose text reads back, ``check``, and the window
offscreen up to its login dialog. Every file the app opens through ``paths.resource_path`` must
be in the bundle: a missing one fails here, not at a counter."""

from __future__ import annotations

import ast
import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app import __version__
from tests.conftest import ROOT, pdf_text
from tests.installer.conftest import run_frozen

pytestmark = [pytest.mark.installer, pytest.mark.timeout(1800)]  # the first test pays for the build

NAME = "Nguyễn Văn Ấn"
SOURCE_TREES = ("resources", "migrations")


def ok(exe: Path, data: Path, *args: str, stdin: str | None = None) -> dict:
    result = run_frozen(exe, *args, "--json", data=data, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def counter_session(exe: Path, data: Path, tmp: Path) -> None:
    """What a new counter does on its first morning, through the frozen executable."""
    version = run_frozen(exe, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"counter_app {__version__}", version
    init = ok(exe, data, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ",
              "--province", "Gia Lai", "--desk", "1")
    assert init["agency_code"] == "H52.101"
    dossier = ok(exe, data, "intake", "--procedure", "1.001612", "--name", NAME, "--id-number", "052090123456")
    assert dossier["status"] == "received"
    receipt = tmp / "receipt.pdf"
    ok(exe, data, "print", dossier["code"], "--form", "receipt", "--out", str(receipt))
    text = pdf_text(receipt)
    assert NAME in text and dossier["code"] in text and "GIẤY TIẾP NHẬN" in text.upper(), text[:500]
    check = run_frozen(exe, "check", data=data)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Lược đồ: 0016" in check.stdout or "mới nhất" in check.stdout, check.stdout


def first_window(exe: Path, data: Path) -> str:
    """Start the window offscreen; it closes itself once its first dialog is on screen and says which."""
    result = run_frozen(exe, data=data, env={"QT_QPA_PLATFORM": "offscreen", "COUNTER_APP_EXIT_AFTER_SHOW": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    shown = [line.split(": ", 1)[1] for line in result.stdout.splitlines() if line.startswith("shown: ")]
    assert len(shown) == 1, result.stdout
    return shown[0]


def test_frozen_counter_intake_receipt_and_check(bundle, tmp_path):
    counter_session(bundle / "counter-app", tmp_path / "data", tmp_path)


def test_frozen_window_opens_the_wizard_then_the_login_dialog(bundle, tmp_path):
    exe, data = bundle / "counter-app", tmp_path / "data"
    assert first_window(exe, data) == "FirstRunWizard"  # a new PC: set up the counter first
    ok(exe, data, "init", "--agency-code", "H52.101", "--agency-name", "UBND xã Định Mỹ", "--province", "Gia Lai")
    ok(exe, data, "officer", "add", "bich.tt", "--name", "Trần Thị Bích", "--role", "admin", "--password-stdin",
       stdin="mật-khẩu-2026\n")
    assert first_window(exe, data) == "LoginDialog"


# -- what is in the bundle ---------------------------------------------------------------------

def resource_paths_opened_by_the_app() -> set[tuple[str, ...]]:
    """Every path under resources/ the code names: ``resource_path("resources", …)`` calls and the
    tuple constants passed to it (``BUNDLED_CATALOGUE = ("resources", "catalogue", …)``)."""
    found = set()
    for module in (ROOT / "counter_app").rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            parts = None
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "resource_path":
                parts = node.args
            elif isinstance(node, ast.Tuple):
                parts = node.elts
            if parts and all(isinstance(p, ast.Constant) and isinstance(p.value, str) for p in parts) \
                    and parts[0].value in SOURCE_TREES:
                found.add(tuple(p.value for p in parts))
    return found


def missing_from_bundle(bundle: Path) -> list[str]:
    """Files of resources/ and migrations/ (and the built .qm) absent from the bundle or different."""
    internal = bundle / "_internal"
    missing = []
    for tree in SOURCE_TREES:
        for source in sorted((ROOT / tree).rglob("*")):
            if source.is_dir() or "__pycache__" in source.parts:
                continue
            rel = source.relative_to(ROOT)
            frozen = internal / rel
            if not frozen.is_file() or not filecmp.cmp(source, frozen, shallow=False):
                missing.append(rel.as_posix())
    for parts in resource_paths_opened_by_the_app():
        path = internal.joinpath(*parts)
        if not (path.is_file() or (path.is_dir() and any(path.iterdir()))):
            missing.append("/".join(parts))
    return sorted(set(missing))


def test_every_resource_the_app_opens_is_in_the_bundle(bundle):
    named = resource_paths_opened_by_the_app()
    assert ("resources", "catalogue", "commune-procedures.json") in named  # the scan sees the constants
    assert ("resources", "i18n") in named and ("resources", "icons", "counter-app.png") in named
    assert (bundle / "_internal" / "resources" / "i18n" / "qtbase_vi.qm").is_file()  # built, not committed
    assert missing_from_bundle(bundle) == []


def test_a_file_missing_from_the_bundle_is_caught(bundle, tmp_path):
    """The check above against a bundle with the catalogue deleted (a hard-linked copy): it names
    the file, and the frozen ``init`` fails with a message instead of creating a counter."""
    broken = tmp_path / "counter-app"
    subprocess.run(["cp", "-al", str(bundle), str(broken)], check=True)
    (broken / "_internal" / "resources" / "catalogue" / "commune-procedures.json").unlink()
    assert missing_from_bundle(broken) == ["resources/catalogue/commune-procedures.json"]
    result = run_frozen(broken / "counter-app", "init", "--agency-code", "H52.101", "--agency-name", "UBND xã A",
                        data=tmp_path / "data")
    assert result.returncode != 0 and "commune-procedures.json" in result.stderr, result.stderr


def frozen_modules(bundle: Path) -> set[str]:
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(bundle / "counter-app"))
    pyz = archive.open_embedded_archive("PYZ.pyz")
    return set(pyz.toc)


def test_bundle_holds_the_counter_and_not_the_server(bundle):
    modules = frozen_modules(bundle)
    # Imported by name at run time: the CLI's command groups, the Báo cáo charts, Alembic's op proxy,
    # the release version comparison (core/releases.py imports packaging inside a function).
    for needed in ("counter_app.cli.admin", "counter_app.cli.history", "counter_app.ui.report_charts",
                   "matplotlib.backends.backend_qtagg", "alembic.op", "reportlab.graphics.barcode.code93",
                   "sqlcipher3", "counter_app.core.releases", "packaging.version"):
        assert needed in modules, needed
    for unwanted in ("provincial_server", "fastapi", "uvicorn", "psycopg", "starlette", "pytest", "tkinter"):
        assert not {m for m in modules if m == unwanted or m.startswith(unwanted + ".")}, unwanted
        assert not (bundle / "_internal" / unwanted).exists(), unwanted
    plugins = bundle / "_internal" / "PySide6" / "Qt" / "plugins" / "platforms"
    present = {p.name for p in plugins.iterdir()}
    assert {"libqoffscreen.so", "libqxcb.so", "libqwayland.so"} <= present, present
    assert not {"libqeglfs.so", "libqvnc.so", "libqlinuxfb.so"} & present, present


# -- the Debian package ------------------------------------------------------------------------

def test_deb_installs_and_runs(deb, tmp_path):
    contents = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "./opt/counter-app/counter-app" in contents
    assert "./usr/bin/counter-app -> ../../opt/counter-app/counter-app" in contents
    assert all(" root/root " in line for line in contents.splitlines()), "files must be owned by root"
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "--control", str(deb), str(control)], check=True)
    # No maintainer scripts: installing or removing can never reach an officer's data folder.
    assert sorted(p.name for p in control.iterdir()) == ["control"], list(control.iterdir())
    fields = (control / "control").read_text(encoding="utf-8")
    assert f"Version: {__version__}\n" in fields and "Package: counter-app\n" in fields
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    desktop = (root / "usr" / "share" / "applications" / "counter-app.desktop").read_text(encoding="utf-8")
    assert "Name=Phần mềm quầy Một cửa\n" in desktop and "Exec=counter-app\n" in desktop
    assert "Icon=counter-app\n" in desktop
    icon = root / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps" / "counter-app.png"
    assert icon.read_bytes() == (ROOT / "resources" / "icons" / "counter-app.png").read_bytes()
    # The launcher on the PATH, run from the unpacked root as a shell would run /usr/bin/counter-app.
    launcher = root / "usr" / "bin" / "counter-app"
    counter_session(launcher, tmp_path / "data", tmp_path)
    ok(launcher, tmp_path / "data", "officer", "add", "bich.tt", "--name", "Trần Thị Bích", "--role", "admin",
       "--password-stdin", stdin="mật-khẩu-2026\n")
    assert first_window(launcher, tmp_path / "data") == "LoginDialog"


@pytest.mark.skipif(shutil.which("dpkg") is None or os.geteuid() != 0, reason="dpkg --root needs root (CI runs as root)")
def test_dpkg_install_and_remove_keep_the_data_folder(deb, tmp_path):
    """dpkg itself installs the package into a scratch root and removes it: the program goes, an
    officer's data folder stays byte for byte."""
    root = tmp_path / "root"
    for folder in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"):
        (root / folder).mkdir(parents=True)
    (root / "var/lib/dpkg/status").touch()
    data = root / "home" / "bich" / ".local" / "share" / "counter_app"
    data.mkdir(parents=True)
    (data / "counter.sqlite").write_bytes(b"officer data")
    dpkg = ["dpkg", f"--root={root}", "--force-depends", "--force-script-chrootless", "--log=/dev/null"]
    installed = subprocess.run([*dpkg, "-i", str(deb)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    version = run_frozen(root / "usr" / "bin" / "counter-app", "--version")
    assert version.stdout.strip() == f"counter_app {__version__}", version
    removed = subprocess.run([*dpkg, "--purge", "counter-app"], capture_output=True, text=True)
    assert removed.returncode == 0, removed.stderr
    assert not (root / "opt" / "counter-app").exists() and not (root / "usr" / "bin" / "counter-app").exists()
    assert (data / "counter.sqlite").read_bytes() == b"officer data"


# -- the Windows installer script ------------------------------------------------------------

@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (Debian package nsis) not installed")
def test_nsis_script_compiles_against_the_bundle(bundle, tmp_path):
    """Only proves the script is valid NSIS: it packs the Linux bundle, which would not run on
    Windows (the Windows bundle is built by .github/workflows/windows-installer.yml)."""
    result = subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"),
                             "nsis", "--from", str(bundle), "--out", str(tmp_path), "--no-compress"],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    setup = tmp_path / f"counter-app-{__version__}-setup.exe"
    with setup.open("rb") as f:
        assert f.read(2) == b"MZ"
    bundled = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    assert setup.stat().st_size > 0.9 * bundled  # stored uncompressed: the bundle's files are in it
