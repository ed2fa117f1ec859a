"""`uniondesk demo`: a realistic union for newcomers, screenshots and benchmarks.

Deterministic for a given seed. Members come with valid ID numbers, wages, a group
tree and several years of membership history (转入, 转出, 退会, 退休保留会籍, 去世, 恢复).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import bulk_insert
from app.domain.idcard import check_character
from app.domain.members import STATUS_AFTER, EventKind, MemberStatus
from app.domain.pinyin import pinyin_keys
from app.domain.retirement import retirement
from app.models import DuesBaseWage, Member, MembershipEvent
from app.models.audit import record_bulk
from app.services.errors import UserError
from app.services.progress import NO_PROGRESS, Progress
from app.services.roster import add_group
from app.services.system.profile import ProfileData, save_profile

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤单仇解查"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")
_MALE_CHARS = "伟强磊军勇杰涛斌超明辉刚健峰建国华平志文俊凯鹏飞宇浩然博东亮海波晨阳林"
_FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英玲桂兰萍红琳雪梅婷倩颖慧佳欣怡蕾薇月晶燕莉洁琴"
_AREA_CODES = ("340104", "340111", "340202", "320106", "110105", "310104", "330106", "420106",
               "440305", "510107", "370102", "500103", "610113", "350102", "520102")  # fmt: skip
_GROUP_TREE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("生产部", "分会", ("一车间", "二车间", "装配车间")),
    ("技术中心", "分会", ("研发组", "工艺组")),
    ("质量管理部", "部门", ()),
    ("销售部", "部门", ()),
    ("行政后勤", "分会", ("办公室", "财务科", "后勤保障科")),
)
_POLITICAL = (("群众", 60), ("中共党员", 22), ("共青团员", 15), ("中共预备党员", 2), ("民主党派", 1))
_EDUCATION = (("大学本科", 38), ("大学专科", 27), ("中专/技校", 14), ("高中", 10),
              ("硕士研究生", 7), ("初中及以下", 3), ("博士研究生", 1))  # fmt: skip
_CATEGORY = (("在岗", 76), ("劳务派遣", 9), ("农民工", 10), ("内退", 3), ("病休", 2))
_MINORITIES = ("回族", "满族", "壮族", "土家族", "蒙古族")
_MODEL_LEVELS = ("全国", "省部级", "地市级", "其他")
_DEMO_PROFILE = ProfileData(
    name="华东精密机械有限公司工会委员会",
    unit_name="华东精密机械有限公司",
    chair="李建国",
    handler="王秀兰",
    province="安徽",
    phone="0551-65321234",
    address="合肥市高新区科学大道 88 号",
)
_POSITIONS = ("操作工", "技术员", "工程师", "班组长", "质检员", "销售代表", "会计", "文员", "司机", "主管")


@dataclass
class DemoResult:
    members: int
    groups: int
    events: int
    payments: int = 0
    care: int = 0
    activities: int = 0


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _name(rng: random.Random, female: bool) -> str:
    surname = rng.choice(_COMPOUND_SURNAMES) if rng.random() < 0.01 else rng.choice(_SURNAMES)
    chars = _FEMALE_CHARS if female else _MALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.6 else "")
    return surname + given


def _id_number(rng: random.Random, birth: date, female: bool, used: set[str]) -> str:
    while True:
        seq = rng.randrange(0, 999)
        if (seq % 2 == 0) != female:
            seq = (seq + 1) % 1000
        first17 = f"{rng.choice(_AREA_CODES)}{birth:%Y%m%d}{seq:03d}"
        number = first17 + check_character(first17)
        if number not in used:
            used.add(number)
            return number


def _random_date(rng: random.Random, start: date, end: date) -> date:
    span = (end - start).days
    return start + timedelta(days=rng.randrange(max(span, 1)))


def _build_groups(session: Session) -> list[int]:
    """The group tree; returns the groups members are placed in (the leaves)."""
    leaves: list[int] = []
    for name, kind, children in _GROUP_TREE:
        parent = add_group(session, name, kind)
        if not children:
            leaves.append(parent)
        leaves.extend(add_group(session, child, "工会小组", parent) for child in children)
    return leaves


_History = list[tuple[EventKind, date, str]]


def _history(rng: random.Random, joined: date, retire: date, end: date) -> _History:
    first = EventKind.TRANSFER_IN if rng.random() < 0.12 else EventKind.JOIN
    history: _History = [(first, joined, "")]

    def then(kind: EventKind, reason: str) -> None:
        history.append((kind, _random_date(rng, history[-1][1], end), reason))

    roll = rng.random()
    if joined < retire <= end:
        history.append((EventKind.RETAIN, retire, "达到法定退休年龄，办理退休"))
    elif roll < 0.03:
        then(EventKind.TRANSFER_OUT, "调往外单位工作")
        if rng.random() < 0.2:
            then(EventKind.TRANSFER_IN, "调回本单位")
    elif roll < 0.04:
        then(EventKind.WITHDRAW, "本人申请退会")
        if rng.random() < 0.3:
            then(EventKind.RESTORE, "重新申请，恢复会籍")
    elif roll < 0.043:
        then(EventKind.DEATH, "因病去世")
    return history


def _member(rng: random.Random, mid: int, end: date, leaves: list[int], used: set[str]) -> dict[str, Any]:
    female = rng.random() < 0.42
    birth = _random_date(rng, date(end.year - 62, 1, 1), date(end.year - 19, 12, 31))
    name = _name(rng, female)
    full, initials = pinyin_keys(name)
    group = rng.choice(leaves)
    category = _weighted(rng, _CATEGORY)
    original_age = (50 if group in leaves[:3] else 55) if female else None  # 50: production posts
    joined = _random_date(rng, max(date(birth.year + 18, birth.month, 1), date(end.year - 25, 1, 1)), end)
    return {
        "id": mid,
        "name": name,
        "gender": "女" if female else "男",
        "ethnicity": "汉族" if rng.random() < 0.94 else rng.choice(_MINORITIES),
        "birth_date": birth,
        "id_type": "居民身份证",
        "id_number": _id_number(rng, birth, female, used),
        "political_status": _weighted(rng, _POLITICAL),
        "education": _weighted(rng, _EDUCATION),
        "household_type": "农村" if category == "农民工" or rng.random() < 0.2 else "城镇",
        "group_id": group,
        "position": rng.choice(_POSITIONS),
        "category": category,
        "is_migrant_worker": category == "农民工",
        "joined_on": joined,
        "card_number": f"HD{joined.year}{mid:06d}",
        "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        "model_worker_level": rng.choice(_MODEL_LEVELS) if rng.random() < 0.012 else "",
        "is_hardship": rng.random() < 0.025,
        "female_original_retirement_age": original_age,
        "remark": "",
        "pinyin_full": full,
        "pinyin_initials": initials,
    }


def build_demo(
    session: Session,
    *,
    members: int = 300,
    year: int | None = None,
    seed: int = 2026,
    today: date | None = None,
    dues: bool = True,
    care: bool = True,
    activities: bool = True,
    progress: Progress = NO_PROGRESS,
) -> DemoResult:
    """Fill an empty 账套 with a demo union; refuses a 账套 that already has members."""
    if not 1 <= members <= 200_000:
        raise UserError("演示会员人数应在 1 到 200000 之间")
    if session.scalar(select(func.count()).select_from(Member)):
        raise UserError("这个账套里已经有会员了。演示数据只能生成到新的空账套中，请用 --db 指定一个新文件")
    today = today or date.today()
    end = min(today, date(year, 12, 31)) if year else today
    rng = random.Random(seed)
    save_profile(session, replace(_DEMO_PROFILE))
    leaves = _build_groups(session)
    used_ids: set[str] = set()
    member_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    wage_rows: list[dict[str, Any]] = []
    for mid in range(1, members + 1):
        if mid % 2000 == 1:
            progress.step(mid - 1, members, "正在生成演示会员")
        row = _member(rng, mid, end, leaves, used_ids)
        gender, age = row["gender"], row["female_original_retirement_age"]
        retire = retirement(row["birth_date"], gender, age).month.first_day()
        history = _history(rng, row["joined_on"], retire, end)
        row["status"] = STATUS_AFTER[history[-1][0]]
        if row["status"] == MemberStatus.RETAINED:
            row["category"] = "退休保留会籍"
        member_rows.append(row)
        event_rows.extend(
            {"member_id": mid, "kind": k, "event_date": on, "reason": why, "status_after": STATUS_AFTER[k]}
            for k, on, why in history
        )
        wage_yuan = (
            rng.randrange(3000, 6000) if history[-1][0] is EventKind.RETAIN else rng.randrange(3500, 16000)
        )
        wage_fen = wage_yuan * 100 + rng.choice((0, 0, 50))
        raise_fen = rng.choice((0, 0, 10000, 20000, 35050))  # last year's wage, before this year's raise
        wage_rows.append(
            {"member_id": mid, "effective_from": date(end.year - 1, 1, 1), "wage_fen": wage_fen - raise_fen}
        )
        if raise_fen:
            wage_rows.append({"member_id": mid, "effective_from": date(end.year, 1, 1), "wage_fen": wage_fen})
    progress.step(members, members, "正在写入数据库")
    bulk_insert(session, Member.__table__, member_rows)  # type: ignore[arg-type]
    bulk_insert(session, MembershipEvent.__table__, event_rows)  # type: ignore[arg-type]
    bulk_insert(session, DuesBaseWage.__table__, wage_rows)  # type: ignore[arg-type]
    record_bulk(session, "members", f"生成演示数据：{members} 名会员", members)
    session.flush()
    from app.services.dues import build_demo_dues

    payments = (
        0
        if not dues
        else build_demo_dues(
            session, today=end, seed=seed, collector=_DEMO_PROFILE.handler, progress=progress
        )
    )
    care_records = 0
    if care:
        from app.services.care import build_demo_care

        progress.step(members, members, "正在生成演示慰问记录")
        care_records = build_demo_care(
            session, today=end, seed=seed, handler=_DEMO_PROFILE.handler, chair=_DEMO_PROFILE.chair
        )
    activity_count = 0
    if activities:  # after care: the budget counts care against its categories
        from app.services.activities import build_demo_activities

        progress.step(members, members, "正在生成演示活动和经费预算")
        activity_count = build_demo_activities(
            session, today=end, seed=seed, handler=_DEMO_PROFILE.handler, chair=_DEMO_PROFILE.chair
        )
    groups = sum(1 + len(children) for *_, children in _GROUP_TREE)
    return DemoResult(
        members=members, groups=groups, events=len(event_rows), payments=payments, care=care_records,
        activities=activity_count,
    )  # fmt: skip
