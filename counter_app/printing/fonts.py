"""The bundled Times New Roman–compatible font (Liberation Serif 2.x, SIL OFL), registered once.

Base-14 Times cannot draw Vietnamese, and ReportLab does no shaping, so every PDF uses this TTF
(embedded as a subset) and every string drawn is NFC.
"""

from __future__ import annotations

import threading
from pathlib import Path

from counter_app import paths

FAMILY = "TNR"
BOLD, ITALIC, BOLD_ITALIC = "TNR-Bold", "TNR-Italic", "TNR-BoldItalic"
_FILES = {FAMILY: "Regular", BOLD: "Bold", ITALIC: "Italic", BOLD_ITALIC: "BoldItalic"}
_lock = threading.Lock()
_registered = False


def font_dir() -> Path:
    return paths.resource_path("resources", "fonts")


def register_fonts() -> None:
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        from reportlab.graphics import shapes
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name, style in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(font_dir() / f"LiberationSerif-{style}.ttf")))
        pdfmetrics.registerFontFamily(FAMILY, normal=FAMILY, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
        # Drawings (barcode text) otherwise default to Helvetica, a base-14 font without Vietnamese.
        shapes.STATE_DEFAULTS["fontName"] = FAMILY
        _registered = True
