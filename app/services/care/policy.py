"""The caps in force (慰问标准): the preset of the union's 省份 (resources/care_policies.json),
with the union's own caps on top, each from its month. A cap the union sets takes the place
of the preset for that occasion from its month on; earlier months keep the preset."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.care import Cap, Occasion, Policy, parse_presets
from app.domain.text import clean_text
from app.domain.yearmonth import YearMonth
from app.models import CareCap
from app.paths import resource
from app.services.errors import UserError
from app.services.system import get_profile

PRESET = "省级标准"
OWN = "本单位标准"


@cache
def presets() -> dict[str, list[Cap]]:
    return parse_presets(json.loads(resource("care_policies.json").read_text(encoding="utf-8")))


@dataclass(frozen=True)
class CapInfo:
    cap: Cap
    source: str  # PRESET (and which province) or OWN
    note: str = ""


def _own(session: Session) -> list[CapInfo]:
    return [
        CapInfo(
            Cap(Occasion(row.occasion), YearMonth.of(row.effective_from), row.per_occurrence_fen,
                row.per_year_fen, row.per_year_count, row.variant),
            OWN,
            row.note,
        )
        for row in session.scalars(select(CareCap).order_by(CareCap.effective_from, CareCap.id))
    ]  # fmt: skip


def list_caps(session: Session) -> list[CapInfo]:
    """The province's preset (none when 省份 is not set or has none), then the union's own."""
    province = get_profile(session).province
    preset = [CapInfo(cap, f"{PRESET}（{province}）") for cap in presets().get(province, [])]
    return [*preset, *_own(session)]


def load_policy(session: Session) -> Policy:
    # a union's cap dated like a preset one comes later in the list, so it is the one in force
    return Policy(info.cap for info in list_caps(session))


def set_cap(session: Session, cap: Cap, note: str = "") -> None:
    """The union's cap for ``cap.occasion`` (and variant) from ``cap.effective_from``; the same
    month again corrects it."""
    limits = (cap.per_occurrence_fen, cap.per_year_fen, cap.per_year_count)
    if all(limit is None for limit in limits):
        raise UserError("请至少填写一项限额（每次、每人每年金额或每人每年次数）")
    if any(limit is not None and limit < 0 for limit in limits):
        raise UserError("限额不能是负数")
    first = cap.effective_from.first_day()
    row = session.scalar(
        select(CareCap).where(CareCap.occasion == cap.occasion.value, CareCap.variant == cap.variant,
                              CareCap.effective_from == first)
    )  # fmt: skip
    if row is None:
        row = CareCap(occasion=cap.occasion.value, variant=cap.variant, effective_from=first)
        session.add(row)
    row.per_occurrence_fen, row.per_year_fen, row.per_year_count = limits
    row.note = clean_text(note)[:200]
    session.flush()
