"""The activity limits in force (活动开支标准): the national and provincial presets
(resources/activity_policies.json), with the union's own on top, each from its day."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.activities import Kind, Limit, Limits, Rule, applying, parse_limits
from app.domain.text import clean_text
from app.models import ActivityLimit
from app.paths import resource
from app.services.errors import UserError
from app.services.system import get_profile

PRESET = "预设标准"
OWN = "本单位标准"


@cache
def _data() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(resource("activity_policies.json").read_text(encoding="utf-8"))
    return found


def presets() -> dict[str, list[Limit]]:
    return parse_limits(_data())


def _source(scope: str) -> str:
    """Where a preset's figures come from, as the shipped file says."""
    return str(_data()["presets"].get(scope, {}).get("source", ""))


@dataclass(frozen=True)
class LimitInfo:
    limit: Limit
    source: str  # PRESET (and whose) or OWN
    note: str = ""


def _own(session: Session) -> list[LimitInfo]:
    return [
        LimitInfo(Limit(Rule(row.rule), row.value, row.effective_from, row.kind), OWN, row.note)
        for row in session.scalars(
            select(ActivityLimit).order_by(ActivityLimit.effective_from, ActivityLimit.id)
        )
    ]


def list_limits(session: Session) -> list[LimitInfo]:
    """The national preset, the province's, then the union's own."""
    province = get_profile(session).province
    found = [LimitInfo(limit, f"{PRESET}（全国）", _source("全国")) for limit in presets().get("全国", [])]
    if province and province != "全国":
        found += [
            LimitInfo(limit, f"{PRESET}（{province}）", _source(province))
            for limit in presets().get(province, [])
        ]
    return [*found, *_own(session)]


def load_limits(session: Session) -> Limits:
    province = get_profile(session).province
    return applying(presets(), province, [info.limit for info in _own(session)])


def set_limit(session: Session, rule: Rule, value: int, since: date, kind: str = "", note: str = "") -> None:
    """The union's limit for ``rule`` (and activity ``kind``) from ``since``; the same day again
    corrects it."""
    if value < 0:
        raise UserError("标准不能是负数")
    if kind and kind not in {k.value for k in Kind}:
        raise UserError(f"没有“{kind}”这种活动")
    row = session.scalar(
        select(ActivityLimit).where(
            ActivityLimit.rule == rule.value,
            ActivityLimit.kind == kind,
            ActivityLimit.effective_from == since,
        )
    )
    if row is None:
        row = ActivityLimit(rule=rule.value, kind=kind, effective_from=since)
        session.add(row)
    row.value = value
    row.note = clean_text(note)[:200]
    session.flush()
