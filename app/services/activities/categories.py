"""The category tree (收支科目): reading it, adding sub-categories, correcting names and codes,
the words ledgers write for a category, and which category each care occasion spends from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.budget import SPENDING, bare_name, path_parts, word_key
from app.domain.care import Occasion
from app.domain.text import clean_text
from app.models import BudgetCategory, CareCategory, CategoryWord
from app.services.errors import UserError


@dataclass(frozen=True)
class CategoryInfo:
    id: int
    code: str
    name: str
    kind: str  # 收入 / 支出
    parent_id: int | None
    depth: int  # 0 for a top line
    shipped: bool

    @property
    def label(self) -> str:
        """50102 文体活动费"""
        return f"{self.code} {self.name}"


class Tree:
    """The whole tree at once: parents before their children, children in code order."""

    def __init__(self, rows: Iterable[BudgetCategory]) -> None:
        rows = list(rows)
        children: dict[int | None, list[BudgetCategory]] = {}
        for row in sorted(rows, key=lambda r: r.code):
            children.setdefault(row.parent_id, []).append(row)
        self.items: list[CategoryInfo] = []

        def walk(parent: int | None, depth: int) -> None:
            for row in children.get(parent, []):
                self.items.append(
                    CategoryInfo(row.id, row.code, row.name, row.kind, row.parent_id, depth, row.shipped)
                )
                walk(row.id, depth + 1)

        walk(None, 0)
        self.by_id = {c.id: c for c in self.items}
        self.by_code = {c.code: c for c in self.items}

    def children(self, category_id: int | None) -> list[CategoryInfo]:
        return [c for c in self.items if c.parent_id == category_id]

    def top(self, category_id: int) -> CategoryInfo:
        """The top line a category is under (itself when it is one)."""
        found = self.by_id[category_id]
        while found.parent_id is not None:
            found = self.by_id[found.parent_id]
        return found

    def below(self, category_id: int) -> list[int]:
        """The category and every category under it."""
        found = [category_id]
        for child in self.children(category_id):
            found.extend(self.below(child.id))
        return found

    def path(self, category_id: int) -> str:
        """职工活动支出—文体活动费"""
        names = []
        current: CategoryInfo | None = self.by_id[category_id]
        while current is not None:
            names.append(current.name)
            current = self.by_id.get(current.parent_id) if current.parent_id is not None else None
        return "—".join(reversed(names))

    def of_kind(self, kind: str) -> list[CategoryInfo]:
        return [c for c in self.items if c.kind == kind]


def load_tree(session: Session) -> Tree:
    return Tree(session.scalars(select(BudgetCategory)))


def add_category(session: Session, parent_code: str, name: str, code: str = "") -> CategoryInfo:
    """A sub-category the union adds under ``parent_code``; its code defaults to the parent's
    and the next two digits (50102 → 5010201 …)."""
    tree = load_tree(session)
    parent = tree.by_code.get(parent_code.strip())
    if parent is None:
        raise UserError(f"没有编码为“{parent_code}”的科目")
    name = clean_text(name)
    if not name:
        raise UserError("请填写科目名称")
    if len(name) > 40:
        raise UserError("科目名称太长（最多 40 个字）")
    if any(c.name == name for c in tree.children(parent.id)):
        raise UserError(f"“{parent.name}”下已有“{name}”")
    code = clean_text(code) or _next_code(tree, parent)
    if code in tree.by_code:
        raise UserError(f"编码“{code}”已被“{tree.by_code[code].name}”使用")
    row = BudgetCategory(code=code, name=name, kind=parent.kind, parent_id=parent.id, shipped=False)
    session.add(row)
    session.flush()
    return load_tree(session).by_id[row.id]


def _next_code(tree: Tree, parent: CategoryInfo) -> str:
    taken = {c.code for c in tree.items}
    for number in range(1, 100):
        code = f"{parent.code}{number:02d}"
        if code not in taken:
            return code
    raise UserError(f"“{parent.name}”下的编码已用完，请自己填写编码")


def edit_category(
    session: Session, category_id: int, *, name: str | None = None, code: str | None = None
) -> None:
    """Correct a category's name or code (codes differ between provinces)."""
    row = session.get(BudgetCategory, category_id)
    if row is None:
        raise UserError("这个科目已不存在")
    if name is not None:
        name = clean_text(name)
        if not name or len(name) > 40:
            raise UserError("请填写科目名称（最多 40 个字）")
        row.name = name
    if code is not None:
        code = clean_text(code)
        if not code:
            raise UserError("请填写科目编码")
        other = session.scalar(select(BudgetCategory).where(BudgetCategory.code == code))
        if other is not None and other.id != row.id:
            raise UserError(f"编码“{code}”已被“{other.name}”使用")
        row.code = code
    session.flush()


