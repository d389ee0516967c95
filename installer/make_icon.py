"""Draw the application icon: resources/icons/counter-app.png (256 px, the window and the Linux
desktop entry) and counter-app.ico (16–256 px, the Windows executable and shortcuts).

    python installer/make_icon.py

A counter desk seen from the front under a "1" (Một cửa: one door), in the national red and
gold on white so it stays legible at 16 px. The generated files are committed; rerun only
after changing the drawing.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
RED, GOLD, WHITE = QColor("#c8102e"), QColor("#ffcd00"), QColor("#ffffff")


def draw(size: int = 256) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    s = size / 256
    tile = QPainterPath()
    tile.addRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 44 * s, 44 * s)
    p.fillPath(tile, RED)
    # The counter: a gold desk top and a white front.
    p.fillRect(QRectF(36 * s, 150 * s, 184 * s, 18 * s), GOLD)
    p.fillRect(QRectF(52 * s, 168 * s, 152 * s, 52 * s), WHITE)
    # "1" above the desk.
    font = QFont("DejaVu Sans")
    font.setBold(True)
    font.setPixelSize(int(128 * s))
    p.setFont(font)
    p.setPen(WHITE)
    p.drawText(QRectF(0, 18 * s, size, 132 * s), Qt.AlignHCenter | Qt.AlignBottom, "1")
    p.end()
    return image


def main() -> None:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1] + ["-platform", "offscreen"])
    OUT.mkdir(parents=True, exist_ok=True)
    image = draw(256)
    image.save(str(OUT / "counter-app.png"))
    buffer = QBuffer()
    buffer.open(QBuffer.ReadWrite)
    image.save(buffer, "PNG")
    Image.open(io.BytesIO(bytes(buffer.data()))).save(
        OUT / "counter-app.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    print(OUT / "counter-app.png", OUT / "counter-app.ico")


if __name__ == "__main__":
    main()
