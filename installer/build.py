"""Build the counter's distributables (README, "Installer").

    python installer/build.py bundle              # PyInstaller one-folder bundle → dist/counter-app/
    python installer/build.py deb                 # dist/counter-app_<version>_amd64.deb from that bundle
    python installer/build.py nsis --from DIR     # dist/counter-app-<version>-setup.exe (makensis)

Run with the project's virtualenv Python (PyInstaller bundles the interpreter that runs it).
A bundle is built for the platform it is built on: the Windows bundle on Windows (the CI
workflow), the Linux bundle and the .deb on Linux. makensis runs on both.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST, BUILD = ROOT / "dist", ROOT / "build"
BUNDLE = DIST / "counter-app"
ICON_PNG = ROOT / "resources" / "icons" / "counter-app.png"
INSTALL_DIR = "/opt/counter-app"


def _package_constant(name: str) -> str:
    """A constant of ``counter_app/__init__.py``, read without importing the package (no Qt, no SQLAlchemy)."""
    text = (ROOT / "counter_app" / "__init__.py").read_text(encoding="utf-8")
    return re.search(rf'^{name} = "([^"]+)"', text, re.M).group(1)


def version() -> str:
    return _package_constant("__version__")


DISPLAY_NAME = _package_constant("PRODUCT_NAME")


def windows_version_tuple(v: str) -> tuple[int, int, int, int]:
    """A Windows version resource wants four integers: 0.1.0rc1 → (0, 1, 0, 0)."""
    numbers = [int(re.match(r"\d*", part).group() or 0) for part in v.split(".")[:4]]
    return tuple(numbers + [0] * (4 - len(numbers)))


def build_translations() -> None:
    # The .qm files are built, not committed; the bundle must carry them.
    subprocess.run([sys.executable, "-m", "counter_app.ui.translations"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def write_version_info() -> Path:
    """The executable's version resource (Windows Explorer → Properties → Details)."""
    v = version()
    numbers = windows_version_tuple(v)
    path = BUILD / "version-info.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('042a04b0', [
      StringStruct('CompanyName', 'counter_app'),
      StringStruct('FileDescription', {DISPLAY_NAME!r}),
      StringStruct('FileVersion', {v!r}),
      StringStruct('InternalName', 'counter-app'),
      StringStruct('OriginalFilename', 'counter-app.exe'),
      StringStruct('ProductName', {DISPLAY_NAME!r}),
      StringStruct('ProductVersion', {v!r})])]),
    VarFileInfo([VarStruct('Translation', [0x042a, 1200])])
  ]
)
""", encoding="utf-8")
    return path


def bundle(args) -> Path:
    out = Path(args.out).resolve()
    build_translations()
    write_version_info()
    work = BUILD / "pyinstaller" if out == DIST else out / ".work"
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(out), "--workpath", str(work),
                    str(ROOT / "installer" / "counter-app.spec")], cwd=ROOT, check=True)
    folder = out / "counter-app"
    add_release_keys(folder, Path(args.release_keys) if args.release_keys else None)
    print(f"{folder} ({folder_size(folder) / 1e6:.0f} MB)")
    return folder


def add_release_keys(folder: Path, keys: Path | None) -> None:
    """The province's release public keys (``*.pub`` from ``provincial-server release keygen``) go
    into the bundle, next to any in resources/release-keys; the counter installs only releases
    signed by one of them. A build without any accepts no update, and says so."""
    target = folder / "_internal" / "resources" / "release-keys"
    if keys is not None:
        sys.path.insert(0, str(ROOT))  # this checkout's counter_app, whatever the virtualenv installed
        from counter_app.core.releases import load_public_key

        found = sorted(keys.glob("*.pub"))
        if not found:
            raise SystemExit(f"no *.pub release key in {keys}")
        target.mkdir(parents=True, exist_ok=True)
        for key in found:
            load_public_key(key.read_bytes())  # an Ed25519 public key, or the build stops here
            shutil.copyfile(key, target / key.name)
            (target / key.name).chmod(0o644)
    if not list(target.glob("*.pub")):
        print("warning: no release public key in this build: it will accept no update "
              "(--release-keys DIR, or put the province's release.pub in resources/release-keys/)")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


DESKTOP_ENTRY = f"""[Desktop Entry]
Type=Application
Name={DISPLAY_NAME}
Name[vi]={DISPLAY_NAME}
GenericName=Tiếp nhận và trả kết quả hồ sơ
Comment=Tiếp nhận và trả kết quả hồ sơ tại bộ phận Một cửa
Exec=counter-app
Icon=counter-app
Terminal=false
Categories=Office;
StartupWMClass=counter-app
"""



def deb(args) -> Path:
    source = Path(args.source).resolve()
    if not (source / "counter-app").is_file():
        raise SystemExit(f"no bundle in {source}: run `python installer/build.py bundle` first")
    v = version()
    root = Path(args.out).resolve() / ".deb-root" / f"counter-app_{v}_amd64"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(source, root / INSTALL_DIR.lstrip("/"), symlinks=True)
    # The command on the PATH: a relative link, so the package also runs unpacked into another
    # root (dpkg-deb -x); the bundle finds its files from its real path (/proc/self/exe).
    launcher = root / "usr" / "bin" / "counter-app"
    launcher.parent.mkdir(parents=True)
    launcher.symlink_to(Path("../..") / INSTALL_DIR.lstrip("/") / "counter-app")
    desktop = root / "usr" / "share" / "applications" / "counter-app.desktop"
    desktop.parent.mkdir(parents=True)
    desktop.write_text(DESKTOP_ENTRY, encoding="utf-8")
    icon = root / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps" / "counter-app.png"
    icon.parent.mkdir(parents=True)
    shutil.copy2(ICON_PNG, icon)
    for path in root.rglob("*"):  # a umask of 077 at build time must not make the files root-only
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
    control = root / "DEBIAN" / "control"
    control.parent.mkdir()
    # No maintainer scripts: installing and removing touch only the files listed in the package,
    # never an officer's data folder (~/.local/share/counter_app).
    control.write_text(f"""Package: counter-app
