"""Normalising what people type or paste: full-width characters and odd spaces."""

from __future__ import annotations

import re

# Full-width ASCII (U+FF01..U+FF5E) maps onto ASCII by a fixed offset.
_FULLWIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[0x3000] = 0x20  # ideographic space
_FULLWIDTH_TABLE[0x00A0] = 0x20  # no-break space, as Excel pastes from web pages
# Python's \s covers NBSP and the ideographic space; zero-width ones must be named.
_ANY_SPACE = re.compile(r"[\s\u200b\ufeff]+")


def to_halfwidth(text: str) -> str:
    return text.translate(_FULLWIDTH_TABLE)


def clean_text(text: str | None) -> str:
    """Trim every kind of space (NBSP, full-width, zero-width) from both ends."""
    if text is None:
        return ""
    # str.strip() takes every Unicode space (NBSP, U+3000 too); zero-width ones need naming.
    return text.strip().strip("\u200b\ufeff").strip()


def remove_spaces(text: str) -> str:
    return _ANY_SPACE.sub("", text)
