"""The Chinese fonts of every printed document, embedded in the PDF.

reportlab embeds TrueType-outline fonts only (Noto CJK is CFF and is refused; the built-in
``STSong-Light`` is not embedded at all and prints as boxes where the reader lacks it). So:
宋体 / 仿宋 for the text and 黑体 for titles where the system has them (Windows), otherwise
the bundled 文泉驿微米黑 (``resources/fonts``, Apache 2.0). Each font is registered with
reportlab once per process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import resource
from app.services.errors import UserError

# A font is of use only if it has what every document prints: 汉字, the yuan sign, capitals.
_PROBE = "会费收据合计第页共壹贰叁肆伍陆柒捌玖拾佰仟万元角分整￥（）：0123456789"


@dataclass(frozen=True)
class FontFile:
    path: Path
    subfont: int = 0  # the face inside a .ttc collection


@dataclass(frozen=True)
class PdfFonts:
    """The reportlab names to use in styles."""

    body: str  # 正文：宋体 where the system has it
    heading: str  # 标题：黑体 where the system has it


def bundled_font() -> FontFile:
    """文泉驿微米黑, shipped with the program (checkout, wheel and frozen build alike)."""
    try:
        return FontFile(resource("fonts", "wqy-microhei.ttc"), 0)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from exc


def _windows_fonts() -> Path:
    return Path(os.environ.get("WINDIR") or r"C:\Windows") / "Fonts"


def system_body_fonts() -> tuple[FontFile, ...]:
    """宋体 and 仿宋 where they usually are: Windows, then Linux packages (AR PL UMing)."""
    windows = _windows_fonts()
    return (
        FontFile(windows / "simsun.ttc", 0),
        FontFile(windows / "simsun.ttf"),
        FontFile(windows / "simfang.ttf"),
        FontFile(Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0),
    )


def system_heading_fonts() -> tuple[FontFile, ...]:
    """黑体 where it usually is (Windows)."""
    return (FontFile(_windows_fonts() / "simhei.ttf"),)


def _font_name(font: FontFile) -> str:
    return f"UD-{font.path.stem}-{font.subfont}"


def _load(font: FontFile) -> Any | None:
    """The font as a reportlab ``TTFont``, or None when it is missing, unreadable, not TrueType
    outlines, or lacks the characters documents print."""
    if not font.path.is_file():
        return None
    try:
        loaded = TTFont(_font_name(font), str(font.path), subfontIndex=font.subfont)
    except Exception:  # reportlab's TTFError, an OSError, a truncated file: not a font we can use
        return None
    glyphs = loaded.face.charToGlyph
    if any(ord(char) not in glyphs for char in _PROBE):
        return None
    return loaded


def _first_loaded(candidates: Sequence[FontFile]) -> tuple[FontFile, Any] | None:
    for candidate in candidates:
        loaded = _load(candidate)
        if loaded is not None:
            return candidate, loaded
    return None


def _required(font: FontFile) -> tuple[FontFile, Any]:
    loaded = _load(font)
    if loaded is None:
        raise UserError(f"打印所需的字体“{font.path}”无法使用（请重新安装 UnionDesk）")
    return font, loaded


def choose_font(candidates: Sequence[FontFile], fallback: FontFile | None = None) -> FontFile:
    """The first candidate that is a usable Chinese TrueType font, else ``fallback`` (by default
    the bundled font)."""
    found = _first_loaded(candidates) or _required(fallback if fallback is not None else bundled_font())
    return found[0]


_lock = threading.RLock()
_registered: dict[FontFile, str] = {}
_chosen: PdfFonts | None = None


def register_font(font: FontFile, loaded: Any | None = None) -> str:
    """Register ``font`` with reportlab (once per process) and return its name."""
    with _lock:
        name = _registered.get(font)
        if name is not None:
            return name
        loaded = loaded if loaded is not None else _load(font)
        if loaded is None:
            raise UserError(f"字体“{font.path}”无法使用")
        name = _font_name(font)
        pdfmetrics.registerFont(loaded)
        # one face for every style: <b> or <i> in a paragraph keeps the Chinese font
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
        _registered[font] = name
        return name


def pdf_fonts() -> PdfFonts:
    """The fonts documents use, chosen and registered on first use."""
    global _chosen
    with _lock:
        if _chosen is None:
            body = _first_loaded(system_body_fonts()) or _required(bundled_font())
            heading = _first_loaded(system_heading_fonts()) or body
            _chosen = PdfFonts(register_font(*body), register_font(*heading))
        return _chosen
