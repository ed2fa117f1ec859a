"""Member rules and the membership lifecycle (会籍) — RULES.md §3; the words themselves
(status, category, gender …) are in app.domain.membership and re-exported here.

Glossary: 会籍状态 membership status; 会籍变动 membership event; 保留会籍 retained
membership (retired/unemployed members keep it and pay no dues); 人员类别 category of
employment; 劳模 model worker; 困难职工 worker with a hardship file.
The enum values are the Chinese words stored in the database and shown on screen.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from app.domain.idcard import (
    IdNumberError,
    id_birth_mismatch,
    id_gender_mismatch,
    normalize_id_text,
    parse_id_number,
)
from app.domain.membership import COUNTED_STATUSES as COUNTED_STATUSES
from app.domain.membership import Category as Category
from app.domain.membership import EventKind as EventKind
from app.domain.membership import Gender as Gender
from app.domain.membership import IdType as IdType
from app.domain.membership import MemberStatus as MemberStatus
from app.domain.membership import ModelWorkerLevel as ModelWorkerLevel
from app.domain.membership import age as age
from app.domain.money import check_wage_fen
from app.domain.text import clean_text, remove_spaces, to_halfwidth, too_long

POLITICAL_STATUSES = ("中共党员", "中共预备党员", "共青团员", "民主党派", "群众")
EDUCATIONS = ("博士研究生", "硕士研究生", "大学本科", "大学专科", "中专/技校", "高中", "初中及以下")
HOUSEHOLD_TYPES = ("城镇", "农村")
GROUP_KINDS = ("分会", "工会小组", "部门")

# The 保留会籍 a roster import gives a member its file lists as 退休: a state found, dated the month
# the file applies from, not a change seen to happen then — the reports count no 转为保留会籍 for it.
RETIRED_ON_IMPORT = "导入花名册时人员类别为退休"
# Likewise the 入会 of a member the file gives no 入会时间: dated that month for the dues, but a
# member already (the file lists members) — the reports count them from before any period, and
# no 新入会 for them.
JOINED_BEFORE_IMPORT = "导入花名册时没有入会时间，按已是会员记"

STATUS_AFTER: dict[EventKind, MemberStatus] = {
    EventKind.JOIN: MemberStatus.ACTIVE,
    EventKind.TRANSFER_IN: MemberStatus.ACTIVE,
    EventKind.RESTORE: MemberStatus.ACTIVE,
    EventKind.TRANSFER_OUT: MemberStatus.TRANSFERRED_OUT,
    EventKind.WITHDRAW: MemberStatus.WITHDRAWN,
    EventKind.EXPEL: MemberStatus.EXPELLED,
    EventKind.RETAIN: MemberStatus.RETAINED,
    EventKind.DEATH: MemberStatus.DECEASED,
}

_ALLOWED: dict[MemberStatus, tuple[EventKind, ...]] = {
    MemberStatus.ACTIVE: (
        EventKind.TRANSFER_OUT,
        EventKind.WITHDRAW,
        EventKind.EXPEL,
        EventKind.RETAIN,
        EventKind.DEATH,
    ),
    MemberStatus.RETAINED: (EventKind.RESTORE, EventKind.WITHDRAW, EventKind.DEATH),
    MemberStatus.TRANSFERRED_OUT: (EventKind.TRANSFER_IN, EventKind.RESTORE, EventKind.DEATH),
    MemberStatus.WITHDRAWN: (EventKind.RESTORE, EventKind.DEATH),
    MemberStatus.EXPELLED: (EventKind.RESTORE, EventKind.DEATH),
    MemberStatus.DECEASED: (),
}


def allowed_events(status: MemberStatus) -> tuple[EventKind, ...]:
    return _ALLOWED[status]


def check_transition(
    status: MemberStatus, kind: EventKind, on: date, last_event_on: date | None, today: date
) -> str | None:
    """Why this membership event cannot be recorded now, or None when it can."""
    if kind not in _ALLOWED[status]:
        allowed = "、".join(_ALLOWED[status]) or "无"
        return f"会籍状态为“{status}”的会员不能办理“{kind}”（可办理：{allowed}）"
    if on > today:
        return f"变动日期 {on.isoformat()} 晚于今天"
    if last_event_on is not None and on < last_event_on:
        return f"变动日期 {on.isoformat()} 早于上一次会籍变动（{last_event_on.isoformat()}）"
    return None


def not_a_member_on(events: Sequence[tuple[date, str, str]], day: date) -> tuple[str, str] | None:
    """Whether someone with these membership events (date, kind, status after; in order) was
    not a member on ``day``: (status then, what to say: "于 2026-05-10 才入会", "已于 2026-03-01
    转出"), or None when they were — or when nothing is known (no events)."""
    if not events:
        return None
    if day < events[0][0]:
        return "", f"于 {events[0][0].isoformat()} 才{events[0][1]}"
    on, kind, status = events[bisect.bisect_right(events, (day, "\uffff", "")) - 1]
    return None if status in COUNTED_STATUSES else (status, f"已于 {on.isoformat()} {kind}")


FIELD_LABELS = {
    "name": "姓名",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "gender": "性别",
    "birth_date": "出生日期",
    "ethnicity": "民族",
    "political_status": "政治面貌",
    "education": "学历",
    "household_type": "户籍类型",
    "group_id": "所在分组",
    "position": "职务/岗位",
    "category": "人员类别",
    "is_migrant_worker": "农民工",
    "joined_on": "入会时间",
    "card_number": "会员证号",
    "phone": "联系电话",
    "model_worker_level": "劳模类型",
    "is_hardship": "困难职工",
    "female_original_retirement_age": "原法定退休年龄",
    "dues_wage_fen": "会费基数工资",
    "remark": "备注",
    "event_date": "变动日期",
    "reason": "原因",
    "kind": "变动类型",
}


@dataclass(slots=True)
class MemberInput:
    """What a person enters for a member, before it is checked."""

    name: str = ""
    id_type: str = IdType.RESIDENT
    id_number: str = ""
    gender: str = ""
    birth_date: date | None = None
    ethnicity: str = "汉族"
    political_status: str = ""
    education: str = ""
    household_type: str = ""
    group_id: int | None = None
    position: str = ""
    category: str = Category.ON_POST
    is_migrant_worker: bool = False
    joined_on: date | None = None
    card_number: str = ""
    phone: str = ""
    model_worker_level: str = ModelWorkerLevel.NONE
    is_hardship: bool = False
    female_original_retirement_age: int | None = None
    dues_wage_fen: int | None = None
    remark: str = ""
    extra_errors: dict[str, str] = field(default_factory=dict)


_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")
NAME_LIMIT = 30
_PLAIN_NAME = re.compile(r"[\u4e00-\u9fff]{1,30}")
_NAME_BAD = re.compile(r"[0-9A-Za-z@#$%^&*()_+=<>?/\\|{}\[\]]")
# Emoji and pictographs (with the joiners, selectors and tags that build emoji sequences).
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\u25a0-\u25ff"
    "\ufe0e\ufe0f\u20e3\U000e0020-\U000e007f]"
)
# Text columns and what they hold (String(n) in app/models/roster.py; SQLite does not check).
TEXT_LIMITS = {
    "id_type": 20,
    "ethnicity": 20,
    "political_status": 20,
    "education": 20,
    "household_type": 10,
    "position": 50,
    "card_number": 30,
    "phone": 30,
    "remark": 500,
}
_FREE_TEXT = ("id_type", "ethnicity", "position", "remark", "political_status", "education", "household_type")
REASON_LIMIT = 200
GROUP_NAME_LIMIT = 50


