"""The certification statement (lời chứng) for each certified copy or signed paper.

Wording lives in the form set (``stamp`` in ``resources/forms/*.json``): each line is a template;
a leading ``!`` makes it bold, ``~`` italic, and an empty line is the space for the signature and
seal; what follows it (the signer's name) sits at the foot of the block.

What reaches the copy: in ``overlay`` mode the block is printed onto the certified copy itself, so
nothing but the statement goes there (no code, no "Bản 1/3", no reprint mark). Label sheets are
the office's own paper: they carry the dossier code and reprint marks, and everything on them
stays clear of the printer's unprintable edge.
"""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.core.calendar import TZ
from counter_app.core.certification import Certification, CertKind
from counter_app.core.prints import Mark, PrintJob
from counter_app.core.settings import StampSettings
from counter_app.core.signers import date_words
from counter_app.core.text import nfc
from counter_app.printing.fonts import BOLD, FAMILY, ITALIC, register_fonts
from counter_app.printing.layout import vn_date
from counter_app.printing.templates import FormSet

SAFE_MM = 5.0  # most office printers cannot print closer to the paper's edge
SIGNATURE_SPACE = 0.22  # of the block's height, left for the signature and the seal


def stamp_values(cert: Certification, item, day: date, agency: str) -> dict:
    signed = cert.signed
    return dict(number=f"{item.number:02d}", book=item.book, register_type=cert.register_type,
                date_words=date_words(day), place=agency, applicant_name=cert.applicant_name,
                applicant_id=cert.applicant_id or "……………",
                signer_name=cert.signer_name if signed and cert.signer_name else "……………………",
                signer_title=cert.signer_title if signed and cert.signer_title else "……………………",
                signer_title_upper=(cert.signer_title or "").upper() if signed else "……………………",
                **vn_date(day))


def stamp_lines(form_set: FormSet, cert: Certification, item, day: date, agency: str = "") -> list[str]:
    lines = form_set.form("stamp")["copy" if cert.kind is CertKind.COPY else "signature"]
    values = stamp_values(cert, item, day, agency)
    return [nfc(line.format(**values)) for line in lines]


def certification_day(cert: Certification, job: PrintJob) -> date:
    """The day of certification (the signer's), never the day of receipt; a preview of an
    unsigned request shows the day it is printed."""
    return (cert.signed_at or job.printed_at).astimezone(TZ).date()


def _style(line: str) -> tuple[str, str]:
    if line.startswith("!"):
        return BOLD, line[1:]
    if line.startswith("~"):
        return ITALIC, line[1:]
    return FAMILY, line


def _wrap(c: Canvas, text: str, font: str, size: float, width: float) -> list[str]:
    words, out, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if line and c.stringWidth(trial, font, size) > width:
            out.append(line)
            line = word
        else:
            line = trial
    return out + [line] if line else out


def draw_block(c: Canvas, x: float, y: float, w: float, h: float, lines: list[str], base: float = 9.0) -> None:
    """The statement in the box whose bottom-left corner is (x, y): lines before the empty one
    from the top, wrapped to the width; the space for signature and seal; then the name."""
    split = lines.index("") if "" in lines else len(lines)
    top, foot = [_style(s) for s in lines[:split]], [_style(s) for s in lines[split + 1:]]
    inner = w - 4
    size = base
    while True:
        wrapped = [(f, part) for f, text in top for part in (_wrap(c, text, f, size, inner) or [""])]
        needed = (len(wrapped) + len(foot)) * size * 1.3 + h * SIGNATURE_SPACE
        if needed <= h - size * 0.6 or size <= 4.5:
            break
        size -= 0.25
    y_text = y + h - size * 1.3
    for font, text in wrapped:
        c.setFont(font, size)
        c.drawCentredString(x + w / 2, y_text, text)
        y_text -= size * 1.3
    y_text = y + size * 0.5 + (len(foot) - 1) * size * 1.3
    for font, text in foot:
        fs = size
        while c.stringWidth(text, font, fs) > inner and fs > 4.5:
            fs -= 0.25
        c.setFont(font, fs)
        c.drawCentredString(x + w / 2, y_text, text)
        y_text -= size * 1.3


