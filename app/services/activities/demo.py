"""The activities side of `uniondesk demo`: the year's budget (income lines, spending
categories and their sub-lines, sized to the union), a few entries of other income, the
union's own meal limit, and a dozen activities of the kinds a union holds — a New Year
party, 三八节, a reading month, a walk, a basketball match, a one-day outing, a film, a
skills contest, a training course, the 职代会, the 职工之家 refurbishment — with budget
lines, named participants or a headcount, expenses (some over budget, one line over the
meal limit with its reason), and every status: done, running, approved, planned, cancelled.

Everything goes through the same services as the secretary's, so every limit is checked.
Deterministic for a seed; nothing is dated after ``today`` or outside its year.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.activities import Kind, Rule, Status
from app.domain.members import MemberStatus
from app.models import Member
from app.services.activities.budget import add_income, set_budget
from app.services.activities.categories import load_tree
from app.services.activities.events import (
    ActivityInput,
    ExpenseInput,
    ItemInput,
    add_expense,
    create_activity,
    set_budget_items,
    set_participants,
    set_status,
)
from app.services.activities.limits import set_limit

DEMO_SOURCE = "示例"
_DUES_SHARE_FEN = 90_000  # 拨缴经费 a member brings in a year
MEAL_LIMIT_FEN = 5_000  # the union's own: 工作餐每人每餐 50 元
_MEAL_REASON = "比赛当天评委、裁判和工作人员一同用餐，经工会委员会研究同意"
# a share of the budget over (or under) what the activities plan, per category
_CUSHION = {"50101": 1.15, "50102": 1.0, "50103": 1.2, "50104": 1.1, "50106": 1.1, "50302": 1.2, "505": 1.0}
# the path each status is reached by from 计划中
_PATH = {
    Status.PLANNED: (),
    Status.APPROVED: (Status.APPROVED,),
    Status.RUNNING: (Status.APPROVED, Status.RUNNING),
    Status.DONE: (Status.APPROVED, Status.DONE),
    Status.CANCELLED: (Status.APPROVED, Status.CANCELLED),
}


@dataclass(frozen=True)
class _Line:
    """A budget line (an amount, or per head × heads) and what was spent on it."""

    item: str
    code: str
    amount_fen: int = 0
    per_head_fen: int | None = None
    heads: int | None = None
    spent: float = 0.0  # the share of the line spent: 0 not yet, 1 exactly, 1.12 over
    paid_on: int = 0  # days after the start
    payee: str = ""
    reason: str = ""

    @property
    def total_fen(self) -> int:
        if self.per_head_fen is not None and self.heads is not None:
            return self.per_head_fen * self.heads
        return self.amount_fen


@dataclass
class _Plan:
    name: str
    kind: Kind
    start: date
    end: date | None
    place: str
    organiser: str
    status: Status
    lines: list[_Line]
    people: list[int] = field(default_factory=list)  # named participants
    headcount: int | None = None
    note: str = ""
    splits: dict[str, int] = field(default_factory=dict)  # an expense paid in parts (meals day by day)


class _Union:
    """Who the activities draw from, and how big its sums are."""

    def __init__(self, session: Session, rng: random.Random) -> None:
        rows = list(
            session.execute(
                select(Member.id, Member.gender, Member.is_hardship)
                .where(Member.status == MemberStatus.ACTIVE.value)
                .order_by(Member.id)
            )
        )
        self.rng = rng
        self.everyone = [r.id for r in rows]
        self.men = [r.id for r in rows if r.gender == "男"] or self.everyone
        self.women = [r.id for r in rows if r.gender == "女"]
        self.hardship = sum(1 for r in rows if r.is_hardship)
        self.size = len(rows)
        self.scale = math.sqrt(min(max(self.size / 300, 0.1), 25))  # fixed costs grow slower than headcounts

    def share(self, fraction: float, most: int | None = None) -> int:
        """A headcount: ``fraction`` of the members, at least one."""
        found = max(1, round(self.size * fraction))
        return min(found, most) if most is not None else found

    def pick(self, pool: list[int], count: int) -> list[int]:
        return sorted(self.rng.sample(pool, min(count, len(pool))))

    def fixed(self, yuan: int) -> int:
        """A fixed cost in fen, sized to the union, in whole tens of yuan."""
        return max(100, round(yuan * self.scale / 10) * 10) * 100


def _yuan(fen: float) -> int:
    return max(100, round(fen / 100) * 100)


def _plans(u: _Union, year: int) -> list[_Plan]:
    """The year's activities as planned, whatever today is."""

    def on(month: int, day: int) -> date:
        return date(year, month, day)

    party = u.share(0.7)
    walkers = u.share(0.5)
    outing = u.share(0.45)
    film = u.share(0.6)
    readers = u.share(0.3)
    lecture = u.share(0.2)
    players = u.pick(u.men, 60 if u.size >= 300 else max(1, u.size // 5))
    contestants = u.pick(u.everyone, max(1, min(40, round(u.size * 0.15))))
    trainees = u.pick(u.everyone, max(1, min(30, round(u.size * 0.1))))
    delegates = u.share(0.12, most=200)
    women = u.women if 0 < len(u.women) <= 150 else []
    women_count = len(u.women) or 1
    prize = [max(1, round(len(contestants) * share)) for share in (0.075, 0.15, 0.225)]
    buses = max(1, math.ceil(outing / 50))
    return [
        _Plan(
            f"{year}年迎新春暨元旦联欢会", Kind.SPORTS, on(1, 23), None, "公司大礼堂", "工会文体委员会", Status.DONE,
            [_Line("舞台搭建及音响租赁", "50102", u.fixed(6000), spent=0.96, payee="合肥星光舞台音响租赁部"),
             _Line("节目排练及服装道具", "50102", u.fixed(4500), spent=0.93, paid_on=-5, payee="合肥艺美服装道具店"),
             _Line("抽奖奖品", "50102", per_head_fen=8_000, heads=max(1, party // 4), spent=1.0, paid_on=-3,
                   payee="苏宁易购合肥店")],
            headcount=party,
        ),
        _Plan(
            f"{year}年职工代表大会", Kind.OTHER, on(3, 3), None, "公司三楼会议室", "工会办公室", Status.DONE,
            [_Line("会场布置及资料印刷", "50302", u.fixed(1400), spent=0.9, paid_on=-1, payee="合肥快印图文"),
             _Line("工作餐", "50302", per_head_fen=4_000, heads=delegates, spent=0.95, payee="公司职工食堂")],
            headcount=delegates, note="审议工会经费收支预算和上年审查报告",
        ),
        _Plan(
            "三八节女职工插花活动", Kind.MEMBERS, on(3, 6), None, "职工之家活动室", "女职工委员会", Status.DONE,
            [_Line("花艺材料", "50106", per_head_fen=6_800, heads=women_count, spent=0.97, payee="合肥花语鲜花店"),
             _Line("花艺老师课酬", "50106", u.fixed(1500), spent=1.0, payee="合肥花语鲜花店")],
            people=women, headcount=None if women else women_count,
        ),
        _Plan(
            "“书香工会”职工读书月", Kind.PUBLICITY, on(4, 1), on(4, 30), "职工书屋", "工会宣传委员会", Status.DONE,
            [_Line("图书购置", "50103", u.fixed(6000), spent=0.98, paid_on=2, payee="安徽图书城"),
             _Line("宣传展板及横幅", "50103", u.fixed(1200), spent=0.9, payee="合肥快印图文"),
             _Line("读书征文奖品", "50103", per_head_fen=20_000, heads=10, spent=1.0, paid_on=28,
                   payee="安徽图书城")],
            headcount=readers,
        ),
        _Plan(
            "春季职工健步走", Kind.SPORTS, on(4, 18), None, "滨湖湿地森林公园", "工会文体委员会", Status.DONE,
            [_Line("纪念T恤", "50102", per_head_fen=4_500, heads=walkers, spent=0.96, paid_on=-6,
                   payee="合肥动感体育用品店"),
             _Line("饮用水及补给", "50102", per_head_fen=800, heads=walkers, spent=0.88, payee="华润万家滨湖店"),
             _Line("活动保险", "50102", per_head_fen=500, heads=walkers, spent=1.0, paid_on=-2,
                   payee="中国人寿合肥分公司")],
            headcount=walkers,
        ),
        _Plan(
            "“五一”职工篮球赛", Kind.SPORTS, on(4, 20), on(5, 15), "市体育中心篮球馆", "工会文体委员会", Status.DONE,
            [_Line("场地租赁", "50102", u.fixed(6000), spent=1.25, paid_on=25, payee="市体育中心"),
             _Line("裁判费", "50102", u.fixed(2400), spent=1.0, paid_on=25, payee="市篮球协会"),
             _Line("球衣", "50102", per_head_fen=12_000, heads=len(players), spent=0.97, payee="合肥动感体育用品店"),
             _Line("奖杯奖牌", "50102", u.fixed(1500), spent=0.96, paid_on=24, payee="合肥荣誉奖杯厂")],
            people=players, note="因雨顺延，加赛两场，场地费超出预算",
        ),
        _Plan(
            "春季踏青一日游（巢湖半岛）", Kind.MEMBERS, on(5, 16), None, "巢湖半岛湿地公园", "工会办公室", Status.DONE,
            [_Line("大巴租车", "50106", per_head_fen=180_000, heads=buses, spent=1.0, payee="合肥顺达旅游客运公司"),
             _Line("景区门票", "50106", per_head_fen=6_000, heads=outing, spent=0.95, payee="巢湖半岛湿地公园"),
             _Line("午餐", "50106", per_head_fen=4_500, heads=outing, spent=0.97, payee="巢湖渔家乐饭庄"),
             _Line("旅游意外险", "50106", per_head_fen=500, heads=outing, spent=1.0, paid_on=-2,
                   payee="中国人寿合肥分公司")],
            headcount=outing,
        ),
        _Plan(
            "第三届职工技能大赛（钳工、电工、焊工）", Kind.CONTEST, on(6, 10), on(9, 26), "生产部实训基地",
            "工会生产委员会", Status.DONE,
            [_Line("比赛材料及耗材", "50104", u.fixed(8000), spent=1.15, paid_on=5, payee="合肥五金机电城"),
             _Line("评委劳务费", "50104", u.fixed(3000), spent=1.0, paid_on=108, payee="评委（6人）"),
             _Line("一等奖奖金", "50104", per_head_fen=100_000, heads=prize[0], spent=1.0, paid_on=108,
                   payee="获奖职工"),
             _Line("二等奖奖金", "50104", per_head_fen=60_000, heads=prize[1], spent=1.0, paid_on=108,
                   payee="获奖职工"),
             _Line("三等奖奖金", "50104", per_head_fen=30_000, heads=prize[2], spent=1.0, paid_on=108,
                   payee="获奖职工"),
             _Line("决赛日工作餐", "50104", per_head_fen=6_000, heads=len(contestants), spent=1.0, paid_on=108,
                   payee="公司职工食堂", reason=_MEAL_REASON)],
            people=contestants, note="材料价格上涨，耗材超出预算",
        ),
        _Plan(
            "夏日职工观影", Kind.MEMBERS, on(6, 27), None, "万达影城（包河店）", "工会办公室", Status.DONE,
            [_Line("电影票", "50106", per_head_fen=4_000, heads=film, spent=1.0, payee="万达影城（包河店）")],
            headcount=film,
        ),
        _Plan(
            "班组长管理能力提升培训班", Kind.TRAINING, on(7, 8), on(7, 10), "公司培训中心", "工会办公室", Status.DONE,
            [_Line("讲师课酬", "50101", u.fixed(9000), spent=1.0, paid_on=2, payee="安徽工会干部学院"),
             _Line("培训教材", "50101", per_head_fen=8_000, heads=len(trainees), spent=0.92, paid_on=-3,
                   payee="安徽图书城"),
             _Line("工作餐", "50101", per_head_fen=4_500, heads=len(trainees) * 3, spent=1.0, payee="公司职工食堂")],
            people=trainees, splits={"工作餐": 3},
        ),
        _Plan(
            "夏季职工游泳比赛", Kind.SPORTS, on(7, 18), None, "市游泳馆", "工会文体委员会", Status.CANCELLED,
            [_Line("场馆租赁", "50102", u.fixed(3000)), _Line("奖品", "50102", u.fixed(1200))],
            headcount=u.share(0.1), note="持续高温，经工会委员会研究取消",
        ),
        _Plan(
            "职工之家提档升级改造", Kind.HOME, on(9, 1), None, "职工之家", "工会办公室", Status.RUNNING,
            [_Line("健身器材购置", "505", u.fixed(42000), spent=1.1, paid_on=19, payee="舒华体育合肥专卖店"),
             _Line("阅览室书架桌椅", "505", u.fixed(16000), spent=0.97, paid_on=44, payee="合肥美家办公家具"),
             _Line("活动室墙面及灯光改造", "505", u.fixed(21000), payee="合肥宏达装饰工程公司")],
            note="改造工程施工中，墙面及灯光改造完工后结算",
        ),
        _Plan(
            "冬季职工羽毛球比赛", Kind.SPORTS, on(12, 5), None, "公司羽毛球馆", "工会文体委员会", Status.APPROVED,
            [_Line("场地租赁", "50102", u.fixed(2400)), _Line("羽毛球及用品", "50102", u.fixed(1600)),
             _Line("奖品", "50102", u.fixed(1500))],
            headcount=u.share(0.16),
        ),
        _Plan(
            "职工心理健康讲座", Kind.TRAINING, on(12, 12), None, "公司三楼会议室", "女职工委员会", Status.PLANNED,
            [_Line("讲师课酬", "50101", u.fixed(3000)),
             _Line("宣传资料", "50101", per_head_fen=1_000, heads=lecture)],
            headcount=lecture,
        ),
    ]  # fmt: skip


def _as_of(plan: _Plan, today: date) -> _Plan | None:
    """The plan as it stands on ``today``: a later one still to come is planned or approved
    for today; one not yet held is left out; one under way is running."""
    if plan.status in (Status.PLANNED, Status.APPROVED):
        plan.start = min(plan.start, today)
        return plan
    if plan.start > today:
        return None
    if plan.status is Status.DONE and plan.end is not None and plan.end > today:
        plan.status, plan.end = Status.RUNNING, None
    return plan


def build_demo_activities(
    session: Session, *, today: date, seed: int = 2026, handler: str = "", chair: str = ""
) -> int:
    """Write the demo year's budget, other income and activities up to ``today``; returns the
    number of activities."""
    rng = random.Random(seed + 17)
    year = today.year
    union = _Union(session, rng)
    if not union.size:
        return 0
    set_limit(
        session, Rule.MEAL, MEAL_LIMIT_FEN, date(year, 1, 1), note="工会委员会决定（高于预设时以本单位为准）"
    )
    plans = _plans(union, year)
    planned: dict[str, int] = defaultdict(int)
    for plan in plans:
        for line in plan.lines:
            planned[line.code] += line.total_fen
    _budget(session, union, year, planned)
    _income(session, union, year, today)
    count = 0
    for plan in plans:
        current = _as_of(plan, today)
        if current is not None:
            _write(session, rng, current, today, handler)
            count += 1
    return count


def _thousands(fen: float) -> int:
    """Budgets are written in whole thousands of yuan."""
    return max(1, math.ceil(fen / 100_000)) * 100_000


def _budget(session: Session, union: _Union, year: int, planned: dict[str, int]) -> None:
    """The spending budget from the activities planned and the care a union this size gives
    (会员活动费 holds the festival goods, birthdays, weddings …), each top line the sum of its
    sub-lines; income as the union expects it, 会费收入 left to the dues roll."""
    care = {
        "50106": union.size * 30_000,
        "50204": union.hardship * 250_000 + 300_000,
        "50205": union.hardship * 120_000 + 100_000,
    }
    spending = {
        code: _thousands(planned.get(code, 0) * _CUSHION.get(code, 1.0) + care.get(code, 0))
        for code in ("50101", "50102", "50103", "50104", "50106", "50204", "50205", "50302", "505")
    }
    spending["50105"] = _thousands(union.size * 15_000)  # 劳模和职工疗休养: planned for the winter
    spending["50202"] = _thousands(union.size * 2_000)  # 劳动保护: nothing spent yet
    spending["50301"] = _thousands(union.size * 3_000)  # 工会干部培训: not held yet
    tree = load_tree(session)
    for parent in ("501", "502", "503"):
        spending[parent] = sum(v for code, v in spending.items() if len(code) > 3 and code[:3] == parent)
    income = {
        "402": _thousands(union.size * _DUES_SHARE_FEN),  # 2% of the payroll, 60% kept
        "403": _thousands(union.size * 6_000),
        "405": _thousands(union.fixed(30_000)),
        "408": _thousands(union.fixed(800)),
    }
    notes = {
        "402": "按工资总额 2%、留成 60% 测算",
        "405": "行政拨付，用于职工之家建设",
        "505": "职工之家提档升级",
    }
    for code, amount in {**income, **spending}.items():
        set_budget(session, year, tree.by_code[code].id, amount, notes.get(code, ""))


def _income(session: Session, union: _Union, year: int, today: date) -> None:
    tree = load_tree(session)
    quarter = _thousands(union.size * _DUES_SHARE_FEN) // 4
    entries = [
        (date(year, 3, 31), "402", quarter, "公司财务部", "第一季度拨缴经费"),
        (date(year, 6, 30), "402", quarter, "公司财务部", "第二季度拨缴经费"),
        (date(year, 9, 30), "402", quarter, "公司财务部", "第三季度拨缴经费"),
        (date(year, 12, 31), "402", quarter, "公司财务部", "第四季度拨缴经费"),
        (date(year, 7, 15), "403", _thousands(union.size * 5_000), "市总工会", "经费回拨"),
        (date(year, 8, 20), "405", _thousands(union.fixed(30_000)), "公司行政", "职工之家建设补助"),
        (date(year, 6, 21), "408", union.fixed(300), "开户银行", "存款利息"),
        (date(year, 12, 21), "408", union.fixed(300), "开户银行", "存款利息"),
    ]
    for day, code, amount, source, note in entries:
        if day <= today:
            add_income(session, day, tree.by_code[code].id, amount, source, note)


def _write(session: Session, rng: random.Random, plan: _Plan, today: date, handler: str) -> None:
    tree = load_tree(session)
    activity_id = create_activity(
        session,
        ActivityInput(plan.name, plan.kind, plan.start, plan.end, plan.place, plan.organiser, plan.headcount,
                      plan.note),
        source=DEMO_SOURCE,
    )  # fmt: skip
    if plan.people:
        set_participants(session, activity_id, plan.people)
    set_budget_items(
        session,
        activity_id,
        [ItemInput(line.item, tree.by_code[line.code].id, line.amount_fen, line.per_head_fen, line.heads,
                   line.reason) for line in plan.lines],
    )  # fmt: skip
    last = plan.end or today
    for line in plan.lines:
        if not line.spent or plan.status in (Status.PLANNED, Status.APPROVED, Status.CANCELLED):
            continue
        parts = plan.splits.get(line.item, 1)
        total = _yuan(line.total_fen * line.spent)
        for part in range(parts):
            day = max(plan.start + timedelta(days=line.paid_on + part), date(plan.start.year, 1, 1))
            if day > min(last, today):  # not paid yet
                continue
            amount = total // parts if part < parts - 1 else total - (total // parts) * (parts - 1)
            item = line.item if parts == 1 else f"{line.item}（第{part + 1}天）"
            add_expense(session, activity_id, ExpenseInput(
                day, item, tree.by_code[line.code].id, amount, line.payee, f"{rng.randrange(10**7, 10**8)}",
                handler, "", line.reason,
            ))  # fmt: skip
    for status in _PATH[plan.status]:
        set_status(session, activity_id, status)
