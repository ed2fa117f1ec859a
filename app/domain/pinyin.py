"""Pinyin search keys for names: zw / zhangwei → 张伟.

Each character has its usual reading, from ``resources/pinyin_readings.txt`` (generated
from pypinyin by ``scripts/build_pinyin_table.py``; loading it takes a few milliseconds,
importing pypinyin ~0.3 s). A surname is read differently from the same character in a
word (曾 zeng, not ceng; 单 shan, not dan), so surnames are looked up in their own table first.
"""

from __future__ import annotations

from functools import lru_cache
from operator import itemgetter

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
_COMPOUND_LENGTHS = sorted({len(s) for s in SURNAME_READINGS if len(s) > 1}, reverse=True)
_SEPARATORS = str.maketrans("", "", " ·•・.\u3000")


def _split_surname(name: str) -> tuple[tuple[str, ...], str]:
    for length in _COMPOUND_LENGTHS:
        reading = SURNAME_READINGS.get(name[:length])
        if reading is not None:
            return reading, name[length:]
    if name and name[0] in SURNAME_READINGS:
        return SURNAME_READINGS[name[0]], name[1:]
    return (), name


@lru_cache(maxsize=1)
def character_readings() -> dict[str, str]:
    """{character: usual reading} for the 41,000 characters the table knows."""
    from app.paths import resource

    readings: dict[str, str] = {}
    for line in resource("pinyin_readings.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            reading, characters = line.split("\t")
            readings.update(dict.fromkeys(characters, reading))
    return readings


def pinyin_syllables(name: str) -> list[str]:
    """Letters and digits stay as they are (lower-case); spaces are dropped."""
    head, rest = _split_surname(name)
    readings = character_readings()
    if rest.isalpha():
        known = list(map(readings.get, rest))  # the usual name: every character in the table
        if None not in known:
            return [*head, *known]  # type: ignore[list-item]
    return [*head, *[readings.get(ch) or ch.lower() for ch in rest if not ch.isspace()]]


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full, initials): 张伟 → ('zhang wei', 'zw'); 曾志伟 → ('zeng zhi wei', 'zzw').

    Syllables are kept apart by spaces so that sorting by ``full`` puts every 陈 (chen)
    before every 程 (cheng), as a Chinese reader expects; search ignores the spaces.
    """
    syllables = pinyin_syllables(name if name.isalpha() else name.translate(_SEPARATORS))
    return " ".join(syllables), "".join(map(itemgetter(0), syllables))


@lru_cache(maxsize=4096)
def reading_order(text: str) -> str:
    """Any text as it sorts for a Chinese reader: each character by its usual reading, kept
    apart by spaces (财务科 → 'cai wu ke' before 生产一车间 → 'sheng chan yi che jian');
    what is not Chinese (letters, digits, signs) as it is, in lower case."""
    if text.isascii():  # ID numbers, invoice numbers: no table to look in
        return text.lower()
    readings = character_readings()
    parts: list[str] = []
    for ch in text:
        reading = readings.get(ch)
        if reading is not None:
            parts.append(f" {reading} ")
        else:
            parts.append(ch.lower())
    return " ".join("".join(parts).split())
