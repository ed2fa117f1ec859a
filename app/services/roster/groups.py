"""The group tree (分会 / 工会小组 / 部门) the roster is organised in."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.members import COUNTED_STATUSES, GROUP_KINDS, GROUP_NAME_LIMIT
from app.domain.text import clean_text, too_long
from app.domain.union import GroupInfo, build_group_tree, descendants
from app.models import Group, Member
from app.services.errors import NotFoundError, UserError, ValidationError


def list_groups(session: Session) -> list[GroupInfo]:
    """All groups in tree order (parents before children), with their full paths."""
    rows = session.execute(
        select(Group.id, Group.name, Group.kind, Group.parent_id).order_by(Group.sort_order, Group.id)
    ).all()
    in_roll = Member.status.in_([s.value for s in COUNTED_STATUSES])  # not those who have left
    counts = dict(
        session.execute(select(Member.group_id, func.count()).where(in_roll).group_by(Member.group_id)).all()
    )
    return build_group_tree([tuple(row) for row in rows], counts)


def _check_group(session: Session, name: str, kind: str, parent_id: int | None, own_id: int | None) -> str:
    name = clean_text(name)  # control and zero-width characters dropped
    if not name:
        raise ValidationError({"name": "请填写分组名称"}, {"name": "名称"})
    message = too_long("分组名称", name, GROUP_NAME_LIMIT)
    if message:
        raise ValidationError({"name": message}, {"name": "名称"})
    if kind not in GROUP_KINDS:
        raise ValidationError({"kind": f"类型应为：{'、'.join(GROUP_KINDS)}"}, {"kind": "类型"})
    clash = session.scalar(
        select(Group.id).where(
            Group.name == name,
            Group.parent_id.is_(None) if parent_id is None else Group.parent_id == parent_id,
        )
    )
    if clash is not None and clash != own_id:
        raise ValidationError({"name": f"同一上级下已有名为“{name}”的分组"}, {"name": "名称"})
    return name


def add_group(session: Session, name: str, kind: str = "部门", parent_id: int | None = None) -> int:
    if parent_id is not None and session.get(Group, parent_id) is None:
        raise NotFoundError("上级分组不存在")
    clean = _check_group(session, name, kind, parent_id, None)
    group = Group(name=clean, kind=kind, parent_id=parent_id)
    session.add(group)
    session.flush()
    return group.id


def update_group(session: Session, group_id: int, name: str, kind: str) -> None:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFoundError("分组不存在")
    group.name = _check_group(session, name, kind, group.parent_id, group_id)
    group.kind = kind


def delete_group(session: Session, group_id: int) -> None:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFoundError("分组不存在")
    if session.scalar(select(func.count()).where(Group.parent_id == group_id)):
        raise UserError(f"“{group.name}”下还有下级分组，请先删除或移走它们")
    members = session.scalar(select(func.count()).where(Member.group_id == group_id)) or 0
    if members:
        raise UserError(f"“{group.name}”中还有 {members} 名会员，请先把他们调到其他分组")
    session.delete(group)


def find_group_by_path(session: Session, path: str) -> int | None:
    wanted = clean_text(path).replace("／", "/")
    for group in list_groups(session):
        if group.path.replace(" ", "") == wanted.replace(" ", "") or group.name == wanted:
            return group.id
    return None


__all__ = [
    "GroupInfo",
    "add_group",
    "delete_group",
    "descendants",
    "find_group_by_path",
    "list_groups",
    "update_group",
]
