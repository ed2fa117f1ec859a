"""慰问事由用语: how a register writes an occasion (病号慰问 → 住院, 父亲去世 → 直系亲属去世
with 细分 父亲).

The program ships the common words (``resources/care_occasions.json``); the union's own words
(``CareWord``: learnt when the secretary answers an import's question, or set by hand) take
the place of the shipped meaning of the same word. An occasion's own name (住院) always means
that occasion: it is what the program itself writes, and what its files re-import.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.care import Festival, Occasion
from app.domain.text import clean_text, too_long
from app.models import CareWord
from app.paths import resource
from app.services.errors import NotFoundError, UserError
from app.services.excel.values import text

SHIPPED = "程序自带"
OWN = "本单位"
WORD_LIMIT = 40  # CareWord.word
VARIANT_LIMIT = 20  # CareWord.variant, CareRecord.variant

Meaning = tuple[Occasion, str]  # the occasion and its 细分 ("" for none)

_NAMES: dict[str, Meaning] = {o.value: (o, "") for o in Occasion}


def word_key(raw: object) -> str:
    """A word as it is looked up: the cell's text without any space (病号 慰问 → 病号慰问)."""
    return "".join(text(raw).split())


def describe(meaning: Meaning) -> str:
    """直系亲属去世（父亲）."""
    occasion, variant = meaning
    return occasion.value + (f"（{variant}）" if variant else "")


@cache
def shipped_words() -> dict[str, Meaning]:
    """The program's table of words (the occasions' own names not included)."""
    data = json.loads(resource("care_occasions.json").read_text(encoding="utf-8"))
    return {
        word_key(word): (Occasion(v["occasion"]), v.get("variant", "")) for word, v in data["words"].items()
    }


@cache
def variant_suggestions() -> dict[str, tuple[str, ...]]:
    """The 细分 worth offering for each occasion (by its name): the festivals, and those the
    shipped table uses (手术, 父亲, 母亲 …). Any other may be typed."""
    found: dict[str, list[str]] = {o.value: [] for o in Occasion}
    found[Occasion.FESTIVAL.value] = [f.value for f in Festival]
    for occasion, variant in shipped_words().values():
        if variant and variant not in found[occasion.value]:
            found[occasion.value].append(variant)
    return {occasion: tuple(variants) for occasion, variants in found.items()}


def check_meaning(occasion: str, variant: str = "") -> Meaning:
    """The occasion (by its name) and the cleaned 细分; UserError when either is not allowed."""
    try:
        found = Occasion(clean_text(occasion))
    except ValueError:
        names = "、".join(o.value for o in Occasion)
        raise UserError(f"没有“{clean_text(occasion)}”这种事由，请选{names}之一") from None
    detail = clean_text(variant)
    problem = too_long("细分", detail, VARIANT_LIMIT)
    if problem:
        raise UserError(problem)
    return found, detail


def check_word(word: str, occasion: str, variant: str = "") -> tuple[str, Meaning]:
    """(the word as looked up, its meaning), once both may be kept; UserError otherwise."""
    key = word_key(word)
    if not key:
        raise UserError("请填写登记表中慰问事由的写法")
    problem = too_long("写法", key, WORD_LIMIT)
    if problem:
        raise UserError(problem)
    meaning = check_meaning(occasion, variant)
    if key in _NAMES and meaning != _NAMES[key]:
        raise UserError(f"“{key}”是事由本身的名称，总是指{key}，不能改为别的意思")
    return key, meaning


def own_words(session: Session) -> dict[str, Meaning]:
    """The union's own words (a row whose occasion this version does not know is left out)."""
    query = select(CareWord.word, CareWord.occasion, CareWord.variant)
    return {
        word: (Occasion(occasion), variant)
        for word, occasion, variant in session.execute(query)
        if occasion in _NAMES
    }


def word_table(session: Session) -> dict[str, Meaning]:
    """Every word understood, with its meaning: the shipped ones, the union's own in their
    place, and the occasions' own names."""
    return {**shipped_words(), **own_words(session), **_NAMES}


@dataclass(frozen=True)
class WordInfo:
    word: str
    occasion: Occasion
    variant: str
    own: bool  # the union's own word (in place of the shipped meaning, when there is one)
    shipped: Meaning | None = None  # what the program's table says the word means
    id: int | None = None  # the CareWord's, for an own word

    @property
    def meaning(self) -> str:
        return describe((self.occasion, self.variant))

    @property
    def source(self) -> str:
        return OWN if self.own else SHIPPED

    @property
    def replaces(self) -> str:
        """The shipped meaning an own word takes the place of, in words ("" when none)."""
        return describe(self.shipped) if self.own and self.shipped else ""


def list_words(session: Session) -> list[WordInfo]:
    """The words understood besides the occasions' own names: the shipped table with the
    union's own words in place, by occasion (in the order of ``Occasion``), then word."""
    shipped = shipped_words()
    found = {word: WordInfo(word, *meaning, own=False, shipped=meaning) for word, meaning in shipped.items()}
    for row in session.scalars(select(CareWord)):
        if row.occasion in _NAMES:
            found[row.word] = WordInfo(
                row.word,
                Occasion(row.occasion),
                row.variant,
                own=True,
                shipped=shipped.get(row.word),
                id=row.id,
            )
    order = {o: i for i, o in enumerate(Occasion)}
    return sorted(
        (info for word, info in found.items() if word not in _NAMES),
        key=lambda i: (order[i.occasion], i.variant, i.word),
    )


def set_word(session: Session, word: str, occasion: str, variant: str = "") -> WordInfo:
    """The union's meaning of ``word`` from now on (in place of the shipped one, if any)."""
    key, meaning = check_word(word, occasion, variant)
    if key in _NAMES:  # an occasion's name, meaning itself: nothing to keep
        return WordInfo(key, *meaning, own=False, shipped=meaning)
    row = session.scalar(select(CareWord).where(CareWord.word == key))
    if row is None:
        row = CareWord(word=key)
        session.add(row)
    row.occasion, row.variant = meaning[0].value, meaning[1]
    session.flush()
    return WordInfo(key, *meaning, own=True, shipped=shipped_words().get(key), id=row.id)


def remove_word(session: Session, word: str) -> WordInfo | None:
    """Forget the union's own ``word``; the word as understood afterwards (with its shipped
    meaning), or None: no longer understood."""
    key = word_key(word)
    row = session.scalar(select(CareWord).where(CareWord.word == key))
    if row is None:
        shipped = shipped_words().get(key) or _NAMES.get(key)
        if shipped is not None:
            raise NotFoundError(
                f"“{key}”是程序自带的写法（指{describe(shipped)}），不能删除，可以改为别的意思"
            )
        raise NotFoundError(f"本单位没有添加过“{key}”这种写法")
    session.delete(row)
    session.flush()
    shipped = shipped_words().get(key)
    return None if shipped is None else WordInfo(key, *shipped, own=False, shipped=shipped)


def remember_words(session: Session, meanings: Mapping[str, Meaning]) -> list[str]:
    """Keep the meanings the secretary gave (an import's answers) where the table says
    otherwise or nothing; the words kept."""
    table = word_table(session)
    kept = [word for word, meaning in meanings.items() if table.get(word) != meaning]
    for word in kept:
        occasion, variant = meanings[word]
        set_word(session, word, occasion.value, variant)
    return kept