Version: {v}
Section: misc
Priority: optional
Architecture: amd64
Maintainer: counter_app <counter-app@localhost>
Installed-Size: {folder_size(root) // 1024}
Depends: libc6, libegl1, libgl1, libfontconfig1, libfreetype6, libxkbcommon0, libxkbcommon-x11-0, libdbus-1-3,
 libglib2.0-0, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-render-util0, libxcb-shape0
Description: {DISPLAY_NAME}
 Offline-capable desktop application for Vietnamese one-stop-shop reception
 counters: intake, receipts, returns, certification and sync with the province.
""", encoding="utf-8")
    # dpkg-deb wants the control directory 0755–0775 whatever umask this runs under (the test suite
    # runs the app's own commands first, which set a private umask of 077 for the whole process).
    control.parent.chmod(0o755)
    control.chmod(0o644)
    out = Path(args.out).resolve() / f"counter-app_{v}_amd64.deb"
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["dpkg-deb", "--root-owner-group", f"-Z{args.compression}", "--build", str(root), str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    shutil.rmtree(root.parent)  # the staging copy of the bundle: another ~330 MB
    print(f"{out} ({out.stat().st_size / 1e6:.0f} MB)")
    return out


def nsis(args) -> Path:
    source = Path(args.source).resolve()
    # The shortcuts start the windowed executable of a Windows bundle (no console beside the window).
    exe = next((source / name for name in ("counter-app-window.exe", "counter-app.exe", "counter-app")
                if (source / name).is_file()), None)
    if exe is None:
        raise SystemExit(f"no bundle in {source}: build it with `python installer/build.py bundle`")
    makensis = shutil.which("makensis")
    if makensis is None:
        raise SystemExit("makensis not found: install NSIS (Debian: apt-get install nsis; Windows: choco install nsis)")
    v = version()
    out = Path(args.out).resolve() / f"counter-app-{v}-setup.exe"
    out.parent.mkdir(parents=True, exist_ok=True)
    defines = {"VERSION": v, "VIVERSION": ".".join(map(str, windows_version_tuple(v))), "SOURCE": str(source),
               "EXE": exe.name, "ICON": str(ROOT / "resources" / "icons" / "counter-app.ico"), "OUTFILE": str(out),
               "APPNAME": DISPLAY_NAME}
    if args.no_compress:  # a check that the script compiles: packing ~300 MB with LZMA takes minutes
        defines["NOCOMPRESS"] = "1"
    # -D, not /D: makensis on Windows takes both, elsewhere only the dash.
    command = [makensis, "-V2", "-INPUTCHARSET", "UTF8", *(f"-D{k}={val}" for k, val in defines.items()),
               str(ROOT / "installer" / "windows" / "counter-app.nsi")]
    subprocess.run(command, check=True)
    print(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", default=str(DIST), help="where the bundle, package or installer goes (default: dist/)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("bundle", parents=[common], help="PyInstaller one-folder bundle in dist/counter-app/")
    p.add_argument("--release-keys", help="folder of the province's release public keys (*.pub) to build in")
    p.set_defaults(func=bundle)
    p = sub.add_parser("deb", parents=[common], help="Debian package from the bundle")
    p.add_argument("--from", dest="source", default=str(BUNDLE), help="bundle folder (default: dist/counter-app)")
    p.add_argument("--compression", choices=("xz", "gzip", "zstd"), default="xz",
                   help="xz (default: smallest, ~3 min for ~330 MB on two cores) or gzip (fast, for tests)")
    p.set_defaults(func=deb)
    p = sub.add_parser("nsis", parents=[common], help="Windows installer (NSIS) from a Windows bundle folder")
    p.add_argument("--from", dest="source", required=True, help="bundle folder (dist/counter-app on Windows)")
    p.add_argument("--no-compress", action="store_true", help="store the files uncompressed (a quick check of the script)")
    p.set_defaults(func=nsis)
    args = parser.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