_CATEGORIES = frozenset(c.value for c in Category)
# plain strings: comparing with an enum member costs five times as much, 50,000 times an import
_GENDERS = frozenset(g.value for g in Gender)
_RESIDENT = IdType.RESIDENT.value
_MODEL_LEVELS = frozenset(m.value for m in ModelWorkerLevel)


def normalize_phone(raw: str) -> str:
    if raw.isdigit() and raw.isascii():
        return raw  # the usual case, kept cheap for 50,000-row imports
    text = remove_spaces(to_halfwidth(raw))
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text.replace("－", "-")


def is_plain_name(text: str) -> bool:
    """Chinese characters only, at most 30: a name that needs no cleaning and is valid."""
    return _PLAIN_NAME.fullmatch(text) is not None


def check_name(name: str) -> tuple[str, str | None]:
    """(the name trimmed, what is wrong with it or None). Zero-width characters, invisible
    debris of copy and paste, are dropped; control characters and emoji are refused."""
    if is_plain_name(name):
        return name, None  # the usual case, kept cheap for 50,000-row imports
    control = next((ch for ch in name.strip() if ch < " " or "\x7f" <= ch <= "\x9f"), None)
    name = clean_text(name)
    if control is not None:
        return name, f"姓名中有看不见的控制字符（U+{ord(control):04X}），请删除后重新填写"
    if not name:
        return name, "请填写姓名"
    message = too_long("姓名", name, NAME_LIMIT)
    if message:
        return name, message
    emoji = _EMOJI.search(name)
    if emoji is not None:
        return name, f"姓名中不能有表情或图形符号（“{emoji.group()}”），请只填写汉字"
    if _NAME_BAD.search(to_halfwidth(name)):
        return name, "姓名只能是汉字（少数民族姓名可用“·”分隔），不超过 30 个字"
    return name, None


