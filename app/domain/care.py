"""Care and hardship (慰问、帮扶) as the rules have them: the occasions, what form each may
take, the caps a province sets, and the check a record must pass (RULES §2).

The caps are data (``resources/care_policies.json``, one dated preset per province, edited
by the union with their dates); nothing here is a figure of any province. What is national
is here: the occasions, the allowed forms, and the ban on shopping cards and vouchers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache, lru_cache
from typing import NamedTuple

from app.domain.money import format_fen
from app.domain.yearmonth import YearMonth


class Occasion(StrEnum):
    FESTIVAL = "节日慰问"
    BIRTHDAY = "生日"
    MARRIAGE = "结婚"
    CHILDBIRTH = "生育"
    HOSPITAL = "住院"
    MEMBER_DEATH = "会员去世"
    RELATIVE_DEATH = "直系亲属去世"
    RETIREMENT = "退休"
    HARDSHIP = "困难帮扶"
    SCHOOL_AID = "金秋助学"
    WARMTH = "送温暖"
    SERIOUS_ILLNESS = "大病救助"
    OTHER = "其他"


class Festival(StrEnum):
    NEW_YEAR = "元旦"
    SPRING = "春节"
    QINGMING = "清明"
    LABOUR = "劳动节"
    DRAGON_BOAT = "端午"
    MID_AUTUMN = "中秋"
    NATIONAL = "国庆"
    ETHNIC = "民族节日"


class Form(StrEnum):
    CASH = "现金"
    GOODS = "物品"


# The reason an imported record over a cap carries until the secretary writes the real one.
IMPORTED_REASON = "导入的历史记录，请补充原因"
FUNDING = ("本级经费", "上级补助", "行政拨款", "捐赠")  # where the money came from
# The papers an auditor expects on file (RULES §2): a record's checklist.
DOCUMENTS = ("结婚证", "出生证明", "住院发票", "出院小结", "死亡证明", "困难证明", "其他证明")

# 《基层工会经费收支管理办法》: festivals, birthdays and retirement in goods (a birthday may
# be a voucher for a named cake shop); illness and death in cash; marriage and childbirth in
# goods of a set value, which several provinces allow as cash.
ALLOWED_FORMS: dict[Occasion, frozenset[Form]] = {
    Occasion.FESTIVAL: frozenset({Form.GOODS}),
    Occasion.BIRTHDAY: frozenset({Form.GOODS}),
    Occasion.MARRIAGE: frozenset({Form.GOODS, Form.CASH}),
    Occasion.CHILDBIRTH: frozenset({Form.GOODS, Form.CASH}),
    Occasion.HOSPITAL: frozenset({Form.CASH}),
    Occasion.MEMBER_DEATH: frozenset({Form.CASH}),
    Occasion.RELATIVE_DEATH: frozenset({Form.CASH}),
    Occasion.RETIREMENT: frozenset({Form.GOODS}),
    Occasion.HARDSHIP: frozenset({Form.CASH, Form.GOODS}),
    Occasion.SCHOOL_AID: frozenset({Form.CASH}),
    Occasion.WARMTH: frozenset({Form.CASH, Form.GOODS}),
    Occasion.SERIOUS_ILLNESS: frozenset({Form.CASH}),
    Occasion.OTHER: frozenset({Form.CASH, Form.GOODS}),
}

FORBIDDEN_RULE = "不得发放购物卡、代金券、现金券等（全国总工会“八不准”，2014年）"
# Words that make goods a shopping card or a voucher. A cake voucher for a named shop is
# allowed for a birthday, so "券" alone is not one of them.
_FORBIDDEN_WORDS = (
    "购物卡",
    "购物券",
    "代金券",
    "现金券",
    "礼品卡",
    "储值卡",
    "消费卡",
    "充值卡",
    "提货卡",
    "商场卡",
    "超市卡",
)


@lru_cache(maxsize=4096)  # a register names the same few goods over and over
def forbidden_goods(description: str) -> bool:
    """Whether goods so described are a shopping card or a voucher (refused outright)."""
    if not description:
        return False  # most records give cash: nothing to look at
    text = "".join(description.split())
    return any(word in text for word in _FORBIDDEN_WORDS)


@dataclass(frozen=True)
class Cap:
    """A province's (or the union's) limit for one occasion, from a month on. None: no limit
    of that kind. ``variant`` narrows it: a festival's name, or "手术" for a stay in hospital
    with surgery."""

    occasion: Occasion
    effective_from: YearMonth
    per_occurrence_fen: int | None = None
    per_year_fen: int | None = None  # per member and calendar year
    per_year_count: int | None = None  # per member and calendar year
    variant: str = ""

    @property
    def what(self) -> str:
        """住院（手术）: the occasion and its variant, as lists show them."""
        return self.occasion.value + (f"（{self.variant}）" if self.variant else "")

    def limits_text(self) -> str:
        """每次 1,000.00 元，每人每年 2 次: the limits it sets, in words."""
        limits = [
            f"每次 {format_fen(self.per_occurrence_fen)} 元" if self.per_occurrence_fen is not None else "",
            f"每人每年 {format_fen(self.per_year_fen)} 元" if self.per_year_fen is not None else "",
            f"每人每年 {self.per_year_count} 次" if self.per_year_count is not None else "",
        ]
        return "，".join(x for x in limits if x)


class CareItem(NamedTuple):
    """The figures a check needs about one record (past or proposed). A tuple: a year's
    register makes one for each of its rows and each of the year's records."""

    occasion: Occasion
    day: date
    cash_fen: int = 0
    goods_fen: int = 0
    goods: str = ""
    variant: str = ""

    @property
    def amount_fen(self) -> int:
        return self.cash_fen + self.goods_fen

    @property
    def forms(self) -> frozenset[Form]:
        return _FORMS[bool(self.cash_fen), bool(self.goods_fen or self.goods.strip())]


