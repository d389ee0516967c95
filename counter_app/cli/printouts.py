"""``counter-app print`` (a dossier's official forms) and ``register`` (Sổ theo dõi hồ sơ)."""

from __future__ import annotations

from pathlib import Path

from counter_app.cli.common import check_suffix, emit, open_app, parse_day
from counter_app.core.errors import ValidationError

FORMS = ["receipt", "supplement", "refusal", "apology", "stop", "control", "stamps", "cert_receipt", "transfer"]
MARK_LABELS = {"original": "bản in", "reprint": "bản in lại", "preview": "bản xem trước (không ghi sổ)"}


def cmd_print(args) -> int:
    from counter_app.core.prints import FormKind, form_title_vi
    from counter_app.printing.forms import render

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise ValidationError("Tệp in phải có đuôi .pdf.", "expected a .pdf output")
    # Recorded as printed only once the file is written: a full disk or a bad folder counts nothing.
    pdf, job = open_app(args).prints.produce(args.code, FormKind(args.form), args.officer, render,
                                             preview=args.preview, deliver=out.write_bytes)
    if args.preview:
        out.write_bytes(pdf)
    emit(args, {"code": job.dossier.code, "form": job.form.value, "mark": job.mark.value,
                "print_number": job.print_number, "form_set": job.settings.forms.form_set, "out": str(out),
                "bytes": len(pdf)},
         f"Đã in {form_title_vi(job.form, job.settings.forms.form_set)} cho hồ sơ {job.dossier.code} "
         f"({MARK_LABELS[job.mark.value]}) ra {out}.")
    return 0


def cmd_register(args) -> int:
    from counter_app.core.prints import register_subtitle
    from counter_app.printing.register import render_register_pdf, write_register_xlsx

    out = Path(args.out)
    suffix = check_suffix(out, (".pdf", ".xlsx"), "Sổ theo dõi")
    first, last = parse_day(args.date_from), parse_day(args.date_to)
    register = open_app(args).tracking_register
    lines = register.lines(first, last, receiving=args.receiving_agency, competent=args.competent_agency,
                           channel=args.channel, cross=args.cross)
    kind = "register_cross" if args.cross else "register"
    subtitle = register_subtitle(args.receiving_agency, args.competent_agency, args.channel)
    if suffix == ".pdf":
        out.write_bytes(render_register_pdf(lines, register.settings, first, last, kind, subtitle))
    else:
        write_register_xlsx(lines, register.settings, first, last, out, kind)
    name = "Sổ theo dõi hồ sơ phi địa giới" if args.cross else "Sổ theo dõi hồ sơ"
    emit(args, {"rows": len(lines), "out": str(out), "kind": kind}, f"Đã xuất {name} ({len(lines)} dòng) ra {out}.")
    return 0


def register(cli) -> None:
    sp = cli.add("print", cmd_print, "in biểu mẫu của hồ sơ ra PDF")
    sp.add_argument("code")
    sp.add_argument("--form", required=True, choices=FORMS)
    sp.add_argument("--out", required=True, help="tệp .pdf")
    sp.add_argument("--preview", action="store_true", help="bản xem trước: đóng dấu BẢN XEM TRƯỚC, không ghi vào lịch sử")
    sp = cli.add("register", cmd_register, "Sổ theo dõi hồ sơ theo khoảng ngày, ra PDF hoặc XLSX")
    sp.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
    sp.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
    sp.add_argument("--out", required=True, help="tệp .pdf hoặc .xlsx")
    sp.add_argument("--receiving-agency", help="chỉ hồ sơ tiếp nhận cho/tại cơ quan này (mã hoặc tên)")
    sp.add_argument("--competent-agency", help="chỉ hồ sơ do cơ quan này giải quyết (mã hoặc tên)")
    sp.add_argument("--channel", choices=["counter", "post", "online"], help="chỉ hồ sơ nộp qua kênh này")
    sp.add_argument("--cross", action="store_true",
                    help="Sổ theo dõi hồ sơ phi địa giới: hồ sơ tiếp nhận tại quầy cho cơ quan khác giải quyết")
