"""Draw the program icon's bitmaps from resources/icons/uniondesk.svg.

    .venv/bin/python scripts/make_icons.py

Writes, beside the SVG:
- uniondesk.png (256 px) and uniondesk-<N>.png for the smaller sizes (the Linux menus
  pick the one that fits: packaging/linux/install.sh puts each into the hicolor theme);
- uniondesk.ico for Windows (the program files, the installer, the shortcuts): every size
  in one file, 256 px as PNG and the smaller ones as 32-bit bitmaps, the layout Windows
  itself uses, so that even the oldest icon readers show the small ones.

Run it again after changing the SVG and commit what it writes.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
LARGEST = 256


def render(svg: Path, size: int) -> tuple[bytes, bytes]:
    """The SVG drawn at ``size`` px: PNG bytes, and raw top-down BGRA rows."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    straight = image.convertToFormat(QImage.Format.Format_ARGB32)  # BGRA in memory, not premultiplied
    rows = bytes(straight.constBits())[: straight.bytesPerLine() * size]
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    straight.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data()), rows


def bitmap_entry(size: int, bgra_rows: bytes) -> bytes:
    """An icon directory entry's image as a DIB: header, bottom-up colour rows, AND mask."""
    stride = size * 4
    rows = [bgra_rows[i * stride : (i + 1) * stride] for i in range(size)]
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, stride * size, 0, 0, 0, 0)
    mask_stride = ((size + 31) // 32) * 4  # the mask is unused with alpha but must be there
    return header + b"".join(reversed(rows)) + bytes(mask_stride * size)


def ico(images: list[tuple[int, bytes]]) -> bytes:
    """An .ico file from (size, image bytes) pairs."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    directory, blobs = b"", b""
    for size, blob in images:
        side = 0 if size >= 256 else size  # 0 means 256 in the directory
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + directory + blobs


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    svg = ICONS / "uniondesk.svg"
    entries: list[tuple[int, bytes]] = []
    for size in SIZES:
        png, rows = render(svg, size)
        name = "uniondesk.png" if size == LARGEST else f"uniondesk-{size}.png"
        (ICONS / name).write_bytes(png)
        entries.append((size, png if size == LARGEST else bitmap_entry(size, rows)))
    (ICONS / "uniondesk.ico").write_bytes(ico(entries))
    print(f"written to {ICONS}: uniondesk.ico ({', '.join(map(str, SIZES))} px) and the PNG files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