# (cash given, goods given) → the forms of a record: checked for each of a register's rows
_FORMS = {
    (cash, goods): frozenset(f for f, given in ((Form.CASH, cash), (Form.GOODS, goods)) if given)
    for cash in (False, True)
    for goods in (False, True)
}


@dataclass(frozen=True)
class Finding:
    """Why a record needs a written reason (``refused`` False) or cannot be recorded."""

    message: str
    refused: bool = False


class Policy:
    """The caps in force, by occasion and variant, each from its month."""

    def __init__(self, caps: Iterable[Cap]) -> None:
        self._caps: dict[tuple[Occasion, str], list[Cap]] = {}
        for cap in caps:
            self._caps.setdefault((cap.occasion, cap.variant), []).append(cap)
        for found in self._caps.values():
            found.sort(key=lambda c: c.effective_from)
        # (occasion, variant, year, month) → its cap: a year's register asks for a few dozen
        self._in_force: dict[tuple[Occasion, str, int, int], Cap | None] = {}

    def cap(self, occasion: Occasion, variant: str, day: date) -> Cap | None:
        """The cap for ``occasion`` on ``day``: the variant's own when there is one, else the occasion's."""
        asked = (occasion, variant, day.year, day.month)
        if asked in self._in_force:
            return self._in_force[asked]
        found = self._in_force[asked] = self._find(occasion, variant, YearMonth.of(day))
        return found

    def _find(self, occasion: Occasion, variant: str, month: YearMonth) -> Cap | None:
        for key in ((occasion, variant), (occasion, "")) if variant else ((occasion, ""),):
            for cap in reversed(self._caps.get(key, ())):  # sorted by month: the latest in force wins
                if cap.effective_from <= month:
                    return cap
        return None


def check_care(item: CareItem, earlier: Sequence[CareItem], policy: Policy) -> list[Finding]:
    """What is wrong with ``item`` given the member's ``earlier`` records: refusals first
    (a shopping card), then what needs a reason (over a cap, a form the occasion does not
    take). ``earlier`` may hold any records of the member; only the same calendar year and
    occasion (and variant, when the cap is the variant's own) count."""
    findings: list[Finding] = []
    if forbidden_goods(item.goods):
        findings.append(Finding(f"“{item.goods.strip()}”不能发放：{FORBIDDEN_RULE}", refused=True))
        return findings
    amount = item.cash_fen + item.goods_fen
    if amount <= 0:
        findings.append(Finding("慰问金和慰问品价值至少要有一项大于 0", refused=True))
        return findings
    occasion, day = item.occasion, item.day
    wrong_forms = _wrong_forms(occasion, item.forms)
    if wrong_forms:
        findings.append(Finding(wrong_forms))
    cap = policy.cap(occasion, item.variant, day)
    if cap is None:
        return findings
    if cap.per_occurrence_fen is not None and amount > cap.per_occurrence_fen:
        findings.append(Finding(
            f"{cap.what}每次不超过 {format_fen(cap.per_occurrence_fen)} 元，这次 {format_fen(amount)} 元"
        ))  # fmt: skip
    if cap.per_year_fen is None and cap.per_year_count is None:
        return findings
    year, variant = day.year, cap.variant
    same = [
        e for e in earlier
        if e.occasion == occasion and e.day.year == year and (not variant or e.variant == variant)
    ]  # fmt: skip
    if cap.per_year_fen is not None:
        total = sum(e.cash_fen + e.goods_fen for e in same) + amount
        if total > cap.per_year_fen:
            findings.append(Finding(
                f"{cap.what}每人每年不超过 {format_fen(cap.per_year_fen)} 元，{year}年连这次共 {format_fen(total)} 元"
            ))  # fmt: skip
    if cap.per_year_count is not None and len(same) + 1 > cap.per_year_count:
        findings.append(
            Finding(f"{cap.what}每人每年不超过 {cap.per_year_count} 次，这是{year}年第 {len(same) + 1} 次")
        )
    return findings


@cache  # thirteen occasions, four sets of forms
def _wrong_forms(occasion: Occasion, forms: frozenset[Form]) -> str:
    """Why a record of ``occasion`` in ``forms`` needs a reason, or "" when they are allowed."""
    wrong = forms - ALLOWED_FORMS[occasion]
    if not wrong:
        return ""
    allowed = "或".join(sorted(f.value for f in ALLOWED_FORMS[occasion]))
    return f"{occasion.value}一般发放{allowed}，这次是{'、'.join(sorted(f.value for f in wrong))}"


UNKNOWN_YEAR_FROM = YearMonth(2000, 1)


def parse_presets(data: dict[str, object]) -> dict[str, list[Cap]]:
    """The province presets of ``resources/care_policies.json``, each cap from January of its
    province's year (2000 when the year is not known)."""
    provinces = data["provinces"]
    assert isinstance(provinces, dict)
    presets: dict[str, list[Cap]] = {}
    for province, preset in provinces.items():
        year = preset.get("year")
        start = YearMonth(int(year), 1) if year else UNKNOWN_YEAR_FROM
        presets[province] = [
            Cap(
                Occasion(cap["occasion"]),
                start,
                per_occurrence_fen=cap.get("per_occurrence_fen"),
                per_year_fen=cap.get("per_year_fen"),
                per_year_count=cap.get("per_year_count"),
                variant=cap.get("variant", ""),
            )
            for cap in preset["caps"]
        ]
    return presets
