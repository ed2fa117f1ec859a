"""Normalising what people type or paste: full-width characters, odd spaces and invisible debris.

Invisible debris is what copy and paste carries along: control characters (C0 but tab and
line breaks, DEL, C1 — BEL, ESC, NUL …, which an .xlsx file cannot even hold) and
zero-width characters (U+200B/C/D, U+2060, U+FEFF). Free text loses them silently.
"""

from __future__ import annotations

import re

# Full-width ASCII (U+FF01..U+FF5E) maps onto ASCII by a fixed offset.
_FULLWIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[0x3000] = 0x20  # ideographic space
_FULLWIDTH_TABLE[0x00A0] = 0x20  # no-break space, as Excel pastes from web pages

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# Direction marks and overrides (U+200E/F, U+202A–E, U+2066–9): invisible, and able to make
# "王五" display as something else; copy-paste debris in a name or a remark.
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Control characters no text field keeps: C0 except tab, LF and CR; DEL; C1.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_INVISIBLE = re.compile(f"[{_CONTROL}{ZERO_WIDTH}{BIDI_CONTROLS}]+")
_CONTROL_CHAR = re.compile(f"[{_CONTROL}]")
# Python's \s covers NBSP and the ideographic space; zero-width ones must be named.
_ANY_SPACE = re.compile(f"[\\s{_CONTROL}{ZERO_WIDTH}{BIDI_CONTROLS}]+")


def to_halfwidth(text: str) -> str:
    return text.translate(_FULLWIDTH_TABLE)


def drop_invisible(text: str) -> str:
    """``text`` without control characters (tab and line breaks stay) and zero-width ones."""
    if text.isprintable():  # no control or format character at all: the usual case, cheap
        return text
    return _INVISIBLE.sub("", text)


def first_control(text: str) -> str | None:
    """The first control character in ``text`` (tab and line breaks do not count), or None."""
    if text.isprintable():
        return None
    found = _CONTROL_CHAR.search(text)
    return found.group() if found else None


def clean_text(text: str | None) -> str:
    """Trim every kind of space (NBSP, full-width, zero-width) from both ends and drop
    control and zero-width characters inside."""
    if text is None:
        return ""
    # str.strip() takes every Unicode space (NBSP, U+3000 too); zero-width ones need naming.
    return drop_invisible(text).strip()


def remove_spaces(text: str) -> str:
    """``text`` without any space, line break, control or zero-width character."""
    return _ANY_SPACE.sub("", text)


def quoted(text: str, limit: int = 30) -> str:
    """``text`` as a message quotes it on one line: line breaks shown as spaces, a long cell
    cut short with its length said."""
    shown = " ".join(text.split())
    if len(shown) <= limit:
        return shown
    return f"{shown[:limit]}……（共 {len(text)} 个字）"


def too_long(label: str, text: str, limit: int) -> str | None:
    """The message for a value longer than its column holds, or None."""
    if len(text) <= limit:
        return None
    return f"{label}不能超过 {limit} 个字（现有 {len(text)} 个字）"
