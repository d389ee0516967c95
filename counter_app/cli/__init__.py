"""Headless command line over the same services as the window: ``counter-app`` or
``python -m counter_app``.

Each command group is a module with a ``register(cli)`` function (Electrum's command registry is
the model); ``common`` holds what they share. Errors print a Vietnamese message (with an English
detail) on stderr, as a JSON object with ``--json``, exit non-zero, and write nothing: every
command is one transaction that commits only when it succeeded.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Sequence

from counter_app import __version__, paths
from counter_app.cli.common import EXIT_BROKEN_PIPE, EXIT_ERROR, EXIT_INTERNAL, VietnameseArgumentParser
from counter_app.core.errors import CounterError

GROUPS = ("admin", "officers", "dossiers", "printouts", "postal", "staff", "transfer", "sync", "cert", "cert_sign",
          "holder", "support", "reports", "history", "updates")
log = logging.getLogger("counter_app.cli")


class Commands:
    """What a group module sees: ``add`` a command, or a ``group`` of sub-commands."""

    def __init__(self, sub, common: argparse.ArgumentParser) -> None:
        self._sub, self.common = sub, common

    def add(self, name: str, func, help_: str) -> argparse.ArgumentParser:
        sp = self._sub.add_parser(name, parents=[self.common], help=help_)
        sp.set_defaults(func=func)
        return sp

    def group(self, name: str, help_: str) -> Commands:
        sp = self._sub.add_parser(name, parents=[self.common], help=help_)
        return Commands(sp.add_subparsers(dest=f"{name}_command", required=True,
                                          parser_class=VietnameseArgumentParser), self.common)


def cmd_gui(args) -> int:
    """No subcommand: the desktop window."""
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
        # Qt would abort the process; say what is wrong instead.
        sys.stderr.write("Lỗi: không có màn hình (DISPLAY/WAYLAND_DISPLAY chưa đặt) để mở cửa sổ quầy. "
                         "Các lệnh dòng lệnh vẫn dùng được: counter-app --help\n"
                         "(detail: no display; set DISPLAY or QT_QPA_PLATFORM)\n")
        return EXIT_ERROR
    try:
        from counter_app.ui.app_main import run
    except ImportError as exc:  # Qt missing or not loadable (no display libraries)
        sys.stderr.write(f"Lỗi: không mở được giao diện Qt ({exc}). Các lệnh dòng lệnh vẫn dùng được: "
                         "counter-app --help\n")
        return EXIT_ERROR
    return run(args.data_dir)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS,
                        help=f"thư mục dữ liệu (mặc định: ${paths.DATA_DIR_ENV} hoặc thư mục dữ liệu người dùng)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="in kết quả dạng JSON")
    common.add_argument("--officer", default=argparse.SUPPRESS, help="cán bộ thực hiện (mặc định: người dùng hệ thống)")

    p = VietnameseArgumentParser(prog="counter-app", parents=[common],
                                 description="Phần mềm quầy Một cửa: tiếp nhận và trả kết quả hồ sơ.")
    p.add_argument("--version", action="version", version=f"counter_app {__version__}")
    commands = Commands(p.add_subparsers(dest="command", parser_class=VietnameseArgumentParser), common)
    for name in GROUPS:
        importlib.import_module(f"counter_app.cli.{name}").register(commands)
    return p


def _fail(args, message: str, detail: str | None, code: int) -> int:
    if getattr(args, "json", False):
        json.dump({"error": message, "detail": detail, "exit_code": code}, sys.stderr, ensure_ascii=False)
        sys.stderr.write("\n")
    else:
        sys.stderr.write(f"Lỗi: {message}\n" + (f"(detail: {detail})\n" if detail else ""))
    return code


def main(argv: Sequence[str] | None = None) -> int:
    from counter_app import logs

    paths.private_umask()  # the database, backups, exports and logs hold citizens' personal data
    parser = build_parser()
    args = parser.parse_args(argv)
    args.data_dir = getattr(args, "data_dir", None)
    args.json = getattr(args, "json", False)
    args.officer = getattr(args, "officer", None) or os.environ.get("COUNTER_APP_OFFICER") or _system_user()
    args.opened = []
    # The log lives in the data folder, but a command must not create that folder just to log:
    # an uninitialised or mistyped --data-dir is left exactly as it was.
    folder = paths.data_dir(args.data_dir)
    try:
        log_file = logs.configure(data_dir=folder) if folder.is_dir() else logs.configure()
    except OSError:  # a folder that cannot be written must not stop the command
        log_file = logs.configure()
    logs.install_excepthook()
    func = getattr(args, "func", cmd_gui)
    try:
        return func(args)
    except CounterError as exc:
        return _fail(args, exc.message, exc.detail, EXIT_ERROR)
    except KeyboardInterrupt:
        sys.stderr.write("Đã dừng theo yêu cầu.\n")
        return 130
    except BrokenPipeError:
        # The reader (``| head``) went away: stop quietly; point stdout at nothing so the
        # interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # a file the officer named: a missing folder, a directory, no permission, no space
        where = f" {exc.filename}" if exc.filename else ""
        return _fail(args, f"Không đọc/ghi được tệp{where}: {_os_reason_vi(exc)}. Chưa có gì được ghi vào cơ sở dữ liệu.",
                     f"{type(exc).__name__}: {exc.strerror or exc}", EXIT_ERROR)
    except Exception as exc:  # a bug: the traceback goes to the log, the officer gets a sentence
        log.exception("command %s failed", getattr(args, "command", None))
        where = f" ({log_file})" if log_file else ""
        return _fail(args, f"Lỗi không mong đợi; chi tiết đã ghi vào nhật ký{where}. Dữ liệu đã lưu không bị mất.",
                     logs.redact(f"{type(exc).__name__}: {exc}"), EXIT_INTERNAL)
    finally:
        for app in args.opened:
            app.close()


def _os_reason_vi(exc: OSError) -> str:
    import errno

    return {errno.ENOENT: "thư mục hoặc tệp không tồn tại", errno.EISDIR: "đây là một thư mục",
            errno.ENOTDIR: "đường dẫn có phần không phải thư mục", errno.EACCES: "không có quyền",
            errno.ENOSPC: "ổ đĩa đã đầy", errno.EROFS: "ổ đĩa chỉ đọc"}.get(exc.errno, "lỗi hệ thống tệp")


def _system_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers); the officer can still be passed explicitly
        return "unknown"
