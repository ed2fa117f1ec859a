"""The union's profile (本工会信息) and its group tree (分会 / 工会小组 / 部门), as plain values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
    "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
    "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
)  # fmt: skip

PROFILE_LABELS = {
    "name": "工会名称",
    "unit_name": "所在单位",
    "chair": "工会主席",
    "handler": "经办人",
    "province": "所在省份",
    "phone": "联系电话",
    "address": "地址",
}


@dataclass
class ProfileData:
    name: str = ""
    unit_name: str = ""
    chair: str = ""
    handler: str = ""
    province: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class GroupInfo:
    id: int
    name: str
    kind: str
    parent_id: int | None
    path: str  # 生产部 / 一车间 / 甲班
    depth: int
    member_count: int  # in this group itself: members in the roll (在册), as the roster first lists them
    total_count: int  # with the groups below it


def descendants(groups: list[GroupInfo], group_id: int) -> set[int]:
    """The group and every group below it."""
    found = {group_id}
    for group in groups:  # tree order: a parent always comes before its children
        if group.parent_id in found:
            found.add(group.id)
    return found


def build_group_tree(rows: Sequence[Sequence[Any]], counts: dict[int | None, int]) -> list[GroupInfo]:
    """Groups in tree order (parents before children) with paths and member counts.

    ``rows``: (id, name, kind, parent_id) in sibling order; ``counts``: members per group id.
    """
    children: dict[int | None, list[Sequence[Any]]] = {}
    for row in rows:
        children.setdefault(row[3], []).append(row)
    result: list[GroupInfo] = []

    def walk(parent: int | None, prefix: str, depth: int) -> None:
        for gid, name, kind, parent_id in children.get(parent, []):
            path = f"{prefix} / {name}" if prefix else name
            own = counts.get(gid, 0)
            result.append(GroupInfo(gid, name, kind, parent_id, path, depth, own, own))
            walk(gid, path, depth + 1)

    walk(None, "", 0)
    totals = {g.id: g.member_count for g in result}
    for group in reversed(result):  # children come after parents: add each to its parent
        if group.parent_id is not None:
            totals[group.parent_id] += totals[group.id]
    return [replace(g, total_count=totals[g.id]) for g in result]
