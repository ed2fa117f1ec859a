"""Normalising what people type or paste: full-width characters and odd spaces."""

from __future__ import annotations

# Full-width ASCII (U+FF01..U+FF5E) maps onto ASCII by a fixed offset.
_FULLWIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[0x3000] = 0x20  # ideographic space
_SPACES = " \t\r\n\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff"


def to_halfwidth(text: str) -> str:
    return text.translate(_FULLWIDTH_TABLE)


def clean_text(text: str | None) -> str:
    """Trim every kind of space (NBSP, full-width, zero-width) from both ends."""
    if text is None:
        return ""
    return text.strip(_SPACES)


def remove_spaces(text: str) -> str:
    return "".join(ch for ch in text if ch not in _SPACES)
