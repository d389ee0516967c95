"""``counter-app officer …``: the counter's local accounts (list, add, passwd, role, organisation,
disable, enable).

The command line acts as an administrator: whoever can run it on the data folder can already write
the database file (``core.officers``). Passwords are never arguments: they are typed at a hidden
prompt (twice), or, for scripts, read from standard input with ``--password-stdin`` (one per line).
"""

from __future__ import annotations

import getpass
import sys

from counter_app.cli.common import emit, open_app
from counter_app.core.errors import ValidationError


def _operator(args):
    from counter_app.core.officers import Operator

    return Operator(args.officer)


def _as_dict(o) -> dict:
    return {"username": o.username, "full_name": o.full_name, "role": o.role, "active": o.active,
            "organisation": o.organisation}


def _line(o) -> str:
    from counter_app.core.officers import ROLE_LABELS

    return f"{o.username:<20}  {o.full_name:<30}  {ROLE_LABELS.get(o.role, o.role):<14}" + (
        f"  {o.organisation}" if o.organisation else "") + ("" if o.active else "  [đã khóa]")


def read_passwords(args, prompts: list[str], *, confirm_last: bool = True) -> list[str]:
    """One password per prompt: from standard input with ``--password-stdin`` (a line each), else
    typed at a hidden prompt, the last one twice. Never from the command line."""
    if args.password_stdin:
        lines = [sys.stdin.readline() for _ in prompts]
        if any(not line.strip("\r\n") for line in lines):
            raise ValidationError(f"--password-stdin: cần {len(prompts)} dòng mật khẩu trên đầu vào chuẩn.",
                                  "missing password line on stdin")
        return [line.rstrip("\r\n") for line in lines]
    if not sys.stdin.isatty():
        raise ValidationError("Không có bàn phím để nhập mật khẩu; trong kịch bản hãy dùng --password-stdin.",
                              "stdin is not a terminal")
    out = [getpass.getpass(p) for p in prompts]
    if confirm_last and getpass.getpass("Nhập lại mật khẩu mới: ") != out[-1]:
        raise ValidationError("Hai lần nhập mật khẩu không khớp.", "passwords differ")
    return out


def cmd_list(args) -> int:
    officers = open_app(args).officers.all()
    emit(args, {"officers": [_as_dict(o) for o in officers]},
         "\n".join(_line(o) for o in officers) or "Chưa có tài khoản cán bộ nào.")
    return 0


def cmd_add(args) -> int:
    from counter_app.core.officers import ROLE_LABELS

    app = open_app(args)
    # a refusal before the password is asked
    app.officers.check_new(args.username, args.name, args.role, args.organisation)
    (password,) = read_passwords(args, ["Mật khẩu (≥ 8 ký tự): "])
    o = app.officers.add(_operator(args), args.username, args.name, password, args.role,
                         organisation=args.organisation)
    emit(args, _as_dict(o), f"Đã thêm cán bộ {o.username} ({o.full_name}), vai trò {ROLE_LABELS[o.role]}"
         + (f", thuộc {o.organisation}." if o.organisation else "."))
    return 0


def cmd_passwd(args) -> int:
    app = open_app(args)
    o = app.officers.get(args.username)  # an unknown name is refused before any password is asked
    if args.old:
        old, new = read_passwords(args, ["Mật khẩu hiện tại: ", "Mật khẩu mới (≥ 8 ký tự): "])
        app.officers.change_password(o.username, old, new, new)
        text = f"Đã đổi mật khẩu của {o.username}."
    else:
        (new,) = read_passwords(args, [f"Mật khẩu mới cho {o.username} (≥ 8 ký tự): "])
        app.officers.reset_password(_operator(args), o.username, new)
        text = f"Đã đặt lại mật khẩu cho {o.username}."
    emit(args, {"username": o.username, "password_changed": True}, text)
    return 0


def cmd_role(args) -> int:
    from counter_app.core.officers import ROLE_LABELS

    o = open_app(args).officers.set_role(_operator(args), args.username, args.role)
    emit(args, _as_dict(o), f"{o.username} ({o.full_name}): vai trò {ROLE_LABELS[o.role]}.")
    return 0


def cmd_organisation(args) -> int:
    o = open_app(args).officers.set_organisation(_operator(args), args.username, args.organisation)
    emit(args, _as_dict(o), f"{o.username} ({o.full_name}): thuộc {o.organisation}." if o.organisation else
         f"{o.username} ({o.full_name}): cán bộ của cơ quan (không thuộc đơn vị vận hành khác).")
    return 0


def cmd_active(args) -> int:
    active = args.officer_command == "enable"
    o = open_app(args).officers.set_active(_operator(args), args.username, active)
    emit(args, _as_dict(o), f"Đã mở lại tài khoản {o.username} ({o.full_name})." if active else
         f"Đã khóa tài khoản {o.username}: không đăng nhập được nữa; lịch sử hồ sơ vẫn giữ tên {o.full_name}.")
    return 0


def register(cli) -> None:
    officer = cli.group("officer", "tài khoản cán bộ của quầy (quyền quản trị viên)")
    officer.add("list", cmd_list, "liệt kê tài khoản (cả tài khoản đã khóa)")
    stdin_help = "đọc mật khẩu từ đầu vào chuẩn, mỗi dòng một mật khẩu (cho kịch bản)"
    add = officer.add("add", cmd_add, "thêm cán bộ (mật khẩu nhập ẩn hai lần)")
    add.add_argument("username", help="tên đăng nhập: 3–40 ký tự a-z 0-9 . _ -")
    add.add_argument("--name", required=True, help="họ tên (ghi trong lịch sử hồ sơ)")
    add.add_argument("--role", default="officer", metavar="officer|admin", help="vai trò (mặc định officer)")
    add.add_argument("--organisation", help="đơn vị của cán bộ khi không phải cơ quan, vd. «Bưu điện xã …» "
                     "(bưu chính công ích vận hành quầy)")
    add.add_argument("--password-stdin", action="store_true", help=stdin_help)
    pw = officer.add("passwd", cmd_passwd, "đặt lại mật khẩu (quản trị viên), hoặc tự đổi với --old")
    pw.add_argument("username")
    pw.add_argument("--old", action="store_true", help="tự đổi mật khẩu của mình: hỏi mật khẩu hiện tại trước")
    pw.add_argument("--password-stdin", action="store_true", help=stdin_help + "; với --old: cũ rồi mới")
    role = officer.add("role", cmd_role, "đổi vai trò (không bỏ quyền của quản trị viên cuối cùng)")
    role.add_argument("username")
    role.add_argument("role", metavar="officer|admin")
    org = officer.add("organisation", cmd_organisation, "ghi đơn vị của cán bộ (bưu điện vận hành quầy); "
                      "bỏ trống để là cán bộ của cơ quan")
    org.add_argument("username")
    org.add_argument("organisation", nargs="?", default=None, help="tên đơn vị, vd. «Bưu điện xã Định Mỹ»")
    officer.add("disable", cmd_active, "khóa tài khoản: không đăng nhập được, lịch sử giữ nguyên").add_argument(
        "username")
    officer.add("enable", cmd_active, "mở lại tài khoản đã khóa").add_argument("username")
