"""Activities' pure rules: kinds, the status steps, and the spending limits an activity's
lines are checked against (工作餐每人每餐, 奖励面, 当日往返, 人均).

A limit is data (resources/activity_policies.json, the union's own on top, each from a
day); a line over one is kept with the words of the limit and needs a reason, like care
over a cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from app.domain.members import not_a_member_on
from app.domain.money import format_fen


class Kind(StrEnum):
    SPORTS = "文体活动"
    CONTEST = "劳动竞赛"
    TRAINING = "职工教育培训"
    PUBLICITY = "宣传活动"
    REST = "疗休养"
    MEMBERS = "会员活动"  # 观影、春秋游 …
    HOME = "职工之家建设"
    OTHER = "其他"


class Status(StrEnum):
    PLANNED = "计划中"
    APPROVED = "已审批"
    RUNNING = "进行中"
    DONE = "已结束"
    CANCELLED = "已取消"


# where an activity may go from each status; a step back corrects a mistake
NEXT_STATUS: dict[Status, tuple[Status, ...]] = {
    Status.PLANNED: (Status.APPROVED, Status.CANCELLED),
    Status.APPROVED: (Status.RUNNING, Status.DONE, Status.CANCELLED, Status.PLANNED),
    Status.RUNNING: (Status.DONE, Status.CANCELLED, Status.APPROVED),
    Status.DONE: (Status.RUNNING,),
    Status.CANCELLED: (Status.PLANNED,),
}
# whose plan is money the budget has promised but not yet spent (已安排)
COMMITTING = frozenset({Status.APPROVED, Status.RUNNING})


class Rule(StrEnum):
    MEAL = "工作餐"  # fen per head per meal
    PRIZE_SHARE = "奖励面"  # per mille of participants who may get a prize (⅔ is 667)
    OUTING_DAYS = "外出天数"  # days an outing (春秋游) may last
    PER_HEAD = "人均每天"  # fen per participant and day of the activity, by kind


RULE_UNITS = {Rule.MEAL: "分/人·餐", Rule.PRIZE_SHARE: "‰", Rule.OUTING_DAYS: "天", Rule.PER_HEAD: "分/人·天"}

_MEAL_WORDS = ("餐", "饭", "伙食")
_PRIZE_WORDS = ("奖品", "奖金", "奖励", "奖杯", "奖牌")
_OUTING_WORDS = ("春游", "秋游", "一日游", "踏青", "郊游", "旅游", "游览", "景区")


@dataclass(frozen=True)
class Limit:
    rule: Rule
    value: int  # fen, per cent or days, as the rule says
    effective_from: date
    kind: str = ""  # an activity kind, "" for every kind

    def text(self) -> str:
        """The limit in words, as messages and lists show it."""
        scope = f"{self.kind}" if self.kind else ""
        if self.rule is Rule.MEAL:
            return f"工作餐每人每餐不超过 {format_fen(self.value)} 元"
        if self.rule is Rule.PRIZE_SHARE:
            return f"获奖人数不超过参加人数的 {self.value / 10:.1f}%"
        if self.rule is Rule.OUTING_DAYS:
            return (
                f"春秋游等外出活动不超过 {self.value} 天（当日往返）"
                if self.value == 1
                else (f"外出活动不超过 {self.value} 天")
            )
        return f"{scope}每人每天不超过 {format_fen(self.value)} 元"


class Limits:
    """The limits in force, by rule and kind, each from its day (the latest wins)."""

    def __init__(self, limits: Iterable[Limit]) -> None:
        self._limits: dict[tuple[Rule, str], list[Limit]] = {}
        for limit in sorted(limits, key=lambda x: x.effective_from):
            self._limits.setdefault((limit.rule, limit.kind), []).append(limit)

    def get(self, rule: Rule, day: date, kind: str = "") -> Limit | None:
        for key in ((rule, kind), (rule, "")) if kind else ((rule, ""),):
            for limit in reversed(self._limits.get(key, ())):
                if limit.effective_from <= day:
                    return limit
        return None


@dataclass(frozen=True)
class Line:
    """A budget line or an expense, as the checks see it."""

    item: str
    amount_fen: int
    heads: int | None = None  # how many it is for (meals, prizes); None: not said


def is_meal(item: str) -> bool:
    return any(word in item for word in _MEAL_WORDS)


def is_prize(item: str) -> bool:
    return any(word in item for word in _PRIZE_WORDS)


def is_outing(name: str, kind: str) -> bool:
    return kind == Kind.MEMBERS and any(word in name for word in _OUTING_WORDS)


def check_line(line: Line, participants: int | None, day: date, limits: Limits) -> list[str]:
    """The limits ``line`` exceeds, in words ([] when none or nothing to judge by)."""
    found: list[str] = []
    meal = limits.get(Rule.MEAL, day)
    if meal is not None and is_meal(line.item):
        heads = line.heads or participants
        if heads and line.amount_fen > meal.value * heads:
            found.append(f"{meal.text()}，“{line.item}”{heads} 人 {format_fen(line.amount_fen)} 元")
    share = limits.get(Rule.PRIZE_SHARE, day)
    winners, everyone = line.heads or 0, participants or 0
    if (
        share is not None
        and is_prize(line.item)
        and winners
        and everyone
        and winners * 1000 > share.value * everyone
    ):
        found.append(f"{share.text()}，“{line.item}”{winners} 份，参加 {everyone} 人")
    return found


def check_activity(
    name: str,
    kind: str,
    start: date,
    end: date | None,
    participants: int | None,
    total_fen: int,
    limits: Limits,
) -> list[str]:
    """The activity's own limits it exceeds: an outing's days, the spending per head."""
    found: list[str] = []
    lasting = (end - start).days + 1 if end is not None else 1
    days = limits.get(Rule.OUTING_DAYS, start, kind)
    if days is not None and is_outing(name, kind) and lasting > days.value:
        found.append(f"{days.text()}，这次 {lasting} 天")
    per_head = limits.get(Rule.PER_HEAD, start, kind)
    if per_head is not None and participants and total_fen > per_head.value * participants * lasting:
        daily = total_fen // (participants * lasting)
        found.append(f"{per_head.text()}，这次每人每天 {format_fen(daily)} 元")
    return found


def parse_limits(data: dict[str, Any]) -> dict[str, list[Limit]]:
    """The presets of resources/activity_policies.json by province ("全国" for all), each from
    1 January of its year."""
    presets: dict[str, list[Limit]] = {}
    for scope, preset in data["presets"].items():
        since = date(int(preset["year"]), 1, 1)
        presets[scope] = [
            Limit(Rule(entry["rule"]), int(entry["value"]), since, entry.get("kind", ""))
            for entry in preset["limits"]
        ]
    return presets


def applying(presets: dict[str, list[Limit]], province: str, own: Sequence[Limit]) -> Limits:
    """The national preset, the province's on top, the union's own on top of both (a later
    or equal day wins, so a province's same-year limit replaces the national one)."""
    ordered = (
        [*presets.get("全国", []), *presets.get(province, []), *own]
        if province != "全国"
        else [*presets.get("全国", []), *own]
    )
    return Limits(ordered)


def participant_warning(name: str, membership: Sequence[tuple[date, str, str]], start: date) -> str:
    """What the participant list says of someone not a member on the activity's first day
    (not yet joined, or already 转出 / 退会 / 除名 / 去世); "" when they were, or when
    nothing is known of their membership. ``membership``: their events, as for
    ``not_a_member_on``."""
    gap = not_a_member_on(membership, start)
    if gap is None:
        return ""
    return f"{name}{gap[1]}，活动开始的 {start.isoformat()} 不是本会会员：请核对参加人员"
