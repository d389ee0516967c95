"""``provincial-server release keygen | sign | add | list``.

``keygen`` and ``sign`` run on the province's build machine, where the private key stays; ``add``
and ``list`` run on the server, which holds only public keys.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from counter_app.core import releases
from counter_app.core.errors import ValidationError
from provincial_server.releases import KEYS_ENV, add_release, list_releases, trusted_keys
from provincial_server.service import ServerError

PRIVATE_NAME, PUBLIC_NAME = "release-private.pem", "release.pub"


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` with ``mode`` from the start: the private key is never readable by others,
    not even for a moment, and an existing key is never overwritten."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def cmd_keygen(args, _db) -> int:
    out = Path(args.out)
    private, public = out / PRIVATE_NAME, out / PUBLIC_NAME
    existing = [p.name for p in (private, public) if p.exists()]
    if existing:
        raise ServerError(f"Đã có khóa trong {out}: {', '.join(existing)}; không ghi đè.", 2,
                          "refusing to overwrite")
    out.mkdir(parents=True, exist_ok=True)
    private_pem, public_pem = releases.new_key_pair()
    _write_new(private, private_pem, 0o600)
    _write_new(public, public_pem, 0o644)
    key = releases.key_id(releases.load_public_key(public_pem))
    print(f"Đã tạo khóa phát hành {key}: khóa bí mật {private} (chỉ để trên máy dựng bản), "
          f"khóa công khai {public} (đưa vào resources/release-keys/ của bản dựng "
          "và thư mục khóa của máy chủ).")
    return 0


def _manifest_for(args) -> releases.ReleaseManifest:
    file = Path(args.file)
    try:
        with open(file, "rb") as f:
            size, sha256 = releases.digest_chunks(f.read)
    except OSError as exc:
        raise ServerError(f"Không đọc được tệp {file}.", 2, str(exc)) from None
    data = {"version": args.version, "platform": args.platform, "file_name": file.name, "size": size,
            "sha256": sha256, "min_from": args.min_from, "notes": args.notes or "",
            "published_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat()}
    return releases.parse_manifest(data)


def cmd_sign(args, _db) -> int:
    try:
        manifest = _manifest_for(args)
        envelope = releases.sign(manifest, Path(args.key).read_bytes())
    except ValidationError as exc:
        raise ServerError(exc.message, 2, exc.detail or "") from None
    except OSError as exc:
        raise ServerError(f"Không đọc được khóa bí mật {args.key}.", 2, str(exc)) from None
    target = Path(args.file + ".manifest.json")
    target.write_text(json.dumps(envelope, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Đã ký bản {manifest.version} ({manifest.platform}, {manifest.size} byte): {target}")
    return 0


def cmd_add(args, db) -> int:
    try:
        envelope = json.loads(Path(args.manifest).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ServerError(f"Không đọc được bản kê {args.manifest}.", 2, str(exc)) from None
    store = Path(args.store) if args.store else db.folder_beside("releases")
    out = add_release(db, Path(args.file), envelope, trusted_keys(args.keys), store)
    print(f"Đã lưu bản phát hành {out['version']} cho {out['platform']}: "
          "các quầy được báo ở lần đồng bộ tới.")
    return 0


def cmd_list(args, db) -> int:
    rows = list_releases(db)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        print("Chưa có bản phát hành nào.")
    else:
        for r in rows:
            print(f"{r['platform']:<12} {r['version']:<12} từ {r['min_from']:<10} {r['size']:>12} byte  "
                  f"{r['sha256'][:16]}…  {r['file_name']}")
    return 0


def add_parsers(sub, parser_class) -> None:
    r = sub.add_parser("release", help="bản phát hành phần mềm quầy (có chữ ký)").add_subparsers(
        dest="release_cmd", required=True, parser_class=parser_class)
    k = r.add_parser("keygen", help="tạo cặp khóa phát hành Ed25519 (trên máy dựng bản)")
    k.add_argument("--out", required=True, help="thư mục nhận release-private.pem và release.pub")
    k.set_defaults(func=cmd_keygen, no_db=True)  # the build machine has no server database
    s = r.add_parser("sign", help="ký một tệp phát hành: ghi TỆP.manifest.json")
    s.add_argument("file")
    s.add_argument("--key", required=True, help="khóa bí mật phát hành (PEM)")
    s.add_argument("--version", required=True)
    s.add_argument("--platform", required=True, choices=releases.PLATFORMS)
    s.add_argument("--min-from", default="0", help="phiên bản thấp nhất được cập nhật thẳng lên bản này")
    s.add_argument("--notes", help="ghi chú phát hành (tiếng Việt)")
    s.set_defaults(func=cmd_sign, no_db=True)
    a = r.add_parser("add", help="lưu một bản đã ký trên máy chủ để báo cho các quầy")
    a.add_argument("file")
    a.add_argument("--manifest", required=True)
    a.add_argument("--keys", help=f"thư mục khóa công khai *.pub (mặc định: biến {KEYS_ENV})")
    a.add_argument("--store", help="thư mục lưu tệp phát hành (mặc định: releases/ cạnh tệp SQLite)")
    a.set_defaults(func=cmd_add)
    ls = r.add_parser("list", help="liệt kê bản phát hành")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)