def _safe(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
    """The part of a label that a printer can reach (labels run to the sheet's edge)."""
    pw, ph = A4
    edge = SAFE_MM * mm
    x0, y0 = max(x, edge), max(y, edge)
    x1, y1 = min(x + w, pw - edge), min(y + h, ph - edge)
    return x0, y0, max(x1 - x0, 0), max(y1 - y0, 0)


def _preview(c: Canvas) -> None:
    """Unsigned or rehearsed: nobody may take the sheet for a certified one."""
    c.saveState()
    c.setFillColor(colors.Color(0.85, 0.1, 0.1, alpha=0.35))
    c.setFont(BOLD, 54)
    c.translate(A4[0] / 2, A4[1] / 2)
    c.rotate(45)
    c.drawCentredString(0, 0, nfc("BẢN XEM TRƯỚC"))
    c.restoreState()


def _sheet_mark(c: Canvas, job: PrintJob) -> None:
    """Label sheets only: a reprint says so at the foot of the sheet, inside the printable area."""
    if job.mark is Mark.REPRINT:
        c.saveState()
        c.setFillColor(colors.red)
        c.setFont(BOLD, 8)
        c.drawRightString(A4[0] - SAFE_MM * mm, SAFE_MM * mm, nfc("BẢN IN LẠI"))
        c.restoreState()


def _end_page(c: Canvas, job: PrintJob, labels: bool) -> None:
    if job.mark is Mark.PREVIEW:
        _preview(c)
    elif labels:
        _sheet_mark(c, job)
    c.showPage()


def render_stamps(job: PrintJob, form_set: FormSet) -> bytes:
    """Copies: one block per certified copy (all copies of one original carry its one number).
    Signatures: one statement per signed paper, on its own sheet at the overlay place (the
    statement is long; it goes on the paper itself or on a sheet attached to it)."""
    register_fonts()
    cert: Certification = job.certification
    stamps: StampSettings = job.settings.stamps
    day = certification_day(cert, job)
    stamp_form = form_set.form("stamp")
    blocks = []
    for item in cert.items:
        if item.void:
            continue
        lines = stamp_lines(form_set, cert, item, day, job.settings.agency.name)
        for n in range(1, item.copies + 1):
            footer = nfc(f"{cert.code} · " + stamp_form["copy_of"].format(copy=n, copies=item.copies))
            blocks.append((lines, footer))
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, initialFontName=FAMILY)
    c.setTitle(nfc("Lời chứng chứng thực"))
    c.setCreator("counter_app")
    pw, ph = A4
    if stamps.layout == "overlay" or cert.kind is CertKind.SIGNATURE:
        labels = stamps.layout != "overlay"
        x, y = stamps.overlay_x_mm * mm, stamps.overlay_y_mm * mm
        if cert.kind is CertKind.COPY:
            w, h, base = 80 * mm, 38 * mm, 9.0
        else:
            w, h, base = min(100 * mm, pw - x - SAFE_MM * mm), 95 * mm, 10.0
        for lines, footer in blocks:
            draw_block(c, x, y, w, h, lines, base)
            if labels:  # a separate sheet of the office's: it may say which request it belongs to
                _footer(c, *_safe(0, 0, pw, ph), footer)
            _end_page(c, job, labels)
    else:
        lw, lh = stamps.label_width_mm * mm, stamps.label_height_mm * mm
        per_page = stamps.columns * stamps.rows
        for i, (lines, footer) in enumerate(blocks):
            slot = i % per_page
            if i and slot == 0:
                _end_page(c, job, True)
            col, row = slot % stamps.columns, slot // stamps.columns
            box = _safe(stamps.margin_left_mm * mm + col * lw, ph - stamps.margin_top_mm * mm - (row + 1) * lh, lw, lh)
            draw_block(c, box[0], box[1] + 7, box[2], box[3] - 7, lines)
            _footer(c, *box, footer)
        _end_page(c, job, True)
    c.save()
    return buffer.getvalue()


def _footer(c: Canvas, x: float, y: float, w: float, h: float, text: str) -> None:
    c.saveState()
    c.setFont(ITALIC, 6)
    c.setFillColor(colors.grey)
    c.drawRightString(x + w - 2, y + 1.5, text)
    c.restoreState()
