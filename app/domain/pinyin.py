"""Pinyin search keys for names: zw / zhangwei → 张伟.

pypinyin reads a surname like an ordinary word (曾 as ceng, 单 as dan), so surnames
are looked up in an override table first. pypinyin is imported lazily: it costs
~0.3 s, which the window must not pay at start.
"""

from __future__ import annotations

from functools import lru_cache

# Surnames whose reading differs from the common reading of the character.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu", "chi"),
    "长孙": ("zhang", "sun"),
    "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "曾": ("zeng",),
    "单": ("shan",),
    "仇": ("qiu",),
    "解": ("xie",),
    "区": ("ou",),
    "查": ("zha",),
    "覃": ("qin",),
    "朴": ("piao",),
    "盖": ("ge",),
    "乐": ("yue",),
    "员": ("yun",),
    "缪": ("miao",),
    "秘": ("bi",),
    "种": ("chong",),
    "翟": ("zhai",),
    "召": ("shao",),
    "繁": ("po",),
    "尉": ("yu",),
    "宁": ("ning",),
    "叶": ("ye",),
    "柏": ("bai",),
    "贾": ("jia",),
    "燕": ("yan",),
    "洗": ("xian",),
    "冼": ("xian",),
    "折": ("she",),
    "那": ("na",),
    "句": ("gou",),
    "车": ("che",),
    "重": ("chong",),
    "薄": ("bo",),
    "华": ("hua",),
    "任": ("ren",),
    "沈": ("shen",),
}
_COMPOUND = sorted((s for s in SURNAME_READINGS if len(s) > 1), key=len, reverse=True)


def _split_surname(name: str) -> tuple[tuple[str, ...], str]:
    for surname in _COMPOUND:
        if name.startswith(surname):
            return SURNAME_READINGS[surname], name[len(surname) :]
    if name and name[0] in SURNAME_READINGS:
        return SURNAME_READINGS[name[0]], name[1:]
    return (), name


@lru_cache(maxsize=8192)
def _char_reading(ch: str) -> str:
    """One character's usual reading, looked up once: per character, not per name, is what
    makes 50,000 names take a fraction of a second. Letters and digits stay as they are."""
    from pypinyin import Style, lazy_pinyin

    reading = lazy_pinyin(ch, style=Style.NORMAL, errors="default")
    return (reading[0] if reading else ch).lower()


@lru_cache(maxsize=65536)
def pinyin_syllables(name: str) -> tuple[str, ...]:
    head, rest = _split_surname(name)
    return head + tuple(r for r in (_char_reading(ch) for ch in rest) if r.strip())


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full, initials): 张伟 → ('zhang wei', 'zw'); 曾志伟 → ('zeng zhi wei', 'zzw').

    Syllables are kept apart by spaces so that sorting by ``full`` puts every 陈 (chen)
    before every 程 (cheng), as a Chinese reader expects; search ignores the spaces.
    """
    syllables = pinyin_syllables("".join(ch for ch in name if ch not in " ·•・.\u3000"))
    full = " ".join(syllables)
    initials = "".join(s[0] for s in syllables if s)
    return full, initials
