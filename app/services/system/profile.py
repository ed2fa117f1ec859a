"""The union profile (本工会信息): who this 账套 belongs to."""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy.orm import Session

from app.domain.text import clean_text
from app.domain.union import PROFILE_LABELS, PROVINCES, ProfileData
from app.models import UnionProfile
from app.services.errors import ValidationError


def get_profile(session: Session) -> ProfileData:
    profile = session.get(UnionProfile, 1)
    if profile is None:
        return ProfileData()
    return ProfileData(**{f.name: getattr(profile, f.name) for f in fields(ProfileData)})


def save_profile(session: Session, data: ProfileData) -> None:
    for f in fields(ProfileData):
        setattr(data, f.name, clean_text(getattr(data, f.name)))
    errors: dict[str, str] = {}
    if not data.name:
        errors["name"] = "请填写工会名称，例如“某某公司工会委员会”"
    if data.province and data.province not in PROVINCES:
        errors["province"] = "请从列表中选择省份（决定慰问标准的默认值）"
    if errors:
        raise ValidationError(errors, PROFILE_LABELS)
    profile = session.get(UnionProfile, 1) or UnionProfile(id=1)
    for f in fields(ProfileData):
        setattr(profile, f.name, getattr(data, f.name))
    session.add(profile)


__all__ = ["PROFILE_LABELS", "PROVINCES", "ProfileData", "get_profile", "save_profile"]
