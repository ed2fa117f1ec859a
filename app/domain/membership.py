"""The words of membership (RULES.md §3): status, category, gender, ID type, membership
events, model-worker level; who counts as a member; a member's age.

Kept apart from app.domain.members (the checks and the lifecycle, which re-exports all of
this) because the window's first roster page needs these words alone, before anything else
of the member rules: the rest costs every start-up ~8 ms it does not need.
The enum values are the Chinese words stored in the database and shown on screen.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class Gender(StrEnum):
    MALE = "男"
    FEMALE = "女"


class IdType(StrEnum):
    RESIDENT = "居民身份证"
    HK_MACAO = "港澳居民来往内地通行证"
    TAIWAN = "台湾居民来往大陆通行证"
    FOREIGN_PR = "外国人永久居留身份证"
    PASSPORT = "护照"
    OTHER = "其他证件"


class MemberStatus(StrEnum):
    ACTIVE = "在会"
    RETAINED = "保留会籍"
    TRANSFERRED_OUT = "已转出"
    WITHDRAWN = "已退会"
    EXPELLED = "已除名"
    DECEASED = "已去世"


class EventKind(StrEnum):
    JOIN = "入会"
    TRANSFER_IN = "转入"
    TRANSFER_OUT = "转出"
    WITHDRAW = "退会"
    EXPEL = "除名"
    RETAIN = "退休保留会籍"
    DEATH = "去世"
    RESTORE = "恢复"


class Category(StrEnum):
    ON_POST = "在岗"
    DISPATCHED = "劳务派遣"
    MIGRANT = "农民工"
    INTERNAL_RETIRED = "内退"
    SICK_LEAVE = "病休"
    APPRENTICE = "学徒"  # pays a flat amount (RULES §1)
    RETIRED_RETAINED = "退休保留会籍"


class ModelWorkerLevel(StrEnum):
    NONE = ""
    NATIONAL = "全国"
    PROVINCIAL = "省部级"
    CITY = "地市级"
    OTHER = "其他"


# Counted as members of the union (the monthly report's 会员数).
COUNTED_STATUSES = (MemberStatus.ACTIVE, MemberStatus.RETAINED)


def age(birth: date, today: date) -> int:
    """Whole years of age on ``today``."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