def check_phone(phone: str) -> tuple[str, str | None]:
    phone = normalize_phone(phone)
    if phone and not _PHONE.match(phone):
        return phone, "电话应为 11 位手机号或带区号的固定电话"
    return phone, None


def check_category(category: str) -> str | None:
    return None if category in _CATEGORIES else f"人员类别应为：{'、'.join(Category)}"


def check_model_worker_level(level: str) -> str | None:
    return None if level in _MODEL_LEVELS else "劳模类型应为：全国、省部级、地市级、其他，或留空"


@dataclass(slots=True)
class Identity:
    """Who a member is by their papers, after checking the ID against what was entered."""

    id_number: str
    birth_date: date | None
    gender: str
    errors: dict[str, str]


def check_identity(
    id_type: str, id_number: str, birth_date: date | None, gender: str, today: date
) -> Identity:
    """An ID number fills in birth date and gender when they are blank; entered values that
    contradict it are errors, because one of the two was typed wrong."""
    errors: dict[str, str] = {}
    number = normalize_id_text(id_number) if id_number else ""
    if id_type == _RESIDENT:
        if not number:
            errors["id_number"] = "请填写身份证号；没有居民身份证的会员请先选择其他证件类型"
        else:
            try:
                info = parse_id_number(number, today=today)
            except IdNumberError as exc:
                errors["id_number"] = str(exc)
            else:
                number = info.number
                if birth_date is not None and birth_date != info.birth_date:
                    errors["birth_date"] = id_birth_mismatch(birth_date, info.birth_date)
                if gender and gender != info.gender:
                    errors["gender"] = id_gender_mismatch(gender, info.gender)
                birth_date = birth_date or info.birth_date
                gender = gender or info.gender
    elif len(number) > 30:
        errors["id_number"] = "证件号码不超过 30 个字符"
    if gender not in _GENDERS:
        errors.setdefault("gender", "请选择性别")
    if birth_date is None:
        errors.setdefault("birth_date", "请填写出生日期")
    elif birth_date > today:
        errors["birth_date"] = "出生日期不能晚于今天"
    elif today.year - birth_date.year > 120:
        errors["birth_date"] = "出生日期早于 120 年前，请核对"
    return Identity(number, birth_date, gender, errors)


def check_joined_on(joined_on: date | None, birth_date: date | None, today: date) -> str | None:
    if joined_on is None:
        return None
    if joined_on > today:
        return "入会时间不能晚于今天"
    if birth_date is not None and joined_on < birth_date:
        return "入会时间不能早于出生日期"
    return None


def validate_member(data: MemberInput, today: date) -> dict[str, str]:
    """Normalise ``data`` in place and return {field: Chinese message} for what is wrong.

    The roster import runs the same checks column by column (``services/import_rows.py``).
    """
    errors: dict[str, str] = dict(data.extra_errors)

    def put(key: str, message: str | None) -> None:
        if message:
            errors[key] = message

    data.name, name_error = check_name(data.name)
    put("name", name_error)
    identity = check_identity(data.id_type, data.id_number, data.birth_date, data.gender, today)
    data.id_number, data.birth_date, data.gender = identity.id_number, identity.birth_date, identity.gender
    for key, message in identity.errors.items():
        errors.setdefault(key, message)  # a value the form could not read says more
    put("joined_on", check_joined_on(data.joined_on, data.birth_date, today))
    data.phone, phone_error = check_phone(data.phone)
    put("phone", phone_error)
    data.card_number = clean_card_number(data.card_number)
    put("category", check_category(data.category))
    put("model_worker_level", check_model_worker_level(data.model_worker_level))
    if data.category == Category.MIGRANT:
        data.is_migrant_worker = True
    if data.gender == Gender.FEMALE and data.female_original_retirement_age not in (None, 50, 55):
        errors["female_original_retirement_age"] = "女职工原退休年龄只能是 50 或 55 岁"
    if data.dues_wage_fen is not None:
        put("dues_wage_fen", check_wage_fen(data.dues_wage_fen, "会费基数工资"))
    for name in _FREE_TEXT:
        setattr(data, name, clean_text(getattr(data, name)))  # control characters dropped too
    for name, limit in TEXT_LIMITS.items():
        if name not in errors:
            put(name, too_long(FIELD_LABELS[name], getattr(data, name), limit))
    return errors


def clean_card_number(card_number: str) -> str:
    if card_number.isascii() and card_number.isprintable():
        return card_number.strip()
    return clean_text(to_halfwidth(card_number))
