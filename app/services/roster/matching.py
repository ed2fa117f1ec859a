"""Which roster member a row of a sheet (collected dues, payroll, a care register) is about.

By ID number; where the sheet has none, by name together with the 部门 written beside it
(the member's group, or a group above it, by name or by its path 生产部 / 一车间). Never by
name alone: two people may share one, and money booked to the wrong one is hard to see.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.idcard import IdNumberError, mask_id_number, normalize_id_text, parse_id_number
from app.domain.members import is_plain_name
from app.domain.text import quoted, remove_spaces, to_halfwidth
from app.models import Member
from app.services.excel.table import FieldSpec
from app.services.excel.values import text
from app.services.imports.columns import Reader
from app.services.roster.groups import list_groups

# Who a row is: the columns a sheet about members (dues, payroll, care) names them by.
MEMBER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "姓名", ("职工姓名", "会员姓名", "员工姓名", "名字"), required=True),
    FieldSpec(
        "id_number",
        "身份证号",
        ("身份证号码", "公民身份号码", "证件号码", "身份证", "证件号", "身份证件号码"),
    ),
    FieldSpec(
        "group",
        "部门",
        ("所在部门", "分组", "所在分组", "科室", "单位", "所在单位", "车间", "部门科室", "工会小组", "小组"),
    ),
)


def read_name(raw: Any) -> tuple[str, str | None]:
    if raw.__class__ is str and is_plain_name(raw):
        return raw, None  # the usual case, kept cheap: every name is a distinct value
    # names padded for alignment ("王　伟") lose their inner spaces, as the roster stores them
    return "".join(text(raw).split()), None


def read_id_number(raw: Any) -> tuple[str, str | None]:
    if isinstance(raw, float):
        if raw.is_integer() and 0 < raw < 1e15:  # 15 digits survive a number cell
            return str(int(raw)), None
        try:
            parse_id_number(raw)
        except IdNumberError as exc:
            return "", str(exc)
    return normalize_id_text(text(raw)), None


def read_text(raw: Any) -> tuple[str, str | None]:
    return text(raw), None


PERSON_READERS: dict[str, Reader] = {"name": read_name, "id_number": read_id_number, "group": read_text}


class Known(NamedTuple):
    id: int
    name: str
    id_number: str
    group: str  # its path, "" when in no group


class Found(NamedTuple):
    member: Known | None
    field: str  # the field the problem is in: "id_number" or "name"
    problem: str | None  # why no member (None when found)


def group_key(value: str) -> str:
    return remove_spaces(to_halfwidth(value)).replace("／", "/").lower()


def _keys_of(path: str) -> frozenset[str]:
    """What a sheet may write for a member of ``path``: each group on the way down, by name
    or by its path from the top (生产部, 一车间, 生产部/一车间)."""
    parts = [group_key(p) for p in path.split(" / ")] if path else []
    return frozenset(parts) | frozenset("/".join(parts[: i + 1]) for i in range(len(parts)))


class MemberIndex:
    """The roster in memory, read in two queries, for matching many rows."""

    def __init__(self, session: Session) -> None:
        paths = {g.id: g.path for g in list_groups(session)}
        self.by_id: dict[str, Known] = {}
        self.by_name: dict[str, list[Known]] = defaultdict(list)
        query = select(Member.id, Member.name, Member.id_number, Member.group_id)
        for member_id, name, id_number, group_id in session.connection().execute(query):
            known = Known(member_id, name, id_number or "", paths.get(group_id, "") if group_id else "")
            if id_number:
                self.by_id[id_number] = known
            self.by_name["".join(name.split())].append(known)
        self._keys: dict[str, frozenset[str]] = {}
        self._written: dict[str, str] = {}  # a 部门 as a sheet writes it → its key (a few dozen)

    def keys(self, path: str) -> frozenset[str]:
        keys = self._keys.get(path)
        if keys is None:
            keys = self._keys[path] = _keys_of(path)
        return keys

    def find(self, name: str, id_number: str, group: str) -> Found:
        if id_number:
            return self._by_id_number(name, id_number, group)
        if not name:
            return Found(None, "name", "请填写姓名或身份证号")
        if not group:
            return Found(
                None, "name", "没有身份证号，也没有部门：只凭姓名无法确定是哪位会员，请填写身份证号或部门"
            )
        return self._by_name_and_group(name, group, with_id=True)

    def _by_id_number(self, name: str, id_number: str, group: str) -> Found:
        known = self.by_id.get(id_number)
        if known is not None:
            if name and name != "".join(known.name.split()):
                return Found(
                    None,
                    "name",
                    f"身份证号 {id_number} 在名册中是“{known.name}”，不是“{quoted(name)}”，请核对",
                )
            return Found(known, "", None)
        # a member entered without an ID number is still found by name and 部门
        if name and group:
            found = self._by_name_and_group(name, group, with_id=False)
            if found.member is not None:
                return found
        hint = "；名册中的同名会员身份证号与此不同，请核对" if self.by_name.get(name) else ""
        return Found(None, "id_number", f"名册中没有身份证号为 {quoted(id_number)} 的会员{hint}")

    def _by_name_and_group(self, name: str, group: str, *, with_id: bool) -> Found:
        key = self._written.get(group)
        if key is None:
            key = self._written[group] = group_key(group)
        same_name = self.by_name.get(name, [])
        candidates = [k for k in same_name if key in self.keys(k.group) and (with_id or not k.id_number)]
        if len(candidates) == 1:
            return Found(candidates[0], "", None)
        if candidates:
            ids = "、".join(mask_id_number(k.id_number) or "无身份证号" for k in candidates)
            return Found(
                None,
                "name",
                f"名册中“{quoted(group)}”有 {len(candidates)} 名会员叫“{name}”（身份证号 {ids}），"
                "无法确定是哪一位，请在表格中填写身份证号",
            )
        elsewhere = sorted({k.group or "未分组" for k in same_name})
        hint = f"（名册中的“{name}”在：{'、'.join(elsewhere)}）" if elsewhere else ""
        return Found(None, "name", f"名册中没有“{quoted(group)}”的“{quoted(name)}”{hint}")