class Matcher:
    """Reads a category as a ledger writes it: a code (50102), a name with or without its
    suffix (文体活动费, 文体活动), a path (职工活动支出—文体活动, 职工活动支出/文体活动), or a
    word the union taught."""

    def __init__(self, tree: Tree, words: Mapping[str, int], kind: str | None = SPENDING) -> None:
        self.tree = tree
        self.words = {w: c for w, c in words.items() if kind is None or tree.by_id[c].kind == kind}
        self._names: dict[str, list[CategoryInfo]] = {}
        for item in tree.items:
            if kind is not None and item.kind != kind:
                continue
            for key in {word_key(item.name), bare_name(item.name)}:
                self._names.setdefault(key, []).append(item)
        self.kind = kind

    def find(self, written: str) -> CategoryInfo | None:
        key = word_key(written)
        if not key:
            return None
        if key in self.tree.by_code and (self.kind is None or self.tree.by_code[key].kind == self.kind):
            return self.tree.by_code[key]
        if key in self.words:
            return self.tree.by_id[self.words[key]]
        parts = path_parts(key)
        if not parts:
            return None
        candidates = self._candidates(parts[-1])
        if len(parts) > 1 and len(candidates) != 1:
            parents = self._candidates(parts[-2])
            candidates = [c for c in candidates if any(c.parent_id == p.id for p in parents)]
        if len(parts) > 1 and not candidates:
            # the outer part alone names a category, the inner an unknown sub-line: ask
            return None
        return candidates[0] if len(candidates) == 1 else None

    def _candidates(self, part: str) -> list[CategoryInfo]:
        if part in self.words:
            return [self.tree.by_id[self.words[part]]]
        found = self._names.get(part) or self._names.get(bare_name(part)) or []
        return list({c.id: c for c in found}.values())


def word_table(session: Session) -> dict[str, int]:
    return {
        word: category
        for word, category in session.execute(select(CategoryWord.word, CategoryWord.category_id))
    }


def load_matcher(session: Session, kind: str | None = SPENDING) -> Matcher:
    return Matcher(load_tree(session), word_table(session), kind)


def remember_words(session: Session, words: Mapping[str, int]) -> None:
    """Keep what the user said words mean (an import's answers), in the caller's transaction."""
    known = {
        row.word: row
        for row in session.scalars(select(CategoryWord).where(CategoryWord.word.in_(list(words))))
    }
    for word, category_id in words.items():
        row = known.get(word)
        if row is None:
            session.add(CategoryWord(word=word, category_id=category_id))
        else:
            row.category_id = category_id
    session.flush()


def care_categories(session: Session) -> dict[str, int]:
    """Each care occasion's category id (an occasion not mapped has none)."""
    return {o: c for o, c in session.execute(select(CareCategory.occasion, CareCategory.category_id))}


def set_care_category(session: Session, occasion: Occasion, category_code: str) -> None:
    """Spend ``occasion``'s care from the category ``category_code`` (a spending category)."""
    category = load_tree(session).by_code.get(category_code.strip())
    if category is None or category.kind != SPENDING:
        raise UserError(f"没有编码为“{category_code}”的支出科目")
    row = session.scalar(select(CareCategory).where(CareCategory.occasion == occasion.value))
    if row is None:
        session.add(CareCategory(occasion=occasion.value, category_id=category.id))
    else:
        row.category_id = category.id
    session.flush()
